/**
 * Email tickets and automation: a mail's ticket starts in its mailbox's department, and keyword rules
 * (which run on ticket.created for every channel) route it on by Chinese or English words. Machine mail
 * never reaches the rules, so an auto-reply rule never answers an autoresponder; a person's reply does.
 * Mail arrives through the built-in SMTP receiver, as a forwarding MTA would send it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer, { type Transporter } from 'nodemailer';
import { testServer, type Client, type TestServer } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/spawn-node.ts';
import { newMessageId, rawMail } from '../../testing/mail-fixtures.ts';
import { freePort } from '../../testing/free-port.ts';

describe('email tickets and keyword routing rules', () => {
  let srv: TestServer;
  let admin: Client;
  let transport: Transporter;
  const dept: Record<string, string> = {};

  before(async () => {
    const port = await freePort();
    srv = await testServer({ smtpReceiverPort: port });
    admin = await (await srv.tenant('acme')).admin();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    for (const name of ['综合客服', '宽带支持', 'Billing']) dept[name] = (await admin.post('/api/v1/departments', { name })).json().id;
    const box = await admin.post('/api/v1/mailboxes', { name: 'Support', address: 'support@acme.test', protocol: 'smtp_receiver', departmentId: dept['综合客服'] });
    assert.equal(box.statusCode, 201, box.body);
    const zh = await admin.post('/api/v1/automation-rules', { name: '宽带关键词', trigger: 'ticket.created', position: 1,
      conditions: { any: [{ field: 'text', op: 'contains_any', value: ['宽带', '光猫'] }] }, actions: [{ type: 'route_department', departmentId: dept['宽带支持'] }] });
    assert.equal(zh.statusCode, 201, zh.body);
    const en = await admin.post('/api/v1/automation-rules', { name: 'Billing words', trigger: 'ticket.created', position: 2,
      conditions: { any: [{ field: 'text', op: 'contains_any', value: ['invoice', 'refund'] }] }, actions: [{ type: 'route_department', departmentId: dept.Billing }, { type: 'set_priority', priority: 'high' }] });
    assert.equal(en.statusCode, 201, en.body);
    const reply = await admin.post('/api/v1/automation-rules', { name: '收到回复', trigger: 'customer_message', position: 3,
      actions: [{ type: 'auto_reply', body: '我们已收到您的邮件，会尽快处理。' }] });
    assert.equal(reply.statusCode, 201, reply.body);
  });
  after(async () => { transport?.close(); await srv?.close(); });

  const send = (spec: Parameters<typeof rawMail>[0]) => transport.sendMail({ envelope: { from: 'x@customer.test', to: ['support@acme.test'] }, raw: rawMail(spec) });
  const ticketBySubject = async (subject: string) => {
    const t = await waitFor(async () => (await admin.get('/api/v1/tickets?view=all&limit=200')).json().items.find((x: { subject: string }) => x.subject === subject),
      { timeoutMs: 10_000, message: `no ticket "${subject}"` });
    await srv.drain(); // the rules run as event subscribers
    return (await admin.get(`/api/v1/tickets/${t.id}`)).json();
  };

  it('a Chinese keyword routes a mail\'s ticket away from the mailbox\'s department', async () => {
    await send({ from: '"赵六" <zhao@customer.test>', subject: '光猫一直闪红灯', body: '家里断网两天了，麻烦看一下。' });
    const d = await ticketBySubject('光猫一直闪红灯');
    assert.equal(d.ticket.channel, 'email');
    assert.equal(d.ticket.departmentId, dept['宽带支持']);
    const forwarded = d.history.find((h: { action: string }) => h.action === 'forwarded');
    assert.deepEqual(forwarded.changes.departmentId, [dept['综合客服'], dept['宽带支持']], 'it started in the mailbox\'s department');
    assert.equal(forwarded.reason, 'automation: 宽带关键词');
  });

  it('an English keyword in the body routes it and raises its priority', async () => {
    await send({ from: 'ann@customer.test', subject: 'Question about my order', body: 'Could you send me an INVOICE for order 42?' });
    const d = await ticketBySubject('Question about my order');
    assert.equal(d.ticket.departmentId, dept.Billing);
    assert.equal(d.ticket.priority, 'high');
  });

  it('without a keyword the ticket stays in the mailbox\'s department', async () => {
    await send({ from: 'bob@customer.test', subject: 'Opening hours', body: 'When are you open on Sunday?' });
    const d = await ticketBySubject('Opening hours');
    assert.equal(d.ticket.departmentId, dept['综合客服']);
  });

  it('a person\'s reply gets the rule\'s auto-reply; an autoresponder\'s never does', async () => {
    const first = newMessageId();
    await send({ from: 'carol@customer.test', subject: 'Parcel not arrived', messageId: first, body: 'My parcel has not arrived.' });
    const opened = await ticketBySubject('Parcel not arrived');
    const bodies = (d: { messages: Array<{ authorType: string; body: string }> }) => d.messages.map((m) => `${m.authorType}: ${m.body}`);
    const ack = 'system: 我们已收到您的邮件，会尽快处理。';
    assert.deepEqual(bodies(opened), ['customer: My parcel has not arrived.', ack]);

    await send({ from: 'carol@customer.test', subject: 'Out of office: Re: Parcel not arrived', inReplyTo: first, headers: ['Auto-Submitted: auto-replied'], body: 'I am away.' });
    await send({ from: 'carol@customer.test', subject: 'Re: Parcel not arrived', inReplyTo: first, body: 'Any news?' });
    const after = await waitFor(async () => {
      await srv.drain();
      const d = (await admin.get(`/api/v1/tickets/${opened.ticket.id}`)).json();
      return d.messages.length >= 4 ? d : null;
    }, { timeoutMs: 10_000, message: 'the reply and its auto-reply did not arrive' });
    assert.deepEqual(bodies(after), ['customer: My parcel has not arrived.', ack, 'customer: Any news?', ack],
      'one answer per person\'s mail: the out-of-office mail is neither a message nor answered');
  });
});
