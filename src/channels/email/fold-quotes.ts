/**
 * The new part of a reply, apart from the quoted history and the signature below it, so an agent reads
 * what the customer wrote this time and can unfold the rest. Lossless: visible + folded is the text.
 *
 * History starts at the first reply header ("On … wrote:", "在 … 写道：", "Am … schrieb …:",
 * "-----Original Message-----", "-----原始邮件-----", an Outlook "From: … Sent: … To: …" block) or at a
 * trailing run of ">" lines. A signature starts at the "-- " delimiter, at a "Sent from my iPhone" style
 * line, or at a signature already known for this sender (findCommonSignature). Forwarded messages are not
 * folded: what a customer forwards is usually the point of the mail.
 */

export interface FoldedText {
  /** What the sender wrote this time. */
  visible: string;
  /** Quoted history and signature, from the first line that starts them; '' when there is none. */
  folded: string;
  /** What the fold starts with. */
  foldedAt?: 'quote' | 'signature';
}

// "wrote:" in the languages our customers write, at the end of a reply header line
const WROTE = /(?:\bwrote|\bschrieb|a écrit|escribió|ha scritto|escreveu|schreef|написал[аи]?|写道|寫道|のメッセージ|さんは書きました|님이 작성)\s*[:：]\s*$|\b(?:schrieb|schreef)\b.*[:：]\s*$/i;
const REPLY_HEADER_START = /^\s*(?:On\b|Am\b|Le\b|El\b|Il\b|Em\b|Op\b|在|於|于|\d{4}[年/.-])/i;
const ORIGINAL_MESSAGE = /^\s*[-_=]{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|原始邮件|原始郵件|原邮件|message d'origine|mensaje original|messaggio originale|mensagem original|oorspronkelijk bericht|исходное сообщение|元のメッセージ|回复的邮件)\s*[-_=]{2,}\s*$/i;
const FROM_FIELD = /^\s*\*?(?:from|von|de|da|van|от|发件人|發件人|寄件者|差出人)\s*\*?\s*[:：]/i;
const SENT_FIELD = /^\s*\*?(?:sent|date|gesendet|datum|envoyé|enviado|inviato|verzonden|отправлено|发送时间|發送時間|日期|时间|寄件日期|送信日時)\s*\*?\s*[:：]/i;
const TO_OR_SUBJECT = /^\s*\*?(?:to|subject|an|betreff|à|objet|para|asunto|a|oggetto|aan|onderwerp|кому|тема|收件人|主题|主旨|收件者|宛先|件名)\s*\*?\s*[:：]/i;
const UNDERSCORES = /^\s*_{8,}\s*$/;
const SIG_DELIMITER = /^-- ?$/;
const MOBILE_SIGNATURE = /^\s*(?:sent from my \w+|sent from (?:mail|outlook) for \w+|get outlook for \w+|von meinem \w+ gesendet|envoyé de mon \w+|enviado desde mi \w+|inviato da[l]? mio \w+|发自我的\s*\S+|从我的\s*\S+\s*发送|发自网易邮箱(?:大师)?|发自\s*(?:QQ邮箱|手机QQ邮箱|WPS邮箱)|来自\s*\S*(?:邮箱|客户端)|\S+から送信)\s*$/i;

interface Line { text: string; start: number }

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ text: part.replace(/\r$/, ''), start });
    start += part.length + 1;
  }
  return lines;
}

/** Does a reply header start at line i? ("On … wrote:" may wrap over up to three lines.) */
function replyHeaderAt(lines: Line[], i: number): boolean {
  const line = lines[i].text;
  if (ORIGINAL_MESSAGE.test(line)) return true;
  if (REPLY_HEADER_START.test(line) || WROTE.test(line)) {
    let joined = line;
    for (let k = 0; k < 3 && i + k < lines.length; k++) {
      if (k) joined += ` ${lines[i + k].text}`;
      // a real header names a date or an address; "Am Montag schrieb ich dir:" does not
      if (WROTE.test(lines[i + k].text)) return joined.length < 400 && /\d|@/.test(joined);
      if (!lines[i + k].text.trim()) break;
    }
  }
  // Outlook: [________] From: … then Sent:/Date: and To:/Subject: within the next lines
  const fromAt = UNDERSCORES.test(line) && i + 1 < lines.length ? i + 1 : i;
  if (FROM_FIELD.test(lines[fromAt].text)) {
    const next = lines.slice(fromAt + 1, fromAt + 6).map((l) => l.text);
    return next.some((t) => SENT_FIELD.test(t)) && next.some((t) => TO_OR_SUBJECT.test(t));
  }
  return false;
}

/** First line of a trailing block made only of "> " quotes and blank lines, or -1. */
function trailingQuoteAt(lines: Line[]): number {
  let at = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].text;
    if (/^\s*>/.test(t)) at = i;
    else if (t.trim()) break;
  }
  return at;
}

function signatureAt(lines: Line[], end: number, known?: string[]): number {
  for (let i = 0; i < end; i++) {
    if (SIG_DELIMITER.test(lines[i].text)) return i;
    // a phone's signature is the last thing before the history, not a sentence in the middle
    if (MOBILE_SIGNATURE.test(lines[i].text) && lines.slice(i + 1, end).every((l) => !l.text.trim())) return i;
  }
  if (known?.length) {
    // compared line by line over the non-blank lines: clients differ in the blank lines they keep
    const filled = lines.slice(0, end).map((l, i) => ({ t: l.text.trim(), i })).filter((l) => l.t);
    for (let f = 0; f + known.length <= filled.length; f++) {
      if (known.every((k, j) => filled[f + j].t === k)) return filled[f].i;
    }
  }
  return -1;
}

/**
 * Splits a plain-text body into the new part and the folded history/signature. `knownSignature` is a
 * signature found earlier for this sender (findCommonSignature); it is folded wherever it appears.
 */
export function foldQuotes(text: string, knownSignature?: string): FoldedText {
  const lines = splitLines(text);
  let history = lines.findIndex((_l, i) => replyHeaderAt(lines, i));
  const quote = trailingQuoteAt(lines);
  if (quote !== -1 && (history === -1 || quote < history)) history = quote;
  const historyEnd = history === -1 ? lines.length : history;
  const known = knownSignature?.split('\n').map((l) => l.trim()).filter(Boolean);
  const signature = signatureAt(lines, historyEnd, known);

  const cut = signature !== -1 ? signature : history;
  if (cut === -1) return { visible: text, folded: '' };
  const visible = text.slice(0, lines[cut].start).replace(/\s+$/, '');
  // a mail that is all quote (a forward without a word, a bare signature) is shown whole
  if (!visible.trim()) return { visible: text, folded: '' };
  return { visible, folded: text.slice(lines[cut].start), foldedAt: signature !== -1 ? 'signature' : 'quote' };
}

/**
 * The signature several mails of one sender end with: the longest run of trailing lines (at least
 * three non-blank) that at least two of the texts share, or undefined. Zammad finds signatures the
 * same way, by comparing a sender's mails.
 */
export function findCommonSignature(texts: string[]): string | undefined {
  const tails = texts.map((t) => t.replace(/\r/g, '').trimEnd().split('\n').map((l) => l.trimEnd()));
  let best: string[] = [];
  for (let a = 0; a < tails.length; a++) {
    for (let b = a + 1; b < tails.length; b++) {
      const x = tails[a];
      const y = tails[b];
      let n = 0;
      while (n < x.length && n < y.length && x[x.length - 1 - n].trim() === y[y.length - 1 - n].trim()) n++;
      const shared = x.slice(x.length - n);
      while (shared.length && !shared[0].trim()) shared.shift();
      if (shared.filter((l) => l.trim()).length >= 3 && shared.length > best.length) best = shared;
    }
  }
  return best.length ? best.join('\n') : undefined;
}
