import { IdParams } from '../../contracts/common.ts';
import { TicketFieldInput, TicketFieldList, TicketFieldPatch, TicketFieldView } from '../../contracts/ticket-fields.ts';
import { defineRoute } from '../../server/define-route.ts';
import { createTicketField, listTicketFields, updateTicketField } from './ticket-fields.service.ts';

export const ticketFieldRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/ticket-fields', summary: 'The company\'s custom ticket fields (text, number, select, date), retired ones included', tags: ['tickets'],
    access: 'staff', response: TicketFieldList,
    handler: ({ ctx }) => listTicketFields(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/ticket-fields', summary: 'Add a custom ticket field with its options and validation', tags: ['tickets'],
    access: { permission: 'settings.manage' }, body: TicketFieldInput, response: TicketFieldView, status: 201,
    handler: ({ body, ctx }) => createTicketField(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/ticket-fields/:id', summary: 'Relabel, reorder, change options, validation or required, retire or restore a field (its kind is fixed)', tags: ['tickets'],
    access: { permission: 'settings.manage' }, params: IdParams, body: TicketFieldPatch, response: TicketFieldView,
    handler: ({ params, body, ctx }) => updateTicketField(ctx, params.id, body),
  }),
];
