import { and, count, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { mailboxes } from './email.schema.ts';
import type { PipelineDeps } from './ingest-mail.ts';
import { claimMailboxes, MAIL_CHANNEL, releaseDeadLeases, runMailbox } from './mail-runner.ts';

/**
 * Fetches every active mailbox side by side, at most `concurrency` at once per node. Each mailbox is its
 * own durable timer (nextSyncAt on its row) claimed with a lease, so across any number of nodes one
 * node at a time fetches it, and a node that dies hands it on when its lease runs out. IMAP mailboxes
 * stay connected in IDLE between fetches while there are slots to spare; when others are waiting, the
 * idling ones give their slot back and are polled on their interval instead.
 */

export interface MailScheduler {
  /** Look for due mailboxes now; with a mailbox id, also wake the run that holds it. */
  poke(mailboxId?: string): void;
  stop(): Promise<void>;
}

export interface SchedulerOptions {
  database: Database;
  deps: PipelineDeps;
  nodeId: string;
  concurrency: number;
  /** How often the node looks for due mailboxes (a NOTIFY wakes it sooner). */
  tickMs?: number;
  /** How long an idling run keeps its mailbox before giving it back (it is claimed again at once). */
  maxRunMs?: number;
  /** This process owns the database (embedded PGlite): every lease left over is from a dead process. */
  ownsDatabase: boolean;
}

interface Running { done: Promise<void>; stop: AbortController; wake?: () => void; idle: boolean }

export async function startMailScheduler(opts: SchedulerOptions): Promise<MailScheduler> {
  const { database, deps, nodeId } = opts;
  const db = database.db;
  const tickMs = opts.tickMs ?? 2000;
  const running = new Map<string, Running>();
  let stopped = false;
  let ticking: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let seq = 0;

  const released = await releaseDeadLeases(db, nodeId, opts.ownsDatabase);
  if (released) deps.log?.('mailbox leases of a process that died were released', { released });

  const start = (m: Awaited<ReturnType<typeof claimMailboxes>>[number], owner: string) => {
    const stop = new AbortController();
    const entry: Running = { stop, idle: m.protocol === 'imap', done: Promise.resolve() };
    entry.done = runMailbox(deps, m, {
      owner, idle: entry.idle, stop: stop.signal, maxRunMs: opts.maxRunMs ?? 10 * 60_000,
      onWaker: (wake) => { entry.wake = wake; },
    }).then(() => {}, (err) => deps.log?.('mailbox run crashed', { mailbox: m.id, err: String(err) })).finally(() => {
      running.delete(m.id);
      if (!stopped) poke();
    });
    running.set(m.id, entry);
  };

  const tick = async () => {
    const free = opts.concurrency - running.size;
    if (free > 0) {
      const claimed = await claimMailboxes(db, `${nodeId}/${++seq}`, { limit: free });
      for (const m of claimed) start(m, `${nodeId}/${seq}`);
      return;
    }
    // Every slot is taken: if mailboxes are waiting, idling runs make way (they are polled meanwhile).
    const [{ waiting }] = await db.select({ waiting: count() }).from(mailboxes).where(and(eq(mailboxes.active, true), sql`${mailboxes.nextSyncAt} <= now()`,
      or(isNull(mailboxes.leaseUntil), lt(mailboxes.leaseUntil, sql`now()`))));
    if (waiting) {
      for (const r of [...running.values()].filter((x) => x.idle).slice(0, waiting)) r.stop.abort();
    }
  };

  const poke = () => {
    if (stopped) return;
    if (ticking) { again = true; return; }
    ticking = (async () => {
      do {
        again = false;
        await tick().catch((err) => deps.log?.('mailbox scheduling failed', { err: String(err) }));
      } while (again && !stopped);
    })().finally(() => { ticking = null; });
  };

  const unlisten = await database.listen(MAIL_CHANNEL, (payload) => {
    if (payload) running.get(payload)?.wake?.();
    poke();
  });
  const loop = () => { poke(); timer = setTimeout(loop, tickMs); };
  loop();

  return {
    poke(mailboxId) {
      if (mailboxId) running.get(mailboxId)?.wake?.();
      poke();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await unlisten();
      for (const r of running.values()) r.stop.abort();
      while (ticking) await ticking;
      await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}
