import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { DepartmentInput, DepartmentPatch, DepartmentView } from '../../contracts/staff.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { assertOwned, findOwned, inTenant } from '../tenant-scope.ts';
import { departmentMembers, departments, users, type Department } from './staff.schema.ts';

/** The department tree, flat: each row names its parent; the UI nests it. */
export async function listDepartments(ctx: Ctx): Promise<{ items: DepartmentView[]; total: number }> {
  const rows = await ctx.db.select().from(departments).where(inTenant(ctx, departments)).orderBy(departments.sortOrder, departments.name);
  const members = await ctx.db.select().from(departmentMembers).where(inTenant(ctx, departmentMembers));
  return { total: rows.length, items: rows.map((d) => present(d, members.filter((m) => m.departmentId === d.id).map((m) => m.userId))) };
}

export async function getDepartment(ctx: Ctx, id: string): Promise<DepartmentView> {
  const d = await findOwned(ctx, departments, id);
  const members = await ctx.db.select().from(departmentMembers).where(inTenant(ctx, departmentMembers, eq(departmentMembers.departmentId, id)));
  return present(d, members.map((m) => m.userId));
}

export async function createDepartment(ctx: Ctx, input: DepartmentInput): Promise<DepartmentView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    if (input.parentId) await findOwned(c, departments, input.parentId);
    await assertOwned(c, users, input.memberIds);
    const [d] = await tx.insert(departments).values({ tenantId: ctx.tenantId, name: input.name, parentId: input.parentId ?? null, sortOrder: input.sortOrder ?? 0 }).returning();
    await setMembers(c, d.id, input.memberIds);
    const view = await getDepartment(c, d.id);
    await recordAudit(c, { action: 'department.create', targetType: 'department', targetId: d.id, after: view });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'department.changed', departmentId: d.id, change: 'created' });
    return view;
  });
}

export async function updateDepartment(ctx: Ctx, id: string, patch: DepartmentPatch): Promise<DepartmentView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await getDepartment(c, id);
    if (patch.parentId) {
      await findOwned(c, departments, patch.parentId);
      await assertNotDescendant(c, id, patch.parentId);
    }
    await assertOwned(c, users, patch.memberIds);
    await tx.update(departments).set({
      name: patch.name ?? before.name, sortOrder: patch.sortOrder ?? before.sortOrder,
      parentId: patch.parentId === undefined ? before.parentId : patch.parentId,
    }).where(inTenant(c, departments, eq(departments.id, id)));
    await setMembers(c, id, patch.memberIds);
    const after = await getDepartment(c, id);
    await recordAudit(c, { action: 'department.update', targetType: 'department', targetId: id, before, after });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'department.changed', departmentId: id, change: 'updated' });
    return after;
  });
}

export async function deleteDepartment(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await getDepartment(c, id);
    const [child] = await tx.select({ id: departments.id }).from(departments).where(inTenant(c, departments, eq(departments.parentId, id))).limit(1);
    if (child) throw new AppError('department_not_empty');
    await tx.delete(departments).where(inTenant(c, departments, eq(departments.id, id)));
    await recordAudit(c, { action: 'department.delete', targetType: 'department', targetId: id, before });
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'department.changed', departmentId: id, change: 'deleted' });
  });
}

/** Moving a department under itself or one of its descendants would cut the tree into a loop. */
async function assertNotDescendant(ctx: Ctx, id: string, newParentId: string) {
  const rows = await ctx.db.select({ id: departments.id, parentId: departments.parentId }).from(departments).where(inTenant(ctx, departments));
  const parentOf = new Map(rows.map((r) => [r.id, r.parentId]));
  for (let cur: string | null | undefined = newParentId, hops = 0; cur && hops <= rows.length; cur = parentOf.get(cur), hops++) {
    if (cur === id) throw new AppError('department_cycle');
  }
}

async function setMembers(ctx: Ctx, departmentId: string, memberIds?: string[]) {
  if (!memberIds) return;
  await ctx.db.delete(departmentMembers).where(inTenant(ctx, departmentMembers, eq(departmentMembers.departmentId, departmentId)));
  if (memberIds.length) await ctx.db.insert(departmentMembers).values(memberIds.map((userId) => ({ tenantId: ctx.tenantId, departmentId, userId })));
}

function present(d: Department, memberIds: string[]): DepartmentView {
  return { id: d.id, parentId: d.parentId, name: d.name, sortOrder: d.sortOrder, memberIds, createdAt: d.createdAt.toISOString() };
}
