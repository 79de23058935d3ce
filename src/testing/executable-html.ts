import { Parser } from 'htmlparser2'; // an HTML tokenizer independent of the sanitizer's own settings

/**
 * Finds what in a piece of HTML could still run code, submit data or load something: tags outside a
 * small inert set, event-handler attributes, URLs with a scheme other than http(s)/mailto/tel/cid (or
 * a data: image), CSS that fetches or scripts. For tests of stored, sanitized HTML (mail, articles).
 */

/** Elements that cannot run code, submit data or load a document, whatever their attributes. */
const INERT = new Set(['a', 'abbr', 'address', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col', 'colgroup',
  'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd',
  'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th',
  'thead', 'tr', 'tt', 'u', 'ul', 'var', 'wbr']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'background', 'poster', 'data', 'lowsrc', 'dynsrc', 'cite', 'longdesc', 'usemap', 'ping', 'codebase', 'manifest']);
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp);base64,/i;
// stricter than a browser, which only strips C0 controls and spaces before reading the scheme
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u2060\ufeff]/g;

/** A URL whose scheme is one we allow; relative URLs and fragments have none. Protocol-relative //host is refused too. */
function isSafeUrl(tag: string, attr: string, raw: string): boolean {
  const value = raw.replace(INVISIBLE, '').toLowerCase();
  if (value.startsWith('//')) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(value)?.[1];
  if (!scheme) return true;
  if (tag === 'img' && attr === 'src' && SAFE_DATA_IMAGE.test(value)) return true;
  return ['http', 'https', 'mailto', 'tel', 'cid'].includes(scheme);
}

/** Every way the sanitized output could still execute or exfiltrate, found by tokenizing it like a browser would. */
export function executableVectors(html: string): string[] {
  const found: string[] = [];
  const parser = new Parser({
    onopentag(name, attribs) {
      if (!INERT.has(name)) found.push(`<${name}>`);
      for (const [attr, raw] of Object.entries(attribs)) {
        if (attr.startsWith('on')) found.push(`${name}[${attr}]`);
        if (URL_ATTRIBUTES.has(attr) && !isSafeUrl(name, attr, raw)) found.push(`${name}[${attr}=${raw.slice(0, 40)}]`);
        if (attr === 'style' && /url\s*\(|expression\s*\(|javascript:|behavior\s*:|-moz-binding|@import|\\/i.test(raw)) found.push(`${name}[style=${raw.slice(0, 40)}]`);
        if (!/^[a-z][a-z0-9-]*$/.test(attr)) found.push(`${name}[odd attribute ${attr.slice(0, 20)}]`);
      }
    },
  }, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
  parser.write(html);
  parser.end();
  // and on the raw string: a "<" in text is always escaped, so any of these is markup
  if (/<\s*\/?\s*(?:script|style|iframe|frame|object|embed|applet|form|input|button|textarea|select|svg|math|link|meta|base|template|noscript|xmp|plaintext)\b/i.test(html)) found.push('raw dangerous tag');
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    // attribute values are always double-quoted with " escaped; what is left outside them are the attribute names
    if (/\s(?:on[a-z]+|formaction|xlink:href)\s*=/i.test(tag.replace(/"[^"]*"/g, '""'))) found.push(`raw dangerous attribute in ${tag.slice(0, 40)}`);
  }
  return found;
}
