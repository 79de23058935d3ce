import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compact } from './rank.ts';
import { charScore } from './char-fallback.ts';

describe('compact (word-for-word comparison)', () => {
  const normalized = (t: string) => t.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

  it('equals NFKC + lower case + letters and digits for every character its fast path skips NFKC for', () => {
    const ranges = [[0, 0x7f], [0x4e00, 0x9fff], [0x3000, 0x3003], [0x3008, 0x3011], [0x3014, 0x301f], [0xff01, 0xff0f], [0xff1a, 0xff20], [0xff3b, 0xff40], [0xff5b, 0xff65], [0x2010, 0x2027], [0xb7, 0xb7]];
    let checked = 0;
    for (const [from, to] of ranges) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCharCode(c);
        for (const t of [ch, `a${ch}B`, `中${ch}文`]) assert.equal(compact(t), normalized(t), `U+${c.toString(16)} in ${JSON.stringify(t)}`);
        checked++;
      }
    }
    assert.ok(checked > 21_000);
  });

  it('still normalizes what needs it', () => {
    assert.equal(compact('Ａ１ 账户，Café!'), 'a1账户café');
    assert.equal(compact('㈱ ① ﬁle'), '株1file');
    assert.equal(compact('e\u0301'), 'é');
  });
});

describe('charScore', () => {
  it('is the best Dice score over the questions, counting Chinese characters only', () => {
    // query 快递丢 (3), question 快递丢了怎么办: own 快递丢办 without the common 了怎么 → 2·3/(3+4)
    assert.equal(charScore([...'快递丢'], ['我要退货', '快递丢了怎么办']), (2 * 3) / (3 + 4));
    assert.equal(charScore([...'快递丢'], ['快递', '快递丢了']), 1);
    assert.equal(charScore([...'快递'], ['hello']), 0);
  });
});
