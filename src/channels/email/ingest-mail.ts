import { and, asc, eq, inArray, notInArray, sql, TransactionRollbackError } from 'drizzle-orm';
import type { Conn, Db } from '../../db/client.ts';
import type { InboundMessage } from '../adapter.ts';
import { systemCtx, type Ctx } from '../../modules/context.ts';
import { maskEmail } from '../../modules/customers/customers.service.ts';
import { messages, tickets } from '../../modules/tickets/tickets.schema.ts';
import { ingest } from '../../modules/tickets/tickets.service.ts';
import type { FileStore } from '../../modules/attachments/file-store.ts';
import { inTenant } from '../../modules/tenant-scope.ts';
import { detectAuto, type AutoDetection } from './detect-auto.ts';
import { inboundMails, mailboxes, type InboundMail } from './email.schema.ts';
import { foldQuotes } from './fold-quotes.ts';
import { parseMail, type ParsedMail } from './parse-mail.ts';
import { threadHints, type ThreadHints } from './thread-hints.ts';
import { messageIds, readHeaderBlock } from './raw-headers.ts';
import { autoReply } from './auto-reply.ts';
import { markBounced } from './bounce-match.ts';

/**
 * The inbound mail pipeline: one ordered list of named steps from a stored raw mail to a ticket.
 *
 *   (store raw: inbound-store.ts, at the door) → parse → own loop → dedupe by Message-ID → detect auto
 *   (a bounce of our own mail marks it bounced) → thread hints → ingest (customer by address, new ticket
 *   or reply, attachments; a new ticket gets the mailbox's auto-reply)
 *
 * Each step either lets the mail go on or ends it with an outcome (rejected, duplicate, ignored_auto,
 * ingested), which is written to the inbound_mails row in the same transaction as the ticket change.
 * Idempotent end to end: a row is only processed while 'received' (under a row lock), and ingest
 * drops a Message-ID it already stored, so a crash between any two steps and a re-run never makes a
 * second ticket. A mail whose processing keeps failing is rejected after MAX_ATTEMPTS, never retried forever.
 */

export const MAX_ATTEMPTS = 5;
/** Longest message body stored; the rest stays in the raw source. */
const MAX_BODY_CHARS = 100_000;

export type MailStatus = 'ingested' | 'duplicate' | 'ignored_auto' | 'rejected';
export interface MailOutcome { status: MailStatus; reason?: string; ticketId?: string | null; messageId?: string | null; created?: boolean }

export interface PipelineDeps {
  db: Db;
  files: FileStore;
  /** Where a failure is reported (the node's logger); the row keeps the reason too. */
  log?: (msg: string, extra: Record<string, unknown>) => void;
  /**
   * Mails of one mailbox processed side by side (unrelated threads only; see processPending). Worth it on
   * PostgreSQL, where a mail's time is mostly round trips; PGlite runs one statement at a time anyway.
   */
  lanes?: number;
}

interface Draft {
  row: InboundMail;
  departmentId: string | null;
  ctx: Ctx;
  mail?: ParsedMail;
  auto?: AutoDetection;
  hints?: ThreadHints;
}

interface Step {
  name: string;
  /** Ends the mail with an outcome, or undefined to go on. */
  run(d: Draft, deps: PipelineDeps): Promise<MailOutcome | undefined>;
}

/** A ticket a thread hint names, for linking machine mail that gets no ticket of its own. */
async function hintedTicket(ctx: Ctx, hints: ThreadHints, extraIds: Array<string | undefined> = []): Promise<string | null> {
  const ids = [...extraIds.filter((x): x is string => !!x), ...(hints.messageIds ?? [])].slice(0, 20);
  if (ids.length) {
    const rows = await ctx.db.select({ ticketId: messages.ticketId, externalId: messages.externalId }).from(messages)
      .where(inTenant(ctx, messages, eq(messages.channel, 'email'), inArray(messages.externalId, ids)));
    const hit = ids.map((id) => rows.find((r) => r.externalId === id)).find(Boolean);
    if (hit) return hit.ticketId;
  }
  if (hints.ticketNumber) {
    const [t] = await ctx.db.select({ id: tickets.id }).from(tickets).where(inTenant(ctx, tickets, eq(tickets.number, hints.ticketNumber)));
    if (t) return t.id;
  }
  return null;
}

/** The company's own mailbox addresses, read once per few seconds rather than once per mail. */
const OWN_TTL_MS = 10_000;
const ownCache = new Map<string, { at: number; addresses: Promise<Set<string>> }>();
function ownAddresses(ctx: Ctx): Promise<Set<string>> {
  const hit = ownCache.get(ctx.tenantId);
  if (hit && Date.now() - hit.at < OWN_TTL_MS) return hit.addresses;
  const addresses = ctx.db.select({ address: mailboxes.address }).from(mailboxes).where(inTenant(ctx, mailboxes))
    .then((rows) => new Set(rows.map((r) => r.address.toLowerCase())));
  ownCache.set(ctx.tenantId, { at: Date.now(), addresses });
  addresses.catch(() => ownCache.delete(ctx.tenantId));
  return addresses;
}

/** A display name for the customer card: never the bare address, which staff without contact rights must not see. */
function customerName(name: string, address: string): string {
  const n = name.trim();
  if (n && !n.includes('@')) return n.slice(0, 100);
  return maskEmail(address.toLowerCase()) ?? address;
}

export const PIPELINE: readonly Step[] = [
  {
    name: 'parse',
    async run(d) {
      const parsed = await parseMail(d.row.raw);
      if (!parsed.ok) return { status: 'rejected', reason: `${parsed.rejection.reason}: ${parsed.rejection.detail}` };
      d.mail = parsed.mail;
      if (!d.mail.from?.address?.includes('@')) return { status: 'rejected', reason: 'no_sender: the mail names no sender address' };
      return undefined;
    },
  },
  {
    // Mail from one of the company's own mailboxes (a forward rule pointing back at us) would loop.
    name: 'own_loop',
    async run(d) {
      const from = d.mail!.from!.address.toLowerCase();
      return (await ownAddresses(d.ctx)).has(from) ? { status: 'ignored_auto', reason: `sent by our own mailbox ${from}` } : undefined;
    },
  },
  {
    // The same mail through a second mailbox (sent to support@ and sales@), after a UIDVALIDITY reset, or
    // one of our own sent messages coming back (a Bcc to the support address). A machine mail seen twice
    // is harmless (it is ignored twice); what must not happen twice is a message.
    name: 'dedupe',
    async run(d) {
      const id = d.mail!.messageId;
      if (!id) return undefined;
      const [stored] = await d.ctx.db.select({ id: messages.id, ticketId: messages.ticketId }).from(messages)
        .where(inTenant(d.ctx, messages, eq(messages.channel, 'email'), eq(messages.externalId, id))).limit(1);
      if (stored) return { status: 'duplicate', reason: `Message-ID ${id} is already a message`, ticketId: stored.ticketId, messageId: stored.id };
      return undefined;
    },
  },
  {
    // Bounces and auto-replies never open a ticket and are never answered: that is what stops mail loops.
    name: 'detect_auto',
    async run(d) {
      d.auto = detectAuto(d.mail!);
      if (d.auto.kind === 'normal') return undefined;
      // a report about mail we sent marks that mail bounced (and tells its writer)
      const bounced = d.auto.kind === 'bounce' ? await markBounced(d.ctx.db, d.ctx.tenantId, d.mail!, d.auto) : null;
      const ticketId = bounced ?? await hintedTicket(d.ctx, threadHints(d.mail!), [d.auto.originalMessageId]);
      const failed = d.auto.failedRecipients.length ? ` (failed: ${d.auto.failedRecipients.slice(0, 5).join(', ')})` : '';
      return { status: 'ignored_auto', reason: `${d.auto.kind}: ${d.auto.reason ?? ''}${failed}`, ticketId };
    },
  },
  {
    name: 'thread',
    async run(d) {
      d.hints = threadHints(d.mail!);
      return undefined;
    },
  },
  {
    name: 'ingest',
    async run(d, deps) {
      const mail = d.mail!;
      const folded = foldQuotes(mail.text);
      let body = folded.visible.trim();
      if (body.length > MAX_BODY_CHARS) body = `${body.slice(0, MAX_BODY_CHARS)}\n…`;
      const inbound: InboundMessage = {
        channel: 'email',
        // without a Message-ID the stored row is the identity: a re-run still finds the message it made
        externalId: mail.messageId ?? `<inbound-${d.row.id}@kefu.invalid>`,
        identity: { kind: 'email', value: mail.from!.address, name: customerName(mail.from!.name, mail.from!.address) },
        subject: mail.subject.trim().slice(0, 300) || undefined,
        body,
        threadHints: d.hints,
        departmentId: d.departmentId ?? undefined,
        attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content, ...(a.contentId ? { contentId: a.contentId } : {}) })),
      };
      const result = await ingest(d.ctx, inbound, deps.files);
      const tooLarge = result.attachmentsTooLarge.length ? `attachments over the size limit left out: ${result.attachmentsTooLarge.map((a) => `${a.filename} (${a.size} bytes)`).join(', ')}` : undefined;
      if (result.duplicate) return { status: 'duplicate', reason: `Message-ID ${inbound.externalId} is already a message`, ticketId: result.ticketId, messageId: result.messageId };
      // a mail that opened a new ticket may get the mailbox's acknowledgement (machines never reach this step)
      // (in a savepoint: a template that cannot be sent must not cost the customer's mail its ticket)
      if (result.created) {
        await d.ctx.db.transaction((tx) => autoReply({ ...d.ctx, db: tx }, { mailboxId: d.row.mailboxId, ticketId: result.ticketId, mail }))
          .catch((err: unknown) => deps.log?.('auto-reply failed; the mail is ingested without it', { inboundMail: d.row.id, err: String((err as Error)?.message ?? err) }));
      }
      return { status: 'ingested', reason: tooLarge, ticketId: result.ticketId, messageId: result.messageId, created: result.created };
    },
  },
];

/** Writes the outcome while the mail is still 'received'; false when someone else already did. */
async function record(db: Conn, row: InboundMail, outcome: MailOutcome, mail?: ParsedMail): Promise<boolean> {
  const done = await db.update(inboundMails).set({
    status: outcome.status, reason: outcome.reason?.slice(0, 2000) ?? null, ticketId: outcome.ticketId ?? null, messageId: outcome.messageId ?? null,
    processedAt: new Date(),
    ...(mail ? { rfcMessageId: mail.messageId ?? null, fromAddress: mail.from?.address.toLowerCase().slice(0, 320) ?? null, subject: mail.subject.slice(0, 500) } : {}),
  }).where(and(eq(inboundMails.id, row.id), eq(inboundMails.status, 'received'))).returning({ id: inboundMails.id });
  return done.length > 0;
}

/**
 * Runs one stored mail through the pipeline, unless someone else already did. Parsing (CPU) runs before
 * the transaction; the rest, ticket included, commits together with the outcome.
 */
export async function processMail(deps: PipelineDeps, id: string, departmentId: string | null): Promise<MailOutcome | null> {
  // counted before the work, so a mail that kills the process (or always throws) is given up on in the end
  const [row] = await deps.db.update(inboundMails).set({ attempts: sql`${inboundMails.attempts} + 1` })
    .where(and(eq(inboundMails.id, id), eq(inboundMails.status, 'received'))).returning();
  if (!row) return null;
  const ctx = systemCtx(deps.db, row.tenantId, 'email');
  if (row.attempts > MAX_ATTEMPTS) {
    const outcome: MailOutcome = { status: 'rejected', reason: `failed: gave up after ${MAX_ATTEMPTS} attempts` };
    await record(deps.db, row, outcome);
    return outcome;
  }
  const draft: Draft = { row, departmentId, ctx };
  try {
    const [parse, ...rest] = PIPELINE;
    const early = await parse.run(draft, deps);
    if (early) {
      await record(deps.db, row, early);
      return early;
    }
    return await deps.db.transaction(async (tx) => {
      const d: Draft = { ...draft, ctx: { ...ctx, db: tx } };
      for (const step of rest) {
        const outcome = await step.run(d, deps);
        if (outcome) {
          // Written only if nobody finished this mail meanwhile (the receiver and the scheduler's recovery
          // may both pick it up): the loser rolls back whatever its steps wrote.
          if (!(await record(tx, row, outcome, d.mail))) tx.rollback();
          return outcome;
        }
      }
      throw new Error('the pipeline ended without an outcome');
    });
  } catch (err) {
    if (err instanceof TransactionRollbackError) return null;
    deps.log?.('inbound mail failed; it will be retried', { inboundMail: id, attempt: row.attempts, err: String((err as Error)?.stack ?? err) });
    await deps.db.update(inboundMails).set({ reason: `attempt ${row.attempts} failed: ${String((err as Error)?.message ?? err)}`.slice(0, 2000) }).where(eq(inboundMails.id, id)).catch(() => {});
    return null;
  }
}

export interface PendingSummary { processed: number; byStatus: Partial<Record<MailStatus, number>>; ticketsCreated: number }

/** Lanes per mailbox by database: PostgreSQL works on several transactions at once, PGlite on one. */
export function lanesFor(kind: 'pglite' | 'postgres'): number {
  return kind === 'postgres' ? 4 : 1;
}

/** How much of a raw mail is read to group it with its thread: the header block, not the attachments. */
const HEAD_BYTES = 32 * 1024;

/**
 * Mails of one batch that must be processed in order, one after another: those sharing a sender or a
 * Message-ID (a reply and what it answers, a [#number] tag, which only counts for the same sender).
 * Anything else cannot thread into each other, so separate groups may run side by side.
 */
export function threadGroups(mails: ReadonlyArray<{ id: string; head: Buffer }>): string[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  for (const m of mails) {
    const h = readHeaderBlock(m.head, HEAD_BYTES);
    const from = /<([^<>\s]+@[^<>\s]+)>|([^\s<>",;]+@[^\s<>",;]+)/.exec(h.get('from')?.[0] ?? h.get('sender')?.[0] ?? '');
    const keys = [
      `mail:${m.id}`,
      ...(from ? [`from:${(from[1] ?? from[2]).toLowerCase()}`] : []),
      ...['message-id', 'in-reply-to', 'references'].flatMap((f) => (h.get(f) ?? []).flatMap((v) => messageIds(v))).map((id) => `id:${id}`),
    ];
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]));
  }
  const groups = new Map<string, string[]>();
  for (const m of mails) {
    const root = find(`mail:${m.id}`);
    groups.set(root, [...(groups.get(root) ?? []), m.id]);
  }
  return [...groups.values()];
}

/**
 * Processes a mailbox's stored mail that is still 'received', in arrival order within each thread (a
 * reply comes after the mail it answers), batch by batch; with deps.lanes > 1, unrelated threads of a
 * batch run side by side. A mail that fails is left for the next run, not retried in this one.
 */
export async function processPending(deps: PipelineDeps, mailbox: { id: string; departmentId: string | null }, opts: { limit?: number; shouldStop?: () => boolean } = {}): Promise<PendingSummary> {
  const summary: PendingSummary = { processed: 0, byStatus: {}, ticketsCreated: 0 };
  const limit = opts.limit ?? Infinity;
  const lanes = Math.max(1, deps.lanes ?? 1);
  const failed: string[] = [];
  const one = async (id: string) => {
    const outcome = await processMail(deps, id, mailbox.departmentId);
    summary.processed++;
    if (!outcome) { failed.push(id); return; }
    summary.byStatus[outcome.status] = (summary.byStatus[outcome.status] ?? 0) + 1;
    if (outcome.created) summary.ticketsCreated++;
  };
  for (;;) {
    if (opts.shouldStop?.() || summary.processed >= limit) break;
    const where = and(eq(inboundMails.mailboxId, mailbox.id), eq(inboundMails.status, 'received'), failed.length ? notInArray(inboundMails.id, failed) : undefined);
    const size = Math.min(200, limit - summary.processed);
    const order = [asc(inboundMails.receivedAt), asc(inboundMails.id)];
    if (lanes === 1) {
      const rows = await deps.db.select({ id: inboundMails.id }).from(inboundMails).where(where).orderBy(...order).limit(size);
      if (!rows.length) break;
      for (const { id } of rows) {
        if (opts.shouldStop?.()) break;
        await one(id);
      }
      continue;
    }
    const rows = await deps.db.select({ id: inboundMails.id, head: sql<Buffer | Uint8Array>`substring(${inboundMails.raw} from 1 for ${HEAD_BYTES})` })
      .from(inboundMails).where(where).orderBy(...order).limit(size);
    if (!rows.length) break;
    const queue = threadGroups(rows.map((r) => ({ id: r.id, head: Buffer.from(r.head) })));
    await Promise.all(Array.from({ length: Math.min(lanes, queue.length) }, async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const id of group) {
          if (opts.shouldStop?.()) return;
          await one(id);
        }
      }
    }));
  }
  return summary;
}
