import type { ClaimedJob, ScheduleInput } from '../../events/jobs.ts';
import { schedule } from '../../events/jobs.ts';
import type { Runtime, Subscriber } from '../../events/subscriber.ts';
import { systemCtx, type Ctx } from '../context.ts';
import { AUTOMATION_ACTOR, deliverWebhook, runRules, sweepTimeRules, tenantsWithTimeRules, type Trigger } from './automation.service.ts';

const ctxOf = (rt: Runtime, tenantId: string): Ctx => systemCtx(rt.database.db, tenantId, AUTOMATION_ACTOR.name);
export const SWEEP_MINUTES = 5;

/**
 * Event rules. Changes made by automation itself do not trigger automation again, so two rules can
 * never ping-pong a ticket between them.
 */
export const automationSubscriber: Subscriber = {
  name: 'automation',
  handles: ['ticket.created', 'message.added', 'ticket.updated'],
  async handle(stored, rt) {
    const e = stored.event;
    if (!stored.tenantId || !('ticketId' in e)) return;
    if (stored.actor?.kind === 'system' && stored.actor.name === AUTOMATION_ACTOR.name) return;
    let trigger: Trigger;
    if (e.type === 'ticket.created') trigger = 'ticket.created';
    else if (e.type === 'message.added' && e.authorType === 'customer') trigger = 'customer_message';
    else if (e.type === 'ticket.updated') trigger = 'ticket.updated';
    else return;
    await runRules(ctxOf(rt, stored.tenantId), trigger, e.ticketId, rt.now());
  },
};

export const automationJobs: Record<string, (job: ClaimedJob, rt: Runtime) => Promise<void>> = {
  'automation:sweep': async (_job, rt) => {
    for (const tenantId of await tenantsWithTimeRules(rt.database.db)) await sweepTimeRules(ctxOf(rt, tenantId), rt.now());
    await schedule(rt.database.db, sweepJob(new Date(Date.now() + SWEEP_MINUTES * 60_000)));
  },
  'webhook:deliver': async (job, rt) => { await deliverWebhook(rt.database.db, String(job.payload.deliveryId)); },
};

/** The recurring sweep of time rules; scheduled at start, then it reschedules itself. */
export const sweepJob = (runAt = new Date()): ScheduleInput => ({ queue: 'automation:sweep', key: 'automation:sweep', payload: {}, runAt });
