import { hanBigrams, isHanTerm, tokenize, type Token, type UserDictionary } from './segment.ts';
import { latinWords } from './index-text.ts';

/**
 * A search query, segmented the way articles are, with synonyms expanded.
 *   exact (全部匹配): every word, as a phrase in this order;
 *   any (部分匹配): any of the words, the more (and the rarer) the better;
 *   fuzzy: any of the words, plus parts of words and typos (character pairs for Chinese, trigrams and
 *   prefixes for Latin script).
 */
export const SEARCH_MODES = ['exact', 'any', 'fuzzy'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** Synonyms of a company: a term sequence (terms joined by spaces) → its alternatives, each the same way. */
export type SynonymMap = ReadonlyMap<string, readonly string[]>;

export interface QueryGroup {
  /** The query's own terms for this part (one term, or several when a synonym spans them). */
  terms: string[];
  /** What matches it: its own terms first, then each synonym (a sequence of terms each). */
  options: string[][];
}

export interface ParsedQuery {
  mode: SearchMode;
  /** The query as typed, trimmed: exact mode also accepts it as a plain substring of the text. */
  text: string;
  tokens: Token[];
  groups: QueryGroup[];
  /** fuzzy: character pairs of the Chinese parts of the query. */
  bigrams: string[];
  /** fuzzy: the Latin-script words as typed (unstemmed), for trigram and prefix matching. */
  latin: string[];
}

/** Longest synonym key, in terms, looked for in a query. */
const SYNONYM_SPAN = 4;

export function parseQuery(text: string, mode: SearchMode, dict: UserDictionary, synonyms: SynonymMap): ParsedQuery {
  const trimmed = text.trim();
  const tokens = tokenize(trimmed, dict);
  const terms = tokens.map((t) => t.term);
  const groups: QueryGroup[] = [];
  for (let i = 0; i < terms.length;) {
    let taken = 1;
    let alternatives: readonly string[] = [];
    if (mode !== 'exact') {
      for (let n = Math.min(SYNONYM_SPAN, terms.length - i); n >= 1; n--) {
        const alt = synonyms.get(terms.slice(i, i + n).join(' '));
        if (alt) { taken = n; alternatives = alt; break; }
      }
    }
    const own = terms.slice(i, i + taken);
    const options = [own, ...alternatives.map((a) => a.split(' ')).filter((a) => a.join(' ') !== own.join(' '))];
    // the same word twice in a query counts once
    if (!groups.some((g) => g.terms.join(' ') === own.join(' '))) groups.push({ terms: own, options });
    i += taken;
  }
  return {
    mode, text: trimmed, tokens, groups,
    bigrams: mode === 'fuzzy' ? hanBigrams(trimmed) : [],
    latin: mode === 'fuzzy' ? [...new Set(latinWords(trimmed))] : [],
  };
}

const lexeme = (term: string, weights = '') => `'${term.replace(/['\\]/g, (c) => `\\${c}`)}'${weights}`;
const sequence = (terms: readonly string[], weights = '') => terms.map((t) => lexeme(t, weights)).join(' <-> ');
const optionQuery = (o: readonly string[], weights = '') => (o.length > 1 ? `(${sequence(o, weights)})` : lexeme(o[0], weights));

/** A group as tsquery text: (own | synonym | (two <-> terms)), optionally restricted to weights (e.g. ":C"). */
export function groupTsquery(g: QueryGroup, weights = ''): string {
  return g.options.length === 1 ? optionQuery(g.options[0], weights) : `(${g.options.map((o) => optionQuery(o, weights)).join(' | ')})`;
}

/**
 * fuzzy: what else may match besides the query's words: character pairs of its Chinese and prefixes of
 * its `unknown` Latin terms (no article has them: typos or parts of words).
 */
export function fuzzyExtras(q: ParsedQuery, unknown: ReadonlySet<string> = new Set()): string[] {
  if (q.mode !== 'fuzzy') return [];
  const known = new Set(q.groups.flatMap((g) => g.options.flat()));
  const parts: string[] = [];
  for (const b of q.bigrams) if (!known.has(b)) parts.push(lexeme(b));
  // a partial Latin word: "passw" finds password
  for (const t of q.tokens) if (unknown.has(t.term) && !isHanTerm(t.term) && t.term.length >= 3 && !/^\d+$/.test(t.term)) parts.push(`${lexeme(t.term)}:*`);
  return [...new Set(parts)];
}

/** The tsquery that finds candidates: every group (exact), any group (any), or any group or fuzzy extra (fuzzy). */
export function candidateTsquery(q: ParsedQuery, unknown: ReadonlySet<string> = new Set()): string | null {
  if (q.mode === 'exact') return q.groups.length ? q.groups.map((g) => groupTsquery(g)).join(' & ') : null;
  const parts = [...q.groups.map((g) => groupTsquery(g)), ...fuzzyExtras(q, unknown)];
  return parts.length ? [...new Set(parts)].join(' | ') : null;
}

/** exact: the query's terms next to each other, in order. */
export function phraseTsquery(q: ParsedQuery): string | null {
  const terms = q.tokens.map((t) => t.term);
  return terms.length ? sequence(terms) : null;
}
