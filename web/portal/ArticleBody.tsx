import { useMemo } from 'react';

/**
 * An article's body. The server stores it sanitized (an allow-list: no scripts, event handlers, frames
 * or javascript: links); before it reaches the page it is parsed once more in an inert document and
 * anything executable that might still be there is dropped, so a sanitizer gap is not an XSS here. The
 * page's Content-Security-Policy (script-src 'self') is the third line.
 */
const DROP = new Set(['SCRIPT', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'FORM', 'INPUT', 'BUTTON', 'TEXTAREA', 'SELECT', 'META', 'LINK', 'BASE', 'STYLE', 'SVG', 'MATH', 'TEMPLATE', 'NOSCRIPT']);
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'srcset', 'background', 'poster']);

export function hardenHtml(html: string): string {
  const doc = new DOMParser().parseFromString(`<!doctype html><body>${html}`, 'text/html');
  for (const el of [...doc.body.querySelectorAll('*')]) {
    if (DROP.has(el.tagName.toUpperCase())) { el.remove(); continue; }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (name.startsWith('on') || name === 'style' && /expression|url\(/.test(value)
        || URL_ATTRS.has(name) && /^(javascript|vbscript|data):/.test(value) && !(name === 'src' && /^data:image\/(png|jpe?g|gif|webp);/.test(value))) {
        el.removeAttribute(attr.name);
      }
    }
    // links leave the portal in a new tab, without a handle back to it
    if (el.tagName === 'A') { el.setAttribute('target', '_blank'); el.setAttribute('rel', 'noopener noreferrer nofollow'); }
  }
  return doc.body.innerHTML;
}

export function ArticleBody({ html }: { html: string }) {
  const safe = useMemo(() => hardenHtml(html), [html]);
  return <div className="portal-article-body" data-testid="portal-article-body" dangerouslySetInnerHTML={{ __html: safe }} />;
}
