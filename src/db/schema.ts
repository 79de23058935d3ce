/** Every table, re-exported from the module that owns it (drizzle-kit reads this file). */
export * from '../modules/tenants/tenants.schema.ts';
export * from '../modules/staff/staff.schema.ts';
export * from '../modules/auth/auth.schema.ts';
export * from '../modules/audit/audit.schema.ts';
export * from '../modules/mail/mail.schema.ts';
export * from '../events/events.schema.ts';
export * from '../modules/customers/customers.schema.ts';
export * from '../modules/tickets/tickets.schema.ts';
export * from '../modules/assignment/assignment.schema.ts';
export * from '../modules/sla/sla.schema.ts';
export * from '../modules/notifications/notifications.schema.ts';
export * from '../modules/automation/automation.schema.ts';
export * from '../modules/attachments/attachments.schema.ts';
export * from '../channels/email/email.schema.ts';
export * from '../modules/kb/kb.schema.ts';
export * from '../modules/kb/deflection.schema.ts';
export * from '../channels/webchat/webchat.schema.ts';
