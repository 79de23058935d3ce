/**
 * The inbound pipeline end to end against a real Dovecot: mail delivered through dovecot-lda, fetched
 * over IMAP by "sync now", turned into tickets and replies through the API the console uses.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { messages } from '../../modules/tickets/tickets.schema.ts';
import { dovecotOrSkip, type DovecotServer } from '../../testing/dovecot-server.ts';
import { bounceMail, dovecotMailbox, gb2312Mail, MAILBOX_PASSWORD, newMessageId, rawMail } from '../../testing/mail-fixtures.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/chat-sockets.ts';
import { inboundMails, mailboxes, outboundMails } from './email.schema.ts';

const ADDRESS = 'support@acme.test';

describe('inbound mail pipeline (real Dovecot, IMAP)', () => {
  let dovecot: DovecotServer | null = null;
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let mailboxId: string;
  let departmentId: string;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
  });
  after(async () => { await srv?.close(); await dovecot?.stop(); });

  const sync = async () => {
    const res = await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { done: boolean; stored: number; mailbox: { lastSyncState: string; lastError: string | null; counts: Record<string, number> } };
  };
  const tickets = async () => (await admin.get('/api/v1/tickets?view=all&limit=200')).json().items as Array<{ id: string; number: number; subject: string; channel: string; departmentId: string | null; customer: { name: string; email: string } }>;
  const detail = async (id: string) => (await admin.get(`/api/v1/tickets/${id}`)).json();
  const inbound = (status?: string) => srv.database.db.select().from(inboundMails).where(status ? eq(inboundMails.status, status) : undefined);

  it('sets up: a mailbox on the test Dovecot with a default department', async (t) => {
    dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    dovecot.addUser(ADDRESS, MAILBOX_PASSWORD);
    departmentId = (await admin.post('/api/v1/departments', { name: '宽带支持' })).json().id;
    const res = await admin.post('/api/v1/mailboxes', dovecotMailbox(dovecot, 'imap', ADDRESS, { departmentId }));
    assert.equal(res.statusCode, 201, res.body);
    mailboxId = res.json().id;
    assert.equal(res.json().hasPassword, true);
    assert.equal(res.json().password, undefined, 'the password is never returned');
  });

  it('a GB2312 mail with a Chinese subject becomes a ticket in the mailbox\'s department', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const id = newMessageId('163.test');
    dovecot.deliver(ADDRESS, gb2312Mail(id));
    const s = await sync();
    assert.equal(s.done, true);
    assert.equal(s.stored, 1);
    assert.equal(s.mailbox.lastSyncState, 'ok');
    const [ticket] = await tickets();
    assert.equal(ticket.subject, '宽带无法上网');
    assert.equal(ticket.channel, 'email');
    assert.equal(ticket.departmentId, departmentId);
    assert.equal(ticket.customer.name, '张三');
    assert.equal(ticket.customer.email, 'zhangsan@163.test');
    const d = await detail(ticket.id);
    assert.equal(d.messages.length, 1);
    assert.equal(d.messages[0].body, '您好，我家的宽带从昨天开始无法上网，请尽快处理。');
    assert.equal(d.messages[0].channel, 'email');
    const [row] = await inbound('ingested');
    assert.equal(row.rfcMessageId, id);
    assert.equal(row.ticketId, ticket.id);
    assert.equal(row.fromAddress, 'zhangsan@163.test');
  });

  it('a customer\'s reply with In-Reply-To threads into its ticket, with the quoted history folded away', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const first = newMessageId();
    dovecot.deliver(ADDRESS, rawMail({ subject: 'Refund for order 778', messageId: first, body: 'I would like a refund for order 778.' }));
    await sync();
    const ticket = (await tickets()).find((x) => x.subject === 'Refund for order 778')!;
    const before = (await tickets()).length;
    dovecot.deliver(ADDRESS, rawMail({
      subject: 'Re: Refund for order 778', inReplyTo: first, references: [first],
      body: 'Any news on this?\n\nOn Mon, 3 Mar 2025 at 10:00, Li Lei <lilei@customer.test> wrote:\n> I would like a refund for order 778.',
    }));
    const s = await sync();
    assert.equal(s.stored, 1);
    assert.equal((await tickets()).length, before, 'no new ticket');
    const d = await detail(ticket.id);
    assert.deepEqual(d.messages.map((m: { body: string }) => m.body), ['I would like a refund for order 778.', 'Any news on this?']);
  });

  it('[#number] in the subject threads into that ticket of the same customer (not someone else\'s)', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    dovecot.deliver(ADDRESS, rawMail({ subject: 'Router blinking red', body: 'The router blinks red.' }));
    await sync();
    const ticket = (await tickets()).find((x) => x.subject === 'Router blinking red')!;
    const count = (await tickets()).length;
    dovecot.deliver(ADDRESS, rawMail({ subject: `回复：[工单 #${ticket.number}] Router blinking red`, messageId: newMessageId(), body: 'Still red this morning.' }));
    // a stranger naming the same number opens a ticket of their own
    dovecot.deliver(ADDRESS, rawMail({ from: 'mallory@evil.test', subject: `Re: [#${ticket.number}] hello`, body: 'let me in' }));
    await sync();
    const d = await detail(ticket.id);
    assert.deepEqual(d.messages.map((m: { body: string }) => m.body), ['The router blinks red.', 'Still red this morning.']);
    const after = await tickets();
    assert.equal(after.length, count + 1);
    assert.ok(after.some((x) => x.customer?.email === 'mallory@evil.test'));
  });

  it('a reply whose References name an agent\'s sent message threads too', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    dovecot.deliver(ADDRESS, rawMail({ from: 'hanmeimei@customer.test', subject: 'Wrong invoice title', body: 'The title on my invoice is wrong.' }));
    await sync();
    const ticket = (await tickets()).find((x) => x.subject === 'Wrong invoice title')!;
    const reply = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'Which title should it be?' });
    // the outbound side queues the reply for sending and stores its Message-ID on the message
    const sent = await waitFor(async () => (await srv.database.db.select({ id: outboundMails.rfcMessageId }).from(outboundMails)
      .where(eq(outboundMails.messageId, reply.json().id)))[0]?.id, 'the reply queued for sending');
    const [stored] = await srv.database.db.select({ externalId: messages.externalId }).from(messages).where(eq(messages.id, reply.json().id));
    assert.equal(stored.externalId, sent);
    dovecot.deliver(ADDRESS, rawMail({ from: 'hanmeimei@customer.test', subject: 'Re: Your ticket', references: ['<older@elsewhere.test>', sent], body: 'Acme Trading Ltd.' }));
    await sync();
    const d = await detail(ticket.id);
    assert.deepEqual(d.messages.map((m: { body: string; authorType: string }) => `${m.authorType}: ${m.body}`),
      ['customer: The title on my invoice is wrong.', 'agent: Which title should it be?', 'customer: Acme Trading Ltd.']);
    assert.equal(d.ticket.status, 'open', 'the customer\'s answer reopens the pending ticket');
  });

  it('a bounce and an auto-reply create no ticket; they are kept and linked to the ticket they concern', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    dovecot.deliver(ADDRESS, rawMail({ from: 'wei@customer.test', subject: 'Password reset', body: 'I cannot reset my password.' }));
    await sync();
    const ticket = (await tickets()).find((x) => x.subject === 'Password reset')!;
    const [first] = await srv.database.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    const count = (await tickets()).length;
    dovecot.deliver(ADDRESS, bounceMail(first.externalId!, 'wei@customer.test'));
    dovecot.deliver(ADDRESS, rawMail({
      from: 'wei@customer.test', subject: `Out of office: Re: [#${ticket.number}] Password reset`, inReplyTo: first.externalId!,
      headers: ['Auto-Submitted: auto-replied', 'X-Autoreply: yes'], body: 'I am on holiday until Monday.',
    }));
    const s = await sync();
    assert.equal(s.stored, 2);
    assert.equal((await tickets()).length, count, 'no ticket for machine mail');
    assert.equal((await detail(ticket.id)).messages.length, 1, 'not added to the ticket either');
    const ignored = await inbound('ignored_auto');
    assert.equal(ignored.length, 2);
    assert.deepEqual(ignored.map((r) => r.ticketId), [ticket.id, ticket.id]);
    assert.ok(ignored.some((r) => /^bounce: .*failed: wei@customer\.test/.test(r.reason ?? '')), JSON.stringify(ignored.map((r) => r.reason)));
    assert.ok(ignored.some((r) => /^auto_reply: /.test(r.reason ?? '')));
    assert.equal(s.mailbox.counts.ignoredAuto, 2);
  });

  it('attachments and inline images are kept on the message', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const b = 'mix-1';
    dovecot.deliver(ADDRESS, Buffer.from([
      'From: Qian <qian@customer.test>', `To: ${ADDRESS}`, 'Subject: Screenshot of the error', `Message-ID: ${newMessageId()}`, 'MIME-Version: 1.0',
      `Content-Type: multipart/related; boundary="${b}"`, '',
      `--${b}`, 'Content-Type: text/html; charset=utf-8', '', '<p>See the error: <img src="cid:shot@x"></p><script>alert(1)</script>', '',
      `--${b}`, 'Content-Type: image/png', 'Content-ID: <shot@x>', 'Content-Transfer-Encoding: base64', '', png.toString('base64'), '',
      `--${b}`, 'Content-Type: text/plain; name="=?UTF-8?B?5pel5b+XLnR4dA==?="', 'Content-Disposition: attachment; filename="=?UTF-8?B?5pel5b+XLnR4dA==?="', '', 'error log line', '',
      `--${b}--`, '',
    ].join('\r\n')));
    await sync();
    const ticket = (await tickets()).find((x) => x.subject === 'Screenshot of the error')!;
    const [m] = (await detail(ticket.id)).messages;
    assert.match(m.body, /See the error/);
    assert.doesNotMatch(m.body, /alert|<script/);
    const files = m.attachments.map((a: { filename: string; contentType: string; size: number }) => `${a.filename} ${a.contentType} ${a.size}`).sort();
    assert.deepEqual(files, [`image.png image/png ${png.length}`, '日志.txt text/plain 16']);
  });

  it('the original source is there for staff who may see contact details, byte for byte; refused for others; 404 across companies', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const ticket = (await tickets()).find((x) => x.subject === '宽带无法上网')!;
    const [m] = (await detail(ticket.id)).messages;
    const res = await admin.get(`/api/v1/tickets/${ticket.id}/messages/${m.id}/raw`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="message-[0-9a-f-]+\.eml"$/);
    const [row] = await srv.database.db.select().from(inboundMails).where(eq(inboundMails.messageId, m.id));
    assert.ok(res.rawPayload.equals(row.raw), 'the bytes as stored');
    assert.ok(res.rawPayload.includes(Buffer.from('Subject: =?GB2312?B?v+20+M7et6jJz834?=')), 'the original headers, undecoded');

    const agent = await acme.agent('agent@acme.test', { departmentIds: [departmentId] });
    const seen = await agent.get(`/api/v1/tickets/${ticket.id}`);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().ticket.customer.email, 'z***@163.test', 'masked for an agent');
    const refused = await agent.get(`/api/v1/tickets/${ticket.id}/messages/${m.id}/raw`);
    assert.equal(refused.statusCode, 403);
    assert.doesNotMatch(refused.body, /zhangsan/);

    const globex = await (await srv.tenant('globex')).admin();
    const foreign = await globex.get(`/api/v1/tickets/${ticket.id}/messages/${m.id}/raw`);
    assert.equal(foreign.statusCode, 404);
    // a message of another ticket is not this ticket's source
    const other = (await tickets()).find((x) => x.subject === 'Password reset')!;
    assert.equal((await admin.get(`/api/v1/tickets/${other.id}/messages/${m.id}/raw`)).statusCode, 404);
    // a message typed by an agent has no source
    const note = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'checking', visibility: 'internal' });
    assert.equal((await admin.get(`/api/v1/tickets/${ticket.id}/messages/${note.json().id}/raw`)).statusCode, 404);
  });

  it('a mail that cannot be read is rejected with its reason and never blocks the ones after it', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    dovecot.deliver(ADDRESS, Buffer.from(`To: ${ADDRESS}\r\nSubject: nobody sent this\r\nMessage-ID: ${newMessageId()}\r\n\r\nno From, no Sender, no Reply-To\r\n`));
    dovecot.deliver(ADDRESS, rawMail({ subject: 'After the bad one', body: 'still arrives' }));
    await sync();
    const rejected = await inbound('rejected');
    assert.equal(rejected.length, 1);
    assert.match(rejected[0].reason ?? '', /^no_sender/);
    assert.ok((await tickets()).some((x) => x.subject === 'After the bad one'));
  });

  it('re-fetching everything (cursor reset, or a new UIDVALIDITY) creates nothing new', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const ticketsBefore = (await tickets()).length;
    const [{ n: messagesBefore }] = await queryRows<{ n: number }>(srv.database.db, sql`select count(*)::int as n from messages`);
    const [{ n: rowsBefore }] = await queryRows<{ n: number }>(srv.database.db, sql`select count(*)::int as n from inbound_mails`);
    const ingestedBefore = (await inbound('ingested')).length;
    const [m] = await srv.database.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
    // the same UID space from the start: every UID is already stored
    await srv.database.db.update(mailboxes).set({ cursor: { uidValidity: m.cursor.uidValidity, lastUid: 0 } }).where(eq(mailboxes.id, mailboxId));
    assert.equal((await sync()).stored, 0);
    const [{ n: rowsSame }] = await queryRows<{ n: number }>(srv.database.db, sql`select count(*)::int as n from inbound_mails`);
    assert.equal(rowsSame, rowsBefore);
    // the folder rebuilt on the server (new UIDVALIDITY, new UIDs): every mail is fetched again, and dropped by Message-ID
    await new Promise((r) => setTimeout(r, 1100)); // Dovecot's new UIDVALIDITY is the current second
    dovecot.resetUidValidity(ADDRESS);
    const again = await sync();
    const [moved] = await srv.database.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
    assert.notEqual(moved.cursor.uidValidity, m.cursor.uidValidity);
    assert.equal(again.stored, rowsBefore, 'fetched again under the new validity');
    assert.equal((await tickets()).length, ticketsBefore);
    const [{ n: messagesAfter }] = await queryRows<{ n: number }>(srv.database.db, sql`select count(*)::int as n from messages`);
    assert.equal(messagesAfter, messagesBefore);
    const dups = await srv.database.db.select().from(inboundMails).where(and(eq(inboundMails.mailboxId, mailboxId), eq(inboundMails.status, 'duplicate')));
    // every mail that became a message is a duplicate now; machine mail is ignored again, the sender-less one rejected again
    assert.equal(dups.length, ingestedBefore);
    assert.equal((await inbound('ingested')).length, ingestedBefore);
    assert.equal(again.mailbox.counts.pending, 0);
  });
});
