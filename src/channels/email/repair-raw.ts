import { decodeMislabelled, isUtf8 } from './guess-charset.ts';

/**
 * Repairs on the raw bytes before MIME parsing, for habits of Chinese (and other) mail clients and of
 * broken mailers that the MIME parser would otherwise turn into replacement characters or lost parts:
 *
 * 1. GB2312 and GBK labels are rewritten to GB18030. Mail labelled GB2312 often holds GBK or GB18030
 *    characters, and the parser reads the GBK label with a table that has no four-byte sequences;
 *    GB18030 is a superset of both.
 * 2. Header lines with raw 8-bit bytes that are not UTF-8 (a Subject or a file name typed in GB2312 or
 *    Shift_JIS instead of RFC 2047 encoded words) are transcoded to UTF-8, which the parser reads (RFC 6532).
 * 3. Text parts labelled UTF-8 or ASCII, or not labelled, whose bytes are not UTF-8 are transcoded to
 *    UTF-8 in the same transfer encoding, so their label is true again.
 * 4. A header parameter written on its own unindented line ("Content-Type: multipart/alternative;" then
 *    "boundary=…") is folded back into its header; otherwise the parser loses the boundary and every
 *    part under it.
 *
 * The charset to use is guessed from what the message declares elsewhere (guess-charset.ts). Bodies of
 * correctly labelled parts and all attachments are left byte for byte as they are.
 */

const GB_IN_HEADER = /(charset[ \t]*=[ \t]*"?|=\?|\*=[ \t]*"?)(gb2312|gb_2312-80|gb_2312|csgb2312|csiso58gb231280|iso-ir-58|chinese|gbk|x-gbk|cp936|ms936|windows-936)(?=["';?\s*]|$)/gi;
const CHARSET_PARAM = /charset[ \t]*=[ \t]*"?([\w.:-]+)/gi;
const BOUNDARY_PARAM = /boundary[ \t]*=[ \t]*(?:"([^"\r\n]+)"|([^\s;"]+))/gi;

interface PartHead { type: string; charset: string; encoding: string; attachment: boolean }

function readPartHead(lines: string[]): PartHead {
  const block = lines.join('\n').replace(/\n[ \t]+/g, ' ');
  const field = (name: string) => new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im').exec(block)?.[1] ?? '';
  const contentType = field('content-type');
  return {
    type: (/^\s*([^;\s]+)/.exec(contentType)?.[1] ?? 'text/plain').toLowerCase(),
    charset: (/charset[ \t]*=[ \t]*"?([^";\s]+)/i.exec(contentType)?.[1] ?? '').toLowerCase(),
    encoding: field('content-transfer-encoding').trim().toLowerCase(),
    attachment: /^\s*attachment/i.test(field('content-disposition')),
  };
}

/** A label the parser decodes as UTF-8: none, UTF-8, ASCII, or one nobody knows. */
function readAsUtf8(charset: string): boolean {
  if (!charset || /^(?:utf-?8|us-ascii|ascii|ansi_x3\.4-1968)$/.test(charset)) return true;
  if (/utf-?7/.test(charset)) return false;
  try { new TextDecoder(charset); return false; } catch { return true; }
}

function decodeQuotedPrintable(s: string): Buffer {
  return Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
}

function encodeQuotedPrintable(bytes: Buffer): Buffer {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const atLineEnd = i + 1 === bytes.length || bytes[i + 1] === 0x0d || bytes[i + 1] === 0x0a;
    out += b === 0x3d || b >= 0x80 || ((b === 0x20 || b === 0x09) && atLineEnd) ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  }
  return Buffer.from(out, 'latin1');
}

/** The body of a text part re-encoded as UTF-8 in its own transfer encoding, or null when it is fine. */
function repairTextBody(body: Buffer, bodyLatin1: string, head: PartHead, declared: () => string[]): Buffer | null {
  let bytes: Buffer;
  if (head.encoding === 'base64') bytes = Buffer.from(bodyLatin1, 'base64');
  else if (head.encoding === 'quoted-printable') {
    if (!/=[89a-fA-F][0-9a-fA-F]|[\x80-\xff]/.test(bodyLatin1)) return null;
    bytes = decodeQuotedPrintable(bodyLatin1);
  } else if (!head.encoding || ['7bit', '8bit', 'binary'].includes(head.encoding)) {
    if (!/[\x80-\xff]/.test(bodyLatin1)) return null;
    bytes = body;
  } else return null; // x-uuencode and friends: left to the parser
  if (isUtf8(bytes)) return null;
  const fixed = Buffer.from(decodeMislabelled(bytes, declared()), 'utf8');
  if (head.encoding === 'base64') return Buffer.from(fixed.toString('base64').replace(/.{76}(?=.)/g, '$&\r\n'), 'latin1');
  if (head.encoding === 'quoted-printable') return encodeQuotedPrintable(fixed);
  return fixed;
}

/**
 * The message with the repairs above applied; the same Buffer when nothing needed repair. Linear in the
 * message size: one pass over its lines, bodies only looked at when they are text parts.
 */
export function repairRaw(raw: Buffer): Buffer {
  const s = raw.toString('latin1'); // one char per byte: string offsets are byte offsets
  const boundaries = new Set<string>();
  for (const m of s.matchAll(BOUNDARY_PARAM)) boundaries.add(`--${m[1] ?? m[2]}`);
  let declaredCache: string[] | null = null;
  const declared = () => (declaredCache ??= [...s.matchAll(CHARSET_PARAM)].map((m) => m[1]));

  const edits: Array<{ from: number; to: number; bytes: Buffer }> = [];
  let inHeader = true;
  let headLines: string[] = [];
  let leaf: { head: PartHead; start: number } | null = null;

  const closeLeaf = (end: number) => {
    if (!leaf) return;
    const { head, start } = leaf;
    leaf = null;
    if (end <= start || head.attachment || (head.type !== 'text/plain' && head.type !== 'text/html') || !readAsUtf8(head.charset)) return;
    const fixed = repairTextBody(raw.subarray(start, end), s.slice(start, end), head, declared);
    if (fixed) edits.push({ from: start, to: end, bytes: fixed });
  };

  let pos = 0;
  while (pos < s.length) {
    let end = s.indexOf('\n', pos);
    if (end === -1) end = s.length;
    if (!inHeader && s.charCodeAt(pos) !== 45 /* - */) { pos = end + 1; continue; } // body line, no boundary
    const line = s.slice(pos, end).replace(/\r$/, '');
    if (inHeader) {
      if (line === '') {
        const head = readPartHead(headLines);
        headLines = [];
        // the body of a message/rfc822 part is the embedded message's own header block
        inHeader = head.type === 'message/rfc822' || head.type === 'message/global';
        if (!inHeader && !head.type.startsWith('multipart/')) leaf = { head, start: end + 1 };
      } else {
        if (/^[\w-]+\*?[ \t]*=/.test(line) && /;[ \t]*$/.test(headLines.at(-1) ?? '')) {
          headLines[headLines.length - 1] += ` ${line}`;
          edits.push({ from: pos, to: pos, bytes: Buffer.from('\t') }); // make it a folded continuation line
          pos = end + 1;
          continue;
        }
        let fixed: string | null = null;
        if (/[\x80-\xff]/.test(line)) {
          const bytes = Buffer.from(line, 'latin1');
          if (!isUtf8(bytes)) fixed = decodeMislabelled(bytes, declared());
        }
        const relabelled = (fixed ?? line).replace(GB_IN_HEADER, (_m, lead: string) => `${lead}gb18030`);
        headLines.push(relabelled);
        if (fixed !== null || relabelled !== line) {
          edits.push({ from: pos, to: pos + line.length, bytes: Buffer.from(relabelled, fixed !== null ? 'utf8' : 'latin1') });
        }
      }
    } else {
      const trimmed = line.trimEnd();
      const isClose = trimmed.endsWith('--') && boundaries.has(trimmed.slice(0, -2));
      if (isClose || boundaries.has(trimmed)) {
        // the line break before a delimiter belongs to the delimiter, not to the body
        closeLeaf(pos - (s.charCodeAt(pos - 2) === 13 ? 2 : 1));
        inHeader = !isClose;
      }
    }
    pos = end + 1;
  }
  closeLeaf(s.length);
  if (!edits.length) return raw;

  const out: Buffer[] = [];
  let copied = 0;
  for (const e of edits) {
    out.push(raw.subarray(copied, e.from), e.bytes);
    copied = e.to;
  }
  out.push(raw.subarray(copied));
  return Buffer.concat(out);
}
