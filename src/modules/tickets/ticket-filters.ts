import { eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { TicketFilters } from '../../contracts/tickets.ts';
import type { Ctx } from '../context.ts';
import { ACTIVE_PREDICATE, ACTIVE_STATUSES, tickets } from './tickets.schema.ts';

/** Overdue: an SLA target was breached, or its deadline has passed and the timer has not fired yet. */
export function overdueCondition(ctx: Ctx): SQL {
  return sql`${tickets.id} in (select s.ticket_id from ticket_sla s where s.tenant_id = ${ctx.tenantId} and (s.breached_at is not null or s.next_due < now()))`;
}

/** Subject text, or a ticket number ("123", "#123"). */
export function textCondition(text: string): SQL | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const number = /^#?\d+$/.test(t) ? Number(t.replace('#', '')) : null;
  const like = `%${t.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  return or(ilike(tickets.subject, like), ...(number !== null && number < 2 ** 31 ? [eq(tickets.number, number)] : []));
}

/**
 * The SQL conditions of a set of queue filters (AND of all; a list matches any of its values). Only the
 * filter keys are read, so a whole queue query can be passed. Values a stored view kept from an older
 * schema are skipped, not trusted.
 */
export function filterConditions(ctx: Ctx, f: TicketFilters): SQL[] {
  const out: SQL[] = [];
  const list = (v: unknown): string[] | null => (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string') ? v : null);
  const statuses = list(f.statuses);
  if (statuses) {
    out.push(inArray(tickets.status, statuses));
    // Written out literally too when it holds, so the planner can use the partial indexes of active tickets.
    if (statuses.every((s) => (ACTIVE_STATUSES as readonly string[]).includes(s))) out.push(ACTIVE_PREDICATE);
  }
  const priorities = list(f.priorities);
  if (priorities) out.push(inArray(tickets.priority, priorities));
  const departments = list(f.departmentIds);
  if (departments) out.push(inArray(tickets.departmentId, departments));
  const types = list(f.typeIds);
  if (types) out.push(inArray(tickets.typeId, types));
  const channels = list(f.channels);
  if (channels) out.push(inArray(tickets.channel, channels));
  const tags = list(f.tags);
  if (tags) out.push(sql`${tickets.tags} && array[${sql.join(tags.map((t) => sql`${t}`), sql`, `)}]::text[]`);
  if (f.assignee === 'me') out.push(ctx.actor.kind === 'staff' ? eq(tickets.assigneeId, ctx.actor.userId) : sql`false`);
  else if (f.assignee === 'none') out.push(isNull(tickets.assigneeId));
  else if (typeof f.assignee === 'string') out.push(eq(tickets.assigneeId, f.assignee));
  if (f.escalated === true) out.push(sql`${tickets.escalationLevel} > 0`);
  if (f.escalated === false) out.push(eq(tickets.escalationLevel, 0));
  if (f.overdue === true) out.push(ACTIVE_PREDICATE, overdueCondition(ctx));
  if (f.overdue === false) out.push(sql`not ${overdueCondition(ctx)}`);
  if (typeof f.q === 'string') {
    const text = textCondition(f.q);
    if (text) out.push(text);
  }
  return out;
}
