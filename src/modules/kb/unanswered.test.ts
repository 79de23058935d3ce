import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeQuestion } from './unanswered.ts';

describe('normalizeQuestion', () => {
  const cases: Array<[string, string]> = [
    ['怎么退款？', '怎么退款'],
    ['怎么 退款', '怎么退款'],
    ['怎么退款！！', '怎么退款'],
    ['ＶＩＰ会员怎么退款', 'vip会员怎么退款'],
    ['How do I get a REFUND?', 'how do i get a refund'],
    ['  how   do i get a refund  ', 'how do i get a refund'],
    ['iPhone 15 怎么 设置', 'iphone 15怎么设置'],
    ['', ''],
    ['？！…', ''],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.equal(normalizeQuestion(input), want));
  it('the same question written differently has one key', () => {
    assert.equal(normalizeQuestion('宽带 怎么续费?'), normalizeQuestion('宽带怎么续费？'));
  });
  it('is bounded', () => assert.ok(normalizeQuestion('很'.repeat(5000)).length <= 300));
});
