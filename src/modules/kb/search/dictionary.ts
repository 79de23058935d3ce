import { eq, sql } from 'drizzle-orm';
import type { Conn } from '../../../db/client.ts';
import { kbArticles, kbDictionaries, kbTerms } from '../kb.schema.ts';
import { EMPTY_DICTIONARY, terms, userDictionary, type UserDictionary } from './segment.ts';
import { synonymMembers } from './index-text.ts';
import type { SynonymMap } from './parse-query.ts';

/**
 * A company's search dictionary: the words jieba must keep whole and the synonym groups. Each node
 * caches it per company and checks the stored version (one primary-key read) before every search,
 * so a keyword added on one node is used by all of them from the next search on.
 */

export interface SearchDictionary {
  version: number;
  words: UserDictionary;
  synonyms: SynonymMap;
  articleCount: number;
}

const EMPTY: SearchDictionary = { version: 0, words: EMPTY_DICTIONARY, synonyms: new Map(), articleCount: 0 };
const cache = new Map<string, SearchDictionary>();

/** The company's dictionary, from this node's cache when the stored version is still the same. */
export async function loadDictionary(db: Conn, tenantId: string): Promise<SearchDictionary> {
  return (await loadDictionaryWithCounts(db, tenantId, () => [])).dict;
}

/**
 * The dictionary and, in the same round trip, in how many articles each of `termsOf(dictionary)`
 * occurs. The terms are first taken with this node's cached dictionary; only when the stored one
 * changed are they taken again with it (and counted again).
 */
export async function loadDictionaryWithCounts(db: Conn, tenantId: string, termsOf: (d: SearchDictionary) => string[]): Promise<{ dict: SearchDictionary; dfs: Map<string, number> }> {
  const cached = cache.get(tenantId);
  const guess = termsOf(cached ?? EMPTY);
  const [row] = await db.select({
    version: kbDictionaries.version,
    articleCount: kbDictionaries.articleCount,
    // only sent when this node's copy is stale
    words: sql<string[] | null>`case when ${kbDictionaries.version} <> ${cached?.version ?? -1} then ${kbDictionaries.words} end`,
    synonyms: sql<Record<string, string[]> | null>`case when ${kbDictionaries.version} <> ${cached?.version ?? -1} then ${kbDictionaries.synonyms} end`,
    dfs: countsOf(tenantId, guess),
  }).from(kbDictionaries).where(eq(kbDictionaries.tenantId, tenantId));
  if (!row) return { dict: EMPTY, dfs: new Map() };
  if (cached && cached.version === row.version) {
    if (cached.articleCount !== row.articleCount) cache.set(tenantId, { ...cached, articleCount: row.articleCount });
    return { dict: cache.get(tenantId)!, dfs: new Map(Object.entries(row.dfs ?? {})) };
  }
  const dict: SearchDictionary = {
    version: row.version,
    words: userDictionary(row.words ?? []),
    synonyms: new Map(Object.entries(row.synonyms ?? {})),
    articleCount: row.articleCount,
  };
  cache.set(tenantId, dict);
  const terms = termsOf(dict);
  if (terms.join('\n') === guess.join('\n')) return { dict, dfs: new Map(Object.entries(row.dfs ?? {})) };
  const [again] = await db.select({ dfs: countsOf(tenantId, terms) }).from(kbDictionaries).where(eq(kbDictionaries.tenantId, tenantId));
  return { dict, dfs: new Map(Object.entries(again?.dfs ?? {})) };
}

function countsOf(tenantId: string, terms: string[]) {
  return terms.length
    ? sql<Record<string, number> | null>`(select json_object_agg(${kbTerms.term}, ${kbTerms.df}) from ${kbTerms} where ${kbTerms.tenantId} = ${tenantId} and ${kbTerms.term} in (${sql.join(terms.map((t) => sql`${t}`), sql`, `)}))`
    : sql<Record<string, number> | null>`null::json`;
}

export interface DictionarySource { keywords: readonly string[]; synonyms: readonly string[] }

/** The dictionary words and synonym map of a set of articles (keywords and synonym members, Chinese ones cut whole). */
export function compileDictionary(articles: readonly DictionarySource[]): { words: string[]; synonyms: Record<string, string[]> } {
  const words = new Set<string>();
  const groups: string[][] = [];
  for (const a of articles) {
    for (const k of a.keywords) words.add(k.trim());
    for (const g of a.synonyms) {
      const members = synonymMembers(g);
      members.forEach((m) => words.add(m));
      if (members.length > 1) groups.push(members);
    }
  }
  const dict = userDictionary(words);
  const map = new Map<string, Set<string>>();
  for (const members of groups) {
    const keys = [...new Set(members.map((m) => terms(m, dict).join(' ')).filter(Boolean))];
    for (const k of keys) {
      const set = map.get(k) ?? new Set<string>();
      for (const other of keys) if (other !== k) set.add(other);
      map.set(k, set);
    }
  }
  return {
    words: [...dict.words].sort(),
    synonyms: Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, [...v].sort()])),
  };
}

/**
 * Rebuilds a company's dictionary from all its articles and bumps the version; returns the words
 * that are new to it (articles mentioning them must be re-segmented).
 */
export async function rebuildDictionary(db: Conn, tenantId: string): Promise<{ added: string[]; dictionary: UserDictionary }> {
  // lock first, read after: a rebuild waiting here then sees the articles the one before it committed
  const [before] = await db.select({ words: kbDictionaries.words }).from(kbDictionaries).where(eq(kbDictionaries.tenantId, tenantId)).for('update');
  const rows = await db.select({ keywords: kbArticles.keywords, synonyms: kbArticles.synonyms }).from(kbArticles)
    .where(sql`${kbArticles.tenantId} = ${tenantId} and (cardinality(${kbArticles.keywords}) > 0 or cardinality(${kbArticles.synonyms}) > 0)`);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(kbArticles).where(eq(kbArticles.tenantId, tenantId));
  const compiled = compileDictionary(rows);
  const old = new Set(before?.words ?? []);
  const changed = !before || before.words.join('\n') !== compiled.words.join('\n');
  await db.insert(kbDictionaries).values({ tenantId, words: compiled.words, synonyms: compiled.synonyms, articleCount: n })
    .onConflictDoUpdate({
      target: kbDictionaries.tenantId,
      set: { words: compiled.words, synonyms: compiled.synonyms, articleCount: n, version: sql`${kbDictionaries.version} + 1`, updatedAt: sql`now()` },
    });
  return { added: changed ? compiled.words.filter((w) => !old.has(w)) : [], dictionary: userDictionary(compiled.words) };
}
