import { AppError } from '../../contracts/errors.ts';
import type { Ctx } from '../../modules/context.ts';
import { foldQuotes } from './fold-quotes.ts';
import { parseMail, type MailAttachment } from './parse-mail.ts';
import { originalMail } from './raw-source.ts';
import { sanitizeMailHtml } from './sanitize-html.ts';

/**
 * A customer's email as it was formatted, for the console to show in a sandboxed frame: the HTML part
 * sanitized again without remote images (no tracking pixels, nothing leaves the page), inline images
 * embedded as data: URIs, and the quoted history folded into a <details> the agent can open. A mail
 * without HTML shows its text the same way. Built from the stored raw mail, so nothing new is stored.
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Where quoted history starts in a mail's HTML: a quote block, a client's quote container, or an "original message" line. */
const QUOTE_STARTS = [
  /<blockquote\b/i,
  /<div[^>]*\bclass="[^"]*\b(?:gmail_quote|moz-cite-prefix|yahoo_quoted|protonmail_quote)\b/i,
  /<div[^>]*\bid="(?:appendonsend|divRplyFwdMsg|reply-intro|isForwardContent|origbody)"/i,
  /[-_=]{2,}\s*(?:original message|ursprüngliche nachricht|原始邮件|原始郵件|原邮件|message d'origine|mensaje original)\s*[-_=]{2,}/i,
  /(?:<[^>]+>|^|\n)\s*(?:On\b[^<]{4,200}\bwrote|在[^<]{2,200}写道|於[^<]{2,200}寫道)\s*[:：]/i,
];

/** Cuts before the first quote marker, at the start of the element it sits in; -1 when nothing before it would remain. */
export function quoteStart(html: string): number {
  let cut = -1;
  for (const re of QUOTE_STARTS) {
    const m = re.exec(html);
    if (!m) continue;
    let at = m.index + (m[0].startsWith('<') ? 0 : m[0].search(/\S/));
    if (html[at] !== '<') {
      // a text marker: fold from the start of the block element that holds it
      const open = Math.max(html.lastIndexOf('<div', at), html.lastIndexOf('<p', at), html.lastIndexOf('<hr', at));
      if (open !== -1 && html.lastIndexOf('>', at) > open) at = open;
    }
    if (cut === -1 || at < cut) cut = at;
  }
  if (cut <= 0) return -1;
  const before = html.slice(0, cut).replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '');
  return before ? cut : -1;
}

function embedInlineImages(html: string, attachments: MailAttachment[]): string {
  let budget = 5 * 1024 * 1024;
  const byCid = new Map<string, string>();
  for (const a of attachments) {
    if (!a.contentId || !a.contentType.startsWith('image/') || a.contentType.includes('svg') || a.content.length > budget) continue;
    budget -= a.content.length;
    byCid.set(a.contentId.replace(/^<|>$/g, '').toLowerCase(), `data:${a.contentType};base64,${a.content.toString('base64')}`);
  }
  return html.replace(/(<img\b[^>]*\bsrc=")cid:([^"]+)"/gi, (whole, head: string, cid: string) => {
    const uri = byCid.get(decodeURIComponent(cid).toLowerCase());
    return uri ? `${head}${uri}"` : whole;
  });
}

const PAGE_STYLE = 'body{font:14px/1.6 -apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2329;margin:0;padding:4px 8px;word-break:break-word}'
  + 'img{max-width:100%;height:auto}table{max-width:100%}pre{white-space:pre-wrap;font:inherit;margin:0}'
  + 'details{margin-top:12px}summary{cursor:pointer;color:#6b7280;font-size:12px}'
  + 'blockquote{margin:4px 0 4px 4px;padding-left:10px;border-left:3px solid #e5e7eb;color:#4b5563}';

/** The whole page for the frame: the mail's body, its quoted history folded under a summary in the reader's language. */
export function mailPage(body: { html?: string; text: string; attachments: MailAttachment[] }, locale: 'zh-CN' | 'en'): string {
  const summary = locale === 'en' ? 'Show quoted history' : '显示引用的历史邮件';
  let inner: string;
  if (body.html) {
    const clean = embedInlineImages(sanitizeMailHtml(body.html, { remoteImages: false }), body.attachments);
    const cut = quoteStart(clean);
    inner = cut === -1 ? clean : `${clean.slice(0, cut)}<details><summary>${summary}</summary>${clean.slice(cut)}</details>`;
  } else {
    const folded = foldQuotes(body.text);
    inner = `<pre>${esc(folded.visible)}</pre>${folded.folded ? `<details><summary>${summary}</summary><pre>${esc(folded.folded)}</pre></details>` : ''}`;
  }
  return `<!doctype html><html><head><meta charset="utf-8"><style>${PAGE_STYLE}</style></head><body>${inner}</body></html>`;
}

/** The formatted view of one inbound email message of a ticket the caller can open. */
export async function messageHtml(ctx: Ctx, ticketId: string, messageId: string, locale: 'zh-CN' | 'en'): Promise<string> {
  const parsed = await parseMail(await originalMail(ctx, ticketId, messageId));
  if (!parsed.ok) throw new AppError('not_found', { zh: '这封邮件无法解析', en: 'This email cannot be read' });
  return mailPage(parsed.mail, locale);
}
