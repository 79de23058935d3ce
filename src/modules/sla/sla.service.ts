import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { SlaPolicyInput, SlaPolicyView } from '../../contracts/sla.ts';
import { cancel, schedule } from '../../events/jobs.ts';
import { emit } from '../../events/outbox.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { businessCalendars } from '../assignment/assignment.schema.ts';
import { autoAssign } from '../assignment/assignment.service.ts';
import type { Ctx } from '../context.ts';
import { departments } from '../staff/staff.schema.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { escalateTicket, forwardTicket } from '../tickets/ticket-changes.service.ts';
import { tickets, ticketTypes } from '../tickets/tickets.schema.ts';
import { computeDeadlines, earliest, matchPolicy, type Metric } from './compute-deadlines.ts';
import { slaPolicies, ticketSla, type SlaPolicy } from './sla.schema.ts';

const METRICS: Metric[] = ['first_response', 'next_response', 'resolution'];

// ---- policies (admin) ----

const present = (p: SlaPolicy): SlaPolicyView => ({
  id: p.id, name: p.name, position: p.position, active: p.active, conditions: p.conditions, targets: p.targets,
  calendarId: p.calendarId, warnBeforeMinutes: p.warnBeforeMinutes, escalation: p.escalation,
});

export async function listPolicies(ctx: Ctx) {
  const rows = await ctx.db.select().from(slaPolicies).where(inTenant(ctx, slaPolicies)).orderBy(slaPolicies.position, slaPolicies.createdAt);
  return { total: rows.length, items: rows.map(present) };
}

async function checkRefs(ctx: Ctx, input: SlaPolicyInput) {
  if (input.calendarId) await findOwned(ctx, businessCalendars, input.calendarId);
  for (const id of input.conditions?.typeIds ?? []) await findOwned(ctx, ticketTypes, id);
  for (const level of input.escalation ?? []) for (const a of level.actions) if (a.type === 'reassign' && a.departmentId) await findOwned(ctx, departments, a.departmentId);
  const t = input.targets;
  if (t.firstResponseMinutes == null && t.nextResponseMinutes == null && t.resolutionMinutes == null) throw new AppError('validation', 'Set at least one target');
}

export async function savePolicy(ctx: Ctx, id: string | null, input: SlaPolicyInput): Promise<SlaPolicyView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await checkRefs(c, input);
    const values = {
      name: input.name, position: input.position ?? 0, active: input.active ?? true, conditions: input.conditions ?? {}, targets: input.targets,
      calendarId: input.calendarId ?? null, warnBeforeMinutes: input.warnBeforeMinutes ?? 0, escalation: input.escalation ?? [],
    };
    if (!id) {
      const [row] = await tx.insert(slaPolicies).values({ tenantId: ctx.tenantId, ...values }).returning();
      await recordAudit(c, { action: 'sla.create', targetType: 'sla_policy', targetId: row.id, after: present(row) });
      return present(row);
    }
    const before = await findOwned(c, slaPolicies, id);
    const [row] = await tx.update(slaPolicies).set(values).where(inTenant(c, slaPolicies, eq(slaPolicies.id, id))).returning();
    await recordAudit(c, { action: 'sla.update', targetType: 'sla_policy', targetId: id, before: present(before), after: present(row) });
    return present(row);
  });
}

export async function deletePolicy(ctx: Ctx, id: string) {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, slaPolicies, id);
    await tx.delete(slaPolicies).where(inTenant(c, slaPolicies, eq(slaPolicies.id, id)));
    await recordAudit(c, { action: 'sla.delete', targetType: 'sla_policy', targetId: id, before: present(before) });
  });
}

export async function ticketSlaView(ctx: Ctx, ticketId: string) {
  const [row] = await ctx.db.select({ s: ticketSla, name: slaPolicies.name }).from(ticketSla).leftJoin(slaPolicies, eq(slaPolicies.id, ticketSla.policyId))
    .where(inTenant(ctx, ticketSla, eq(ticketSla.ticketId, ticketId)));
  const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;
  return {
    policyId: row?.s.policyId ?? null, policyName: row?.name ?? null,
    firstResponseDue: iso(row?.s.firstResponseDue), nextResponseDue: iso(row?.s.nextResponseDue), resolutionDue: iso(row?.s.resolutionDue),
    breaches: row?.s.breaches ?? [], escalatedLevel: row?.s.escalatedLevel ?? 0,
  };
}

// ---- the clocks ----

const timerKey = (ticketId: string, what: string) => `sla:${ticketId}:${what}`;

/**
 * Recomputes a ticket's deadlines after anything that can move them (new ticket, message, status or
 * priority change) and (re)schedules its due and warning timers. Same key = the timer moves.
 */
export async function refreshSla(ctx: Ctx, ticketId: string): Promise<void> {
  const [ticket] = await ctx.db.select().from(tickets).where(inTenant(ctx, tickets, eq(tickets.id, ticketId)));
  if (!ticket) return;
  const policies = await ctx.db.select().from(slaPolicies).where(inTenant(ctx, slaPolicies, eq(slaPolicies.active, true)));
  const policy = matchPolicy(policies, ticket);
  const [calendar] = policy?.calendarId ? await ctx.db.select().from(businessCalendars).where(eq(businessCalendars.id, policy.calendarId)) : [];
  const due = policy ? computeDeadlines(policy.targets, calendar ?? null, ticket) : { first_response: null, next_response: null, resolution: null };
  const values = { policyId: policy?.id ?? null, firstResponseDue: due.first_response, nextResponseDue: due.next_response, resolutionDue: due.resolution, nextDue: earliest(due) };
  const [current] = await ctx.db.insert(ticketSla).values({ ticketId, tenantId: ctx.tenantId, ...values })
    .onConflictDoUpdate({ target: ticketSla.ticketId, set: values }).returning({ breaches: ticketSla.breaches });
  const stop: string[] = [];
  for (const metric of METRICS) {
    const at = current.breaches.includes(metric) ? null : due[metric]; // a breached target has nothing left to time
    if (!at) {
      stop.push(timerKey(ticketId, metric), timerKey(ticketId, `${metric}:warn`));
      continue;
    }
    await schedule(ctx.db, { queue: 'sla:due', tenantId: ctx.tenantId, key: timerKey(ticketId, metric), payload: { ticketId, metric, dueAt: at.toISOString() }, runAt: at });
    if (policy!.warnBeforeMinutes > 0) {
      await schedule(ctx.db, { queue: 'sla:warn', tenantId: ctx.tenantId, key: timerKey(ticketId, `${metric}:warn`), payload: { ticketId, metric, dueAt: at.toISOString() }, runAt: new Date(at.getTime() - policy!.warnBeforeMinutes * 60_000) });
    }
  }
  await cancel(ctx.db, ...stop);
}

/** Is this target still open and due by `now`? Recomputed at fire time, so a met target never breaches. */
async function stillDue(ctx: Ctx, ticketId: string, metric: Metric, now: Date) {
  await refreshSla(ctx, ticketId);
  const [row] = await ctx.db.select().from(ticketSla).where(inTenant(ctx, ticketSla, eq(ticketSla.ticketId, ticketId)));
  const due = row && { first_response: row.firstResponseDue, next_response: row.nextResponseDue, resolution: row.resolutionDue }[metric];
  return row && due && due.getTime() <= now.getTime() + 1000 ? { row, due } : null;
}

export async function onWarn(ctx: Ctx, p: { ticketId: string; metric: Metric }, now: Date) {
  const [row] = await ctx.db.select().from(ticketSla).where(inTenant(ctx, ticketSla, eq(ticketSla.ticketId, p.ticketId)));
  const due = row && { first_response: row.firstResponseDue, next_response: row.nextResponseDue, resolution: row.resolutionDue }[p.metric];
  if (!due || due.getTime() <= now.getTime()) return;
  await emit(ctx.db, { tenantId: ctx.tenantId, actor: { kind: 'system', name: 'sla' } }, { type: 'sla.warning', ticketId: p.ticketId, metric: p.metric, dueAt: due.toISOString() });
}

/** A due timer fired: record the breach, emit it and start escalation level 1. */
export async function onDue(ctx: Ctx, p: { ticketId: string; metric: Metric }, now: Date): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const hit = await stillDue(c, p.ticketId, p.metric, now);
    if (!hit || hit.row.breaches.includes(p.metric)) return false;
    await tx.update(ticketSla).set({ breaches: [...hit.row.breaches, p.metric], breachedAt: hit.row.breachedAt ?? now }).where(eq(ticketSla.ticketId, p.ticketId));
    await emit(tx, { tenantId: ctx.tenantId, actor: { kind: 'system', name: 'sla' } }, { type: 'sla.breached', ticketId: p.ticketId, metric: p.metric, dueAt: hit.due.toISOString() });
    const [policy] = hit.row.policyId ? await tx.select().from(slaPolicies).where(eq(slaPolicies.id, hit.row.policyId)) : [];
    const first = policy?.escalation[0];
    if (first && hit.row.escalatedLevel === 0) {
      await schedule(tx, { queue: 'sla:escalate', tenantId: ctx.tenantId, key: timerKey(p.ticketId, 'escalate'), payload: { ticketId: p.ticketId, level: 1, metric: p.metric }, runAt: new Date(now.getTime() + first.afterMinutes * 60_000) });
    }
    return true;
  });
}

/** Runs one escalation level's actions and schedules the next level. */
export async function onEscalate(ctx: Ctx, p: { ticketId: string; level: number; metric: string }, now: Date): Promise<void> {
  const [row] = await ctx.db.select().from(ticketSla).where(inTenant(ctx, ticketSla, eq(ticketSla.ticketId, p.ticketId)));
  const [ticket] = await ctx.db.select().from(tickets).where(inTenant(ctx, tickets, eq(tickets.id, p.ticketId)));
  if (!row || !ticket || ['resolved', 'closed'].includes(ticket.status) || row.escalatedLevel >= p.level) return;
  const [policy] = row.policyId ? await ctx.db.select().from(slaPolicies).where(eq(slaPolicies.id, row.policyId)) : [];
  const level = policy?.escalation[p.level - 1];
  if (!level) return;
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const raise = level.actions.some((a) => a.type === 'raise_severity');
    const priority = level.actions.find((a) => a.type === 'set_priority') as { priority: 'high' | 'urgent' } | undefined;
    const notify = level.actions.flatMap((a) => (a.type === 'notify' ? [a.to] : []));
    await escalateTicket(c, p.ticketId, { source: 'sla', reason: `SLA ${p.metric} breached: level ${p.level}`, raiseSeverity: raise, priority: priority?.priority, notify });
    await tx.update(ticketSla).set({ escalatedLevel: p.level }).where(eq(ticketSla.ticketId, p.ticketId));
    for (const action of level.actions) {
      if (action.type !== 'reassign') continue;
      const [fresh] = await tx.select().from(tickets).where(eq(tickets.id, p.ticketId));
      if (action.departmentId && action.departmentId !== fresh.departmentId) await forwardTicket(c, fresh, action.departmentId, `SLA escalation level ${p.level}`);
      else await autoAssign(c, p.ticketId, now, fresh.assigneeId ? [fresh.assigneeId] : []);
    }
    const next = policy.escalation[p.level];
    if (next) await schedule(tx, { queue: 'sla:escalate', tenantId: ctx.tenantId, key: timerKey(p.ticketId, 'escalate'), payload: { ticketId: p.ticketId, level: p.level + 1, metric: p.metric }, runAt: new Date(now.getTime() + next.afterMinutes * 60_000) });
  });
}
