import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { stem } from './stem.ts';
import { STOP_WORDS } from './stop-words.ts';

/**
 * Text → search terms, the one tokenizer behind the index, the queries and the highlights:
 * - Chinese (Han runs) is cut into words by jieba; the company's own knowledge-base words
 *   (keywords, synonyms) are cut out whole first, so 极藻 or 宽带套餐 stay one term;
 * - other letters and digits form words, lower-cased, accents folded, English stemmed (Porter);
 * - stop words of both languages are dropped.
 * Every term keeps the range of the original text it came from, so highlights point into the text
 * as the user wrote it.
 */

export interface Token {
  term: string;
  /** UTF-16 offsets into the original text: text.slice(start, end) is what produced the term. */
  start: number;
  end: number;
}

/** A company's own words, cut out whole before jieba sees the text (its dictionary, added to jieba's). */
export interface UserDictionary {
  words: ReadonlySet<string>;
  /** The longest word, in UTF-16 units: how far a match is looked for. */
  maxLength: number;
}

export const EMPTY_DICTIONARY: UserDictionary = { words: new Set(), maxLength: 0 };

/** Longest word kept in a user dictionary; longer "keywords" are sentences and are cut as text. */
const USER_WORD_MAX = 16;
/** Longer runs of letters are not words (hashes, base64 junk) and are not indexed. */
const TERM_MAX = 64;

const HAN = /\p{Script=Han}/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const LATIN = /\p{Script=Latin}/u;
const MARKS = /\p{M}/gu;

let jieba: Jieba | undefined;
/** jieba with its default dictionary: loaded once per process (about half a second, then microseconds per cut). */
function cutter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Builds a user dictionary from keywords and synonyms: only Chinese words need it (others are split on spaces anyway). */
export function userDictionary(words: Iterable<string>): UserDictionary {
  const set = new Set<string>();
  let maxLength = 0;
  for (const raw of words) {
    const w = normalize(raw).text.replace(/\s+/g, '');
    if (w.length < 2 || w.length > USER_WORD_MAX || !HAN.test(w) || ![...w].every((c) => HAN.test(c))) continue;
    set.add(w);
    maxLength = Math.max(maxLength, w.length);
  }
  return { words: set, maxLength };
}

interface Normalized {
  text: string;
  /** For each UTF-16 unit of `text`: the original offsets of the character it came from. */
  from: number[];
  to: number[];
}

/**
 * NFKC (full-width Ａ１ → a1, compatibility ideographs → the usual ones), lower case, and accents off
 * Latin letters (café → cafe), character by character so every unit maps back to the original.
 */
function normalize(text: string): Normalized {
  let out = '';
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  for (const ch of text) {
    let n = ch.normalize('NFKC');
    if (LATIN.test(n)) n = n.normalize('NFD').replace(MARKS, '');
    n = n.toLowerCase();
    for (let k = 0; k < n.length; k++) { from.push(i); to.push(i + ch.length); }
    out += n;
    i += ch.length;
  }
  return { text: out, from, to };
}

type Run = { kind: 'han' | 'word'; start: number; end: number };

/** Splits normalized text into Han runs and runs of other letters/digits; everything else separates. */
function runs(text: string): Run[] {
  const out: Run[] = [];
  let cur: Run | null = null;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const kind = HAN.test(ch) ? 'han' : WORD_CHAR.test(ch) ? 'word' : null;
    if (kind && cur && cur.kind === kind && cur.end === i) cur.end = i + ch.length;
    else if (kind) { cur = { kind, start: i, end: i + ch.length }; out.push(cur); }
    else cur = null;
    i += ch.length;
  }
  return out;
}

/** jieba's words of a Han run, as [start, end) offsets into it (its pieces always concatenate back to the run). */
function jiebaPieces(run: string, offset: number, out: Array<[number, number]>): void {
  const pieces = cutter().cut(run, true);
  let at = 0;
  for (const p of pieces) {
    if (run.startsWith(p, at)) { out.push([offset + at, offset + at + p.length]); at += p.length; }
    else break;
  }
  // never expected; if jieba ever returned something else, the rest is indexed character by character
  for (; at < run.length; at++) out.push([offset + at, offset + at + 1]);
}

/** Cuts a Han run: the company's words whole (longest first), jieba for the text between them. */
function cutHan(text: string, start: number, end: number, dict: UserDictionary, out: Array<[number, number]>): void {
  let gap = start;
  let i = start;
  while (i < end) {
    let match = 0;
    if (dict.maxLength) {
      for (let len = Math.min(dict.maxLength, end - i); len >= 2; len--) {
        if (dict.words.has(text.slice(i, i + len))) { match = len; break; }
      }
    }
    if (!match) { i++; continue; }
    if (gap < i) jiebaPieces(text.slice(gap, i), gap, out);
    out.push([i, i + match]);
    i += match;
    gap = i;
  }
  if (gap < end) jiebaPieces(text.slice(gap, end), gap, out);
}

function wordTerm(raw: string): string | null {
  if (raw.length > TERM_MAX) return null;
  return /^[a-z]+$/.test(raw) ? stem(raw) : raw;
}

/** The terms of a text, in order, with where each came from. Stop words are left out. */
export function tokenize(text: string, dict: UserDictionary = EMPTY_DICTIONARY): Token[] {
  const norm = normalize(text);
  const spans: Array<[number, number]> = [];
  for (const r of runs(norm.text)) {
    if (r.kind === 'han') cutHan(norm.text, r.start, r.end, dict, spans);
    else spans.push([r.start, r.end]);
  }
  const out: Token[] = [];
  for (const [s, e] of spans) {
    const raw = norm.text.slice(s, e);
    if (STOP_WORDS.has(raw)) continue;
    const term = HAN.test(raw) ? raw : wordTerm(raw);
    if (!term || STOP_WORDS.has(term)) continue;
    out.push({ term, start: norm.from[s], end: norm.to[e - 1] });
  }
  return out;
}

/** Just the terms. */
export function terms(text: string, dict: UserDictionary = EMPTY_DICTIONARY): string[] {
  return tokenize(text, dict).map((t) => t.term);
}

/**
 * The smaller words inside a Chinese term, for partial-word matches: jieba's search-mode pieces
 * (信用卡 → 信用, 信用卡) and character pairs (宽带套餐 → 宽带, 带套, 套餐). The pairs are also what a
 * query with a typo still shares with the right answer (宽代套餐 → 套餐).
 */
export function subwords(term: string): string[] {
  if (term.length < 2 || !HAN.test(term)) return [];
  const out = new Set<string>();
  for (const p of cutter().cutForSearch(term, true)) if (p !== term && p.length > 1 && !STOP_WORDS.has(p)) out.add(p);
  for (const b of bigrams(term)) if (b !== term) out.add(b);
  return [...out];
}

/** Overlapping pairs of characters of a Han string (one character stays itself). */
export function bigrams(han: string): string[] {
  const chars = [...han];
  if (chars.length < 2) return chars.length && !STOP_WORDS.has(chars[0]) ? [chars[0]] : [];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** Whether a term is Chinese (it then has subwords and character pairs). */
export const isHanTerm = (term: string) => HAN.test(term);

/** Character pairs of every Chinese run in a text: what a fuzzy query matches by when a character is wrong. */
export function hanBigrams(text: string): string[] {
  const norm = normalize(text).text;
  const out = new Set<string>();
  for (const r of runs(norm)) if (r.kind === 'han') for (const b of bigrams(norm.slice(r.start, r.end))) out.add(b);
  return [...out];
}

/**
 * How much a word says about what a question is about, 0.4…1: function words (pronouns and question
 * words like 哪个 什么 怎么 how what, prepositions, particles) count less than the nouns and verbs
 * around them, from jieba's part-of-speech dictionary. "哪个快递" is about 快递. (Adverbs such as 不
 * and numerals such as 多少 keep full weight: tuned on bench/kb-search.ts, they tell questions apart.)
 */
const LIGHT_TAGS: Record<string, number> = { r: 0.5, p: 0.5, u: 0.5, y: 0.5, e: 0.5, o: 0.5 };
const LIGHT_ENGLISH = new Set(['how', 'what', 'why', 'where', 'when', 'which', 'who', 'whom', 'whose', 'can', 'may', 'might', 'must']);
const weightCache = new Map<string, number>();
export function termWeight(term: string): number {
  let w = weightCache.get(term);
  if (w === undefined) {
    if (HAN.test(term)) {
      const tags = cutter().tag(term, false);
      w = tags.length === 1 ? LIGHT_TAGS[tags[0].tag] ?? 1 : 1;
    } else {
      w = LIGHT_ENGLISH.has(term) ? 0.4 : 1;
    }
    if (weightCache.size > 100_000) weightCache.clear();
    weightCache.set(term, w);
  }
  return w;
}
