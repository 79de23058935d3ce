import type { Subscriber, Runtime } from '../../events/subscriber.ts';
import type { ClaimedJob } from '../../events/jobs.ts';
import { systemCtx, type Ctx } from '../context.ts';
import { autoAssign, onAssigned, onAssignTimeout } from './assignment.service.ts';

const AUTO = { kind: 'system', name: 'auto-assignment' } as const;
const ctxOf = (rt: Runtime, tenantId: string): Ctx => systemCtx(rt.database.db, tenantId, AUTO.name);

/** New and forwarded tickets get routed; every assignment feeds round-robin order and the untouched timer. */
export const assignmentSubscriber: Subscriber = {
  name: 'assignment',
  handles: ['ticket.created', 'ticket.forwarded', 'ticket.assigned'],
  async handle(stored, rt) {
    if (!stored.tenantId) return;
    const ctx = ctxOf(rt, stored.tenantId);
    const e = stored.event;
    if (e.type === 'ticket.created' || e.type === 'ticket.forwarded') await autoAssign(ctx, e.ticketId, rt.now());
    if (e.type === 'ticket.assigned') await onAssigned(ctx, e.ticketId, e.to, stored.occurredAt, rt.now());
  },
};

/** Timers of the assignment engine. */
export const assignmentJobs: Record<string, (job: ClaimedJob, rt: Runtime) => Promise<void>> = {
  'assignment:retry': async (job, rt) => { await autoAssign(ctxOf(rt, job.tenantId!), String(job.payload.ticketId), rt.now()); },
  'assignment:timeout': async (job, rt) => {
    await onAssignTimeout(ctxOf(rt, job.tenantId!), job.payload as { ticketId: string; assigneeId: string; assignedAt: string; startedAt: string }, rt.now());
  },
};
