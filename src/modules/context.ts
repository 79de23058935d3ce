import type { Conn } from '../db/client.ts';
import type { Actor } from './auth/actor.ts';

/** What every service call receives: where (tenant), who (actor), and the connection to use. */
export interface Ctx {
  db: Conn;
  tenantId: string;
  actor: Actor;
  ip?: string | null;
  /** Base URL for links in emails. */
  publicUrl: string;
}

export function withConn(ctx: Ctx, db: Conn): Ctx {
  return { ...ctx, db };
}

/** The context a subscriber or timer acts in: a company, no request, a named system actor. */
export function systemCtx(db: Conn, tenantId: string, actorName: string): Ctx {
  return { db, tenantId, actor: { kind: 'system', name: actorName }, publicUrl: '' };
}
