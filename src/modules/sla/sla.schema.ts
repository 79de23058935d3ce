import { boolean, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { businessCalendars } from '../assignment/assignment.schema.ts';
import { tickets } from '../tickets/tickets.schema.ts';

export interface SlaConditions { priorities?: string[]; typeIds?: string[]; channels?: string[] }
export interface SlaTargets { firstResponseMinutes?: number | null; nextResponseMinutes?: number | null; resolutionMinutes?: number | null }
export type EscalationAction =
  | { type: 'notify'; to: 'assignee' | 'team_lead' | 'department_members' | 'admins' }
  | { type: 'raise_severity' }
  | { type: 'set_priority'; priority: 'high' | 'urgent' }
  | { type: 'reassign'; departmentId?: string };
export interface EscalationLevel { afterMinutes: number; actions: EscalationAction[] }

/** SLA policies, tried in position order; the first whose conditions match a ticket applies. */
export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
  conditions: jsonb('conditions').$type<SlaConditions>().notNull().default({}),
  targets: jsonb('targets').$type<SlaTargets>().notNull().default({}),
  calendarId: uuid('calendar_id').references(() => businessCalendars.id, { onDelete: 'set null' }),
  warnBeforeMinutes: integer('warn_before_minutes').notNull().default(0),
  /** Level 1 runs at the breach (plus its afterMinutes), level 2 after that, … */
  escalation: jsonb('escalation').$type<EscalationLevel[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('sla_policies_tenant_idx').on(t.tenantId, t.position)]);

/** A ticket's SLA clocks: which policy, when each target is due, and which were breached. */
export const ticketSla = pgTable('ticket_sla', {
  ticketId: uuid('ticket_id').primaryKey().references(() => tickets.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
  firstResponseDue: timestamp('first_response_due', { withTimezone: true }),
  nextResponseDue: timestamp('next_response_due', { withTimezone: true }),
  resolutionDue: timestamp('resolution_due', { withTimezone: true }),
  /** The earliest open target: the queue's "overdue" view and sorting read it. */
  nextDue: timestamp('next_due', { withTimezone: true }),
  breachedAt: timestamp('breached_at', { withTimezone: true }),
  breaches: jsonb('breaches').$type<string[]>().notNull().default([]),
  escalatedLevel: smallint('escalated_level').notNull().default(0),
}, (t) => [index('ticket_sla_due_idx').on(t.tenantId, t.nextDue), index('ticket_sla_breached_idx').on(t.tenantId, t.breachedAt)]);

export type SlaPolicy = typeof slaPolicies.$inferSelect;
