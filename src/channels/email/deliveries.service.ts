import { and, asc, eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { DeliveryView } from '../../contracts/email.ts';
import { can } from '../../modules/auth/actor.ts';
import { maskEmail } from '../../modules/customers/customers.service.ts';
import type { Ctx } from '../../modules/context.ts';
import { messages, type Ticket } from '../../modules/tickets/tickets.schema.ts';
import { inTenant } from '../../modules/tenant-scope.ts';
import { outboundMails, type OutboundMail } from './email.schema.ts';
import { retryOutbound } from './send-queue.ts';

/** What the ticket page shows beside each outgoing email message: its send state, and "retry" for a failed one. */

const ADDRESS = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Servers quote the recipient in their errors ("550 <x@y>: unknown user"): masked for staff who may not see contact details. */
const masked = (text: string | null, show: boolean) => (text && !show ? text.replace(ADDRESS, (a) => maskEmail(a) ?? '***') : text);

export function presentDelivery(r: OutboundMail, showAddress: boolean): DeliveryView {
  return {
    messageId: r.messageId, kind: r.kind as DeliveryView['kind'], status: r.status as DeliveryView['status'], attempts: r.attempts,
    lastError: masked(r.lastError, showAddress),
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null, bounceReason: masked(r.bounceReason, showAddress), rfcMessageId: r.rfcMessageId, subject: r.subject,
    toAddress: showAddress ? r.toAddress || null : null, sentAt: r.sentAt?.toISOString() ?? null, bouncedAt: r.bouncedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The send records of a ticket's messages (found through the messages, so a merged ticket shows the ones it took over). */
export async function listDeliveries(ctx: Ctx, ticket: Ticket): Promise<{ items: DeliveryView[] }> {
  const rows = await ctx.db.select({ o: outboundMails }).from(outboundMails).innerJoin(messages, eq(messages.id, outboundMails.messageId))
    .where(inTenant(ctx, messages, eq(messages.ticketId, ticket.id))).orderBy(asc(outboundMails.createdAt));
  const showAddress = can(ctx.actor, 'customers.view_contact');
  return { items: rows.map((r) => presentDelivery(r.o, showAddress)) };
}

/** Sends a failed mail again now (the agent pressed "retry"); only failed mail, and only on this ticket. */
export async function retryDelivery(ctx: Ctx, ticket: Ticket, messageId: string): Promise<DeliveryView> {
  const [m] = await ctx.db.select({ id: messages.id }).from(messages).where(inTenant(ctx, messages, eq(messages.id, messageId), eq(messages.ticketId, ticket.id)));
  if (!m) throw new AppError('not_found');
  const row = await retryOutbound(ctx.db, ctx.tenantId, messageId);
  if (!row) {
    const [current] = await ctx.db.select().from(outboundMails).where(and(eq(outboundMails.tenantId, ctx.tenantId), eq(outboundMails.messageId, messageId)));
    if (!current) throw new AppError('not_found', { zh: '该消息没有外发邮件', en: 'This message was not sent by email' });
    throw new AppError('not_retryable', current.toAddress
      ? { zh: `只能重发发送失败的邮件（当前状态：${current.status}）`, en: `Only a failed mail can be sent again (it is ${current.status})` }
      : { zh: '客户没有可回复的邮箱地址', en: 'The customer has no email address to reply to' });
  }
  return presentDelivery(row, can(ctx.actor, 'customers.view_contact'));
}
