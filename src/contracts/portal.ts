import { Type, type Static } from 'typebox';
import { Email, Timestamp, Uuid, listOf, oneOf } from './common.ts';
import { KbHighlighted, KbPublicArticleSummary } from './kb.ts';

/**
 * The customer portal (help center at /help): browsing public categories, related articles, filing a
 * request, and deflections (self-service that solved the problem, from the portal or the chat widget).
 */

export const PORTAL_LIMITS = {
  nameMax: 100,
  subjectMax: 200,
  descriptionMax: 10_000,
  /** what the customer had typed when an article solved their problem */
  deflectionQueryMax: 500,
} as const;

/**
 * A random id the browser makes (a form, a visit): a UUID in shape, but naming no row, so it is not a
 * `format: uuid` reference like the ids of stored things.
 */
const ClientToken = (description: string) => Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', examples: ['0f8fad5b-d9cb-469f-a165-70867728950e'], description,
});

/** Text with something in it besides spaces. */
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S', ...(description ? { description } : {}) });

export const PortalCategoryView = Type.Object({
  id: Uuid, parentId: Type.Union([Uuid, Type.Null()]), name: Type.String(), description: Type.String(),
  articleCount: Type.Integer({ description: 'Published public articles in this category and the ones below it' }),
});
export type PortalCategoryView = Static<typeof PortalCategoryView>;
export const PortalCategoryList = listOf(PortalCategoryView);

export const PortalArticleQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
}, { additionalProperties: false });
export type PortalArticleQuery = Static<typeof PortalArticleQuery>;
export const PortalArticleList = listOf(KbPublicArticleSummary);
export type PortalArticleList = Static<typeof PortalArticleList>;

export const PortalRequestInput = Type.Object({
  name: Text(PORTAL_LIMITS.nameMax, 'How to address the customer'),
  email: Email,
  subject: Text(PORTAL_LIMITS.subjectMax),
  description: Text(PORTAL_LIMITS.descriptionMax, 'Plain text'),
  formId: Type.Optional(ClientToken('Made by the form once: sending the same form twice files one request')),
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 5, uniqueItems: true, description: 'Files uploaded with POST /api/v1/portal/uploads for this request' })),
}, { additionalProperties: false });
export type PortalRequestInput = Static<typeof PortalRequestInput>;
export const PortalRequestResult = Type.Object({
  number: Type.Integer({ description: 'The ticket number to quote in follow-ups' }),
  duplicate: Type.Boolean({ description: 'This form was already sent: the same request, not a new one' }),
});
export type PortalRequestResult = Static<typeof PortalRequestResult>;

export const DEFLECTION_SOURCES = ['portal', 'widget'] as const;
export type DeflectionSource = (typeof DEFLECTION_SOURCES)[number];
export const DeflectionSourceSchema = oneOf(DEFLECTION_SOURCES, { description: 'portal: the help center request form; widget: the chat widget before a chat' });

export const DeflectionInput = Type.Object({
  articleId: Uuid,
  query: Type.Optional(Type.String({ maxLength: PORTAL_LIMITS.deflectionQueryMax, description: 'What the customer had typed' })),
  source: DeflectionSourceSchema,
  visitId: Type.Optional(ClientToken('The browser\'s id for this visit: counted once per article')),
}, { additionalProperties: false });
export type DeflectionInput = Static<typeof DeflectionInput>;
export const DeflectionResult = Type.Object({ recorded: Type.Boolean({ description: 'false: already counted for this visit' }) });

export const DeflectionStatsQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (inclusive); default 30 days before `to`' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End (exclusive); default the end of today (UTC)' })),
}, { additionalProperties: false });
export type DeflectionStatsQuery = Static<typeof DeflectionStatsQuery>;

export const DeflectionStats = Type.Object({
  from: Timestamp, to: Timestamp,
  total: Type.Integer(),
  portal: Type.Integer(),
  widget: Type.Integer(),
  byDay: Type.Array(Type.Object({ day: Type.String({ description: 'YYYY-MM-DD (UTC)' }), count: Type.Integer() })),
  articles: Type.Array(Type.Object({
    articleId: Type.Union([Uuid, Type.Null()], { description: 'null: the article was deleted since' }),
    title: Type.Union([Type.String(), Type.Null()]),
    count: Type.Integer(),
  }), { description: 'Per article, most deflections first (at most 20)' }),
});
export type DeflectionStats = Static<typeof DeflectionStats>;

/** Self-service suggestions (the request form and the chat widget): titles and snippets are text with match ranges. */
export const SuggestionQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'What the customer is typing: subject and description, or the first chat question' }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, default: 3 })),
}, { additionalProperties: false });
export type SuggestionQuery = Static<typeof SuggestionQuery>;
export const Suggestions = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, title: KbHighlighted, snippet: KbHighlighted }), { description: 'Published public articles that cover a fair part of the question' }),
});
export type Suggestions = Static<typeof Suggestions>;
/** The widget's "solved": in the query string, so the cross-origin POST stays a simple request (no preflight). */
export const WidgetDeflectionQuery = Type.Object({
  articleId: Uuid,
  q: Type.Optional(Type.String({ maxLength: PORTAL_LIMITS.deflectionQueryMax })),
  visitId: Type.Optional(ClientToken('The widget\'s id for this page visit: counted once per article')),
}, { additionalProperties: false });
