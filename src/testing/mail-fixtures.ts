import crypto from 'node:crypto';
import type { DovecotServer } from './dovecot-server.ts';

/** Mail as customers' clients write it, for the intake tests and benchmarks. */

export interface MailSpec {
  from?: string;
  to?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  /** Extra header lines, e.g. 'Auto-Submitted: auto-replied'. */
  headers?: string[];
  body?: string;
  date?: Date;
}

/** RFC 2047 (UTF-8, base64) for a header text that is not plain ASCII. */
export function encodeWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;
}

export function newMessageId(domain = 'customer.test'): string {
  return `<${crypto.randomUUID()}@${domain}>`;
}

/** A text/plain UTF-8 mail (quoted-printable-free: 8bit), CRLF line ends. */
export function rawMail(spec: MailSpec = {}): Buffer {
  const lines = [
    `From: ${spec.from ?? '"Li Lei" <lilei@customer.test>'}`,
    `To: ${spec.to ?? 'support@acme.test'}`,
    `Subject: ${encodeWord(spec.subject ?? 'Order question')}`,
    `Date: ${(spec.date ?? new Date()).toUTCString()}`,
    ...(spec.messageId === null ? [] : [`Message-ID: ${spec.messageId ?? newMessageId()}`]),
    ...(spec.inReplyTo ? [`In-Reply-To: ${spec.inReplyTo}`] : []),
    ...(spec.references?.length ? [`References: ${spec.references.join(' ')}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    ...(spec.headers ?? []),
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${(spec.body ?? 'Hello, where is my order?').replace(/\r?\n/g, '\r\n')}\r\n`);
}

/** "宽带无法上网" from 张三, GB2312 throughout: encoded-word subject and sender, base64 body. */
export function gb2312Mail(messageId = newMessageId('163.test')): Buffer {
  return Buffer.from([
    'From: =?GB2312?B?1cXI/Q==?= <zhangsan@163.test>',
    'To: support@acme.test',
    'Subject: =?GB2312?B?v+20+M7et6jJz834?=',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="gb2312"',
    'Content-Transfer-Encoding: base64',
    '',
    'xPq6w6OsztK80rXEv+20+LTT1/LM7L+qyrzO3reoyc/N+KOsx+u+ob/stKbA7aGj',
    '',
  ].join('\r\n'));
}

/** A delivery failure report (multipart/report; report-type=delivery-status) for a message we sent. */
export function bounceMail(originalMessageId: string, failed = 'nobody@customer.test'): Buffer {
  const b = 'bnd-' + crypto.randomUUID();
  return Buffer.from([
    'From: Mail Delivery System <MAILER-DAEMON@mx.customer.test>',
    'To: support@acme.test',
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${newMessageId('mx.customer.test')}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `I'm sorry to have to inform you that your message could not be delivered to ${failed}.`,
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.test',
    '',
    `Final-Recipient: rfc822; ${failed}`,
    'Action: failed',
    'Status: 5.1.1',
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    'From: support@acme.test',
    `To: ${failed}`,
    `Message-ID: ${originalMessageId}`,
    'Subject: Re: Order question',
    '',
    `--${b}--`,
    '',
  ].join('\r\n'));
}

export const MAILBOX_PASSWORD = 'mailbox-password-1';

/** An IMAP or POP3 mailbox body for POST /api/v1/mailboxes, pointing at the test Dovecot. */
export function dovecotMailbox(d: DovecotServer, protocol: 'imap' | 'pop3', address: string, extra: Record<string, unknown> = {}) {
  return {
    name: `${protocol} ${address}`, address, protocol, host: d.host, port: protocol === 'imap' ? d.imapPort : d.pop3Port, tls: 'none',
    username: address, password: MAILBOX_PASSWORD, ...extra,
  };
}
