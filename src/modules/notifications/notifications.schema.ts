import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { users } from '../staff/staff.schema.ts';

/** In-app notifications: assignment, escalation, SLA warnings, customer replies. */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  ticketId: uuid('ticket_id'),
  /** Values the UI renders into its own zh-CN / en text. */
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  /** The event that caused it: the same event never notifies the same person twice. */
  eventId: text('event_id'),
  readAt: timestamp('read_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('notifications_user_idx').on(t.tenantId, t.userId, t.createdAt), uniqueIndex('notifications_event_user_key').on(t.eventId, t.userId, t.kind)]);
