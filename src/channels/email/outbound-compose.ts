import crypto from 'node:crypto';

/**
 * The pure parts of an outgoing mail: subject, Message-ID, the thread's references, the signature,
 * template placeholders, and how long to wait before the next attempt. No I/O here.
 */

/** Reply prefixes clients put before a subject (en, zh, de, fr …), and our number tag. */
const REPLY_PREFIX = /^\s*(?:(?:re|aw|sv|vs|antw|fw|fwd|wg|tr|回复|回覆|答复|转发|轉寄)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;
const NUMBER_TAG = /\s*\[\s*(?:[\p{L}]{1,12}\s*)?#\s*(?:T-?)?\d{1,9}\s*\]\s*/giu;

/** "Re: <subject> [#<number>]": prefixes and old tags of the subject stripped, so a long thread does not grow "Re: Re: …". */
export function replySubject(subject: string, number: number): string {
  let s = subject.replace(NUMBER_TAG, ' ');
  for (let i = 0; i < 5 && REPLY_PREFIX.test(s); i++) s = s.replace(REPLY_PREFIX, '');
  s = s.replace(/\s+/g, ' ').trim();
  return `Re: ${s ? `${s} ` : ''}[#${number}]`;
}

/** The domain part of an address ("a@b.example" → "b.example"); a fallback for the impossible. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? address.slice(at + 1).trim().toLowerCase() : '';
  return /^[a-z0-9.-]+$/.test(domain) ? domain : 'kefu.invalid';
}

/** A new Message-ID on the sender's domain, angle brackets included: random enough to never collide. */
export function newMessageId(fromAddress: string): string {
  return `<${Date.now().toString(36)}.${crypto.randomBytes(12).toString('hex')}@${domainOf(fromAddress)}>`;
}

/** References stays below this many ids (RFC 5322 lets them grow; some servers reject very long headers). */
export const MAX_REFERENCES = 20;

/**
 * The References header: the thread's Message-IDs oldest first, ending with the one replied to; when
 * too long, the first (the thread's root) and the newest are kept, as RFC 5322 suggests.
 */
export function referencesChain(threadIds: readonly string[], inReplyTo: string | null): string[] {
  const ids: string[] = [];
  for (const id of [...threadIds, ...(inReplyTo ? [inReplyTo] : [])]) {
    if (!id || !/^<[^<>\s]+>$/.test(id)) continue;
    const at = ids.indexOf(id);
    if (at !== -1) ids.splice(at, 1);
    ids.push(id);
  }
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0], ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

export type MailLanguage = 'zh-CN' | 'en';

/** Chinese text gets the Chinese signature and auto-reply; anything else English. */
export function languageOf(text: string): MailLanguage {
  return /[\u3400-\u9fff\uf900-\ufaff]/.test(text) ? 'zh-CN' : 'en';
}

/** The body and the signature, separated by the usual "-- " line (mail clients fold what follows it). */
export function withSignature(body: string, signature: string | null | undefined): string {
  const sig = signature?.trim();
  return sig ? `${body.trimEnd()}\n\n-- \n${sig}\n` : `${body.trimEnd()}\n`;
}

export interface TemplateValues { number: number; subject: string; customerName: string }

/** Fills {{number}}, {{subject}} and {{customer_name}} (also their Chinese names 工单号, 主题, 客户名); other braces stay as written. */
export function fillTemplate(template: string, v: TemplateValues): string {
  const values: Record<string, string> = {
    number: String(v.number), ticket_number: String(v.number), 工单号: String(v.number),
    subject: v.subject, 主题: v.subject,
    customer_name: v.customerName, name: v.customerName, 客户名: v.customerName, 客户: v.customerName,
  };
  return template.replace(/\{\{\s*([\p{L}_]+)\s*\}\}/gu, (whole, key: string) => values[key.toLowerCase()] ?? whole);
}

/** Attempts before a failing mail waits for someone to press "retry". */
export const MAX_SEND_ATTEMPTS = 6;

/** Seconds before attempt n+1 after n failed ones: 30 s, 2 min, 8 min, 30 min, 2 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(7200, 30 * 4 ** Math.max(0, attempts - 1));
}

/** A server's 5xx answer (mailbox unknown, message refused) will not change by trying again. */
export function isPermanentSmtpError(err: unknown): boolean {
  const code = Number((err as { responseCode?: number })?.responseCode);
  return code >= 500 && code < 600;
}

/** An SMTP error in a line the agent can read: the server's words where it gave any. */
export function smtpErrorText(err: unknown): string {
  const e = err as { code?: string; response?: string; message?: string; command?: string };
  const text = e?.response || e?.message || String(err);
  const code = e?.code && !text.includes(e.code) ? `${e.code}: ` : '';
  return `${code}${text}`.replace(/\s+/g, ' ').trim().slice(0, 1000);
}
