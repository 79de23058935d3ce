import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeQueryValue, parseReferrer, type Referrer } from './referrer.ts';

const search = (url: string, engine: string, keyword: string | null, host = new URL(url).hostname): Referrer =>
  ({ kind: 'search', host, url: new URL(url).href, engine, keyword } as Referrer);
const PAGE = 'https://shop.example.com/products/42';

describe('parseReferrer', () => {
  const cases: Array<[string, string | null | undefined, Referrer]> = [
    // no referrer, or nothing usable
    ['none', undefined, { kind: 'direct' }],
    ['empty', '', { kind: 'direct' }],
    ['not a URL', 'hello', { kind: 'direct' }],
    ['javascript: is never a source', 'javascript:alert(1)', { kind: 'direct' }],
    ['an app, not a page', 'android-app://com.tencent.mm/', { kind: 'direct' }],
    // Baidu: wd on www, word on mobile, UTF-8 and GBK
    ['Baidu, UTF-8', 'https://www.baidu.com/s?ie=utf-8&wd=%E5%AE%BD%E5%B8%A6%E5%8A%9E%E7%90%86&rsv_spt=1', search('https://www.baidu.com/s?ie=utf-8&wd=%E5%AE%BD%E5%B8%A6%E5%8A%9E%E7%90%86&rsv_spt=1', 'baidu', '宽带办理')],
    ['Baidu, GBK declared (ie=gbk)', 'http://www.baidu.com/s?wd=%BF%ED%B4%F8&ie=gbk', search('http://www.baidu.com/s?wd=%BF%ED%B4%F8&ie=gbk', 'baidu', '宽带')],
    ['Baidu, GBK undeclared: detected because it is not valid UTF-8', 'http://www.baidu.com/s?wd=%BF%CD%B7%FE%20%B5%E7%BB%B0', search('http://www.baidu.com/s?wd=%BF%CD%B7%FE%20%B5%E7%BB%B0', 'baidu', '客服 电话')],
    ['Baidu mobile uses word', 'https://m.baidu.com/s?from=1011440l&word=%E4%BD%A0%E5%A5%BD', search('https://m.baidu.com/s?from=1011440l&word=%E4%BD%A0%E5%A5%BD', 'baidu', '你好')],
    ['Baidu ad link: engine known, keyword hidden', 'https://www.baidu.com/link?url=AbCdEf&wd=&eqid=9f', search('https://www.baidu.com/link?url=AbCdEf&wd=&eqid=9f', 'baidu', null)],
    ['Baidu with + for spaces', 'https://www.baidu.com/s?wd=kefu+%E5%AE%A2%E6%9C%8D', search('https://www.baidu.com/s?wd=kefu+%E5%AE%A2%E6%9C%8D', 'baidu', 'kefu 客服')],
    // the others
    ['Google sends only its origin', 'https://www.google.com/', search('https://www.google.com/', 'google', null)],
    ['Google Hong Kong with q', 'https://www.google.com.hk/search?q=%E5%9C%A8%E7%BA%BF%E5%AE%A2%E6%9C%8D', search('https://www.google.com.hk/search?q=%E5%9C%A8%E7%BA%BF%E5%AE%A2%E6%9C%8D', 'google', '在线客服')],
    ['Google Japan', 'https://www.google.co.jp/search?q=kefu', search('https://www.google.co.jp/search?q=kefu', 'google', 'kefu')],
    ['Bing China', 'https://cn.bing.com/search?q=%E5%AE%A2%E6%9C%8D%E7%B3%BB%E7%BB%9F&form=QBLH', search('https://cn.bing.com/search?q=%E5%AE%A2%E6%9C%8D%E7%B3%BB%E7%BB%9F&form=QBLH', 'bing', '客服系统')],
    ['Sogou (query)', 'https://www.sogou.com/web?query=%E5%AE%A2%E6%9C%8D&ie=utf8', search('https://www.sogou.com/web?query=%E5%AE%A2%E6%9C%8D&ie=utf8', 'sogou', '客服')],
    ['Sogou mobile (keyword)', 'https://m.sogou.com/web/searchList.jsp?keyword=%E5%AE%A2%E6%9C%8D', search('https://m.sogou.com/web/searchList.jsp?keyword=%E5%AE%A2%E6%9C%8D', 'sogou', '客服')],
    ['Sogou, GBK', 'https://www.sogou.com/web?query=%C4%E3%BA%C3&ie=gb2312', search('https://www.sogou.com/web?query=%C4%E3%BA%C3&ie=gb2312', 'sogou', '你好')],
    ['360', 'https://www.so.com/s?ie=utf-8&q=%E5%AE%A2%E6%9C%8D', search('https://www.so.com/s?ie=utf-8&q=%E5%AE%A2%E6%9C%8D', 'so360', '客服')],
    ['Shenma (mobile)', 'https://m.sm.cn/s?q=%E5%AE%A2%E6%9C%8D&from=smor', search('https://m.sm.cn/s?q=%E5%AE%A2%E6%9C%8D&from=smor', 'shenma', '客服')],
    ['Toutiao search', 'https://so.toutiao.com/search?keyword=%E5%AE%A2%E6%9C%8D', search('https://so.toutiao.com/search?keyword=%E5%AE%A2%E6%9C%8D', 'toutiao', '客服')],
    ['Yahoo', 'https://search.yahoo.com/search?p=help+desk', search('https://search.yahoo.com/search?p=help+desk', 'yahoo', 'help desk')],
    ['DuckDuckGo', 'https://duckduckgo.com/?q=kefu', search('https://duckduckgo.com/?q=kefu', 'duckduckgo', 'kefu')],
    ['Yandex', 'https://yandex.ru/search/?text=kefu', search('https://yandex.ru/search/?text=kefu', 'yandex', 'kefu')],
    // not a search engine
    ['a lookalike host is just a website', 'https://baidu.com.evil.test/s?wd=x', { kind: 'website', host: 'baidu.com.evil.test', url: 'https://baidu.com.evil.test/s?wd=x' }],
    ['a name ending in baidu.com is not Baidu', 'https://notbaidu.com/s?wd=x', { kind: 'website', host: 'notbaidu.com', url: 'https://notbaidu.com/s?wd=x' }],
    ['another website', 'https://weibo.com/u/123', { kind: 'website', host: 'weibo.com', url: 'https://weibo.com/u/123' }],
    ['credentials never kept', 'https://user:secret@forum.test/t/1', { kind: 'website', host: 'forum.test', url: 'https://forum.test/t/1' }],
  ];
  for (const [name, ref, expected] of cases) it(name, () => assert.deepEqual(parseReferrer(ref, PAGE), expected));

  it('a page of the same site is internal', () => {
    assert.deepEqual(parseReferrer('https://shop.example.com/cart', PAGE), { kind: 'internal', host: 'shop.example.com', url: 'https://shop.example.com/cart' });
    assert.equal(parseReferrer('https://blog.example.com/', PAGE).kind, 'website'); // another subdomain is another site
    assert.equal(parseReferrer('https://shop.example.com/cart').kind, 'website'); // without the page, unknown
  });

  it('keywords are one line of plain text, at most 100 characters', () => {
    const r = parseReferrer(`https://www.baidu.com/s?wd=a%0A%0Db%09c${'%E5%AE%A2'.repeat(200)}`);
    assert.equal(r.kind, 'search');
    const kw = (r as Extract<Referrer, { kind: 'search' }>).keyword!;
    assert.ok(kw.startsWith('a b c客'));
    assert.equal(kw.length, 100);
  });

  it('a very long referrer is ignored', () => assert.deepEqual(parseReferrer(`https://x.test/?q=${'a'.repeat(5000)}`), { kind: 'direct' }));
});

describe('decodeQueryValue', () => {
  const cases: Array<[string, string | null, string]> = [
    ['%E5%AE%A2%E6%9C%8D', null, '客服'],
    ['%BF%CD%B7%FE', null, '客服'], // GBK detected
    ['%BF%CD%B7%FE', 'GBK', '客服'],
    ['%BF%CD%B7%FE', 'gb2312', '客服'],
    ['%E5%AE%A2', 'utf-8', '客'],
    ['a+b', null, 'a b'],
    ['100%', null, '100%'], // a stray % stays
    ['%zz%41', null, '%zzA'],
    ['%F0%9F%98%80', null, '😀'],
    ['plain', null, 'plain'],
  ];
  for (const [value, charset, out] of cases) it(`${value} (${charset ?? 'detect'}) → ${out}`, () => assert.equal(decodeQueryValue(value, charset), out));
});
