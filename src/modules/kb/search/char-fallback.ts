import { rarestWithin } from './row-budget.ts';

/**
 * The last resort of a fuzzy search that found nothing: Chinese characters instead of words. A word the
 * knowledge base never uses can still share its characters with one it does (骗子 and 骗人, 等等 and
 * 等一下), and an empty answer helps nobody. Candidates are the articles holding a word that starts with
 * one of the query's characters (a prefix of a word or of one of its character pairs, as indexed); they
 * rank by how much of the query's and the question's characters they share. Such hits are guesses: the
 * result says so, and the robot never answers from them.
 */

const HAN = /\p{Script=Han}/u;

/** Characters that say nothing about a question on their own (particles, pronouns, question words). */
const COMMON = new Set([...'的了吗吧呢啊呀嘛么是我你他她它们这那个和与就都也还很不没有在要会能可以什怎哪谁为']);

/** The query's characters worth matching on their own, at most `max`, in the order written. */
export function fallbackChars(text: string, max = 12): string[] {
  const out: string[] = [];
  for (const ch of text) {
    if (out.length >= max) break;
    if (HAN.test(ch) && !COMMON.has(ch) && !out.includes(ch)) out.push(ch);
  }
  return out;
}

/** Articles with a word (or character pair) starting with any of the characters, as tsquery text. */
export function charTsquery(chars: readonly string[]): string | null {
  return chars.length ? chars.map((c) => `'${c}':*`).join(' | ') : null;
}

/**
 * Which characters the fallback looks articles up by, so that it reads a bounded number of rows: a
 * common character (说, 话) starts words in tens of thousands of articles of a large knowledge base,
 * and looking up all of them took 100+ ms at 100,000 articles. `counts` are upper bounds of the
 * articles each character finds (the article counts of the words it starts, summed). As in the word
 * lookup (search.ts, lookupFor): the rarest characters while their counts add up to `budget`; when
 * even the rarest is more common, articles holding two of the three rarest. Characters no article
 * has are left out; ranking still reads every character of the query.
 */
export function charLookup(chars: readonly string[], counts: ReadonlyMap<string, number>, budget: number): string | null {
  const found = chars.filter((c) => (counts.get(c) ?? 0) > 0).sort((a, b) => counts.get(a)! - counts.get(b)!);
  const chosen = rarestWithin(found, (c) => counts.get(c)!, budget).taken;
  if (chosen.length || found.length < 2) return charTsquery(chosen.length ? chosen : found);
  const [a, b, c] = found.map((x) => `'${x}':*`);
  return c ? `(${a} & ${b}) | (${a} & ${c}) | (${b} & ${c})` : `${a} & ${b}`;
}

function hanSet(text: string): Set<string> {
  const s = new Set<string>();
  for (const ch of text) if (HAN.test(ch) && !COMMON.has(ch)) s.add(ch);
  return s;
}

/**
 * How alike the query and an article's best question are by their characters, 0…1 (Dice: twice the
 * shared characters over both counts), so a short question saying nearly only the query's characters
 * beats a long one that merely contains one.
 */
export function charScore(chars: readonly string[], questions: readonly string[]): number {
  if (!chars.length) return 0;
  let best = 0;
  for (const q of questions) {
    let shared = 0;
    for (const c of chars) if (q.includes(c)) shared++;
    // a question has at least its shared characters: when even that bound does not beat the best, skip it
    if (!shared || (2 * shared) / (chars.length + shared) <= best) continue;
    best = Math.max(best, (2 * shared) / (chars.length + hanSet(q).size));
  }
  return best;
}
