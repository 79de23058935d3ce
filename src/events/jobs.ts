import os from 'node:os';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { queryRows, type Conn, type Database } from '../db/client.ts';
import { jobs } from './events.schema.ts';

export const JOBS_CHANNEL = 'kefu_jobs';

export interface ScheduleInput {
  queue: string;
  payload: Record<string, unknown>;
  tenantId?: string | null;
  /** Same key = reschedule the existing timer instead of adding a second one. */
  key?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/** Schedules a job inside the caller's transaction: it exists only if the transaction commits. */
export async function schedule(conn: Conn, input: ScheduleInput): Promise<void> {
  const values = {
    queue: input.queue,
    payload: input.payload,
    tenantId: input.tenantId ?? null,
    key: input.key ?? null,
    runAt: input.runAt ?? new Date(),
    maxAttempts: input.maxAttempts ?? 8,
  };
  const insert = conn.insert(jobs).values(values);
  if (input.key) {
    // Rescheduling a keyed timer releases any claim on it (lockedBy null), so a handler that reschedules
    // its own key (the next escalation level) is not marked done when it returns. An unchanged timer is
    // left alone, so a handler that recomputes its own timer does not make it run again.
    await insert.onConflictDoUpdate({
      target: jobs.key,
      set: { payload: values.payload, runAt: values.runAt, status: 'pending', attempts: 0, lastError: null, lockedBy: null, lockedUntil: null, finishedAt: null },
      setWhere: sql`${jobs.status} <> 'pending' or ${jobs.runAt} is distinct from excluded.run_at or ${jobs.payload}::text is distinct from excluded.payload::text`,
    });
  } else {
    await insert;
  }
  await wake(conn);
}

/** Cancels pending timers by key (one statement however many keys). */
export async function cancel(conn: Conn, ...keys: string[]): Promise<void> {
  if (!keys.length) return;
  await conn.delete(jobs).where(and(keys.length === 1 ? eq(jobs.key, keys[0]) : inArray(jobs.key, keys), eq(jobs.status, 'pending')));
}

/** Transactions that already asked for a wake-up: PostgreSQL folds repeated NOTIFYs of a transaction into one anyway. */
const woken = new WeakSet<object>();

/** NOTIFY is transactional: workers on every node wake when the scheduling transaction commits. */
export async function wake(conn: Conn): Promise<void> {
  const inTx = conn instanceof PgTransaction;
  if (inTx && woken.has(conn)) return;
  await conn.execute(sql`select pg_notify(${JOBS_CHANNEL}, '')`);
  if (inTx) woken.add(conn);
}

/** Job ids as an SQL list for `in (…)`. */
const idList = (ids: Iterable<number>) => sql.join([...ids].map((id) => sql`${id}`), sql`, `);

export type JobHandler = (job: ClaimedJob) => Promise<void>;
export interface ClaimedJob { id: number; queue: string; key: string | null; tenantId: string | null; payload: Record<string, unknown>; attempts: number }

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  nodeId?: string;
  pollMs?: number;
  /** Jobs claimed per query. */
  batch?: number;
  /** Handlers running at once. Jobs with the same order key still run one after another, in claim order. */
  concurrency?: number;
  /**
   * Jobs that must not overtake each other share a key (all deliveries for one ticket, say); null runs the
   * job beside any other. Keyed timers are always ordered by their key, so a rescheduled timer never runs
   * beside its previous run.
   */
  orderKey?: (job: ClaimedJob) => string | null;
  /** Runs once per claim before its jobs start (e.g. to load every event the claim delivers in one query). */
  beforeBatch?: (jobs: ClaimedJob[]) => Promise<void>;
  /** How long a claimed job stays locked before another node may retry it (a crashed node's jobs come back). */
  lockSeconds?: number;
  onError?: (job: ClaimedJob, err: unknown) => void;
}

export interface Worker { stop(): Promise<void>; poke(): void; drain(): Promise<void> }

/**
 * Runs due jobs. Claiming is one UPDATE … FOR UPDATE SKIP LOCKED, so across any number of nodes each
 * job runs once; a job whose node dies is retried once its lock expires.
 *
 * Claimed jobs run `concurrency` at a time as a pipeline: a free slot is refilled by the next claim, so
 * one slow handler (a mail server taking its time) holds up only the jobs ordered behind it.
 */
export async function startWorker(database: Database, opts: WorkerOptions): Promise<Worker> {
  const nodeId = opts.nodeId ?? `${os.hostname()}:${process.pid}`;
  const { db } = database;
  const pollMs = opts.pollMs ?? 1000;
  const batch = opts.batch ?? 20;
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  // Claimed but unfinished jobs this node holds at most: enough to keep every slot busy between claims.
  const capacity = Math.max(batch, concurrency * 4);
  const lockSeconds = opts.lockSeconds ?? 60;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  /** Claimed by this node and not yet recorded as done or failed: never claimed twice by us. */
  const mine = new Set<number>();
  /** Claimed and not yet finished (their locks are renewed). */
  const unfinished = new Set<number>();
  const finished: number[] = [];
  let flushing: Promise<void> | null = null;
  const tails = new Map<string, Promise<void>>();
  let active = 0;
  const slotWaiters: Array<() => void> = [];
  let wakeLoop: (() => void) | null = null;
  const nudge = () => { const w = wakeLoop; wakeLoop = null; w?.(); };

  const claim = async (limit: number): Promise<ClaimedJob[]> => {
    const skip = mine.size ? sql`and id not in (${idList(mine)})` : sql``;
    const rows = await queryRows(db, sql`
      update jobs set attempts = attempts + 1, locked_by = ${nodeId},
        locked_until = now() + make_interval(secs => ${lockSeconds})
      where id in (
        select id from jobs
        where status = 'pending' and run_at <= now() and (locked_until is null or locked_until < now()) ${skip}
        order by run_at, id limit ${limit}
        for update skip locked)
      returning id, queue, key, tenant_id, payload, attempts, max_attempts`);
    // UPDATE … RETURNING does not keep the subquery's order; claim order is run order within an order key.
    return rows.map((r) => ({
      id: Number(r.id), queue: String(r.queue), key: (r.key as string | null) ?? null, tenantId: (r.tenant_id as string | null) ?? null,
      payload: r.payload as Record<string, unknown>, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    })).sort((a, b) => a.id - b.id);
  };

  // Finished jobs are marked done together, one statement for all that finished within a few ms (or
  // at once when nothing else runs, so drain() and stop() need not wait).
  // `locked_by = us` skips a job whose handler rescheduled its own key (it is pending again); the claim
  // skips ids still in `mine`, so that rescheduled job cannot be ours again before this runs.
  let flushTimer: NodeJS.Timeout | null = null;
  const finishedOne = () => {
    if (finished.length >= batch || !unfinished.size) { void flush(); return; }
    flushTimer ??= setTimeout(() => { void flush(); }, 5);
  };
  const flush = (): Promise<void> => {
    if (flushTimer) { clearTimeout(flushTimer); flushTimer = null; }
    flushing ??= (async () => {
      while (finished.length) {
        const ids = finished.splice(0);
        await db.execute(sql`update jobs set status = 'done', finished_at = now(), locked_until = null
          where locked_by = ${nodeId} and id in (${idList(ids)})`).catch(() => {});
        for (const id of ids) mine.delete(id);
      }
    })().finally(() => { flushing = null; });
    return flushing;
  };

  // Slow handlers must not let their locks run out, or another node would claim and run them a second time.
  const renew = setInterval(() => {
    if (!unfinished.size) return;
    void db.execute(sql`update jobs set locked_until = now() + make_interval(secs => ${lockSeconds})
      where locked_by = ${nodeId} and status = 'pending' and id in (${idList(unfinished)})`).catch(() => {});
  }, (lockSeconds * 1000) / 3);
  renew.unref();

  /** Runs one job; a failure is recorded here with its backoff, a success is marked done by `flush`. */
  const runOne = async (job: ClaimedJob & { maxAttempts?: number }): Promise<void> => {
    const handler = opts.handlers[job.queue];
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      await handler(job);
      unfinished.delete(job.id);
      finished.push(job.id);
      finishedOne();
    } catch (err) {
      opts.onError?.(job, err);
      const final = job.attempts >= (job.maxAttempts ?? 8);
      const backoff = Math.min(3600, 2 ** job.attempts);
      await db.execute(sql`update jobs set
          status = ${final ? 'failed' : 'pending'}, last_error = ${String((err as Error)?.message ?? err).slice(0, 2000)},
          run_at = now() + make_interval(secs => ${backoff}), locked_until = null,
          finished_at = ${final ? sql`now()` : null}
        where id = ${job.id} and locked_by = ${nodeId}`).catch(() => {});
      // Only now is it unfinished no more: drain() and stop() must not see the worker idle before the
      // failure (and its backoff) is recorded.
      unfinished.delete(job.id);
      mine.delete(job.id);
    }
  };

  const withSlot = async (job: ClaimedJob) => {
    if (active < concurrency) active++;
    else await new Promise<void>((resolve) => slotWaiters.push(resolve)); // the slot is handed over, not freed
    try {
      await runOne(job);
    } finally {
      const next = slotWaiters.shift();
      if (next) next();
      else active--;
      // Claim more when a slot would otherwise idle (a claim per several jobs under load, not per job).
      if (unfinished.size < concurrency) nudge();
    }
  };

  const start = (job: ClaimedJob) => {
    const key = opts.orderKey?.(job) ?? (job.key ? `key:${job.key}` : null);
    if (!key) { void withSlot(job); return; }
    const run = (tails.get(key) ?? Promise.resolve()).then(() => withSlot(job));
    tails.set(key, run);
    void run.then(() => { if (tails.get(key) === run) tails.delete(key); });
  };

  const loop = async () => {
    while (!stopped) {
      again = false;
      const room = capacity - unfinished.size;
      const claimed = room > 0 ? await claim(Math.min(room, batch)).catch(() => [] as ClaimedJob[]) : [];
      if (claimed.length) {
        for (const job of claimed) { mine.add(job.id); unfinished.add(job.id); }
        await opts.beforeBatch?.(claimed).catch(() => {});
        for (const job of claimed) start(job);
        continue;
      }
      if (!unfinished.size && !again) break;
      if (again) continue;
      await new Promise<void>((resolve) => { wakeLoop = resolve; });
    }
    while (unfinished.size) await new Promise<void>((resolve) => { wakeLoop = resolve; });
    await flush();
  };

  const poke = () => {
    if (stopped) return;
    if (running) { again = true; if (unfinished.size < concurrency) nudge(); return; }
    // A poke after the loop's last look (while it flushes on its way out) would be lost until the next
    // poll, a whole pollMs later: the loop leaves `again` false when it quits, so true here is such a poke.
    running = loop().finally(() => { running = null; if (again) poke(); });
  };

  const unlisten = await database.listen(JOBS_CHANNEL, poke);
  const tick = () => { poke(); timer = setTimeout(tick, pollMs); };
  tick();

  return {
    poke,
    /** Runs until nothing is due (tests use this instead of sleeping). */
    async drain() {
      for (let i = 0; i < 100; i++) {
        poke();
        while (running) await running;
        const [{ n }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from jobs
          where status = 'pending' and run_at <= now() and (locked_until is null or locked_until < now())`);
        if (!n) return;
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(renew);
      await unlisten();
      nudge();
      while (running) await running;
    },
  };
}
