import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import type { Ctx } from '../../modules/context.ts';
import { departments } from '../../modules/staff/staff.schema.ts';
import { findOwned, inTenant } from '../../modules/tenant-scope.ts';
import type { ChatScope } from './acd.ts';
import { chatDepartmentSettings } from './chat-live.schema.ts';
import { chatConversations } from './webchat.schema.ts';

/** 排队上限 per department: the departments that have one (0 or unset = no limit). */
export async function listDepartmentQueues(ctx: Ctx) {
  const rows = await ctx.db.select().from(chatDepartmentSettings).where(inTenant(ctx, chatDepartmentSettings));
  return { items: rows.map((r) => ({ departmentId: r.departmentId, maxQueueLength: r.maxQueueLength })) };
}

export async function setDepartmentQueue(ctx: Ctx, departmentId: string, maxQueueLength: number) {
  await findOwned(ctx, departments, departmentId);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(chatDepartmentSettings).values({ tenantId: ctx.tenantId, departmentId, maxQueueLength })
      .onConflictDoUpdate({ target: [chatDepartmentSettings.tenantId, chatDepartmentSettings.departmentId], set: { maxQueueLength } });
    await recordAudit({ ...ctx, db: tx }, { action: 'chat_department_queue.update', targetType: 'department', targetId: departmentId, after: { maxQueueLength } });
  });
  return { departmentId, maxQueueLength };
}

/**
 * Is every department this chat may go to at its longest queue? A chat scoped to departments only
 * (not to named agents, not company-wide) overflows when each of them has a limit and that many chats
 * already wait for it; one department with room left keeps it in line.
 */
export async function departmentsFull(db: Conn, tenantId: string, scope: ChatScope, except: string): Promise<boolean> {
  if (!scope.departmentIds.length || scope.agentIds.length || scope.source === 'company') return false;
  const limits = await db.select().from(chatDepartmentSettings)
    .where(and(eq(chatDepartmentSettings.tenantId, tenantId), inArray(chatDepartmentSettings.departmentId, [...scope.departmentIds])));
  for (const id of scope.departmentIds) {
    const max = limits.find((l) => l.departmentId === id)?.maxQueueLength ?? 0;
    if (max <= 0) return false;
    const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(chatConversations)
      .where(and(
        eq(chatConversations.tenantId, tenantId), eq(chatConversations.status, 'queued'), ne(chatConversations.id, except),
        sql`${chatConversations.scope}->'departmentIds' @> ${JSON.stringify([id])}::jsonb`,
      ));
    if (row.n < max) return false;
  }
  return true;
}
