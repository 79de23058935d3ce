/** Longest filename kept, in characters (the extension survives the cut). */
export const MAX_FILENAME = 180;

// C0 and C1 controls, DEL, and the invisible formatting characters that can disguise a name
// ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"): bidi marks, overrides and isolates, zero-width
// space, BOM. Zero-width (non-)joiners stay: emoji sequences and several scripts need them.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A filename safe to store and show: the last path segment only (no "../", no directories from either
 * slash), no control or disguising characters, no leading dots or trailing dots and spaces, at most
 * MAX_FILENAME characters. Everything else stays as the sender wrote it (报价单.pdf keeps its name).
 */
export function sanitizeFilename(raw: string, fallback = 'file'): string {
  let name = raw.normalize('NFC').replace(LONE_SURROGATE, '').replace(UNSAFE, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(/\s+/g, ' ').trim().replace(/^\.+/, '').replace(/[. ]+$/, '');
  const chars = [...name];
  if (chars.length > MAX_FILENAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    name = ext.length > 0 && ext.length <= 16
      ? chars.slice(0, MAX_FILENAME - ext.length).join('') + ext.join('')
      : chars.slice(0, MAX_FILENAME).join('');
  }
  return name || fallback;
}

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The declared type without parameters, lower-cased; anything unparseable is application/octet-stream. */
export function normalizeContentType(raw: string | undefined | null): string {
  const type = String(raw ?? '').split(';')[0].trim().toLowerCase();
  return MIME.test(type) ? type : 'application/octet-stream';
}
