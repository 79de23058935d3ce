/**
 * IMAP intake against a real Dovecot: "test connection" names what is wrong, the UID cursor moves
 * batch by batch, and a node's scheduler picks new mail up through IDLE without anyone pressing "sync".
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import { eq } from 'drizzle-orm';
import { dovecotOrSkip, type DovecotServer } from '../../testing/dovecot-server.ts';
import { dovecotMailbox, MAILBOX_PASSWORD, rawMail } from '../../testing/mail-fixtures.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { waitFor } from '../../testing/spawn-node.ts';
import { mailboxes } from './email.schema.ts';
import { startMailScheduler } from './mail-scheduler.ts';
import { fileStoreFor } from '../../modules/attachments/file-store.ts';

const ADDRESS = 'help@acme.test';

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('IMAP intake (real Dovecot)', () => {
  let dovecot: DovecotServer | null = null;
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let mailboxId: string;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
  });
  after(async () => { await srv?.close(); await dovecot?.stop(); });

  const check = async (id: string, lang: 'en' | 'zh-CN' = 'en') => {
    await admin.patch('/api/v1/auth/me', { locale: lang }); // a signed-in caller's messages follow their profile
    const res = await admin.post(`/api/v1/mailboxes/${id}/test`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { ok: boolean; code: string; message: string; messages?: number };
  };
  const allTickets = async () => {
    const out: Array<{ number: number; subject: string }> = [];
    for (let offset = 0; ; offset += 200) {
      const page = (await admin.get(`/api/v1/tickets?view=all&limit=200&offset=${offset}`)).json();
      out.push(...page.items);
      if (out.length >= page.total || !page.items.length) return out;
    }
  };
  const ticketSubjects = async () => (await allTickets()).map((t) => t.subject).sort();

  it('test connection: ok with the message count, or exactly what is wrong', async (t) => {
    dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    dovecot.addUser(ADDRESS, MAILBOX_PASSWORD);
    dovecot.deliver(ADDRESS, rawMail({ subject: 'Already waiting' }));
    const good = await admin.post('/api/v1/mailboxes', dovecotMailbox(dovecot, 'imap', ADDRESS));
    assert.equal(good.statusCode, 201, good.body);
    mailboxId = good.json().id;
    const ok = await check(mailboxId);
    assert.deepEqual([ok.ok, ok.code, ok.messages], [true, 'ok', 1]);
    assert.equal((await check(mailboxId, 'zh-CN')).message, '连接成功（INBOX 中有 1 封邮件）');

    const make = async (name: string, extra: Record<string, unknown>) => (await admin.post('/api/v1/mailboxes', { ...dovecotMailbox(dovecot!, 'imap', ADDRESS), name, active: false, ...extra })).json().id as string;
    const wrongPassword = await check(await make('wrong password', { password: 'not-the-password' }));
    assert.deepEqual([wrongPassword.ok, wrongPassword.code], [false, 'auth_failed']);
    assert.match(wrongPassword.message, /^Sign-in failed: wrong user name or password/);
    const zh = await check(await make('wrong password zh', { password: 'nope-nope' }), 'zh-CN');
    assert.match(zh.message, /^登录失败：用户名或密码不正确/);
    const refused = await check(await make('closed port', { port: await closedPort() }));
    assert.deepEqual([refused.ok, refused.code], [false, 'unreachable']);
    const noHost = await check(await make('no such host', { host: 'no-such-host.invalid' }));
    assert.deepEqual([noHost.ok, noHost.code], [false, 'unreachable']);
    const tls = await check(await make('tls on a plain port', { tls: 'tls' }));
    assert.deepEqual([tls.ok, tls.code], [false, 'tls'], tls.message);
    const folder = await check(await make('missing folder', { folder: 'Support/Nowhere' }));
    assert.deepEqual([folder.ok, folder.code], [false, 'folder_missing'], folder.message);
  });

  it('a failed sync is recorded on the mailbox with its reason; fixing the password clears it', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    await admin.patch(`/api/v1/mailboxes/${mailboxId}`, { password: 'changed-on-our-side' });
    const failed = (await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`)).json();
    assert.equal(failed.mailbox.lastSyncState, 'error');
    assert.match(failed.mailbox.lastError, /^auth_failed: /);
    const fixed = await admin.patch(`/api/v1/mailboxes/${mailboxId}`, { password: MAILBOX_PASSWORD });
    assert.equal(fixed.json().lastError, null);
    const synced = (await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`)).json();
    assert.equal(synced.mailbox.lastSyncState, 'ok');
    assert.equal(synced.stored, 1);
    assert.deepEqual(await ticketSubjects(), ['Already waiting']);
  });

  it('the cursor is the folder\'s UIDVALIDITY and the last UID stored; 250 mails arrive in batches, in order', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    dovecot.drop(ADDRESS, Array.from({ length: 250 }, (_, i) => rawMail({ from: `c${i}@customer.test`, subject: `Batch mail ${String(i).padStart(3, '0')}` })));
    let s = (await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`)).json();
    assert.equal(s.stored, 250);
    // "sync now" answers within its time budget; what is left is stored and taken up by the next sync
    for (let i = 0; i < 20 && s.mailbox.counts.pending; i++) s = (await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`)).json();
    assert.equal(s.mailbox.counts.pending, 0);
    const [m] = await srv.database.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
    assert.equal(m.cursor.lastUid, 251);
    assert.match(m.cursor.uidValidity ?? '', /^\d+$/);
    const tickets = (await admin.get('/api/v1/tickets?view=all&limit=1')).json();
    assert.equal(tickets.total, 251);
    // the order the server holds them in (Dovecot numbers a Maildir's new mail in directory order)
    const imap = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: ADDRESS, pass: MAILBOX_PASSWORD }, logger: false });
    await imap.connect();
    const byUid: string[] = [];
    await imap.mailboxOpen('INBOX');
    for await (const msg of imap.fetch('1:*', { uid: true, envelope: true }, { uid: true })) byUid[msg.uid] = msg.envelope?.subject ?? '';
    await imap.logout();
    const all = await allTickets();
    const byNumber = [...all].sort((a, b) => a.number - b.number).map((x) => x.subject);
    assert.deepEqual(byNumber.slice(1), byUid.slice(2), 'tickets numbered in the order of the server\'s UIDs');
  });

  it('IDLE: the node\'s scheduler keeps the connection open and picks a new mail up as the server announces it', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    const scheduler = await startMailScheduler({
      database: srv.database, nodeId: 'idle-test', concurrency: 2, ownsDatabase: false, tickMs: 60_000,
      deps: { db: srv.database.db, files: fileStoreFor(srv.config) },
    });
    try {
      // the scheduler claims the mailbox (due since the last sync's interval is not over: make it due)
      await srv.database.db.update(mailboxes).set({ nextSyncAt: new Date(Date.now() - 1000), pollIntervalSeconds: 3600 }).where(eq(mailboxes.id, mailboxId));
      scheduler.poke();
      await waitFor(async () => (await srv.database.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId)))[0].leaseOwner, { timeoutMs: 5000, message: 'the scheduler did not claim the mailbox' });
      await new Promise((r) => setTimeout(r, 500)); // first fetch done, now in IDLE
      const sent = Date.now();
      dovecot.deliver(ADDRESS, rawMail({ subject: 'Arrived during IDLE' }));
      await waitFor(async () => (await ticketSubjects()).includes('Arrived during IDLE'), { timeoutMs: 10_000, intervalMs: 50, message: 'the mail did not become a ticket through IDLE' });
      t.diagnostic(`IDLE: mail delivered → ticket in ${Date.now() - sent} ms (the poll interval is an hour)`);
      const [held] = await srv.database.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
      assert.match(held.leaseOwner ?? '', /^idle-test\//, 'still holding the mailbox in IDLE');
    } finally {
      await scheduler.stop();
    }
    const [released] = await srv.database.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
    assert.equal(released.leaseOwner, null, 'stopping gives the mailbox back');
  });

  it('many mailboxes are fetched side by side, each by one run; more than the slots take turns', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    await srv.database.db.update(mailboxes).set({ active: false }).where(eq(mailboxes.id, mailboxId));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const address = `team${i}@acme.test`;
      dovecot.addUser(address, MAILBOX_PASSWORD);
      dovecot.deliver(address, rawMail({ to: address, from: `side${i}@customer.test`, subject: `Side by side ${i}` }));
      ids.push((await admin.post('/api/v1/mailboxes', { ...dovecotMailbox(dovecot, 'imap', address), pollIntervalSeconds: 3600 })).json().id);
    }
    const scheduler = await startMailScheduler({
      database: srv.database, nodeId: 'slots-test', concurrency: 3, ownsDatabase: false, tickMs: 200,
      deps: { db: srv.database.db, files: fileStoreFor(srv.config) },
    });
    try {
      // three slots: three mailboxes held at once (connected, in IDLE), the fourth waits
      const held = async () => (await srv.database.db.select().from(mailboxes)).filter((m) => ids.includes(m.id) && m.leaseOwner?.startsWith('slots-test/')).length;
      await waitFor(async () => (await held()) === 3, { timeoutMs: 10_000, message: 'three mailboxes were not held at once' });
      // the waiting one gets a slot: an idling run makes way, and every mailbox's mail arrives
      await waitFor(async () => {
        const subjects = await ticketSubjects();
        return [0, 1, 2, 3].every((i) => subjects.includes(`Side by side ${i}`));
      }, { timeoutMs: 20_000, message: 'not every mailbox was fetched' });
    } finally {
      await scheduler.stop();
    }
    await srv.database.db.update(mailboxes).set({ active: true }).where(eq(mailboxes.id, mailboxId));
  });

  it('"sync now" on a mailbox another node holds wakes that node instead of fetching twice', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    await srv.database.db.update(mailboxes).set({ leaseOwner: 'other-node/1', leaseUntil: new Date(Date.now() + 60_000) }).where(eq(mailboxes.id, mailboxId));
    dovecot.deliver(ADDRESS, rawMail({ subject: 'Waiting for the other node' }));
    const res = (await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`)).json();
    assert.equal(res.done, false);
    assert.equal(res.stored, 0);
    assert.ok(!(await ticketSubjects()).includes('Waiting for the other node'));
    await srv.database.db.update(mailboxes).set({ leaseOwner: null, leaseUntil: null }).where(eq(mailboxes.id, mailboxId));
    assert.equal((await admin.post(`/api/v1/mailboxes/${mailboxId}/sync`)).json().stored, 1);
  });

  it('settings are validated with reasons; another company\'s mailbox is a 404', async (t) => {
    if (!dovecot) return t.skip('no Dovecot');
    await admin.patch('/api/v1/auth/me', { locale: 'en' });
    const noHost = await admin.post('/api/v1/mailboxes', { name: 'x', address: 'x@acme.test', protocol: 'imap', password: 'p' });
    assert.equal(noHost.statusCode, 400);
    assert.match(noHost.json().message, /host/);
    await admin.patch('/api/v1/auth/me', { locale: 'zh-CN' });
    const pop3StartTls = await admin.post('/api/v1/mailboxes', { ...dovecotMailbox(dovecot, 'pop3', 'y@acme.test'), tls: 'starttls' });
    assert.equal(pop3StartTls.statusCode, 400);
    assert.match(pop3StartTls.json().message, /STARTTLS/);
    const dupName = await admin.post('/api/v1/mailboxes', dovecotMailbox(dovecot, 'imap', ADDRESS));
    assert.equal(dupName.statusCode, 409);
    const globex = await (await srv.tenant('globex')).admin();
    for (const [m, u] of [['GET', ''], ['PATCH', ''], ['POST', '/test'], ['POST', '/sync']] as const) {
      const res = await globex.request(m, `/api/v1/mailboxes/${mailboxId}${u}`, m === 'PATCH' ? { active: false } : m === 'POST' ? {} : undefined);
      assert.equal(res.statusCode, 404, `${m} ${u}`);
    }
    assert.equal((await globex.get('/api/v1/mailboxes')).json().total, 0);
    const agent = await acme.agent('agent-imap@acme.test');
    assert.equal((await agent.get('/api/v1/mailboxes')).statusCode, 403);
  });
});
