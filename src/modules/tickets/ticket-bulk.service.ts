import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { BulkAction } from '../../contracts/ticket-bulk.ts';
import type { Ctx } from '../context.ts';
import { assignTicket, forwardTicket, updateTicket } from './ticket-changes.service.ts';
import { mayAssign } from './tickets.policy.ts';
import { loadVisibleTicket } from './tickets.queries.ts';
import { tickets, type Ticket } from './tickets.schema.ts';

/** What happened to one ticket of a bulk change: null, or the error that stopped it. */
export interface BulkOutcome { id: string; error: unknown }

const MAX_TAGS = 30;

/**
 * Applies one action to many tickets, one ticket at a time, each through the same loading, checks and
 * service as its single-ticket route and in its own transaction: a ticket that fails (invisible, closed,
 * not allowed) is reported and the others still change.
 */
export async function bulkUpdateTickets(ctx: Ctx, ticketIds: readonly string[], action: BulkAction): Promise<BulkOutcome[]> {
  const out: BulkOutcome[] = [];
  for (const id of ticketIds) {
    try {
      const ticket = await loadVisibleTicket(ctx, id);
      await apply(ctx, ticket, action);
      out.push({ id, error: null });
    } catch (error) {
      out.push({ id, error });
    }
  }
  return out;
}

async function apply(ctx: Ctx, ticket: Ticket, action: BulkAction): Promise<Ticket> {
  switch (action.type) {
    case 'status': return updateTicket(ctx, ticket, { status: action.status });
    case 'priority': return updateTicket(ctx, ticket, { priority: action.priority });
    case 'assign':
      if (!mayAssign(ctx, ticket, action.assigneeId)) throw new AppError('forbidden');
      return assignTicket(ctx, ticket, action.assigneeId);
    case 'forward': return forwardTicket(ctx, ticket, action.departmentId, action.reason);
    case 'add_tags': return retag(ctx, ticket, (tags) => [...new Set([...tags, ...action.tags])]);
    case 'remove_tags': return retag(ctx, ticket, (tags) => tags.filter((t) => !action.tags.includes(t)));
  }
}

/** Tags change from what the ticket holds under its row lock, so a concurrent edit is not overwritten. */
async function retag(ctx: Ctx, ticket: Ticket, change: (tags: string[]) => string[]): Promise<Ticket> {
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id)).for('update');
    const tags = change(current.tags);
    if (tags.length > MAX_TAGS) throw new AppError('validation', `A ticket can carry at most ${MAX_TAGS} tags`);
    return updateTicket({ ...ctx, db: tx }, current, { tags });
  });
}
