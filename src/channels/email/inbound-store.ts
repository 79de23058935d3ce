import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { inboundMails, mailboxes, type Mailbox, type MailboxCursor } from './email.schema.ts';

/**
 * The door every mail comes in through, whatever fetched it: the raw bytes are stored before anything
 * else happens, keyed by (mailbox, remote id), together with the fetcher's cursor in one transaction.
 * A mail stored is never lost (the pipeline picks up whatever is still 'received'); a mail fetched
 * again after a crash or a cursor reset is skipped here.
 */

export interface FetchedMail {
  /** IMAP "<uidvalidity>:<uid>", a POP3 UIDL, or "smtp:<sha256>". */
  remoteId: string;
  raw: Buffer;
}

/** The fetcher lost its lease (it took too long, another node took the mailbox over): stop, store nothing. */
export class LeaseLostError extends Error {
  constructor(mailboxId: string) { super(`lost the lease on mailbox ${mailboxId}`); }
}

export const LEASE_SECONDS = 60;

/**
 * Stores a batch in the order given and moves the cursor past it, in one transaction. With `leaseOwner`
 * the write is fenced: it happens only while that owner still holds the mailbox (and renews the lease).
 * Resolves to how many mails were new.
 */
export async function storeFetched(db: Conn, mailbox: Pick<Mailbox, 'id' | 'tenantId'>, mails: readonly FetchedMail[], opts: { cursor?: MailboxCursor; leaseOwner?: string } = {}): Promise<number> {
  return db.transaction(async (tx) => {
    if (opts.leaseOwner || opts.cursor) {
      const held = await tx.update(mailboxes).set({
        ...(opts.cursor ? { cursor: opts.cursor } : {}),
        ...(opts.leaseOwner ? { leaseUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` } : {}),
      }).where(and(eq(mailboxes.id, mailbox.id), opts.leaseOwner ? eq(mailboxes.leaseOwner, opts.leaseOwner) : undefined)).returning({ id: mailboxes.id });
      if (!held.length) throw new LeaseLostError(mailbox.id);
    }
    if (!mails.length) return 0;
    const unique = [...new Map(mails.map((m) => [m.remoteId, m])).values()];
    // received_at keeps the server's order within the batch too (one microsecond apart: the clock may
    // tick in milliseconds), which threading needs: a reply fetched with the mail it answers comes after it.
    const stored = await tx.insert(inboundMails).values(unique.map((m, i) => ({
      tenantId: mailbox.tenantId, mailboxId: mailbox.id, remoteId: m.remoteId, raw: m.raw, size: m.raw.length,
      receivedAt: sql`clock_timestamp() + ${i}::int * interval '1 microsecond'`,
    }))).onConflictDoNothing({ target: [inboundMails.tenantId, inboundMails.mailboxId, inboundMails.remoteId] }).returning({ id: inboundMails.id });
    return stored.length;
  });
}

/** Which of these remote ids this mailbox already stored (POP3's seen UIDLs). */
export async function knownRemoteIds(db: Conn, mailbox: Pick<Mailbox, 'id' | 'tenantId'>, remoteIds: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < remoteIds.length; i += 1000) {
    const chunk = remoteIds.slice(i, i + 1000);
    const rows = await db.select({ remoteId: inboundMails.remoteId }).from(inboundMails)
      .where(and(eq(inboundMails.tenantId, mailbox.tenantId), eq(inboundMails.mailboxId, mailbox.id), inArray(inboundMails.remoteId, chunk)));
    for (const r of rows) known.add(r.remoteId);
  }
  return known;
}
