import type { Namespace, Server } from 'socket.io';

/**
 * The visitor side of the live features, over the Socket.IO adapter (every node): who is on a company's
 * site now (the room site:<tenantId> of the /visitor namespace holds each open widget), pushes to one
 * visitor's widgets (room visitor:<id>), and the agents' site-wide events (room tenant:<id>).
 */
export interface LiveHub {
  /** Widgets open now: one entry per socket, with what the socket knows of its visitor. */
  onSite(tenantId: string): Promise<Array<{ visitorId: string; styleId: string; pageUrl: string; pageTitle: string; connectedAt: number }>>;
  toVisitor(visitorId: string, event: string, payload: unknown): void;
  /** A visitor's widgets follow a conversation opened outside their socket (a file sent over HTTP). */
  joinChat(visitorId: string, conversationId: string): void;
  toAgents(tenantId: string, event: string, payload: unknown): void;
}

const hubs = new WeakMap<object, LiveHub>();

export function liveHubFor(db: object): LiveHub | undefined {
  return hubs.get(db);
}

/** What the gateway keeps on each visitor socket (socket.data). */
export interface SiteSocketData { tenantId: string; visitorId: string; styleId: string; pageUrl: string; pageTitle: string; connectedAt: number }

export function createLiveHub(io: Server, nsp: Namespace, db: object): LiveHub {
  const hub: LiveHub = {
    async onSite(tenantId) {
      const sockets = await nsp.in(`site:${tenantId}`).fetchSockets();
      return sockets.map((s) => {
        const d = s.data as SiteSocketData;
        return { visitorId: d.visitorId, styleId: d.styleId, pageUrl: d.pageUrl, pageTitle: d.pageTitle, connectedAt: d.connectedAt };
      });
    },
    toVisitor: (visitorId, event, payload) => { nsp.to(`visitor:${visitorId}`).emit(event, payload); },
    joinChat: (visitorId, conversationId) => { nsp.in(`visitor:${visitorId}`).socketsJoin(`chat:${conversationId}`); },
    toAgents: (tenantId, event, payload) => { io.to(`tenant:${tenantId}`).emit(event, payload); },
  };
  hubs.set(db, hub);
  return hub;
}
