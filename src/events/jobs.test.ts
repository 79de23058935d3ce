import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { createTestDatabase } from '../testing/test-db.ts';
import { waitFor } from '../testing/chat-sockets.ts';
import { eventDelivery } from './dispatcher.ts';
import { jobs } from './events.schema.ts';
import { cancel, schedule, startWorker } from './jobs.ts';
import { emit } from './outbox.ts';
import type { Runtime, Subscriber } from './subscriber.ts';

describe('durable jobs and the transactional outbox', () => {
  let database: Database;
  before(async () => { database = await createTestDatabase(); });
  after(async () => { await database.close(); });

  it('runs each job exactly once even with several workers competing', async () => {
    const seen: number[] = [];
    const handler = async (job: { payload: Record<string, unknown> }) => { seen.push(Number(job.payload.n)); };
    for (let n = 0; n < 60; n++) await schedule(database.db, { queue: 'once', payload: { n } });
    const workers = await Promise.all([1, 2, 3].map((i) => startWorker(database, { nodeId: `w${i}`, handlers: { once: handler }, pollMs: 50 })));
    await Promise.all(workers.map((w) => w.drain()));
    await Promise.all(workers.map((w) => w.stop()));
    assert.equal(seen.length, 60);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 60 }, (_, i) => i));
  });

  it('a job scheduled in a rolled-back transaction never runs', async () => {
    await assert.rejects(database.db.transaction(async (tx) => {
      await schedule(tx, { queue: 'ghost', payload: {}, key: 'ghost-1' });
      throw new Error('roll back');
    }));
    const rows = await database.db.select().from(jobs).where(eq(jobs.key, 'ghost-1'));
    assert.equal(rows.length, 0);
  });

  it('retries a failing job with backoff and gives up after maxAttempts', async () => {
    let calls = 0;
    const w = await startWorker(database, { nodeId: 'retry', pollMs: 50, handlers: { flaky: async () => { calls++; throw new Error(`boom ${calls}`); } } });
    await schedule(database.db, { queue: 'flaky', payload: {}, key: 'flaky-1', maxAttempts: 3 });
    for (let i = 0; i < 3; i++) {
      await w.drain();
      // make the backed-off retry due now instead of waiting for it
      await database.db.update(jobs).set({ runAt: new Date(0) }).where(eq(jobs.key, 'flaky-1'));
    }
    await w.drain();
    await w.stop();
    const [row] = await database.db.select().from(jobs).where(eq(jobs.key, 'flaky-1'));
    assert.equal(calls, 3);
    assert.equal(row.status, 'failed');
    assert.equal(row.lastError, 'boom 3');
  });

  it('the same key reschedules a timer instead of adding a second one; cancel removes it', async () => {
    const later = new Date(Date.now() + 3600_000);
    await schedule(database.db, { queue: 'timer', payload: { v: 1 }, key: 'sla:t1' });
    await schedule(database.db, { queue: 'timer', payload: { v: 2 }, key: 'sla:t1', runAt: later });
    const rows = await database.db.select().from(jobs).where(eq(jobs.key, 'sla:t1'));
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].payload, { v: 2 });
    assert.equal(rows[0].runAt.getTime(), later.getTime());
    let ran = false;
    const w = await startWorker(database, { nodeId: 'timer', pollMs: 50, handlers: { timer: async () => { ran = true; } } });
    await w.drain();
    assert.equal(ran, false, 'a future timer is not run early');
    await cancel(database.db, 'sla:t1');
    await w.stop();
    assert.equal((await database.db.select().from(jobs).where(eq(jobs.key, 'sla:t1'))).length, 0);
  });

  it('a job locked by a node that died is picked up again once its lock expires', async () => {
    await schedule(database.db, { queue: 'orphan', payload: {}, key: 'orphan-1' });
    // a node claimed it and died: lock already expired
    await database.db.update(jobs).set({ lockedBy: 'dead-node', lockedUntil: new Date(Date.now() - 1000), attempts: 1 }).where(eq(jobs.key, 'orphan-1'));
    let ran = 0;
    const w = await startWorker(database, { nodeId: 'alive', pollMs: 50, handlers: { orphan: async () => { ran++; } } });
    await w.drain();
    await w.stop();
    assert.equal(ran, 1);
  });

  it('delivers each event to each interested subscriber; one failing subscriber does not block another', async () => {
    const got: string[] = [];
    const good: Subscriber = { name: 'good', handles: ['team.changed'], handle: async (e) => { got.push(`good:${e.event.type}`); } };
    const bad: Subscriber = { name: 'bad', handles: ['team.changed'], handle: async () => { throw new Error('webhook down'); } };
    const deaf: Subscriber = { name: 'deaf', handles: ['role.changed'], handle: async () => { got.push('deaf'); } };
    const rt = { database } as unknown as Runtime;
    const { handlers, beforeBatch } = eventDelivery([good, bad, deaf], rt);
    const [{ id: tenantId }] = await queryRows<{ id: string }>(database.db, sql`insert into tenants (slug, name) values ('evt', 'Evt') returning id`);
    await database.db.transaction(async (tx) => {
      await emit(tx, { tenantId }, { type: 'team.changed', teamId: '00000000-0000-0000-0000-000000000001', change: 'created' });
    });
    const w = await startWorker(database, { nodeId: 'evt', pollMs: 50, handlers, beforeBatch });
    await w.drain();
    await w.stop();
    assert.deepEqual(got, ['good:team.changed']);
    const [badJob] = await queryRows<{ status: string; last_error: string }>(database.db, sql`select status, last_error from jobs where queue = 'event:bad'`);
    assert.equal(badJob.status, 'pending', 'the failing delivery waits for its retry');
    assert.equal(badJob.last_error, 'webhook down');
  });

  it('a subscriber that recomputes from current state runs once per key in a batch; every delivery is marked done', async () => {
    const runs: string[] = [];
    const refresher: Subscriber = {
      name: 'refresher', handles: ['ticket.created', 'message.added'],
      coalesce: (e) => ('ticketId' in e ? e.ticketId : null),
      handle: async (e) => { runs.push('ticketId' in e.event ? e.event.ticketId : ''); },
    };
    const { handlers, beforeBatch } = eventDelivery([refresher], { database } as unknown as Runtime);
    const [{ id: tenantId }] = await queryRows<{ id: string }>(database.db, sql`insert into tenants (slug, name) values ('coalesce', 'Coalesce') returning id`);
    const a = '00000000-0000-0000-0000-00000000000a';
    const b = '00000000-0000-0000-0000-00000000000b';
    await database.db.transaction(async (tx) => {
      await emit(tx, { tenantId }, { type: 'ticket.created', ticketId: a, number: 1, departmentId: null, channel: 'api' });
      await emit(tx, { tenantId }, { type: 'message.added', ticketId: a, messageId: a, authorType: 'customer', visibility: 'public' });
      await emit(tx, { tenantId }, { type: 'ticket.created', ticketId: b, number: 2, departmentId: null, channel: 'api' });
    });
    const w = await startWorker(database, { nodeId: 'coalesce', pollMs: 50, handlers, beforeBatch });
    await w.drain();
    await w.stop();
    assert.deepEqual(runs.sort(), [a, b], 'ticket a: created + message in one batch → one run');
    const left = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where queue = 'event:refresher' and status <> 'done'`);
    assert.equal(left[0].n, 0);
  });

  it('a handler that reschedules its own key leaves the new timer pending; one that recomputes it unchanged does not rerun', async () => {
    const runs: number[] = [];
    const later = new Date(Date.now() + 3600_000);
    const w = await startWorker(database, { nodeId: 'chain', pollMs: 50, handlers: {
      chain: async (job) => {
        const level = Number(job.payload.level);
        runs.push(level);
        if (level === 1) await schedule(database.db, { queue: 'chain', key: 'chain-1', payload: { level: 2 }, runAt: later });
      },
      same: async (job) => {
        runs.push(99);
        await schedule(database.db, { queue: 'same', key: 'same-1', payload: job.payload, runAt: new Date(String(job.payload.at)) });
      },
    } });
    await schedule(database.db, { queue: 'chain', key: 'chain-1', payload: { level: 1 } });
    const at = new Date(Date.now() - 1000).toISOString();
    await schedule(database.db, { queue: 'same', key: 'same-1', payload: { at }, runAt: new Date(at) });
    await w.drain();
    await w.stop();
    assert.deepEqual(runs.sort(), [1, 99]);
    const [chain] = await database.db.select().from(jobs).where(eq(jobs.key, 'chain-1'));
    assert.equal(chain.status, 'pending');
    assert.deepEqual(chain.payload, { level: 2 });
    assert.equal(chain.runAt.getTime(), later.getTime());
    const [same] = await database.db.select().from(jobs).where(eq(jobs.key, 'same-1'));
    assert.equal(same.status, 'done');
  });

  it('with several slots, jobs of one order key run in claim order while other keys run beside them', async () => {
    const order: Record<string, number[]> = { a: [], b: [], c: [] };
    let running = 0;
    let most = 0;
    // The first job of key a waits until a job of key b has started: a worker running one job at a time never gets there.
    let bStarted!: () => void;
    const bGate = new Promise<void>((resolve) => { bStarted = resolve; });
    const handler = async (job: { payload: Record<string, unknown> }) => {
      const { k, n } = job.payload as { k: string; n: number };
      running++;
      most = Math.max(most, running);
      if (k === 'b') bStarted();
      if (k === 'a' && n === 0) await Promise.race([bGate, new Promise((_, reject) => setTimeout(() => reject(new Error('b never ran beside a')), 10_000))]);
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      order[k].push(n);
      running--;
    };
    await database.db.transaction(async (tx) => {
      for (let n = 0; n < 10; n++) for (const k of ['a', 'b', 'c']) await schedule(tx, { queue: 'ordered', payload: { k, n } });
    });
    const w = await startWorker(database, { nodeId: 'ordered', pollMs: 50, concurrency: 4, batch: 7, handlers: { ordered: handler },
      orderKey: (job) => String(job.payload.k) });
    await w.drain();
    await w.stop();
    for (const k of ['a', 'b', 'c']) assert.deepEqual(order[k], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], `key ${k} in order`);
    assert.ok(most > 1 && most <= 4, `ran ${most} at once`);
    const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where queue = 'ordered' and status <> 'done'`);
    assert.equal(n, 0);
  });

  it('one slow job does not hold up the ones claimed after it', async () => {
    let released!: () => void;
    const release = new Promise<void>((resolve) => { released = resolve; });
    let quick = 0;
    const w = await startWorker(database, { nodeId: 'straggler', pollMs: 50, concurrency: 2, batch: 3, handlers: {
      // The slow job finishes only once all 12 quick ones are done, which needs claims after its own.
      slow: async () => { await Promise.race([release, new Promise((_, reject) => setTimeout(() => reject(new Error('quick jobs were held up')), 10_000))]); },
      quick: async () => { if (++quick === 12) released(); },
    } });
    await schedule(database.db, { queue: 'slow', payload: {} });
    await database.db.transaction(async (tx) => { for (let n = 0; n < 12; n++) await schedule(tx, { queue: 'quick', payload: { n } }); });
    await w.drain();
    await w.stop();
    assert.equal(quick, 12);
    const rows = await queryRows<{ status: string }>(database.db, sql`select status from jobs where queue in ('slow', 'quick')`);
    assert.deepEqual([...new Set(rows.map((r) => r.status))], ['done']);
  });

  it('renews the locks of a claimed batch while a slow handler runs, so no other node runs them again', async () => {
    const runs: number[] = [];
    const slow = async (job: { payload: Record<string, unknown> }) => { runs.push(Number(job.payload.n)); await new Promise((r) => setTimeout(r, 2500)); };
    for (let n = 0; n < 3; n++) await schedule(database.db, { queue: 'slow', payload: { n } });
    const first = await startWorker(database, { nodeId: 'slow-1', pollMs: 60_000, lockSeconds: 4, batch: 10, handlers: { slow } });
    first.poke(); // claims all three at once
    while (!runs.length) await new Promise((r) => setTimeout(r, 20));
    // A second node polls eagerly; without renewal it would take jobs 2 and 3 once their 4 s locks expire.
    const second = await startWorker(database, { nodeId: 'slow-2', pollMs: 100, lockSeconds: 4, handlers: { slow } });
    await first.drain();
    await second.drain();
    await Promise.all([first.stop(), second.stop()]);
    assert.deepEqual(runs.sort(), [0, 1, 2]);
  });

  it('a job whose wake-up comes while the worker is finishing its last batch still runs at once, not a poll later', async () => {
    // The worker's statements are watched: its marking of finished jobs as done is held until the
    // loop has found nothing more to claim, i.e. until it is on its way out.
    const dialect = new PgDialect();
    let emptyClaims = 0;
    let heldFlush!: () => void;
    const flushHeld = new Promise<void>((resolve) => { heldFlush = resolve; });
    let flushStarted!: () => void;
    const flushing = new Promise<void>((resolve) => { flushStarted = resolve; });
    const watched = new Proxy(database.db, {
      get(target, prop, receiver) {
        if (prop !== 'execute') return Reflect.get(target, prop, receiver);
        return async (query: SQL) => {
          const text = dialect.sqlToQuery(query).sql;
          if (text.includes("set status = 'done'")) { flushStarted(); await flushHeld; }
          const res = await target.execute(query);
          if (text.includes('skip locked') && !(res as unknown as { rows: unknown[] }).rows.length) emptyClaims++;
          return res;
        };
      },
    });
    const ran: string[] = [];
    await schedule(database.db, { queue: 'late', payload: { n: 'first' } });
    // no polling to fall back on: only the wake-up can start the second job
    const w = await startWorker({ ...database, db: watched }, { nodeId: 'late', pollMs: 600_000, handlers: { late: async (job) => { ran.push(String(job.payload.n)); } } });
    try {
      await flushing;
      await waitFor(() => emptyClaims > 0, 'the worker finding nothing more to claim');
      await new Promise((r) => setImmediate(r)); // the loop has left its last look and waits on the held flush
      // a job written without NOTIFY, and its wake-up delivered now, inside that window
      await database.db.insert(jobs).values({ queue: 'late', payload: { n: 'second' } });
      w.poke();
      heldFlush();
      await waitFor(() => ran.includes('second'), 'the second job to run');
    } finally {
      heldFlush();
      await w.stop();
    }
    assert.deepEqual(ran, ['first', 'second']);
  });
});
