import { INLINE_IMAGE_TYPES } from '../../contracts/attachments.ts';
import type { Attachment } from './attachments.schema.ts';

export function isInlineImage(contentType: string): boolean {
  return (INLINE_IMAGE_TYPES as readonly string[]).includes(contentType);
}

/**
 * Content-Disposition with the real name as RFC 5987 UTF-8 (filename*) and a plain-ASCII stand-in for
 * clients that read only `filename`.
 */
export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Headers of a download. Whatever a sender claims, the browser gets bytes to save: an opaque type, a
 * download disposition, no sniffing, and a sandbox in case it is opened anyway. Only images of the
 * safe types may be shown in place (never SVG or HTML, which can carry script).
 */
export function downloadHeaders(a: Pick<Attachment, 'filename' | 'contentType' | 'size'>, wantInline: boolean): Record<string, string> {
  const inline = wantInline && isInlineImage(a.contentType);
  return {
    'content-type': inline ? a.contentType : 'application/octet-stream',
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', a.filename),
    'content-length': String(a.size),
    'x-content-type-options': 'nosniff',
    'content-security-policy': 'sandbox',
    'cache-control': 'private, max-age=600',
  };
}
