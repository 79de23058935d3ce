/**
 * kill -9 in the middle of a burst of writes, then a restart on the same database:
 * every write the client saw acknowledged is still there, every change still has its event, and every
 * event delivery that was pending when the process died (realtime pushes, outbox mail) runs after the
 * restart. On embedded PGlite the restarted process must also take over the dead one's lock file.
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.ts';
import { createTenant } from '../modules/tenants/tenants.service.ts';
import { signIn, spawnNode, startSmtpSink, waitFor } from '../testing/spawn-node.ts';

const SLUG = 'crash';
const ADMIN = { email: 'admin@crash.test', password: 'crash-admin-password' };
const IN_FLIGHT = 8;
const KILL_AFTER_ACKS = 32;

export interface Engine {
  /** DATABASE_URL or KEFU_DATA_DIR for the node. */
  env: Record<string, string>;
  /** Direct access while no node runs. */
  open(): Promise<Database>;
  /** Direct access while the crashed node's files are left exactly as they are (PGlite: a copy). */
  openAsLeftByCrash(): Promise<{ database: Database; done(): Promise<void> }>;
  /** Called between the kill and the restart, and after the restart. */
  checkLockBeforeRestart?(deadPid: number): void;
  checkLockAfterRestart?(pid: number): void;
}

/** What a test started, undone in reverse order by its file's `after`. */
export const cleanups: (() => Promise<void> | void)[] = [];
export async function runCleanups(): Promise<void> { for (const c of cleanups.reverse()) await c(); }

export async function crashAndRecover(t: TestContext, engine: Engine): Promise<void> {
  // A slow relay: mail deliveries queue up behind each other, so the crash finds some still pending.
  const sink = await startSmtpSink({ delayMs: 30 });
  cleanups.push(() => sink.close());

  const setup = await engine.open();
  await createTenant(setup.db, { slug: SLUG, name: 'Crash Co.', adminEmail: ADMIN.email, adminName: 'Admin', adminPassword: ADMIN.password, locale: 'en' });
  await setup.close();

  const env = { ...engine.env, KEFU_DEFAULT_TENANT: SLUG, KEFU_SMTP_URL: sink.url };
  const first = await spawnNode(env);
  cleanups.push(async () => { await first.kill9(); });
  const admin = await signIn(first.url, ADMIN.email, ADMIN.password);
  const roles = await admin.request('GET', '/api/v1/roles');
  const agentRoleId: string = roles.json.items.find((r: { builtin: string }) => r.builtin === 'agent').id;

  // The burst: IN_FLIGHT concurrent writers, alternating departments and invitations, until the kill.
  const acked = { departments: [] as string[], invitations: [] as string[] };
  const rejected: string[] = [];
  let cutOff = 0; // requests that were in flight when the process died
  let next = 0;
  let killed: Promise<unknown> | null = null;
  const writer = async () => {
    while (!killed) {
      const i = next++;
      const isDept = i % 2 === 0;
      const email = `agent${i}@crash.test`;
      try {
        const res = isDept
          ? await admin.request('POST', '/api/v1/departments', { name: `Dept ${i}` })
          : await admin.request('POST', '/api/v1/staff/invitations', { email, name: `Agent ${i}`, roleId: agentRoleId });
        if (res.status !== 201) { rejected.push(`${res.status} ${res.text}`); continue; }
        if (isDept) acked.departments.push(res.json.id); else acked.invitations.push(email);
        if (!killed && acked.departments.length + acked.invitations.length >= KILL_AFTER_ACKS) killed = first.kill9();
      } catch {
        cutOff++; // the connection died with the process: not acknowledged, may or may not have committed
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  const exit = await first.exited;
  assert.equal(exit.signal, 'SIGKILL');
  assert.deepEqual(rejected, [], 'every write before the kill should have succeeded');
  assert.ok(cutOff >= 1, `the kill should land while writes are in flight (${cutOff} cut off)`);
  t.diagnostic(`acknowledged ${acked.departments.length} departments + ${acked.invitations.length} invitations; ${cutOff} requests cut off by the kill`);

  // What the crash left behind: deliveries that had not run yet.
  const left = await engine.openAsLeftByCrash();
  const [{ pending }] = await queryRows<{ pending: number }>(left.database.db, sql`select count(*)::int as pending from jobs where status <> 'done' and queue like 'event:%'`);
  await left.done();
  t.diagnostic(`${pending} event deliveries were not done at the crash`);
  assert.ok(pending > 0, 'the crash should leave event deliveries pending (otherwise this test proves nothing about recovery)');

  // Restart on the same database / data directory.
  engine.checkLockBeforeRestart?.(first.pid);
  const restartedAt = Date.now();
  const second = await spawnNode(env);
  cleanups.push(async () => { await second.kill9(); });
  engine.checkLockAfterRestart?.(second.pid);
  const admin2 = await signIn(second.url, ADMIN.email, ADMIN.password);

  const depts = await admin2.request('GET', '/api/v1/departments');
  const have = new Set(depts.json.items.map((d: { id: string }) => d.id));
  assert.deepEqual(acked.departments.filter((id) => !have.has(id)), [], 'acknowledged departments lost by the crash');

  // A marker written after the restart: its mail is queued behind everything the crash left pending.
  const marker = await admin2.request('POST', '/api/v1/staff/invitations', { email: 'marker@crash.test', name: 'Marker', roleId: agentRoleId });
  assert.equal(marker.status, 201, marker.text);
  const expectSent = [...acked.invitations, 'marker@crash.test'];
  let outbox: { toAddress: string; status: string }[] = [];
  try {
    await waitFor(async () => {
      outbox = (await admin2.request('GET', '/api/v1/outbox?limit=200')).json.items;
      const status = new Map(outbox.map((m) => [m.toAddress, m.status]));
      return expectSent.every((e) => status.get(e) === 'sent') && outbox.every((m) => m.status === 'sent');
    }, { timeoutMs: 45_000, intervalMs: 200, message: 'outbox mail (acknowledged invitations + marker) not all sent after the restart' });
  } catch (err) {
    const notSent = outbox.filter((m) => m.status !== 'sent').map((m) => `${m.toAddress}:${m.status}`);
    throw new Error(`${(err as Error).message}\nnot sent: ${notSent.join(', ')}\nmissing: ${expectSent.filter((e) => !outbox.some((m) => m.toAddress === e)).join(', ')}`);
  }
  t.diagnostic(`restart (process start + draining the backlog) took ${Date.now() - restartedAt} ms`);
  const stopped = await second.stop();
  assert.equal(stopped.code, 0, second.stderr());

  // Now look at the database directly.
  const database = await engine.open();
  try {
    const db = database.db;
    const deptRows = await queryRows<{ id: string }>(db, sql`select id from departments`);
    const deptIds = new Set(deptRows.map((r) => r.id));
    assert.deepEqual(acked.departments.filter((id) => !deptIds.has(id)), [], 'acknowledged departments missing');
    const invited = new Set((await queryRows<{ email: string }>(db, sql`select email from users where status = 'invited'`)).map((r) => r.email));
    assert.deepEqual(acked.invitations.filter((e) => !invited.has(e)), [], 'acknowledged invitations missing');

    // Transactional outbox: no change without its event (also for writes committed but cut off before the reply).
    const created = new Set((await queryRows<{ id: string }>(db, sql`
      select payload->>'departmentId' as id from events where type = 'department.changed' and payload->>'change' = 'created'`)).map((r) => r.id));
    assert.deepEqual([...deptIds].filter((id) => !created.has(id)), [], 'departments without a department.changed event');
    assert.deepEqual([...created].filter((id) => !deptIds.has(id)), [], 'department.changed events for departments that do not exist');
    const mails = await queryRows<{ to_address: string; status: string }>(db, sql`select to_address, status from mail_outbox`);
    const mailTo = new Set(mails.map((m) => m.to_address));
    assert.deepEqual([...invited].filter((e) => !mailTo.has(e)), [], 'invited users without an invitation mail');
    assert.deepEqual(mails.filter((m) => m.status !== 'sent'), [], 'outbox mail not sent after recovery');

    // Every durable delivery of every event we caused ran to completion: the mail. (Socket pushes are not
    // durable: they run after commit in the process that made the change and have no job.)
    const deliveries = await queryRows<{ id: number; type: string; queue: string | null; status: string | null }>(db, sql`
      select e.id, e.type, j.queue, j.status from events e
      left join jobs j on j.queue like 'event:%' and (j.payload->>'eventId')::bigint = e.id
      where e.type = 'mail.queued' order by e.id`);
    assert.ok(deliveries.length > 0);
    assert.deepEqual(deliveries.filter((d) => d.status !== 'done' || d.queue !== 'event:mail'), [], 'mail deliveries missing or not done');
    // Recurring timers (the automation sweep) wait for their next run: only jobs already due count.
    const notDone = await queryRows(db, sql`select id, queue, status, attempts, last_error from jobs where status <> 'done' and run_at <= now()`);
    assert.deepEqual(notDone, [], 'jobs left undone');
  } finally {
    await database.close();
  }

  // The relay got every acknowledged invitation; at most the one mail on the wire at the kill went out twice.
  const counts = sink.countsByRecipient();
  assert.deepEqual(expectSent.filter((e) => !counts.get(e)), [], 'invitation mail never delivered');
  const extra = [...counts.values()].reduce((n, c) => n + c - 1, 0);
  assert.ok(extra <= 1, `duplicate deliveries: ${JSON.stringify([...counts].filter(([, c]) => c > 1))}`);
}
