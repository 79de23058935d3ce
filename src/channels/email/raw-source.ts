import { and, desc, eq, sql } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import { can } from '../../modules/auth/actor.ts';
import type { Ctx } from '../../modules/context.ts';
import { messages } from '../../modules/tickets/tickets.schema.ts';
import { loadVisibleTicket } from '../../modules/tickets/tickets.queries.ts';
import { inTenant } from '../../modules/tenant-scope.ts';
import { inboundMails } from './email.schema.ts';

/**
 * The stored mail that made a message of a ticket the caller can open: the one that was ingested, before
 * any later copy of it (a duplicate through a second mailbox).
 */
export async function originalMail(ctx: Ctx, ticketId: string, messageId: string): Promise<Buffer> {
  const ticket = await loadVisibleTicket(ctx, ticketId);
  const [row] = await ctx.db.select({ raw: inboundMails.raw }).from(inboundMails)
    .innerJoin(messages, eq(messages.id, inboundMails.messageId))
    .where(inTenant(ctx, inboundMails, eq(inboundMails.messageId, messageId), and(eq(messages.ticketId, ticket.id), eq(messages.tenantId, ctx.tenantId))))
    .orderBy(desc(sql`${inboundMails.status} = 'ingested'`), inboundMails.receivedAt)
    .limit(1);
  if (!row) throw new AppError('not_found', { zh: '该消息没有邮件原文', en: 'This message has no original email' });
  return row.raw;
}

/**
 * The original source of an email message, for staff who can open its ticket. The source carries the
 * sender's address in the clear (headers, quoted history), so it also needs the permission to see
 * customers' contact details: without it the address is masked everywhere else, and here it is refused.
 */
export async function rawMessage(ctx: Ctx, ticketId: string, messageId: string): Promise<Buffer> {
  const raw = await originalMail(ctx, ticketId, messageId);
  if (!can(ctx.actor, 'customers.view_contact')) {
    throw new AppError('forbidden', { zh: '邮件原文包含客户的邮箱地址，查看需要“查看客户联系方式”权限', en: 'The original source shows the customer\'s address: it needs the permission to see customers\' contact details' });
  }
  return raw;
}
