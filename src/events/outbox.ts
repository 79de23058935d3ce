import { eq } from 'drizzle-orm';
import type { Conn } from '../db/client.ts';
import { events } from './events.schema.ts';
import { schedule } from './jobs.ts';
import type { ActorRef, DomainEvent, EventType, StoredEvent } from './catalog.ts';

/** Which subscribers want which event types; filled once from subscribers.ts at start-up. */
const routing = new Map<EventType, string[]>();

export function setEventRouting(table: ReadonlyArray<{ name: string; handles: readonly EventType[] }>): void {
  routing.clear();
  for (const sub of table) {
    for (const type of sub.handles) routing.set(type, [...(routing.get(type) ?? []), sub.name]);
  }
}

export interface EmitMeta { tenantId: string | null; actor?: ActorRef | null; causationId?: string | null }

/**
 * Writes the event and one delivery job per interested subscriber in the caller's transaction:
 * the change and its side effects commit or vanish together (a transactional outbox).
 */
export async function emit(tx: Conn, meta: EmitMeta, event: DomainEvent): Promise<number> {
  const [row] = await tx.insert(events).values({
    tenantId: meta.tenantId,
    type: event.type,
    payload: event,
    actor: meta.actor ?? null,
    causationId: meta.causationId ?? null,
  }).returning({ id: events.id });
  for (const subscriber of routing.get(event.type) ?? []) {
    await schedule(tx, { queue: `event:${subscriber}`, tenantId: meta.tenantId, payload: { eventId: row.id } });
  }
  return row.id;
}

export async function loadEvent(conn: Conn, id: number): Promise<StoredEvent | null> {
  const [row] = await conn.select().from(events).where(eq(events.id, id));
  if (!row) return null;
  return {
    id: row.id, tenantId: row.tenantId, occurredAt: row.occurredAt,
    actor: row.actor as ActorRef | null, causationId: row.causationId, event: row.payload as DomainEvent,
  };
}
