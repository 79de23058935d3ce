import { and, asc, count, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import { QUEUE_VIEWS, type QueueQuery, type QueueView, type TicketDetail } from '../../contracts/tickets.ts';
import type { Ctx } from '../context.ts';
import { customers } from '../customers/customers.schema.ts';
import { departmentMembers } from '../staff/staff.schema.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { canSeeTicket, visibleTickets } from './tickets.policy.ts';
import { presentHistory, presentMessages, presentTickets } from './tickets.presenter.ts';
import { messages, ticketHistory, tickets, type Ticket } from './tickets.schema.ts';

const ACTIVE = ['new', 'open', 'pending', 'on_hold'];

/** The condition behind each queue view (on top of what the actor may see at all). */
function viewCondition(ctx: Ctx, view: QueueView): SQL | undefined {
  const me = ctx.actor.kind === 'staff' ? ctx.actor.userId : null;
  const active = inArray(tickets.status, ACTIVE);
  switch (view) {
    case 'mine': return me ? and(eq(tickets.assigneeId, me), active) : sql`false`;
    case 'unassigned': return and(isNull(tickets.assigneeId), active);
    case 'department': return me ? and(active, inArray(tickets.departmentId, ctx.db.select({ id: departmentMembers.departmentId }).from(departmentMembers).where(eq(departmentMembers.userId, me)))) : sql`false`;
    case 'escalated': return and(active, sql`${tickets.escalationLevel} > 0`);
    // Overdue: an SLA target was breached, or its deadline has passed and the timer has not fired yet.
    case 'overdue': return and(active, sql`exists (select 1 from ticket_sla s where s.ticket_id = ${tickets.id} and (s.breached_at is not null or s.next_due < now()))`);
    case 'open': return active;
    case 'all': return undefined;
  }
}

const PRIORITY_RANK = sql`case ${tickets.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

export async function listQueue(ctx: Ctx, q: QueueQuery) {
  const where: Array<SQL | undefined> = [visibleTickets(ctx), viewCondition(ctx, q.view ?? 'open')];
  if (q.status) where.push(eq(tickets.status, q.status));
  if (q.departmentId) where.push(eq(tickets.departmentId, q.departmentId));
  if (q.q) {
    const text = q.q.trim();
    const number = /^#?\d+$/.test(text) ? Number(text.replace('#', '')) : null;
    const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(tickets.subject, like), ...(number !== null && number < 2 ** 31 ? [eq(tickets.number, number)] : [])));
  }
  const cond = inTenant(ctx, tickets, ...where);
  const order = q.sort === 'created' ? [desc(tickets.createdAt)] : q.sort === 'priority' ? [asc(PRIORITY_RANK), desc(tickets.updatedAt)] : [desc(tickets.updatedAt)];
  const rows = await ctx.db.select().from(tickets).where(cond).orderBy(...order, desc(tickets.id)).limit(q.limit ?? 50).offset(q.offset ?? 0);
  const [{ n }] = await ctx.db.select({ n: count() }).from(tickets).where(cond);
  return { total: n, items: await presentTickets(ctx, rows) };
}

/** Counts for every view, in one query, for the queue's sidebar badges. */
export async function queueCounts(ctx: Ctx): Promise<Record<string, number>> {
  const cols = Object.fromEntries(QUEUE_VIEWS.map((v) => [v, sql<number>`count(*) filter (where ${viewCondition(ctx, v) ?? sql`true`})`.mapWith(Number)]));
  const [row] = await ctx.db.select(cols).from(tickets).where(inTenant(ctx, tickets, visibleTickets(ctx)));
  return row as Record<string, number>;
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
      .where(inTenant(ctx, tickets, eq(tickets.customerId, ticket.customerId), ne(tickets.id, ticket.id), visibleTickets(ctx))).orderBy(desc(tickets.createdAt)).limit(20)
    : [];
  return {
    ticket: view,
    messages: await presentMessages(ctx, msgs, customer?.name ?? null),
    history: history.map((h) => presentHistory({ ...h, changes: h.changes as Record<string, [unknown, unknown]> })),
    customerTickets: others.map((o) => ({ ...o, status: o.status as TicketDetail['ticket']['status'], createdAt: o.createdAt.toISOString() })),
  };
}
