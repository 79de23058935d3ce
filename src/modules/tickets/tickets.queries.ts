import { and, asc, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import { QUEUE_VIEWS, type QueueQuery, type QueueView, type TicketDetail, type TicketFilters } from '../../contracts/tickets.ts';
import { queryRows } from '../../db/client.ts';
import type { Ctx } from '../context.ts';
import { customers } from '../customers/customers.schema.ts';
import { departmentMembers } from '../staff/staff.schema.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { canSeeTicket, visibilityBranches, visibleTickets } from './tickets.policy.ts';
import { listSavedViews, loadUsableView } from './saved-views.service.ts';
import { filterConditions, overdueCondition } from './ticket-filters.ts';
import { listFollowers } from './ticket-followers.service.ts';
import { listLinks } from './ticket-links.service.ts';
import { presentHistory, presentMessages, presentTickets } from './tickets.presenter.ts';
import { ACTIVE_PREDICATE, messages, ticketHistory, tickets, type Ticket } from './tickets.schema.ts';

/** Counts stop here: "10,000+" is as useful to a person as the exact number, and far cheaper. */
export const COUNT_CAP = 10_000;

/** The condition behind each queue view (on top of what the actor may see at all). */
function viewCondition(ctx: Ctx, view: QueueView, myDepartments: string[]): SQL | undefined {
  const me = ctx.actor.kind === 'staff' ? ctx.actor.userId : null;
  const active = ACTIVE_PREDICATE;
  switch (view) {
    case 'mine': return me ? and(active, eq(tickets.assigneeId, me)) : sql`false`;
    case 'unassigned': return and(active, isNull(tickets.assigneeId));
    case 'department': return myDepartments.length ? and(active, inArray(tickets.departmentId, myDepartments)) : sql`false`;
    case 'escalated': return and(active, sql`${tickets.escalationLevel} > 0`);
    case 'overdue': return and(active, overdueCondition(ctx));
    case 'open': return active;
    case 'all': return undefined;
  }
}

async function myDepartmentIds(ctx: Ctx): Promise<string[]> {
  if (ctx.actor.kind !== 'staff') return [];
  return (await ctx.db.select({ id: departmentMembers.departmentId }).from(departmentMembers).where(eq(departmentMembers.userId, ctx.actor.userId))).map((d) => d.id);
}

/** count(*) that stops at COUNT_CAP + 1 rows. */
async function cappedCount(ctx: Ctx, cond: SQL): Promise<number> {
  const [row] = await ctx.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(
    ctx.db.select({ one: sql`1`.as('one') }).from(tickets).where(cond).limit(COUNT_CAP + 1).as('capped'));
  return Math.min(row.n, COUNT_CAP);
}

const PRIORITY_RANK = sql`case ${tickets.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

export async function listQueue(ctx: Ctx, q: QueueQuery) {
  const departments = await myDepartmentIds(ctx);
  const branches = await visibilityBranches(ctx);
  // A saved view's filters and the request's own filters all narrow the view (all tickets, for a saved view).
  const saved = q.savedViewId ? await loadUsableView(ctx, q.savedViewId) : null;
  const filters: Array<SQL | undefined> = [
    viewCondition(ctx, q.view ?? (saved ? 'all' : 'open'), departments),
    ...(saved ? filterConditions(ctx, saved.filters as TicketFilters) : []),
    ...filterConditions(ctx, q),
  ];
  if (q.status) filters.push(eq(tickets.status, q.status));
  if (q.departmentId) filters.push(eq(tickets.departmentId, q.departmentId));
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const cond = inTenant(ctx, tickets, branches ? (branches.length ? or(...branches) : sql`false`) : undefined, ...filters);
  const [rows, total] = await Promise.all([
    branches && branches.length > 1 && q.sort !== 'priority'
      ? pageByBranches(ctx, branches, filters, q.sort === 'created' ? tickets.createdAt : tickets.updatedAt, limit, offset)
      : ctx.db.select().from(tickets).where(cond).orderBy(...(q.sort === 'created' ? [desc(tickets.createdAt)] : q.sort === 'priority' ? [asc(PRIORITY_RANK), desc(tickets.updatedAt)] : [desc(tickets.updatedAt)]), desc(tickets.id)).limit(limit).offset(offset),
    cappedCount(ctx, cond),
  ]);
  return { total, items: await presentTickets(ctx, rows) };
}

/**
 * One page of what a department-limited agent sees: each visibility branch (assigned to me, my
 * departments, no department yet) is read newest-first through its own index up to the page's end,
 * and the branches are merged. One OR over all three would make the planner either walk the whole
 * newest-first index filtering, or collect and sort everything visible.
 */
async function pageByBranches(ctx: Ctx, branches: SQL[], filters: Array<SQL | undefined>, sortCol: typeof tickets.updatedAt | typeof tickets.createdAt, limit: number, offset: number): Promise<Ticket[]> {
  const upTo = offset + limit;
  const parts = branches.map((b) => sql`(select ${tickets.id} as id, ${sortCol} as s from ${tickets} where ${inTenant(ctx, tickets, b, ...filters)} order by ${sortCol} desc, ${tickets.id} desc limit ${upTo})`);
  const ids = (await queryRows<{ id: string }>(ctx.db, sql`select id from (${sql.join(parts, sql` union `)}) u order by s desc, id desc limit ${limit} offset ${offset}`)).map((r) => r.id);
  if (!ids.length) return [];
  const rows = await ctx.db.select().from(tickets).where(inArray(tickets.id, ids));
  const at = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
}

/** Counts for every view and every saved view the caller can use (as saved:<id>), for the queue's badges (each capped at COUNT_CAP). */
export async function queueCounts(ctx: Ctx): Promise<Record<string, number>> {
  const [departments, visible, saved] = await Promise.all([myDepartmentIds(ctx), visibleTickets(ctx), listSavedViews(ctx)]);
  const out: Record<string, number> = {};
  // Independent capped counts: on PostgreSQL they run side by side on the pool.
  const counts = await Promise.all([
    ...QUEUE_VIEWS.map((view) => cappedCount(ctx, inTenant(ctx, tickets, visible, viewCondition(ctx, view, departments)))),
    ...saved.map((v) => cappedCount(ctx, inTenant(ctx, tickets, visible, ...filterConditions(ctx, v.filters as TicketFilters)))),
  ]);
  QUEUE_VIEWS.forEach((view, i) => { out[view] = counts[i]; });
  saved.forEach((v, i) => { out[`saved:${v.id}`] = counts[QUEUE_VIEWS.length + i]; });
  return out;
}

/** A ticket the actor may see, or 404 (never 403: its existence is not revealed). */
export async function loadVisibleTicket(ctx: Ctx, id: string): Promise<Ticket> {
  const ticket = await findOwned(ctx, tickets, id);
  if (!(await canSeeTicket(ctx, ticket))) throw new AppError('not_found');
  return ticket;
}

export async function ticketDetail(ctx: Ctx, ticket: Ticket): Promise<TicketDetail> {
  const [view] = await presentTickets(ctx, [ticket]);
  const msgs = await ctx.db.select().from(messages).where(inTenant(ctx, messages, eq(messages.ticketId, ticket.id))).orderBy(asc(messages.createdAt), asc(messages.id));
  const history = await ctx.db.select().from(ticketHistory).where(inTenant(ctx, ticketHistory, eq(ticketHistory.ticketId, ticket.id))).orderBy(asc(ticketHistory.id));
  const [customer] = ticket.customerId ? await ctx.db.select({ name: customers.name }).from(customers).where(eq(customers.id, ticket.customerId)) : [];
  const others = ticket.customerId
    ? await ctx.db.select({ id: tickets.id, number: tickets.number, subject: tickets.subject, status: tickets.status, createdAt: tickets.createdAt }).from(tickets)
      .where(inTenant(ctx, tickets, eq(tickets.customerId, ticket.customerId), ne(tickets.id, ticket.id), await visibleTickets(ctx))).orderBy(desc(tickets.createdAt)).limit(20)
    : [];
  return {
    ticket: view,
    messages: await presentMessages(ctx, msgs, customer?.name ?? null),
    history: history.map((h) => presentHistory({ ...h, changes: h.changes as Record<string, [unknown, unknown]> })),
    customerTickets: others.map((o) => ({ ...o, status: o.status as TicketDetail['ticket']['status'], createdAt: o.createdAt.toISOString() })),
    followers: await listFollowers(ctx, ticket.id),
    links: await listLinks(ctx, ticket.id),
  };
}
