/**
 * Website live chat in real browsers: a visitor on the demo company site (/widget-demo) chats with an
 * agent in the console; the agent sees the typing preview and the trail, transfers the chat to another
 * department's agent, who answers; the visitor rates the chat; the chat is a ticket with its whole history.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TicketDetail } from '../src/contracts/tickets.ts';
import { createAgent, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const LI = { email: 'li.lei@e2e.test', name: '李雷', password: 'agent-password-1' };
const HAN = { email: 'han.meimei@e2e.test', name: '韩梅梅', password: 'agent-password-2' };

let e2e: E2E;
let admin: Api;
let styleId: string;
let liPage: Page;
let hanPage: Page;
let visitor: Page;

before(async () => {
  if (skip) return;
  e2e = await startE2E('webchat');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const sales = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '售前咨询' })).body.id;
  const support = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '售后服务' })).body.id;
  await createAgent(e2e, admin, { ...LI, departmentIds: [sales] });
  await createAgent(e2e, admin, { ...HAN, departmentIds: [support] });
  const style = await admin<{ id: string; snippet: string }>('POST', '/api/v1/widget-styles', {
    name: '官网风格', themeColor: '#d4380d', greetingZh: '欢迎光临示例商城！', greetingEn: 'Welcome!', designatedDepartmentIds: [sales],
  });
  assert.equal(style.status, 201, JSON.stringify(style.body));
  styleId = style.body.id;
  liPage = (await e2e.newPage()).page;
  hanPage = (await e2e.newPage()).page;
  visitor = (await e2e.newPage()).page;
  await signIn(liPage, e2e.baseUrl, LI.email, LI.password);
  await signIn(hanPage, e2e.baseUrl, HAN.email, HAN.password);
});
after(async () => { await e2e?.close(); });

test('a visitor chats with an agent, is transferred to another department, rates the chat; the chat is a ticket with its history', { skip: skip ?? false }, async () => {
  for (const p of [liPage, hanPage]) {
    await p.getByTestId('nav-live-chat').click();
    await p.getByTestId('chat-empty').waitFor();
  }

  // The visitor browses two pages of the company site, then opens the widget on the second.
  await visitor.goto(`${e2e.baseUrl}/widget-demo?style=${styleId}&page=products`);
  await visitor.getByTestId('kefu-open').waitFor();
  await visitor.goto(`${e2e.baseUrl}/widget-demo?style=${styleId}&page=pricing`);
  await visitor.getByTestId('kefu-open').click();
  await visitor.getByText('欢迎光临示例商城！').waitFor();
  await visitor.getByTestId('kefu-input').fill('你好，我想咨询一下宽带套餐');
  await visitor.getByTestId('kefu-send').click();
  await visitor.getByTestId('kefu-status').filter({ hasText: '李雷' }).waitFor();
  await e2e.shot(visitor, 'visitor-chatting');

  // 李雷 gets the chat live, with the visitor's trail.
  await liPage.getByTestId('chat-lines').getByText('你好，我想咨询一下宽带套餐').waitFor();
  const trail = liPage.getByTestId('chat-trail');
  await trail.getByText('产品 - 示例商城 Demo shop').waitFor();
  await trail.getByText('价格 - 示例商城 Demo shop').waitFor();

  // 实时查看: what the visitor types shows before it is sent.
  await visitor.getByTestId('kefu-input').pressSequentially('我家在宁波', { delay: 80 });
  await liPage.getByTestId('chat-typing').filter({ hasText: '我家在宁波' }).waitFor();
  await e2e.shot(liPage, 'agent-typing-preview');
  await visitor.getByTestId('kefu-send').click();
  await liPage.getByTestId('chat-lines').getByText('我家在宁波').waitFor();

  await liPage.getByTestId('chat-input').fill('您好，我们有 100M 和 500M 两种套餐');
  await liPage.getByTestId('chat-send').click();
  await visitor.getByTestId('kefu-messages').getByText('您好，我们有 100M 和 500M 两种套餐').waitFor();

  // Transfer to the after-sales department: 韩梅梅 is the one online there.
  await liPage.getByTestId('chat-transfer').click();
  await liPage.getByTestId('transfer-dept-售后服务').click();
  await e2e.shot(liPage, 'transfer-dialog');
  await liPage.locator('#transfer-ok').click();
  await liPage.getByTestId('chat-empty').waitFor();
  await hanPage.getByTestId('chat-lines').getByText('你好，我想咨询一下宽带套餐').waitFor();
  await hanPage.getByTestId('chat-lines').getByText('您好，我们有 100M 和 500M 两种套餐').waitFor();
  await visitor.getByTestId('kefu-status').filter({ hasText: '韩梅梅' }).waitFor();
  await hanPage.getByTestId('chat-input').fill('我是售后韩梅梅，帮您办理');
  await hanPage.getByTestId('chat-send').click();
  await visitor.getByTestId('kefu-messages').getByText('我是售后韩梅梅，帮您办理').waitFor();

  // 韩梅梅 ends the chat; the visitor rates it.
  await hanPage.getByTestId('chat-end').click();
  await hanPage.getByTestId('chat-empty').waitFor();
  await visitor.getByTestId('kefu-rating').waitFor();
  await visitor.getByTestId('kefu-star-5').click();
  await visitor.getByTestId('kefu-rated').waitFor();
  await e2e.shot(visitor, 'visitor-rated');

  // The chat is a webchat ticket in the queue, with the whole conversation and the transfer in its history.
  const list = await admin<{ items: Array<{ id: string; channel: string }> }>('GET', '/api/v1/tickets?view=all');
  const chatTicket = list.body.items.find((t) => t.channel === 'webchat');
  assert.ok(chatTicket, JSON.stringify(list.body));
  const detail = (await admin<TicketDetail>('GET', `/api/v1/tickets/${chatTicket.id}`)).body;
  assert.deepEqual(detail.messages.map((m) => m.body), [
    '你好，我想咨询一下宽带套餐', '我家在宁波', '您好，我们有 100M 和 500M 两种套餐', '我是售后韩梅梅，帮您办理',
  ]);
  assert.match(JSON.stringify(detail.history), /forwarded/);
  assert.match(JSON.stringify(detail.history), /chat_rated/);
  await hanPage.goto(`${e2e.baseUrl}/tickets/${chatTicket.id}`);
  await hanPage.getByText('我是售后韩梅梅，帮您办理').first().waitFor();
  await hanPage.getByText('你好，我想咨询一下宽带套餐').first().waitFor();
});

test('the administrator sees the widget snippet and adds a public canned reply, which agents can insert', { skip: skip ?? false }, async () => {
  const { page } = await e2e.newPage();
  await signIn(page, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
  await page.getByTestId('nav-live-chat-settings').click();
  await page.getByTestId('styles-table').getByText('官网风格').waitFor();
  await page.getByTestId('style-snippet').filter({ hasText: `data-style="${styleId}"` }).waitFor();
  await page.getByRole('tab', { name: '常用语' }).click();
  await page.getByTestId('canned-create').click();
  await page.getByTestId('canned-category').fill('问候');
  await page.getByTestId('canned-title').fill('欢迎语');
  await page.getByTestId('canned-body').fill('您好，很高兴为您服务！');
  await page.locator('#canned-save').click();
  await page.getByTestId('canned-table').getByText('欢迎语').waitFor();
  await e2e.shot(page, 'admin-canned');
  const li = await e2e.api(LI.email, LI.password);
  const replies = await li<{ items: Array<{ title: string; body: string; scope: string }> }>('GET', '/api/v1/canned-replies');
  assert.deepEqual(replies.body.items.map((r) => [r.title, r.body, r.scope]), [['欢迎语', '您好，很高兴为您服务！', 'public']]);
});

test('a style with a pre-chat form: the visitor registers first, and the answers are on the chat ticket\'s customer card', { skip: skip ?? false }, async () => {
  const style = await admin<{ id: string }>('POST', '/api/v1/widget-styles', {
    name: '登记风格',
    preChatFields: [
      { key: 'name', labelZh: '姓名', labelEn: 'Name', kind: 'text', required: true },
      { key: 'phone', labelZh: '电话', labelEn: 'Phone', kind: 'phone', required: true },
    ],
  });
  const { page } = await e2e.newPage();
  await page.goto(`${e2e.baseUrl}/widget-demo?style=${style.body.id}`);
  await page.getByTestId('kefu-open').click();
  await page.getByTestId('kefu-prechat').waitFor();
  assert.equal(await page.getByTestId('kefu-input').isVisible(), false, 'the composer waits for the form');
  await page.getByTestId('kefu-field-name').fill('周先生');
  await page.getByTestId('kefu-prechat-submit').click();
  await page.getByTestId('kefu-prechat').getByRole('alert').filter({ hasText: /电话|Phone/ }).waitFor();
  await page.getByTestId('kefu-field-phone').fill('13900001111');
  await page.getByTestId('kefu-prechat-submit').click();
  await page.getByTestId('kefu-input').fill('登记后的第一句话');
  await page.getByTestId('kefu-send').click();
  await page.getByTestId('kefu-status').filter({ hasText: /李雷|韩梅梅/ }).waitFor();
  const list = await admin<{ items: Array<{ id: string; subject: string; customer: { name: string } | null }> }>('GET', '/api/v1/tickets?view=all');
  const ticket = list.body.items.find((t) => t.subject.includes('登记后的第一句话'));
  assert.equal(ticket?.customer?.name, '周先生', JSON.stringify(list.body.items.map((t) => [t.subject, t.customer])));
});
