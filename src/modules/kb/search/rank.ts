import { bigrams, isHanTerm, subwords, termWeight } from './segment.ts';
import type { ParsedQuery, QueryGroup } from './parse-query.ts';
import { parseIndexPhrases, type IndexedPhrase } from './index-text.ts';
import { GenerationalCache } from './generational-cache.ts';
import { charScore, fallbackChars } from './char-fallback.ts';

/**
 * Ranking, as a pure function of what the database found. An FAQ is a handful of ways to ask one
 * thing, so an article scores as its best single question (title or paraphrase): how much of the
 * query it covers (rare words count more) and how much of it the query covers (a short question that
 * the query says nearly all of beats a long one that merely mentions the same words). Body matches,
 * whole-article coverage and PostgreSQL's own ts_rank add smaller amounts.
 */

/** One question (or clause) of an article; its lookup sets are built when a query first touches it. */
export interface DocPhrase { terms: string[]; weight: number; view?: PhraseView }

/** An article's questions as ranking reads them (see prepareDoc). */
export interface PreparedDoc {
  /** The title, keywords, synonyms, paraphrases and their clauses: terms and weight. */
  phrases: DocPhrase[];
  /** The title and paraphrases as written (paraphrases as JSON), for the word-for-word comparison. */
  rawTitle: string;
  rawParaphrasesJson: string;
  /** Their letters-and-digits forms (see literalForms), built on first use. */
  literal?: string[];
}

export interface Candidate {
  id: string;
  doc: PreparedDoc;
  /** Bit i set: group i matches the body. */
  bodyMask: number;
  /** ts_rank of the candidate tsquery, weights D,C,B,A = 0.1, 0.2, 0.4, 1. */
  rank: number;
}

/** The knobs, tuned on bench/kb-search.ts (both corpora); kept in one place so a change shows in the bench. */
export const RANK_WEIGHTS = {
  title: 1,
  phrase: 0.95,
  /** a query word found inside a longer indexed word (信用 in 信用卡) counts this much of a match */
  partial: 0.6,
  /** the indexed word found inside a longer query word */
  containing: 0.5,
  /** fuzzy: a Latin word within trigram reach of a query word, times its similarity */
  typo: 0.7,
  /** how much of a question's own words the query must cover to score full (the rest is coverage of the query) */
  questionCoverage: 0.5,
  body: 0.15,
  article: 0.1,
  tsRank: 0.05,
  /** fuzzy: best character-pair overlap of a question, as a share of the score */
  pairs: 0.8,
  /** the query written word for word in a question or one of its clauses (times shorter/longer length) */
  literal: 0.3,
  /** fuzzy: the Chinese characters a question shares with the query (Dice, best question), for words cut differently */
  chars: 0.6,
};

/** How much each term of the query weighs: BM25's inverse document frequency over the company's articles. */
export function idf(df: number, articles: number): number {
  return Math.log(1 + (Math.max(articles, df) - df + 0.5) / (df + 0.5));
}

const subwordCache = new Map<string, string[]>();
function cachedSubwords(term: string): string[] {
  let s = subwordCache.get(term);
  if (!s) {
    s = subwords(term);
    if (subwordCache.size > 50_000) subwordCache.clear();
    subwordCache.set(term, s);
  }
  return s;
}

/** Trigram similarity as pg_trgm computes it for one word each: shared trigrams over all distinct trigrams. */
export function trigramSimilarity(a: string, b: string): number {
  const ta = cachedTrigrams(a);
  const tb = cachedTrigrams(b);
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared || 1);
}
const trigramCache = new Map<string, Set<string>>();
function cachedTrigrams(word: string): Set<string> {
  let t = trigramCache.get(word);
  if (!t) {
    t = trigrams(word);
    if (trigramCache.size > 50_000) trigramCache.clear();
    trigramCache.set(word, t);
  }
  return t;
}
function trigrams(word: string): Set<string> {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** Whether any of `xs` is in `set` (a loop, not .some: ranking calls this per term of every candidate). */
function anyIn(xs: readonly string[], set: ReadonlySet<string>): boolean {
  for (const x of xs) if (set.has(x)) return true;
  return false;
}

export interface PhraseView { terms: Set<string>; parts: Set<string>; size: number }
function view(terms: string[]): PhraseView {
  const set = new Set(terms);
  const parts = new Set<string>();
  for (const t of set) if (isHanTerm(t)) for (const s of cachedSubwords(t)) parts.add(s);
  return { terms: set, parts, size: set.size };
}

const CLAUSE = /[，,。.！!？?；;、：:\n\r|｜/]+/;

/** Articles with at least this many questions and clauses are kept prepared between searches. */
const KEEP_PREPARED_FROM = 32;
interface KeptDoc { titleLine: string; phrasesLine: string; raw: string; doc: PreparedDoc }
/** Up to 20,000 long FAQs' prepared text per node. */
const kept = new GenerationalCache<string, KeptDoc>(10_000);

/**
 * The ranking view of a candidate's stored text. Only the terms are split here: most questions of a
 * candidate share no word with the query, so their lookup sets and literal forms are built lazily
 * (phraseView, literalForms), when the query first needs them. Only FAQs with many paraphrases are
 * kept between searches (while their stored text is unchanged): they cost more to take apart than to
 * score (banking77's 77 entries of ~65 questions: p50 23 ms with, 48 ms without), while keeping every
 * short article cost more than it saved — kept entries outlive V8's young generation, and at 100,000
 * articles keeping 20,000 of any size raised Node CPU per search from 9.5 to 11.6 ms (bench/kb-search.ts).
 */
export function prepareDoc(id: string, titleLine: string, phrasesLine: string, rawTitle: string, rawParaphrasesJson: string): PreparedDoc {
  const hit = kept.get(id);
  if (hit && hit.titleLine === titleLine && hit.phrasesLine === phrasesLine && hit.raw === `${rawTitle}\u0000${rawParaphrasesJson}`) return hit.doc;
  const { title, phrases } = parseIndexPhrases(titleLine, phrasesLine);
  const out: DocPhrase[] = [];
  const add = (p: IndexedPhrase, weight: number) => {
    if (p.terms.length) out.push({ terms: p.terms, weight });
    for (const clause of p.clauses) out.push({ terms: clause, weight });
  };
  add(title, RANK_WEIGHTS.title);
  for (const p of phrases) add(p, RANK_WEIGHTS.phrase);
  const doc: PreparedDoc = { phrases: out, rawTitle, rawParaphrasesJson };
  if (out.length >= KEEP_PREPARED_FROM) kept.set(id, { titleLine, phrasesLine, raw: `${rawTitle}\u0000${rawParaphrasesJson}`, doc });
  return doc;
}

function phraseView(p: DocPhrase): PhraseView {
  p.view ??= view(p.terms);
  return p.view;
}

/** The title and paraphrases as written, and their clauses, letters and digits only (see compact). */
function literalForms(doc: PreparedDoc): string[] {
  if (!doc.literal) {
    const literal = new Set<string>();
    for (const text of [doc.rawTitle, ...(JSON.parse(doc.rawParaphrasesJson) as string[])]) {
      // clause marks are punctuation, which compact drops: the whole text's form is its clauses' joined
      const clauses = text.split(CLAUSE).map(compact);
      for (const c of clauses) if (c.length >= 2) literal.add(c);
      if (clauses.length > 1) {
        const whole = clauses.join('');
        if (whole.length >= 2) literal.add(whole);
      }
    }
    doc.literal = [...literal];
  }
  return doc.literal;
}

/** How well one option (a sequence of terms) of a query group is found in a phrase, 0…1; `typos` are the terms to match loosely. */
function optionMatch(option: string[], p: PhraseView, typos: ReadonlySet<string>): number {
  let total = 0;
  for (const t of option) {
    let m = 0;
    if (p.terms.has(t)) m = 1;
    else if (p.parts.has(t)) m = RANK_WEIGHTS.partial;
    else if (isHanTerm(t) && anyIn(cachedSubwords(t), p.terms)) m = RANK_WEIGHTS.containing;
    else if (typos.has(t) && !isHanTerm(t) && t.length >= 3) {
      let best = 0;
      for (const w of p.terms) if (!isHanTerm(w)) best = Math.max(best, trigramSimilarity(t, w));
      if (best >= 0.4) m = RANK_WEIGHTS.typo * best;
    }
    total += m;
  }
  return total / option.length;
}

/** Which share of a phrase's own terms the query accounts for (exactly or as part of a word), function words weighing less. */
function phraseCovered(p: PhraseView, queryTerms: Set<string>, queryParts: Set<string>): number {
  let covered = 0;
  let total = 0;
  for (const t of p.terms) {
    const w = termWeight(t);
    total += w;
    if (queryTerms.has(t)) covered += w;
    else if (queryParts.has(t)) covered += w * RANK_WEIGHTS.containing;
    else if (isHanTerm(t) && anyIn(cachedSubwords(t), queryTerms)) covered += w * RANK_WEIGHTS.partial;
  }
  return total ? covered / total : 0;
}

/**
 * fuzzy: how many of the query's character pairs a question has (and how many of its own pairs the
 * query has). A pair of a term is two neighbouring characters of it, so "has the pair" is a substring
 * test; the question's own pairs are collected only when the query shares one.
 */
function pairScore(qPairs: string[], terms: string[]): number {
  if (!qPairs.length) return 0;
  let shared = 0;
  for (const b of qPairs) {
    // a lone character (a one-character run of the query) is a "pair" only of that one-character term
    const single = b.length === 1 || (b.length === 2 && b.codePointAt(0)! > 0xffff);
    for (const t of terms) if ((single ? t === b : t.includes(b)) && isHanTerm(t)) { shared++; break; }
  }
  if (!shared) return 0;
  const own = new Set<string>();
  for (const t of terms) if (isHanTerm(t)) for (const b of bigrams(t)) own.add(b);
  const coverage = shared / qPairs.length;
  return coverage * (1 - RANK_WEIGHTS.questionCoverage + RANK_WEIGHTS.questionCoverage * (shared / own.size));
}

export interface Scored {
  id: string;
  score: number;
  /** How much of the query (rarity-weighted) the article's questions account for, 0…1 (the robot's confidence reads it). */
  coverage: number;
}

/** Letters and digits only, lower case: how "word for word" is compared (punctuation and spaces do not count). */
export function compact(text: string): string {
  return (NFKC_STABLE.test(text) ? text : text.normalize('NFKC')).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
/**
 * Text NFKC would leave as it is, or change only in punctuation that compact drops anyway: ASCII, the
 * CJK unified ideographs, CJK and full-width punctuation, curly quotes, dashes and the ellipsis. Most
 * questions are only that, and normalizing is the dearest step of compact.
 */
const NFKC_STABLE = /^[\x00-\x7f\u4e00-\u9fff\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2010-\u2027\u00b7]*$/;
/** 1 when a question (or one of its clauses) is the query word for word; less as one only contains the other. */
function literalMatch(query: string, literal: readonly string[]): number {
  let best = 0;
  for (const p of literal) {
    if (p === query) return 1;
    if (p.length > query.length ? p.includes(query) : query.includes(p)) best = Math.max(best, Math.min(p.length, query.length) / Math.max(p.length, query.length));
  }
  return best;
}

/**
 * Scores candidates for a parsed query; `weights[i]` is group i's idf, `unknown` the query terms no
 * article has (fuzzy mode matches those loosely). Sorted best first, ties by id.
 */
export function rankCandidates(q: ParsedQuery, weights: number[], candidates: Candidate[], unknown: ReadonlySet<string> = new Set()): Scored[] {
  const fuzzy = q.mode === 'fuzzy';
  const typos = fuzzy ? unknown : new Set<string>();
  const totalWeight = weights.reduce((a, b) => a + b, 0) || 1;
  const queryTerms = new Set(q.groups.flatMap((g) => g.options.flat()));
  const queryParts = new Set<string>();
  for (const t of queryTerms) if (isHanTerm(t)) for (const s of cachedSubwords(t)) queryParts.add(s);

  const groupMatch = (g: QueryGroup, p: PhraseView) => {
    let m = 0;
    for (const o of g.options) m = Math.max(m, optionMatch(o, p, typos));
    return m;
  };
  const coverage = (p: PhraseView) => q.groups.reduce((sum, g, i) => sum + weights[i] * groupMatch(g, p), 0) / totalWeight;

  // Most questions of a long FAQ share no word with the query: find those cheaply (one lookup per
  // distinct term and query) and score only the rest.
  const pairs = new Set(q.bigrams);
  const memo = new Map<string, boolean>();
  const relevant = (t: string): boolean => {
    let r = memo.get(t);
    if (r === undefined) {
      r = queryTerms.has(t) || queryParts.has(t);
      if (!r && isHanTerm(t)) r = anyIn(cachedSubwords(t), queryTerms) || (fuzzy && bigrams(t).some((b) => pairs.has(b)));
      if (!r && typos.size && !isHanTerm(t)) for (const w of typos) if (!isHanTerm(w) && w.length >= 3 && trigramSimilarity(w, t) >= 0.4) { r = true; break; }
      memo.set(t, r);
    }
    return r;
  };

  const literalQuery = compact(q.text);
  const queryChars = fuzzy && RANK_WEIGHTS.chars ? fallbackChars(q.text) : [];
  const out: Scored[] = [];
  for (const c of candidates) {
    let best = 0;
    const matched: string[] = [];
    for (const phrase of c.doc.phrases) {
      const { terms, weight } = phrase;
      let any = false;
      for (const t of terms) if (relevant(t)) { any = true; matched.push(t); }
      if (!any) continue;
      const p = phraseView(phrase);
      const qc = coverage(p);
      let s = qc ? qc * (1 - RANK_WEIGHTS.questionCoverage + RANK_WEIGHTS.questionCoverage * phraseCovered(p, queryTerms, queryParts)) : 0;
      if (fuzzy) s = Math.max(s, RANK_WEIGHTS.pairs * pairScore(q.bigrams, terms));
      best = Math.max(best, weight * s);
    }
    if (literalQuery.length >= 2 && matched.length) best += RANK_WEIGHTS.literal * literalMatch(literalQuery, literalForms(c.doc));
    if (queryChars.length) best += RANK_WEIGHTS.chars * charScore(queryChars, literalForms(c.doc));
    // how much of the query the article's questions cover together
    const all = view(matched);
    const body = q.groups.reduce((sum, _g, i) => sum + ((c.bodyMask >> i) & 1 ? weights[i] : 0), 0) / totalWeight;
    const covered = coverage(all);
    const score = best + RANK_WEIGHTS.body * body + RANK_WEIGHTS.article * covered + RANK_WEIGHTS.tsRank * Math.min(c.rank, 1);
    out.push({ id: c.id, score, coverage: covered });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
