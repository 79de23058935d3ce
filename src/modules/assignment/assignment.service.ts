import { and, count, desc, eq, gt, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { AssignmentSettingsInput, AssignmentSettingsView, CalendarInput, CalendarView } from '../../contracts/assignment.ts';
import { schedule } from '../../events/jobs.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { departmentMembers, departments, users } from '../staff/staff.schema.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { assignTicket } from '../tickets/ticket-changes.service.ts';
import { writeHistory } from '../tickets/tickets.service.ts';
import { ACTIVE_STATUSES, messages, ticketHistory, tickets } from '../tickets/tickets.schema.ts';
import { agentLoad, assignmentSettings, businessCalendars, type BusinessCalendar } from './assignment.schema.ts';
import { isOpen, isValidTimezone, nextOpening } from './business-hours.ts';
import { decideAssignee, shouldReassign, type AssignmentMode, type Candidate } from './decide-assignee.ts';

const ACTIVE = [...ACTIVE_STATUSES] as string[];

// ---- settings, calendars and capacity (admin) ----

export async function getSettings(ctx: Ctx, departmentId: string): Promise<AssignmentSettingsView> {
  await findOwned(ctx, departments, departmentId);
  const [row] = await ctx.db.select().from(assignmentSettings).where(inTenant(ctx, assignmentSettings, eq(assignmentSettings.departmentId, departmentId)));
  return row
    ? { departmentId, mode: row.mode as AssignmentMode, sticky: row.sticky, deferOutsideHours: row.deferOutsideHours, reassignAfterMinutes: row.reassignAfterMinutes, calendarId: row.calendarId }
    : { departmentId, mode: 'manual', sticky: false, deferOutsideHours: false, reassignAfterMinutes: null, calendarId: null };
}

export async function putSettings(ctx: Ctx, departmentId: string, input: AssignmentSettingsInput): Promise<AssignmentSettingsView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await getSettings(c, departmentId);
    if (input.calendarId) await findOwned(c, businessCalendars, input.calendarId);
    if (input.deferOutsideHours && !(input.calendarId ?? before.calendarId)) throw new AppError('validation', 'Holding tickets outside business hours needs a business-hours calendar');
    const values = {
      mode: input.mode, sticky: input.sticky ?? before.sticky, deferOutsideHours: input.deferOutsideHours ?? before.deferOutsideHours,
      reassignAfterMinutes: input.reassignAfterMinutes === undefined ? before.reassignAfterMinutes : input.reassignAfterMinutes,
      calendarId: input.calendarId === undefined ? before.calendarId : input.calendarId, updatedAt: new Date(),
    };
    await tx.insert(assignmentSettings).values({ tenantId: ctx.tenantId, departmentId, ...values })
      .onConflictDoUpdate({ target: [assignmentSettings.tenantId, assignmentSettings.departmentId], set: values });
    const after = await getSettings(c, departmentId);
    await recordAudit(c, { action: 'assignment.update', targetType: 'department', targetId: departmentId, before, after });
    return after;
  });
}

const presentCalendar = (c: BusinessCalendar): CalendarView => ({ id: c.id, name: c.name, timezone: c.timezone, slots: c.slots, holidays: c.holidays });

function checkCalendar(input: CalendarInput) {
  if (!isValidTimezone(input.timezone)) throw new AppError('validation', `Unknown time zone: ${input.timezone}`);
  for (const s of input.slots) if (s.open >= s.close) throw new AppError('validation', `Opening ${s.open} must be before closing ${s.close}`);
}

export async function listCalendars(ctx: Ctx) {
  const rows = await ctx.db.select().from(businessCalendars).where(inTenant(ctx, businessCalendars)).orderBy(businessCalendars.name);
  return { total: rows.length, items: rows.map(presentCalendar) };
}

export async function saveCalendar(ctx: Ctx, id: string | null, input: CalendarInput): Promise<CalendarView> {
  if (id) await findOwned(ctx, businessCalendars, id); // another company's calendar is a 404 before anything else
  checkCalendar(input);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const values = { name: input.name, timezone: input.timezone, slots: input.slots, holidays: input.holidays ?? [] };
    if (!id) {
      const [row] = await tx.insert(businessCalendars).values({ tenantId: ctx.tenantId, ...values }).returning();
      await recordAudit(c, { action: 'calendar.create', targetType: 'calendar', targetId: row.id, after: presentCalendar(row) });
      return presentCalendar(row);
    }
    const before = await findOwned(c, businessCalendars, id);
    const [row] = await tx.update(businessCalendars).set(values).where(inTenant(c, businessCalendars, eq(businessCalendars.id, id))).returning();
    await recordAudit(c, { action: 'calendar.update', targetType: 'calendar', targetId: id, before: presentCalendar(before), after: presentCalendar(row) });
    return presentCalendar(row);
  });
}

export async function getCapacity(ctx: Ctx, userId: string) {
  await findOwned(ctx, users, userId);
  const [load] = await ctx.db.select().from(agentLoad).where(inTenant(ctx, agentLoad, eq(agentLoad.userId, userId)));
  const [{ n }] = await ctx.db.select({ n: count() }).from(tickets).where(inTenant(ctx, tickets, eq(tickets.assigneeId, userId), inArray(tickets.status, ACTIVE)));
  return { userId, ticketCapacity: load?.ticketCapacity ?? 0, openTickets: n };
}

export async function setCapacity(ctx: Ctx, userId: string, ticketCapacity: number) {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await getCapacity(c, userId);
    await tx.insert(agentLoad).values({ tenantId: ctx.tenantId, userId, ticketCapacity })
      .onConflictDoUpdate({ target: [agentLoad.tenantId, agentLoad.userId], set: { ticketCapacity } });
    await recordAudit(c, { action: 'staff.capacity', targetType: 'user', targetId: userId, before: { ticketCapacity: before.ticketCapacity }, after: { ticketCapacity } });
  });
  return getCapacity(ctx, userId);
}

// ---- the engine ----

async function loadCandidates(ctx: Ctx, departmentId: string): Promise<Candidate[]> {
  const rows = await ctx.db.select({ id: users.id, presence: users.presence, skills: users.skills, capacity: agentLoad.ticketCapacity, last: agentLoad.lastAssignedAt })
    .from(departmentMembers).innerJoin(users, eq(users.id, departmentMembers.userId))
    .leftJoin(agentLoad, and(eq(agentLoad.userId, users.id), eq(agentLoad.tenantId, users.tenantId)))
    .where(inTenant(ctx, departmentMembers, eq(departmentMembers.departmentId, departmentId), eq(users.status, 'active')));
  if (!rows.length) return [];
  const loads = await ctx.db.select({ id: tickets.assigneeId, n: count() }).from(tickets)
    .where(inTenant(ctx, tickets, inArray(tickets.assigneeId, rows.map((r) => r.id)), inArray(tickets.status, ACTIVE))).groupBy(tickets.assigneeId);
  const open = new Map(loads.map((l) => [l.id, l.n]));
  return rows.map((r) => ({
    userId: r.id, presence: r.presence as Candidate['presence'], skills: r.skills, capacity: r.capacity ?? 0,
    openTickets: open.get(r.id) ?? 0, lastAssignedAt: r.last ?? null,
  }));
}

/**
 * Routes one unassigned ticket by its department's settings: assigns it, holds it until the
 * department opens (a timer re-runs this then), or leaves it in the unassigned queue.
 */
export async function autoAssign(ctx: Ctx, ticketId: string, now: Date, exclude: string[] = []): Promise<string> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [ticket] = await tx.select().from(tickets).where(inTenant(c, tickets, eq(tickets.id, ticketId))).for('update');
    if (!ticket || !ticket.departmentId || !ACTIVE.includes(ticket.status)) return 'skipped';
    if (ticket.assigneeId && !exclude.includes(ticket.assigneeId)) return 'already_assigned';
    const settings = await getSettings(c, ticket.departmentId);
    if (settings.mode === 'manual') return 'manual';
    const [calendar] = settings.calendarId ? await tx.select().from(businessCalendars).where(eq(businessCalendars.id, settings.calendarId)) : [];
    const departmentOpen = calendar ? isOpen(calendar, now) : true;
    const [previous] = settings.sticky && ticket.customerId
      ? await tx.select({ id: tickets.assigneeId }).from(tickets).where(inTenant(c, tickets, eq(tickets.customerId, ticket.customerId), ne(tickets.id, ticket.id), isNotNull(tickets.assigneeId))).orderBy(desc(tickets.createdAt)).limit(1)
      : [];
    const decision = decideAssignee({
      mode: settings.mode, sticky: settings.sticky, previousAgentId: previous?.id ?? null, deferOutsideHours: settings.deferOutsideHours,
      departmentOpen, ticketTags: ticket.tags, candidates: await loadCandidates(c, ticket.departmentId), exclude,
    });
    if (decision.kind === 'defer') {
      const at = nextOpening(calendar!, now);
      if (at) await schedule(tx, { queue: 'assignment:retry', tenantId: ctx.tenantId, key: `assign-retry:${ticket.id}`, payload: { ticketId: ticket.id }, runAt: at });
      await writeHistory(c, ticket.id, 'held', {}, at ? `business hours: until ${at.toISOString()}` : 'business hours: the calendar never opens');
      return 'deferred';
    }
    if (decision.kind === 'none') {
      if (exclude.length && ticket.assigneeId) await assignTicket(c, ticket, null, `not handled within ${settings.reassignAfterMinutes} min; ${decision.reason}`);
      return decision.reason;
    }
    const reason = exclude.length ? `reassigned: not handled within ${settings.reassignAfterMinutes} min (${decision.rule})` : `auto: ${decision.rule}`;
    await assignTicket(c, ticket, decision.userId, reason);
    return decision.rule;
  });
}

/** After any assignment: remember it for round-robin, and start the "untouched" timer when configured. */
export async function onAssigned(ctx: Ctx, ticketId: string, to: string | null, assignedAt: Date, now: Date): Promise<void> {
  if (!to) return;
  await ctx.db.insert(agentLoad).values({ tenantId: ctx.tenantId, userId: to, lastAssignedAt: assignedAt })
    .onConflictDoUpdate({ target: [agentLoad.tenantId, agentLoad.userId], set: { lastAssignedAt: sql`greatest(${agentLoad.lastAssignedAt}, ${assignedAt.toISOString()}::timestamptz)` } });
  const [ticket] = await ctx.db.select({ departmentId: tickets.departmentId }).from(tickets).where(inTenant(ctx, tickets, eq(tickets.id, ticketId)));
  if (!ticket?.departmentId) return;
  const settings = await getSettings(ctx, ticket.departmentId);
  if (!settings.reassignAfterMinutes || settings.mode === 'manual') return;
  await schedule(ctx.db, {
    queue: 'assignment:timeout', tenantId: ctx.tenantId, key: `assign-timeout:${ticketId}`,
    // assignedAt (database time) tells which actions came after the assignment; the timer itself runs on the clock.
    payload: { ticketId, assigneeId: to, assignedAt: assignedAt.toISOString(), startedAt: now.toISOString() },
    runAt: new Date(now.getTime() + settings.reassignAfterMinutes * 60_000),
  });
}

/** The "untouched" timer fired: reassign when the assignee has still done nothing on the ticket. */
export async function onAssignTimeout(ctx: Ctx, p: { ticketId: string; assigneeId: string; assignedAt: string; startedAt: string }, now: Date): Promise<string> {
  const [ticket] = await ctx.db.select().from(tickets).where(inTenant(ctx, tickets, eq(tickets.id, p.ticketId)));
  if (!ticket || ticket.assigneeId !== p.assigneeId || !ticket.departmentId) return 'moved_on';
  const assignedAt = new Date(p.assignedAt);
  const settings = await getSettings(ctx, ticket.departmentId);
  const [msg] = await ctx.db.select({ at: messages.createdAt }).from(messages)
    .where(inTenant(ctx, messages, eq(messages.ticketId, ticket.id), eq(messages.authorId, p.assigneeId), gt(messages.createdAt, assignedAt))).limit(1);
  const [act] = await ctx.db.select({ at: ticketHistory.createdAt }).from(ticketHistory)
    .where(inTenant(ctx, ticketHistory, eq(ticketHistory.ticketId, ticket.id), eq(ticketHistory.actorId, p.assigneeId), gt(ticketHistory.createdAt, assignedAt))).limit(1);
  const startedAt = new Date(p.startedAt);
  const acted = !!(msg ?? act);
  if (!shouldReassign({ assignedAt: startedAt, lastActionByAssigneeAt: acted ? startedAt : null, timeoutMinutes: settings.reassignAfterMinutes, now, status: ticket.status })) return 'handled';
  return autoAssign(ctx, ticket.id, now, [p.assigneeId]);
}
