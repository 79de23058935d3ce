/**
 * Where the visitor came from (来源): direct, another page of the same site, a search engine with the
 * keyword they searched for, or another website. Pure and isomorphic.
 *
 * Search engines today often send only their origin (Google always, Baidu mostly), so the keyword is
 * frequently unknown; when it is there it may be GBK-encoded (older Baidu and Sogou links), which a
 * UTF-8 decoder would turn into mojibake, so query values are decoded from the raw bytes here.
 */

export type SearchEngine = 'baidu' | 'google' | 'bing' | 'sogou' | 'so360' | 'shenma' | 'toutiao' | 'yahoo' | 'duckduckgo' | 'yandex';

export type Referrer =
  | { kind: 'direct' }
  | { kind: 'internal'; host: string; url: string }
  | { kind: 'search'; host: string; url: string; engine: SearchEngine; keyword: string | null }
  | { kind: 'website'; host: string; url: string };

/** Host pattern → engine and the query parameters holding the keyword, in the order tried. */
const ENGINES: ReadonlyArray<{ engine: SearchEngine; host: RegExp; params: readonly string[] }> = [
  { engine: 'baidu', host: /(^|\.)baidu\.com$/, params: ['wd', 'word', 'kw', 'query'] },
  { engine: 'google', host: /(^|\.)google\.(com|[a-z]{2}|com?\.[a-z]{2})$/, params: ['q'] },
  { engine: 'bing', host: /(^|\.)bing\.com$/, params: ['q'] },
  { engine: 'sogou', host: /(^|\.)sogou\.com$/, params: ['query', 'keyword'] },
  { engine: 'so360', host: /(^|\.)(so|haosou)\.com$/, params: ['q'] },
  { engine: 'shenma', host: /(^|\.)sm\.cn$/, params: ['q'] },
  { engine: 'toutiao', host: /^so\.toutiao\.com$/, params: ['keyword'] },
  { engine: 'yahoo', host: /(^|\.)search\.yahoo\.(com|co\.jp)$/, params: ['p'] },
  { engine: 'duckduckgo', host: /(^|\.)duckduckgo\.com$/, params: ['q'] },
  { engine: 'yandex', host: /(^|\.)yandex\.(ru|com)$/, params: ['text'] },
];

const MAX_KEYWORD = 100;

/** `pageUrl`: the page the visitor landed on, so a referrer from the same site counts as internal. */
export function parseReferrer(referrer: string | null | undefined, pageUrl?: string | null): Referrer {
  if (!referrer || referrer.length > 4096) return { kind: 'direct' };
  let ref: URL;
  try { ref = new URL(referrer.trim()); } catch { return { kind: 'direct' }; }
  if (ref.protocol !== 'http:' && ref.protocol !== 'https:') return { kind: 'direct' };
  ref.username = '';
  ref.password = '';
  const host = ref.hostname.toLowerCase();
  const url = ref.href;
  const pageHost = hostOf(pageUrl);
  if (pageHost && pageHost === host) return { kind: 'internal', host, url };

  const engine = ENGINES.find((e) => e.host.test(host));
  if (!engine) return { kind: 'website', host, url };
  const raw = rawQuery(ref.search);
  // The page's declared encoding, when the engine names it (Baidu ie=gbk, Sogou ie=utf8 …).
  const charset = ['ie', 'oe', 'inputencoding', 'enc'].map((k) => raw.get(k)).find(Boolean);
  let keyword: string | null = null;
  for (const p of engine.params) {
    const value = raw.get(p);
    if (value === undefined) continue;
    keyword = tidy(decodeQueryValue(value, charset && decodeQueryValue(charset)));
    if (keyword) break;
  }
  return { kind: 'search', host, url, engine: engine.engine, keyword: keyword || null };
}

function hostOf(u: string | null | undefined): string | null {
  if (!u) return null;
  try { return new URL(u).hostname.toLowerCase(); } catch { return null; }
}

/** Query parameters with their values still percent-encoded (first occurrence wins; names case-insensitive). */
function rawQuery(search: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    if (key && !out.has(key)) out.set(key, eq < 0 ? '' : pair.slice(eq + 1));
  }
  return out;
}

/**
 * Percent-decodes a query value to bytes, then to text: in the declared charset when there is one,
 * else as UTF-8 if the bytes are valid UTF-8, else as GB18030 (a superset of GBK and GB2312).
 */
export function decodeQueryValue(value: string, charset?: string | null): string {
  const bytes = percentBytes(value.replace(/\+/g, ' '));
  const cs = (charset ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  if (['gbk', 'gb2312', 'gb18030', 'cp936'].includes(cs)) return decodeAs('gb18030', bytes) ?? decodeAs('utf-8', bytes, false)!;
  return decodeAs('utf-8', bytes) ?? decodeAs('gb18030', bytes) ?? decodeAs('utf-8', bytes, false)!;
}

function percentBytes(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      out.push(c);
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i)!); // raw non-ASCII left in the URL: keep it as UTF-8
      out.push(...new TextEncoder().encode(ch));
      i += ch.length - 1;
    }
  }
  return new Uint8Array(out);
}

/** null when the bytes are not valid in that charset (fatal) or the runtime lacks the decoder. */
function decodeAs(label: string, bytes: Uint8Array, fatal = true): string | null {
  try { return new TextDecoder(label, { fatal }).decode(bytes); } catch { return null; }
}

function tidy(s: string): string {
  // Keywords are shown to agents as plain text, on one line.
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_KEYWORD);
}
