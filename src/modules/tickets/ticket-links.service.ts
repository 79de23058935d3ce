import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { LinkedTicket } from '../../contracts/tickets.ts';
import { actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { visibleTickets } from './tickets.policy.ts';
import { ticketLinks, tickets, type Ticket } from './tickets.schema.ts';
import { writeHistory } from './tickets.service.ts';

/** "Related" links between two tickets: symmetric, one row per pair with the smaller id first. */
const pair = (a: string, b: string) => (a < b ? { ticketId: a, linkedId: b } : { ticketId: b, linkedId: a });

/** The tickets linked to this one, either way round, that the caller may see. */
export async function listLinks(ctx: Ctx, ticketId: string): Promise<LinkedTicket[]> {
  const rows = await ctx.db.select({ a: ticketLinks.ticketId, b: ticketLinks.linkedId }).from(ticketLinks)
    .where(inTenant(ctx, ticketLinks, or(eq(ticketLinks.ticketId, ticketId), eq(ticketLinks.linkedId, ticketId))));
  const ids = rows.map((r) => (r.a === ticketId ? r.b : r.a));
  if (!ids.length) return [];
  const linked = await ctx.db.select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status }).from(tickets)
    .where(inTenant(ctx, tickets, inArray(tickets.id, ids), await visibleTickets(ctx))).orderBy(asc(tickets.number));
  return linked.map((t) => ({ ...t, status: t.status as LinkedTicket['status'] }));
}

/** Links two tickets the caller can both see; linking them again changes nothing. */
export async function linkTickets(ctx: Ctx, ticket: Ticket, other: Ticket): Promise<LinkedTicket[]> {
  if (ticket.id === other.id) throw new AppError('validation', { zh: '工单不能关联它自己', en: 'A ticket cannot be linked to itself' });
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const added = await tx.insert(ticketLinks).values({ tenantId: ctx.tenantId, ...pair(ticket.id, other.id), createdBy: actorUserId(ctx.actor) })
      .onConflictDoNothing().returning();
    if (added.length) {
      await writeHistory(c, ticket.id, 'linked', { linked: [null, other.number] });
      await writeHistory(c, other.id, 'linked', { linked: [null, ticket.number] });
    }
    return listLinks(c, ticket.id);
  });
}

/** Removes the link between two tickets, if there is one. */
export async function unlinkTickets(ctx: Ctx, ticket: Ticket, other: Ticket): Promise<LinkedTicket[]> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const p = pair(ticket.id, other.id);
    const removed = await tx.delete(ticketLinks)
      .where(and(eq(ticketLinks.tenantId, ctx.tenantId), eq(ticketLinks.ticketId, p.ticketId), eq(ticketLinks.linkedId, p.linkedId))).returning();
    if (removed.length) {
      await writeHistory(c, ticket.id, 'unlinked', { linked: [other.number, null] });
      await writeHistory(c, other.id, 'unlinked', { linked: [ticket.number, null] });
    }
    return listLinks(c, ticket.id);
  });
}
