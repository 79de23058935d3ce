import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { schedule, type ClaimedJob } from '../../events/jobs.ts';
import type { Runtime } from '../../events/subscriber.ts';
import { storeNotifications } from '../../modules/notifications/notifications.service.ts';
import { messages, tickets } from '../../modules/tickets/tickets.schema.ts';
import type { AutoDetection } from './detect-auto.ts';
import { outboundMails } from './email.schema.ts';
import type { ParsedMail } from './parse-mail.ts';
import { readHeaderBlocks } from './raw-headers.ts';

/**
 * A bounce of our own mail: the delivery report names the Message-ID we sent (in its message/rfc822 or
 * text/rfc822-headers part, or as In-Reply-To/References), so that send record is marked bounced with
 * the report's status code and diagnostic, and the agent who wrote it (and the ticket's assignee) hear
 * of it. The report itself never opens a ticket and is never answered (the pipeline ignores it).
 */

export const BOUNCE_NOTICE_QUEUE = 'email.bounced';

/** "5.1.1 smtp; 550 5.1.1 <x@y>: Recipient address rejected: User unknown" from the report's per-recipient fields. */
export function bounceReason(mail: ParsedMail, auto: AutoDetection): string {
  const parts: string[] = [];
  for (const a of mail.attachments) {
    if (a.contentType !== 'message/delivery-status' && a.contentType !== 'message/global-delivery-status') continue;
    for (const b of readHeaderBlocks(a.content)) {
      const recipient = b.get('final-recipient')?.[0] ?? b.get('original-recipient')?.[0];
      if (!recipient) continue;
      const status = b.get('status')?.[0]?.trim();
      const diagnostic = b.get('diagnostic-code')?.[0]?.replace(/\s+/g, ' ').trim();
      const action = b.get('action')?.[0]?.trim().toLowerCase();
      if (action && action !== 'failed' && !status?.startsWith('5')) continue;
      parts.push([status, diagnostic, recipient.replace(/^rfc822;\s*/i, '').trim()].filter(Boolean).join(' '));
    }
  }
  if (parts.length) return parts.join('; ').slice(0, 1000);
  const failed = auto.failedRecipients.length ? ` (${auto.failedRecipients.slice(0, 5).join(', ')})` : '';
  return `${auto.reason ?? 'delivery failed'}${failed}`.slice(0, 1000);
}

/** Marks the bounced send record, in the pipeline's transaction; the ticket it belongs to, or null when the report is not about our mail. */
export async function markBounced(db: Conn, tenantId: string, mail: ParsedMail, auto: AutoDetection): Promise<string | null> {
  const ids = [auto.originalMessageId, mail.inReplyTo, ...[...mail.references].reverse()].filter((x): x is string => !!x).slice(0, 20);
  if (!ids.length) return null;
  const rows = await db.select({ id: outboundMails.id, rfcMessageId: outboundMails.rfcMessageId, ticketId: messages.ticketId, status: outboundMails.status })
    .from(outboundMails).innerJoin(messages, eq(messages.id, outboundMails.messageId))
    .where(and(eq(outboundMails.tenantId, tenantId), inArray(outboundMails.rfcMessageId, ids)));
  const hit = ids.map((id) => rows.find((r) => r.rfcMessageId === id)).find(Boolean);
  if (!hit) return null;
  const [marked] = await db.update(outboundMails).set({ status: 'bounced', bounceReason: bounceReason(mail, auto), bouncedAt: new Date(), nextAttemptAt: null, updatedAt: new Date() })
    .where(and(eq(outboundMails.id, hit.id), ne(outboundMails.status, 'bounced'))).returning({ id: outboundMails.id });
  if (marked) await schedule(db, { queue: BOUNCE_NOTICE_QUEUE, key: `email-bounced:${hit.id}`, tenantId, payload: { outboundId: hit.id } });
  return hit.ticketId;
}

/** After the bounce is committed: the writer and the assignee are notified, open consoles refresh the message's state. */
export async function noticeBounce(rt: Runtime, job: ClaimedJob): Promise<void> {
  const db = rt.database.db;
  const [row] = await db.select({ o: outboundMails, authorId: messages.authorId, ticketId: messages.ticketId }).from(outboundMails)
    .innerJoin(messages, eq(messages.id, outboundMails.messageId)).where(eq(outboundMails.id, String(job.payload.outboundId)));
  if (!row || row.o.status !== 'bounced') return;
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, row.ticketId));
  if (!ticket) return;
  const people = [...new Set([row.authorId, ticket.assigneeId].filter((x): x is string => !!x))];
  const data = { number: ticket.number, subject: ticket.subject, reason: row.o.bounceReason ?? '' };
  const created = await storeNotifications(db, row.o.tenantId, people.map((userId) => ({ userId, kind: 'email_bounced', ticketId: ticket.id, data, eventId: `bounce:${row.o.id}` })));
  for (const n of created) rt.broadcast(`agent:${n.userId}`, 'notification.created', { id: n.id, kind: n.kind, ticketId: ticket.id, data });
  rt.broadcast(`tenant:${row.o.tenantId}`, 'message.delivery', { type: 'message.delivery', ticketId: ticket.id, messageId: row.o.messageId, status: 'bounced' });
}
