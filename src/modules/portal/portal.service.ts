import type { PortalRequestInput, PortalRequestResult } from '../../contracts/portal.ts';
import type { Ctx } from '../context.ts';
import { findOwned } from '../tenant-scope.ts';
import { ingest } from '../tickets/tickets.service.ts';
import { tickets } from '../tickets/tickets.schema.ts';
import { claimRequestUploads, lockRequestUploads } from './portal-uploads.ts';

/**
 * A request filed in the help center: a ticket on the portal channel, through the same ingest every
 * channel uses, so the customer is found (or created) by email address and the request enters the
 * queue, assignment, SLA and automation like any other. The form's id makes a second send of the same
 * form (a double click, a retry after a lost answer) the same request. Files uploaded beforehand
 * (portal-uploads.ts) become the first message's attachments, in the same transaction.
 */
export async function submitRequest(ctx: Ctx, input: PortalRequestInput): Promise<PortalRequestResult> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const files = await lockRequestUploads(c, input.attachmentIds ?? []);
    const result = await ingest(c, {
      channel: 'portal',
      externalId: input.formId ? `portal-form:${input.formId.toLowerCase()}` : undefined,
      identity: { kind: 'email', value: input.email, name: input.name.trim() },
      subject: input.subject.trim(),
      body: input.description.trim(),
    });
    if (!result.duplicate) await claimRequestUploads(c, files, result.ticketId, result.messageId);
    const ticket = await findOwned(c, tickets, result.ticketId);
    return { number: ticket.number, duplicate: result.duplicate };
  });
}
