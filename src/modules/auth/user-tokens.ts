import { and, eq, gt, isNull } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { hashToken, newToken } from './password.ts';
import { userTokens } from './auth.schema.ts';

export type TokenPurpose = 'invite' | 'reset';

/** A one-time link token; earlier unused tokens of the same purpose stop working. */
export async function issueUserToken(ctx: Ctx, userId: string, purpose: TokenPurpose, ttlMs: number): Promise<string> {
  await ctx.db.update(userTokens).set({ usedAt: new Date() })
    .where(inTenant(ctx, userTokens, eq(userTokens.userId, userId), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)));
  const token = newToken();
  await ctx.db.insert(userTokens).values({ tenantId: ctx.tenantId, userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

/** Finds a live token of this tenant; `consume` marks it used in the same statement so it works once. */
export async function findUserToken(db: Conn, tenantId: string, token: string, purpose: TokenPurpose, consume: boolean) {
  const where = and(eq(userTokens.tenantId, tenantId), eq(userTokens.tokenHash, hashToken(token)), eq(userTokens.purpose, purpose),
    isNull(userTokens.usedAt), gt(userTokens.expiresAt, new Date()));
  const rows = consume
    ? await db.update(userTokens).set({ usedAt: new Date() }).where(where).returning()
    : await db.select().from(userTokens).where(where);
  if (!rows.length) throw new AppError('token_invalid');
  return rows[0];
}
