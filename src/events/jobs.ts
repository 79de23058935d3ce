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

export type JobHandler = (job: ClaimedJob) => Promise<void>;
export interface ClaimedJob { id: number; queue: string; tenantId: string | null; payload: Record<string, unknown>; attempts: number }

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  nodeId?: string;
  pollMs?: number;
  batch?: number;
  /** Runs once per claimed batch before its jobs (e.g. to load every event the batch delivers in one query). */
  beforeBatch?: (jobs: ClaimedJob[]) => Promise<void>;
  /** How long a claimed job stays locked before another node may retry it (a crashed node's jobs come back). */
  lockSeconds?: number;
  onError?: (job: ClaimedJob, err: unknown) => void;
}

export interface Worker { stop(): Promise<void>; poke(): void; drain(): Promise<void> }

/**
 * Runs due jobs. Claiming is one UPDATE … FOR UPDATE SKIP LOCKED, so across any number of nodes each
 * job runs once; a job whose node dies is retried once its lock expires.
 */
export async function startWorker(database: Database, opts: WorkerOptions): Promise<Worker> {
  const nodeId = opts.nodeId ?? `${os.hostname()}:${process.pid}`;
  const { db } = database;
  const pollMs = opts.pollMs ?? 1000;
  const batch = opts.batch ?? 20;
  const lockSeconds = opts.lockSeconds ?? 60;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const claim = async (): Promise<ClaimedJob[]> => {
    const rows = await queryRows(db, sql`
      update jobs set attempts = attempts + 1, locked_by = ${nodeId},
        locked_until = now() + make_interval(secs => ${lockSeconds})
      where id in (
        select id from jobs
        where status = 'pending' and run_at <= now() and (locked_until is null or locked_until < now())
        order by run_at, id limit ${batch}
        for update skip locked)
      returning id, queue, tenant_id, payload, attempts, max_attempts`);
    return rows.map((r) => ({
      id: Number(r.id), queue: String(r.queue), tenantId: (r.tenant_id as string | null) ?? null,
      payload: r.payload as Record<string, unknown>, attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    }));
  };

  // Finished jobs are marked done together, one statement per batch instead of one per job.
  // `locked_by = us` skips a job whose handler rescheduled its own key (it is pending again).
  const complete = async (ids: number[]) => {
    if (!ids.length) return;
    await db.execute(sql`update jobs set status = 'done', finished_at = now(), locked_until = null
      where locked_by = ${nodeId} and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
    ids.length = 0;
  };

  /** Runs one job; true when it succeeded (the caller marks it done), a failure is recorded here. */
  const runOne = async (job: ClaimedJob & { maxAttempts?: number }): Promise<boolean> => {
    const handler = opts.handlers[job.queue];
    try {
      if (!handler) throw new Error(`no handler for queue ${job.queue}`);
      await handler(job);
      return true;
    } catch (err) {
      opts.onError?.(job, err);
      const final = job.attempts >= (job.maxAttempts ?? 8);
      const backoff = Math.min(3600, 2 ** job.attempts);
      await db.execute(sql`update jobs set
          status = ${final ? 'failed' : 'pending'}, last_error = ${String((err as Error)?.message ?? err).slice(0, 2000)},
          run_at = now() + make_interval(secs => ${backoff}), locked_until = null,
          finished_at = ${final ? sql`now()` : null}
        where id = ${job.id} and locked_by = ${nodeId}`);
      return false;
    }
  };

  const loop = async () => {
    do {
      again = false;
      for (;;) {
        if (stopped) return;
        const claimed = await claim().catch(() => [] as ClaimedJob[]);
        if (!claimed.length) break;
        await opts.beforeBatch?.(claimed).catch(() => {});
        let lockedAt = Date.now();
        const done: number[] = [];
        for (const [i, job] of claimed.entries()) {
          // Slow handlers (a slow mail server) must not let the rest of the batch's locks run out,
          // or another node would claim and run them a second time.
          if (Date.now() - lockedAt > (lockSeconds * 1000) / 2) {
            await complete(done).catch(() => {});
            const rest = claimed.slice(i).map((j) => j.id);
            await db.execute(sql`update jobs set locked_until = now() + make_interval(secs => ${lockSeconds})
              where locked_by = ${nodeId} and id in (${sql.join(rest.map((id) => sql`${id}`), sql`, `)})`).catch(() => {});
            lockedAt = Date.now();
          }
          if (await runOne(job)) done.push(job.id);
        }
        await complete(done).catch(() => {});
      }
    } while (again && !stopped);
  };

  const poke = () => {
    if (stopped) return;
    if (running) { again = true; return; }
    running = loop().finally(() => { running = null; });
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
      await unlisten();
      while (running) await running;
    },
  };
}
