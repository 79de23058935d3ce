import { IdParams, Ok } from '../../contracts/common.ts';
import { RuleInput, RuleList, RuleView, WebhookDeliveryList } from '../../contracts/automation.ts';
import { defineRoute } from '../../server/define-route.ts';
import { deleteRule, listDeliveries, listRules, saveRule } from './automation.service.ts';

export const automationRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/automation-rules', summary: 'Automation rules in the order they run', tags: ['automation'],
    access: { permission: 'settings.manage' }, response: RuleList,
    handler: ({ ctx }) => listRules(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/automation-rules', summary: 'Create a rule: a trigger, conditions (keywords in Chinese or English, fields, time) and actions', tags: ['automation'],
    access: { permission: 'settings.manage' }, body: RuleInput, response: RuleView, status: 201,
    handler: ({ body, ctx }) => saveRule(ctx, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/automation-rules/:id', summary: 'Replace a rule', tags: ['automation'],
    access: { permission: 'settings.manage' }, params: IdParams, body: RuleInput, response: RuleView,
    handler: ({ params, body, ctx }) => saveRule(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/automation-rules/:id', summary: 'Delete a rule', tags: ['automation'],
    access: { permission: 'settings.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteRule(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/webhook-deliveries', summary: 'Recent webhook calls with their status and attempts', tags: ['automation'],
    access: { permission: 'settings.manage' }, response: WebhookDeliveryList,
    handler: ({ ctx }) => listDeliveries(ctx),
  }),
];
