import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bigrams, hanBigrams, subwords, terms, tokenize, userDictionary } from './segment.ts';
import { stem } from './stem.ts';
import { buildIndexText, latinWords, parseIndexPhrases, synonymMembers } from './index-text.ts';

describe('segmentation: Chinese words, English stems, stop words', () => {
  const dict = userDictionary(['极藻', '宽带套餐', '光猫']);
  const cases: Array<[string, string, string[]]> = [
    ['domain words stay whole (Intl.Segmenter would split them into characters)', '我的宽带无法上网了，请问客服工号是多少', ['宽带', '无法', '上网', '客服', '工号', '多少']],
    ['the company\'s keywords are cut out whole', '办理宽带套餐要多少钱？', ['办理', '宽带套餐', '要', '多少', '钱']],
    ['an unknown product name becomes one word once it is a keyword', '极藻多少钱一瓶', ['极藻', '多少', '钱', '一瓶']],
    ['a keyword inside a longer run', '光猫灯不亮', ['光猫', '灯不亮']],
    ['stop words of both languages are dropped (你们, the company, stays)', '你们是不是骗子啊？ Is it the card?', ['你们', '是不是', '骗子', 'card']],
    ['English is lower-cased and stemmed', 'Refunds REFUNDED refunding', ['refund', 'refund', 'refund']],
    ['full-width letters and digits are folded (NFKC)', 'ＷｉＦｉ密码１２３', ['wifi', '密码', '123']],
    ['accents are folded off Latin letters', 'Café résumé', ['cafe', 'resum']],
    ['digits and Latin next to Chinese separate', '5G套餐', ['5g', '套餐']],
    ['punctuation and emoji are not terms', '——！！😀 ...', []],
  ];
  for (const [what, text, expected] of cases) it(what, () => assert.deepEqual(terms(text, dict), expected));

  it('every term points back at the text it came from', () => {
    const text = 'ＷｉＦｉ 密码忘了 Resetting';
    const toks = tokenize(text, dict);
    assert.deepEqual(toks.map((t) => text.slice(t.start, t.end)), ['ＷｉＦｉ', '密码', '忘', 'Resetting']);
    assert.deepEqual(toks.map((t) => t.term), ['wifi', '密码', '忘', 'reset']);
  });

  it('only Chinese words of 2–16 characters enter the user dictionary', () => {
    assert.deepEqual([...userDictionary(['宽带', 'wifi', '宽', 'a b', '宽带 套餐', '一二三四五六七八九十一二三四五六七']).words], ['宽带', '宽带套餐']);
  });

  it('subwords: search-mode pieces and character pairs of a Chinese term', () => {
    assert.deepEqual(subwords('信用卡').sort(), ['信用', '用卡'].sort());
    assert.ok(subwords('宽带套餐').includes('套餐') && subwords('宽带套餐').includes('宽带'));
    assert.deepEqual(subwords('card'), []);
    assert.deepEqual(bigrams('宽带'), ['宽带']);
    assert.deepEqual(hanBigrams('宽代 怎么续费'), ['宽代', '怎么', '么续', '续费']);
  });
});

describe('Porter stemmer', () => {
  // from Porter's paper and his published vocabulary/output lists
  const cases: Array<[string, string]> = [
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'ti'], ['cats', 'cat'], ['feed', 'feed'], ['agreed', 'agre'],
    ['plastered', 'plaster'], ['bled', 'bled'], ['motoring', 'motor'], ['sing', 'sing'], ['conflated', 'conflat'],
    ['troubled', 'troubl'], ['sized', 'size'], ['hopping', 'hop'], ['tanned', 'tan'], ['falling', 'fall'], ['hissing', 'hiss'],
    ['fizzed', 'fizz'], ['failing', 'fail'], ['filing', 'file'], ['happy', 'happi'], ['sky', 'sky'], ['relational', 'relat'],
    ['conditional', 'condit'], ['rational', 'ration'], ['generalizations', 'gener'], ['oscillators', 'oscil'],
    ['connections', 'connect'], ['connected', 'connect'], ['connecting', 'connect'], ['transferred', 'transfer'],
    ['hopeful', 'hope'], ['goodness', 'good'], ['electrical', 'electr'], ['adjustable', 'adjust'], ['adjustment', 'adjust'],
    ['replacement', 'replac'], ['adoption', 'adopt'], ['communism', 'commun'], ['effective', 'effect'], ['probate', 'probat'],
    ['rate', 'rate'], ['cease', 'ceas'], ['controlling', 'control'], ['roll', 'roll'], ['abilities', 'abil'],
    // left alone: short words, digits, other scripts
    ['is', 'is'], ['5g', '5g'], ['straße', 'straße'],
  ];
  for (const [word, expected] of cases) it(`${word} → ${expected}`, () => assert.equal(stem(word), expected));
});

describe('index text', () => {
  it('title A, phrases B (kept apart), body C, subwords D; Latin words for trigrams', () => {
    const dict = userDictionary(['宽带套餐']);
    const idx = buildIndexText({
      title: '宽带套餐怎么续费', keywords: ['续费'], synonyms: ['网速=宽带速度'], paraphrases: ['How to renew broadband?'],
      bodyText: '登录网上营业厅。',
    }, dict);
    const [title, phrases, body, extra] = idx.searchText.split('\n');
    assert.equal(title, '宽带套餐 怎么 续费');
    assert.deepEqual(parseIndexPhrases(title, phrases).phrases.map((p) => p.terms), [['续费'], ['网速'], ['宽带', '速度'], ['how', 'renew', 'broadband']]);
    assert.equal(body, '登录 网上 营业厅');
    assert.ok(extra.split(' ').includes('套餐'), extra);
    assert.equal(idx.fuzzyText, 'how renew broadband');
    assert.ok(idx.terms.includes('套餐') && idx.terms.includes('renew'));
    assert.deepEqual(synonymMembers('网速 = 宽带速度，网络速度/网络'), ['网速', '宽带速度', '网络速度', '网络']);
    assert.deepEqual(latinWords('Ｗｉ-Fi: pasword 12 ab café'), ['pasword', 'cafe']);
  });

  it('a question written as several clauses keeps them apart for ranking', () => {
    const idx = buildIndexText({ title: '哪里, 在哪，具体位置', keywords: [], synonyms: [], paraphrases: ['邮寄时效，寄几天', '快递'], bodyText: '' }, userDictionary([]));
    const [title, phrases] = idx.searchText.split('\n');
    const parsed = parseIndexPhrases(title, phrases);
    assert.deepEqual(parsed.title, { terms: ['哪里', '哪', '具体位置'], clauses: [['哪里'], ['哪'], ['具体位置']] });
    assert.deepEqual(parsed.phrases, [{ terms: ['邮寄', '时效', '寄', '几天'], clauses: [['邮寄', '时效'], ['寄', '几天']] }, { terms: ['快递'], clauses: [] }]);
    assert.ok(!idx.terms.some((t) => t.includes('|')), 'separators are not terms');
  });
});
