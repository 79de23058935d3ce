/**
 * kill -9 of a Kefu node while it takes in 500 mails from Dovecot, then a restart on the same database:
 * exactly 500 messages (400 new tickets + 100 replies threaded into them), none twice, none lost.
 * The restarted node takes the dead one's mailbox lease over, finishes what was stored but not yet
 * processed, and fetches the rest from its cursor.
 */
import { after, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../../db/client.ts';
import { createTenant } from '../../modules/tenants/tenants.service.ts';
import { dovecotOrSkip, type DovecotServer } from '../../testing/dovecot-server.ts';
import { MAILBOX_PASSWORD, rawMail } from '../../testing/mail-fixtures.ts';
import { signIn, spawnNode, testPostgres, waitFor, type HttpSession } from '../../testing/spawn-node.ts';
import { mailboxes } from './email.schema.ts';

const SLUG = 'mailcrash';
const ADMIN = { email: 'admin@mailcrash.test', password: 'mailcrash-admin-password' };
const ADDRESS = 'support@mailcrash.test';
const NEW = 400;
const REPLIES = 100;

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

interface Engine {
  env: Record<string, string>;
  open(): Promise<Database>;
  /** The database as the crash left it, without disturbing it (PGlite: a copy of the directory). */
  openAsLeftByCrash(): Promise<{ database: Database; done(): Promise<void> }>;
}

async function counts(db: Database['db']) {
  const [row] = await queryRows<{ tickets: number; messages: number; distinct_ids: number; stored: number; pending: number; ingested: number }>(db, sql`
    select (select count(*)::int from tickets) as tickets,
           (select count(*)::int from messages where channel = 'email') as messages,
           (select count(distinct external_id)::int from messages where channel = 'email') as distinct_ids,
           (select count(*)::int from inbound_mails) as stored,
           (select count(*)::int from inbound_mails where status = 'received') as pending,
           (select count(*)::int from inbound_mails where status = 'ingested') as ingested`);
  return row;
}

async function crashAndRecover(t: TestContext, dovecot: DovecotServer, engine: Engine): Promise<void> {
  dovecot.addUser(ADDRESS, MAILBOX_PASSWORD);
  const originals = Array.from({ length: NEW }, (_, i) => ({ id: `<m${i}.${Date.now()}@customer.test>`, from: `customer${i % 150}@customer.test` }));
  dovecot.drop(ADDRESS, originals.map((o, i) => rawMail({ from: o.from, to: ADDRESS, messageId: o.id, subject: `Crash mail ${i}`, body: `Problem number ${i}` })));
  // the replies get higher UIDs than everything above: they are fetched after the mail they answer
  dovecot.assignUids(ADDRESS);
  dovecot.drop(ADDRESS, Array.from({ length: REPLIES }, (_, i) => rawMail({
    from: originals[i * 4].from, to: ADDRESS, subject: `Re: Crash mail ${i * 4}`, inReplyTo: originals[i * 4].id, references: [originals[i * 4].id], body: `Follow-up ${i}`,
  })));

  const setup = await engine.open();
  const { tenant } = await createTenant(setup.db, { slug: SLUG, name: 'Mail Crash Co.', adminEmail: ADMIN.email, adminName: 'Admin', adminPassword: ADMIN.password, locale: 'en' });
  await setup.db.insert(mailboxes).values({
    tenantId: tenant.id, name: 'Support', address: ADDRESS, protocol: 'imap', host: dovecot.host, port: dovecot.imapPort, tls: 'none',
    username: ADDRESS, password: MAILBOX_PASSWORD, pollIntervalSeconds: 10,
  });
  await setup.close();

  const env = { ...engine.env, KEFU_DEFAULT_TENANT: SLUG };
  const first = await spawnNode(env);
  cleanups.push(async () => { await first.kill9(); });
  const admin = await signIn(first.url, ADMIN.email, ADMIN.password);
  const storedSoFar = async (s: HttpSession) => {
    const m = (await s.request('GET', '/api/v1/mailboxes')).json?.items?.[0];
    return m ? Object.values(m.counts as Record<string, number>).reduce((a, b) => a + b, 0) : 0;
  };
  // the node starts fetching at once (batches of 100): kill it as soon as the first mails are stored
  await waitFor(async () => (await storedSoFar(admin)) > 0, { timeoutMs: 60_000, intervalMs: 10, message: 'the node stored no mail from the mailbox' });
  const exit = await first.kill9();
  assert.equal(exit.signal, 'SIGKILL');

  const left = await engine.openAsLeftByCrash();
  const atCrash = await counts(left.database.db);
  await left.done();
  t.diagnostic(`at the kill: ${atCrash.stored} mails stored, ${atCrash.ingested} processed, ${atCrash.pending} stored but not processed, ${atCrash.tickets} tickets`);
  assert.ok(atCrash.stored > 0 && atCrash.messages < NEW + REPLIES, 'the kill should land in the middle of the intake');
  assert.ok(atCrash.pending > 0 || atCrash.stored < NEW + REPLIES, 'the crash should leave mail to fetch or to process (otherwise this proves nothing)');

  const restartedAt = Date.now();
  const second = await spawnNode(env);
  cleanups.push(async () => { await second.kill9(); });
  const admin2 = await signIn(second.url, ADMIN.email, ADMIN.password);
  let last: unknown;
  await waitFor(async () => {
    const list = (await admin2.request('GET', '/api/v1/mailboxes')).json;
    const m = list?.items?.[0];
    last = m?.counts;
    return m && m.counts.pending === 0 && m.counts.ingested + m.counts.duplicate + m.counts.rejected + m.counts.ignoredAuto === NEW + REPLIES;
  }, { timeoutMs: 240_000, intervalMs: 250, message: () => `the restarted node did not finish the intake: ${JSON.stringify(last)}` });
  t.diagnostic(`restart took the rest in ${Date.now() - restartedAt} ms`);
  const stopped = await second.stop();
  assert.equal(stopped.code, 0, second.stderr());

  const database = await engine.open();
  try {
    const c = await counts(database.db);
    assert.equal(c.stored, NEW + REPLIES, 'every mail stored once');
    assert.equal(c.ingested, NEW + REPLIES, 'every mail became a message (no duplicates, no rejections)');
    assert.equal(c.messages, NEW + REPLIES, 'exactly 500 messages');
    assert.equal(c.distinct_ids, NEW + REPLIES, 'no Message-ID twice');
    assert.equal(c.tickets, NEW, '400 tickets: each reply threaded into its ticket');
    const threaded = await queryRows<{ n: number }>(database.db, sql`
      select count(*)::int as n from tickets t where (select count(*) from messages m where m.ticket_id = t.id) = 2`);
    assert.equal(threaded[0].n, REPLIES);
    const [{ n: numbers }] = await queryRows<{ n: number }>(database.db, sql`select count(distinct number)::int as n from tickets`);
    assert.equal(numbers, NEW, 'ticket numbers unique');
  } finally {
    await database.close();
  }
}

describe('kill -9 while taking in 500 mails', () => {
  it('embedded PGlite: exactly 500 messages after the restart, no duplicates, none lost', { timeout: 360_000 }, async (t) => {
    if (process.env.KEFU_TEST_PG_URL) {
      t.skip('the embedded-PGlite crash test runs in the PGlite pass (KEFU_TEST_PG_URL is set: this is the PostgreSQL pass)');
      return;
    }
    const dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    cleanups.push(() => dovecot.stop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-mailcrash-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const pgliteDir = path.join(dataDir, 'pglite');
    await crashAndRecover(t, dovecot, {
      env: { KEFU_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir: pgliteDir }),
      async openAsLeftByCrash() {
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-mailcrash-copy-'));
        fs.cpSync(pgliteDir, copy, { recursive: true });
        fs.rmSync(path.join(copy, 'kefu.lock'), { force: true });
        const database = await openDatabase({ dataDir: copy, migrate: false });
        return { database, async done() { await database.close(); fs.rmSync(copy, { recursive: true, force: true }); } };
      },
    });
  });

  it('PostgreSQL: exactly 500 messages after the restart, no duplicates, none lost', { timeout: 360_000 }, async (t) => {
    const server = await testPostgres().catch((err) => { t.skip(`!! SKIPPED: could not start PostgreSQL: ${(err as Error).message}`); return undefined; });
    if (server === undefined) return;
    if (!server) { t.skip('!! SKIPPED: no PostgreSQL (KEFU_TEST_PG_URL unset and no server binaries)'); return; }
    cleanups.push(() => server.stop());
    const dovecot = await dovecotOrSkip(t);
    if (!dovecot) return;
    cleanups.push(() => dovecot.stop());
    const { url, drop } = await server.createDatabase('kefu_mailcrash');
    cleanups.push(drop);
    const open = () => openDatabase({ url, poolSize: 2 });
    await crashAndRecover(t, dovecot, {
      // a stable node id: the restarted node knows the dead one's mailbox lease is its own and takes it at once
      env: { DATABASE_URL: url, KEFU_NODE_ID: 'mailcrash-node' },
      open,
      async openAsLeftByCrash() {
        const database = await open();
        return { database, done: () => database.close() };
      },
    });
  });
});
