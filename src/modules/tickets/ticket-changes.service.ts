import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { TicketPatch } from '../../contracts/tickets.ts';
import type { EscalationNotifyTarget } from '../../events/catalog.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { changedFields } from '../changes.ts';
import { departments, teams } from '../staff/staff.schema.ts';
import { findOwned } from '../tenant-scope.ts';
import { assertAssignable, writeHistory } from './tickets.service.ts';
import { applyCustomFields } from './custom-fields.ts';
import { validateCustomFields } from './ticket-fields.service.ts';
import { tickets, ticketTypes, type Ticket } from './tickets.schema.ts';

/** Reads the ticket again under a row lock, so two agents' changes never overwrite each other silently. */
async function lock(ctx: Ctx, id: string): Promise<Ticket> {
  const [t] = await ctx.db.select().from(tickets).where(eq(tickets.id, id)).for('update');
  return t;
}

export async function updateTicket(ctx: Ctx, ticket: Ticket, patch: TicketPatch): Promise<Ticket> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lock(c, ticket.id);
    if (patch.typeId) await findOwned(c, ticketTypes, patch.typeId);
    if (patch.teamId) await findOwned(c, teams, patch.teamId);
    const { customFields: values, ...fields } = patch;
    const set: Partial<Ticket> = { ...fields } as Partial<Ticket>;
    const now = new Date();
    if (patch.status && patch.status !== before.status) {
      if (before.status === 'closed') throw new AppError('validation', 'A closed ticket cannot be reopened; open a new ticket instead');
      if (patch.status === 'resolved') set.resolvedAt = now;
      if (patch.status === 'closed') { set.closedAt = now; set.resolvedAt = before.resolvedAt ?? now; }
      if (patch.status !== 'resolved' && patch.status !== 'closed') set.resolvedAt = null;
    }
    // Custom fields change key by key (null clears one); history shows each as cf.<key>: [before, after].
    const custom = values ? applyCustomFields(before.customFields, await validateCustomFields(c, values, { requireAll: false })) : null;
    const changes = { ...changedFields(before, set), ...custom?.changes };
    if (custom && Object.keys(custom.changes).length) set.customFields = custom.next;
    if (!Object.keys(changes).length) return before;
    const [after] = await tx.update(tickets).set({ ...set, updatedAt: now }).where(eq(tickets.id, ticket.id)).returning();
    const visible = Object.fromEntries(Object.entries(changes).filter(([k]) => k !== 'resolvedAt' && k !== 'closedAt'));
    await writeHistory(c, ticket.id, 'updated', visible);
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.updated', ticketId: ticket.id, changes: visible });
    return after;
  });
}

/** Assigns (or unassigns, with null) by hand; the reason is kept in the history. */
export async function assignTicket(ctx: Ctx, ticket: Ticket, assigneeId: string | null, reason?: string): Promise<Ticket> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lock(c, ticket.id);
    if (assigneeId) await assertAssignable(c, assigneeId);
    if (before.assigneeId === assigneeId) return before;
    const status = assigneeId && before.status === 'new' ? 'open' : before.status;
    const [after] = await tx.update(tickets).set({ assigneeId, status, updatedAt: new Date() }).where(eq(tickets.id, ticket.id)).returning();
    await writeHistory(c, ticket.id, 'assigned', { assigneeId: [before.assigneeId, assigneeId], ...(status !== before.status ? { status: [before.status, status] } : {}) }, reason);
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.assigned', ticketId: ticket.id, from: before.assigneeId, to: assigneeId });
    return after;
  });
}

/**
 * Forwards a ticket to another department, any number of times. It leaves its assignee (the new
 * department routes it again) and keeps the reason in the history.
 */
export async function forwardTicket(ctx: Ctx, ticket: Ticket, departmentId: string, reason: string): Promise<Ticket> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lock(c, ticket.id);
    await findOwned(c, departments, departmentId);
    if (before.departmentId === departmentId) throw new AppError('validation', 'The ticket is already in this department');
    if (before.status === 'closed') throw new AppError('validation', 'A closed ticket cannot be forwarded');
    const [after] = await tx.update(tickets).set({ departmentId, assigneeId: null, teamId: null, updatedAt: new Date() }).where(eq(tickets.id, ticket.id)).returning();
    await writeHistory(c, ticket.id, 'forwarded', { departmentId: [before.departmentId, departmentId], assigneeId: [before.assigneeId, null] }, reason);
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.forwarded', ticketId: ticket.id, from: before.departmentId, to: departmentId, reason });
    if (before.assigneeId) await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.assigned', ticketId: ticket.id, from: before.assigneeId, to: null });
    return after;
  });
}

export interface EscalationInput {
  source: 'agent' | 'customer' | 'sla';
  reason: string;
  raiseSeverity?: boolean;
  priority?: 'high' | 'urgent';
  /** Who hears of it besides the assignee; omitted → the team lead (administrators when there is none). */
  notify?: EscalationNotifyTarget[];
}

/** Raises a ticket one escalation level, by hand or by an SLA policy; severity and priority may rise with it. */
export async function escalateTicket(ctx: Ctx, ticketId: string, input: EscalationInput): Promise<Ticket> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lock(c, ticketId);
    if (before.status === 'closed') throw new AppError('validation', 'A closed ticket cannot be escalated');
    const level = before.escalationLevel + 1;
    const severity = input.raiseSeverity ? Math.min(4, before.severity + 1) : before.severity;
    const rank = ['low', 'normal', 'high', 'urgent'];
    const priority = input.priority && rank.indexOf(input.priority) > rank.indexOf(before.priority) ? input.priority : before.priority;
    const [after] = await tx.update(tickets).set({ escalationLevel: level, severity, priority, updatedAt: new Date() }).where(eq(tickets.id, ticketId)).returning();
    await writeHistory(c, ticketId, 'escalated', changedFields(before, { escalationLevel: level, severity, priority }), `${input.source}: ${input.reason}`);
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.escalated', ticketId, level, source: input.source, reason: input.reason, notify: input.notify ?? ['team_lead'] });
    return after;
  });
}
