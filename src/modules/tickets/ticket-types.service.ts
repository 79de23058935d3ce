import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import { DEFAULT_TICKET_TYPES, type TicketTypeInput, type TicketTypePatch } from '../../contracts/tickets.ts';
import type { Conn } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { ticketTypes, type TicketType } from './tickets.schema.ts';

export async function seedTicketTypes(db: Conn, tenantId: string): Promise<void> {
  await db.insert(ticketTypes).values(DEFAULT_TICKET_TYPES.map((t, i) => ({ tenantId, ...t, sortOrder: i }))).onConflictDoNothing();
}

export const presentType = (t: TicketType) => ({ id: t.id, key: t.key, nameZh: t.nameZh, nameEn: t.nameEn, sortOrder: t.sortOrder, active: t.active === 1 });

export async function listTicketTypes(ctx: Ctx) {
  const rows = await ctx.db.select().from(ticketTypes).where(inTenant(ctx, ticketTypes)).orderBy(ticketTypes.sortOrder, ticketTypes.key);
  return { total: rows.length, items: rows.map(presentType) };
}

export async function createTicketType(ctx: Ctx, input: TicketTypeInput) {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [dup] = await tx.select({ id: ticketTypes.id }).from(ticketTypes).where(inTenant(c, ticketTypes, eq(ticketTypes.key, input.key)));
    if (dup) throw new AppError('name_taken');
    const [row] = await tx.insert(ticketTypes).values({ tenantId: ctx.tenantId, key: input.key, nameZh: input.nameZh, nameEn: input.nameEn, sortOrder: input.sortOrder ?? 0, active: input.active === false ? 0 : 1 }).returning();
    await recordAudit(c, { action: 'ticket_type.create', targetType: 'ticket_type', targetId: row.id, after: presentType(row) });
    return presentType(row);
  });
}

export async function updateTicketType(ctx: Ctx, id: string, patch: TicketTypePatch) {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, ticketTypes, id);
    const [after] = await tx.update(ticketTypes).set({
      nameZh: patch.nameZh ?? before.nameZh, nameEn: patch.nameEn ?? before.nameEn, sortOrder: patch.sortOrder ?? before.sortOrder,
      active: patch.active === undefined ? before.active : patch.active ? 1 : 0,
    }).where(inTenant(c, ticketTypes, eq(ticketTypes.id, id))).returning();
    await recordAudit(c, { action: 'ticket_type.update', targetType: 'ticket_type', targetId: id, before: presentType(before), after: presentType(after) });
    return presentType(after);
  });
}
