import type { InboundMessage } from '../adapter.ts';
import type { ParsedMail } from './parse-mail.ts';

/**
 * Which ticket a mail may continue: our number tag in the subject ("[#123]", as our notification mails
 * write it, also "[工单 #123]", "[Ticket#123]", "[#T-123]"), and the Message-IDs it replies to
 * (In-Reply-To first, then References newest first). Hints only: tickets.ingest still checks that the
 * ticket belongs to the sender.
 */

// a bracketed tag: optional word (工单, 工單, Ticket, Case, Request …), "#", optional "T-", the number
const NUMBER_TAG = /\[\s*(?:[\p{L}]{1,12}\s*)?#\s*(?:T-?)?(\d{1,9})\s*\]/iu;
/** References can list a whole thread; the newest ids are the ones that matter. */
const MAX_MESSAGE_IDS = 20;

/** InboundMessage's hints: the number tag and the Message-IDs replied to, which ingest matches against stored externalIds. */
export type ThreadHints = NonNullable<InboundMessage['threadHints']>;

/** The ticket number tagged in a subject, or undefined. The first tag wins (the newest "Re:" prefix is outermost). */
export function ticketNumberIn(subject: string): number | undefined {
  const m = NUMBER_TAG.exec(subject);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export function threadHints(mail: Pick<ParsedMail, 'subject' | 'inReplyTo' | 'references'>): ThreadHints {
  const ids: string[] = [];
  for (const id of [mail.inReplyTo, ...[...mail.references].reverse()]) {
    if (id && !ids.includes(id)) ids.push(id);
    if (ids.length >= MAX_MESSAGE_IDS) break;
  }
  const ticketNumber = ticketNumberIn(mail.subject);
  return { ...(ticketNumber ? { ticketNumber } : {}), ...(ids.length ? { messageIds: ids } : {}) };
}
