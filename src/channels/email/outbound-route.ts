import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Conn } from '../../db/client.ts';
import { customerIdentities, customers } from '../../modules/customers/customers.schema.ts';
import { departments } from '../../modules/staff/staff.schema.ts';
import { messages, type Ticket } from '../../modules/tickets/tickets.schema.ts';
import { inboundMails, mailboxes, type Mailbox } from './email.schema.ts';

/**
 * Where a ticket's reply goes and through what: the recipient (the address the customer last wrote
 * from), the mailbox it leaves through (the one the mail came in through, else the department's,
 * else the system sender), the thread's Message-IDs, and the SMTP transport of that mailbox.
 */

export interface ReplyRoute {
  mailbox: Mailbox | null;
  toAddress: string | null;
  customerName: string;
  /** The customer's latest Message-ID (In-Reply-To), and every email Message-ID of the ticket, oldest first. */
  inReplyTo: string | null;
  threadIds: string[];
}

/** Synthetic ids we give mail that came without a Message-ID: never put in a header. */
const isRealId = (id: string | null): id is string => !!id && /^<[^<>\s]+@[^<>\s]+>$/.test(id) && !id.endsWith('@kefu.invalid>');

export async function routeReply(db: Conn, ticket: Ticket): Promise<ReplyRoute> {
  const [latest] = await db.select({ fromAddress: inboundMails.fromAddress, mailboxId: inboundMails.mailboxId }).from(messages)
    .innerJoin(inboundMails, eq(inboundMails.messageId, messages.id))
    .where(and(eq(messages.tenantId, ticket.tenantId), eq(messages.ticketId, ticket.id), eq(messages.direction, 'in')))
    .orderBy(desc(messages.createdAt)).limit(1);
  const thread = await db.select({ externalId: messages.externalId, direction: messages.direction }).from(messages)
    .where(and(eq(messages.tenantId, ticket.tenantId), eq(messages.ticketId, ticket.id), eq(messages.channel, 'email'), isNotNull(messages.externalId)))
    .orderBy(asc(messages.createdAt));
  const threadIds = thread.map((m) => m.externalId).filter(isRealId);
  const inReplyTo = [...thread].reverse().find((m) => m.direction === 'in' && isRealId(m.externalId))?.externalId ?? null;

  let toAddress = latest?.fromAddress ?? null;
  let customerName = '';
  if (ticket.customerId) {
    const [c] = await db.select({ name: customers.name, email: customers.email }).from(customers).where(eq(customers.id, ticket.customerId));
    customerName = c?.name ?? '';
    if (!toAddress) {
      const [identity] = await db.select({ value: customerIdentities.value }).from(customerIdentities)
        .where(and(eq(customerIdentities.customerId, ticket.customerId), eq(customerIdentities.kind, 'email'))).limit(1);
      toAddress = identity?.value ?? c?.email ?? null;
    }
  }

  let mailbox: Mailbox | null = null;
  if (latest?.mailboxId) [mailbox] = await db.select().from(mailboxes).where(eq(mailboxes.id, latest.mailboxId));
  if (!mailbox && ticket.departmentId) {
    [mailbox] = await db.select().from(mailboxes)
      .where(and(eq(mailboxes.tenantId, ticket.tenantId), eq(mailboxes.departmentId, ticket.departmentId)))
      .orderBy(desc(mailboxes.active), asc(mailboxes.name)).limit(1);
  }
  return { mailbox: mailbox ?? null, toAddress, customerName, inReplyTo, threadIds };
}

/** The From display name: the mailbox's sender name, else its department's name, else the mailbox's name. */
export async function senderName(db: Conn, mailbox: Mailbox): Promise<string> {
  if (mailbox.senderName?.trim()) return mailbox.senderName.trim();
  if (mailbox.departmentId) {
    const [d] = await db.select({ name: departments.name }).from(departments).where(eq(departments.id, mailbox.departmentId));
    if (d) return d.name;
  }
  return mailbox.name;
}

/** "Kefu <no-reply@kefu.local>" → its parts. */
export function parseAddress(value: string): { name: string; address: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (m) return { name: m[1].trim(), address: m[2] };
  return { name: '', address: value.trim() };
}

export type SmtpSettings = Pick<Mailbox, 'smtpHost' | 'smtpPort' | 'smtpTls' | 'smtpUsername' | 'smtpPassword'>;

export function defaultSmtpPort(tls: string): number {
  return tls === 'tls' ? 465 : 587;
}

/** One pooled transport per distinct SMTP setting: a changed setting gets a new one, the old one is closed. */
const transports = new Map<string, { key: string; transport: Transporter }>();

export function customTransport(mailboxId: string, s: SmtpSettings): Transporter {
  const key = JSON.stringify([s.smtpHost, s.smtpPort, s.smtpTls, s.smtpUsername, s.smtpPassword]);
  const hit = transports.get(mailboxId);
  if (hit?.key === key) return hit.transport;
  hit?.transport.close();
  const transport = nodemailer.createTransport({
    host: s.smtpHost!, port: s.smtpPort ?? defaultSmtpPort(s.smtpTls),
    secure: s.smtpTls === 'tls', requireTLS: s.smtpTls === 'starttls', ignoreTLS: s.smtpTls === 'none',
    ...(s.smtpUsername ? { auth: { user: s.smtpUsername, pass: s.smtpPassword ?? '' } } : {}),
    pool: true, maxConnections: 2,
    connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000,
  });
  transports.set(mailboxId, { key, transport });
  return transport;
}

/** A fresh, unpooled transport for "test connection" (nothing cached from an earlier setting). */
export function probeTransport(s: SmtpSettings): Transporter {
  return nodemailer.createTransport({
    host: s.smtpHost!, port: s.smtpPort ?? defaultSmtpPort(s.smtpTls),
    secure: s.smtpTls === 'tls', requireTLS: s.smtpTls === 'starttls', ignoreTLS: s.smtpTls === 'none',
    ...(s.smtpUsername ? { auth: { user: s.smtpUsername, pass: s.smtpPassword ?? '' } } : {}),
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000,
  });
}

/** Closes every cached transport (a node shutting down, tests). */
export function closeTransports(): void {
  for (const { transport } of transports.values()) transport.close();
  transports.clear();
}
