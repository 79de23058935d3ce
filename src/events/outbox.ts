import { eq } from 'drizzle-orm';
import { afterCommit } from '../db/after-commit.ts';
import type { Conn, Db } from '../db/client.ts';
import { events, jobs } from './events.schema.ts';
import { wake } from './jobs.ts';
import type { ActorRef, DomainEvent, EventType, StoredEvent } from './catalog.ts';

type Route = { name: string; wants?: (event: DomainEvent) => boolean };
/** Which subscribers want which event types; filled once from subscribers.ts at start-up. */
const routing = new Map<EventType, Route[]>();

/** Event types some "now" subscriber handles, and per database handle who runs them after commit. */
const nowTypes = new Set<EventType>();
const nowRunners = new WeakMap<Db, (stored: StoredEvent) => void>();

export function setEventRouting(table: ReadonlyArray<{ name: string; handles: readonly EventType[]; wants?: (event: DomainEvent) => boolean; now?: boolean }>): void {
  routing.clear();
  nowTypes.clear();
  for (const sub of table) {
    for (const type of sub.handles) {
      if (sub.now) nowTypes.add(type);
      else routing.set(type, [...(routing.get(type) ?? []), { name: sub.name, wants: sub.wants?.bind(sub) }]);
    }
  }
}

/** Who runs the "now" subscribers for events emitted on this database (one Kefu node per handle). */
export function setNowRunner(db: Db, run: (stored: StoredEvent) => void): void {
  nowRunners.set(db, run);
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
  }).returning({ id: events.id, occurredAt: events.occurredAt });
  const subscribers = (routing.get(event.type) ?? []).filter((r) => !r.wants || r.wants(event)).map((r) => r.name);
  if (subscribers.length) {
    // One multi-row insert and one wake-up per event, however many subscribers it has.
    await tx.insert(jobs).values(subscribers.map((name) => ({ queue: `event:${name}`, tenantId: meta.tenantId, payload: { eventId: row.id } })));
    await wake(tx);
  }
  if (nowTypes.has(event.type)) {
    const stored: StoredEvent = { id: row.id, tenantId: meta.tenantId, occurredAt: row.occurredAt, actor: meta.actor ?? null, causationId: meta.causationId ?? null, event };
    afterCommit(tx, (db) => nowRunners.get(db)?.(stored));
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
