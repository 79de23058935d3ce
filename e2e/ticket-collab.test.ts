/**
 * Working a ticket together: agent A @mentions agent B in an internal note and B's bell rings live and
 * opens the ticket; A merges a duplicate into the original (both conversations in one place, a banner on
 * the duplicate); a link between two tickets shows on both; following from the sidebar.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TicketDetail, TicketView } from '../src/contracts/tickets.ts';
import { createAgent, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const A = { email: 'zhang.wei@e2e.test', name: '张伟', password: 'agent-password-1' };
const B = { email: 'li.na@e2e.test', name: '李娜', password: 'agent-password-2' };

let e2e: E2E;
let admin: Api;
let agentA: { id: string; api: Api };
let agentB: { id: string; api: Api };
let departmentId: string;
let pageA: Page;
let pageB: Page;

before(async () => {
  if (skip) return;
  e2e = await startE2E('ticket-collab');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  departmentId = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '账务服务部' })).body.id;
  agentA = await createAgent(e2e, admin, { ...A, departmentIds: [departmentId] });
  agentB = await createAgent(e2e, admin, { ...B, departmentIds: [departmentId] });
  pageA = (await e2e.newPage()).page;
  pageB = (await e2e.newPage()).page;
  await signIn(pageA, e2e.baseUrl, A.email, A.password);
  await signIn(pageB, e2e.baseUrl, B.email, B.password);
});
after(async () => { await e2e?.close(); });

const detail = async (id: string) => (await agentA.api<TicketDetail>('GET', `/api/v1/tickets/${id}`)).body;
const newTicket = async (subject: string, body: string) => {
  const res = await admin<TicketView>('POST', '/api/v1/tickets', {
    subject, body, channel: 'email', departmentId, customer: { name: '周先生', email: 'zhou@example.com' },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
};

let original: TicketView;

test('A @mentions B in an internal note: B\'s bell shows it live and opens the ticket', { skip: skip ?? false }, async () => {
  original = await newTicket('本月账单多扣了 30 元', '我的账单这个月多扣了 30 元，请核实。');
  await e2e.drain();
  const unread = (await agentB.api<{ unread: number }>('GET', '/api/v1/notifications')).body.unread;

  await pageA.goto(`${e2e.baseUrl}/tickets/${original.id}`);
  await pageA.getByTestId('ticket-subject').filter({ hasText: original.subject }).waitFor();
  await pageA.getByTestId('composer-tab-internal').click();
  const input = pageA.getByTestId('composer-input');
  await input.click();
  await input.pressSequentially('请 @李');
  await pageA.getByTestId(`mention-option-${agentB.id}`).click();
  await input.pressSequentially('帮忙核实一下扣费明细 <b>急</b>');
  assert.equal(await input.inputValue(), '请 @李娜 帮忙核实一下扣费明细 <b>急</b>');
  await e2e.shot(pageA, '01-mention-typed');
  await pageA.getByTestId('composer-send').click();

  const note = pageA.getByTestId('message-internal').filter({ hasText: '帮忙核实一下扣费明细' });
  await note.getByTestId('message-mention').filter({ hasText: '@李娜' }).waitFor();
  assert.equal(await note.locator('b').count(), 0, 'the note is text, never HTML');
  const stored = (await detail(original.id)).messages.at(-1)!;
  assert.deepEqual(stored.mentions, [agentB.id]);
  assert.equal(stored.body, '请 @李娜 帮忙核实一下扣费明细 <b>急</b>');

  // B's bell rings without a reload.
  await e2e.drain();
  await pageB.getByTestId('notification-count').locator('.ant-badge-count').filter({ hasText: String(unread + 1) }).waitFor();
  await pageB.getByTestId('notification-bell').click();
  const item = pageB.getByTestId('notification-mention').filter({ hasText: `张伟 在工单 #${original.number} 中提到了您` });
  await item.waitFor();
  assert.match(await item.getByTestId('notification-excerpt').textContent() ?? '', /请 @李娜 帮忙核实一下扣费明细 <b>急<\/b>/);
  await e2e.shot(pageB, '02-bell-mention');
  await item.click();
  await pageB.waitForURL(new RegExp(`/tickets/${original.id}$`));
  await pageB.getByTestId('ticket-subject').filter({ hasText: original.subject }).waitFor();
  await pageB.getByTestId('message-internal').getByTestId('message-mention').filter({ hasText: '@李娜' }).waitFor();
  const mail = (await admin<{ items: { subject: string; purpose: string }[] }>('GET', `/api/v1/outbox?to=${encodeURIComponent(B.email)}`)).body.items;
  assert.ok(mail.some((m) => m.purpose === 'notify_mention' && m.subject === `[#${original.number}] 张伟 提到了您：${original.subject}`), JSON.stringify(mail));
});

test('A merges a duplicate into the original: both conversations in the target, a banner on the source', { skip: skip ?? false }, async () => {
  const duplicate = await newTicket('账单问题（重复来信）', '上次说的多扣费的事，还没人回复我。');
  await e2e.drain();
  await pageA.goto(`${e2e.baseUrl}/tickets/${duplicate.id}`);
  await pageA.getByTestId('ticket-subject').filter({ hasText: duplicate.subject }).waitFor();
  await pageA.getByTestId('ticket-merge').click();
  await pageA.getByTestId('merge-warning').filter({ hasText: `工单 #${duplicate.number} 的全部消息、附件和关注者将移入所选工单` }).waitFor();
  await pageA.getByTestId('merge-target').click();
  await pageA.getByTestId('merge-target').locator('input').pressSequentially(String(original.number));
  // Each typed digit starts a search whose answer re-renders the list: a click landing during one is
  // dropped, so pick again until the select shows the choice.
  const picked = pageA.getByTestId('merge-target').getByTitle(`#${original.number} ${original.subject}`, { exact: true });
  for (let i = 0; i < 3 && !(await picked.count()); i++) {
    await pageA.getByTestId(`merge-option-${original.number}`).click();
    await picked.waitFor({ timeout: 3_000 }).catch(() => undefined);
  }
  await picked.waitFor();
  await pageA.getByTestId('merge-reason').fill('同一位客户的同一个问题');
  await e2e.shot(pageA, '03-merge-dialog');
  await pageA.getByTestId('merge-submit').click();

  // The console goes to the target, which now holds both conversations (a refused merge would say why).
  await pageA.waitForURL(new RegExp(`/tickets/${original.id}$`)).catch(async (err: unknown) => {
    const refused = pageA.getByTestId('merge-error');
    throw (await refused.count()) ? new Error(`merge refused: ${await refused.textContent()}`) : err;
  });
  await pageA.getByTestId('ticket-subject').filter({ hasText: original.subject }).waitFor();
  const timeline = pageA.getByTestId('timeline');
  await timeline.getByText('我的账单这个月多扣了 30 元，请核实。').waitFor();
  await timeline.getByText('上次说的多扣费的事，还没人回复我。').waitFor();
  await pageA.getByTestId('history-merged_from').getByText(`张伟 将工单 #${duplicate.number} 合并到本工单`).waitFor();
  await timeline.getByText(new RegExp(`工单 #${duplicate.number}「账单问题（重复来信）」已合并到本工单`)).waitFor();
  await e2e.shot(pageA, '04-merged-target');
  const target = await detail(original.id);
  assert.equal(target.messages.filter((m) => m.authorType === 'customer').length, 2);
  const source = await detail(duplicate.id);
  assert.equal(source.ticket.status, 'closed');
  assert.equal(source.ticket.mergedIntoId, original.id);
  assert.deepEqual(source.messages, []);

  // The source shows where its conversation went.
  await pageA.goto(`${e2e.baseUrl}/tickets/${duplicate.id}`);
  await pageA.getByTestId('merged-banner').filter({ hasText: `本工单已合并到工单 #${original.number}` }).waitFor();
  await pageA.getByTestId('history-merged_into').getByText(`张伟 将本工单合并到 #${original.number}`).waitFor();
  assert.equal(await pageA.getByTestId('ticket-merge').isDisabled(), true, 'a merged ticket cannot be merged again');
  await e2e.shot(pageA, '05-merged-source');
  await pageA.getByTestId('merged-target-link').click();
  await pageA.waitForURL(new RegExp(`/tickets/${original.id}$`));
});

test('a link between two tickets shows on both; following from the sidebar', { skip: skip ?? false }, async () => {
  const related = await newTicket('发票抬头需要修改', '请把发票抬头改成公司名称。');
  await pageA.goto(`${e2e.baseUrl}/tickets/${original.id}`);
  await pageA.getByTestId('ticket-subject').filter({ hasText: original.subject }).waitFor();
  await pageA.getByTestId('link-number').fill(`#${related.number}`);
  await pageA.getByTestId('link-add').click();
  await pageA.getByTestId(`link-${related.number}`).getByText(related.subject).waitFor();
  await pageA.getByTestId('history-linked').getByText(`张伟 关联了工单 #${related.number}`).waitFor();

  await pageA.getByTestId('ticket-follow').click();
  await pageA.getByTestId(`follower-${agentA.id}`).getByText('张伟（我）').waitFor();
  await pageA.getByTestId('ticket-unfollow').waitFor();
  await e2e.shot(pageA, '06-links-followers');

  await pageA.getByTestId(`link-${related.number}`).getByRole('link').click();
  await pageA.waitForURL(new RegExp(`/tickets/${related.id}$`));
  await pageA.getByTestId(`link-${original.number}`).getByText(original.subject).waitFor();
  const links = (await detail(related.id)).links;
  assert.deepEqual(links.map((l) => l.id), [original.id]);
  assert.deepEqual((await detail(original.id)).followers, [agentA.id]);
});
