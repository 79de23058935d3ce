import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { departments, teams, users } from '../staff/staff.schema.ts';
import { customers } from '../customers/customers.schema.ts';

/** Admin-editable ticket types (咨询, 查询, 投诉, 建议, 故障申告 …). */
export const ticketTypes = pgTable('ticket_types', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  key: text('key').notNull(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  active: integer('active').notNull().default(1),
}, (t) => [uniqueIndex('ticket_types_tenant_key').on(t.tenantId, t.key)]);

/** Statuses a ticket is still being worked in; written out literally so partial indexes match the queries. */
export const ACTIVE_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;
export const ACTIVE_PREDICATE = sql.raw(`status in (${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`);

export const tickets = pgTable('tickets', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  number: integer('number').notNull(),
  subject: text('subject').notNull(),
  typeId: uuid('type_id').references(() => ticketTypes.id, { onDelete: 'set null' }),
  /** low | normal | high | urgent */
  priority: text('priority').notNull().default('normal'),
  /** 1 (minor) … 4 (critical); escalation raises it. */
  severity: smallint('severity').notNull().default(2),
  /** new | open | pending | on_hold | resolved | closed */
  status: text('status').notNull().default('new'),
  channel: text('channel').notNull(),
  customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
  departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
  teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
  assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  escalationLevel: smallint('escalation_level').notNull().default(0),
  /** Values of the company's custom fields, keyed by field key (validated against ticket_fields on write). */
  customFields: jsonb('custom_fields').$type<Record<string, string | number>>().notNull().default({}),
  /** Set when this ticket was merged into another: it is closed and its messages live there. */
  mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => tickets.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
  lastCustomerAt: timestamp('last_customer_at', { withTimezone: true }),
  lastAgentAt: timestamp('last_agent_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('tickets_tenant_number_key').on(t.tenantId, t.number),
  index('tickets_updated_idx').on(t.tenantId, t.updatedAt),
  index('tickets_created_idx').on(t.tenantId, t.createdAt),
  index('tickets_assignee_idx').on(t.tenantId, t.assigneeId, t.status, t.updatedAt),
  index('tickets_department_idx').on(t.tenantId, t.departmentId, t.status, t.updatedAt),
  index('tickets_customer_idx').on(t.tenantId, t.customerId, t.createdAt),
  // The queue reads active tickets newest first: partial indexes keep that independent of how much
  // resolved history a company has (most of a mature help desk's rows).
  index('tickets_active_idx').on(t.tenantId, t.updatedAt).where(ACTIVE_PREDICATE),
  index('tickets_active_assignee_idx').on(t.tenantId, t.assigneeId, t.updatedAt).where(ACTIVE_PREDICATE),
  index('tickets_active_department_idx').on(t.tenantId, t.departmentId, t.updatedAt).where(ACTIVE_PREDICATE),
  index('tickets_active_unassigned_idx').on(t.tenantId, t.updatedAt).where(sql`${ACTIVE_PREDICATE} and assignee_id is null`),
  index('tickets_active_escalated_idx').on(t.tenantId, t.updatedAt).where(sql`${ACTIVE_PREDICATE} and escalation_level > 0`),
]);

/** Every message on any channel: public replies and internal notes, in and out. */
export const messages = pgTable('messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  channel: text('channel').notNull(),
  /** in | out */
  direction: text('direction').notNull(),
  /** customer | agent | bot | system */
  authorType: text('author_type').notNull(),
  authorId: uuid('author_id'),
  /** public | internal */
  visibility: text('visibility').notNull().default('public'),
  body: text('body').notNull(),
  /** The channel's own id of this message (Message-ID, client message id): the dedupe key. */
  externalId: text('external_id'),
  /** Staff @mentioned in this message (notes mostly): they are notified. */
  mentions: uuid('mentions').array().notNull().default(sql`'{}'::uuid[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('messages_ticket_idx').on(t.tenantId, t.ticketId, t.createdAt),
  uniqueIndex('messages_external_key').on(t.tenantId, t.channel, t.externalId),
]);

/** The full history of a ticket: every field change, assignment, forward and escalation, with reasons. */
export const ticketHistory = pgTable('ticket_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(),
  changes: jsonb('changes').$type<Record<string, [unknown, unknown]>>().notNull().default({}),
  reason: text('reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('ticket_history_ticket_idx').on(t.tenantId, t.ticketId, t.id)]);

/** Admin-defined ticket fields (text, number, select, date) with their validation. */
export const ticketFields = pgTable('ticket_fields', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  key: text('key').notNull(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en').notNull(),
  /** text | number | select | date */
  kind: text('kind').notNull(),
  required: boolean('required').notNull().default(false),
  /** select: [{ value, labelZh, labelEn }]; text: { maxLength, pattern }; number: { min, max, integer } */
  options: jsonb('options').$type<unknown>().notNull().default([]),
  validation: jsonb('validation').$type<Record<string, unknown>>().notNull().default({}),
  sortOrder: integer('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('ticket_fields_tenant_key').on(t.tenantId, t.key)]);

/** Staff who follow a ticket: they hear about its replies and changes without holding it. */
export const ticketFollowers = pgTable('ticket_followers', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_followers_user_idx').on(t.tenantId, t.userId)]);

/** "Related" links between two tickets; one row per pair, stored with the smaller id first. */
export const ticketLinks = pgTable('ticket_links', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  linkedId: uuid('linked_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.ticketId, t.linkedId] }), index('ticket_links_linked_idx').on(t.tenantId, t.linkedId)]);

/** Saved queue filters: personal (ownerId set) or shared with the whole company (ownerId null). */
export const savedViews = pgTable('saved_views', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  filters: jsonb('filters').$type<Record<string, unknown>>().notNull().default({}),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('saved_views_tenant_owner_idx').on(t.tenantId, t.ownerId)]);

export type Ticket = typeof tickets.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type TicketType = typeof ticketTypes.$inferSelect;
export type TicketField = typeof ticketFields.$inferSelect;
export type SavedView = typeof savedViews.$inferSelect;
