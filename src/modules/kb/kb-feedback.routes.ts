import { IdParams } from '../../contracts/common.ts';
import {
  TicketArticleDraft, TicketSuggestions, UnansweredList, UnansweredQuery, UnansweredResolveInput, UnansweredView,
} from '../../contracts/kb-feedback.ts';
import { defineRoute } from '../../server/define-route.ts';
import { loadVisibleTicket } from '../tickets/tickets.queries.ts';
import { saveTicketAnswer, suggestArticles } from './from-ticket.service.ts';
import { ignoreUnanswered, listUnanswered, reopenUnanswered, resolveUnanswered } from './unanswered.service.ts';

const MANAGE = { permission: 'kb.manage' } as const;

/**
 * Answers flowing back into the knowledge base: the robot's unanswered questions (knowledge-base
 * owners), and a ticket's answer saved as a draft / articles suggested for a ticket (whoever may see
 * the ticket: a draft is only a proposal until an owner publishes it).
 */
export const kbFeedbackRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/kb/unanswered', summary: 'Questions the chat robot could not answer, most asked first (of one status, or all)', tags: ['kb'],
    access: MANAGE, query: UnansweredQuery, response: UnansweredList,
    handler: async ({ query, ctx }) => listUnanswered(ctx, query),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/unanswered/:id/resolve', summary: 'An article now answers this question (audited)', tags: ['kb'],
    access: MANAGE, params: IdParams, body: UnansweredResolveInput, response: UnansweredView,
    handler: async ({ params, body, ctx }) => resolveUnanswered(ctx, params.id, body.articleId),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/unanswered/:id/ignore', summary: 'Ignore an unanswered question (it keeps counting, out of the open list; audited)', tags: ['kb'],
    access: MANAGE, params: IdParams, response: UnansweredView,
    handler: async ({ params, ctx }) => ignoreUnanswered(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/unanswered/:id/reopen', summary: 'Put an ignored or resolved question back in the open list (audited)', tags: ['kb'],
    access: MANAGE, params: IdParams, response: UnansweredView,
    handler: async ({ params, ctx }) => reopenUnanswered(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/kb-article', summary: 'Save a resolved ticket\'s answer as a draft FAQ article (once per ticket; recorded in its history)', tags: ['kb', 'tickets'],
    access: 'staff', params: IdParams, response: TicketArticleDraft, status: 201,
    async handler({ params, ctx }) {
      const saved = await saveTicketAnswer(ctx, await loadVisibleTicket(ctx, params.id));
      return { articleId: saved.article.id, title: saved.article.title, status: saved.article.status as 'draft' | 'published', existing: saved.existing };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/:id/kb-suggestions', summary: 'Published articles (internal ones too) for the ticket\'s subject and first message', tags: ['kb', 'tickets'],
    access: 'staff', params: IdParams, response: TicketSuggestions,
    handler: async ({ params, ctx }) => suggestArticles(ctx, await loadVisibleTicket(ctx, params.id)),
  }),
];
