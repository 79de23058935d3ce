import { count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { notifications } from './notifications.schema.ts';

export interface NewNotification { userId: string; kind: string; ticketId?: string | null; data?: Record<string, unknown>; eventId: string }

/** Stores notifications; the same event notifies the same person of the same thing once. Returns the new ones. */
export async function storeNotifications(db: Conn, tenantId: string, list: NewNotification[]) {
  if (!list.length) return [];
  return db.insert(notifications).values(list.map((n) => ({ tenantId, userId: n.userId, kind: n.kind, ticketId: n.ticketId ?? null, data: n.data ?? {}, eventId: n.eventId })))
    .onConflictDoNothing().returning();
}

export async function listNotifications(ctx: Ctx, userId: string, unreadOnly: boolean) {
  const cond = inTenant(ctx, notifications, eq(notifications.userId, userId), unreadOnly ? isNull(notifications.readAt) : undefined);
  const rows = await ctx.db.select().from(notifications).where(cond).orderBy(desc(notifications.createdAt)).limit(100);
  const [{ n }] = await ctx.db.select({ n: count() }).from(notifications).where(inTenant(ctx, notifications, eq(notifications.userId, userId), isNull(notifications.readAt)));
  return {
    unread: n,
    items: rows.map((r) => ({ id: r.id, kind: r.kind, ticketId: r.ticketId, data: r.data, readAt: r.readAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString() })),
  };
}

/** Marks my notifications read; an id that is not one of my notifications is a 404, like any foreign id. */
export async function markRead(ctx: Ctx, userId: string, ids: string[] | 'all') {
  if (ids !== 'all') {
    const unique = [...new Set(ids)];
    if (!unique.length) return;
    const mine = await ctx.db.select({ id: notifications.id }).from(notifications).where(inTenant(ctx, notifications, eq(notifications.userId, userId), inArray(notifications.id, unique)));
    if (mine.length !== unique.length) throw new AppError('not_found');
  }
  await ctx.db.update(notifications).set({ readAt: new Date() }).where(inTenant(ctx, notifications, eq(notifications.userId, userId), isNull(notifications.readAt),
    ids === 'all' ? undefined : inArray(notifications.id, ids)));
}
