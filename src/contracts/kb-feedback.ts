import { Type, type Static } from 'typebox';
import { Timestamp, Uuid, listOf, oneOf } from './common.ts';
import { KbSearchHit } from './kb.ts';

/**
 * Answers flowing back into the knowledge base: questions the chat robot could not answer, articles
 * saved from a resolved ticket's answer, and articles suggested on a ticket's page.
 */

export const UnansweredView = Type.Object({
  id: Uuid,
  question: Type.String({ description: 'The question as last asked' }),
  reason: oneOf(['no_answer', 'rejected', 'handover_after_answer'] as const, {
    description: 'no_answer: below the robot\'s floor; rejected: none of the offered articles; handover_after_answer: a person asked for right after an answer',
  }),
  widgetStyleId: Type.Union([Uuid, Type.Null()]),
  widgetName: Type.Union([Type.String(), Type.Null()]),
  conversationId: Type.Union([Uuid, Type.Null()]),
  ticketId: Type.Union([Uuid, Type.Null()]),
  ticketNumber: Type.Union([Type.Integer(), Type.Null()]),
  count: Type.Integer({ description: 'How many times the same (normalized) question went unanswered' }),
  firstSeenAt: Timestamp,
  lastSeenAt: Timestamp,
  status: oneOf(['open', 'resolved', 'ignored'] as const),
  articleId: Type.Union([Uuid, Type.Null()]),
  articleTitle: Type.Union([Type.String(), Type.Null()]),
});
export type UnansweredView = Static<typeof UnansweredView>;
export const UnansweredList = listOf(UnansweredView);

export const UnansweredQuery = Type.Object({
  status: Type.Optional(oneOf(['open', 'resolved', 'ignored'] as const)),
  sort: Type.Optional(oneOf(['count', 'last_seen'] as const, { description: 'count: most asked first (default); last_seen: newest first' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
}, { additionalProperties: false });
export type UnansweredQuery = Static<typeof UnansweredQuery>;

export const UnansweredResolveInput = Type.Object({
  articleId: Uuid,
}, { additionalProperties: false, description: 'The article that now answers the question' });
export type UnansweredResolveInput = Static<typeof UnansweredResolveInput>;

export const TicketArticleDraft = Type.Object({
  articleId: Uuid,
  title: Type.String(),
  status: oneOf(['draft', 'published'] as const),
  /** true when the ticket had been saved before: the existing article is returned, no second draft. */
  existing: Type.Boolean(),
});
export type TicketArticleDraft = Static<typeof TicketArticleDraft>;

export const TicketSuggestions = Type.Object({
  items: Type.Array(KbSearchHit),
  /** What was searched: the ticket's subject and first customer message, shortened. */
  query: Type.String(),
});
export type TicketSuggestions = Static<typeof TicketSuggestions>;
