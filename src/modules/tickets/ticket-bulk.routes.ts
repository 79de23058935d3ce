import type { FastifyRequest } from 'fastify';
import { AppError, ERRORS } from '../../contracts/errors.ts';
import { BulkInput, BulkResult, type BulkItemResult } from '../../contracts/ticket-bulk.ts';
import { defineRoute } from '../../server/define-route.ts';
import { requestLocale } from '../../server/errors.ts';
import { bulkUpdateTickets } from './ticket-bulk.service.ts';

/** One ticket's failure as the error handler would word it for this caller; unexpected errors stay in the log. */
function failure(req: FastifyRequest, id: string, error: unknown): BulkItemResult {
  if (!(error instanceof AppError)) {
    req.log.error({ err: error, ticketId: id }, 'bulk ticket change failed');
    error = new AppError('internal');
  }
  const { code, detail } = error as AppError;
  const en = requestLocale(req) === 'en';
  const text = en ? ERRORS[code].en : ERRORS[code].zh;
  const more = typeof detail === 'string' ? detail : detail && typeof detail === 'object' ? (detail as { zh: string; en: string })[en ? 'en' : 'zh'] : undefined;
  return { id, ok: false, code, error: more && more !== ERRORS[code].en ? `${text}: ${more}` : text };
}

export const ticketBulkRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/bulk',
    summary: 'Change many tickets at once (status, priority, assignee, department, tags); answers per ticket, tickets I may not see as not_found',
    tags: ['tickets'], access: 'staff', body: BulkInput, response: BulkResult,
    async handler({ body, ctx, req }) {
      const outcomes = await bulkUpdateTickets(ctx, body.ticketIds, body.action);
      const results = outcomes.map((o) => (o.error === null ? { id: o.id, ok: true } : failure(req, o.id, o.error)));
      const succeeded = results.filter((r) => r.ok).length;
      return { results, succeeded, failed: results.length - succeeded };
    },
  }),
];
