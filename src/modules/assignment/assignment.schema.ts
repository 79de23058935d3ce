import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { departments, users } from '../staff/staff.schema.ts';
import type { WeeklySlot } from './business-hours.ts';

/** Opening hours in a time zone, with holidays; departments point at one. */
export const businessCalendars = pgTable('business_calendars', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  slots: jsonb('slots').$type<WeeklySlot[]>().notNull().default([]),
  holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** How a department's new tickets find an agent. No row = manual. */
export const assignmentSettings = pgTable('assignment_settings', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  departmentId: uuid('department_id').notNull().references(() => departments.id, { onDelete: 'cascade' }),
  mode: text('mode').notNull().default('manual'),
  sticky: boolean('sticky').notNull().default(false),
  deferOutsideHours: boolean('defer_outside_hours').notNull().default(false),
  reassignAfterMinutes: integer('reassign_after_minutes'),
  calendarId: uuid('calendar_id').references(() => businessCalendars.id, { onDelete: 'set null' }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.tenantId, t.departmentId] })]);

/** Per agent: how many tickets they may hold, and when they last received one (round-robin order). */
export const agentLoad = pgTable('agent_load', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  ticketCapacity: integer('ticket_capacity').notNull().default(0),
  lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.tenantId, t.userId] })]);

export type AssignmentSettings = typeof assignmentSettings.$inferSelect;
export type BusinessCalendar = typeof businessCalendars.$inferSelect;
