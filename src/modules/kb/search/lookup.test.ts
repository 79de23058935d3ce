import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lookupFor } from './search.ts';
import { parseQuery } from './parse-query.ts';
import { EMPTY_DICTIONARY } from './segment.ts';

/** What a fuzzy query's candidates are looked up by, for given article counts of its words (no database). */
function lookupOf(text: string, dfs: Record<string, number>, articles: number) {
  const q = parseQuery(text, 'fuzzy', EMPTY_DICTIONARY, new Map());
  return lookupFor(q, q.groups.map(() => 1), new Map(Object.entries(dfs)), new Set(), articles);
}
const lookup = (text: string, dfs: Record<string, number>, articles: number) => lookupOf(text, dfs, articles).tsq;

describe('candidate lookup (how many rows the database ranks stays bounded)', () => {
  it('rare words: any of them, as long as their article counts add up to the budget', () => {
    assert.equal(lookup('need help work', { need: 900, help: 400, work: 300 }, 100_000), "'work' | 'help'");
  });

  it('every word common: articles with two of the three rarest while that is few enough', () => {
    // independence: (0.02·0.02)·3·100,000 = 120 rows, ×4 for words asked together = 480
    assert.equal(lookup('need help work', { need: 2_000, help: 2_000, work: 2_000 }, 100_000), "('need' & 'help') | ('need' & 'work') | ('help' & 'work')");
  });

  it('two of three too many once co-occurrence is counted: all three', () => {
    // bench/kb-search.ts at 100,000 articles: independence said 977 rows, two of these three words had 3,782
    assert.equal(lookup('need help work', { need: 8_111, help: 4_957, work: 4_412 }, 100_000), "'work' & 'help' & 'need'");
  });

  it('rare words are looked up anywhere in the article; when every word is common, in the questions only (title, keywords, paraphrases)', () => {
    assert.ok(!lookupOf('need help work', { need: 900, help: 400, work: 300 }, 100_000).questionsOnly, 'a rare word found only in an answer still counts');
    assert.equal(lookupOf('need help work', { need: 2_000, help: 2_000, work: 2_000 }, 100_000).questionsOnly, true);
    assert.equal(lookupOf('need help work', { need: 8_111, help: 4_957, work: 4_412 }, 100_000).questionsOnly, true);
    // one common word alone (机器人 in 7,410 of 100,000 articles, 1,658 of them in a question)
    assert.equal(lookupOf('help', { help: 7_410 }, 100_000).questionsOnly, true);
  });
});
