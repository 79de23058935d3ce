import type { ClaimedJob } from '../../events/jobs.ts';
import type { Runtime, Subscriber } from '../../events/subscriber.ts';
import { systemCtx, type Ctx } from '../context.ts';
import type { Metric } from './compute-deadlines.ts';
import { onDue, onEscalate, onWarn, refreshSla } from './sla.service.ts';

const ctxOf = (rt: Runtime, tenantId: string): Ctx => systemCtx(rt.database.db, tenantId, 'sla');

/** Anything that can move a deadline recomputes the ticket's SLA clocks. */
export const slaSubscriber: Subscriber = {
  name: 'sla',
  // A merged ticket is closed: recomputing stops its clocks.
  handles: ['ticket.created', 'message.added', 'ticket.updated', 'ticket.merged'],
  coalesce: (e) => ('ticketId' in e ? e.ticketId : null),
  async handle(stored, rt) {
    if (!stored.tenantId || !('ticketId' in stored.event)) return;
    await refreshSla(ctxOf(rt, stored.tenantId), stored.event.ticketId);
  },
};

export const slaJobs: Record<string, (job: ClaimedJob, rt: Runtime) => Promise<void>> = {
  'sla:due': async (job, rt) => { await onDue(ctxOf(rt, job.tenantId!), job.payload as { ticketId: string; metric: Metric }, rt.now()); },
  'sla:warn': async (job, rt) => { await onWarn(ctxOf(rt, job.tenantId!), job.payload as { ticketId: string; metric: Metric }, rt.now()); },
  'sla:escalate': async (job, rt) => { await onEscalate(ctxOf(rt, job.tenantId!), job.payload as { ticketId: string; level: number; metric: string }, rt.now()); },
};
