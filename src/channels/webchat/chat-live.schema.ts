import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../../modules/tenants/tenants.schema.ts';
import { departments, users } from '../../modules/staff/staff.schema.ts';
import { chatConversations, chatVisitors } from './webchat.schema.ts';

/**
 * 主动邀请: an agent invites a visitor on the site to chat. The widget opens with the agent's message;
 * accepting starts a chat served by that agent.
 */
export const chatInvitations = pgTable('chat_invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  visitorId: uuid('visitor_id').notNull().references(() => chatVisitors.id, { onDelete: 'cascade' }),
  agentId: uuid('agent_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  message: text('message').notNull(),
  /** pending | accepted | declined */
  status: text('status').notNull().default('pending'),
  conversationId: uuid('conversation_id').references(() => chatConversations.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
}, (t) => [index('chat_invitations_visitor_idx').on(t.tenantId, t.visitorId, t.createdAt)]);

/** 内部交流: direct messages between colleagues, outside any ticket. */
export const agentMessages = pgTable('agent_messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  fromId: uuid('from_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  toId: uuid('to_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  readAt: timestamp('read_at', { withTimezone: true }),
}, (t) => [
  index('agent_messages_to_idx').on(t.tenantId, t.toId, t.createdAt),
  index('agent_messages_from_idx').on(t.tenantId, t.fromId, t.createdAt),
]);

/** Per department, for chats: the longest queue (0 = no limit); beyond it visitors get the offline-message form. */
export const chatDepartmentSettings = pgTable('chat_department_settings', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  departmentId: uuid('department_id').notNull().references(() => departments.id, { onDelete: 'cascade' }),
  maxQueueLength: integer('max_queue_length').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.tenantId, t.departmentId] })]);

export type ChatInvitation = typeof chatInvitations.$inferSelect;
export type AgentMessage = typeof agentMessages.$inferSelect;
