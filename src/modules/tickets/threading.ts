import type { TicketStatus } from '../../contracts/tickets.ts';

/**
 * Does an inbound message continue an existing ticket or start a new one?
 * A closed ticket is history: a customer writing again starts a new ticket (as Zendesk does);
 * anything else, resolved included, is continued and reopened. A ticket merged into another one
 * answers 'merged': the conversation carries on there (the caller decides again on the target).
 */
export function decideThread(hinted: { status: TicketStatus; mergedIntoId?: string | null } | null): 'continue' | 'new' | 'merged' {
  if (!hinted) return 'new';
  if (hinted.mergedIntoId) return 'merged';
  return hinted.status === 'closed' ? 'new' : 'continue';
}

/** The status a ticket takes when a message arrives, by who wrote it. */
export function statusAfterMessage(current: TicketStatus, author: 'customer' | 'agent' | 'bot' | 'system', visibility: 'public' | 'internal'): TicketStatus {
  if (visibility === 'internal') return current === 'new' ? 'open' : current;
  if (author === 'customer') return current === 'new' ? 'new' : 'open';
  if (author === 'agent') return current === 'new' || current === 'open' ? 'pending' : current;
  return current;
}
