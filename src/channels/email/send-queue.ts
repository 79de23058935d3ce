import { and, asc, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Conn, Db } from '../../db/client.ts';
import { schedule } from '../../events/jobs.ts';
import type { ClaimedJob } from '../../events/jobs.ts';
import type { Runtime, Subscriber } from '../../events/subscriber.ts';
import { attachments } from '../../modules/attachments/attachments.schema.ts';
import { fileStoreFor } from '../../modules/attachments/file-store.ts';
import { messages, tickets, type Message, type Ticket } from '../../modules/tickets/tickets.schema.ts';
import { mailboxes, outboundMails, type Mailbox, type OutboundMail } from './email.schema.ts';
import {
  isPermanentSmtpError, languageOf, MAX_SEND_ATTEMPTS, type MailLanguage, newMessageId, referencesChain, replySubject, retryDelaySeconds, smtpErrorText, withSignature,
} from './outbound-compose.ts';
import { customTransport, parseAddress, routeReply, senderName, type ReplyRoute } from './outbound-route.ts';
import { BOUNCE_NOTICE_QUEUE, noticeBounce } from './bounce-match.ts';

/**
 * The outgoing half of the email channel: a public reply on an email ticket becomes one outbound_mails
 * row (headers fixed, Message-ID stored as the message's externalId so the customer's answer threads),
 * and a job sends it. A redelivered job sends nothing twice: the row is claimed queued|failed → sending
 * first, and only a row still 'sending' long after its claim (a node died mid-send) is tried again.
 */

export const SEND_QUEUE = 'email.send';
/** A claim older than this is from a node that died while sending. */
const STALE_SENDING_MS = 10 * 60_000;

const sendKey = (id: string) => `email-send:${id}`;

export interface QueueInput {
  ticket: Ticket;
  message: Pick<Message, 'id' | 'body' | 'tenantId'>;
  kind: 'reply' | 'auto_reply';
  /** Auto-replies bring their own subject and body (the template's); replies use "Re: … [#n]" and the message's words. */
  subject?: string;
  text?: string;
  /** Where it goes when the caller knows better than the stored thread (an auto-reply, before the inbound mail is recorded). */
  route?: ReplyRoute;
}

/**
 * Writes the send record and schedules its job, in the caller's transaction; once per message (a second
 * call returns the existing row). Without a recipient the record is failed at once with the reason.
 */
export async function queueOutbound(db: Conn, input: QueueInput, systemFrom: string): Promise<OutboundMail> {
  const { ticket, message } = input;
  const [existing] = await db.select().from(outboundMails).where(eq(outboundMails.messageId, message.id));
  if (existing) return existing;
  const route = input.route ?? await routeReply(db, ticket);
  const mailbox = route.mailbox;
  const system = parseAddress(systemFrom);
  const fromAddress = mailbox?.address ?? system.address;
  const fromName = mailbox ? await senderName(db, mailbox) : system.name || null;
  const rfcMessageId = newMessageId(fromAddress);
  const lang = languageOf(input.text ?? message.body);
  const signature = await signatureFor(db, ticket, mailbox, lang);
  const text = input.kind === 'reply' ? withSignature(message.body, signature) : (input.text ?? message.body);
  const references = referencesChain(route.threadIds, route.inReplyTo);
  const [row] = await db.insert(outboundMails).values({
    tenantId: ticket.tenantId, messageId: message.id, ticketId: ticket.id, mailboxId: mailbox?.id ?? null, kind: input.kind,
    rfcMessageId, inReplyTo: route.inReplyTo, references: references.join(' ') || null,
    fromAddress, fromName, toAddress: route.toAddress ?? '', subject: input.subject ?? replySubject(ticket.subject, ticket.number), text,
    ...(route.toAddress ? {} : { status: 'failed', lastError: 'The customer has no email address to reply to' }),
  }).onConflictDoNothing().returning();
  if (!row) return (await db.select().from(outboundMails).where(eq(outboundMails.messageId, message.id)))[0];
  // the customer's answer to this mail names this id: it must be the message's before anything is sent
  await db.update(messages).set({ externalId: rfcMessageId }).where(eq(messages.id, message.id));
  if (route.toAddress) await schedule(db, { queue: SEND_QUEUE, key: sendKey(row.id), tenantId: ticket.tenantId, payload: { outboundId: row.id }, maxAttempts: 3 });
  return row;
}

const pickSignature = (m: Pick<Mailbox, 'signatureZh' | 'signatureEn'>, lang: MailLanguage) => (lang === 'zh-CN' ? m.signatureZh || m.signatureEn : m.signatureEn || m.signatureZh) || null;

/**
 * The department speaks in the signature: the ticket's department's own mailbox signature when it has
 * one (a ticket forwarded to billing signs as billing, though it still leaves through the address the
 * customer wrote to), else the sending mailbox's.
 */
async function signatureFor(db: Conn, ticket: Ticket, mailbox: Mailbox | null, lang: MailLanguage): Promise<string | null> {
  if (ticket.departmentId && ticket.departmentId !== mailbox?.departmentId) {
    const own = await db.select({ signatureZh: mailboxes.signatureZh, signatureEn: mailboxes.signatureEn }).from(mailboxes)
      .where(and(eq(mailboxes.tenantId, ticket.tenantId), eq(mailboxes.departmentId, ticket.departmentId))).orderBy(desc(mailboxes.active), asc(mailboxes.name));
    const hit = own.map((m) => pickSignature(m, lang)).find(Boolean);
    if (hit) return hit;
  }
  return mailbox ? pickSignature(mailbox, lang) : null;
}

/** Takes the row for sending unless it is sent, bounced, or being sent right now by someone else. */
async function claim(db: Db, id: string): Promise<OutboundMail | undefined> {
  const [row] = await db.update(outboundMails).set({ status: 'sending', attempts: sql`${outboundMails.attempts} + 1`, updatedAt: new Date() })
    .where(and(eq(outboundMails.id, id), or(
      inArray(outboundMails.status, ['queued', 'failed']),
      and(eq(outboundMails.status, 'sending'), lt(outboundMails.updatedAt, new Date(Date.now() - STALE_SENDING_MS))),
    ))).returning();
  return row;
}

function transportFor(rt: Runtime, mailbox: Mailbox | undefined): Transporter {
  if (mailbox?.smtpMode === 'custom' && mailbox.smtpHost) return customTransport(mailbox.id, mailbox);
  if (!rt.config.smtpUrl) throw new Error('No outgoing mail server: set the mailbox\'s SMTP server, or KEFU_SMTP_URL for the system sender');
  return rt.mailTransport();
}

/** What the console is told when a send record changes (ids and the state only; the page refetches). */
function announce(rt: Runtime, row: Pick<OutboundMail, 'tenantId' | 'ticketId' | 'messageId' | 'status'>): void {
  rt.broadcast(`tenant:${row.tenantId}`, 'message.delivery', { type: 'message.delivery', ticketId: row.ticketId, messageId: row.messageId, status: row.status });
}

/** The job: sends one outbound mail, records the outcome, and schedules the next attempt after a failure. */
export async function sendOutbound(rt: Runtime, id: string): Promise<void> {
  const db = rt.database.db;
  const row = await claim(db, id);
  if (!row) {
    // being sent by another node right now, or by one that died mid-send: look again once such a claim counts as stale
    const [busy] = await db.select({ updatedAt: outboundMails.updatedAt, tenantId: outboundMails.tenantId }).from(outboundMails)
      .where(and(eq(outboundMails.id, id), eq(outboundMails.status, 'sending')));
    if (busy) await schedule(db, { queue: SEND_QUEUE, key: sendKey(id), tenantId: busy.tenantId, payload: { outboundId: id }, runAt: new Date(busy.updatedAt.getTime() + STALE_SENDING_MS + 1000), maxAttempts: 3 });
    return;
  }
  announce(rt, row);
  const [mailbox] = row.mailboxId ? await db.select().from(mailboxes).where(eq(mailboxes.id, row.mailboxId)) : [];
  try {
    const transport = transportFor(rt, mailbox);
    const files = await db.select().from(attachments).where(and(eq(attachments.tenantId, row.tenantId), eq(attachments.messageId, row.messageId)));
    const store = fileStoreFor(rt.config);
    const info = await transport.sendMail({
      from: row.fromName ? { name: row.fromName, address: row.fromAddress } : row.fromAddress,
      to: row.toAddress,
      subject: row.subject,
      text: row.text,
      messageId: row.rfcMessageId,
      ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
      ...(row.references ? { references: row.references.split(' ') } : {}),
      headers: row.kind === 'auto_reply'
        // RFC 3834: an auto-reply says so, and asks other responders not to answer it
        ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', Precedence: 'auto_reply' }
        : { 'Auto-Submitted': 'no' },
      attachments: files.map((f) => ({ filename: f.filename, contentType: f.contentType, path: store.pathOf(f.sha256), ...(f.contentId ? { cid: f.contentId.replace(/^<|>$/g, '') } : {}) })),
      ...(mailbox?.dkimDomain && mailbox.dkimSelector && mailbox.dkimPrivateKey
        ? { dkim: { domainName: mailbox.dkimDomain, keySelector: mailbox.dkimSelector, privateKey: mailbox.dkimPrivateKey } } : {}),
    });
    const [done] = await db.update(outboundMails).set({
      status: 'sent', sentAt: new Date(), lastError: null, nextAttemptAt: null, serverResponse: String(info.response ?? '').slice(0, 500), updatedAt: new Date(),
    }).where(and(eq(outboundMails.id, id), eq(outboundMails.status, 'sending'))).returning();
    if (mailbox) await db.update(mailboxes).set({ lastSendState: 'ok', lastSendAt: new Date(), lastSendError: null }).where(eq(mailboxes.id, mailbox.id));
    if (done) announce(rt, done);
  } catch (err) {
    const error = smtpErrorText(err);
    const retry = !isPermanentSmtpError(err) && row.attempts < MAX_SEND_ATTEMPTS;
    const nextAttemptAt = retry ? new Date(Date.now() + retryDelaySeconds(row.attempts) * 1000) : null;
    const [failed] = await db.transaction(async (tx) => {
      const out = await tx.update(outboundMails).set({ status: 'failed', lastError: error, nextAttemptAt, updatedAt: new Date() })
        .where(and(eq(outboundMails.id, id), eq(outboundMails.status, 'sending'))).returning();
      if (out.length && nextAttemptAt) await schedule(tx, { queue: SEND_QUEUE, key: sendKey(id), tenantId: row.tenantId, payload: { outboundId: id }, runAt: nextAttemptAt, maxAttempts: 3 });
      return out;
    });
    if (mailbox) await db.update(mailboxes).set({ lastSendState: 'error', lastSendAt: new Date(), lastSendError: error }).where(eq(mailboxes.id, mailbox.id));
    if (failed) announce(rt, failed);
  }
}

/** "Retry now" on a failed mail: queued again and sent at once. Sent and bounced mail is not resent. */
export async function retryOutbound(db: Conn, tenantId: string, messageId: string): Promise<OutboundMail | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.update(outboundMails).set({ status: 'queued', nextAttemptAt: null, updatedAt: new Date() })
      .where(and(eq(outboundMails.tenantId, tenantId), eq(outboundMails.messageId, messageId), eq(outboundMails.status, 'failed'), sql`${outboundMails.toAddress} <> ''`)).returning();
    if (!row) return null;
    await schedule(tx, { queue: SEND_QUEUE, key: sendKey(row.id), tenantId, payload: { outboundId: row.id }, maxAttempts: 3 });
    return row;
  });
}

export const emailJobs: Record<string, (job: ClaimedJob, rt: Runtime) => Promise<void>> = {
  [SEND_QUEUE]: (job, rt) => sendOutbound(rt, String(job.payload.outboundId)),
  [BOUNCE_NOTICE_QUEUE]: (job, rt) => noticeBounce(rt, job),
};

/**
 * Agents' public replies on email tickets leave as mail. (Auto-replies are queued by the inbound
 * pipeline itself; automation's and the robot's messages are not mailed.)
 */
export const emailOutboundSubscriber: Subscriber = {
  name: 'email_outbound',
  handles: ['message.added'],
  // only agents' public messages on email tickets get a delivery job (events from before `channel` was in the payload are checked in handle)
  wants: (e) => e.type === 'message.added' && e.authorType === 'agent' && e.visibility === 'public' && (e.channel === undefined || e.channel === 'email'),
  async handle(stored, rt) {
    const e = stored.event;
    if (e.type !== 'message.added' || e.authorType !== 'agent' || e.visibility !== 'public' || !stored.tenantId) return;
    const db = rt.database.db;
    const row = await db.transaction(async (tx) => {
      const [m] = await tx.select().from(messages).where(and(eq(messages.id, e.messageId), eq(messages.tenantId, stored.tenantId!)));
      if (!m || m.channel !== 'email' || m.direction !== 'out') return null;
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, m.ticketId));
      if (!ticket) return null;
      return queueOutbound(tx, { ticket, message: m, kind: 'reply' }, rt.config.mailFrom);
    });
    if (row) announce(rt, row);
  },
};
