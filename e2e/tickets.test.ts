/**
 * The agent workspace: an agent works a customer's ticket from the queue to resolved (take, internal
 * note, public reply, status), the queue counts follow live; a phone call becomes a ticket through the
 * New ticket form.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TicketDetail, TicketView } from '../src/contracts/tickets.ts';
import { choose, createAgent, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const AGENT = { email: 'zhang.wei@e2e.test', name: '张伟', password: 'agent-password-1' };

let e2e: E2E;
let admin: Api;
let agent: { id: string; api: Api };
let departmentId: string;
let page: Page;

before(async () => {
  if (skip) return;
  e2e = await startE2E('tickets');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  departmentId = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '售后服务部' })).body.id;
  agent = await createAgent(e2e, admin, { ...AGENT, departmentIds: [departmentId] });
  page = (await e2e.newPage()).page;
  await signIn(page, e2e.baseUrl, AGENT.email, AGENT.password);
});
after(async () => { await e2e?.close(); });

const counts = async () => (await agent.api<Record<string, number>>('GET', '/api/v1/tickets/counts')).body;
const detail = async (id: string) => (await agent.api<TicketDetail>('GET', `/api/v1/tickets/${id}`)).body;

/** Waits until the view's badge in the queue shows n. */
async function countIs(view: string, n: number) {
  await page.getByTestId(`view-count-${view}`).filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
}

test('an agent works a customer ticket from the queue to resolved; history and counts follow', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('queue-title').filter({ hasText: '我的工单' }).waitFor();
  await countIs('mine', 0);
  await countIs('unassigned', 0);
  assert.deepEqual({ mine: (await counts()).mine, unassigned: (await counts()).unassigned }, { mine: 0, unassigned: 0 });

  // A customer writes in (an email ticket in the agent's department, not assigned): the queue counts move live.
  const created = await admin<TicketView>('POST', '/api/v1/tickets', {
    subject: '家里宽带从昨晚开始断网', channel: 'email', departmentId, priority: 'high',
    customer: { name: '陈女士', email: 'chen.li@example.com', phone: '13812345678' },
    body: '你好，家里的宽带从昨晚 10 点开始就连不上了，光猫 LOS 灯一直红色闪烁。\n<b>请尽快处理</b>，谢谢！',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const ticket = created.body;
  await e2e.drain();
  await countIs('unassigned', 1);
  await countIs('department', 1);
  await page.getByTestId('view-unassigned').click();
  const row = page.getByTestId(`ticket-row-${ticket.number}`);
  await row.getByText('家里宽带从昨晚开始断网').waitFor();
  assert.match(await row.textContent() ?? '', /陈女士.*新建.*高.*售后服务部.*未分配/);
  await e2e.shot(page, '01-queue-unassigned');

  // Open it: the customer's message renders as text, contact details masked for an agent without customers.view_contact.
  await row.click();
  await page.getByTestId('ticket-subject').filter({ hasText: '家里宽带从昨晚开始断网' }).waitFor();
  const customerMessage = page.getByTestId('message-customer');
  assert.match(await customerMessage.getByTestId('message-body').textContent() ?? '', /<b>请尽快处理<\/b>/, 'HTML in a message is shown as text');
  assert.equal(await customerMessage.locator('b').count(), 0);
  const apiView = await detail(ticket.id);
  assert.match(apiView.ticket.customer!.email!, /\*/, 'the API masks the email for this agent');
  assert.equal(await page.getByTestId('customer-email').textContent(), apiView.ticket.customer!.email);
  assert.equal(await page.getByTestId('customer-phone').textContent(), apiView.ticket.customer!.phone);
  assert.notEqual(apiView.ticket.customer!.email, 'chen.li@example.com');

  // Take it.
  await page.getByTestId('ticket-take').click();
  await page.getByTestId('history-assigned').getByText(`${AGENT.name} 领取了工单`).waitFor();
  assert.equal((await detail(ticket.id)).ticket.assigneeId, agent.id);
  await page.getByTestId('ticket-take').waitFor({ state: 'detached' });

  // An internal note (yellow, never sent), then a public reply.
  await page.getByTestId('composer-tab-internal').click();
  await page.getByTestId('composer-input').fill('已查询：该小区光缆昨晚被施工挖断，抢修中。');
  await page.getByTestId('composer-send').click();
  await page.getByTestId('message-internal').getByText('已查询：该小区光缆昨晚被施工挖断，抢修中。').waitFor();
  assert.equal(await page.getByTestId('message-internal').evaluate((el) => getComputedStyle(el.querySelector('.kefu-msg')!).backgroundColor), 'rgb(255, 251, 230)');
  await page.getByTestId('composer-tab-public').click();
  await page.getByTestId('composer-input').fill('陈女士您好，您所在小区的光缆正在抢修，预计今天下午 3 点前恢复，给您带来不便深表歉意。');
  await page.getByTestId('composer-send').click();
  await page.getByTestId('message-agent').getByText(/光缆正在抢修/).waitFor();
  const afterReplies = await detail(ticket.id);
  assert.deepEqual(afterReplies.messages.map((m) => [m.authorType, m.visibility]), [['customer', 'public'], ['agent', 'internal'], ['agent', 'public']]);
  await e2e.shot(page, '02-ticket-working');

  // Resolve it.
  await choose(page, 'ticket-status', '已解决');
  await page.getByTestId('status-tag').filter({ hasText: '已解决' }).first().waitFor();
  const resolved = await detail(ticket.id);
  assert.equal(resolved.ticket.status, 'resolved');
  assert.ok(resolved.ticket.resolvedAt);
  const history = page.getByTestId('history-text');
  await history.filter({ hasText: /将状态从 .* 改为 已解决/ }).waitFor();
  const texts = await history.allTextContents();
  assert.ok(texts.some((x) => x === `${TENANT.adminName} 创建了工单`), texts.join('\n'));
  assert.ok(texts.some((x) => x === `${AGENT.name} 领取了工单`), texts.join('\n'));
  const actions = resolved.history.map((h) => h.action);
  assert.equal(actions[0], 'created');
  assert.ok(actions.includes('assigned'));
  assert.ok(resolved.history.some((h) => JSON.stringify(h.changes.status) === JSON.stringify(['pending', 'resolved'])), JSON.stringify(resolved.history));
  await e2e.shot(page, '03-ticket-resolved');

  // Back in the queue the ticket left "mine" and "unassigned"; it is still under "all".
  await page.getByTestId('nav-tickets').click();
  await countIs('mine', 0);
  await countIs('unassigned', 0);
  await page.getByTestId('view-all').click();
  await page.getByTestId(`ticket-row-${ticket.number}`).getByText('已解决').waitFor();
  const c = await counts();
  assert.equal(c.mine, 0);
  assert.equal(c.all, 1);
});

test('a phone call becomes a ticket through the New ticket form, assigned to the agent', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('view-mine').click();
  await countIs('mine', 0);
  await page.getByTestId('ticket-new').click();
  await page.getByTestId('new-ticket-customer-name').fill('刘先生');
  await page.getByTestId('new-ticket-customer-phone').fill('13900001111');
  await page.getByTestId('new-ticket-subject').fill('来电：账单金额有疑问');
  await page.getByTestId('new-ticket-body').fill('客户来电称本月账单比上月多出 50 元，要求核实。');
  await choose(page, 'new-ticket-type', '查询');
  await choose(page, 'new-ticket-department', '售后服务部');
  await choose(page, 'new-ticket-assignee', `${AGENT.name}（我）`);
  await e2e.shot(page, '04-new-ticket-form');
  await page.getByTestId('new-ticket-submit').click();
  await page.getByTestId('ticket-subject').filter({ hasText: '来电：账单金额有疑问' }).waitFor();
  const id = new URL(page.url()).pathname.split('/').pop()!;
  const d = await detail(id);
  assert.equal(d.ticket.channel, 'phone');
  assert.equal(d.ticket.assigneeId, agent.id);
  assert.equal(d.ticket.departmentId, departmentId);
  assert.equal(d.ticket.type?.key, 'query');
  assert.equal(d.ticket.customer?.name, '刘先生');
  await page.getByTestId('nav-tickets').click();
  await countIs('mine', 1);
  await page.getByTestId('view-mine').click();
  await page.getByTestId(`ticket-row-${d.ticket.number}`).waitFor();
});
