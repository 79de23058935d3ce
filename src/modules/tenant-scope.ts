import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { AppError } from '../contracts/errors.ts';
import type { Ctx } from './context.ts';

/**
 * Tenant scoping in one place: every read of a tenant-owned row goes through these, so a row of
 * another company is simply not found (404), never shown.
 */
type TenantTable = PgTable & { tenantId: PgColumn; id: PgColumn };

export function inTenant(ctx: Pick<Ctx, 'tenantId'>, table: { tenantId: PgColumn }, ...more: Array<SQL | undefined>): SQL {
  return and(eq(table.tenantId, ctx.tenantId), ...more)!;
}

export async function findOwned<T extends TenantTable>(ctx: Ctx, table: T, id: string): Promise<T['$inferSelect']> {
  const rows = await ctx.db.select().from(table as PgTable).where(inTenant(ctx, table, eq(table.id, id))).limit(1);
  if (!rows.length) throw new AppError('not_found');
  return rows[0] as T['$inferSelect'];
}

/** Checks that every id names a row of this tenant; a foreign or unknown id is a 404 like any other. */
export async function assertOwned(ctx: Ctx, table: TenantTable, ids: readonly string[] | undefined): Promise<void> {
  if (!ids?.length) return;
  const unique = [...new Set(ids)];
  const rows = await ctx.db.select({ id: table.id }).from(table as PgTable).where(inTenant(ctx, table, inArray(table.id, unique)));
  if (rows.length !== unique.length) throw new AppError('not_found');
}
