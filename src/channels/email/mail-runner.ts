import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { classifyConnectError } from './connect-errors.ts';
import { inboundMails, mailboxes, type Mailbox } from './email.schema.ts';
import { knownRemoteIds, LEASE_SECONDS, LeaseLostError, storeFetched } from './inbound-store.ts';
import { processPending, type PipelineDeps } from './ingest-mail.ts';
import { openSession, type FetchSession, type MailSink } from './mail-server.ts';

/**
 * One mailbox's turn: claim it (a lease on its row, so one node at a time fetches it), recover what an
 * earlier run stored but did not finish, fetch, run the pipeline, record how it went, give it back.
 * The scheduler runs many of these side by side; "sync now" runs one in the request.
 */

export const MAIL_CHANNEL = 'kefu_mail';

/** Claims due mailboxes (or one given mailbox, due or not) for `owner`, skipping any another node holds. */
export async function claimMailboxes(db: Db, owner: string, opts: { limit: number; mailboxId?: string }): Promise<Mailbox[]> {
  if (opts.limit <= 0) return [];
  const free = or(isNull(mailboxes.leaseUntil), lt(mailboxes.leaseUntil, sql`now()`));
  const due = opts.mailboxId ? eq(mailboxes.id, opts.mailboxId) : and(eq(mailboxes.active, true), sql`${mailboxes.nextSyncAt} <= now()`);
  const candidates = db.select({ id: mailboxes.id }).from(mailboxes).where(and(due, free))
    .orderBy(mailboxes.nextSyncAt).limit(opts.limit).for('update', { skipLocked: true });
  return db.update(mailboxes).set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(and(inArray(mailboxes.id, candidates), free)).returning();
}

/** Keeps the lease while the run lasts; false when it was lost (the run must stop). */
async function renewLease(db: Db, id: string, owner: string): Promise<boolean> {
  const rows = await db.update(mailboxes).set({ leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
    .where(and(eq(mailboxes.id, id), eq(mailboxes.leaseOwner, owner))).returning({ id: mailboxes.id });
  return rows.length > 0;
}

/**
 * Leases of nodes that died: on an embedded database this process owns the data directory, so every
 * lease is from an earlier life; otherwise only leases under our own (stable) node id are.
 */
export async function releaseDeadLeases(db: Db, nodeId: string, ownsDatabase: boolean): Promise<number> {
  const rows = await db.update(mailboxes).set({ leaseOwner: null, leaseUntil: null })
    .where(ownsDatabase ? sql`${mailboxes.leaseOwner} is not null` : sql`${mailboxes.leaseOwner} like ${`${nodeId}/%`}`).returning({ id: mailboxes.id });
  return rows.length;
}

export interface RunOptions {
  owner: string;
  /** Stay connected and wait for the server's push (IMAP IDLE) between fetches, until told to stop. */
  idle: boolean;
  /** Aborted: finish the current fetch and give the mailbox back. */
  stop?: AbortSignal;
  /** How long an idling run keeps its mailbox before giving others (and other nodes) a turn. */
  maxRunMs?: number;
  /** Wakes an idle wait at once ("sync now" for a mailbox this run holds). */
  onWaker?(wake: () => void): void;
}

export interface RunResult { stored: number; processed: number; ok: boolean; error?: string }

async function recordSync(db: Db, id: string, owner: string, result: { ok: boolean; error?: string; stored: number }): Promise<void> {
  await db.update(mailboxes).set({
    lastSyncState: result.ok ? 'ok' : 'error', lastSyncAt: new Date(), lastError: result.ok ? null : (result.error ?? '').slice(0, 1000), lastFetched: result.stored,
  }).where(and(eq(mailboxes.id, id), eq(mailboxes.leaseOwner, owner)));
}

async function release(db: Db, m: Mailbox, owner: string, againAt: 'now' | 'interval'): Promise<void> {
  await db.update(mailboxes).set({
    leaseOwner: null, leaseUntil: null,
    nextSyncAt: againAt === 'now' ? sql`now()` : sql`now() + make_interval(secs => ${m.pollIntervalSeconds})`,
  }).where(and(eq(mailboxes.id, m.id), eq(mailboxes.leaseOwner, owner)));
}

export async function runMailbox(deps: PipelineDeps, m: Mailbox, opts: RunOptions): Promise<RunResult> {
  const { db } = deps;
  const lost = new AbortController();
  const keeper = setInterval(() => {
    renewLease(db, m.id, opts.owner).then((held) => { if (!held) lost.abort(); }).catch(() => {});
  }, (LEASE_SECONDS * 1000) / 3);
  keeper.unref();
  const stopping = () => lost.signal.aborted || !!opts.stop?.aborted;

  let processing: Promise<void> = Promise.resolve();
  let processed = 0;
  const kick = () => {
    processing = processing.then(async () => {
      if (stopping()) return;
      const s = await processPending(deps, m, { shouldStop: stopping });
      processed += s.processed;
    }).catch((err) => deps.log?.('inbound mail processing failed', { mailbox: m.id, err: String(err) }));
  };
  // whatever an earlier run (or the SMTP receiver) stored but did not get through the pipeline
  kick();

  const sink: MailSink = {
    store: async (mails, cursor) => {
      if (lost.signal.aborted) throw new LeaseLostError(m.id);
      const n = await storeFetched(db, m, mails, { cursor, leaseOwner: opts.owner });
      if (n) kick();
      return n;
    },
    known: (ids) => knownRemoteIds(db, m, ids),
  };

  let stored = 0;
  let session: FetchSession | null = null;
  let result: RunResult = { stored: 0, processed: 0, ok: true };
  let againAt: 'now' | 'interval' = 'interval';
  const started = Date.now();
  try {
    if (m.protocol !== 'smtp_receiver') {
      session = await openSession(m, sink);
      for (;;) {
        const n = await session.fetch();
        stored += n;
        await recordSync(db, m.id, opts.owner, { ok: true, stored: n });
        if (!opts.idle || !session.waitForMail || stopping()) break;
        if (opts.maxRunMs !== undefined && Date.now() - started > opts.maxRunMs) { againAt = 'now'; break; }
        const wake = new AbortController();
        const onStop = () => wake.abort();
        opts.stop?.addEventListener('abort', onStop);
        lost.signal.addEventListener('abort', onStop);
        opts.onWaker?.(() => wake.abort());
        // wakes on new mail, on "sync now", on stop; else polls again after the interval (IDLE's fallback)
        await session.waitForMail(Math.min(m.pollIntervalSeconds * 1000, opts.maxRunMs ?? Infinity), wake.signal);
        opts.stop?.removeEventListener('abort', onStop);
        lost.signal.removeEventListener('abort', onStop);
        if (stopping()) break;
        // Changed settings (a new password, another folder) or a deactivation end this connection: the
        // mailbox is due again at once and the next run connects with what is stored now.
        const [now] = await db.select({ updatedAt: mailboxes.updatedAt, active: mailboxes.active }).from(mailboxes).where(eq(mailboxes.id, m.id));
        if (!now || !now.active || now.updatedAt.getTime() !== m.updatedAt.getTime()) { againAt = 'now'; break; }
      }
    }
    await processing;
    // stopped before the pipeline caught up (a "sync now" with a big backlog): due again at once
    if (opts.stop?.aborted && (await db.select({ id: inboundMails.id }).from(inboundMails)
      .where(and(eq(inboundMails.mailboxId, m.id), eq(inboundMails.status, 'received'))).limit(1)).length) againAt = 'now';
    result = { stored, processed, ok: true };
  } catch (err) {
    await processing;
    const failure = classifyConnectError(err);
    result = { stored, processed, ok: false, error: `${failure.code}: ${failure.detail}` };
    if (!(err instanceof LeaseLostError)) await recordSync(db, m.id, opts.owner, { ok: false, error: result.error, stored }).catch(() => {});
    deps.log?.('mailbox fetch failed', { mailbox: m.id, error: result.error });
  } finally {
    clearInterval(keeper);
    await session?.close().catch(() => {});
    await release(db, m, opts.owner, againAt).catch(() => {});
  }
  return result;
}
