import { Type, type Static } from 'typebox';
import { Email, Name, Timestamp, Uuid, listOf, oneOf } from './common.ts';

/** Mailboxes: where a company's mail comes in (IMAP, POP3 or Kefu's own SMTP receiver). */

export const MAILBOX_PROTOCOLS = ['imap', 'pop3', 'smtp_receiver'] as const;
export const MailboxProtocol = oneOf(MAILBOX_PROTOCOLS, { description: 'imap | pop3 | smtp_receiver (mail forwarded or sent by MX to Kefu)' });
export type MailboxProtocol = (typeof MAILBOX_PROTOCOLS)[number];

export const TLS_MODES = ['tls', 'starttls', 'none'] as const;
export const TlsMode = oneOf(TLS_MODES, { description: 'tls: implicit TLS (IMAPS 993, POP3S 995); starttls: upgrade a plain connection; none: plain text (loopback and tests only)' });
export type TlsMode = (typeof TLS_MODES)[number];

/** The port a protocol uses when none is given. */
export function defaultPort(protocol: MailboxProtocol, tls: TlsMode): number | null {
  if (protocol === 'imap') return tls === 'tls' ? 993 : 143;
  if (protocol === 'pop3') return tls === 'tls' ? 995 : 110;
  return null;
}

export const MAILBOX_LIMITS = { pollMinSeconds: 10, pollMaxSeconds: 86_400 } as const;

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\\[?[0-9A-Fa-f:.]+\\]?$', description: 'Host name or IP address of the mail server' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });
const Username = Type.String({ minLength: 1, maxLength: 254 });
const Password = Type.String({ minLength: 1, maxLength: 500, description: 'Stored for the fetcher; never returned (see hasPassword)' });
const Folder = Type.String({ minLength: 1, maxLength: 200, description: 'IMAP folder to read (default INBOX)' });
const PollInterval = Type.Integer({ minimum: MAILBOX_LIMITS.pollMinSeconds, maximum: MAILBOX_LIMITS.pollMaxSeconds, description: 'Seconds between fetches when the server cannot push (IMAP IDLE) or for POP3' });

export const SYNC_STATES = ['ok', 'error'] as const;

/** system: replies go through the install's SMTP (KEFU_SMTP_URL) with this mailbox's address as sender; custom: this mailbox's own SMTP server. */
export const SMTP_MODES = ['system', 'custom'] as const;
export const SmtpMode = oneOf(SMTP_MODES, { description: 'system: the install\'s SMTP server (KEFU_SMTP_URL) sends as this address; custom: the smtp* settings' });
export const OUTBOUND_LIMITS = { signatureMax: 2000, subjectMax: 300, bodyMax: 5000, autoReplyHourlyMax: 100 } as const;
const DkimDomain = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$', description: 'The d= of the DKIM signature (usually the sender address\'s domain)' });
const DkimSelector = Type.String({ minLength: 1, maxLength: 63, pattern: '^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$', description: 'The s= of the DKIM signature: the DNS record <selector>._domainkey.<domain> holds the public key' });
const DkimKey = Type.String({ minLength: 100, maxLength: 10_000, pattern: '-----BEGIN (?:RSA )?PRIVATE KEY-----', description: 'PEM private key; stored, never returned (see hasDkimKey)' });
const Signature = Type.String({ maxLength: OUTBOUND_LIMITS.signatureMax, description: 'Appended below replies sent through this mailbox (plain text)' });
const TemplateSubject = Type.String({ maxLength: OUTBOUND_LIMITS.subjectMax, description: 'Placeholders: {{number}} {{subject}} {{customer_name}}' });
const TemplateBody = Type.String({ maxLength: OUTBOUND_LIMITS.bodyMax, description: 'Plain text; placeholders: {{number}} {{subject}} {{customer_name}}' });
const HourlyLimit = Type.Integer({ minimum: 1, maximum: OUTBOUND_LIMITS.autoReplyHourlyMax, description: 'Loop protection: auto-replies to one sender per hour at most' });

/** The outgoing settings as the API shows them (secrets only as "set"). */
const OutboundView = {
  smtpMode: SmtpMode, smtpHost: Nullable(Type.String()), smtpPort: Nullable(Type.Integer()), smtpTls: TlsMode, smtpUsername: Nullable(Type.String()),
  hasSmtpPassword: Type.Boolean(), senderName: Nullable(Type.String()),
  dkimDomain: Nullable(Type.String()), dkimSelector: Nullable(Type.String()), hasDkimKey: Type.Boolean(),
  signatureZh: Nullable(Type.String()), signatureEn: Nullable(Type.String()),
  autoReplyEnabled: Type.Boolean(), autoReplySubjectZh: Nullable(Type.String()), autoReplySubjectEn: Nullable(Type.String()),
  autoReplyBodyZh: Nullable(Type.String()), autoReplyBodyEn: Nullable(Type.String()), autoReplyHourlyLimit: Type.Integer(),
  lastSendState: Nullable(oneOf(SYNC_STATES)), lastSendAt: Nullable(Timestamp),
  lastSendError: Nullable(Type.String({ description: 'What the SMTP server or the network said when the last send through this mailbox failed' })),
};

/** Outgoing settings a create or change may carry; null clears a field (the password and key included). */
const OutboundInput = {
  smtpMode: Type.Optional(SmtpMode),
  smtpHost: Type.Optional(Nullable(Host)),
  smtpPort: Type.Optional(Nullable(Port)),
  smtpTls: Type.Optional(TlsMode),
  smtpUsername: Type.Optional(Nullable(Username)),
  smtpPassword: Type.Optional(Nullable(Password)),
  senderName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  dkimDomain: Type.Optional(Nullable(DkimDomain)),
  dkimSelector: Type.Optional(Nullable(DkimSelector)),
  dkimPrivateKey: Type.Optional(Nullable(DkimKey)),
  signatureZh: Type.Optional(Nullable(Signature)),
  signatureEn: Type.Optional(Nullable(Signature)),
  autoReplyEnabled: Type.Optional(Type.Boolean()),
  autoReplySubjectZh: Type.Optional(Nullable(TemplateSubject)),
  autoReplySubjectEn: Type.Optional(Nullable(TemplateSubject)),
  autoReplyBodyZh: Type.Optional(Nullable(TemplateBody)),
  autoReplyBodyEn: Type.Optional(Nullable(TemplateBody)),
  autoReplyHourlyLimit: Type.Optional(HourlyLimit),
};

export const MailboxView = Type.Object({
  id: Uuid, name: Type.String(), address: Type.String(), protocol: MailboxProtocol,
  host: Nullable(Type.String()), port: Nullable(Type.Integer()), tls: TlsMode, username: Nullable(Type.String()),
  hasPassword: Type.Boolean(), folder: Type.String(), departmentId: Nullable(Uuid), active: Type.Boolean(),
  pollIntervalSeconds: Type.Integer(), deleteAfterFetch: Type.Boolean(),
  lastSyncState: Nullable(oneOf(SYNC_STATES)), lastSyncAt: Nullable(Timestamp),
  lastError: Nullable(Type.String({ description: 'What went wrong in the last sync, as the server or the network said it' })),
  lastFetched: Type.Integer({ description: 'Mails stored by the last sync' }),
  nextSyncAt: Timestamp,
  counts: Type.Object({
    ingested: Type.Integer(), duplicate: Type.Integer(), ignoredAuto: Type.Integer(), rejected: Type.Integer(), pending: Type.Integer(),
  }, { description: 'Mail that came in through this mailbox, by what became of it' }),
  ...OutboundView,
  createdAt: Timestamp, updatedAt: Timestamp,
});
export type MailboxView = Static<typeof MailboxView>;
export const MailboxList = listOf(MailboxView);

export const MailboxInput = Type.Object({
  name: Name,
  address: Email,
  protocol: MailboxProtocol,
  host: Type.Optional(Host),
  port: Type.Optional(Port),
  tls: Type.Optional(TlsMode),
  username: Type.Optional(Username),
  password: Type.Optional(Password),
  folder: Type.Optional(Folder),
  departmentId: Type.Optional(Nullable(Uuid)),
  active: Type.Optional(Type.Boolean()),
  pollIntervalSeconds: Type.Optional(PollInterval),
  deleteAfterFetch: Type.Optional(Type.Boolean({ description: 'POP3: delete mail on the server once Kefu has stored it' })),
  ...OutboundInput,
}, { additionalProperties: false });
export type MailboxInput = Static<typeof MailboxInput>;

/** Every field optional; password null removes the stored one; the protocol is fixed once created. */
export const MailboxPatch = Type.Object({
  name: Type.Optional(Name),
  address: Type.Optional(Email),
  host: Type.Optional(Host),
  port: Type.Optional(Nullable(Port)),
  tls: Type.Optional(TlsMode),
  username: Type.Optional(Nullable(Username)),
  password: Type.Optional(Nullable(Password)),
  folder: Type.Optional(Folder),
  departmentId: Type.Optional(Nullable(Uuid)),
  active: Type.Optional(Type.Boolean()),
  pollIntervalSeconds: Type.Optional(PollInterval),
  deleteAfterFetch: Type.Optional(Type.Boolean()),
  ...OutboundInput,
}, { additionalProperties: false, minProperties: 1 });
export type MailboxPatch = Static<typeof MailboxPatch>;

export const CHECK_CODES = ['ok', 'auth_failed', 'unreachable', 'timeout', 'tls', 'folder_missing', 'protocol', 'receiver_off'] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export const MailboxCheck = Type.Object({
  ok: Type.Boolean(),
  code: oneOf(CHECK_CODES, { description: 'ok, or what failed: auth_failed, unreachable (DNS, refused, no route), timeout, tls, folder_missing, protocol, receiver_off' }),
  message: Type.String({ description: 'In the caller\'s language, with the server\'s own words where it gave any' }),
  messages: Type.Optional(Type.Integer({ description: 'Mails on the server (IMAP folder or POP3 maildrop) when the check succeeded' })),
  smtp: Type.Optional(Type.Object({
    ok: Type.Boolean(),
    message: Type.String({ description: 'In the caller\'s language: the outgoing server answered, or what failed' }),
  }, { description: 'The outgoing side: the mailbox\'s SMTP server (or the system one) signed in to and answered' })),
});
export type MailboxCheck = Static<typeof MailboxCheck>;

export const MailboxSync = Type.Object({
  mailbox: MailboxView,
  done: Type.Boolean({ description: 'false when another node is fetching this mailbox right now: it was asked to fetch at once' }),
  stored: Type.Integer({ description: 'New mails stored by this sync' }),
});
export type MailboxSync = Static<typeof MailboxSync>;

export const RawParams = Type.Object({ id: Uuid, messageId: Uuid });

export const MailPage = Type.Unsafe<string>({ type: 'string', description: 'A whole HTML page (text/html), sanitized, meant for a sandboxed iframe' });

export const RawSource = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The message exactly as received (message/rfc822 bytes, served as text/plain)' });

export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What became of one outgoing mail (an agent's reply or an auto-reply on an email ticket). */
export const DeliveryView = Type.Object({
  messageId: Uuid,
  kind: oneOf(['reply', 'auto_reply'] as const),
  status: oneOf(DELIVERY_STATES, { description: 'queued → sending → sent | failed (retried with backoff while nextAttemptAt is set) | bounced' }),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String({ description: 'The SMTP server\'s or the network\'s words' })),
  nextAttemptAt: Nullable(Timestamp),
  bounceReason: Nullable(Type.String({ description: 'Status code and diagnostic of the delivery report' })),
  rfcMessageId: Type.String({ description: 'The Message-ID header of the mail' }),
  subject: Type.String(),
  toAddress: Nullable(Type.String({ description: 'Only for staff who may see contact details' })),
  sentAt: Nullable(Timestamp),
  bouncedAt: Nullable(Timestamp),
  updatedAt: Timestamp,
});
export type DeliveryView = Static<typeof DeliveryView>;
export const DeliveryList = Type.Object({ items: Type.Array(DeliveryView) });
export type DeliveryList = Static<typeof DeliveryList>;

export const MessageParams = Type.Object({ id: Uuid, messageId: Uuid });
