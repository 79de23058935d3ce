import { and, asc, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { KbArticleInput, KbArticlePatch, KbArticleQuery, KbKind, KbStatus, KbVisibility } from '../../contracts/kb.ts';
import type { Locale } from '../../contracts/common.ts';
import { sanitizeMailHtml } from '../../channels/email/sanitize-html.ts';
import { sanitizedHtmlToText } from './body-text.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { adjustArticleCount, adjustTerms, indexArticle, reindexMentioning, termDelta, unindexArticle } from './kb-index.ts';
import { kbArticles, kbArticleVersions, kbCategories, kbDictionaries, type KbArticle, type KbArticleVersion } from './kb.schema.ts';
import { rebuildDictionary } from './search/dictionary.ts';
import { buildIndexText, synonymMembers } from './search/index-text.ts';
import { userDictionary } from './search/segment.ts';

/**
 * Articles and FAQ entries: write, version, publish. Every save keeps a version row and re-indexes
 * the article in the same transaction, so what search finds is always what was saved.
 */

/** Sanitized HTML (the allow-list the email channel uses) and its plain text. */
export function cleanBody(html: string): { body: string; bodyText: string } {
  const body = sanitizeMailHtml(html);
  return { body, bodyText: sanitizedHtmlToText(body) };
}

/** Trimmed, blanks dropped, duplicates dropped (first one kept). */
function cleanList(items: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const raw of items ?? []) {
    const v = raw.trim().replace(/\s+/g, ' ');
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

async function assertCategory(ctx: Ctx, categoryId: string | null | undefined): Promise<void> {
  if (categoryId) await findOwned(ctx, kbCategories, categoryId);
}

type Action = 'create' | 'update' | 'publish' | 'unpublish';

async function saveVersion(ctx: Ctx, a: KbArticle, action: Action): Promise<void> {
  await ctx.db.insert(kbArticleVersions).values({
    tenantId: ctx.tenantId, articleId: a.id, version: a.version, title: a.title, body: a.body, keywords: a.keywords,
    synonyms: a.synonyms, paraphrases: a.paraphrases, categoryId: a.categoryId, kind: a.kind, locale: a.locale,
    visibility: a.visibility, status: a.status, action, authorId: actorUserId(ctx.actor), authorName: ctx.actor.name,
  });
}

export async function getArticle(ctx: Ctx, id: string): Promise<KbArticle> {
  return findOwned(ctx, kbArticles, id);
}

export async function listArticles(ctx: Ctx, q: KbArticleQuery, categoryIds?: string[]): Promise<{ items: KbArticle[]; total: number }> {
  const a = kbArticles;
  const where = inTenant(ctx, a,
    categoryIds ? sql`${a.categoryId} in (${sql.join(categoryIds.map((c) => sql`${c}`), sql`, `)})` : undefined,
    q.status ? eq(a.status, q.status) : undefined,
    q.visibility ? eq(a.visibility, q.visibility) : undefined,
    q.locale ? eq(a.locale, q.locale) : undefined,
    q.kind ? eq(a.kind, q.kind) : undefined);
  const [items, [{ n }]] = await Promise.all([
    ctx.db.select().from(a).where(where).orderBy(desc(a.updatedAt), asc(a.id)).limit(q.limit ?? 50).offset(q.offset ?? 0),
    ctx.db.select({ n: count() }).from(a).where(where),
  ]);
  return { items, total: n };
}

export async function createArticle(ctx: Ctx, input: KbArticleInput): Promise<KbArticle> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await assertCategory(c, input.categoryId);
    const [row] = await tx.insert(kbArticles).values({
      tenantId: ctx.tenantId,
      kind: input.kind ?? 'article',
      title: input.title,
      ...cleanBody(input.body ?? ''),
      keywords: cleanList(input.keywords),
      synonyms: cleanList(input.synonyms),
      paraphrases: cleanList(input.paraphrases),
      locale: input.locale ?? 'zh-CN',
      visibility: input.visibility ?? 'public',
      categoryId: input.categoryId ?? null,
      authorId: actorUserId(ctx.actor),
    }).returning();
    await adjustArticleCount(tx, ctx.tenantId, 1);
    await indexArticle(tx, ctx.tenantId, row, null);
    await saveVersion(c, row, 'create');
    return row;
  });
}

/** Loads an article of this company for a change, locked until the transaction ends. */
async function lockArticle(ctx: Ctx, id: string): Promise<KbArticle> {
  const [row] = await ctx.db.select().from(kbArticles).where(inTenant(ctx, kbArticles, eq(kbArticles.id, id))).for('update');
  if (!row) throw new AppError('not_found');
  return row;
}

async function writeArticle(ctx: Ctx, before: KbArticle, set: Partial<KbArticle>, action: Action): Promise<KbArticle> {
  const [after] = await ctx.db.update(kbArticles).set({ ...set, version: before.version + 1, updatedAt: sql`now()` })
    .where(inTenant(ctx, kbArticles, eq(kbArticles.id, before.id))).returning();
  await indexArticle(ctx.db, ctx.tenantId, after, before);
  await saveVersion(ctx, after, action);
  return after;
}

export async function updateArticle(ctx: Ctx, id: string, patch: KbArticlePatch): Promise<KbArticle> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lockArticle(c, id);
    if (patch.categoryId !== undefined) await assertCategory(c, patch.categoryId);
    const set: Partial<KbArticle> = {
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.body !== undefined ? cleanBody(patch.body) : {}),
      ...(patch.keywords !== undefined ? { keywords: cleanList(patch.keywords) } : {}),
      ...(patch.synonyms !== undefined ? { synonyms: cleanList(patch.synonyms) } : {}),
      ...(patch.paraphrases !== undefined ? { paraphrases: cleanList(patch.paraphrases) } : {}),
      ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
      ...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
      ...(patch.categoryId !== undefined ? { categoryId: patch.categoryId } : {}),
    };
    return writeArticle(c, before, set, 'update');
  });
}

export async function setPublished(ctx: Ctx, id: string, published: boolean): Promise<KbArticle> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lockArticle(c, id);
    const status: KbStatus = published ? 'published' : 'draft';
    if (before.status === status) return before;
    const after = await writeArticle(c, before, { status, ...(published ? { publishedAt: new Date() } : {}) }, published ? 'publish' : 'unpublish');
    await recordAudit(c, { action: published ? 'kb_article.publish' : 'kb_article.unpublish', targetType: 'kb_article', targetId: id, before: { status: before.status }, after: { status, title: after.title } });
    return after;
  });
}

export async function deleteArticle(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await lockArticle(c, id);
    await tx.delete(kbArticles).where(inTenant(c, kbArticles, eq(kbArticles.id, id)));
    await unindexArticle(tx, ctx.tenantId, before);
    await recordAudit(c, { action: 'kb_article.delete', targetType: 'kb_article', targetId: id, before: { title: before.title, status: before.status, version: before.version } });
  });
}

export async function listVersions(ctx: Ctx, id: string): Promise<KbArticleVersion[]> {
  await findOwned(ctx, kbArticles, id);
  return ctx.db.select().from(kbArticleVersions)
    .where(and(inTenant(ctx, kbArticleVersions), eq(kbArticleVersions.articleId, id))).orderBy(desc(kbArticleVersions.version));
}

/** What the help center may show: published and public. */
export const PUBLIC_ARTICLE: SQL = sql`${kbArticles.status} = 'published' and ${kbArticles.visibility} = 'public'`;

/** A published public article as a customer opens it; counts the view. */
export async function openPublicArticle(ctx: Ctx, id: string): Promise<KbArticle> {
  const [row] = await ctx.db.update(kbArticles).set({ views: sql`${kbArticles.views} + 1` })
    .where(inTenant(ctx, kbArticles, eq(kbArticles.id, id), PUBLIC_ARTICLE)).returning();
  if (!row) throw new AppError('not_found');
  return row;
}

/** "Was this helpful?" on a published public article. */
export async function voteArticle(ctx: Ctx, id: string, helpful: boolean): Promise<{ helpfulYes: number; helpfulNo: number }> {
  const column = helpful ? kbArticles.helpfulYes : kbArticles.helpfulNo;
  const [row] = await ctx.db.update(kbArticles).set(helpful ? { helpfulYes: sql`${column} + 1` } : { helpfulNo: sql`${column} + 1` })
    .where(inTenant(ctx, kbArticles, eq(kbArticles.id, id), PUBLIC_ARTICLE))
    .returning({ helpfulYes: kbArticles.helpfulYes, helpfulNo: kbArticles.helpfulNo });
  if (!row) throw new AppError('not_found');
  return row;
}

export interface ImportedArticle {
  kind?: KbKind; title: string; body?: string; keywords?: string[]; synonyms?: string[]; paraphrases?: string[];
  locale?: Locale; visibility?: KbVisibility; categoryId?: string | null; published?: boolean;
}

const IMPORT_BATCH = 500;

/**
 * Adds many articles in one transaction (an import, or a benchmark's knowledge base): the dictionary
 * is compiled once from the existing and new keywords, each article is indexed as it is inserted, and
 * term counts are added up once. Each article still gets its first version.
 */
export async function importArticles(ctx: Ctx, items: readonly ImportedArticle[], onProgress?: (done: number) => void): Promise<string[]> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    for (const id of new Set(items.map((i) => i.categoryId).filter((x): x is string => !!x))) await assertCategory(c, id);
    const existing = await tx.select({ words: kbDictionaries.words }).from(kbDictionaries).where(eq(kbDictionaries.tenantId, ctx.tenantId));
    const dict = userDictionary([...(existing[0]?.words ?? []), ...items.flatMap((i) => [...(i.keywords ?? []), ...(i.synonyms ?? []).flatMap(synonymMembers)])]);
    const deltas = new Map<string, number>();
    const ids: string[] = [];
    const author = actorUserId(ctx.actor);
    for (let i = 0; i < items.length; i += IMPORT_BATCH) {
      const values = items.slice(i, i + IMPORT_BATCH).map((it) => {
        const fields = {
          title: it.title, ...cleanBody(it.body ?? ''), keywords: cleanList(it.keywords), synonyms: cleanList(it.synonyms), paraphrases: cleanList(it.paraphrases),
        };
        const index = buildIndexText(fields, dict);
        termDelta(null, index.searchText, deltas);
        return {
          tenantId: ctx.tenantId, kind: it.kind ?? 'article', ...fields, locale: it.locale ?? 'zh-CN', visibility: it.visibility ?? 'public',
          status: it.published ? 'published' : 'draft', publishedAt: it.published ? new Date() : null, categoryId: it.categoryId ?? null,
          authorId: author, searchText: index.searchText, fuzzyText: index.fuzzyText,
        };
      });
      const rows = await tx.insert(kbArticles).values(values).returning();
      await tx.insert(kbArticleVersions).values(rows.map((a) => ({
        tenantId: ctx.tenantId, articleId: a.id, version: a.version, title: a.title, body: a.body, keywords: a.keywords, synonyms: a.synonyms,
        paraphrases: a.paraphrases, categoryId: a.categoryId, kind: a.kind, locale: a.locale, visibility: a.visibility, status: a.status,
        action: 'create', authorId: author, authorName: ctx.actor.name,
      })));
      ids.push(...rows.map((r) => r.id));
      onProgress?.(ids.length);
    }
    await adjustArticleCount(tx, ctx.tenantId, items.length);
    await adjustTerms(tx, ctx.tenantId, deltas);
    const { added, dictionary } = await rebuildDictionary(tx, ctx.tenantId);
    if (added.length) await reindexMentioning(tx, ctx.tenantId, added, dictionary);
    return ids;
  });
}
