import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../../modules/tenants/tenants.schema.ts';
import { departments } from '../../modules/staff/staff.schema.ts';
import { messages, tickets } from '../../modules/tickets/tickets.schema.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  // PGlite hands bytea back as a Uint8Array, pg as a Buffer: the rest of the code sees a Buffer
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
});

/** Where a mailbox's fetcher stopped: IMAP's UIDVALIDITY and the last UID stored (POP3 reads its seen UIDLs from inbound_mails). */
export interface MailboxCursor { uidValidity?: string; lastUid?: number }

/**
 * A company's mailbox: where mail comes in (IMAP, POP3, or the built-in SMTP receiver). Its fetcher is
 * a durable timer on the row itself: nextSyncAt says when it is due, and a lease (leaseOwner until
 * leaseUntil) makes one node at a time fetch it; a node that dies loses its lease when it runs out.
 */
export const mailboxes = pgTable('mailboxes', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  /** The address customers write to (the SMTP receiver accepts mail for it). */
  address: text('address').notNull(),
  /** imap | pop3 | smtp_receiver */
  protocol: text('protocol').notNull(),
  host: text('host'),
  port: integer('port'),
  /** tls (implicit TLS) | starttls | none */
  tls: text('tls').notNull().default('tls'),
  username: text('username'),
  /** Never returned by the API (it shows hasPassword). */
  password: text('password'),
  folder: text('folder').notNull().default('INBOX'),
  /** New tickets from this mailbox start in this department (automation rules may route them on). */
  departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
  active: boolean('active').notNull().default(true),
  pollIntervalSeconds: integer('poll_interval_seconds').notNull().default(60),
  /** POP3: delete mail from the server once it is stored here (otherwise it is left there). */
  deleteAfterFetch: boolean('delete_after_fetch').notNull().default(false),
  cursor: jsonb('cursor').$type<MailboxCursor>().notNull().default({}),
  /** ok | error; null before the first sync */
  lastSyncState: text('last_sync_state'),
  lastSyncAt: timestamp('last_sync_at', { withTimezone: true }),
  lastError: text('last_error'),
  /** Mails stored by the last sync. */
  lastFetched: integer('last_fetched').notNull().default(0),
  nextSyncAt: timestamp('next_sync_at', { withTimezone: true }).notNull().defaultNow(),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  // ── Outbound: how replies leave through this mailbox ──
  /** system: through the install's SMTP (KEFU_SMTP_URL) with this mailbox's address as sender; custom: the smtp* fields below */
  smtpMode: text('smtp_mode').notNull().default('system'),
  smtpHost: text('smtp_host'),
  smtpPort: integer('smtp_port'),
  /** tls | starttls | none */
  smtpTls: text('smtp_tls').notNull().default('starttls'),
  smtpUsername: text('smtp_username'),
  /** Never returned by the API (it shows hasSmtpPassword). */
  smtpPassword: text('smtp_password'),
  /** The From display name; the department's or the mailbox's name when unset. */
  senderName: text('sender_name'),
  dkimDomain: text('dkim_domain'),
  dkimSelector: text('dkim_selector'),
  /** PEM; never returned by the API (it shows hasDkimKey). */
  dkimPrivateKey: text('dkim_private_key'),
  signatureZh: text('signature_zh'),
  signatureEn: text('signature_en'),
  autoReplyEnabled: boolean('auto_reply_enabled').notNull().default(false),
  autoReplySubjectZh: text('auto_reply_subject_zh'),
  autoReplySubjectEn: text('auto_reply_subject_en'),
  autoReplyBodyZh: text('auto_reply_body_zh'),
  autoReplyBodyEn: text('auto_reply_body_en'),
  /** Loop protection: auto-replies to one sender per hour at most. */
  autoReplyHourlyLimit: integer('auto_reply_hourly_limit').notNull().default(3),
  /** ok | error after the last send through this mailbox */
  lastSendState: text('last_send_state'),
  lastSendAt: timestamp('last_send_at', { withTimezone: true }),
  lastSendError: text('last_send_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('mailboxes_tenant_name_key').on(t.tenantId, t.name),
  index('mailboxes_due_idx').on(t.nextSyncAt).where(sql`active`),
  // The SMTP receiver routes by recipient address across companies: one mailbox per address.
  uniqueIndex('mailboxes_receiver_address_key').on(sql`lower(${t.address})`).where(sql`protocol = 'smtp_receiver'`),
]);

/**
 * Every mail that came in, raw bytes first: stored before anything else happens to it, so a crash or a
 * re-fetch never loses one or makes a second ticket. (mailbox, remoteId) is the door's dedupe key: IMAP
 * "<uidvalidity>:<uid>", a POP3 UIDL, or "smtp:<sha256>" for the receiver.
 */
export const inboundMails = pgTable('inbound_mails', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
  remoteId: text('remote_id').notNull(),
  /** The Message-ID header, with angle brackets. */
  rfcMessageId: text('rfc_message_id'),
  /** Sender and subject as parsed, for the admin's list of what came in (null until parsed). */
  fromAddress: text('from_address'),
  subject: text('subject'),
  raw: bytea('raw').notNull(),
  size: integer('size').notNull(),
  /** received | ingested | duplicate | ignored_auto | rejected */
  status: text('status').notNull().default('received'),
  /** Why it was rejected, ignored or a duplicate (for the admin). */
  reason: text('reason'),
  /** Pipeline runs that did not finish: a mail that keeps failing is rejected instead of retried forever. */
  attempts: integer('attempts').notNull().default(0),
  ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  processedAt: timestamp('processed_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('inbound_mails_remote_key').on(t.tenantId, t.mailboxId, t.remoteId),
  index('inbound_mails_rfc_message_idx').on(t.tenantId, t.rfcMessageId),
  index('inbound_mails_message_idx').on(t.tenantId, t.messageId),
  index('inbound_mails_pending_idx').on(t.mailboxId, t.receivedAt).where(sql`status = 'received'`),
]);

/**
 * One outgoing mail per message (an agent's public reply on an email ticket, or an auto-reply): the
 * durable send record. Headers are fixed when it is queued (the Message-ID is the message's externalId
 * already, so the customer's answer threads even while we retry); a job sends it.
 *   queued → sending → sent | failed (attempts, lastError, nextAttemptAt) | bounced (bounceReason)
 */
export const outboundMails = pgTable('outbound_mails', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  /** null: sent through the install's SMTP as the system sender */
  mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
  /** reply | auto_reply */
  kind: text('kind').notNull(),
  /** With angle brackets, as in the header. */
  rfcMessageId: text('rfc_message_id').notNull(),
  inReplyTo: text('in_reply_to'),
  /** Space-separated Message-IDs, oldest first (bounded). */
  references: text('references'),
  fromAddress: text('from_address').notNull(),
  fromName: text('from_name'),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  /** The body as sent: the message's words and the signature. */
  text: text('text').notNull(),
  status: text('status').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
  bounceReason: text('bounce_reason'),
  /** What the server answered when it accepted the mail. */
  serverResponse: text('server_response'),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  bouncedAt: timestamp('bounced_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('outbound_mails_message_key').on(t.messageId),
  index('outbound_mails_rfc_message_idx').on(t.tenantId, t.rfcMessageId),
  index('outbound_mails_ticket_idx').on(t.tenantId, t.ticketId),
  index('outbound_mails_auto_reply_idx').on(t.tenantId, t.toAddress, t.createdAt).where(sql`kind = 'auto_reply'`),
]);

export type Mailbox = typeof mailboxes.$inferSelect;
export type OutboundMail = typeof outboundMails.$inferSelect;
export type InboundMail = typeof inboundMails.$inferSelect;
