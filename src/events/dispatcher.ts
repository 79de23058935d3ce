import { inArray } from 'drizzle-orm';
import type { StoredEvent, ActorRef, DomainEvent } from './catalog.ts';
import { events } from './events.schema.ts';
import type { ClaimedJob, JobHandler } from './jobs.ts';
import { loadEvent, setEventRouting, setNowRunner } from './outbox.ts';
import type { Runtime, Subscriber } from './subscriber.ts';

export interface EventDelivery {
  /** Queue event:<name> delivers one stored event to one subscriber ("now" subscribers too: jobs queued before they were "now"). */
  handlers: Record<string, JobHandler>;
  /** Give to the worker: loads a claim's events in one query. */
  beforeBatch(jobs: ClaimedJob[]): Promise<void>;
  /** Give to the worker: deliveries about one ticket run in the order they were emitted, other tickets beside them. */
  orderKey(job: ClaimedJob): string | null;
}

/** Turns the subscriber list into job handlers. */
export function eventDelivery(subscribers: readonly Subscriber[], rt: Runtime): EventDelivery {
  setEventRouting(subscribers);
  const now = subscribers.filter((s) => s.now);
  setNowRunner(rt.database.db, (stored) => {
    for (const sub of now) {
      if (!sub.handles.includes(stored.event.type) || (sub.wants && !sub.wants(stored.event))) continue;
      void sub.handle(stored, rt).catch(() => {}); // a push that fails is not retried: the console refetches
    }
  });
  // The worker hands the same job objects to beforeBatch and then to the handlers.
  const eventOf = new WeakMap<ClaimedJob, StoredEvent>();
  const claimOf = new WeakMap<ClaimedJob, number>();
  let claims = 0;
  /** Coalescing: subscriber:key → the claim count when its latest successful run started. */
  const covered = new Map<string, number>();
  const handlers: Record<string, JobHandler> = {};
  for (const sub of subscribers) {
    handlers[`event:${sub.name}`] = async (job) => {
      const stored = eventOf.get(job) ?? await loadEvent(rt.database.db, Number(job.payload.eventId));
      if (!stored) return;
      const key = sub.coalesce?.(stored.event);
      if (!key) return sub.handle(stored, rt);
      // A run that started after this job was claimed read state every claimed event had already
      // changed, so a subscriber that recomputes from current state has nothing left to do for it.
      const k = `${sub.name}:${key}`;
      if ((covered.get(k) ?? -1) >= (claimOf.get(job) ?? Infinity)) return;
      const startedAt = claims;
      await sub.handle(stored, rt);
      if (covered.size > 50_000) covered.clear(); // forgetting only costs a recomputation
      covered.set(k, Math.max(covered.get(k) ?? -1, startedAt));
    };
  }
  return {
    handlers,
    async beforeBatch(jobs) {
      claims++;
      for (const job of jobs) claimOf.set(job, claims);
      const deliveries = jobs.filter((j) => j.queue.startsWith('event:'));
      if (!deliveries.length) return;
      const rows = await rt.database.db.select().from(events).where(inArray(events.id, [...new Set(deliveries.map((j) => Number(j.payload.eventId)))]));
      const byId = new Map(rows.map((row) => [row.id, { id: row.id, tenantId: row.tenantId, occurredAt: row.occurredAt, actor: row.actor as ActorRef | null, causationId: row.causationId, event: row.payload as DomainEvent } satisfies StoredEvent]));
      for (const job of deliveries) {
        const stored = byId.get(Number(job.payload.eventId));
        if (stored) eventOf.set(job, stored);
      }
    },
    orderKey(job) {
      if (!job.queue.startsWith('event:')) return null;
      const event = eventOf.get(job)?.event;
      if (event && 'ticketId' in event && event.ticketId) return `ticket:${event.ticketId}`;
      return `${job.queue}:${job.tenantId ?? ''}`;
    },
  };
}
