import { IdParams } from '../../contracts/common.ts';
import { AppError } from '../../contracts/errors.ts';
import {
  AssignInput, ForwardInput, MessageView, QueueCounts, QueueQuery, ReplyInput, TicketCreate, TicketDetail, TicketList, TicketPatch,
  TicketTypeInput, TicketTypeList, TicketTypePatch, TicketTypeView, TicketView,
} from '../../contracts/tickets.ts';
import { defineRoute, type RouteCtx } from '../../server/define-route.ts';
import { can } from '../auth/actor.ts';
import { assignTicket, forwardTicket, updateTicket } from './ticket-changes.service.ts';
import { createTicketType, listTicketTypes, updateTicketType } from './ticket-types.service.ts';
import { presentMessages, presentTickets } from './tickets.presenter.ts';
import { listQueue, loadVisibleTicket, queueCounts, ticketDetail } from './tickets.queries.ts';
import { mayAssign } from './tickets.policy.ts';
import { createTicket, reply } from './tickets.service.ts';

const present = async (ctx: RouteCtx, t: Parameters<typeof presentTickets>[1][number]) => (await presentTickets(ctx, [t]))[0];

// Every ticket route first loads the ticket through loadVisibleTicket: a ticket the caller may not
// see answers 404, exactly like one that does not exist.
export const ticketRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/tickets', summary: 'The work queue: a view (mine, unassigned, department, open, escalated, all), filters, paging', tags: ['tickets'],
    access: 'staff', query: QueueQuery, response: TicketList,
    handler: ({ query, ctx }) => listQueue(ctx, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/counts', summary: 'How many tickets each queue view holds', tags: ['tickets'],
    access: 'staff', response: QueueCounts,
    handler: ({ ctx }) => queueCounts(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets', summary: 'Open a ticket by hand (phone call, walk-in)', tags: ['tickets'],
    access: 'staff', body: TicketCreate, response: TicketView, status: 201,
    async handler({ body, ctx }) {
      if (body.assigneeId && ctx.auth && body.assigneeId !== ctx.auth.user.id && !can(ctx.actor, 'tickets.assign')) throw new AppError('forbidden');
      return present(ctx, await createTicket(ctx, body));
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/:id', summary: 'A ticket with its messages, history and the customer\'s other tickets', tags: ['tickets'],
    access: 'staff', params: IdParams, response: TicketDetail,
    handler: async ({ params, ctx }) => ticketDetail(ctx, await loadVisibleTicket(ctx, params.id)),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/tickets/:id', summary: 'Change subject, type, priority, severity, status, tags or team', tags: ['tickets'],
    access: 'staff', params: IdParams, body: TicketPatch, response: TicketView,
    handler: async ({ params, body, ctx }) => present(ctx, await updateTicket(ctx, await loadVisibleTicket(ctx, params.id), body)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/messages', summary: 'Reply to the customer (public) or add an internal note', tags: ['tickets'],
    access: 'staff', params: IdParams, body: ReplyInput, response: MessageView, status: 201,
    async handler({ params, body, ctx }) {
      const message = await reply(ctx, await loadVisibleTicket(ctx, params.id), body.body, body.visibility ?? 'public', body.mentions, body.attachmentIds);
      return (await presentMessages(ctx, [message], null))[0];
    },
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/tickets/:id/assignee', summary: 'Assign, reassign or unassign (taking a ticket yourself needs no extra permission)', tags: ['tickets'],
    access: 'staff', params: IdParams, body: AssignInput, response: TicketView,
    async handler({ params, body, ctx }) {
      const ticket = await loadVisibleTicket(ctx, params.id);
      if (!mayAssign(ctx, ticket, body.assigneeId)) throw new AppError('forbidden');
      return present(ctx, await assignTicket(ctx, ticket, body.assigneeId, body.reason));
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/forward', summary: 'Forward the ticket to another department, with a reason', tags: ['tickets'],
    access: 'staff', params: IdParams, body: ForwardInput, response: TicketView,
    handler: async ({ params, body, ctx }) => present(ctx, await forwardTicket(ctx, await loadVisibleTicket(ctx, params.id), body.departmentId, body.reason)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/ticket-types', summary: 'Ticket types (咨询, 查询, 投诉, 建议, 故障申告 …)', tags: ['tickets'],
    access: 'staff', response: TicketTypeList,
    handler: ({ ctx }) => listTicketTypes(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/ticket-types', summary: 'Add a ticket type', tags: ['tickets'],
    access: { permission: 'settings.manage' }, body: TicketTypeInput, response: TicketTypeView, status: 201,
    handler: ({ body, ctx }) => createTicketType(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/ticket-types/:id', summary: 'Rename, reorder or retire a ticket type', tags: ['tickets'],
    access: { permission: 'settings.manage' }, params: IdParams, body: TicketTypePatch, response: TicketTypeView,
    handler: ({ params, body, ctx }) => updateTicketType(ctx, params.id, body),
  }),
];
