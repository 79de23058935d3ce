/**
 * Answers flowing back into the knowledge base, in real browsers: on a ticket's page the sidebar
 * suggests articles for the ticket's text and one is inserted into the reply; once the ticket is
 * resolved, the agent saves its answer as an article with one click and lands in the draft, which the
 * knowledge base lists as a draft linked to the ticket.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAgent, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const LI = { email: 'li.lei@e2e.test', name: '李雷', password: 'agent-password-1' };

let e2e: E2E;
let admin: Api;
let li: Api;
let page: Page;
let ticketId: string;

before(async () => {
  if (skip) return;
  e2e = await startE2E('kb-flow');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const billing = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '财务' })).body.id;
  li = (await createAgent(e2e, admin, { ...LI, departmentIds: [billing] })).api;
  const a = await admin<{ id: string }>('POST', '/api/v1/kb/articles', { kind: 'faq', title: '发票抬头怎么修改', body: '<p>在订单详情点“申请换开”，填写新的抬头。</p>', visibility: 'public' });
  await admin('POST', `/api/v1/kb/articles/${a.body.id}/publish`);
  const t = await li<{ id: string }>('POST', '/api/v1/tickets', { subject: '发票抬头写错了', body: '我的发票抬头写错了，怎么修改？', customer: { name: '张三', email: 'zhang@example.com' }, departmentId: billing });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  ticketId = t.body.id;
  page = (await e2e.newPage()).page;
  await signIn(page, e2e.baseUrl, LI.email, LI.password);
});
after(async () => { await e2e?.close(); });

test('the ticket sidebar suggests an article to insert; a resolved ticket\'s answer becomes a draft article in one click', { skip: skip ?? false }, async () => {
  await page.goto(`${e2e.baseUrl}/tickets/${ticketId}`);
  const card = page.getByTestId('ticket-kb-card');
  const suggestion = card.getByTestId('ticket-kb-suggestion').filter({ hasText: '发票抬头怎么修改' });
  await suggestion.waitFor();
  assert.equal(await card.getByTestId('ticket-save-article').count(), 0, 'nothing to save before the ticket is resolved');
  await suggestion.getByTestId('ticket-kb-insert-text').click();
  const composer = page.getByTestId('composer-input');
  await page.waitForFunction(() => (document.querySelector('[data-testid="composer-input"]') as HTMLTextAreaElement | null)?.value.includes('申请换开'));
  await e2e.shot(page, 'ticket-suggestions');
  await composer.fill('您好，请在订单详情点“申请换开”，填写正确的抬头即可，3 个工作日内重开。');
  await page.getByTestId('composer-send').click();
  await page.getByTestId('timeline').getByText('3 个工作日内重开', { exact: false }).first().waitFor();
  assert.equal((await li('PATCH', `/api/v1/tickets/${ticketId}`, { status: 'resolved' })).status, 200);

  await page.reload();
  await card.getByTestId('ticket-save-article').click();
  // the agent lands in the draft, in the knowledge base
  await page.waitForURL(/\/kb/);
  const editor = page.getByTestId('kb-editor');
  await editor.waitFor();
  await page.waitForFunction(() => (document.querySelector('[data-testid="kb-title"]') as HTMLInputElement | null)?.value === '发票抬头写错了');
  await editor.getByTestId('kb-status').filter({ hasText: /草稿|Draft/ }).waitFor();
  await editor.getByTestId('kb-source-ticket').waitFor();
  assert.match(await page.locator('[data-testid="kb-body"]').inputValue(), /3 个工作日内重开/);
  await e2e.shot(page, 'draft-from-ticket');
  await page.keyboard.press('Escape');

  // the knowledge base lists it as a draft; the ticket's history records it
  const row = page.getByTestId('kb-articles').locator('tr', { hasText: '发票抬头写错了' });
  await row.getByText(/草稿|Draft/).waitFor();
  const detail = await li<{ history: Array<{ action: string }> }>('GET', `/api/v1/tickets/${ticketId}`);
  assert.ok(detail.body.history.some((h) => h.action === 'kb_article_saved'));
});
