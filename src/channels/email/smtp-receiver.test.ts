/**
 * The built-in SMTP receiver: mail for an active receiver mailbox becomes a ticket in that mailbox's
 * company; any other recipient is refused at RCPT (550), so Kefu never relays or swallows stray mail.
 * Driven by nodemailer over a real socket, as a forwarding MTA would.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { testServer, type Client, type TestServer } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/spawn-node.ts';
import { newMessageId, rawMail } from '../../testing/mail-fixtures.ts';
import { inboundMails } from './email.schema.ts';
import { freePort } from '../../testing/free-port.ts';

describe('built-in SMTP receiver', () => {
  let srv: TestServer;
  let acme: Client;
  let globex: Client;
  let port: number;
  let transport: Transporter;

  before(async () => {
    port = await freePort();
    srv = await testServer({ smtpReceiverPort: port });
    acme = await (await srv.tenant('acme')).admin();
    globex = await (await srv.tenant('globex')).admin();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  after(async () => { transport?.close(); await srv?.close(); });

  const subjectsOf = async (c: Client) => (await c.get('/api/v1/tickets?view=all')).json().items.map((t: { subject: string }) => t.subject).sort();

  it('accepts mail for an active receiver mailbox and makes a ticket of it in that company', async () => {
    assert.equal(srv.kefu.mail.receiver?.port, port);
    const dept = (await acme.post('/api/v1/departments', { name: '售后' })).json().id;
    const created = await acme.post('/api/v1/mailboxes', { name: 'Forwarded support', address: 'Support@Acme.test', protocol: 'smtp_receiver', departmentId: dept });
    assert.equal(created.statusCode, 201, created.body);
    const check = (await acme.post(`/api/v1/mailboxes/${created.json().id}/test`)).json();
    assert.equal(check.ok, true, check.message);
    await (await globex.post('/api/v1/mailboxes', { name: 'Globex in', address: 'help@globex.test', protocol: 'smtp_receiver' })).json();

    const info = await transport.sendMail({ from: '"王芳" <wangfang@customer.test>', to: 'support@acme.test', subject: '退款进度查询', text: '请问我的退款什么时候到账？' });
    assert.match(String(info.response), /^250 /);
    await waitFor(async () => (await subjectsOf(acme)).includes('退款进度查询'), { timeoutMs: 10_000, message: 'no ticket from the received mail' });
    const ticket = (await acme.get('/api/v1/tickets?view=all')).json().items[0];
    assert.equal(ticket.departmentId, dept);
    assert.equal(ticket.customer.name, '王芳');
    assert.deepEqual(await subjectsOf(globex), [], 'nothing in the other company');
  });

  it('one message to two companies\' addresses is stored for each, once', async () => {
    const id = newMessageId();
    await transport.sendMail({ envelope: { from: 'li@customer.test', to: ['support@acme.test', 'help@globex.test'] }, raw: rawMail({ to: 'support@acme.test, help@globex.test', subject: 'Both of you', messageId: id }) });
    await waitFor(async () => (await subjectsOf(globex)).includes('Both of you') && (await subjectsOf(acme)).includes('Both of you'), { timeoutMs: 10_000, message: 'not in both companies' });
    // the same bytes again (a relay retrying after our 250 got lost): still one mail per mailbox
    await transport.sendMail({ envelope: { from: 'li@customer.test', to: ['support@acme.test'] }, raw: rawMail({ to: 'support@acme.test, help@globex.test', subject: 'Both of you', messageId: id }) });
    const rows = await srv.database.db.select().from(inboundMails).where(eq(inboundMails.rfcMessageId, id));
    assert.equal(rows.length, 2, 'one row per company: the resent bytes were recognised at the door');
    assert.equal(new Set(rows.map((r) => r.tenantId)).size, 2);
    assert.equal((await subjectsOf(acme)).filter((s: string) => s === 'Both of you').length, 1);
  });

  it('refuses unknown, inactive and other recipients at RCPT with 550, and stores nothing for them', async () => {
    const before = (await srv.database.db.select().from(inboundMails)).length;
    await assert.rejects(transport.sendMail({ from: 'spam@elsewhere.test', to: 'nobody@acme.test', subject: 'x', text: 'y' }), (err: { responseCode?: number; response?: string }) => {
      assert.equal(err.responseCode, 550);
      assert.match(err.response ?? '', /no such mailbox/);
      return true;
    });
    const inactive = (await acme.post('/api/v1/mailboxes', { name: 'Old address', address: 'old@acme.test', protocol: 'smtp_receiver', active: false })).json();
    await assert.rejects(transport.sendMail({ from: 'a@customer.test', to: 'old@acme.test', subject: 'x', text: 'y' }), (err: { responseCode?: number }) => err.responseCode === 550);
    // an IMAP mailbox's address is not a receiver address
    await acme.post('/api/v1/mailboxes', { name: 'imap one', address: 'imap@acme.test', protocol: 'imap', host: '127.0.0.1', port: 1, password: 'x', active: false });
    await assert.rejects(transport.sendMail({ from: 'a@customer.test', to: 'imap@acme.test', subject: 'x', text: 'y' }), (err: { responseCode?: number }) => err.responseCode === 550);
    assert.equal((await srv.database.db.select().from(inboundMails)).length, before);
    await acme.patch(`/api/v1/mailboxes/${inactive.id}`, { active: true });
    const ok = await transport.sendMail({ from: 'a@customer.test', to: 'old@acme.test', subject: 'Now active', text: 'y' });
    assert.match(String(ok.response), /^250 /);
  });

  it('an address receives for one mailbox only, across companies', async () => {
    const taken = await globex.post('/api/v1/mailboxes', { name: 'Steal it', address: 'SUPPORT@acme.test', protocol: 'smtp_receiver' });
    assert.equal(taken.statusCode, 409);
    assert.doesNotMatch(taken.body, /acme admin|Forwarded support/, 'says nothing about who has it');
  });

  it('"test connection" says the receiver is off when no port is configured', async () => {
    const plain = await testServer();
    try {
      const admin = await (await plain.tenant('initech')).admin();
      assert.equal(plain.kefu.mail.receiver, null);
      const id = (await admin.post('/api/v1/mailboxes', { name: 'Forwarded', address: 'in@initech.test', protocol: 'smtp_receiver' })).json().id;
      const check = (await admin.post(`/api/v1/mailboxes/${id}/test`)).json();
      assert.deepEqual([check.ok, check.code], [false, 'receiver_off']);
      assert.match(check.message, /KEFU_SMTP_RECEIVER_PORT/);
    } finally {
      await plain.close();
    }
  });
});
