/**
 * Text whose bytes do not match their label: raw 8-bit headers, bodies labelled UTF-8 (or not labelled
 * at all) that hold GBK or Latin-1. Decoded with the best guess instead of replacement characters.
 *
 * - UTF-8 with a few stray bytes (one Latin-1 "î" in an otherwise UTF-8 body): the valid sequences
 *   stay UTF-8, each stray byte is read as Windows-1252.
 * - No valid multi-byte UTF-8 at all: a legacy charset. The charsets the message declares elsewhere
 *   are tried first (a Chinese mail declares GB2312 on its HTML part and writes its subject raw),
 *   then GB18030 when the bytes look like GB (runs of high-byte pairs), then Windows-1252.
 *   Big5, EUC-KR and Shift_JIS are only used when declared: telling them from GBK needs more than
 *   byte patterns, and a Chinese-first helpdesk sees GBK most.
 */

/** Declared labels → decoders to try: multi-byte ones (which can fail, so they are tested) and single-byte ones. */
function candidatesFrom(declared: readonly string[]): { multi: string[]; single: string[] } {
  const multi: string[] = [];
  const single: string[] = [];
  for (const label of declared.map((c) => c.toLowerCase())) {
    // 7-bit Japanese mail whose client wrote Shift_JIS (or EUC-JP) into raw headers
    if (/^iso-?2022-?jp|^shift|^sjis|^ms932|^windows-31j|^cp932|^x-sjis/.test(label)) multi.push('shift_jis', 'euc-jp');
    else if (/^(?:x-)?euc-?jp/.test(label)) multi.push('euc-jp', 'shift_jis');
    else if (/^(?:gb|cp936|ms936|windows-936|csgb|chinese|csiso58|iso-ir-58|x-gbk)/.test(label)) multi.push('gb18030');
    else if (/big5/.test(label)) multi.push('big5');
    else if (/^(?:ks_c_5601|euc-?kr|iso-?2022-?kr|cp949|korean)/.test(label)) multi.push('euc-kr');
    else if (!/^(?:utf|us-ascii|ascii|unicode|7bit|8bit|binary)/.test(label) && isKnown(label)) single.push(label);
  }
  return { multi: [...new Set(multi)], single: [...new Set(single)] };
}

function isKnown(label: string): boolean {
  try { new TextDecoder(label); return true; } catch { return false; }
}

function tryDecode(bytes: Uint8Array, label: string): string | null {
  try { return new TextDecoder(label, { fatal: true }).decode(bytes); } catch { return null; }
}

/** Length of the valid UTF-8 sequence starting at i, or 0. */
function utf8SequenceAt(b: Uint8Array, i: number): number {
  const c = b[i];
  const cont = (k: number) => i + k < b.length && (b[i + k] & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1];
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return 0; // overlong, surrogate
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1];
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return 0;
    return 4;
  }
  return 0;
}

const cp1252 = new TextDecoder('windows-1252');

/** Does it look like GB2312/GBK text: most high bytes come in pairs of two high bytes? */
function looksLikeGb(b: Uint8Array): boolean {
  let paired = 0;
  let lone = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] < 0x80) continue;
    if (b[i] >= 0x81 && b[i] <= 0xfe && i + 1 < b.length && b[i + 1] >= 0x81) { paired += 2; i++; } else lone++;
  }
  return paired >= 4 && paired >= 4 * lone; // two characters at least: one pair is also Latin-1 "üß"
}

/** True when the bytes are valid UTF-8 (plain ASCII included). */
export function isUtf8(bytes: Uint8Array): boolean {
  return tryDecode(bytes, 'utf-8') !== null;
}

/** Decodes bytes that are not valid UTF-8, using the charsets the message declares as hints. */
export function decodeMislabelled(bytes: Uint8Array, declared: readonly string[] = []): string {
  let inSequences = 0;
  let stray = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x80) continue;
    const n = utf8SequenceAt(bytes, i);
    if (n) { inSequences += n; i += n - 1; } else stray++;
  }
  // legacy multi-byte text forms valid UTF-8 sequences by chance too, but never most of its high bytes
  if (inSequences >= 2 * stray) {
    // mostly UTF-8: keep the valid sequences, read each stray byte as Windows-1252
    let out = '';
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] < 0x80) continue;
      const n = utf8SequenceAt(bytes, i);
      if (n) { i += n - 1; continue; }
      out += Buffer.from(bytes.subarray(start, i)).toString('utf8') + cp1252.decode(bytes.subarray(i, i + 1));
      start = i + 1;
    }
    return out + Buffer.from(bytes.subarray(start)).toString('utf8');
  }
  const { multi, single } = candidatesFrom(declared);
  for (const label of multi) {
    const text = tryDecode(bytes, label);
    if (text !== null) return text;
  }
  if (single.length) return new TextDecoder(single[0]).decode(bytes); // a single-byte charset decodes anything
  if (looksLikeGb(bytes)) {
    const text = tryDecode(bytes, 'gb18030');
    if (text !== null) return text;
  }
  return cp1252.decode(bytes);
}
