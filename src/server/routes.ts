import { Type } from 'typebox';
import { adminRoutes } from '../modules/audit/audit.routes.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { staffRoutes } from '../modules/staff/staff.routes.ts';
import { ticketRoutes } from '../modules/tickets/tickets.routes.ts';
import { attachmentRoutes } from '../modules/attachments/attachments.routes.ts';
import { savedViewRoutes } from '../modules/tickets/saved-views.routes.ts';
import { ticketBulkRoutes } from '../modules/tickets/ticket-bulk.routes.ts';
import { ticketCollabRoutes } from '../modules/tickets/ticket-collab.routes.ts';
import { ticketFieldRoutes } from '../modules/tickets/ticket-fields.routes.ts';
import { assignmentRoutes } from '../modules/assignment/assignment.routes.ts';
import { slaRoutes } from '../modules/sla/sla.routes.ts';
import { automationRoutes } from '../modules/automation/automation.routes.ts';
import { notificationRoutes } from '../modules/notifications/notifications.routes.ts';
import { kbRoutes } from '../modules/kb/kb.routes.ts';
import { kbAttachmentRoutes } from '../modules/kb/kb-attachments.routes.ts';
import { deflectionRoutes } from '../modules/kb/deflection.routes.ts';
import { kbFeedbackRoutes } from '../modules/kb/kb-feedback.routes.ts';
import { portalRoutes } from '../modules/portal/portal.routes.ts';
import { emailRoutes } from '../channels/email/email.routes.ts';
import { chatRoutes } from '../channels/webchat/chat.routes.ts';
import { chatLiveRoutes } from '../channels/webchat/chat-live.routes.ts';
import { defineRoute, type Route } from './define-route.ts';

const Health = Type.Object({ status: Type.String(), node: Type.Optional(Type.String()) });

const systemRoutes = [
  defineRoute({
    method: 'GET', url: '/healthz', summary: 'The process is up', tags: ['system'], tenantless: true,
    access: { public: 'load balancers probe it' }, response: Health,
    handler: async () => ({ status: 'ok' }),
  }),
  defineRoute({
    method: 'GET', url: '/readyz', summary: 'The database answers and migrations are applied', tags: ['system'], tenantless: true,
    access: { public: 'load balancers probe it' }, response: Health,
    handler: async ({ req }) => {
      await req.server.kefu.ready();
      return { status: 'ready', node: req.server.kefu.nodeId };
    },
  }),
];

/** Every HTTP route of the product, in one list. */
export const ROUTES: readonly Route[] = [
  ...systemRoutes,
  ...authRoutes,
  ...staffRoutes,
  ...adminRoutes,
  ...ticketRoutes,
  ...attachmentRoutes,
  ...ticketBulkRoutes,
  ...savedViewRoutes,
  ...ticketCollabRoutes,
  ...ticketFieldRoutes,
  ...assignmentRoutes,
  ...slaRoutes,
  ...notificationRoutes,
  ...automationRoutes,
  ...kbRoutes,
  ...kbAttachmentRoutes,
  ...deflectionRoutes,
  ...kbFeedbackRoutes,
  ...portalRoutes,
  ...emailRoutes,
  ...chatRoutes,
  ...chatLiveRoutes,
];
