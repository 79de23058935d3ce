/**
 * Email replies in the console: the admin sets a mailbox's outgoing server, signature and auto-reply
 * template in the mailbox settings; a customer's mail opens a ticket and gets the auto-reply; the agent
 * answers in the console and sees the reply become "sent" live, and it arrives in the customer's Dovecot
 * mailbox; with the SMTP server down the reply shows "failed" with the error, and "retry" sends it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import type { MailboxView } from '../src/contracts/email.ts';
import type { TicketView } from '../src/contracts/tickets.ts';
import { findDovecot, startDovecot, type DovecotServer } from '../src/testing/dovecot-server.ts';
import { MAILBOX_PASSWORD, newMessageId, rawMail } from '../src/testing/mail-fixtures.ts';
import { startSmtpRelay, type SmtpRelay } from '../src/testing/smtp-relay.ts';
import { signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason() ?? (findDovecot() ? null : '!!! SKIPPED: Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d): the email reply flow did not run !!!');
if (skip) console.log(`\n${skip}\n`);

const SUPPORT = 'help@e2e.test';
const CUSTOMER = 'zhou.min@customer.test';

let e2e: E2E;
let dovecot: DovecotServer;
let relay: SmtpRelay;
let admin: Api;
let page: Page;
let mailbox: MailboxView;

async function inbox(): Promise<Array<{ subject: string; text: string; autoSubmitted: string }>> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: CUSTOMER, pass: MAILBOX_PASSWORD }, logger: false });
  await client.connect();
  const out = [];
  const lock = await client.getMailboxLock('INBOX');
  try {
    if ((client.mailbox && typeof client.mailbox === 'object' ? client.mailbox.exists : 0) > 0) {
      for await (const m of client.fetch('1:*', { source: true })) {
        const mail = await simpleParser(m.source!);
        out.push({ subject: mail.subject ?? '', text: mail.text ?? '', autoSubmitted: String(mail.headers.get('auto-submitted') ?? '') });
      }
    }
  } finally {
    lock.release();
    await client.logout();
  }
  return out;
}

async function until<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  if (skip) return;
  dovecot = await startDovecot();
  dovecot.addUser(SUPPORT, MAILBOX_PASSWORD);
  dovecot.addUser(CUSTOMER, MAILBOX_PASSWORD);
  relay = await startSmtpRelay({ dovecot, deliverTo: (a) => a === CUSTOMER });
  e2e = await startE2E('email-reply');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const created = await admin<MailboxView>('POST', '/api/v1/mailboxes', {
    name: '售后邮箱', address: SUPPORT, protocol: 'imap', host: dovecot.host, port: dovecot.imapPort, tls: 'none', username: SUPPORT, password: MAILBOX_PASSWORD,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  mailbox = created.body;
  page = (await e2e.newPage()).page;
  await signIn(page, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
});
after(async () => { await e2e?.close(); await relay?.close(); await dovecot?.stop(); });

test('the admin sets the outgoing server, a signature and an auto-reply template', { skip: skip ?? false }, async () => {
  await page.goto(`${e2e.baseUrl}/admin/mailboxes`);
  await page.getByTestId(`mailbox-outbound-${SUPPORT}`).click();
  const drawer = page.getByTestId('mailbox-outbound');
  await drawer.getByText('使用该邮箱自己的 SMTP 服务器').click();
  await page.getByTestId('outbound-smtp-host').fill(relay.host);
  await page.getByTestId('outbound-smtp-port').fill(String(relay.port));
  await page.getByTestId('outbound-smtp-tls').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '不加密' }).click();
  await page.getByTestId('outbound-sender-name').fill('售后服务部');
  await page.getByTestId('outbound-tab-signature').click();
  await page.getByTestId('outbound-signature-zh').fill('—— 售后服务部 · 400-800-8888');
  await page.getByTestId('outbound-tab-auto-reply').click();
  await page.getByTestId('outbound-auto-reply-enabled').click();
  await page.getByTestId('outbound-auto-subject-zh').fill('已收到您的请求 [#{{number}}]');
  await page.getByTestId('outbound-auto-body-zh').fill('{{customer_name}}，您好：您的工单 #{{number}}「{{subject}}」已受理，我们会尽快回复。');
  await e2e.shot(page, '01-auto-reply-template');
  await page.getByTestId('outbound-save').click();
  await drawer.waitFor({ state: 'hidden' });
  await page.getByTestId(`mailbox-send-${SUPPORT}`).filter({ hasText: '自动回复已开启' }).waitFor();

  const saved = (await admin<MailboxView>('GET', `/api/v1/mailboxes/${mailbox.id}`)).body;
  assert.deepEqual(
    [saved.smtpMode, saved.smtpHost, saved.smtpPort, saved.smtpTls, saved.senderName, saved.autoReplyEnabled, saved.autoReplySubjectZh, saved.signatureZh],
    ['custom', relay.host, relay.port, 'none', '售后服务部', true, '已收到您的请求 [#{{number}}]', '—— 售后服务部 · 400-800-8888'],
  );
  // "test connection" checks the outgoing server too
  await page.getByTestId(`mailbox-test-${SUPPORT}`).click();
  await page.getByTestId('mailbox-notice').filter({ hasText: /发信：发信服务器 127\.0\.0\.1:\d+ 连接成功/ }).waitFor();
});

test('a customer\'s mail gets the auto-reply; the agent\'s answer becomes "sent" live and reaches the customer; a failed one is retried', { skip: skip ?? false }, async () => {
  const subject = '退款一直没有到账';
  dovecot.deliver(SUPPORT, rawMail({ from: `=?UTF-8?B?${Buffer.from('周敏').toString('base64')}?= <${CUSTOMER}>`, to: SUPPORT, subject, messageId: newMessageId(), body: '你好，上周申请的退款一直没有到账，请帮忙查一下。' }));
  assert.equal((await admin('POST', `/api/v1/mailboxes/${mailbox.id}/sync`)).status, 200);
  const ticket = await until(async () => (await admin<{ items: TicketView[] }>('GET', '/api/v1/tickets?view=all')).body.items.find((x) => x.subject === subject), 'the ticket');
  const auto = await until(async () => (await inbox()).find((m) => m.subject === `已收到您的请求 [#${ticket.number}]`), 'the auto-reply in the customer\'s mailbox');
  assert.equal(auto.autoSubmitted, 'auto-replied');
  assert.match(auto.text, new RegExp(`周敏，您好：您的工单 #${ticket.number}「${subject}」已受理`));

  await page.goto(`${e2e.baseUrl}/tickets/${ticket.id}`);
  // the customer's mail as formatted, in a sandboxed frame
  const customer = page.getByTestId('message-customer');
  await customer.getByTestId('message-formatted-toggle').click();
  const frame = customer.getByTestId('message-formatted-frame');
  assert.equal(await frame.getAttribute('sandbox'), '');
  await page.frameLocator('[data-testid="message-formatted-frame"]').getByText('上周申请的退款一直没有到账').waitFor();
  const system = page.getByTestId('message-system');
  await system.getByTestId('delivery-status').filter({ hasText: '已发送' }).waitFor();

  // the agent answers; the state comes live: 已发送
  await page.getByTestId('composer-input').fill('周女士您好，退款已重新提交，预计 3 个工作日内到账。');
  await page.getByTestId('composer-send').click();
  const reply = page.getByTestId('message-agent').last();
  await reply.getByTestId('delivery-status').filter({ hasText: '已发送' }).waitFor();
  await e2e.shot(page, '02-reply-sent');
  const got = await until(async () => (await inbox()).find((m) => m.subject === `Re: ${subject} [#${ticket.number}]`), 'the reply in the customer\'s mailbox');
  assert.match(got.text, /退款已重新提交[\s\S]*-- \n—— 售后服务部 · 400-800-8888/);

  // the outgoing server is down: 发送失败 with the error; back up, "retry" sends it
  await relay.stop();
  await page.getByTestId('composer-input').fill('补充：到账后请回复确认。');
  await page.getByTestId('composer-send').click();
  const second = page.getByTestId('message-agent').last();
  await second.getByTestId('delivery-status').filter({ hasText: '发送失败' }).waitFor();
  assert.match(await second.getByTestId('delivery-error').textContent() ?? '', /ECONNREFUSED/);
  await e2e.shot(page, '03-reply-failed');
  await relay.start();
  await second.getByTestId('delivery-retry').click();
  await second.getByTestId('delivery-status').filter({ hasText: '已发送' }).waitFor();
  await until(async () => (await inbox()).some((m) => m.text.includes('补充：到账后请回复确认。')), 'the retried reply in the customer\'s mailbox');
  await e2e.shot(page, '04-retried');
});
