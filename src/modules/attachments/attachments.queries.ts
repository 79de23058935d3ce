import { AppError } from '../../contracts/errors.ts';
import { actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { findOwned } from '../tenant-scope.ts';
import { loadVisibleTicket } from '../tickets/tickets.queries.ts';
import { attachments, type Attachment } from './attachments.schema.ts';

/**
 * An attachment the actor may see, or 404: it must belong to a ticket they see (the ticket's own rule),
 * and an upload not sent yet is its uploader's alone. A file follows its message: on an internal note
 * it is seen by whoever sees the note. A knowledge-base article's file is seen by all staff.
 */
export async function loadVisibleAttachment(ctx: Ctx, id: string): Promise<Attachment> {
  const a = await findOwned(ctx, attachments, id);
  if (a.articleId) return a; // a knowledge-base article's file: staff read the whole knowledge base
  if (!a.ticketId) throw new AppError('not_found');
  await loadVisibleTicket(ctx, a.ticketId);
  if (!a.messageId && a.uploadedBy !== actorUserId(ctx.actor)) throw new AppError('not_found');
  return a;
}
