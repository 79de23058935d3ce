import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import type { ConditionSet } from './evaluate.ts';

export type AutomationAction =
  | { type: 'set_priority'; priority: string }
  | { type: 'set_type'; typeId: string }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'route_department'; departmentId: string }
  | { type: 'assign'; userId: string }
  | { type: 'add_note'; body: string }
  | { type: 'notify'; userIds: string[] }
  | { type: 'auto_reply'; body: string }
  | { type: 'webhook'; url: string; secret?: string };

/** Rules: on an event (or on time), when the conditions hold, run the actions, in position order. */
export const automationRules = pgTable('automation_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull().default(0),
  /** ticket.created | customer_message | ticket.updated | time */
  trigger: text('trigger').notNull(),
  conditions: jsonb('conditions').$type<ConditionSet>().notNull().default({}),
  actions: jsonb('actions').$type<AutomationAction[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('automation_rules_tenant_idx').on(t.tenantId, t.trigger, t.position)]);

/** A time rule acts on a ticket once per state of the ticket (its updated_at), not on every sweep. */
export const automationRuns = pgTable('automation_runs', {
  ruleId: uuid('rule_id').notNull().references(() => automationRules.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull(),
  stamp: text('stamp').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.ruleId, t.ticketId, t.stamp] })]);

/** Outgoing webhook calls, signed and retried; their state is visible to admins. */
export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ruleId: uuid('rule_id'),
  url: text('url').notNull(),
  secret: text('secret'),
  payload: jsonb('payload').notNull(),
  /** pending | delivered | failed */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
}, (t) => [index('webhook_deliveries_tenant_idx').on(t.tenantId, t.createdAt)]);

export type AutomationRule = typeof automationRules.$inferSelect;
