import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Conn } from '../../../db/client.ts';
import { kbArticles, type KbArticle } from '../kb.schema.ts';
import { loadDictionaryWithCounts, type SearchDictionary } from './dictionary.ts';
import { focusWindow, highlightRanges, snippet, termMatcher, type Highlighted } from './highlight.ts';
import { termWeight, type UserDictionary } from './segment.ts';
import { candidateTsquery, fuzzyExtras, groupTsquery, parseQuery, phraseTsquery, type ParsedQuery, type SearchMode } from './parse-query.ts';
import { idf, prepareDoc, RANK_WEIGHTS, rankCandidates, type Candidate } from './rank.ts';
import { stem } from './stem.ts';

/**
 * The knowledge-base search: one function for the help center, the agent sidebar and the robot.
 * 1. the query is segmented like the articles (the company's dictionary, synonyms expanded);
 * 2. PostgreSQL finds candidates through the GIN indexes (tsvector, and pg_trgm for Latin typos) and
 *    keeps the best CANDIDATES by ts_rank;
 * 3. rank.ts scores them (best question, coverage, rarity of words); ties are broken by id, so PGlite
 *    and PostgreSQL answer the same list;
 * 4. the page's articles are loaded and highlighted (text ranges, never markup).
 */

export const CANDIDATES = 200;
const TRIGRAM_CANDIDATES = 50;
/** Words of a query beyond this many are ignored (a question, not a document). */
const MAX_GROUPS = 24;
const SNIPPET_SOURCE_CHARS = 20_000;

export interface SearchInput {
  tenantId: string;
  q: string;
  mode: SearchMode;
  /** Row filters on kb_articles (status, visibility, locale, categories); the tenant is added here. */
  where?: SQL;
  limit: number;
  offset: number;
}

/** What a hit carries of its article: the summary fields and (the start of) its body text. */
export type HitArticle = Pick<KbArticle, 'id' | 'kind' | 'title' | 'categoryId' | 'locale' | 'visibility' | 'status' | 'version' | 'publishedAt' | 'views' | 'helpfulYes' | 'helpfulNo' | 'updatedAt' | 'bodyText'>;

export interface SearchHit {
  article: HitArticle;
  score: number;
  title: Highlighted;
  snippet: Highlighted;
}

export interface SearchResult {
  hits: SearchHit[];
  /** How many articles matched (counted among the best CANDIDATES, so at most that). */
  total: number;
  /** The terms the query was understood as, synonyms included (shown as "searched for …"). */
  terms: string[];
}

const EMPTY_RESULT: SearchResult = { hits: [], total: 0, terms: [] };

/** The query understood with the company's dictionary: what a search runs with. */
export async function understand(db: Conn, tenantId: string, q: string, mode: SearchMode): Promise<{ parsed: ParsedQuery; weights: number[]; unknown: Set<string>; dict: SearchDictionary }> {
  let parsed: ParsedQuery | undefined;
  const parse = (d: SearchDictionary) => {
    parsed = parseQuery(q, mode, d.words, d.synonyms);
    parsed.groups = parsed.groups.slice(0, MAX_GROUPS);
    return [...new Set(parsed.groups.flatMap((g) => g.terms))];
  };
  const { dict, dfs } = await loadDictionaryWithCounts(db, tenantId, parse);
  const own = parse(dict);
  // a group weighs as its rarest own term (function words less); an unknown term is as rare as a term can be
  const weights = parsed!.groups.map((g) => Math.max(...g.terms.map((t) => idf(dfs.get(t) ?? 0, dict.articleCount) * termWeight(t))));
  // words no article has: typos or parts of words, the only ones fuzzy matching needs to look at
  const unknown = new Set(own.filter((t) => !dfs.has(t)));
  return { parsed: parsed!, weights, unknown, dict };
}

export async function searchArticles(db: Conn, input: SearchInput): Promise<SearchResult> {
  const { parsed, weights, unknown, dict } = await understand(db, input.tenantId, input.q, input.mode);
  const finding = candidateGroups(parsed, weights, dict.articleCount);
  const tsq = candidateTsquery(finding.query, unknown);
  const latin = parsed.mode === 'fuzzy' ? parsed.latin.filter((w) => unknown.has(stem(w))).slice(0, 8) : [];
  if (!tsq && !latin.length) return EMPTY_RESULT;

  const scope = and(eq(kbArticles.tenantId, input.tenantId), input.where)!;
  const a = kbArticles;
  const branches: SQL[] = [];
  if (tsq) {
    let match = sql`${a.searchTsv} @@ ${tsq}::tsquery`;
    if (parsed.mode === 'exact') {
      // in this order, next to each other; or, for Chinese cut differently in context, the text itself
      const phrase = phraseTsquery(parsed)!;
      match = sql`${match} and (${a.searchTsv} @@ ${phrase}::tsquery or strpos(${a.title}, ${parsed.text}) > 0 or strpos(${a.bodyText}, ${parsed.text}) > 0 or strpos(array_to_string(${a.paraphrases}, ' '), ${parsed.text}) > 0 or strpos(array_to_string(${a.keywords}, ' '), ${parsed.text}) > 0)`;
    }
    branches.push(sql`(select ${a.id} as id from ${a} where ${scope} and ${match} order by ${prefilterScore(parsed, weights, fuzzyExtras(parsed, unknown))} desc, ts_rank('{0.1, 0.2, 0.4, 1.0}', ${a.searchTsv}, ${tsq}::tsquery, 1) desc, ${a.id} limit ${CANDIDATES})`);
  }
  if (latin.length) {
    const near = sql.join(latin.map((w) => sql`${a.fuzzyText} %> ${w}`), sql` or `);
    const best = sql`greatest(${sql.join(latin.map((w) => sql`word_similarity(${w}, ${a.fuzzyText})`), sql`, `)})`;
    branches.push(sql`(select ${a.id} as id from ${a} where ${scope} and (${near}) order by ${best} desc, ${a.id} limit ${TRIGRAM_CANDIDATES})`);
  }
  const bodyMask = parsed.groups.length
    ? sql.join(parsed.groups.map((g, i) => sql`(case when ${a.searchTsv} @@ ${groupTsquery(g, ':C')}::tsquery then ${1 << i} else 0 end)`), sql` + `)
    : sql`0`;
  const rank = tsq ? sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', ${a.searchTsv}, ${tsq}::tsquery)` : sql`0`;

  const rows = await queryRows<{ id: string; title: string; paraphrases: string; title_line: string; phrases_line: string; body_mask: number; rank: number }>(db, sql`
    -- paraphrases as JSON text: parsing text[] in the driver costs more than the whole query
    with c as (${sql.join(branches, sql` union `)})
    select ${a.id} as id, ${a.title} as title, to_json(${a.paraphrases})::text as paraphrases, split_part(${a.searchText}, E'\n', 1) as title_line, split_part(${a.searchText}, E'\n', 2) as phrases_line,
      ${bodyMask} as body_mask, ${rank}::float8 as rank
    from c join ${a} on ${a.id} = c.id`);

  const candidates: Candidate[] = rows.map((r) => ({
    id: r.id, doc: prepareDoc(r.id, r.title_line, r.phrases_line, r.title, r.paraphrases), bodyMask: Number(r.body_mask), rank: Number(r.rank),
  }));
  const ranked = rankCandidates(parsed, weights, candidates, unknown);
  const page = ranked.slice(input.offset, input.offset + input.limit);
  if (!page.length) return { hits: [], total: ranked.length, terms: termsOf(parsed) };

  const articles: HitArticle[] = await db.select({
    id: a.id, kind: a.kind, title: a.title, categoryId: a.categoryId, locale: a.locale, visibility: a.visibility, status: a.status,
    version: a.version, publishedAt: a.publishedAt, views: a.views, helpfulYes: a.helpfulYes, helpfulNo: a.helpfulNo, updatedAt: a.updatedAt,
    bodyText: sql<string>`left(${a.bodyText}, ${SNIPPET_SOURCE_CHARS})`,
  })
    .from(a).where(and(scope, inArray(a.id, page.map((p) => p.id))));
  const byId = new Map(articles.map((r) => [r.id, r]));
  const matches = termMatcher(parsed);
  const hits: SearchHit[] = [];
  for (const p of page) {
    const article = byId.get(p.id);
    if (!article) continue; // deleted between the two reads
    hits.push({
      article, score: Math.round(p.score * 10_000) / 10_000,
      title: { text: article.title, ranges: highlightRanges(article.title, matches, dict.words) },
      snippet: snippetOf(article.bodyText, parsed, matches, dict.words),
    });
  }
  return { hits, total: ranked.length, terms: termsOf(parsed) };
}

function snippetOf(body: string, q: ParsedQuery, matches: (term: string) => boolean, dict: UserDictionary): Highlighted {
  const w = focusWindow(body, q);
  const ranges = highlightRanges(w.text, matches, dict).map(([s, e]): [number, number] => [s + w.start, e + w.start]);
  return snippet(body, ranges);
}

/** Above this share of a company's articles, a word is too common to look candidates up by. */
const COMMON_SHARE = 0.05;
const COMMON_MIN_ARTICLES = 2_000;

/**
 * The query words candidates are looked up by: in a large knowledge base, words most articles hold
 * ("怎么", "card") are left to ranking when the query has rarer ones, so the index is not asked for
 * tens of thousands of rows to throw away. Exact mode needs every word and keeps them all.
 */
function candidateGroups(q: ParsedQuery, weights: number[], articles: number): { query: ParsedQuery; weights: number[] } {
  if (q.mode === 'exact' || articles < COMMON_MIN_ARTICLES) return { query: q, weights };
  const threshold = idf(Math.ceil(articles * COMMON_SHARE), articles);
  const keep = q.groups.map((_, i) => weights[i] >= threshold);
  if (!keep.some(Boolean) || keep.every(Boolean)) return { query: q, weights };
  return { query: { ...q, groups: q.groups.filter((_, i) => keep[i]) }, weights: weights.filter((_, i) => keep[i]) };
}

/**
 * How candidates are chosen when more match than CANDIDATES: by the rarity of all the query words
 * they hold (idf, as ranking weighs them; the common words left out of the lookup count here too), a
 * word in title or questions counting fully, in the body half, inside a longer word (快递 in 快递费)
 * as ranking counts a partial match. Without this, a common word ("哪个") could fill every candidate
 * place before the one article holding the rare word ("快递") is looked at. Ties: ts_rank, shorter
 * articles first (normalization 1), then id.
 */
function prefilterScore(q: ParsedQuery, weights: number[], extras: string[]): SQL {
  const a = kbArticles;
  const w = (x: number) => sql.raw((Math.round(x * 1000) / 1000).toFixed(3));
  const parts = q.groups.map((g, i) => sql`(case when ${a.searchTsv} @@ ${groupTsquery(g, ':AB')}::tsquery then ${w(weights[i])} when ${a.searchTsv} @@ ${groupTsquery(g, ':C')}::tsquery then ${w(weights[i] / 2)} when ${a.searchTsv} @@ ${groupTsquery(g)}::tsquery then ${w(weights[i] * RANK_WEIGHTS.partial)} else 0 end)`);
  // fuzzy: character pairs and prefixes count a little, together
  if (extras.length) {
    const mean = weights.length ? weights.reduce((x, y) => x + y, 0) / weights.length : 1;
    parts.push(sql`(case when ${a.searchTsv} @@ ${extras.join(' | ')}::tsquery then ${w(mean / 4)} else 0 end)`);
  }
  return parts.length ? sql.join(parts, sql` + `) : sql`0`;
}

const termsOf = (q: ParsedQuery) => [...new Set(q.groups.flatMap((g) => g.options.map((o) => o.join(' '))))];
