import type { Server } from 'socket.io';
import { eq, inArray } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { users } from '../../modules/staff/staff.schema.ts';
import type { AcdOutcome } from './chat-routing.service.ts';
import { runAcd } from './chat-routing.service.ts';
import type { ChatLine } from './chat.service.ts';

/**
 * Live pushes of the chat, to both sides: agents in the console's namespace (room agent:<id>) and
 * visitors in /visitor (room chat:<conversationId>). Emits go through the Socket.IO adapter, so on
 * PostgreSQL they reach sockets on every node.
 */
export interface ChatHub {
  toVisitor(conversationId: string, event: string, payload: unknown): void;
  toAgent(agentId: string, event: string, payload: unknown): void;
  /** Runs the ACD for the company and tells everyone concerned what changed. */
  route(tenantId: string): Promise<AcdOutcome>;
  publishLine(line: ChatLine, agentId: string | null): void;
  /**
   * A chat line stored without a domain event (chat-line.ts): consoles showing the ticket hear
   * message.added once within a second per ticket, after the lines it covers are stored.
   */
  ticketActivity(tenantId: string, ticketId: string): void;
}

/** Lines of a busy chat within this window share one message.added push to the consoles. */
const ACTIVITY_WINDOW_MS = 1000;

const hubs = new WeakMap<object, ChatHub>();

/** The hub of the node that owns this database handle (routes and subscribers find it from their ctx). */
export function chatHubFor(db: object): ChatHub | undefined {
  return hubs.get(db);
}

export function createChatHub(io: Server, db: Conn): ChatHub {
  const visitors = io.of('/visitor');
  const activity = new Map<string, NodeJS.Timeout>();
  const hub: ChatHub = {
    toVisitor: (id, event, payload) => { visitors.to(`chat:${id}`).emit(event, payload); },
    toAgent: (id, event, payload) => { io.to(`agent:${id}`).emit(event, payload); },
    publishLine(line, agentId) {
      hub.toVisitor(line.conversationId, 'message', line);
      if (agentId) hub.toAgent(agentId, 'chat.message', line);
    },
    ticketActivity(tenantId, ticketId) {
      if (activity.has(ticketId)) return;
      activity.set(ticketId, setTimeout(() => {
        activity.delete(ticketId);
        // the realtime subscriber's shape for message.added (ids only: consoles refetch what they may see)
        io.to(`tenant:${tenantId}`).emit('message.added', { type: 'message.added', ticketId, occurredAt: new Date().toISOString() });
      }, ACTIVITY_WINDOW_MS).unref());
    },
    async route(tenantId) {
      const outcome = await runAcd(db, tenantId);
      const ids = [...new Set(outcome.assignments.map((a) => a.agentId))];
      const names = ids.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
      for (const a of outcome.assignments) {
        hub.toAgent(a.agentId, 'chat.assigned', { conversationId: a.conversationId, ticketId: a.ticketId });
        hub.toVisitor(a.conversationId, 'status', { status: 'active', agentName: names.find((n) => n.id === a.agentId)?.name ?? null });
      }
      for (const [conversationId, position] of outcome.positions) hub.toVisitor(conversationId, 'status', { status: 'queued', position });
      return outcome;
    },
  };
  hubs.set(db, hub);
  return hub;
}

export async function agentName(db: Conn, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [u] = await db.select({ name: users.name }).from(users).where(eq(users.id, id));
  return u?.name ?? null;
}
