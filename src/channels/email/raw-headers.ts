/**
 * Reading the header block of a raw message (an embedded message/rfc822 part, a text/rfc822-headers
 * part of a bounce, a message/delivery-status block). The MIME parser keeps these as opaque
 * attachments; naming them and finding the bounced Message-ID only needs a few header values.
 */

/** Header fields of one block, lowercase name → unfolded values in order. Reads at most maxBytes. */
export function readHeaderBlock(raw: Buffer | string, maxBytes = 64 * 1024): Map<string, string[]> {
  const text = (typeof raw === 'string' ? raw.slice(0, maxBytes) : raw.subarray(0, maxBytes).toString('utf8')).replace(/^\s*\r?\n/, '');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const fields = new Map<string, string[]>();
  for (const line of block.split(/\r?\n/)) {
    const m = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const list = fields.get(key) ?? [];
    list.push(m[2].trim());
    fields.set(key, list);
  }
  return fields;
}

/**
 * Every header block of a delivery-status body (RFC 3464: one per-message block, then one block per
 * recipient), each as a field map.
 */
export function readHeaderBlocks(raw: Buffer | string, maxBytes = 256 * 1024): Array<Map<string, string[]>> {
  const text = typeof raw === 'string' ? raw.slice(0, maxBytes) : raw.subarray(0, maxBytes).toString('utf8');
  return text.split(/\r?\n[ \t]*\r?\n/).filter((b) => b.trim()).map((b) => readHeaderBlock(b));
}

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

function decodeBytes(bytes: Buffer, charset: string): string {
  try { return new TextDecoder(/^(?:gb2312|gbk)$/i.test(charset) ? 'gb18030' : charset).decode(bytes); } catch { return bytes.toString('utf8'); }
}

/** RFC 2047 encoded words (=?charset?B|Q?…?=) decoded; adjacent encoded words join without the space between. */
export function decodeEncodedWords(value: string): string {
  return value.replace(/(\?=)\s+(?==\?)/g, '$1').replace(ENCODED_WORD, (_m, charset: string, enc: string, data: string) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return decodeBytes(bytes, charset);
  });
}

/** The first <id> of a Message-ID style header (In-Reply-To sometimes carries a comment after it). */
export function firstMessageId(value: string | undefined): string | undefined {
  return messageIds(value)[0];
}

/** All <id> tokens of a References style header, in order; a bare id without brackets is accepted alone. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => `<${m[1]}>`);
  if (ids.length) return ids;
  const bare = value.trim();
  return /^[^\s<>@]+@[^\s<>@]+$/.test(bare) ? [`<${bare}>`] : [];
}
