import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { charLookup, charScore, fallbackChars } from './char-fallback.ts';

/** What the last resort looks articles up by, for given article counts of the characters (no database). */
const lookup = (text: string, counts: Record<string, number>, budget = 1_500) => charLookup(fallbackChars(text), new Map(Object.entries(counts)), budget);

describe('character fallback lookup (how many rows the database reads stays bounded)', () => {
  it('rare characters: any of them while their counts add up to the budget, rarest first', () => {
    assert.equal(lookup('心肌缺血', { 心: 1_190, 肌: 0, 缺: 40, 血: 158 }), "'缺':* | '血':* | '心':*");
  });

  it('a common character is left out once the budget is spent, and characters no article has always', () => {
    // bench/kb-search.ts at 100,000 articles: 说 and 听 start words of 17,151 and 9,984 articles
    assert.equal(lookup('听得清我说话吗', { 听: 9_984, 得: 1_423, 清: 0, 说: 17_151, 话: 3_143 }), "'得':*");
  });

  it('every character common: articles with two of the three rarest', () => {
    assert.equal(lookup('听说话', { 听: 9_984, 说: 17_151, 话: 3_143 }), "('话':* & '听':*) | ('话':* & '说':*) | ('听':* & '说':*)");
    assert.equal(lookup('听说', { 听: 9_984, 说: 17_151 }), "'听':* & '说':*");
  });

  it('one common character is looked up alone; none found, nothing', () => {
    assert.equal(lookup('说', { 说: 17_151 }), "'说':*");
    assert.equal(lookup('骗子', {}), null);
  });

  it('particles and question words are never looked up (fallbackChars)', () => {
    assert.deepEqual(fallbackChars('你们是不是骗子吗'), ['骗', '子']);
  });

  it('scores a short question sharing the characters above a long one merely containing one', () => {
    const chars = fallbackChars('骗子');
    assert.ok(charScore(chars, ['骗人的吧']) > charScore(chars, ['这个产品的价格为什么比别家贵，是不是骗']));
  });
});
