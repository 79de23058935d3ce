import { isHanTerm, subwords, tokenize, type UserDictionary } from './segment.ts';

/**
 * What an article puts into the search index. search_text holds segmented terms, one section per
 * line (the stored tsvector weighs them: title A, keywords/synonyms/paraphrases B, body C, subwords
 * D); within line 2 each phrase is kept apart by " | " so ranking can score the best single
 * paraphrase. fuzzy_text holds the Latin-script words that trigram matching compares typos against.
 */

export interface IndexSource {
  title: string;
  keywords: readonly string[];
  /** Synonym groups as written ("网速=宽带速度"); every member is indexed. */
  synonyms: readonly string[];
  paraphrases: readonly string[];
  bodyText: string;
}

export interface IndexText {
  searchText: string;
  fuzzyText: string;
  /** Every distinct lexeme of the tsvector: what kb_terms counts. */
  terms: string[];
}

/** Body text beyond this many characters is not indexed (the tsvector keeps positions up to 16,383 anyway). */
export const BODY_INDEX_CHARS = 30_000;
const FUZZY_TEXT_CHARS = 2_000;
/**
 * Separators the 'simple' parser drops, so they never become lexemes: between phrases (a keyword, a
 * paraphrase) and between the clauses of one phrase. FAQ questions are often several ways of asking
 * in one line ("哪里，在哪，具体位置"); each clause is scored on its own too.
 */
export const PHRASE_SEPARATOR = ' || ';
export const CLAUSE_SEPARATOR = ' | ';
/** Where a question splits into clauses: sentence and list punctuation, Chinese and Latin. */
const CLAUSE_BREAK = /[，,。.！!？?；;、：:\n\r|｜/]+/;

/** The clauses of a phrase, each as its terms (empty clauses dropped). */
export function clauseTerms(text: string, dict: UserDictionary): string[][] {
  return text.split(CLAUSE_BREAK).map((c) => tokenize(c, dict).map((t) => t.term)).filter((c) => c.length);
}

/** The members of a synonym group as written: "网速=宽带速度, 网络速度" → [网速, 宽带速度, 网络速度]. */
export function synonymMembers(group: string): string[] {
  return group.split(/[=＝,，、;；/|]+/).map((s) => s.trim()).filter(Boolean);
}

export function buildIndexText(src: IndexSource, dict: UserDictionary): IndexText {
  const title = clauseTerms(src.title, dict);
  const phraseSources = [...src.keywords, ...src.synonyms.flatMap(synonymMembers), ...src.paraphrases];
  const phrases = phraseSources.map((p) => clauseTerms(p, dict)).filter((p) => p.length);
  const body = tokenize(src.bodyText.slice(0, BODY_INDEX_CHARS), dict).map((t) => t.term);

  const seen = new Set<string>([...title.flat(), ...phrases.flat(2), ...body]);
  const extra: string[] = [];
  for (const term of seen) {
    if (!isHanTerm(term)) continue;
    for (const s of subwords(term)) if (!seen.has(s)) { seen.add(s); extra.push(s); }
  }

  const fuzzy = new Set<string>();
  for (const text of [src.title, ...phraseSources]) {
    for (const w of latinWords(text)) fuzzy.add(w);
  }
  const clauses = (p: string[][]) => p.map((c) => c.join(' ')).join(CLAUSE_SEPARATOR);
  return {
    searchText: [clauses(title), phrases.map(clauses).join(PHRASE_SEPARATOR), body.join(' '), extra.join(' ')].join('\n'),
    fuzzyText: [...fuzzy].join(' ').slice(0, FUZZY_TEXT_CHARS),
    terms: [...seen],
  };
}

/**
 * Lower-case Latin-script words of three letters or more, accents folded and not stemmed: what
 * pg_trgm compares. Only a–z and digits, so every database locale makes the same trigrams.
 */
export function latinWords(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return (folded.match(/[a-z0-9]+/g) ?? []).filter((w) => w.length >= 3 && /[a-z]/.test(w));
}

/** A phrase as ranking sees it: all its terms, and its clauses when it has more than one. */
export interface IndexedPhrase { terms: string[]; clauses: string[][] }

/**
 * The title and each keyword, synonym and paraphrase of a stored search_text (lines 1 and 2). One pass
 * over the words: ranking parses every candidate's lines on every search.
 */
export function parseIndexPhrases(titleLine: string, phrasesLine: string): { title: IndexedPhrase; phrases: IndexedPhrase[] } {
  const phrases = phrasesLine ? parseLine(phrasesLine) : [];
  return { title: parseLine(titleLine)[0] ?? { terms: [], clauses: [] }, phrases };
}

const CLAUSE_MARK = CLAUSE_SEPARATOR.trim();
const PHRASE_MARK = PHRASE_SEPARATOR.trim();

/** The phrases of a line (PHRASE_MARK between them), each with its clauses (CLAUSE_MARK between them); empty ones left out. */
function parseLine(line: string): IndexedPhrase[] {
  const out: IndexedPhrase[] = [];
  let terms: string[] = [];
  let clauses: string[][] = [];
  let clause: string[] = [];
  const endClause = () => { if (clause.length) { clauses.push(clause); clause = []; } };
  const endPhrase = () => {
    endClause();
    if (terms.length) out.push({ terms, clauses: clauses.length > 1 ? clauses : [] });
    terms = [];
    clauses = [];
  };
  for (const word of line.split(' ')) {
    if (!word) continue;
    if (word === CLAUSE_MARK) endClause();
    else if (word === PHRASE_MARK) endPhrase();
    else { clause.push(word); terms.push(word); }
  }
  endPhrase();
  return out;
}
