/**
 * Automation in the admin center: an administrator writes two keyword rules in the rule editor (one
 * Chinese, one English); tickets that arrive afterwards land in the matching department, as the queue
 * and the ticket page show.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RuleView } from '../src/contracts/automation.ts';
import type { TicketDetail, TicketView } from '../src/contracts/tickets.ts';
import { choose, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

let e2e: E2E;
let admin: Api;
let page: Page;
const dept: Record<string, string> = {};

before(async () => {
  if (skip) return;
  e2e = await startE2E('rules');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  for (const name of ['网络支持部', '财务部', '综合服务部']) dept[name] = (await admin<{ id: string }>('POST', '/api/v1/departments', { name })).body.id;
  page = (await e2e.newPage()).page;
  await signIn(page, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
});
after(async () => { await e2e?.close(); });

/** Types keywords into a tags input, each followed by Enter. */
async function keywords(testId: string, words: string[]) {
  await page.getByTestId(testId).click();
  for (const w of words) {
    await page.keyboard.type(w);
    await page.keyboard.press('Enter');
  }
  for (const w of words) await page.getByTestId(testId).getByTitle(w, { exact: true }).waitFor();
}

async function writeRule(name: string, words: string[], department: string) {
  await page.getByTestId('rule-create').click();
  await page.getByTestId('rule-name').fill(name);
  await keywords('cond-value-0', words);
  await choose(page, 'action-department-0', department);
  await e2e.shot(page, `rule-${department}`);
  await page.getByTestId('rule-save').click();
  await page.getByTestId('rules-table').getByText(name, { exact: true }).waitFor();
}

test('keyword rules written in the rule editor route new tickets to their departments', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-automation').click();
  await page.getByTestId('page-title').filter({ hasText: '自动化规则' }).waitFor();
  await writeRule('宽带故障转网络支持部', ['宽带', '断网'], '网络支持部');
  await writeRule('Refunds to billing', ['refund', '退款'], '财务部');
  await e2e.shot(page, '01-rules');

  const rules = (await admin<{ items: RuleView[] }>('GET', '/api/v1/automation-rules')).body.items;
  const broadband = rules.find((r) => r.name === '宽带故障转网络支持部');
  assert.ok(broadband);
  assert.equal(broadband.trigger, 'ticket.created');
  assert.deepEqual(broadband.conditions, { any: [{ field: 'text', op: 'contains_any', value: ['宽带', '断网'] }] });
  assert.deepEqual(broadband.actions, [{ type: 'route_department', departmentId: dept['网络支持部'] }]);
  const refunds = rules.find((r) => r.name === 'Refunds to billing');
  assert.deepEqual(refunds?.conditions.any?.[0]?.value, ['refund', '退款']);

  // Tickets arrive in the general department; the rules move the matching ones.
  const make = async (subject: string, body: string) => {
    const res = await admin<TicketView>('POST', '/api/v1/tickets', { subject, body, channel: 'email', departmentId: dept['综合服务部'], customer: { name: '客户', email: `c${Math.random().toString(36).slice(2, 8)}@example.com` } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const cn = await make('家里又断网了', '光猫灯一直闪，麻烦尽快派人看看');
  const en = await make('Order #8812', 'Hello, I would like a REFUND for my order, the item arrived broken.');
  const other = await make('表扬一下客服小王', '服务很好，谢谢');
  await e2e.drain();

  const departmentOf = async (id: string) => (await admin<TicketDetail>('GET', `/api/v1/tickets/${id}`)).body.ticket.departmentId;
  assert.equal(await departmentOf(cn.id), dept['网络支持部']);
  assert.equal(await departmentOf(en.id), dept['财务部']);
  assert.equal(await departmentOf(other.id), dept['综合服务部']);

  // The queue shows where each ticket went.
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('view-all').click();
  const row = (t: TicketView) => page.getByTestId(`ticket-row-${t.number}`);
  await row(cn).getByText('网络支持部').waitFor();
  await row(en).getByText('财务部').waitFor();
  await row(other).getByText('综合服务部').waitFor();
  await e2e.shot(page, '02-queue-routed');

  // The ticket page records the move and the rule that made it.
  await row(cn).click();
  await page.getByTestId('ticket-department').filter({ hasText: '网络支持部' }).waitFor();
  await page.getByTestId('history-forwarded').getByText(/转交至 网络支持部/).waitFor();
  assert.match(await page.getByTestId('history-forwarded').getByTestId('history-reason').textContent() ?? '', /宽带故障转网络支持部/);
  await e2e.shot(page, '03-ticket-routed');
});
