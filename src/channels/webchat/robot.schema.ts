import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../../modules/tenants/tenants.schema.ts';
import { chatConversations } from './webchat.schema.ts';

/** An article the robot offered as a choice (the visitor clicks one to get its answer). */
export interface RobotChoice { articleId: string; title: string }

/**
 * The robot's side of a chat it serves (conversation status 'bot'): the choices it offered, the last
 * question and answer (a request for a person right after an answer means the answer did not help),
 * how many messages it could not place, and when it handed over to a person.
 */
export const chatRobotStates = pgTable('chat_robot_states', {
  conversationId: uuid('conversation_id').primaryKey().references(() => chatConversations.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  choices: jsonb('choices').$type<RobotChoice[]>().notNull().default([]),
  /** The visitor's question the current choices or the last answer respond to. */
  question: text('question'),
  answeredArticleId: uuid('answered_article_id'),
  misses: integer('misses').notNull().default(0),
  handedOverAt: timestamp('handed_over_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ChatRobotState = typeof chatRobotStates.$inferSelect;
