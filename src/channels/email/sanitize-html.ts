import sanitize from 'sanitize-html';
import { convert } from 'html-to-text';

/**
 * The HTML body of an email as it may be shown in the console: formatting, tables, links and images
 * stay; anything that runs code, submits data, loads a frame, or styles its way to a request is dropped.
 * An allow-list (sanitize-html), so a tag or attribute nobody thought of is dropped, not kept.
 */

const TAGS = [
  'a', 'abbr', 'address', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code',
  'col', 'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp',
  'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr',
  'tt', 'u', 'ul', 'var', 'wbr',
];

const LAYOUT = ['align', 'valign', 'width', 'height', 'bgcolor', 'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan', 'nowrap'];
const ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'title', 'dir', 'lang', 'align'],
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height', 'border'],
  font: ['color', 'face', 'size'],
  table: LAYOUT, td: LAYOUT, th: LAYOUT, tr: LAYOUT, col: LAYOUT, colgroup: LAYOUT, tbody: LAYOUT, thead: LAYOUT, tfoot: LAYOUT,
  ol: ['start', 'type'], ul: ['type'], li: ['value'], blockquote: ['cite'], q: ['cite'], del: ['cite'], ins: ['cite'],
};

/**
 * A CSS value may not fetch anything: no url(), image-set(), @import, expression() (old IE), no
 * escapes that could spell those, and no characters that end the declaration early.
 */
const SAFE_CSS_VALUE = /^(?![\s\S]*(?:url|image|expression|element|cross-fade|paint|var|env|attr)\s*\()(?![\s\S]*(?:[\\@<>{};]|\/\*))[\s\S]*$/i;
const STYLE_PROPERTIES = [
  'color', 'background-color', 'font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant',
  'line-height', 'letter-spacing', 'text-align', 'text-decoration', 'text-indent', 'text-transform', 'vertical-align',
  'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'direction', 'unicode-bidi',
  'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width',
  'border-collapse', 'border-spacing', 'border-radius',
  'width', 'height', 'max-width', 'min-width', 'max-height', 'min-height', 'display', 'float', 'clear', 'list-style-type',
];
const ALLOWED_STYLE = new Set(STYLE_PROPERTIES);

/**
 * The style attribute with only allowed properties and safe values. Filtered here rather than by
 * sanitize-html's allowedStyles, which runs postcss on every attribute: 10× slower on newsletter HTML.
 * A declaration that does not split cleanly (a ";" inside quotes) fails the checks and is dropped.
 */
function filterStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const m = /^\s*([a-zA-Z-]+)\s*:\s*([\s\S]*?)\s*$/.exec(declaration);
    if (!m || !m[2]) continue;
    const property = m[1].toLowerCase();
    if (ALLOWED_STYLE.has(property) && SAFE_CSS_VALUE.test(m[2])) kept.push(`${property}:${m[2]}`);
  }
  return kept.join(';');
}

/** Inline images a browser renders as pictures, never as documents (image/svg+xml can hold script). */
const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|bmp);base64,[a-z0-9+/=\s]*$/i;

const LINK_SCHEMES = ['http', 'https', 'mailto', 'tel'];
const IMAGE_SCHEMES = ['http', 'https', 'cid'];
// characters a URL parser may skip, or a reader would not see, in front of or inside a scheme ("java\u00a0script:")
const INVISIBLE = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u2060\ufeff]/g;

/**
 * A URL with an allowed scheme, or relative. Stricter than browsers on purpose: invisible characters are
 * removed before the scheme is read, and protocol-relative //host links are refused.
 */
function hasSafeScheme(url: string, schemes: readonly string[]): boolean {
  const value = url.replace(INVISIBLE, '').toLowerCase();
  if (value.startsWith('//')) return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(value)?.[1];
  return !scheme || schemes.includes(scheme);
}

export interface SanitizeOptions {
  /** Keep http(s) images (tracking pixels included); false drops them, cid: and data: images stay. */
  remoteImages?: boolean;
}

function options(opts: SanitizeOptions): sanitize.IOptions {
  return {
    allowedTags: TAGS,
    allowedAttributes: ATTRIBUTES,
    parseStyleAttributes: false, // style is filtered by filterStyle in transformTags['*']
    // sanitize-html's own scheme check, behind the stricter one in transformTags: cid: is an inline image of
    // the same mail, data: passes only as DATA_IMAGE
    allowedSchemes: LINK_SCHEMES,
    allowedSchemesByTag: { img: opts.remoteImages === false ? ['cid', 'data'] : [...IMAGE_SCHEMES, 'data'] },
    allowProtocolRelative: false,
    // the contents of these are code or markup-in-disguise, not text a reader should see
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'xmp', 'iframe', 'noembed', 'noframes', 'template', 'object', 'svg', 'math', 'select'],
    disallowedTagsMode: 'discard',
    enforceHtmlBoundary: false,
    // deeply nested mail (thousands of <div>) must not cost unbounded work downstream
    nestingLimit: 200,
    transformTags: {
      a: (tagName, attribs) => {
        const out: sanitize.Attributes = { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' };
        if (out.href !== undefined && !hasSafeScheme(out.href, LINK_SCHEMES)) delete out.href;
        return { tagName, attribs: out };
      },
      '*': (tagName, attribs) => {
        if (attribs.style === undefined) return { tagName, attribs };
        const out: sanitize.Attributes = { ...attribs, style: filterStyle(attribs.style) };
        if (!out.style) delete out.style;
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const out: sanitize.Attributes = { ...attribs };
        const src = out.src?.trim();
        if (src !== undefined && !DATA_IMAGE.test(src) && !hasSafeScheme(src, opts.remoteImages === false ? ['cid'] : IMAGE_SCHEMES)) delete out.src;
        return { tagName, attribs: out };
      },
    },
  };
}

const DEFAULT_OPTIONS = options({});

/** The email's HTML with everything executable or exfiltrating removed. */
export function sanitizeMailHtml(html: string, opts: SanitizeOptions = {}): string {
  return sanitize(html, opts.remoteImages === undefined ? DEFAULT_OPTIONS : options(opts)).trim();
}

/** Plain text of an HTML body, for mail without a text part: paragraphs and lists kept, images dropped. */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: false,
    limits: { maxDepth: 200, maxInputLength: 4_000_000 },
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false, noAnchorUrl: true } },
      { selector: 'h1', options: { uppercase: false } }, { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } }, { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } }, { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', options: { uppercaseHeaderCells: false } },
    ],
  }).trim();
}
