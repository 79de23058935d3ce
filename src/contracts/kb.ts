import { Type, type Static } from 'typebox';
import { Locale, Timestamp, Uuid, listOf, oneOf } from './common.ts';

/**
 * Knowledge base: a category tree, articles and FAQ entries (an FAQ is a question as title, the other
 * ways customers ask it, and an answer as body), their versions, and search.
 */

export const KB_LIMITS = {
  titleMax: 200,
  /** sanitized HTML; about 100 pages of text */
  bodyMax: 200_000,
  keywordsMax: 50,
  keywordMax: 50,
  synonymsMax: 50,
  synonymMax: 200,
  paraphrasesMax: 100,
  paraphraseMax: 300,
  categoryNameMax: 100,
  categoryDescriptionMax: 500,
  queryMax: 200,
} as const;

export const KB_KINDS = ['article', 'faq'] as const;
export const KB_VISIBILITIES = ['public', 'internal'] as const;
export const KB_STATUSES = ['draft', 'published'] as const;
export const KB_SEARCH_MODES = ['exact', 'any', 'fuzzy'] as const;

export const KbKind = oneOf(KB_KINDS, { description: 'article, or faq: a question with paraphrases and an answer' });
export const KbVisibility = oneOf(KB_VISIBILITIES, { description: 'public: help center and robot; internal: staff only' });
export const KbStatus = oneOf(KB_STATUSES);
export const KbSearchMode = oneOf(KB_SEARCH_MODES, { description: 'exact (全部匹配): the words as a phrase; any (部分匹配): any of the words; fuzzy: also parts of words and typos' });
export type KbKind = (typeof KB_KINDS)[number];
export type KbVisibility = (typeof KB_VISIBILITIES)[number];
export type KbStatus = (typeof KB_STATUSES)[number];
export type KbSearchMode = (typeof KB_SEARCH_MODES)[number];

const SortOrder = Type.Integer({ minimum: -1000, maximum: 1000 });
/** Text with something in it besides spaces. */
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });

export const KbCategoryView = Type.Object({
  id: Uuid, parentId: Type.Union([Uuid, Type.Null()]), name: Type.String(), description: Type.String(), sortOrder: Type.Integer(),
  articleCount: Type.Integer({ description: 'Articles directly in this category (any status)' }),
});
export type KbCategoryView = Static<typeof KbCategoryView>;
export const KbCategoryList = listOf(KbCategoryView);

export const KbCategoryInput = Type.Object({
  name: Text(KB_LIMITS.categoryNameMax),
  parentId: Type.Optional(Type.Union([Uuid, Type.Null()], { description: 'The parent category; null or absent = top level' })),
  description: Type.Optional(Type.String({ maxLength: KB_LIMITS.categoryDescriptionMax })),
  sortOrder: Type.Optional(SortOrder),
}, { additionalProperties: false });
export type KbCategoryInput = Static<typeof KbCategoryInput>;
export const KbCategoryPatch = Type.Partial(KbCategoryInput, { additionalProperties: false, minProperties: 1 });
export type KbCategoryPatch = Static<typeof KbCategoryPatch>;

const Keywords = Type.Array(Text(KB_LIMITS.keywordMax), { maxItems: KB_LIMITS.keywordsMax, description: 'Words the article is about; Chinese ones are kept whole by the segmenter' });
const Synonyms = Type.Array(Text(KB_LIMITS.synonymMax), { maxItems: KB_LIMITS.synonymsMax, description: 'Groups of words meaning the same, separated by = (网速=宽带速度=网络速度): a search for one finds the others' });
const Paraphrases = Type.Array(Text(KB_LIMITS.paraphraseMax), { maxItems: KB_LIMITS.paraphrasesMax, description: 'Other ways customers ask it (FAQ entries)' });

export const KbArticleInput = Type.Object({
  kind: Type.Optional(KbKind),
  title: Text(KB_LIMITS.titleMax, 'The title, or an FAQ\'s question'),
  body: Type.Optional(Type.String({ maxLength: KB_LIMITS.bodyMax, description: 'HTML; sanitized on save (scripts, event handlers, frames and javascript: links are removed)' })),
  keywords: Type.Optional(Keywords),
  synonyms: Type.Optional(Synonyms),
  paraphrases: Type.Optional(Paraphrases),
  locale: Type.Optional(Locale),
  visibility: Type.Optional(KbVisibility),
  categoryId: Type.Optional(Type.Union([Uuid, Type.Null()])),
}, { additionalProperties: false });
export type KbArticleInput = Static<typeof KbArticleInput>;
export const KbArticlePatch = Type.Partial(KbArticleInput, { additionalProperties: false, minProperties: 1 });
export type KbArticlePatch = Static<typeof KbArticlePatch>;

const summary = {
  id: Uuid, kind: KbKind, title: Type.String(), categoryId: Type.Union([Uuid, Type.Null()]), locale: Locale,
  visibility: KbVisibility, status: KbStatus, version: Type.Integer(), publishedAt: Type.Union([Timestamp, Type.Null()]),
  views: Type.Integer(), helpfulYes: Type.Integer(), helpfulNo: Type.Integer(), updatedAt: Timestamp,
};
export const KbArticleSummary = Type.Object(summary);
export type KbArticleSummary = Static<typeof KbArticleSummary>;
export const KbArticleList = listOf(KbArticleSummary);

export const KbArticleView = Type.Object({
  ...summary,
  body: Type.String({ description: 'Sanitized HTML' }),
  bodyText: Type.String(),
  keywords: Type.Array(Type.String()), synonyms: Type.Array(Type.String()), paraphrases: Type.Array(Type.String()),
  authorId: Type.Union([Uuid, Type.Null()]), createdAt: Timestamp,
  sourceTicketId: Type.Union([Uuid, Type.Null()], { description: 'The ticket whose answer this article was saved from' }),
});
export type KbArticleView = Static<typeof KbArticleView>;

export const KbArticleQuery = Type.Object({
  categoryId: Type.Optional(Uuid),
  status: Type.Optional(KbStatus),
  visibility: Type.Optional(KbVisibility),
  locale: Type.Optional(Locale),
  kind: Type.Optional(KbKind),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}, { additionalProperties: false });
export type KbArticleQuery = Static<typeof KbArticleQuery>;

export const KbVersionView = Type.Object({
  version: Type.Integer(), action: Type.String({ description: 'create | update | publish | unpublish' }),
  title: Type.String(), body: Type.String(), keywords: Type.Array(Type.String()), synonyms: Type.Array(Type.String()),
  paraphrases: Type.Array(Type.String()), categoryId: Type.Union([Uuid, Type.Null()]), kind: KbKind, locale: Locale,
  visibility: KbVisibility, status: KbStatus, authorName: Type.String(), createdAt: Timestamp,
});
export type KbVersionView = Static<typeof KbVersionView>;
export const KbVersionList = listOf(KbVersionView);

/** [start, end) offsets (UTF-16) into the text beside it; the UI marks them, the text stays text. */
export const KbRange = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })]);
export const KbHighlighted = Type.Object({ text: Type.String(), ranges: Type.Array(KbRange) });
export type KbHighlighted = Static<typeof KbHighlighted>;

const SearchCommon = {
  q: Type.String({ minLength: 1, maxLength: KB_LIMITS.queryMax, pattern: '\\S', description: 'What to look for, in Chinese or English', examples: ['宽带怎么续费'] }),
  mode: Type.Optional(KbSearchMode),
  locale: Type.Optional(Locale),
  categoryId: Type.Optional(Type.String({ format: 'uuid', description: 'This category and the ones below it' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 150, default: 0 })),
};
export const KbSearchQuery = Type.Object({
  ...SearchCommon,
  visibility: Type.Optional(KbVisibility),
  status: Type.Optional(KbStatus),
}, { additionalProperties: false });
export type KbSearchQuery = Static<typeof KbSearchQuery>;
export const KbPublicSearchQuery = Type.Object(SearchCommon, { additionalProperties: false });
export type KbPublicSearchQuery = Static<typeof KbPublicSearchQuery>;

export const KbSearchHit = Type.Object({ article: KbArticleSummary, score: Type.Number(), title: KbHighlighted, snippet: KbHighlighted });
export type KbSearchHit = Static<typeof KbSearchHit>;
export const KbSearchResult = Type.Object({
  items: Type.Array(KbSearchHit),
  total: Type.Integer({ description: 'Matching articles, counted among the best 200' }),
  terms: Type.Array(Type.String(), { description: 'What the query was understood as: its words and their synonyms' }),
  byCharacters: Type.Optional(Type.Boolean({ description: 'Fuzzy mode found no article with a word of the query: these share only its Chinese characters' })),
});
export type KbSearchResult = Static<typeof KbSearchResult>;

/** What the help center shows: no drafts, no internal articles, no author or counters. */
const publicSummary = { id: Uuid, kind: KbKind, title: Type.String(), categoryId: Type.Union([Uuid, Type.Null()]), locale: Locale, publishedAt: Type.Union([Timestamp, Type.Null()]), updatedAt: Timestamp };
export const KbPublicArticleSummary = Type.Object(publicSummary);
export const KbPublicSearchHit = Type.Object({ article: KbPublicArticleSummary, score: Type.Number(), title: KbHighlighted, snippet: KbHighlighted });
export const KbPublicSearchResult = Type.Object({ items: Type.Array(KbPublicSearchHit), total: Type.Integer(), terms: Type.Array(Type.String()), byCharacters: KbSearchResult.properties.byCharacters });
export type KbPublicSearchResult = Static<typeof KbPublicSearchResult>;
export const KbPublicArticleView = Type.Object({ ...publicSummary, body: Type.String({ description: 'Sanitized HTML' }), paraphrases: Type.Array(Type.String()) });
export type KbPublicArticleView = Static<typeof KbPublicArticleView>;

export const KbVoteInput = Type.Object({ helpful: Type.Boolean({ description: 'Was this article helpful?' }) }, { additionalProperties: false });
export type KbVoteInput = Static<typeof KbVoteInput>;
export const KbVoteResult = Type.Object({ helpfulYes: Type.Integer(), helpfulNo: Type.Integer() });
