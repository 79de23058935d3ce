import { eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { can } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { departmentMembers } from '../staff/staff.schema.ts';
import { tickets, type Ticket } from './tickets.schema.ts';

/**
 * Which tickets an actor may see, as one SQL condition (denies by default):
 * - tickets.view_all: every ticket of the company;
 * - tickets.view_department: tickets of the departments they belong to, tickets no department owns yet,
 *   and tickets assigned to them;
 * - otherwise: only tickets assigned to them.
 */
export async function visibleTickets(ctx: Ctx): Promise<SQL> {
  const branches = await visibilityBranches(ctx);
  if (!branches) return sql`true`;
  return branches.length ? or(...branches)! : sql`false`;
}

/**
 * The same rule as separate branches whose OR is the visible set (null: everything). The queue reads
 * each branch through its own index and merges them, instead of one OR the planner cannot order.
 */
export async function visibilityBranches(ctx: Ctx): Promise<SQL[] | null> {
  const { actor } = ctx;
  if (can(actor, 'tickets.view_all')) return null;
  if (actor.kind !== 'staff') return [];
  const mine = eq(tickets.assigneeId, actor.userId);
  if (!can(actor, 'tickets.view_department')) return [mine];
  // The department list is read first and inlined, so the planner can use the department index.
  const myDepartments = (await ctx.db.select({ id: departmentMembers.departmentId }).from(departmentMembers)
    .where(eq(departmentMembers.userId, actor.userId))).map((d) => d.id);
  return [mine, isNull(tickets.departmentId), ...(myDepartments.length ? [inArray(tickets.departmentId, myDepartments)] : [])];
}

/** Assigning by hand: anyone may take a ticket nobody holds (or keep their own); anything else needs tickets.assign. */
export function mayAssign(ctx: Ctx, ticket: Ticket, assigneeId: string | null): boolean {
  const self = ctx.actor.kind === 'staff' ? ctx.actor.userId : null;
  const onlyTakingIt = self !== null && assigneeId === self && (!ticket.assigneeId || ticket.assigneeId === self);
  return onlyTakingIt || can(ctx.actor, 'tickets.assign');
}

/** The same rule for one loaded ticket. */
export async function canSeeTicket(ctx: Ctx, ticket: Ticket): Promise<boolean> {
  const { actor } = ctx;
  if (can(actor, 'tickets.view_all')) return true;
  if (actor.kind !== 'staff') return false;
  if (ticket.assigneeId === actor.userId) return true;
  if (!can(actor, 'tickets.view_department')) return false;
  if (!ticket.departmentId) return true;
  const rows = await ctx.db.select().from(departmentMembers).where(sql`${departmentMembers.userId} = ${actor.userId} and ${departmentMembers.departmentId} = ${ticket.departmentId}`);
  return rows.length > 0;
}
