import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { kbArticles, kbDictionaries, type KbArticle } from './kb.schema.ts';
import { rebuildDictionary } from './search/dictionary.ts';
import { buildIndexText, type IndexSource } from './search/index-text.ts';
import { userDictionary, type UserDictionary } from './search/segment.ts';

/**
 * Keeps the search index of a company's articles right inside the transaction that changes them:
 * each article's search_text (the database derives the tsvector), the dictionary of words kept
 * whole, and how many articles each term occurs in (kb_terms, for term weights).
 */

type Indexed = Pick<KbArticle, 'title' | 'keywords' | 'synonyms' | 'paraphrases' | 'bodyText'>;

const source = (a: Indexed): IndexSource => ({ title: a.title, keywords: a.keywords, synonyms: a.synonyms, paraphrases: a.paraphrases, bodyText: a.bodyText });

/** The distinct lexemes a search_text gives (the words between spaces, without the phrase separators). */
export function termsOfSearchText(searchText: string): string[] {
  return [...new Set(searchText.split(/\s+/).filter((t) => t && !/^\|+$/.test(t)))];
}

/** Adds `delta` to the article counts of terms (one statement; sorted, so concurrent saves lock rows in one order). */
export async function adjustTerms(db: Conn, tenantId: string, deltas: ReadonlyMap<string, number>): Promise<void> {
  const entries = [...deltas].filter(([, d]) => d !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < entries.length; i += 5_000) {
    const chunk = JSON.stringify(entries.slice(i, i + 5_000).map(([t, d]) => ({ t, d })));
    await db.execute(sql`insert into kb_terms (tenant_id, term, df)
      select ${tenantId}::uuid, x.t, x.d from json_to_recordset(${chunk}::json) as x(t text, d int)
      on conflict (tenant_id, term) do update set df = kb_terms.df + excluded.df`);
  }
  if (entries.some(([, d]) => d < 0)) await db.execute(sql`delete from kb_terms where tenant_id = ${tenantId} and df <= 0`);
}

/** Term count changes from an article's old search_text to its new one. */
export function termDelta(before: string | null, after: string | null, into = new Map<string, number>()): Map<string, number> {
  for (const t of before ? termsOfSearchText(before) : []) into.set(t, (into.get(t) ?? 0) - 1);
  for (const t of after ? termsOfSearchText(after) : []) into.set(t, (into.get(t) ?? 0) + 1);
  return into;
}

export async function currentDictionary(db: Conn, tenantId: string): Promise<UserDictionary> {
  const [row] = await db.select({ words: kbDictionaries.words }).from(kbDictionaries).where(eq(kbDictionaries.tenantId, tenantId));
  return userDictionary(row?.words ?? []);
}

export async function adjustArticleCount(db: Conn, tenantId: string, delta: number): Promise<void> {
  await db.insert(kbDictionaries).values({ tenantId, articleCount: Math.max(delta, 0) })
    .onConflictDoUpdate({ target: kbDictionaries.tenantId, set: { articleCount: sql`greatest(${kbDictionaries.articleCount} + ${delta}, 0)` } });
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * (Re)indexes one article after its row was written. `before` is the row as it was (null for a new
 * one). When its keywords or synonyms change the company's dictionary, other articles that mention a
 * newly whole word are re-segmented too, so the same word is one term everywhere.
 */
export async function indexArticle(db: Conn, tenantId: string, article: KbArticle, before: KbArticle | null): Promise<void> {
  let dict: UserDictionary;
  let added: string[] = [];
  if (!before || !sameList(before.keywords, article.keywords) || !sameList(before.synonyms, article.synonyms)) {
    ({ dictionary: dict, added } = await rebuildDictionary(db, tenantId));
  } else {
    dict = await currentDictionary(db, tenantId);
  }
  const deltas = new Map<string, number>();
  const index = buildIndexText(source(article), dict);
  await db.update(kbArticles).set({ searchText: index.searchText, fuzzyText: index.fuzzyText }).where(eq(kbArticles.id, article.id));
  termDelta(before?.searchText ?? null, index.searchText, deltas);
  await adjustTerms(db, tenantId, deltas);
  if (added.length) await reindexMentioning(db, tenantId, added, dict, article.id);
}

/** Removes a deleted article's terms from the counts and its words from the dictionary. */
export async function unindexArticle(db: Conn, tenantId: string, before: KbArticle): Promise<void> {
  await adjustTerms(db, tenantId, termDelta(before.searchText, null));
  await adjustArticleCount(db, tenantId, -1);
  if (before.keywords.length || before.synonyms.length) await rebuildDictionary(db, tenantId);
}

const REINDEX_BATCH = 500;

/** Re-segments the company's articles whose text contains one of `words` (new dictionary words). */
export async function reindexMentioning(db: Conn, tenantId: string, words: string[], dict: UserDictionary, except?: string): Promise<void> {
  const deltas = new Map<string, number>();
  const a = kbArticles;
  const haystack = sql`${a.title} || ' ' || ${a.bodyText} || ' ' || array_to_string(${a.paraphrases}, ' ') || ' ' || array_to_string(${a.keywords}, ' ') || ' ' || array_to_string(${a.synonyms}, ' ')`;
  const mentions = or(...words.slice(0, 200).map((w) => sql`strpos(${haystack}, ${w}) > 0`))!;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.select({ id: a.id, title: a.title, keywords: a.keywords, synonyms: a.synonyms, paraphrases: a.paraphrases, bodyText: a.bodyText, searchText: a.searchText })
      .from(a).where(and(eq(a.tenantId, tenantId), except ? ne(a.id, except) : undefined, sql`${a.id} > ${after}`, mentions)).orderBy(a.id).limit(REINDEX_BATCH);
    for (const r of rows) {
      const index = buildIndexText(source(r), dict);
      if (index.searchText === r.searchText) continue;
      await db.update(a).set({ searchText: index.searchText, fuzzyText: index.fuzzyText }).where(eq(a.id, r.id));
      termDelta(r.searchText, index.searchText, deltas);
    }
    if (rows.length < REINDEX_BATCH) break;
    after = rows[rows.length - 1].id;
  }
  await adjustTerms(db, tenantId, deltas);
}
