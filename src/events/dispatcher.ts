import type { JobHandler } from './jobs.ts';
import { loadEvent, setEventRouting } from './outbox.ts';
import type { Runtime, Subscriber } from './subscriber.ts';

/** Turns the subscriber list into job handlers: queue event:<name> delivers one stored event to one subscriber. */
export function eventHandlers(subscribers: readonly Subscriber[], rt: Runtime): Record<string, JobHandler> {
  setEventRouting(subscribers);
  const handlers: Record<string, JobHandler> = {};
  for (const sub of subscribers) {
    handlers[`event:${sub.name}`] = async (job) => {
      const stored = await loadEvent(rt.database.db, Number(job.payload.eventId));
      if (stored) await sub.handle(stored, rt);
    };
  }
  return handlers;
}
