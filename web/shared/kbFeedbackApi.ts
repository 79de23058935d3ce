import { http } from './api.ts';
import type { TicketArticleDraft, TicketSuggestions, UnansweredQuery, UnansweredView } from '../../src/contracts/kb-feedback.ts';
import type { ListOf } from './types.ts';

/** Answers flowing back into the knowledge base (routes in src/modules/kb/kb-feedback.routes.ts). */
export type { TicketArticleDraft, TicketSuggestions, UnansweredView };

const at = (id: string) => encodeURIComponent(id);

export const kbFeedbackApi = {
  unanswered: (q: UnansweredQuery = {}) => http.get<ListOf<UnansweredView>>('/api/v1/kb/unanswered', { ...q }),
  resolve: (id: string, articleId: string) => http.post<UnansweredView>(`/api/v1/kb/unanswered/${at(id)}/resolve`, { articleId }),
  ignore: (id: string) => http.post<UnansweredView>(`/api/v1/kb/unanswered/${at(id)}/ignore`),
  reopen: (id: string) => http.post<UnansweredView>(`/api/v1/kb/unanswered/${at(id)}/reopen`),
  saveTicketAnswer: (ticketId: string) => http.post<TicketArticleDraft>(`/api/v1/tickets/${at(ticketId)}/kb-article`),
  ticketSuggestions: (ticketId: string) => http.get<TicketSuggestions>(`/api/v1/tickets/${at(ticketId)}/kb-suggestions`),
};
