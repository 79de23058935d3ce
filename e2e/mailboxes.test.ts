/**
 * Email intake in the console: the admin adds an IMAP mailbox pointing at a test Dovecot, "test
 * connection" says it works, a mail delivered to Dovecot shows up in the ticket queue (the node's
 * scheduler fetches it; "sync now" asks for it at once), the ticket shows the mail, and its original
 * source downloads byte for byte. A wrong password shows the server's reason.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { MailboxView } from '../src/contracts/email.ts';
import type { TicketView } from '../src/contracts/tickets.ts';
import { findDovecot, startDovecot, type DovecotServer } from '../src/testing/dovecot-server.ts';
import { MAILBOX_PASSWORD, newMessageId } from '../src/testing/mail-fixtures.ts';
import { choose, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason() ?? (findDovecot() ? null : '!!! SKIPPED: Dovecot is not installed (apt-get install dovecot-imapd dovecot-pop3d): the mailbox flow did not run !!!');
if (skip) console.log(`\n${skip}\n`);

const ADDRESS = 'kefu@e2e.test';

let e2e: E2E;
let dovecot: DovecotServer;
let admin: Api;
let page: Page;

before(async () => {
  if (skip) return;
  dovecot = await startDovecot();
  dovecot.addUser(ADDRESS, MAILBOX_PASSWORD);
  e2e = await startE2E('mailboxes');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  page = (await e2e.newPage()).page;
  await signIn(page, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
});
after(async () => { await e2e?.close(); await dovecot?.stop(); });

test('the admin connects a mailbox; a customer\'s mail becomes a ticket; the agent reads the original', { skip: skip ?? false }, async () => {
  await page.goto(`${e2e.baseUrl}/admin/mailboxes`);
  await page.getByTestId('page-title').filter({ hasText: '邮箱接入' }).waitFor();
  await page.getByTestId('mailbox-create').click();
  await page.getByTestId('mailbox-name').fill('客服邮箱');
  await page.getByTestId('mailbox-address').fill(ADDRESS);
  await page.getByTestId('mailbox-host').fill(dovecot.host);
  await page.getByTestId('mailbox-port').fill(String(dovecot.imapPort));
  await choose(page, 'mailbox-tls', '不加密');
  await page.getByTestId('mailbox-password').fill(MAILBOX_PASSWORD);
  await e2e.shot(page, '01-add-mailbox');
  await page.getByTestId('mailbox-save').click();
  await page.getByTestId(`mailbox-test-${ADDRESS}`).waitFor();
  const [saved] = (await admin<{ items: MailboxView[] }>('GET', '/api/v1/mailboxes')).body.items;
  assert.deepEqual([saved.protocol, saved.host, saved.port, saved.tls, saved.hasPassword], ['imap', dovecot.host, dovecot.imapPort, 'none', true]);

  // Test connection: OK, with what is in the folder.
  await page.getByTestId(`mailbox-test-${ADDRESS}`).click();
  await page.getByTestId('mailbox-notice').filter({ hasText: '测试连接（客服邮箱）：连接成功（INBOX 中有 0 封邮件）' }).waitFor();
  await e2e.shot(page, '02-test-ok');

  // A customer writes; the node fetches it (IDLE, or right away after "sync now").
  const subject = '光猫 LOS 灯红色闪烁';
  dovecot.deliver(ADDRESS, Buffer.from([
    'From: =?UTF-8?B?6ZmI5aWz5aOr?= <chen.li@customer.test>', `To: ${ADDRESS}`, `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Message-ID: ${newMessageId()}`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=UTF-8', '',
    '<p>你好，家里的宽带从昨晚开始连不上，<b>光猫</b> LOS 灯一直红色闪烁。</p><script>alert("x")</script>', '',
  ].join('\r\n')));
  await page.getByTestId(`mailbox-sync-now-${ADDRESS}`).click();
  await page.getByTestId('mailbox-notice').filter({ hasText: /同步完成|已通知其立即同步/ }).waitFor();
  let ticket: TicketView | undefined;
  for (let i = 0; i < 100 && !ticket; i++) {
    ticket = (await admin<{ items: TicketView[] }>('GET', '/api/v1/tickets?view=all')).body.items.find((x) => x.subject === subject);
    if (!ticket) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(ticket, 'the mail became a ticket');
  await page.reload();
  await page.getByTestId(`mailbox-sync-${ADDRESS}`).filter({ hasText: '正常' }).waitFor();
  assert.match(await page.getByTestId(`mailbox-sync-${ADDRESS}`).textContent() ?? '', /已建单\/回复 1/);
  await e2e.shot(page, '03-synced');

  // In the queue, then open it: the mail as text, its channel, and the original source.
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('view-unassigned').click();
  const row = page.getByTestId(`ticket-row-${ticket!.number}`);
  await row.getByText(subject).waitFor();
  assert.match(await row.textContent() ?? '', /陈女士/);
  await e2e.shot(page, '04-queue');
  await row.click();
  await page.getByTestId('ticket-subject').filter({ hasText: subject }).waitFor();
  const message = page.getByTestId('message-customer');
  const body = await message.getByTestId('message-body').textContent() ?? '';
  assert.match(body, /家里的宽带从昨晚开始连不上，光猫 LOS 灯一直红色闪烁。/);
  assert.doesNotMatch(body, /alert|<script|<b>/);
  assert.equal(await message.locator('script, b').count(), 0);
  await e2e.shot(page, '05-ticket');
  const [download] = await Promise.all([page.waitForEvent('download'), message.getByTestId('message-view-original').click()]);
  const raw = fs.readFileSync(await download.path());
  assert.ok(raw.includes(Buffer.from(`Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`)), 'the original headers');
  assert.ok(raw.includes(Buffer.from('<script>alert("x")</script>')), 'the original, unsanitized source (as a download, never rendered)');
  assert.match(download.suggestedFilename(), /^message-.*\.eml$/);
});

test('a wrong password is shown with the server\'s reason, in the list too', { skip: skip ?? false }, async () => {
  await page.goto(`${e2e.baseUrl}/admin/mailboxes`);
  await page.getByTestId(`mailbox-edit-${ADDRESS}`).click();
  await page.getByTestId('mailbox-password').fill('not-the-password');
  await page.getByTestId('mailbox-save').click();
  await page.getByTestId('mailbox-save').waitFor({ state: 'hidden' });
  await page.getByTestId(`mailbox-test-${ADDRESS}`).click();
  await page.getByTestId('mailbox-notice').filter({ hasText: /登录失败：用户名或密码不正确/ }).waitFor();
  // the next fetch (this one, or the node's own right after the change) fails and says why
  await page.getByTestId(`mailbox-sync-now-${ADDRESS}`).click();
  const error = page.getByTestId(`mailbox-sync-${ADDRESS}`).getByTestId('mailbox-error').filter({ hasText: /^auth_failed: / });
  for (let i = 0; i < 50 && !(await error.count()); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
    await page.getByTestId(`mailbox-sync-${ADDRESS}`).waitFor();
  }
  await error.waitFor();
  await e2e.shot(page, '06-auth-failed');
});
