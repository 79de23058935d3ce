import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { KbPublicSearchQuery, KbSearchQuery } from '../../contracts/kb.ts';
import type { Ctx } from '../context.ts';
import { PUBLIC_ARTICLE } from './kb-articles.service.ts';
import { categorySubtree } from './kb-categories.service.ts';
import { kbArticles } from './kb.schema.ts';
import { searchArticles, type SearchResult } from './search/search.ts';

/**
 * Who searches what. Staff search everything of their company (internal and draft articles too,
 * narrowed by the filters they pick); the help center searches published public articles only,
 * whatever it asks for.
 */

async function filters(ctx: Ctx, q: { locale?: string; categoryId?: string }, more: Array<SQL | undefined>): Promise<SQL> {
  const parts: SQL[] = more.filter((x): x is SQL => !!x);
  if (q.locale) parts.push(eq(kbArticles.locale, q.locale));
  if (q.categoryId) parts.push(inArray(kbArticles.categoryId, await categorySubtree(ctx, q.categoryId)));
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

export async function searchForStaff(ctx: Ctx, q: KbSearchQuery): Promise<SearchResult> {
  const where = await filters(ctx, q, [
    q.visibility ? eq(kbArticles.visibility, q.visibility) : undefined,
    q.status ? eq(kbArticles.status, q.status) : undefined,
  ]);
  return searchArticles(ctx.db, { tenantId: ctx.tenantId, q: q.q, mode: q.mode ?? 'fuzzy', where, limit: q.limit ?? 10, offset: q.offset ?? 0 });
}

export async function searchForPublic(ctx: Ctx, q: KbPublicSearchQuery): Promise<SearchResult> {
  const where = await filters(ctx, q, [PUBLIC_ARTICLE]);
  return searchArticles(ctx.db, { tenantId: ctx.tenantId, q: q.q, mode: q.mode ?? 'fuzzy', where, limit: q.limit ?? 10, offset: q.offset ?? 0 });
}
