import { and, count, desc, eq, gte, lt, sql } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { DeflectionInput, DeflectionStats, DeflectionStatsQuery } from '../../contracts/portal.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { PUBLIC_ARTICLE } from './kb-articles.service.ts';
import { kbDeflections } from './deflection.schema.ts';
import { kbArticles } from './kb.schema.ts';

/**
 * Deflection: a customer says a suggested article solved their problem, so no request or chat was
 * needed. Recorded only for an article the customer could actually read (published and public, of this
 * company), once per article per visit.
 */
export async function recordDeflection(ctx: Ctx, input: DeflectionInput): Promise<{ recorded: boolean }> {
  const [article] = await ctx.db.select({ id: kbArticles.id }).from(kbArticles).where(inTenant(ctx, kbArticles, eq(kbArticles.id, input.articleId), PUBLIC_ARTICLE));
  if (!article) throw new AppError('not_found');
  const rows = await ctx.db.insert(kbDeflections).values({
    tenantId: ctx.tenantId, articleId: article.id, query: (input.query ?? '').trim().replace(/\s+/g, ' '), source: input.source, visitId: input.visitId?.toLowerCase() ?? null,
  }).onConflictDoNothing().returning({ id: kbDeflections.id });
  return { recorded: rows.length > 0 };
}

const DAY_MS = 86_400_000;
const MAX_SPAN_DAYS = 366;
const TOP_ARTICLES = 20;

/** The period asked for: [from, to), by default the 30 UTC days up to the end of today; at most a year. */
export function statsPeriod(q: DeflectionStatsQuery, now = new Date()): { from: Date; to: Date } {
  const endOfToday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const to = q.to ? new Date(q.to) : endOfToday;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (!(from < to)) throw new AppError('validation', { zh: '开始时间必须早于结束时间', en: '`from` must be before `to`' });
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS * DAY_MS) throw new AppError('validation', { zh: '统计区间最长一年', en: 'The period may be at most a year' });
  return { from, to };
}

/** Totals, per source, per day (UTC) and per article over a period. */
export async function deflectionStats(ctx: Ctx, q: DeflectionStatsQuery): Promise<DeflectionStats> {
  const { from, to } = statsPeriod(q);
  const d = kbDeflections;
  const where = inTenant(ctx, d, gte(d.createdAt, from), lt(d.createdAt, to));
  const day = sql<string>`to_char(${d.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const [bySource, byDay, byArticle] = await Promise.all([
    ctx.db.select({ source: d.source, n: count() }).from(d).where(where).groupBy(d.source),
    ctx.db.select({ day, n: count() }).from(d).where(where).groupBy(day).orderBy(day),
    ctx.db.select({ articleId: d.articleId, title: kbArticles.title, n: count() }).from(d)
      .leftJoin(kbArticles, and(eq(kbArticles.id, d.articleId), eq(kbArticles.tenantId, d.tenantId)))
      .where(where).groupBy(d.articleId, kbArticles.title).orderBy(desc(count()), d.articleId).limit(TOP_ARTICLES),
  ]);
  const of = (s: string) => bySource.find((r) => r.source === s)?.n ?? 0;
  return {
    from: from.toISOString(), to: to.toISOString(),
    total: bySource.reduce((sum, r) => sum + r.n, 0), portal: of('portal'), widget: of('widget'),
    byDay: byDay.map((r) => ({ day: r.day, count: r.n })),
    articles: byArticle.map((r) => ({ articleId: r.articleId, title: r.title ?? null, count: r.n })),
  };
}
