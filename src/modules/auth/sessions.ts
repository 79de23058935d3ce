import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { ALL_PERMISSIONS, type Permission } from '../../contracts/permissions.ts';
import type { Conn } from '../../db/client.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { roles, users, type Role, type User } from '../staff/staff.schema.ts';
import type { Actor } from './actor.ts';
import { apiTokens, sessions } from './auth.schema.ts';
import { hashToken, newToken } from './password.ts';

export interface SessionAuth { actor: Actor & { kind: 'staff' }; user: User; role: Role; csrfToken: string | null; sessionId: string | null; expiresAt: Date | null }

export async function createSession(db: Conn, tenantId: string, userId: string, days: number, meta: { ip?: string | null; userAgent?: string | null }) {
  const token = newToken();
  const csrfToken = newToken();
  await db.insert(sessions).values({
    id: hashToken(token), tenantId, userId, csrfToken, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null,
    expiresAt: new Date(Date.now() + days * 86400_000),
  });
  return { token, csrfToken };
}

// Touching last_seen on every request would turn every read into a write: once a minute is enough.
const TOUCH_MS = 60_000;

/*
 * The two lookups an authenticated request makes when the node's AuthCache does not have it, prepared once
 * per database handle: drizzle then skips building the SQL on each request, and on PostgreSQL they become
 * named statements whose plans each connection keeps.
 */
function prepareLookups(db: Conn) {
  const session = db.select({ s: sessions, u: users, r: roles }).from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId)).innerJoin(roles, eq(roles.id, users.roleId))
    .where(and(eq(sessions.id, sql.placeholder('id')), eq(sessions.tenantId, sql.placeholder('tenantId')),
      gt(sessions.expiresAt, sql`${sql.placeholder('now')}::timestamptz`), eq(users.status, 'active')))
    .prepare('kefu_session_auth');
  const apiToken = db.select({ t: apiTokens, u: users, r: roles }).from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId)).innerJoin(roles, eq(roles.id, users.roleId))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('hash')), eq(apiTokens.tenantId, sql.placeholder('tenantId')), isNull(apiTokens.revokedAt), eq(users.status, 'active')))
    .prepare('kefu_api_token_auth');
  return { session, apiToken };
}
const prepared = new WeakMap<Conn, ReturnType<typeof prepareLookups>>();
function lookups(db: Conn) {
  let p = prepared.get(db);
  if (!p) prepared.set(db, (p = prepareLookups(db)));
  return p;
}

/** Resolves a session cookie to its staff actor, or null when it is unknown, expired or the account is not active. */
export async function authenticateSession(db: Conn, tenantId: string, token: string): Promise<SessionAuth | null> {
  const id = hashToken(token);
  const [row] = await lookups(db).session.execute({ id, tenantId, now: new Date().toISOString() });
  if (!row) return null;
  if (Date.now() - row.s.lastSeenAt.getTime() > TOUCH_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.id, id));
  }
  return { actor: staffActor(row.u, row.r, id, 'session'), user: row.u, role: row.r, csrfToken: row.s.csrfToken, sessionId: id, expiresAt: row.s.expiresAt };
}

export async function authenticateApiToken(db: Conn, tenantId: string, token: string): Promise<SessionAuth | null> {
  const [row] = await lookups(db).apiToken.execute({ hash: hashToken(token), tenantId });
  if (!row) return null;
  if (!row.t.lastUsedAt || Date.now() - row.t.lastUsedAt.getTime() > TOUCH_MS) {
    await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, row.t.id));
  }
  return { actor: staffActor(row.u, row.r, null, 'apiToken'), user: row.u, role: row.r, csrfToken: null, sessionId: null, expiresAt: null };
}

export function staffActor(user: User, role: Role, sessionId: string | null, via: 'session' | 'apiToken'): Actor & { kind: 'staff' } {
  // Administrators always hold every permission, including ones added after their role was created.
  const permissions = new Set<Permission>(role.builtin === 'admin' ? ALL_PERMISSIONS : (role.permissions as Permission[]));
  return { kind: 'staff', userId: user.id, name: user.name, roleId: role.id, builtinRole: role.builtin, permissions, sessionId, via };
}

export async function endSession(db: Conn, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Signs a person out of every browser, optionally keeping the current one. */
export async function endSessions(ctx: Ctx, userId: string, keepSessionId?: string | null) {
  await ctx.db.delete(sessions).where(inTenant(ctx, sessions, eq(sessions.userId, userId), keepSessionId ? ne(sessions.id, keepSessionId) : undefined));
}

export async function listSessions(ctx: Ctx, userId: string) {
  return ctx.db.select().from(sessions).where(inTenant(ctx, sessions, eq(sessions.userId, userId), gt(sessions.expiresAt, new Date()))).orderBy(sessions.lastSeenAt);
}
