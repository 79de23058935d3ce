/**
 * The outgoing half of the email channel against real servers: an agent's reply leaves through the
 * mailbox's SMTP server (a local relay that hands every mail to Dovecot, as an MTA would) and arrives in
 * the customer's Dovecot mailbox with the thread's headers, the signature, the attachment and a DKIM
 * signature; the customer's answer to it threads back into the same ticket; a relay that is down makes
 * the mail fail with the error and be retried; a redelivered job does not send twice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { and, eq, sql } from 'drizzle-orm';
import { dovecotOrSkip, type DovecotServer } from '../../testing/dovecot-server.ts';
import { bounceMail, dovecotMailbox, MAILBOX_PASSWORD, newMessageId, rawMail } from '../../testing/mail-fixtures.ts';
import { multipart } from '../../testing/multipart.ts';
import { startSmtpRelay, type SmtpRelay } from '../../testing/smtp-relay.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { messages } from '../../modules/tickets/tickets.schema.ts';
import { queryRows } from '../../db/client.ts';
import { outboundMails } from './email.schema.ts';
import { sendOutbound } from './send-queue.ts';

const SUPPORT = 'support@acme.test';
const CUSTOMER = 'lilei@customer.test';
const HANMEI = 'hanmei@customer.test';
const SELECTOR = 'kefu2026';

/** The customer's INBOX as their mail client reads it: every message, parsed. */
async function customerInbox(dovecot: DovecotServer, address = CUSTOMER) {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: address, pass: MAILBOX_PASSWORD }, logger: false });
  await client.connect();
  const out = [];
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      for await (const m of client.fetch('1:*', { source: true })) out.push({ raw: m.source!.toString('utf8'), mail: await simpleParser(m.source!) });
    } catch (err) {
      if (!/nothing to fetch|Invalid messageset/i.test(String(err))) throw err;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
  return out;
}

/** The value of one DKIM-Signature tag (d=, s=, bh= …) in a raw header block. */
function dkimTag(raw: string, tag: string): string | undefined {
  const header = /^DKIM-Signature:((?:.*)(?:\r?\n[ \t].*)*)/im.exec(raw)?.[1].replace(/\r?\n[ \t]+/g, ' ');
  return header ? new RegExp(`(?:^|;)\\s*${tag}=([^;]+)`).exec(header)?.[1].trim() : undefined;
}

describe('outgoing email (real SMTP relay → Dovecot)', () => {
  let dovecot: DovecotServer | null = null;
  let relay: SmtpRelay;
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let mailboxId: string;
  let ticketId: string;
  let ticketNumber: number;
  let firstInbound: string;
  let replyMessageId: string;
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
  });
  after(async () => { await relay?.close(); await srv?.close(); await dovecot?.stop(); });

  const sync = async () => {
    const res = await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`);
    assert.equal(res.statusCode, 200, res.body);
    await srv.drain();
  };
  const deliveries = async (id = ticketId) => {
    const res = await admin.get(`/api/v1/tickets/${id}/deliveries`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items as Array<{ messageId: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: string | null; bounceReason: string | null; rfcMessageId: string; kind: string; toAddress: string | null }>;
  };
  const replyWith = async (body: string, attachmentIds: string[] = []) => {
    const res = await admin.post(`/api/v1/tickets/${ticketId}/messages`, { body, visibility: 'public', attachmentIds });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as string;
  };

  it('an agent\'s reply reaches the customer\'s mailbox with Message-ID, In-Reply-To, References, [#n], signature, attachment and DKIM', async (t) => {
    dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    dovecot.addUser(SUPPORT, MAILBOX_PASSWORD);
    dovecot.addUser(CUSTOMER, MAILBOX_PASSWORD);
    dovecot.addUser(HANMEI, MAILBOX_PASSWORD);
    relay = await startSmtpRelay({ dovecot, deliverTo: (a) => [CUSTOMER, SUPPORT, HANMEI].includes(a) });

    const created = await admin.post('/api/v1/mailboxes', {
      ...dovecotMailbox(dovecot, 'imap', SUPPORT), name: 'Support',
      smtpMode: 'custom', smtpHost: relay.host, smtpPort: relay.port, smtpTls: 'none', smtpUsername: 'relay-user', smtpPassword: 'relay-pass',
      senderName: 'Acme 客服', dkimDomain: 'acme.test', dkimSelector: SELECTOR, dkimPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
      signatureEn: 'Acme Support · +86 21 5555 0100', signatureZh: 'Acme 客服中心',
    });
    assert.equal(created.statusCode, 201, created.body);
    const view = created.json();
    mailboxId = view.id;
    // secrets are never returned, only whether they are set
    assert.equal(view.hasSmtpPassword, true);
    assert.equal(view.hasDkimKey, true);
    assert.ok(!('smtpPassword' in view) && !('dkimPrivateKey' in view) && !created.body.includes('PRIVATE KEY'));

    // test connection checks both sides
    const check = (await admin.post(`/api/v1/mailboxes/${mailboxId}/test`)).json();
    assert.equal(check.ok, true, check.message);
    assert.equal(check.smtp.ok, true, check.smtp.message);
    assert.deepEqual(relay.logins, ['relay-user']);

    firstInbound = newMessageId();
    dovecot.deliver(SUPPORT, rawMail({ from: `"Li Lei" <${CUSTOMER}>`, to: SUPPORT, subject: 'Parcel 1234 missing', messageId: firstInbound, body: 'My parcel never arrived.' }));
    await sync();
    const list = (await admin.get('/api/v1/tickets?view=all')).json();
    assert.equal(list.total, 1);
    ticketId = list.items[0].id;
    ticketNumber = list.items[0].number;

    const { payload, headers } = multipart([{ filename: '运单.txt', content: 'tracking: SF1234567890', contentType: 'text/plain' }]);
    const up = await admin.request('POST', `/api/v1/tickets/${ticketId}/attachments`, payload, headers);
    assert.equal(up.statusCode, 201, up.body);
    replyMessageId = await replyWith('Sorry about that: your parcel ships again today.', up.json().items.map((i: { id: string }) => i.id));
    await srv.drain();

    const [d] = await deliveries();
    assert.equal(d.status, 'sent', d.lastError ?? '');
    assert.equal(d.kind, 'reply');
    assert.equal(d.toAddress, CUSTOMER);
    const [stored] = await srv.database.db.select().from(messages).where(eq(messages.id, replyMessageId));
    assert.equal(stored.externalId, d.rfcMessageId, 'the Message-ID is the message\'s externalId');
    assert.match(d.rfcMessageId, /^<[^@<>]+@acme\.test>$/);

    const inbox = await customerInbox(dovecot);
    assert.equal(inbox.length, 1);
    const { raw, mail } = inbox[0];
    assert.equal(`<${mail.messageId?.replace(/^<|>$/g, '')}>`, d.rfcMessageId);
    assert.equal(mail.inReplyTo, firstInbound);
    assert.deepEqual([mail.references].flat(), [firstInbound]);
    assert.equal(mail.subject, `Re: Parcel 1234 missing [#${ticketNumber}]`);
    assert.equal(mail.from?.value[0].address, SUPPORT);
    assert.equal(mail.from?.value[0].name, 'Acme 客服');
    assert.match(mail.text ?? '', /your parcel ships again today\.\n\n-- \nAcme Support · \+86 21 5555 0100/);
    assert.equal(mail.headers.get('auto-submitted'), 'no');
    assert.deepEqual(mail.attachments.map((a) => [a.filename, a.content.toString()]), [['运单.txt', 'tracking: SF1234567890']]);
    assert.equal(dkimTag(raw, 'd'), 'acme.test');
    assert.equal(dkimTag(raw, 's'), SELECTOR);
    // the signature verifies with the public key (headers as signed, relaxed canonicalization)
    assert.ok(verifyDkim(raw, publicKey), 'DKIM signature verifies');
    assert.ok(!verifyDkim(raw.replace('ships again', 'ships never'), publicKey), 'a changed body does not verify');
  });

  it('the customer\'s answer to our reply threads into the same ticket', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const [d] = await deliveries();
    dovecot.deliver(SUPPORT, rawMail({
      from: `"Li Lei" <${CUSTOMER}>`, to: SUPPORT, subject: `Re: Parcel 1234 missing [#${ticketNumber}]`,
      inReplyTo: d.rfcMessageId, references: [firstInbound, d.rfcMessageId], body: 'Thanks, got the tracking number.',
    }));
    await sync();
    const list = (await admin.get('/api/v1/tickets?view=all')).json();
    assert.equal(list.total, 1, 'no second ticket');
    const detail = (await admin.get(`/api/v1/tickets/${ticketId}`)).json();
    assert.deepEqual(detail.messages.map((m: { authorType: string }) => m.authorType), ['customer', 'agent', 'customer']);

    // the next reply answers the newest customer mail and carries the whole chain
    await replyWith('Glad it arrived.');
    await srv.drain();
    const inbox = await customerInbox(dovecot);
    const second = inbox[1].mail;
    const answered = (await srv.database.db.select().from(messages).where(and(eq(messages.ticketId, ticketId), eq(messages.direction, 'in')))).map((m) => m.externalId);
    assert.equal(second.inReplyTo, answered[1]);
    assert.deepEqual([second.references].flat(), [firstInbound, d.rfcMessageId, answered[1]]);
  });

  it('SMTP down: the mail fails with the error and a next attempt, goes out on the retry; a retry of a sent mail is refused', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    await relay.stop();
    const id = await replyWith('Second attempt will work.');
    await srv.drain();
    let d = (await deliveries()).find((x) => x.messageId === id)!;
    assert.equal(d.status, 'failed');
    assert.equal(d.attempts, 1);
    assert.match(d.lastError ?? '', /ECONNREFUSED/);
    assert.ok(d.nextAttemptAt && Date.parse(d.nextAttemptAt) > Date.now());
    const mailbox = (await admin.get(`/api/v1/mailboxes/${mailboxId}`)).json();
    assert.equal(mailbox.lastSendState, 'error');

    // the timer fires while the relay is still down: failed again, attempt 2
    await srv.fireTimers('email.send');
    d = (await deliveries()).find((x) => x.messageId === id)!;
    assert.deepEqual([d.status, d.attempts], ['failed', 2]);

    // the relay is back; the automatic retry sends it
    await relay.start();
    await srv.fireTimers('email.send');
    d = (await deliveries()).find((x) => x.messageId === id)!;
    assert.deepEqual([d.status, d.attempts, d.lastError, d.nextAttemptAt], ['sent', 3, null, null]);
    assert.equal((await admin.get(`/api/v1/mailboxes/${mailboxId}`)).json().lastSendState, 'ok');

    // by hand: down, failed, "retry" once it is back
    await relay.stop();
    const id2 = await replyWith('Retried by hand.');
    await srv.drain();
    assert.equal((await deliveries()).find((x) => x.messageId === id2)!.status, 'failed');
    await relay.start();
    const retried = await admin.post(`/api/v1/tickets/${ticketId}/messages/${id2}/retry-send`);
    assert.equal(retried.statusCode, 200, retried.body);
    assert.equal(retried.json().status, 'queued');
    await srv.drain();
    assert.equal((await deliveries()).find((x) => x.messageId === id2)!.status, 'sent');
    const again = await admin.post(`/api/v1/tickets/${ticketId}/messages/${id2}/retry-send`);
    assert.equal(again.statusCode, 409, again.body);
    const subjects = (await customerInbox(dovecot)).map((m) => m.mail.text ?? '');
    assert.equal(subjects.filter((s) => s.includes('Second attempt will work.')).length, 1);
    assert.equal(subjects.filter((s) => s.includes('Retried by hand.')).length, 1);
  });

  it('a ticket forwarded to another department signs with that department\'s mailbox signature, still from the address the customer wrote to', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const billing = (await admin.post('/api/v1/departments', { name: '账务部' })).json().id as string;
    const own = await admin.post('/api/v1/mailboxes', { name: 'Billing', address: 'billing@acme.test', protocol: 'smtp_receiver', departmentId: billing, signatureZh: '账务部 · 发票问题请拨 8888' });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal((await admin.post(`/api/v1/tickets/${ticketId}/forward`, { departmentId: billing, reason: '发票问题' })).statusCode, 200);
    await replyWith('您好，发票已重新开具。');
    await srv.drain();
    const last = (await customerInbox(dovecot)).at(-1)!.mail;
    assert.match(last.text ?? '', /发票已重新开具。\n\n-- \n账务部 · 发票问题请拨 8888/);
    assert.equal(last.from?.value[0].address, SUPPORT);
  });

  it('a redelivered send job or event sends nothing twice', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const before = relay.received.length;
    const rows = await srv.database.db.select().from(outboundMails).where(eq(outboundMails.ticketId, ticketId));
    for (const r of rows) await sendOutbound(srv.kefu.runtime, r.id);
    // the event again: the subscriber finds the record it made
    await srv.database.db.execute(sql`update jobs set status = 'pending', run_at = now(), locked_until = null, attempts = 0 where queue = 'event:email_outbound'`);
    await srv.drain();
    assert.equal(relay.received.length, before);
    assert.equal((await srv.database.db.select().from(outboundMails).where(eq(outboundMails.ticketId, ticketId))).length, rows.length);

    // a node died while sending: the claim is left 'sending'; a fresh claim is waited for, a stale one is taken over
    await relay.stop(); // the first attempt fails, so the record waits as failed, as after any failure
    const id = await replyWith('Sent by the node that survived.');
    await srv.drain();
    await relay.start();
    const [row] = await srv.database.db.select().from(outboundMails).where(eq(outboundMails.messageId, id));
    assert.equal(row.status, 'failed');
    await srv.database.db.update(outboundMails).set({ status: 'sending', updatedAt: new Date() }).where(eq(outboundMails.id, row.id));
    await sendOutbound(srv.kefu.runtime, row.id); // the job comes round while another node holds the claim
    const [job] = await queryRows<{ status: string; run_at: Date }>(srv.database.db, sql`select status, run_at from jobs where key = ${`email-send:${row.id}`}`);
    assert.equal(job.status, 'pending');
    assert.ok(new Date(job.run_at).getTime() > Date.now() + 9 * 60_000, 'looked at again once the claim is stale');
    assert.equal(relay.received.length, before);
    await srv.database.db.update(outboundMails).set({ updatedAt: new Date(Date.now() - 11 * 60_000) }).where(eq(outboundMails.id, row.id));
    await srv.fireTimers('email.send');
    assert.equal((await srv.database.db.select().from(outboundMails).where(eq(outboundMails.id, row.id)))[0].status, 'sent');
    assert.equal(relay.received.length, before + 1);
  });

  it('a bounce of our reply marks it bounced with the report\'s status and tells its writer; no ticket, no answer', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    await admin.patch(`/api/v1/mailboxes/${mailboxId}`, { autoReplyEnabled: true, autoReplyBodyEn: 'We got it.' });
    const [d] = await deliveries();
    const before = relay.received.length;
    dovecot.deliver(SUPPORT, bounceMail(d.rfcMessageId, CUSTOMER));
    await sync();
    const bounced = (await deliveries()).find((x) => x.messageId === replyMessageId)!;
    assert.equal(bounced.status, 'bounced');
    assert.match(bounced.bounceReason ?? '', /^5\.1\.1 lilei@customer\.test/);
    assert.equal((await admin.get('/api/v1/tickets?view=all')).json().total, 1, 'no ticket for the report');
    assert.equal(relay.received.length, before, 'a bounce is never answered');
    const notes = (await admin.get('/api/v1/notifications')).json().items as Array<{ kind: string; data: { number: number; reason: string } }>;
    const note = notes.find((n) => n.kind === 'email_bounced');
    assert.ok(note, JSON.stringify(notes.map((n) => n.kind)));
    assert.equal(note.data.number, ticketNumber);
    assert.match(note.data.reason, /5\.1\.1/);
    // staff who may not see contact details see the reason with the address masked
    const agent = await acme.agent('wei@acme.test');
    assert.equal((await admin.put(`/api/v1/tickets/${ticketId}/assignee`, { assigneeId: agent.userId })).statusCode, 200);
    const seen = ((await agent.get(`/api/v1/tickets/${ticketId}/deliveries`)).json().items as Array<{ messageId: string; bounceReason: string; toAddress: string | null }>)
      .find((x) => x.messageId === replyMessageId)!;
    assert.equal(seen.bounceReason, '5.1.1 l***@customer.test');
    assert.equal(seen.toAddress, null);
    // a sent-then-bounced mail is not retried
    assert.equal((await admin.post(`/api/v1/tickets/${ticketId}/messages/${replyMessageId}/retry-send`)).statusCode, 409);
  });

  it('auto-reply: once for a new ticket, in the mail\'s language, at most N per sender per hour, never to an auto-submitted mail', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const patched = await admin.patch(`/api/v1/mailboxes/${mailboxId}`, {
      autoReplyEnabled: true, autoReplyHourlyLimit: 2,
      autoReplySubjectEn: 'We got your request [#{{number}}]', autoReplyBodyEn: 'Dear {{customer_name}}, ticket #{{number}} "{{subject}}" is with us.',
      autoReplySubjectZh: '已收到您的请求 [#{{number}}]', autoReplyBodyZh: '{{customer_name}}，您好：工单 #{{number}}「{{subject}}」已受理。',
    });
    assert.equal(patched.statusCode, 200, patched.body);
    const first = newMessageId();
    dovecot.deliver(SUPPORT, rawMail({ from: `"Han Mei" <${HANMEI}>`, to: SUPPORT, subject: 'Invoice needed', messageId: first, body: 'Please send an invoice.' }));
    await sync();
    const mine = async () => ((await admin.get('/api/v1/tickets?view=all')).json().items as Array<{ id: string; number: number; subject: string }>);
    const invoice = (await mine()).find((x) => x.subject === 'Invoice needed')!;
    const [auto] = await deliveries(invoice.id);
    assert.deepEqual([auto.kind, auto.status], ['auto_reply', 'sent'], auto.lastError ?? '');
    const detail = (await admin.get(`/api/v1/tickets/${invoice.id}`)).json();
    assert.deepEqual(detail.messages.map((m: { authorType: string }) => m.authorType), ['customer', 'system'], 'the auto-reply shows on the ticket as a system message');
    let inbox = await customerInbox(dovecot, HANMEI);
    assert.equal(inbox.length, 1);
    assert.equal(inbox[0].mail.subject, `We got your request [#${invoice.number}]`);
    assert.equal(inbox[0].mail.text?.trim(), `Dear Han Mei, ticket #${invoice.number} "Invoice needed" is with us.`);
    assert.equal(inbox[0].mail.headers.get('auto-submitted'), 'auto-replied');
    assert.equal(inbox[0].mail.inReplyTo, first);

    // her answer to the auto-reply continues the ticket and gets no second auto-reply
    dovecot.deliver(SUPPORT, rawMail({ from: `"Han Mei" <${HANMEI}>`, to: SUPPORT, subject: inbox[0].mail.subject!, inReplyTo: auto.rfcMessageId, references: [first, auto.rfcMessageId], body: 'Company: Acme.' }));
    await sync();
    assert.equal((await mine()).filter((x) => x.subject.includes('Invoice')).length, 1);
    assert.equal((await deliveries(invoice.id)).length, 1);

    // a new request in Chinese: the Chinese template
    dovecot.deliver(SUPPORT, rawMail({ from: `"Han Mei" <${HANMEI}>`, to: SUPPORT, subject: '发票抬头', body: '请开具发票。' }));
    await sync();
    const zh = (await mine()).find((x) => x.subject === '发票抬头')!;
    inbox = await customerInbox(dovecot, HANMEI);
    assert.equal(inbox.length, 2);
    assert.equal(inbox[1].mail.subject, `已收到您的请求 [#${zh.number}]`);
    assert.equal(inbox[1].mail.text?.trim(), `Han Mei，您好：工单 #${zh.number}「发票抬头」已受理。`);

    // the third new request within the hour: the limit (2) holds
    dovecot.deliver(SUPPORT, rawMail({ from: `"Han Mei" <${HANMEI}>`, to: SUPPORT, subject: 'Third thing', body: 'One more.' }));
    await sync();
    const third = (await mine()).find((x) => x.subject === 'Third thing')!;
    assert.ok(third, 'the ticket is opened all the same');
    assert.deepEqual(await deliveries(third.id), []);

    // an autoresponder's mail opens no ticket and is never answered
    const before = relay.received.length;
    dovecot.deliver(SUPPORT, rawMail({ from: '"Out of office" <ooo@customer.test>', to: SUPPORT, subject: 'Away until Monday', headers: ['Auto-Submitted: auto-replied'], body: 'I am away.' }));
    await sync();
    assert.ok(!(await mine()).some((x) => x.subject === 'Away until Monday'));
    assert.equal(relay.received.length, before);
  });

  it('the formatted view of an HTML mail: sanitized, no remote images, inline image embedded, quoted history folded', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const b = 'b-' + crypto.randomUUID();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    dovecot.deliver(SUPPORT, Buffer.from([
      `From: "Li Lei" <${CUSTOMER}>`, `To: ${SUPPORT}`, 'Subject: Formatted question', `Message-ID: ${newMessageId()}`, `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0', `Content-Type: multipart/related; boundary="${b}"`, '',
      `--${b}`, 'Content-Type: text/html; charset=UTF-8', '',
      '<p>Is <b>this</b> broken? <img src="cid:shot1@x"> <img src="https://tracker.example/p.gif"></p><script>alert(1)</script>',
      '<div class="gmail_quote">On Mon, Li Lei wrote:<blockquote>old words</blockquote></div>', '',
      `--${b}`, 'Content-Type: image/png', 'Content-ID: <shot1@x>', 'Content-Transfer-Encoding: base64', 'Content-Disposition: inline', '', png.toString('base64'), '',
      `--${b}--`, '',
    ].join('\r\n')));
    await sync();
    const ticket = ((await admin.get('/api/v1/tickets?view=all')).json().items as Array<{ id: string; subject: string }>).find((x) => x.subject === 'Formatted question')!;
    const msg = (await admin.get(`/api/v1/tickets/${ticket.id}`)).json().messages[0];
    const res = await admin.get(`/api/v1/tickets/${ticket.id}/messages/${msg.id}/html`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(String(res.headers['content-security-policy']), /^sandbox; default-src 'none'; img-src data:/);
    const page = res.body;
    assert.ok(page.startsWith('<!doctype html>'), page.slice(0, 80));
    assert.match(page, /<p>Is <b>this<\/b> broken\? <img src="data:image\/png;base64,/);
    assert.doesNotMatch(page, /<script|alert\(1\)|tracker\.example/);
    // folded from the block that holds "… wrote:" (class attributes do not survive sanitizing), summary in the reader's language
    assert.match(page, /<\/p>\s*<details><summary>显示引用的历史邮件<\/summary><div>On Mon, Li Lei wrote:<blockquote>old words<\/blockquote><\/div><\/details><\/body>/);
    // another company cannot read it
    const globex = await (await srv.tenant('globex2')).admin();
    assert.equal((await globex.get(`/api/v1/tickets/${ticket.id}/messages/${msg.id}/html`)).statusCode, 404);
  });

  it('an internal note and a reply on a non-email ticket send no mail; another company cannot see the deliveries', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const before = relay.received.length;
    const outboundJobs = async () => (await queryRows<{ n: number }>(srv.database.db, sql`select count(*)::int as n from jobs where queue = 'event:email_outbound'`))[0].n;
    const jobsBefore = await outboundJobs();
    await admin.post(`/api/v1/tickets/${ticketId}/messages`, { body: 'note to self', visibility: 'internal' });
    const phone = (await admin.post('/api/v1/tickets', { subject: 'Call', body: 'called', channel: 'phone', customer: { name: 'Wang', email: 'wang@customer.test' } })).json();
    await admin.post(`/api/v1/tickets/${phone.id}/messages`, { body: 'we called back', visibility: 'public' });
    await srv.drain();
    assert.equal(relay.received.length, before);
    assert.equal(await outboundJobs(), jobsBefore, 'no delivery job at all for a note or another channel\'s message');
    assert.deepEqual(await deliveries(phone.id), []);
    const globex = await (await srv.tenant('globex')).admin();
    assert.equal((await globex.get(`/api/v1/tickets/${ticketId}/deliveries`)).statusCode, 404);
    assert.equal((await globex.post(`/api/v1/tickets/${ticketId}/messages/${replyMessageId}/retry-send`)).statusCode, 404);
  });
});

/** Verifies a relaxed/relaxed rsa-sha256 DKIM signature of a raw message (enough of RFC 6376 for our own mail). */
function verifyDkim(raw: string, publicKey: crypto.KeyObject): boolean {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const fields = head.split(/\r\n(?![ \t])/);
  const sigField = fields.find((f) => /^dkim-signature:/i.test(f))!;
  const tags = Object.fromEntries(sigField.slice(sigField.indexOf(':') + 1).replace(/\r\n[ \t]+/g, ' ').split(';').map((p) => p.trim()).filter(Boolean)
    .map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).replace(/\s+/g, '')]));
  const relaxedBody = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/[ \t]+$/, '')).join('\r\n').replace(/(\r\n)*$/, '\r\n');
  const bh = crypto.createHash('sha256').update(relaxedBody === '\r\n' ? '' : relaxedBody).digest('base64');
  if (bh !== tags.bh) return false;
  const relaxedHeader = (f: string) => {
    const i = f.indexOf(':');
    return `${f.slice(0, i).trim().toLowerCase()}:${f.slice(i + 1).replace(/\r\n/g, '').replace(/[ \t]+/g, ' ').trim()}`;
  };
  const used = new Map<string, number>();
  const lines: string[] = [];
  for (const name of tags.h.split(':')) {
    const all = fields.filter((f) => f.slice(0, f.indexOf(':')).trim().toLowerCase() === name.toLowerCase());
    const n = (used.get(name.toLowerCase()) ?? 0) + 1;
    used.set(name.toLowerCase(), n);
    const f = all[all.length - n];
    if (f) lines.push(relaxedHeader(f));
  }
  const unsigned = relaxedHeader(sigField).replace(/(b=)[^;]*$/, '$1').replace(/(;\s*b=)[^;]*/, '$1');
  const data = `${lines.join('\r\n')}\r\n${unsigned}`;
  return crypto.verify('sha256', Buffer.from(data), publicKey, Buffer.from(tags.b, 'base64'));
}
