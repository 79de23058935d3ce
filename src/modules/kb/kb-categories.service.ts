import { and, asc, count, eq, isNull, ne } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { KbCategoryInput, KbCategoryPatch, KbCategoryView } from '../../contracts/kb.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { kbArticles, kbCategories, type KbCategory } from './kb.schema.ts';

/** The knowledge base's category tree. Changes are admin changes: audited. */

export async function listCategories(ctx: Ctx): Promise<KbCategoryView[]> {
  const rows = await ctx.db.select().from(kbCategories).where(inTenant(ctx, kbCategories))
    .orderBy(asc(kbCategories.sortOrder), asc(kbCategories.name), asc(kbCategories.id));
  const counts = await ctx.db.select({ id: kbArticles.categoryId, n: count() }).from(kbArticles)
    .where(inTenant(ctx, kbArticles)).groupBy(kbArticles.categoryId);
  const byId = new Map(counts.map((c) => [c.id, c.n]));
  return rows.map((c) => ({ id: c.id, parentId: c.parentId, name: c.name, description: c.description, sortOrder: c.sortOrder, articleCount: byId.get(c.id) ?? 0 }));
}

/** A category and every category below it (for "search in this category"); an unknown id is a 404. */
export async function categorySubtree(ctx: Ctx, id: string): Promise<string[]> {
  const rows = await ctx.db.select({ id: kbCategories.id, parentId: kbCategories.parentId }).from(kbCategories).where(inTenant(ctx, kbCategories));
  if (!rows.some((r) => r.id === id)) throw new AppError('not_found');
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parentId) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const out: string[] = [];
  const stack = [id];
  while (stack.length) {
    const c = stack.pop()!;
    out.push(c);
    stack.push(...(children.get(c) ?? []));
  }
  return out;
}

async function assertNameFree(ctx: Ctx, parentId: string | null, name: string, except?: string): Promise<void> {
  const [dup] = await ctx.db.select({ id: kbCategories.id }).from(kbCategories).where(inTenant(ctx, kbCategories,
    parentId ? eq(kbCategories.parentId, parentId) : isNull(kbCategories.parentId), eq(kbCategories.name, name), except ? ne(kbCategories.id, except) : undefined)).limit(1);
  if (dup) throw new AppError('name_taken', { zh: `同一级下已有名为「${name}」的分类`, en: `There is already a category named "${name}" at this level` });
}

const audited = (c: KbCategory) => ({ name: c.name, parentId: c.parentId, description: c.description, sortOrder: c.sortOrder });

export async function createCategory(ctx: Ctx, input: KbCategoryInput): Promise<KbCategory> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const name = input.name;
    const parentId = input.parentId ?? null;
    if (parentId) await findOwned(c, kbCategories, parentId);
    await assertNameFree(c, parentId, name);
    const [row] = await tx.insert(kbCategories).values({ tenantId: ctx.tenantId, parentId, name, description: input.description ?? '', sortOrder: input.sortOrder ?? 0 }).returning();
    await recordAudit(c, { action: 'kb_category.create', targetType: 'kb_category', targetId: row.id, after: audited(row) });
    return row;
  });
}

export async function updateCategory(ctx: Ctx, id: string, patch: KbCategoryPatch): Promise<KbCategory> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, kbCategories, id);
    const parentId = patch.parentId === undefined ? before.parentId : patch.parentId;
    if (parentId && parentId !== before.parentId) {
      await findOwned(c, kbCategories, parentId);
      // moving under itself or one of its own descendants would cut the branch off the tree
      if ((await categorySubtree(c, id)).includes(parentId)) throw new AppError('kb_category_cycle');
    }
    const name = patch.name ?? before.name;
    if (name !== before.name || parentId !== before.parentId) await assertNameFree(c, parentId, name, id);
    const [after] = await tx.update(kbCategories).set({
      name, parentId, description: patch.description ?? before.description, sortOrder: patch.sortOrder ?? before.sortOrder,
    }).where(inTenant(c, kbCategories, eq(kbCategories.id, id))).returning();
    await recordAudit(c, { action: 'kb_category.update', targetType: 'kb_category', targetId: id, before: audited(before), after: audited(after) });
    return after;
  });
}

/** Deletes an empty-of-children category; its articles stay, uncategorized. */
export async function deleteCategory(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, kbCategories, id);
    const [child] = await tx.select({ id: kbCategories.id }).from(kbCategories).where(inTenant(c, kbCategories, eq(kbCategories.parentId, id))).limit(1);
    if (child) throw new AppError('kb_category_not_empty');
    await tx.update(kbArticles).set({ categoryId: null }).where(and(inTenant(c, kbArticles), eq(kbArticles.categoryId, id)));
    await tx.delete(kbCategories).where(inTenant(c, kbCategories, eq(kbCategories.id, id)));
    await recordAudit(c, { action: 'kb_category.delete', targetType: 'kb_category', targetId: id, before: audited(before) });
  });
}
