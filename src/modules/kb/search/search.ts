import diagnostics from 'node:diagnostics_channel';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Conn } from '../../../db/client.ts';
import { kbArticles, kbTerms, questionsTsv, type KbArticle } from '../kb.schema.ts';
import { loadDictionaryWithCounts, type SearchDictionary } from './dictionary.ts';
import { focusWindow, highlightRanges, snippet, termMatcher, type Highlighted } from './highlight.ts';
import { isHanTerm, termWeight, type UserDictionary } from './segment.ts';
import { candidateTsquery, fuzzyExtras, groupTsquery, parseQuery, phraseTsquery, type ParsedQuery, type QueryGroup, type SearchMode } from './parse-query.ts';
import { idf, prepareDoc, rankCandidates, type Candidate, type Scored } from './rank.ts';
import { charLookup, charScore, charTsquery, fallbackChars } from './char-fallback.ts';
import { rarestWithin } from './row-budget.ts';

/**
 * The knowledge-base search: one function for the help center, the agent sidebar and the robot.
 * 1. the query is segmented like the articles (the company's dictionary, synonyms expanded); in fuzzy
 *    mode, Latin words no article has are corrected to the company's vocabulary (pg_trgm on kb_terms);
 * 2. PostgreSQL finds candidates through the GIN index, looked up by the query's rarer words (a
 *    bounded number of rows, see lookupFor), and keeps the best CANDIDATES (prefilterScore);
 * 3. rank.ts scores them (best question, coverage, rarity of words); ties are broken by id, so PGlite
 *    and PostgreSQL answer the same list;
 * 4. the page's articles are loaded and highlighted (text ranges, never markup).
 */

export const CANDIDATES = 200;
/** Words of a query beyond this many are ignored (a question, not a document). */
const MAX_GROUPS = 24;
const SNIPPET_SOURCE_CHARS = 8_000;

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
  /** Share of the query the article's questions cover (rank.ts), 0…1. */
  coverage: number;
  title: Highlighted;
  snippet: Highlighted;
}

export interface SearchResult {
  hits: SearchHit[];
  /** How many articles matched (counted among the best CANDIDATES, so at most that). */
  total: number;
  /** The terms the query was understood as, synonyms included (shown as "searched for …"). */
  terms: string[];
  /** fuzzy, no word found: these hits only share Chinese characters with the query (char-fallback.ts), guesses the robot never answers from. */
  byCharacters?: boolean;
}

const EMPTY_RESULT: SearchResult = { hits: [], total: 0, terms: [] };

/** Where a search's time went, for bench/kb-search.ts --slowest (published only while someone listens). */
export interface SearchPhases { q: string; mode: SearchMode; startedAt: number; understandMs: number; candidatesMs: number; candidates: number; rankMs: number; pageMs: number }
export const searchPhasesChannel = diagnostics.channel('kefu:kb-search-phases');

/** The query understood with the company's dictionary: what a search runs with. */
export async function understand(db: Conn, tenantId: string, q: string, mode: SearchMode): Promise<{ parsed: ParsedQuery; weights: number[]; unknown: Set<string>; corrected: ReadonlyMap<string, number>; dfs: Map<string, number>; dict: SearchDictionary }> {
  let parsed: ParsedQuery | undefined;
  const parse = (d: SearchDictionary) => {
    parsed = parseQuery(q, mode, d.words, d.synonyms);
    parsed.groups = parsed.groups.slice(0, MAX_GROUPS);
    return [...new Set([...parsed.groups.flatMap((g) => g.terms), ...parsed.bigrams])];
  };
  const { dict, dfs } = await loadDictionaryWithCounts(db, tenantId, parse);
  parse(dict);
  const own = [...new Set(parsed!.groups.flatMap((g) => g.terms))];
  // words no article has: typos or parts of words, the only ones fuzzy matching needs to look at
  const unknown = new Set(own.filter((t) => !dfs.has(t)));
  const corrected = mode === 'fuzzy' ? await correctTypos(db, tenantId, parsed!, unknown, dfs, dict.articleCount) : new Map<string, number>();
  // a group weighs as its rarest own term (function words less); an unknown term is as rare as a term
  // can be, unless it was corrected to a known word: then as that word, times how close the two are
  const weights = parsed!.groups.map((g) => corrected.get(g.terms.join(' '))
    ?? Math.max(...g.terms.map((t) => idf(dfs.get(t) ?? 0, dict.articleCount) * termWeight(t))));
  return { parsed: parsed!, weights, unknown, corrected, dfs, dict };
}

/** Smallest trigram similarity for a word of the company's vocabulary to stand in for a typo. */
const TYPO_SIMILARITY = 0.45;

/**
 * fuzzy: Latin-script words no article has ("acount") are looked up in the company's vocabulary
 * (kb_terms, trigram-indexed) and the closest words become alternatives of that query word. Returns
 * the weight of each corrected group (idf of the correction × similarity), keyed by its terms.
 */
async function correctTypos(db: Conn, tenantId: string, q: ParsedQuery, unknown: ReadonlySet<string>, dfs: Map<string, number>, articles: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const words = [...unknown].filter((t) => !isHanTerm(t) && t.length >= 4 && !/^\d+$/.test(t)).slice(0, 4);
  if (!words.length) return out;
  const rows = await queryRows<{ w: string; term: string; df: number; s: number }>(db, sql`
    select v.w, x.term, x.df, x.s from (values ${sql.join(words.map((w) => sql`(${w}::text)`), sql`, `)}) as v(w)
    cross join lateral (
      select ${kbTerms.term} as term, ${kbTerms.df} as df, similarity(${kbTerms.term}, v.w)::float8 as s from ${kbTerms}
      where ${kbTerms.tenantId} = ${tenantId} and ${kbTerms.term} % v.w and ${kbTerms.term} ~ '^[a-z0-9]+$'
      order by s desc, df desc, term limit 2
    ) as x`);
  for (const g of q.groups) {
    if (g.terms.length !== 1 || !unknown.has(g.terms[0])) continue;
    for (const r of rows.filter((x) => x.w === g.terms[0] && Number(x.s) >= TYPO_SIMILARITY)) {
      g.options.push([r.term]);
      dfs.set(r.term, Number(r.df));
      const w = idf(Number(r.df), articles) * Number(r.s);
      out.set(g.terms[0], Math.max(out.get(g.terms[0]) ?? 0, w));
    }
  }
  return out;
}

export async function searchArticles(db: Conn, input: SearchInput): Promise<SearchResult> {
  const t0 = performance.now();
  const { parsed, weights, unknown, corrected, dfs, dict } = await understand(db, input.tenantId, input.q, input.mode);
  const t1 = performance.now();
  const lookup = lookupFor(parsed, weights, dfs, unknown, dict.articleCount);
  const tsq = lookup.tsq;
  const scope = and(eq(kbArticles.tenantId, input.tenantId), input.where)!;
  if (!tsq) return parsed.mode === 'fuzzy' ? byCharacters(db, input, scope, parsed, dict) : EMPTY_RESULT;

  const a = kbArticles;
  let match = lookup.questionsOnly ? sql`${questionsTsv(a.searchTsv)} @@ ${tsq}::tsquery` : sql`${a.searchTsv} @@ ${tsq}::tsquery`;
  if (parsed.mode === 'exact') {
    // in this order, next to each other; or, for Chinese cut differently in context, the text itself
    const phrase = phraseTsquery(parsed)!;
    match = sql`${match} and (${a.searchTsv} @@ ${phrase}::tsquery or strpos(${a.title}, ${parsed.text}) > 0 or strpos(${a.bodyText}, ${parsed.text}) > 0 or strpos(array_to_string(${a.paraphrases}, ' '), ${parsed.text}) > 0 or strpos(array_to_string(${a.keywords}, ' '), ${parsed.text}) > 0)`;
  }
  const best = sql`select ${a.id} as id from ${a} where ${scope} and ${match} order by ${prefilterScore(lookup.groups, lookup.weights)} desc, ts_rank('{0.1, 0.2, 0.4, 1.0}', ${a.searchTsv}, ${tsq}::tsquery, 1) desc, ${a.id} limit ${CANDIDATES}`;
  const bodyMask = parsed.groups.length
    ? sql.join(parsed.groups.map((g, i) => sql`(case when ${a.searchTsv} @@ ${groupTsquery(g, ':C')}::tsquery then ${1 << i} else 0 end)`), sql` + `)
    : sql`0`;
  const rank = sql`ts_rank('{0.1, 0.2, 0.4, 1.0}', ${a.searchTsv}, ${tsq}::tsquery)`;

  const rows = await queryRows<{ id: string; title: string; paraphrases: string; title_line: string; phrases_line: string; body_mask: number; rank: number }>(db, sql`
    -- paraphrases as JSON text: parsing text[] in the driver costs more than the whole query
    with c as (${best})
    select ${a.id} as id, ${a.title} as title, to_json(${a.paraphrases})::text as paraphrases, split_part(${a.searchText}, E'\n', 1) as title_line, split_part(${a.searchText}, E'\n', 2) as phrases_line,
      ${bodyMask} as body_mask, ${rank}::float8 as rank
    from c join ${a} on ${a.id} = c.id`);

  const t2 = performance.now();
  const candidates: Candidate[] = rows.map((r) => ({
    id: r.id, doc: prepareDoc(r.id, r.title_line, r.phrases_line, r.title, r.paraphrases), bodyMask: Number(r.body_mask), rank: Number(r.rank),
  }));
  const ranked = rankCandidates(parsed, weights, candidates, unknown);
  if (!ranked.length && parsed.mode === 'fuzzy') return byCharacters(db, input, scope, parsed, dict);
  const t3 = performance.now();
  const result = await pageOf(db, input, scope, ranked, parsed, dict);
  if (searchPhasesChannel.hasSubscribers) {
    const p: SearchPhases = { q: input.q, mode: input.mode, startedAt: t0, understandMs: t1 - t0, candidatesMs: t2 - t1, candidates: rows.length, rankMs: t3 - t2, pageMs: performance.now() - t3 };
    searchPhasesChannel.publish(p);
  }
  return result;
}

/** The asked-for page of ranked hits: their articles loaded and highlighted. */
async function pageOf(db: Conn, input: SearchInput, scope: SQL, ranked: Scored[], parsed: ParsedQuery, dict: SearchDictionary): Promise<SearchResult> {
  const a = kbArticles;
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
      article, score: Math.round(p.score * 10_000) / 10_000, coverage: Math.round(p.coverage * 10_000) / 10_000,
      title: { text: article.title, ranges: highlightRanges(article.title, matches, dict.words) },
      snippet: snippetOf(article.bodyText, parsed, matches, dict.words),
    });
  }
  return { hits, total: ranked.length, terms: termsOf(parsed) };
}

/** Hits of the character fallback score at most this: far below any article sharing a word with the query. */
const BY_CHARACTERS_WEIGHT = 0.1;

/** fuzzy, no word of the query found: articles sharing its Chinese characters (char-fallback.ts), marked as such. */
async function byCharacters(db: Conn, input: SearchInput, scope: SQL, parsed: ParsedQuery, dict: SearchDictionary): Promise<SearchResult> {
  const chars = fallbackChars(parsed.text);
  const all = charTsquery(chars);
  if (!all) return EMPTY_RESULT;
  const tsq = charLookup(chars, await charCounts(db, input.tenantId, chars), LOOKUP_BUDGET);
  if (!tsq) return EMPTY_RESULT;
  const a = kbArticles;
  // most of the query's characters first, then shortest articles (normalization 2): the Dice score
  // below prefers short questions too
  const rows = await queryRows<{ id: string; title: string; paraphrases: string }>(db, sql`
    select ${a.id} as id, ${a.title} as title, to_json(${a.paraphrases})::text as paraphrases from ${a}
    where ${scope} and ${a.searchTsv} @@ ${tsq}::tsquery
    order by ts_rank('{0.1, 0.2, 0.4, 1.0}', ${a.searchTsv}, ${all}::tsquery, 2) desc, ${a.id} limit ${CANDIDATES}`);
  const ranked: Scored[] = rows
    .map((r) => ({ id: r.id, score: BY_CHARACTERS_WEIGHT * charScore(chars, [r.title, ...((JSON.parse(r.paraphrases) as string[] | null) ?? [])]), coverage: 0 }))
    .filter((x) => x.score > 0)
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (!ranked.length) return EMPTY_RESULT;
  return { ...(await pageOf(db, input, scope, ranked, parsed, dict)), byCharacters: true };
}

/** For each character, the article counts of the company's words starting with it, summed (kb_terms_first_char_idx). */
async function charCounts(db: Conn, tenantId: string, chars: readonly string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ c: string; n: number }>(db, sql`
    select left(${kbTerms.term}, 1) as c, sum(${kbTerms.df})::int as n from ${kbTerms}
    where ${kbTerms.tenantId} = ${tenantId} and left(${kbTerms.term}, 1) in (${sql.join(chars.map((c) => sql`${c}`), sql`, `)})
    group by 1`);
  return new Map(rows.map((r) => [r.c, Number(r.n)]));
}

function snippetOf(body: string, q: ParsedQuery, matches: (term: string) => boolean, dict: UserDictionary): Highlighted {
  const w = focusWindow(body, q);
  const ranges = highlightRanges(w.text, matches, dict).map(([s, e]): [number, number] => [s + w.start, e + w.start]);
  return snippet(body, ranges);
}

/** About how many matching rows candidates are looked up from: ranking them all costs ~2 µs a row. */
const LOOKUP_BUDGET = 1_500;

/**
 * Words asked together occur together far more often than independence predicts (same topic, same
 * language): on bench/kb-search.ts's 100,000 articles, articles with two of "need help … work" were
 * 3,782 where independence said 977. The lookup's row estimate is scaled by this.
 */
const CO_OCCURRENCE = 4;

export interface Lookup {
  tsq: string | null; groups: QueryGroup[]; weights: number[];
  /** Look the words up in the articles' questions only (title, keywords, paraphrases: kb_articles_questions_idx). */
  questionsOnly?: boolean;
}

/**
 * What candidates are looked up by, so that however common a query's words are, the database ranks
 * a bounded number of rows: the rarest words (by their article counts) while their counts add up to
 * LOOKUP_BUDGET; when even the rarest is more common than that, articles whose questions (title,
 * keywords, paraphrases) hold at least two of the three rarest words (all three, if two would still be
 * too many): common words in answers are noise, and at 100,000 articles 机器人 was in 7,410 articles
 * but in the questions of 1,658. Ranking still reads every word of the query. Exact mode needs every
 * word anyway.
 */
export function lookupFor(q: ParsedQuery, weights: number[], dfs: ReadonlyMap<string, number>, unknown: ReadonlySet<string>, articles: number): Lookup {
  if (q.mode === 'exact') return { tsq: candidateTsquery(q), groups: q.groups, weights };
  // rows a word finds: each of its options (its own terms, a synonym, a typo's correction) at most as many as its rarest term
  const dfOf = (g: QueryGroup) => g.options.reduce((sum, o) => sum + Math.min(...o.map((t) => dfs.get(t) ?? 0)), 0);
  const order = q.groups.map((_, i) => i).sort((x, y) => dfOf(q.groups[x]) - dfOf(q.groups[y]) || x - y);
  const { taken: chosen, rows: chosenRows } = rarestWithin(order, (i) => dfOf(q.groups[i]), LOOKUP_BUDGET);
  let rows = chosenRows;
  const extras = fuzzyExtras(q, unknown).filter((x) => {
    const term = /^'(.*)'(?::\*)?$/.exec(x)?.[1] ?? '';
    const df = dfs.get(term) ?? 0; // a prefix of an unknown word: rare by definition
    if (rows + df > LOOKUP_BUDGET) return false;
    rows += df;
    return true;
  });
  const pick = (ids: number[]) => ({ groups: ids.map((i) => q.groups[i]), weights: ids.map((i) => weights[i]) });
  if (chosen.length || extras.length) {
    const parts = [...chosen.map((i) => groupTsquery(q.groups[i])), ...extras];
    return { tsq: parts.length ? parts.join(' | ') : null, ...pick(chosen.length ? chosen : order.slice(0, 1)) };
  }
  // every word is common: articles whose questions hold two of the three rarest (or the only word there is)
  const top = order.slice(0, 3);
  return { tsq: commonWordsTsquery(q, top, dfOf, articles), ...pick(top), questionsOnly: true };
}

/** Two of the three rarest of the query's common words (all three when two would still be too many), or the only one. */
function commonWordsTsquery(q: ParsedQuery, top: number[], dfOf: (g: QueryGroup) => number, articles: number): string | null {
  if (top.length < 2) return candidateTsquery({ ...q, groups: top.map((i) => q.groups[i]) });
  const g = top.map((i) => groupTsquery(q.groups[i]));
  const d = top.map((i) => dfOf(q.groups[i]) / Math.max(articles, 1));
  // expected rows if the words were independent, times how much more often a question's words occur
  // together than that; two of three too many → all three
  const twoOfThree = CO_OCCURRENCE * (top.length === 3 ? (d[0] * d[1] + d[0] * d[2] + d[1] * d[2]) * articles : d[0] * d[1] * articles);
  if (top.length === 3 && twoOfThree > LOOKUP_BUDGET) return `${g[0]} & ${g[1]} & ${g[2]}`;
  const pairs = top.length === 2 ? [`${g[0]} & ${g[1]}`] : [`${g[0]} & ${g[1]}`, `${g[0]} & ${g[2]}`, `${g[1]} & ${g[2]}`];
  return pairs.map((p) => `(${p})`).join(' | ');
}

/**
 * How candidates are chosen when more match than CANDIDATES: by the rarity of the query words they
 * hold (idf, as ranking weighs them), a word in title or questions counting fully, elsewhere (body,
 * inside a longer word) half. Without this, a common word ("哪个") could fill every candidate place
 * before the one article holding the rare word ("快递") is looked at. Ties: ts_rank, shorter articles
 * first (normalization 1), then id.
 */
function prefilterScore(groups: QueryGroup[], weights: number[]): SQL {
  const a = kbArticles;
  const w = (x: number) => sql.raw((Math.round(x * 1000) / 1000).toFixed(3));
  // anywhere first, then where: most rows hold few of the words, so a word they lack costs one test, not two
  // (a long banking77 question, 8 of its words in the lookup, 1,022 rows: choosing the 200 candidates 21 → 15 ms)
  const parts = groups.map((g, i) => sql`(case when ${a.searchTsv} @@ ${groupTsquery(g)}::tsquery then (case when ${a.searchTsv} @@ ${groupTsquery(g, ':AB')}::tsquery then ${w(weights[i])} else ${w(weights[i] / 2)} end) else 0 end)`);
  // a bare 0 in ORDER BY would name a select-list column (a fuzzy query of particles only was a 500)
  return parts.length ? sql.join(parts, sql` + `) : sql`0::float8`;
}

const termsOf = (q: ParsedQuery) => [...new Set(q.groups.flatMap((g) => g.options.map((o) => o.join(' '))))];
