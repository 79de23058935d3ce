import { AuditList, AuditQuery, OutboxList, OutboxQuery, PermissionList } from '../../contracts/admin.ts';
import { PERMISSIONS } from '../../contracts/permissions.ts';
import { defineRoute } from '../../server/define-route.ts';
import { listOutbox } from '../mail/mail.service.ts';
import { listAudit } from './audit.service.ts';

export const adminRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/audit-log', summary: 'Admin actions, newest first, with values before and after', tags: ['admin'],
    access: { permission: 'audit.view' }, query: AuditQuery, response: AuditList,
    handler: ({ query, ctx }) => listAudit(ctx, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/outbox', summary: 'Mail Kefu sent or stored, newest first', tags: ['admin'],
    access: { permission: 'outbox.view' }, query: OutboxQuery, response: OutboxList,
    handler: ({ query, ctx }) => listOutbox(ctx, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/permissions', summary: 'Every permission a role can hold, with its labels', tags: ['roles'],
    access: 'staff', response: PermissionList,
    handler: async () => ({ items: Object.entries(PERMISSIONS).map(([key, l]) => ({ key, zh: l.zh, en: l.en })) }),
  }),
];
