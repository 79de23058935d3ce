/**
 * POP3 intake against a real Dovecot: UIDL is the memory (a seen UIDL is never fetched again), mail stays
 * on the server unless the mailbox says otherwise, and the bytes arrive as sent (8-bit, dot-stuffed lines).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import Pop3Command from 'node-pop3';
import { dovecotOrSkip, type DovecotServer } from '../../testing/dovecot-server.ts';
import { dovecotMailbox, MAILBOX_PASSWORD, newMessageId, rawMail } from '../../testing/mail-fixtures.ts';
import { testServer, type Client, type TestServer } from '../../testing/test-server.ts';
import { inboundMails } from './email.schema.ts';
import { unstuffDots } from './pop3-fetcher.ts';

describe('POP3 intake (real Dovecot)', () => {
  let dovecot: DovecotServer | null = null;
  let srv: TestServer;
  let admin: Client;

  before(async () => {
    srv = await testServer();
    admin = await (await srv.tenant('acme')).admin();
  });
  after(async () => { await srv?.close(); await dovecot?.stop(); });

  const onServer = async (user: string) => {
    const p = new Pop3Command({ host: dovecot!.host, port: dovecot!.pop3Port, user, password: MAILBOX_PASSWORD, tls: false });
    const stat = await p.STAT();
    await p.QUIT();
    return Number(stat.split(' ')[0]);
  };
  const subjects = async () => (await admin.get('/api/v1/tickets?view=all&limit=200')).json().items.map((t: { subject: string }) => t.subject).sort();

  it('unstuffs dot-stuffed lines (RFC 1939) and nothing else', () => {
    assert.equal(unstuffDots(Buffer.from('..a\r\nb\r\n...\r\n. x\r\n')).toString(), '.a\r\nb\r\n..\r\n. x\r\n');
    const plain = Buffer.from('no dots at line starts.\r\n');
    assert.equal(unstuffDots(plain), plain);
  });

  it('fetches by UIDL, leaves the mail on the server, and never fetches a seen UIDL again', async (t) => {
    dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    const user = 'pop@acme.test';
    dovecot.addUser(user, MAILBOX_PASSWORD);
    const created = await admin.post('/api/v1/mailboxes', dovecotMailbox(dovecot, 'pop3', user));
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id;
    const check = (await admin.post(`/api/v1/mailboxes/${id}/test`)).json();
    assert.deepEqual([check.ok, check.messages], [true, 0]);

    // 8-bit GB2312 body without any transfer encoding, and a line that is only "." (sent as "..")
    const gbBody = Buffer.from('c4fabac3a3acb7a2c6b1cca7cdb7b4edc1cba1a3', 'hex'); // 您好，发票抬头错了。
    const eightBit = Buffer.concat([
      Buffer.from(`From: =?GB2312?B?wO7LxA==?= <lisi@customer.test>\r\nTo: ${user}\r\nSubject: =?GB2312?B?t6LGscynzbc=?=\r\nMessage-ID: ${newMessageId()}\r\n`),
      Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=GB2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      gbBody, Buffer.from('\r\n.\r\n..leading dots\r\n'),
    ]);
    dovecot.deliver(user, eightBit);
    dovecot.deliver(user, rawMail({ to: user, subject: 'Second by POP3' }));
    const first = (await admin.post(`/api/v1/mailboxes/${id}/sync`)).json();
    assert.equal(first.stored, 2, JSON.stringify(first.mailbox));
    assert.deepEqual(await subjects(), ['Second by POP3', '发票抬头']);
    assert.equal(await onServer(user), 2, 'left on the server');

    const all = await admin.get('/api/v1/tickets?view=all');
    const gb = all.json().items.find((x: { subject: string }) => x.subject === '发票抬头');
    const d = (await admin.get(`/api/v1/tickets/${gb.id}`)).json();
    assert.equal(d.messages[0].body, '您好，发票抬头错了。\n.\n..leading dots');
    assert.equal(d.ticket.customer.name, '李四');
    const [row] = await srv.database.db.select().from(inboundMails).where(eq(inboundMails.messageId, d.messages[0].id));
    assert.ok(row.raw.includes(gbBody), 'the 8-bit bytes as sent, not re-encoded');
    assert.ok(row.raw.includes(Buffer.from('\r\n.\r\n..leading dots\r\n')), 'dot-stuffing undone');
    assert.match(row.remoteId, /^[0-9a-f]{16}$/i, 'keyed by the UIDL');

    dovecot.deliver(user, rawMail({ to: user, subject: 'Third by POP3' }));
    const again = (await admin.post(`/api/v1/mailboxes/${id}/sync`)).json();
    assert.equal(again.stored, 1, 'only the new UIDL');
    assert.deepEqual(await subjects(), ['Second by POP3', 'Third by POP3', '发票抬头']);
    assert.equal((await srv.database.db.select().from(inboundMails).where(eq(inboundMails.mailboxId, id))).length, 3);
    assert.equal((await admin.post(`/api/v1/mailboxes/${id}/sync`)).json().stored, 0);
  });

  it('with deleteAfterFetch, mail is removed from the server once stored', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const user = 'pop-delete@acme.test';
    dovecot.addUser(user, MAILBOX_PASSWORD);
    const id = (await admin.post('/api/v1/mailboxes', dovecotMailbox(dovecot, 'pop3', user, { deleteAfterFetch: true }))).json().id;
    dovecot.deliver(user, rawMail({ to: user, from: 'x@customer.test', subject: 'Delete me after' }));
    dovecot.deliver(user, rawMail({ to: user, from: 'y@customer.test', subject: 'Delete me too' }));
    assert.equal(await onServer(user), 2);
    assert.equal((await admin.post(`/api/v1/mailboxes/${id}/sync`)).json().stored, 2);
    assert.equal(await onServer(user), 0);
    assert.ok((await subjects()).includes('Delete me after'));
  });

  it('a wrong password is an auth_failed sync error, not a crash', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const id = (await admin.post('/api/v1/mailboxes', dovecotMailbox(dovecot, 'pop3', 'pop@acme.test', { name: 'bad pop', password: 'wrong-one' }))).json().id;
    const s = (await admin.post(`/api/v1/mailboxes/${id}/sync`)).json();
    assert.equal(s.mailbox.lastSyncState, 'error');
    assert.match(s.mailbox.lastError, /^auth_failed: /);
    assert.equal((await admin.post(`/api/v1/mailboxes/${id}/test`)).json().code, 'auth_failed');
  });
});
