import { inArray } from 'drizzle-orm';
import type { StoredEvent, ActorRef, DomainEvent } from './catalog.ts';
import { events } from './events.schema.ts';
import type { ClaimedJob, JobHandler } from './jobs.ts';
import { loadEvent, setEventRouting } from './outbox.ts';
import type { Runtime, Subscriber } from './subscriber.ts';

export interface EventDelivery {
  /** Queue event:<name> delivers one stored event to one subscriber. */
  handlers: Record<string, JobHandler>;
  /** Give to the worker: loads a batch's events in one query and resets coalescing. */
  beforeBatch(jobs: ClaimedJob[]): Promise<void>;
}

/** Turns the subscriber list into job handlers. */
export function eventDelivery(subscribers: readonly Subscriber[], rt: Runtime): EventDelivery {
  setEventRouting(subscribers);
  // Per batch (a worker runs one batch at a time): the batch's events, and the coalescing keys already handled.
  let loaded = new Map<number, StoredEvent>();
  let handled = new Set<string>();
  const handlers: Record<string, JobHandler> = {};
  for (const sub of subscribers) {
    handlers[`event:${sub.name}`] = async (job) => {
      const id = Number(job.payload.eventId);
      const stored = loaded.get(id) ?? await loadEvent(rt.database.db, id);
      if (!stored) return;
      // Every event in a batch committed before it was claimed, so a subscriber that recomputes from
      // current state has seen all of them after its first run for the same key.
      const key = sub.coalesce?.(stored.event);
      if (key) {
        if (handled.has(`${sub.name}:${key}`)) return;
        await sub.handle(stored, rt);
        handled.add(`${sub.name}:${key}`);
        return;
      }
      await sub.handle(stored, rt);
    };
  }
  return {
    handlers,
    async beforeBatch(jobs) {
      handled = new Set();
      const ids = jobs.filter((j) => j.queue.startsWith('event:')).map((j) => Number(j.payload.eventId));
      loaded = new Map();
      if (!ids.length) return;
      const rows = await rt.database.db.select().from(events).where(inArray(events.id, [...new Set(ids)]));
      for (const row of rows) {
        loaded.set(row.id, { id: row.id, tenantId: row.tenantId, occurredAt: row.occurredAt, actor: row.actor as ActorRef | null, causationId: row.causationId, event: row.payload as DomainEvent });
      }
    },
  };
}
