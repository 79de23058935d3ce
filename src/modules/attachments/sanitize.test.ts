import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { contentDisposition, downloadHeaders } from './download.ts';
import { MAX_FILENAME, normalizeContentType, sanitizeFilename } from './sanitize.ts';

describe('sanitizeFilename', () => {
  const table: Array<[string, string]> = [
    ['报价单.pdf', '报价单.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\fakepath\\合同 v2.docx', '合同 v2.docx'],
    ['/absolute/path/', 'file'],
    ['a\u0000b\u0007c\u001b.txt', 'abc.txt'],
    ['invoice\u202efdp.exe', 'invoicefdp.exe'],
    ['zero\u200bwidth\ufeff.txt', 'zerowidth.txt'],
    ['.htaccess', 'htaccess'],
    ['name. . .', 'name'],
    ['  spaced   out  .txt ', 'spaced out .txt'],
    ['line\nbreak.txt', 'linebreak.txt'],
    ['', 'file'],
    ['...', 'file'],
    ['e\u0301.txt', '\u00e9.txt'], // NFC
    ['lone\ud800.txt', 'lone.txt'],
    ['👩‍👩‍👧 family.png', '👩‍👩‍👧 family.png'],
  ];
  for (const [raw, expected] of table) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, () => assert.equal(sanitizeFilename(raw), expected));
  }
  it(`cuts long names to ${MAX_FILENAME} characters and keeps the extension`, () => {
    const long = sanitizeFilename(`${'长'.repeat(300)}.xlsx`);
    assert.equal([...long].length, MAX_FILENAME);
    assert.ok(long.endsWith('.xlsx'));
    assert.equal([...sanitizeFilename('x'.repeat(500))].length, MAX_FILENAME);
  });
});

describe('normalizeContentType', () => {
  const table: Array<[string | undefined, string]> = [
    ['image/PNG', 'image/png'], ['text/html; charset=utf-8', 'text/html'], ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['', 'application/octet-stream'], [undefined, 'application/octet-stream'], ['not a type', 'application/octet-stream'], ['image/png\r\nx-evil: 1', 'application/octet-stream'], ['text/', 'application/octet-stream'],
  ];
  for (const [raw, expected] of table) it(`${JSON.stringify(raw)} → ${expected}`, () => assert.equal(normalizeContentType(raw), expected));
});

describe('download headers', () => {
  it('Content-Disposition carries an ASCII stand-in and the UTF-8 name (RFC 5987)', () => {
    assert.equal(contentDisposition('attachment', '发票.pdf'), `attachment; filename="__.pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf`);
    assert.equal(contentDisposition('attachment', 'a "quoted" \\ name (1)*.txt'), `attachment; filename="a _quoted_ _ name (1)*.txt"; filename*=UTF-8''a%20%22quoted%22%20%5C%20name%20%281%29%2A.txt`);
    assert.equal(contentDisposition('inline', '100%.png'), `inline; filename="100_.png"; filename*=UTF-8''100%25.png`);
  });
  it('only safe image types are ever inline; everything else is opaque bytes to download', () => {
    const h = (contentType: string, inline: boolean) => downloadHeaders({ filename: 'f', contentType, size: 1 }, inline);
    for (const t of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      assert.equal(h(t, true)['content-type'], t);
      assert.match(h(t, true)['content-disposition'], /^inline;/);
      assert.match(h(t, false)['content-disposition'], /^attachment;/);
    }
    for (const t of ['image/svg+xml', 'text/html', 'application/xhtml+xml', 'text/xml', 'application/pdf', 'text/javascript']) {
      assert.equal(h(t, true)['content-type'], 'application/octet-stream', t);
      assert.match(h(t, true)['content-disposition'], /^attachment;/, t);
    }
    assert.equal(h('image/png', true)['x-content-type-options'], 'nosniff');
    assert.equal(h('image/png', true)['content-security-policy'], 'sandbox');
  });
});
