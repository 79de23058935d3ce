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
  /** To the chat's visitor sockets, but `exceptSocket` (the one that sent the line: its ack carries it). */
  toVisitor(conversationId: string, event: string, payload: unknown, exceptSocket?: string): void;
  toAgent(agentId: string, event: string, payload: unknown): void;
  /** Runs the ACD for the company and tells everyone concerned what changed. */
  route(tenantId: string): Promise<AcdOutcome>;
  publishLine(line: ChatLine, agentId: string | null, exceptSocket?: string): void;
  /**
   * A chat line stored without a domain event (chat-line.ts): the company's consoles hear one
   * message.added per second at most, naming the tickets whose chats moved (ticketIds, or ticketId
   * when it is one), after the lines it covers are stored. One push per line would reach every
   * console of the company for every line of every chat.
   */
  ticketActivity(tenantId: string, ticketId: string): void;
}

/** Chat lines of a company within this window share one message.added push to its consoles. */
const ACTIVITY_WINDOW_MS = 1000;
/** Ticket ids one push names at most; beyond, it names none and every console refetches what it shows. */
const ACTIVITY_MAX_IDS = 500;

const hubs = new WeakMap<object, ChatHub>();

/** The hub of the node that owns this database handle (routes and subscribers find it from their ctx). */
export function chatHubFor(db: object): ChatHub | undefined {
  return hubs.get(db);
}

export function createChatHub(io: Server, db: Conn): ChatHub {
  const visitors = io.of('/visitor');
  const activity = new Map<string, Set<string>>();
  const hub: ChatHub = {
    toVisitor: (id, event, payload, exceptSocket) => {
      const room = visitors.to(`chat:${id}`);
      (exceptSocket ? room.except(exceptSocket) : room).emit(event, payload);
    },
    toAgent: (id, event, payload) => { io.to(`agent:${id}`).emit(event, payload); },
    publishLine(line, agentId, exceptSocket) {
      hub.toVisitor(line.conversationId, 'message', line, exceptSocket);
      if (agentId) hub.toAgent(agentId, 'chat.message', line);
    },
    ticketActivity(tenantId, ticketId) {
      const pending = activity.get(tenantId);
      if (pending) { pending.add(ticketId); return; }
      const ids = new Set([ticketId]);
      activity.set(tenantId, ids);
      setTimeout(() => {
        activity.delete(tenantId);
        // the realtime subscriber's shape for message.added (ids only: consoles refetch what they may see)
        const named = ids.size === 1 ? { ticketId } : ids.size <= ACTIVITY_MAX_IDS ? { ticketIds: [...ids] } : {};
        io.to(`tenant:${tenantId}`).emit('message.added', { type: 'message.added', ...named, occurredAt: new Date().toISOString() });
      }, ACTIVITY_WINDOW_MS).unref();
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
