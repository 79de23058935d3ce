import { and, asc, count, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { PortalCategoryView } from '../../contracts/portal.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { PUBLIC_ARTICLE } from './kb-articles.service.ts';
import { categorySubtree } from './kb-categories.service.ts';
import { kbArticles, kbCategories, type KbArticle } from './kb.schema.ts';
import { searchForPublic } from './kb-search.service.ts';
import { searchArticles, type HitArticle, type SearchHit } from './search/search.ts';

/**
 * What the help center browses: categories with their published public articles, a category's
 * articles, and articles related to the one being read. Drafts and internal articles never show,
 * and a category with nothing public in it (here or below) is left out.
 */

export async function listPublicCategories(ctx: Ctx): Promise<PortalCategoryView[]> {
  const rows = await ctx.db.select().from(kbCategories).where(inTenant(ctx, kbCategories))
    .orderBy(asc(kbCategories.sortOrder), asc(kbCategories.name), asc(kbCategories.id));
  const counts = await ctx.db.select({ id: kbArticles.categoryId, n: count() }).from(kbArticles)
    .where(inTenant(ctx, kbArticles, PUBLIC_ARTICLE)).groupBy(kbArticles.categoryId);
  const direct = new Map(counts.map((c) => [c.id, c.n]));
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parentId) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const total = (id: string, depth = 0): number =>
    (direct.get(id) ?? 0) + (depth > 50 ? 0 : (children.get(id) ?? []).reduce((sum, c) => sum + total(c, depth + 1), 0));
  return rows
    .map((c) => ({ id: c.id, parentId: c.parentId, name: c.name, description: c.description, articleCount: total(c.id) }))
    .filter((c) => c.articleCount > 0);
}

export async function getPublicCategory(ctx: Ctx, id: string): Promise<PortalCategoryView> {
  const c = await findOwned(ctx, kbCategories, id);
  const [{ n }] = await ctx.db.select({ n: count() }).from(kbArticles)
    .where(inTenant(ctx, kbArticles, PUBLIC_ARTICLE, inArray(kbArticles.categoryId, await categorySubtree(ctx, id))));
  return { id: c.id, parentId: c.parentId, name: c.name, description: c.description, articleCount: n };
}

/** Published public articles of a category and the ones below it, most recently published first. */
export async function listPublicArticles(ctx: Ctx, categoryId: string, page: { limit?: number; offset?: number }): Promise<{ items: KbArticle[]; total: number }> {
  const where = inTenant(ctx, kbArticles, PUBLIC_ARTICLE, inArray(kbArticles.categoryId, await categorySubtree(ctx, categoryId)));
  const [items, [{ n }]] = await Promise.all([
    ctx.db.select().from(kbArticles).where(where).orderBy(desc(kbArticles.publishedAt), asc(kbArticles.id)).limit(page.limit ?? 50).offset(page.offset ?? 0),
    ctx.db.select({ n: count() }).from(kbArticles).where(where),
  ]);
  return { items, total: n };
}

const RELATED = 5;

/**
 * Articles about the same thing: the search module asked with this article's title and keywords (any
 * of the words), then, to fill up, the newest of its category. Only published public ones; a draft or
 * internal article has no related list (404), like its page.
 */
export async function relatedPublicArticles(ctx: Ctx, id: string): Promise<HitArticle[]> {
  const [a] = await ctx.db.select().from(kbArticles).where(inTenant(ctx, kbArticles, eq(kbArticles.id, id), PUBLIC_ARTICLE));
  if (!a) throw new AppError('not_found');
  const q = [a.title, ...a.keywords].join(' ').slice(0, 200);
  const found = await searchArticles(ctx.db, { tenantId: ctx.tenantId, q, mode: 'any', where: sql`${PUBLIC_ARTICLE} and ${ne(kbArticles.id, id)}`, limit: RELATED, offset: 0 });
  const out: HitArticle[] = found.hits.map((h) => h.article);
  if (out.length < RELATED && a.categoryId) {
    const more = await ctx.db.select().from(kbArticles)
      .where(and(inTenant(ctx, kbArticles, PUBLIC_ARTICLE, eq(kbArticles.categoryId, a.categoryId), ne(kbArticles.id, id))))
      .orderBy(desc(kbArticles.publishedAt), asc(kbArticles.id)).limit(RELATED * 2);
    for (const m of more) if (out.length < RELATED && !out.some((o) => o.id === m.id)) out.push(m);
  }
  return out;
}

/**
 * Below this share of the question covered by an article's title and questions, a hit matched only on
 * minor words (怎么, 办) and is not worth putting beside a customer's question: "宽带到期了怎么续费"
 * covers 光猫红灯闪烁怎么办 about 1%, 宽带怎么续费 100%.
 */
export const MIN_SUGGESTION_COVERAGE = 0.1;

export function worthSuggesting(hit: Pick<SearchHit, 'coverage'>): boolean {
  return hit.coverage >= MIN_SUGGESTION_COVERAGE;
}

/** Self-service suggestions for what a customer is typing: published public articles, weak matches left out. */
export async function suggestArticles(ctx: Ctx, q: string, limit: number) {
  const r = await searchForPublic(ctx, { q, mode: 'fuzzy', limit });
  return r.hits.filter(worthSuggesting).map((h) => ({ id: h.article.id, title: h.title, snippet: h.snippet }));
}
