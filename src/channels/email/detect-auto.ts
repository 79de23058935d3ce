import type { ParsedMail } from './parse-mail.ts';
import { messageIds, readHeaderBlock, readHeaderBlocks } from './raw-headers.ts';

/**
 * Is this mail written by a person, or by a machine that must never be answered? A bounce (delivery
 * failure report) or an auto-reply (vacation notice, autoresponder, bulk or list mail) gets no
 * auto-reply from us, which is what stops two autoresponders from mailing each other forever.
 *
 * A bounce also says which of our messages failed and for whom, so the pipeline can mark that
 * message failed instead of opening a ticket.
 */

export type AutoKind = 'bounce' | 'auto_reply' | 'normal';

export interface AutoDetection {
  kind: AutoKind;
  /** The signal that decided it, for the log (e.g. "delivery-status report", "Auto-Submitted: auto-replied"). */
  reason?: string;
  /** Bounces: the Message-ID of the message that could not be delivered, when the report carries it. */
  originalMessageId?: string;
  /** Bounces: the recipients delivery failed for. */
  failedRecipients: string[];
}

const DAEMON_SENDER = /^(?:mailer[-_]?daemon|mail[-_]?daemon|mailerdaemon|mdaemon|mail\.?delivery\.?(?:system|subsystem)?|bounces?|nobody-bounces?)$/i;
const POSTMASTER_SENDER = /^(?:post[-_.]?master|mail-?admin|mailadmin|mail-?delivery|mta|mailer)$/i;
const DAEMON_NAME = /mail delivery (?:sub)?system|mail ?delivery ?service|mailer[- ]daemon|mail administrator|post ?master|delivery status notification|maildelivery/i;

/** Subjects delivery systems give their failure reports (en, zh, de, fr, es, it, pt, nl, ja, ru …). */
const BOUNCE_SUBJECT = new RegExp([
  'undeliver', 'undelivered', 'non[- ]?deliver', 'not (?:be )?delivered', 'delivery (?:status )?notification', 'delivery (?:has )?failed',
  'delivery failure', 'delivery problem', 'failure notice', 'failed delivery', 'mail delivery failed', 'returned mail', 'returned to sender',
  'mail (?:system )?error', 'could not (?:be )?deliver', 'message (?:delivery )?failure', 'delivery report', 'delivery notification',
  'rejected', 'bounced?', 'warning: could not send', 'message you sent', 'unable to deliver', 'delivery has been delayed', 'delayed mail',
  'mail could not', 'permanent error', 'transcript of session', 'nondeliverable', 'returned message', 'error sending your (?:mail|message)',
  'are not (?:a )?member',
  '退信', '退回', '投递失败', '发送失败', '无法投递', '未能送达', '无法送达', '递送失败', '送达失败', '無法投遞', '傳送失敗', '郵件退回', '退件',
  'unzustellbar', 'nicht zustellbar', 'zustellung fehlgeschlagen', 'übermittlungsstatus', 'unzustellbare', 'fehler bei der zustellung', 'rückläufer',
  'non remis', 'non distribuable', 'échec de (?:la )?(?:remise|livraison)', 'no se pudo entregar', 'no entregado', 'notificación de estado',
  'mancata consegna', 'non recapitabile', 'não entregue', 'falha na entrega', 'onbestelbaar', 'niet bezorgd',
  '配信(?:エラー|不能|失敗|できません)', 'エラーメール', 'メールエラー', 'エラー通知', '送信エラー', '宛先不明', '未送信', 'не доставлено', 'недоставлен',
].join('|'), 'i');

/** Phrases of the human-readable part of a bounce. */
const BOUNCE_BODY = new RegExp([
  'this is the mail system at host', 'could not be delivered to one or more recipients', 'delivery to the following recipient',
  'the following (?:message|address(?:es)?) (?:to|failed|had permanent)', 'message could not be delivered', 'permanent fatal errors?',
  'was not delivered to', 'delivery has failed to these recipients', 'i\'m sorry to have to inform you', 'unable to deliver (?:your|the) message',
  'this message was created automatically by mail delivery software', 'your message (?:did not reach|could not be delivered|wasn\'t delivered)',
  'diagnostic-code:', 'final-recipient:', 'remote-mta:', 'smtp error from remote mail server', 'returned mail: ', 'delivery status notification',
  'a message that you sent could not be delivered', 'hi\\. this is the qmail-send program', 'undeliverable (?:message|mail)',
  'mail delivery failed', 'user unknown', 'mailbox (?:is )?(?:full|unavailable|not found)', 'no such user', 'recipient address rejected',
  'message not delivered', 'delivery failed', 'could not deliver', 'host or domain name not found', 'smtp;\\s*5\\d\\d',
  'did not reach the following recipient', 'there was an error delivering your mail', 'not a member of this (?:mailing )?list',
  '投递失败', '退信', '无法投递', '不存在', '配信できませんでした', 'メールを配信できません',
].join('|'), 'i');

/** Subjects of vacation notices and autoresponders: a prefix with a colon, as clients write them. */
const AUTO_REPLY_SUBJECT = /^\s*(?:\[[^\]]*\]\s*)?(?:auto(?:matic|matische)?[ -]?(?:reply|response|answer|antwort|responder)|autoreply|out of (?:the )?office|abwesenheitsnotiz|abwesend|r[ée]ponse automatique|absence|vacation(?: reply)?|respuesta autom[áa]tica|risposta automatica|resposta autom[áa]tica|automatisch antwoord|自动回复|自動回覆|自动答复|自動回复|自動応答|自動返信|不在通知|休假|外出)\s*[:：]|\b(?:is|am) (?:currently )?out of (?:the )?office\b|\bon (?:annual )?(?:leave|vacation|holiday) (?:until|till|from)\b/i;

function localPart(address: string | undefined): string {
  return (address ?? '').split('@')[0] ?? '';
}

const REPORT_PARTS = new Set(['message/delivery-status', 'message/global-delivery-status', 'message/feedback-report']);
const ORIGINAL_PARTS = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global-headers']);

function addressIn(value: string | undefined): string | undefined {
  // "rfc822; user@example.com" · "<user@example.com>" · "user@example.com"
  const m = /([^\s<>;"()]+@[^\s<>;"()]+)/.exec(value ?? '');
  return m?.[1].replace(/[.,]+$/, '').toLowerCase();
}

/** Recipients and original Message-ID from a delivery-status part (RFC 3464): per-recipient blocks with Action: failed. */
function readDeliveryStatus(content: Buffer): { failed: string[]; messageId?: string } {
  const blocks = readHeaderBlocks(content);
  const failed: string[] = [];
  let messageId: string | undefined;
  for (const b of blocks) {
    messageId ??= messageIds(b.get('original-message-id')?.[0] ?? b.get('x-original-message-id')?.[0])[0];
    const recipient = addressIn(b.get('final-recipient')?.[0]) ?? addressIn(b.get('original-recipient')?.[0]);
    if (!recipient) continue;
    const action = (b.get('action')?.[0] ?? '').toLowerCase();
    const status = b.get('status')?.[0] ?? '';
    if (action.startsWith('failed') || status.startsWith('5') || (!action && !status)) failed.push(recipient);
  }
  return { failed, messageId };
}

/** Where a plain-text report stops explaining and starts quoting the original message. */
const QUOTED_ORIGINAL = /^[ \t]*(?:-{2,}.*(?:original|copy|returned|undelivered|headers|message)|.*(?:message headers follow|original message|included below|is a copy of the message)|(?:received|return-path|message-id|mime-version|subject|from|date):[ \t])/im;
const ADDRESS = /[\w.!#$%&'*+/=?^`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;

/**
 * Recipients named in the explaining part of a plain-text report ("There was an error delivering your
 * mail to <user@example.com>", qmail's "<user@example.com>:"), minus the report's own addresses.
 */
function textRecipients(mail: ParsedMail, text: string): string[] {
  const cut = text.search(QUOTED_ORIGINAL);
  const report = cut === -1 ? text.slice(0, 20_000) : text.slice(0, Math.min(cut, 20_000));
  const own = new Set([mail.from?.address, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)].filter(Boolean).map((a) => a!.toLowerCase()));
  const found = new Set<string>();
  for (const m of report.matchAll(ADDRESS)) {
    const address = m[0].replace(/[.]+$/, '').toLowerCase();
    if (own.has(address) || DAEMON_SENDER.test(localPart(address)) || POSTMASTER_SENDER.test(localPart(address))) continue;
    found.add(address);
    if (found.size >= 50) break;
  }
  return [...found];
}

/** The bounced message's id and recipients, from whatever the report carries. */
function bounceDetails(mail: ParsedMail): Pick<AutoDetection, 'originalMessageId' | 'failedRecipients'> {
  let originalMessageId: string | undefined;
  const failed = new Set<string>();
  for (const a of mail.attachments) {
    if (a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status') {
      const ds = readDeliveryStatus(a.content);
      ds.failed.forEach((r) => failed.add(r));
      originalMessageId ??= ds.messageId;
    } else if (a.contentType === 'message/feedback-report') {
      // ARF: the complaint names the recipient who complained, not a failed one, but the pipeline wants the same thing
      const fields = readHeaderBlock(a.content);
      for (const v of [...(fields.get('original-rcpt-to') ?? []), ...(fields.get('removal-recipient') ?? [])]) {
        const address = addressIn(v);
        if (address) failed.add(address);
      }
    } else if (ORIGINAL_PARTS.has(a.contentType)) {
      originalMessageId ??= messageIds(readHeaderBlock(a.content).get('message-id')?.[0])[0];
    }
  }
  for (const r of (mail.headers['x-failed-recipients'] ?? '').split(',')) {
    const address = addressIn(r);
    if (address) failed.add(address);
  }
  const text = mail.text.slice(0, 200_000);
  // reports that quote the original headers in the text ("------ This is a copy of the message …")
  originalMessageId ??= messageIds(/^[ \t>]*message-id:[ \t]*(<[^>\s]+>)/im.exec(text)?.[1])[0];
  if (!failed.size) textRecipients(mail, text).forEach((r) => failed.add(r));
  return { originalMessageId, failedRecipients: [...failed] };
}

function classifyBounce(mail: ParsedMail): string | null {
  const reportType = (mail.contentType.params['report-type'] ?? '').toLowerCase();
  if (mail.contentType.value === 'multipart/report' && /delivery-status|feedback-report/.test(reportType)) return `${reportType} report`;
  const part = mail.attachments.find((a) => REPORT_PARTS.has(a.contentType));
  if (part) return `${part.contentType} part`;
  if (mail.headers['x-failed-recipients']) return 'X-Failed-Recipients header';
  const sender = localPart(mail.from?.address);
  if (DAEMON_SENDER.test(sender) || /\bmailer[-_]?daemon\b/i.test(mail.headers.from ?? '')) return `sender ${mail.headers.from ?? mail.from?.address}`;
  // provider formats: Hotmail's complaint feedback (JMRP), Amazon SES notifications relayed by SNS
  if (/^\s*complaint about message from \d{1,3}(?:\.\d{1,3}){3}\b/i.test(mail.subject)) return 'complaint feedback';
  if (/"notificationType"\s*:\s*"(?:Bounce|Complaint|Delivery)"/.test(mail.text.slice(0, 20_000))) return 'SES notification';

  // weaker signals: two of them make a bounce (a customer may well write "Re: undelivered parcel")
  const subject = BOUNCE_SUBJECT.test(mail.subject);
  const body = BOUNCE_BODY.test(mail.text.slice(0, 20_000));
  const systemSender = POSTMASTER_SENDER.test(sender) || DAEMON_NAME.test(mail.from?.name ?? '');
  const nullSender = /^<?\s*>?$/.test(mail.headers['return-path'] ?? 'x');
  const autoSubmitted = /^auto-(?:generated|replied)/i.test(mail.headers['auto-submitted'] ?? '');
  const signals = [subject && 'subject', body && 'report text', systemSender && 'system sender', nullSender && 'empty Return-Path', autoSubmitted && 'Auto-Submitted'].filter(Boolean);
  if (signals.length >= 2 && (subject || body)) return signals.join(' + ');
  return null;
}

function classifyAutoReply(mail: ParsedMail): string | null {
  const h = mail.headers;
  const autoSubmitted = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = (h.precedence ?? '').trim().toLowerCase();
  if (/^(?:bulk|junk|list|auto[_-]?reply)/.test(precedence)) return `Precedence: ${precedence}`;
  if (h['x-autoreply'] && !/^no/i.test(h['x-autoreply'])) return 'X-Autoreply header';
  if (h['x-autorespond']) return 'X-Autorespond header';
  if (h['x-autogenerated']) return 'X-Autogenerated header';
  if (/\b(?:all|oof|autoreply)\b/i.test(h['x-auto-response-suppress'] ?? '')) return `X-Auto-Response-Suppress: ${h['x-auto-response-suppress']}`;
  if (h['x-loop']) return 'X-Loop header';
  if (h['list-id'] || h['list-unsubscribe']) return 'mailing list (List-Id / List-Unsubscribe)';
  if (mail.contentType.value === 'multipart/report' && /disposition-notification/i.test(mail.contentType.params['report-type'] ?? '')) return 'read receipt';
  if (AUTO_REPLY_SUBJECT.test(mail.subject)) return 'auto-reply subject';
  if (/^<?\s*>?$/.test(h['return-path'] ?? 'x')) return 'empty Return-Path';
  return null;
}

/** Bounce, auto-reply or a person's mail; checked in that order (a bounce is often Auto-Submitted too). */
export function detectAuto(mail: ParsedMail): AutoDetection {
  const bounce = classifyBounce(mail);
  if (bounce) return { kind: 'bounce', reason: bounce, ...bounceDetails(mail) };
  const auto = classifyAutoReply(mail);
  if (auto) return { kind: 'auto_reply', reason: auto, failedRecipients: [] };
  return { kind: 'normal', failedRecipients: [] };
}
