import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../../modules/tenants/tenants.schema.ts';
import { users } from '../../modules/staff/staff.schema.ts';
import { customers } from '../../modules/customers/customers.schema.ts';
import { messages, tickets } from '../../modules/tickets/tickets.schema.ts';
import type { Trail } from './trail.ts';
import type { Device } from './device.ts';
import type { Referrer } from './referrer.ts';
import { DEFAULT_ROBOT_THRESHOLDS } from './robot-decision.ts';

/** A pre-chat / offline form field the admin defines; answers fill the customer card (name, email, phone) or stay on the chat. */
export interface ChatFormField { key: string; labelZh: string; labelEn: string; kind: 'text' | 'email' | 'phone' | 'textarea'; required: boolean }

/** One embeddable widget style (风格): its look, who serves its chats and what it asks first. */
export const widgetStyles = pgTable('widget_styles', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  themeColor: text('theme_color').notNull().default('#1677ff'),
  /** right | left (bottom corner) */
  position: text('position').notNull().default('right'),
  greetingZh: text('greeting_zh').notNull().default(''),
  greetingEn: text('greeting_en').notNull().default(''),
  /** auto (the browser's) | zh-CN | en */
  language: text('language').notNull().default('auto'),
  /** sha256 of the logo in the logo store (widget-logo.ts), and its sniffed image type. */
  logoSha: text('logo_sha'),
  logoType: text('logo_type'),
  designatedDepartmentIds: uuid('designated_department_ids').array().notNull().default(sql`'{}'::uuid[]`),
  designatedAgentIds: uuid('designated_agent_ids').array().notNull().default(sql`'{}'::uuid[]`),
  hideDepartmentNames: boolean('hide_department_names').notNull().default(false),
  hideOfflineAgents: boolean('hide_offline_agents').notNull().default(false),
  proactiveInvite: boolean('proactive_invite').notNull().default(true),
  robotEnabled: boolean('robot_enabled').notNull().default(false),
  /** The robot's name in the widget ('' = "智能机器人" / "Robot") and its greeting when a chat opens. */
  robotName: text('robot_name').notNull().default(''),
  robotGreetingZh: text('robot_greeting_zh').notNull().default(''),
  robotGreetingEn: text('robot_greeting_en').notNull().default(''),
  /** robot-decision.ts: confidence at or above answers; at or above suggest offers 3 articles; below the floor hands over. */
  robotAnswerThreshold: real('robot_answer_threshold').notNull().default(DEFAULT_ROBOT_THRESHOLDS.answer),
  robotSuggestThreshold: real('robot_suggest_threshold').notNull().default(DEFAULT_ROBOT_THRESHOLDS.suggest),
  robotHandoverFloor: real('robot_handover_floor').notNull().default(DEFAULT_ROBOT_THRESHOLDS.floor),
  /** A returning visitor's new chat opens with the previous chat's messages above it. */
  showLastConversation: boolean('show_last_conversation').notNull().default(false),
  /** Most chats waiting in line for this style (0 = no limit); beyond it the visitor gets the offline form. */
  maxQueueLength: integer('max_queue_length').notNull().default(0),
  preChatFields: jsonb('pre_chat_fields').$type<ChatFormField[]>().notNull().default([]),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('widget_styles_tenant_idx').on(t.tenantId, t.createdAt)]);

/** 区域分流: visitors from these regions go to these departments (over the style's designated agents). */
export const regionStrategies = pgTable('region_strategies', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  regions: jsonb('regions').$type<Array<{ province: string; city?: string | null }>>().notNull().default([]),
  departmentIds: uuid('department_ids').array().notNull().default(sql`'{}'::uuid[]`),
  priority: integer('priority').notNull().default(1),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('region_strategies_tenant_idx').on(t.tenantId, t.priority)]);

/** A browser that opened a widget (its key lives in the visitor's localStorage). */
export const chatVisitors = pgTable('chat_visitors', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  visitorKey: text('visitor_key').notNull(),
  customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  visits: integer('visits').notNull().default(1),
  lastIp: text('last_ip'),
  region: jsonb('region').$type<{ country: string | null; province: string | null; city: string | null; isp: string | null }>().notNull().default({ country: null, province: null, city: null, isp: null }),
  device: jsonb('device').$type<Device | null>(),
  referrer: jsonb('referrer').$type<Referrer | null>(),
  /** The current visit's pages (trail.ts), capped. */
  trail: jsonb('trail').$type<Trail>().notNull().default({ pages: [], dropped: 0 }),
  /** Scoped capability for the visitor's chat file routes (upload, download): never the visitor key itself. */
  fileToken: text('file_token'),
}, (t) => [uniqueIndex('chat_visitors_key').on(t.tenantId, t.visitorKey), index('chat_visitors_seen_idx').on(t.tenantId, t.lastSeenAt)]);

/** One chat: a ticket on the webchat channel plus its live state (queue, agent, numbering, rating). */
export const chatConversations = pgTable('chat_conversations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').notNull().references(() => tickets.id, { onDelete: 'cascade' }),
  visitorId: uuid('visitor_id').notNull().references(() => chatVisitors.id, { onDelete: 'cascade' }),
  widgetStyleId: uuid('widget_style_id').references(() => widgetStyles.id, { onDelete: 'set null' }),
  /** queued | active | ended */
  status: text('status').notNull().default('queued'),
  agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
  /** The routing scope (region-routing.ts) the ACD chooses within; a department transfer replaces it. */
  scope: jsonb('scope').$type<{ source: string; departmentIds: string[]; agentIds: string[] }>().notNull(),
  /** Agents a transfer moved it away from (never picked again by the ACD for this chat). */
  exclude: uuid('exclude').array().notNull().default(sql`'{}'::uuid[]`),
  /** Colleagues invited into the chat beside its agent: they see and write in it too. */
  collaboratorIds: uuid('collaborator_ids').array().notNull().default(sql`'{}'::uuid[]`),
  /** Last seq handed out; incremented under this row's lock. */
  lastSeq: integer('last_seq').notNull().default(0),
  rating: smallint('rating'),
  ratingComment: text('rating_comment'),
  queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('chat_conversations_status_idx').on(t.tenantId, t.status, t.queuedAt),
  index('chat_conversations_agent_idx').on(t.tenantId, t.agentId, t.status),
  index('chat_conversations_visitor_idx').on(t.tenantId, t.visitorId, t.createdAt),
  uniqueIndex('chat_conversations_ticket_key').on(t.ticketId),
]);

/** Per-conversation numbering of the ticket's public messages (delivery.ts: resume after a seq). */
export const chatMessageSeqs = pgTable('chat_message_seqs', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  conversationId: uuid('conversation_id').notNull().references(() => chatConversations.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  messageId: uuid('message_id').notNull().references(() => messages.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.conversationId, t.seq] }), uniqueIndex('chat_message_seqs_message_key').on(t.messageId)]);

/** Per agent, for chats: 最大接待量 (0 = the ACD gives them none), last chat received, recent transfer targets. */
export const chatAgentSettings = pgTable('chat_agent_settings', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  chatCapacity: integer('chat_capacity').notNull().default(5),
  lastChatAt: timestamp('last_chat_at', { withTimezone: true }),
  recentTransfers: jsonb('recent_transfers').$type<Array<{ kind: 'agent' | 'department'; id: string }>>().notNull().default([]),
  /** A sound when a new visitor arrives on the site (the live visitors list). */
  visitorSound: boolean('visitor_sound').notNull().default(true),
}, (t) => [primaryKey({ columns: [t.tenantId, t.userId] })]);

/** 常用语: public (ownerId null, admin-managed) or personal canned replies, grouped by category. */
export const cannedReplies = pgTable('canned_replies', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'cascade' }),
  category: text('category').notNull().default(''),
  title: text('title').notNull(),
  body: text('body').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('canned_replies_owner_idx').on(t.tenantId, t.ownerId, t.category)]);

export type WidgetStyle = typeof widgetStyles.$inferSelect;
export type RegionStrategyRow = typeof regionStrategies.$inferSelect;
export type ChatVisitor = typeof chatVisitors.$inferSelect;
export type ChatConversation = typeof chatConversations.$inferSelect;
export type CannedReply = typeof cannedReplies.$inferSelect;
