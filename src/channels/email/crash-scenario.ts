/**
 * kill -9 of a Kefu node while it takes in 500 mails from Dovecot, then a restart on the same database:
 * exactly 500 messages (400 new tickets + 100 replies threaded into them), none twice, none lost.
 * The restarted node takes the dead one's mailbox lease over, finishes what was stored but not yet
 * processed, and fetches the rest from its cursor.
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client.ts';
import { createTenant } from '../../modules/tenants/tenants.service.ts';
import type { DovecotServer } from '../../testing/dovecot-server.ts';
import { MAILBOX_PASSWORD, rawMail } from '../../testing/mail-fixtures.ts';
import { signIn, spawnNode, waitFor, type HttpSession } from '../../testing/spawn-node.ts';
import { mailboxes } from './email.schema.ts';

const SLUG = 'mailcrash';
const ADMIN = { email: 'admin@mailcrash.test', password: 'mailcrash-admin-password' };
const ADDRESS = 'support@mailcrash.test';
const NEW = 400;
const REPLIES = 100;

/** What a test started, undone in reverse order by its file's `after`. */
export const cleanups: (() => Promise<void> | void)[] = [];
export async function runCleanups(): Promise<void> { for (const c of cleanups.reverse()) await c(); }

export interface Engine {
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

export async function crashAndRecover(t: TestContext, dovecot: DovecotServer, engine: Engine): Promise<void> {
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
