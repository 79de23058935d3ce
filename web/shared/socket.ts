import { io, type Socket } from 'socket.io-client';

/**
 * The live channel to the server (Socket.IO at /socket.io on the same origin; the session cookie
 * authenticates it). Events carry ids only: screens refetch what they show.
 */
export const LIVE_EVENTS = [
  'staff.invited', 'staff.activated', 'staff.updated', 'staff.presence_changed',
  'role.changed', 'department.changed', 'team.changed',
  'ticket.created', 'ticket.updated', 'ticket.assigned', 'ticket.forwarded', 'ticket.escalated', 'ticket.merged', 'message.added', 'sla.breached',
  'notification.created',
  // an outgoing email's send state changed ({ ticketId, messageId, status })
  'message.delivery',
] as const;
/** Every ticket event (each carries { ticketId }): queues and ticket pages refetch on them. */
export const TICKET_EVENTS = [
  'ticket.created', 'ticket.updated', 'ticket.assigned', 'ticket.forwarded', 'ticket.escalated', 'ticket.merged', 'message.added', 'sla.breached',
] as const satisfies readonly LiveEvent[];
export type LiveEvent = (typeof LIVE_EVENTS)[number];
export type LivePayload = { type: LiveEvent; userId?: string; eventId?: number; [k: string]: unknown };

type Handler = (event: LiveEvent, payload: LivePayload) => void;

let socket: Socket | null = null;
const handlers = new Set<Handler>();

export function connectLive(): void {
  if (socket) return;
  socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
  for (const name of LIVE_EVENTS) {
    socket.on(name, (payload: LivePayload) => {
      for (const h of handlers) h(name, payload ?? { type: name });
    });
  }
  // Pushes sent while the socket was away are gone: after a reconnect every screen refetches as if each
  // kind of event had come (the hooks fold the burst into one reload each).
  socket.io.on('reconnect', () => {
    for (const name of LIVE_EVENTS) for (const h of handlers) h(name, { type: name, reconnected: true });
  });
}

export function disconnectLive(): void {
  socket?.disconnect();
  socket = null;
}

/** Listens to live events until the returned function is called. */
export function subscribeLive(handler: Handler): () => void {
  handlers.add(handler);
  return () => { handlers.delete(handler); };
}
