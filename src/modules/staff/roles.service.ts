import { count, eq } from 'drizzle-orm';
import type { RoleInput, RolePatch, RoleView } from '../../contracts/staff.ts';
import { AppError } from '../../contracts/errors.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { roles, users, type Role } from './staff.schema.ts';

export async function listRoles(ctx: Ctx): Promise<{ items: RoleView[]; total: number }> {
  const rows = await ctx.db.select().from(roles).where(inTenant(ctx, roles)).orderBy(roles.createdAt);
  const counts = await ctx.db.select({ roleId: users.roleId, n: count() }).from(users).where(inTenant(ctx, users)).groupBy(users.roleId);
  const byRole = new Map(counts.map((c) => [c.roleId, c.n]));
  return { total: rows.length, items: rows.map((r) => presentRole(r, byRole.get(r.id) ?? 0)) };
}

export async function getRole(ctx: Ctx, id: string): Promise<RoleView> {
  const role = await findOwned(ctx, roles, id);
  const [{ n }] = await ctx.db.select({ n: count() }).from(users).where(inTenant(ctx, users, eq(users.roleId, id)));
  return presentRole(role, n);
}

export async function createRole(ctx: Ctx, input: RoleInput): Promise<RoleView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await assertNameFree(c, input.name);
    const [role] = await tx.insert(roles).values({ tenantId: ctx.tenantId, name: input.name, description: input.description ?? '', permissions: input.permissions }).returning();
    await recordAudit(c, { action: 'role.create', targetType: 'role', targetId: role.id, after: presentRole(role, 0) });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'role.changed', roleId: role.id, change: 'created' });
    return presentRole(role, 0);
  });
}

export async function updateRole(ctx: Ctx, id: string, patch: RolePatch): Promise<RoleView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, roles, id);
    if (before.builtin && patch.permissions) throw new AppError('builtin_role');
    if (patch.name && patch.name !== before.name) await assertNameFree(c, patch.name);
    const [after] = await tx.update(roles).set({
      name: patch.name ?? before.name, description: patch.description ?? before.description, permissions: patch.permissions ?? before.permissions,
    }).where(inTenant(c, roles, eq(roles.id, id))).returning();
    await recordAudit(c, { action: 'role.update', targetType: 'role', targetId: id, before: presentRole(before, 0), after: presentRole(after, 0) });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'role.changed', roleId: id, change: 'updated' });
    return getRole(c, id);
  });
}

export async function deleteRole(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const role = await findOwned(c, roles, id);
    if (role.builtin) throw new AppError('builtin_role');
    const [{ n }] = await tx.select({ n: count() }).from(users).where(inTenant(c, users, eq(users.roleId, id)));
    if (n > 0) throw new AppError('role_in_use');
    await tx.delete(roles).where(inTenant(c, roles, eq(roles.id, id)));
    await recordAudit(c, { action: 'role.delete', targetType: 'role', targetId: id, before: presentRole(role, 0) });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'role.changed', roleId: id, change: 'deleted' });
  });
}

async function assertNameFree(ctx: Ctx, name: string) {
  const [dup] = await ctx.db.select({ id: roles.id }).from(roles).where(inTenant(ctx, roles, eq(roles.name, name)));
  if (dup) throw new AppError('name_taken');
}

export function presentRole(r: Role, staffCount: number): RoleView {
  return {
    id: r.id, name: r.name, description: r.description, builtin: (r.builtin as RoleView['builtin']) ?? null,
    permissions: r.permissions, staffCount, createdAt: r.createdAt.toISOString(),
  };
}
