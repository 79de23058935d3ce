import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { htmlToPlainText, sanitizeMailHtml } from './sanitize-html.ts';
import { corpus, corpusFiles } from './test-corpora.ts';
import { executableVectors } from '../../testing/executable-html.ts';

describe('sanitizeMailHtml', () => {
  it('keeps ordinary mail formatting, tables, links, cid: and data: images', () => {
    const out = sanitizeMailHtml('<div style="color: #333; font-size: 14px"><p>您好，<b>订单</b> <i>123</i></p><table border="1" cellpadding="2"><tr><td colspan="2">A</td></tr></table>'
      + '<a href="https://shop.example.com/o/1" title="订单">查看</a><img src="cid:logo@x" alt="logo"><img src="data:image/png;base64,iVBORw0KGgo=" width="10"></div>');
    assert.equal(out, '<div style="color:#333;font-size:14px"><p>您好，<b>订单</b> <i>123</i></p><table border="1" cellpadding="2"><tr><td colspan="2">A</td></tr></table>'
      + '<a href="https://shop.example.com/o/1" title="订单" target="_blank" rel="noopener noreferrer nofollow">查看</a><img src="cid:logo@x" alt="logo" /><img src="data:image/png;base64,iVBORw0KGgo=" width="10" /></div>');
  });

  it('drops what runs, submits, frames or fetches: scripts, handlers, javascript:/data: links, forms, iframes, CSS url()', () => {
    const cases: Array<[string, string]> = [
      ['<p>hi<script>alert(1)</script></p>', '<p>hi</p>'],
      ['<img src=x onerror=alert(1)>', '<img src="x" />'],
      ['<a href="javascript:alert(1)">x</a>', '<a target="_blank" rel="noopener noreferrer nofollow">x</a>'],
      ['<a href="jav&#x09;ascript:alert(1)">x</a>', '<a target="_blank" rel="noopener noreferrer nofollow">x</a>'],
      ['<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a target="_blank" rel="noopener noreferrer nofollow">x</a>'],
      ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', '<img />'],
      ['<form action="https://evil.example"><input name="pw"><button>go</button></form>', 'go'],
      ['<iframe src="https://evil.example"></iframe>ok', 'ok'],
      ['<div style="background:url(https://evil.example/t.gif);color:red">x</div>', '<div style="color:red">x</div>'],
      ['<style>@import url(https://evil.example/x.css); p{color:red}</style><p>x</p>', '<p>x</p>'],
      ['<svg><script>alert(1)</script></svg>text', 'text'],
      ['<object data="x.swf"></object><embed src="x.swf">', ''],
      ['<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">x', 'x'],
      ['<img src="https://tracker.example/p.gif">', '<img src="https://tracker.example/p.gif" />'],
    ];
    for (const [input, expected] of cases) assert.equal(sanitizeMailHtml(input), expected, input);
    assert.equal(sanitizeMailHtml('<img src="https://tracker.example/p.gif"><img src="cid:a">', { remoteImages: false }), '<img /><img src="cid:a" />');
  });

  it('bounds deep nesting', () => {
    const deep = `${'<div>'.repeat(5000)}deep${'</div>'.repeat(5000)}`;
    const out = sanitizeMailHtml(deep);
    assert.ok(out.includes('deep'));
    assert.ok((out.match(/<div>/g) ?? []).length <= 200);
  });
});

describe('htmlToPlainText', () => {
  it('turns an HTML-only body into readable text without markup or images', () => {
    assert.equal(htmlToPlainText('<h1>退货申请</h1><p>订单 <b>123</b></p><ul><li>一</li><li>二</li></ul><img src="cid:x" alt="pic"><p><a href="https://x.example/a">链接</a></p>'),
      '退货申请\n\n订单 123\n\n * 一\n * 二\n\n链接 [https://x.example/a]');
  });
});

function payloads(dir: string): string[] {
  const list: string[] = [];
  const json = (f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown;
  if (fs.existsSync(path.join(dir, 'fixtures.json'))) list.push(...(json('fixtures.json') as Array<{ payload: string }>).map((f) => f.payload));
  if (fs.existsSync(path.join(dir, 'items.json'))) list.push(...(json('items.json') as Array<{ vector: string }>).map((f) => f.vector));
  if (fs.existsSync(path.join(dir, 'vectors.json'))) list.push(...(json('vectors.json') as Array<{ vector: string }>).map((f) => f.vector));
  for (const f of corpusFiles(dir, (n) => n.endsWith('.txt'))) list.push(...fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()));
  return list.filter((p) => typeof p === 'string');
}

for (const name of ['xss-dompurify-fixtures', 'xss-html5sec-h5sc', 'xss-payloadsallthethings']) {
  describe(`corpus: ${name} (no executable vector survives sanitizing)`, () => {
    const { dir, skip } = corpus(name);
    it('every payload sanitizes to inert markup', { skip }, () => {
      const list = payloads(dir);
      const bad: string[] = [];
      for (const payload of list) {
        const out = sanitizeMailHtml(payload);
        const vectors = executableVectors(out);
        if (vectors.length) bad.push(`${payload.slice(0, 80)} → ${vectors.join(', ').slice(0, 200)}`);
        assert.equal(typeof htmlToPlainText(out), 'string'); // the text body of an HTML-only mail is derived from this
      }
      console.log(`${name}: ${list.length} payloads sanitized, ${list.length - bad.length} inert, ${bad.length} with an executable vector`);
      assert.ok(list.length > 100, `only ${list.length} payloads found`);
      assert.deepEqual(bad, []);
    });
  });
}
