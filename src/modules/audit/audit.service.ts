import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import type { AuditQuery, AuditView } from '../../contracts/admin.ts';
import type { Ctx } from '../context.ts';
import { actorUserId } from '../auth/actor.ts';
import { auditLog } from './audit.schema.ts';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Records an admin action; call it inside the transaction that makes the change. */
export async function recordAudit(ctx: Ctx, rec: AuditRecord): Promise<void> {
  await ctx.db.insert(auditLog).values({
    tenantId: ctx.tenantId,
    actorId: actorUserId(ctx.actor),
    actorName: ctx.actor.name,
    action: rec.action,
    targetType: rec.targetType,
    targetId: rec.targetId ?? null,
    before: rec.before === undefined ? null : stripSecrets(rec.before),
    after: rec.after === undefined ? null : stripSecrets(rec.after),
    ip: ctx.ip ?? null,
  });
}

const SECRET_KEYS = new Set(['passwordHash', 'password', 'tokenHash', 'token', 'csrfToken']);
function stripSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_KEYS.has(k)).map(([k, v]) => [k, stripSecrets(v)]));
  }
  return value;
}

export async function listAudit(ctx: Ctx, q: AuditQuery): Promise<{ items: AuditView[]; total: number }> {
  const where: SQL[] = [eq(auditLog.tenantId, ctx.tenantId)];
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  const cond = and(...where);
  const rows = await ctx.db.select().from(auditLog).where(cond).orderBy(desc(auditLog.id)).limit(q.limit ?? 50).offset(q.offset ?? 0);
  const [{ n }] = await ctx.db.select({ n: count() }).from(auditLog).where(cond);
  return {
    total: n,
    items: rows.map((r) => ({ ...r, id: Number(r.id), createdAt: r.createdAt.toISOString() })),
  };
}
