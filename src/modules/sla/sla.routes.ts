import { IdParams, Ok } from '../../contracts/common.ts';
import { EscalateInput, SlaPolicyInput, SlaPolicyList, SlaPolicyView, TicketSlaView } from '../../contracts/sla.ts';
import { TicketView } from '../../contracts/tickets.ts';
import { defineRoute } from '../../server/define-route.ts';
import { escalateTicket } from '../tickets/ticket-changes.service.ts';
import { presentTickets } from '../tickets/tickets.presenter.ts';
import { loadVisibleTicket } from '../tickets/tickets.queries.ts';
import { deletePolicy, listPolicies, savePolicy, ticketSlaView } from './sla.service.ts';

export const slaRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/sla-policies', summary: 'SLA policies in the order they are tried', tags: ['sla'],
    access: 'staff', response: SlaPolicyList,
    handler: ({ ctx }) => listPolicies(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/sla-policies', summary: 'Create an SLA policy: conditions, targets in business time, escalation levels', tags: ['sla'],
    access: { permission: 'settings.manage' }, body: SlaPolicyInput, response: SlaPolicyView, status: 201,
    handler: ({ body, ctx }) => savePolicy(ctx, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/sla-policies/:id', summary: 'Replace an SLA policy', tags: ['sla'],
    access: { permission: 'settings.manage' }, params: IdParams, body: SlaPolicyInput, response: SlaPolicyView,
    handler: ({ params, body, ctx }) => savePolicy(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/sla-policies/:id', summary: 'Delete an SLA policy', tags: ['sla'],
    access: { permission: 'settings.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deletePolicy(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/tickets/:id/sla', summary: 'A ticket\'s SLA policy, deadlines and breaches', tags: ['sla'],
    access: 'staff', params: IdParams, response: TicketSlaView,
    handler: async ({ params, ctx }) => ticketSlaView(ctx, (await loadVisibleTicket(ctx, params.id)).id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/escalate', summary: 'Escalate by hand, for an agent or on the customer\'s request (raises severity)', tags: ['sla'],
    access: 'staff', params: IdParams, body: EscalateInput, response: TicketView,
    async handler({ params, body, ctx }) {
      const ticket = await loadVisibleTicket(ctx, params.id);
      const after = await escalateTicket(ctx, ticket.id, { source: body.source ?? 'agent', reason: body.reason, raiseSeverity: true });
      return (await presentTickets(ctx, [after]))[0];
    },
  }),
];
