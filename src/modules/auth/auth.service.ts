import { and, desc, eq, isNull } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import { emit } from '../../events/outbox.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { resetMail } from '../mail/templates.ts';
import { roles, users } from '../staff/staff.schema.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { tenants } from '../tenants/tenants.schema.ts';
import { SYSTEM, actorRef, type Actor } from './actor.ts';
import { apiTokens } from './auth.schema.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from './password.ts';
import { createSession, endSessions, staffActor } from './sessions.ts';
import { findUserToken, issueUserToken } from './user-tokens.ts';

const RESET_TTL_MS = 3600_000;

export interface LoginMeta { ip?: string | null; userAgent?: string | null; sessionDays: number }

/** Checks email and password and opens a session. Unknown email and wrong password answer alike. */
export async function login(db: Conn, tenantId: string, email: string, password: string, meta: LoginMeta) {
  const [user] = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.email, email.toLowerCase())));
  const ok = await verifyPassword(password, user?.passwordHash ?? null);
  if (!user || !ok) {
    if (user) await db.update(users).set({ failedLogins: user.failedLogins + 1 }).where(eq(users.id, user.id));
    throw new AppError('bad_credentials');
  }
  if (user.status !== 'active') throw new AppError('account_disabled');
  if (user.failedLogins) await db.update(users).set({ failedLogins: 0 }).where(eq(users.id, user.id));
  const session = await createSession(db, tenantId, user.id, meta.sessionDays, meta);
  return { ...session, userId: user.id };
}

export async function changePassword(ctx: Ctx, userId: string, currentPassword: string, newPassword: string, keepSessionId: string | null) {
  const user = await findOwned(ctx, users, userId);
  if (!(await verifyPassword(currentPassword, user.passwordHash))) throw new AppError('wrong_password');
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(inTenant(c, users, eq(users.id, userId)));
    await endSessions(c, userId, keepSessionId); // other browsers must sign in again
    await recordAudit(c, { action: 'staff.password_change', targetType: 'user', targetId: userId });
  });
}

/** Mails a reset link when the address belongs to an active account; answers the same either way. */
export async function requestPasswordReset(ctx: Ctx, email: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [user] = await tx.select().from(users).where(inTenant(c, users, eq(users.email, email.toLowerCase()), eq(users.status, 'active')));
    if (!user) return;
    const token = await issueUserToken(c, user.id, 'reset', RESET_TTL_MS);
    const link = `${ctx.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await enqueueMail(c, { purpose: 'password_reset', to: user.email, ...resetMail(user.locale, { name: user.name, link }) });
  });
}

export async function resetPassword(ctx: Ctx, token: string, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const t = await findUserToken(tx, ctx.tenantId, token, 'reset', true);
    await tx.update(users).set({ passwordHash, failedLogins: 0, updatedAt: new Date() }).where(inTenant(c, users, eq(users.id, t.userId)));
    await endSessions(c, t.userId);
    await recordAudit({ ...c, actor: SYSTEM }, { action: 'staff.password_reset', targetType: 'user', targetId: t.userId });
  });
}

export async function getInvitation(db: Conn, tenantId: string, token: string) {
  const t = await findUserToken(db, tenantId, token, 'invite', false);
  const [row] = await db.select({ email: users.email, name: users.name, tenantName: tenants.name }).from(users)
    .innerJoin(tenants, eq(tenants.id, users.tenantId)).where(and(eq(users.id, t.userId), eq(users.status, 'invited')));
  if (!row) throw new AppError('token_invalid');
  return row;
}

/** Sets the password of an invited account and makes it active; the invitation link then stops working. */
export async function activateInvitation(ctx: Ctx, token: string, password: string, name?: string): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const t = await findUserToken(tx, ctx.tenantId, token, 'invite', true);
    const [user] = await tx.update(users).set({ passwordHash, status: 'active', ...(name ? { name } : {}), updatedAt: new Date() })
      .where(inTenant(c, users, eq(users.id, t.userId), eq(users.status, 'invited'))).returning();
    if (!user) throw new AppError('token_invalid');
    const [role] = await tx.select().from(roles).where(eq(roles.id, user.roleId));
    const self: Actor = staffActor(user, role, null, 'session');
    await recordAudit({ ...c, actor: self }, { action: 'staff.activate', targetType: 'user', targetId: user.id });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(self) }, { type: 'staff.activated', userId: user.id });
    return { userId: user.id };
  });
}

export async function listApiTokens(ctx: Ctx, userId: string) {
  return ctx.db.select().from(apiTokens).where(inTenant(ctx, apiTokens, eq(apiTokens.userId, userId))).orderBy(desc(apiTokens.createdAt));
}

/** Returns the token once; only its hash is stored. */
export async function createApiToken(ctx: Ctx, userId: string, name: string) {
  const token = newToken('kefu_');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens).values({ tenantId: ctx.tenantId, userId, name, tokenHash: hashToken(token), prefix: token.slice(0, 10) }).returning();
    await recordAudit({ ...ctx, db: tx }, { action: 'api_token.create', targetType: 'api_token', targetId: row.id, after: { name, prefix: row.prefix } });
    return { token, row };
  });
}

export async function revokeApiToken(ctx: Ctx, userId: string, id: string) {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [row] = await tx.update(apiTokens).set({ revokedAt: new Date() })
      .where(inTenant(c, apiTokens, eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt))).returning();
    if (!row) throw new AppError('not_found');
    await recordAudit(c, { action: 'api_token.revoke', targetType: 'api_token', targetId: id, before: { name: row.name, prefix: row.prefix } });
  });
}
