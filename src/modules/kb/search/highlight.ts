import { isHanTerm, subwords, tokenize, type UserDictionary } from './segment.ts';
import type { ParsedQuery } from './parse-query.ts';
import { trigramSimilarity } from './rank.ts';

/**
 * Highlights as ranges of the text as stored, never as markup: the UI wraps them in <mark> itself,
 * so an article's own text is only ever shown as text.
 */
export type Range = [start: number, end: number];

export interface Highlighted { text: string; ranges: Range[] }

/** Decides whether a term of the text answers the query (exactly, as part of a word, or as a close typo). */
export function termMatcher(q: ParsedQuery): (term: string) => boolean {
  const wanted = new Set(q.groups.flatMap((g) => g.options.flat()));
  const pairs = new Set(q.bigrams);
  const latin = q.mode === 'fuzzy' ? [...wanted].filter((t) => !isHanTerm(t) && t.length >= 3) : [];
  return (term) => {
    if (wanted.has(term)) return true;
    if (!isHanTerm(term)) return latin.some((w) => term.startsWith(w) || trigramSimilarity(w, term) >= 0.5);
    const parts = subwords(term);
    if (parts.some((p) => wanted.has(p))) return true;
    if (q.mode !== 'exact' && [...wanted].some((w) => isHanTerm(w) && w.length > term.length && w.includes(term))) return true;
    return parts.some((p) => pairs.has(p));
  };
}

/** The ranges of `text` whose terms the matcher accepts, touching ones merged. */
export function highlightRanges(text: string, matches: (term: string) => boolean, dict: UserDictionary): Range[] {
  const out: Range[] = [];
  for (const t of tokenize(text, dict)) {
    if (!matches(t.term)) continue;
    const last = out[out.length - 1];
    if (last && t.start <= last[1]) last[1] = Math.max(last[1], t.end);
    else out.push([t.start, t.end]);
  }
  return out;
}

/**
 * A window of a long text around its densest run of matches (whole text if short), with "…" where
 * it was cut, and the ranges moved to the window.
 */
export function snippet(text: string, ranges: Range[], size = 160): Highlighted {
  const flat = text.replace(/\s+/g, (ws) => ' '.repeat(ws.length)); // same length: ranges stay valid
  if (flat.length <= size) return { text: flat, ranges };
  let bestStart = 0;
  let bestCount = -1;
  for (let i = 0, j = 0; i < ranges.length; i++) {
    while (j < ranges.length && ranges[j][1] - ranges[i][0] <= size) j++;
    if (j - i > bestCount) { bestCount = j - i; bestStart = ranges[i][0]; }
  }
  // a little context before the first match, and never past the end
  let start = Math.max(0, Math.min(bestStart - Math.floor(size / 5), flat.length - size));
  // do not cut a surrogate pair in half
  if (start > 0 && /[\uDC00-\uDFFF]/.test(flat[start])) start--;
  let end = Math.min(flat.length, start + size);
  if (end < flat.length && /[\uDC00-\uDFFF]/.test(flat[end])) end++;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < flat.length ? '…' : '';
  const moved: Range[] = ranges
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start + prefix.length, e - start + prefix.length]);
  return { text: prefix + flat.slice(start, end) + suffix, ranges: moved };
}

/**
 * The part of a long text worth highlighting: from a little before the first place a query word
 * appears (found by plain search, before any segmenting) for `length` characters, so a long article
 * costs no more than a short one. Returns the offset the window starts at.
 */
export function focusWindow(text: string, q: ParsedQuery, length = 400): { start: number; text: string } {
  if (text.length <= length) return { start: 0, text };
  const lower = text.toLowerCase();
  let first = -1;
  for (const t of new Set([...q.groups.flatMap((g) => g.options.flat()), ...q.bigrams])) {
    const i = lower.indexOf(t);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  let start = Math.max(0, first - 100);
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
  return { start, text: text.slice(start, start + length) };
}
