import { and, asc, eq } from 'drizzle-orm';
import { actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { assertColleaguesCanSee, loadColleagues, PURPOSE } from './colleagues.ts';
import { ticketFollowers, type Ticket } from './tickets.schema.ts';
import { writeHistory } from './tickets.service.ts';

/** Followers hear about a ticket's replies and changes without holding it. */

export async function listFollowers(ctx: Ctx, ticketId: string): Promise<string[]> {
  const rows = await ctx.db.select({ userId: ticketFollowers.userId }).from(ticketFollowers)
    .where(inTenant(ctx, ticketFollowers, eq(ticketFollowers.ticketId, ticketId))).orderBy(asc(ticketFollowers.createdAt), asc(ticketFollowers.userId));
  return rows.map((r) => r.userId);
}

/**
 * Adds a follower (idempotent). Following yourself needs nothing more than seeing the ticket; a colleague
 * added by someone else must be active and able to open it, and the history says who added whom.
 */
export async function followTicket(ctx: Ctx, ticket: Ticket, userId: string): Promise<string[]> {
  const self = actorUserId(ctx.actor) === userId;
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    if (self) await loadColleagues(c, [userId]);
    else await assertColleaguesCanSee(c, [userId], ticket, PURPOSE.follow);
    const added = await tx.insert(ticketFollowers).values({ tenantId: ctx.tenantId, ticketId: ticket.id, userId }).onConflictDoNothing().returning();
    if (added.length && !self) await writeHistory(c, ticket.id, 'follower_added', { follower: [null, userId] });
    return listFollowers(c, ticket.id);
  });
}

/** Removes a follower (idempotent); removing someone else is kept in the history. */
export async function unfollowTicket(ctx: Ctx, ticket: Ticket, userId: string): Promise<string[]> {
  const self = actorUserId(ctx.actor) === userId;
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await loadColleagues(c, [userId]);
    const removed = await tx.delete(ticketFollowers)
      .where(and(eq(ticketFollowers.tenantId, ctx.tenantId), eq(ticketFollowers.ticketId, ticket.id), eq(ticketFollowers.userId, userId))).returning();
    if (removed.length && !self) await writeHistory(c, ticket.id, 'follower_removed', { follower: [userId, null] });
    return listFollowers(c, ticket.id);
  });
}
