import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { tickets } from '../tickets/tickets.schema.ts';
import { kbArticles } from './kb.schema.ts';

/**
 * Questions the robot could not answer (below its floor, suggestions rejected, or a person asked for
 * right after an answer), one row per company and normalized question: repeats count up, so the
 * knowledge-base owners write the articles most asked for first.
 */
export const kbUnansweredQuestions = pgTable('kb_unanswered_questions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  /** unanswered.ts normalizeQuestion: the key repeats are counted by. */
  normalized: text('normalized').notNull(),
  /** The wording as last asked. */
  question: text('question').notNull(),
  /** no_answer | rejected | handover_after_answer (the latest occurrence's) */
  reason: text('reason').notNull(),
  /** Where it was last asked: the widget style (its name kept, the style may be deleted), the chat and its ticket. */
  widgetStyleId: uuid('widget_style_id'),
  widgetName: text('widget_name'),
  conversationId: uuid('conversation_id'),
  ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  count: integer('count').notNull().default(1),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  /** open | resolved | ignored */
  status: text('status').notNull().default('open'),
  articleId: uuid('article_id').references(() => kbArticles.id, { onDelete: 'set null' }),
}, (t) => [
  uniqueIndex('kb_unanswered_key').on(t.tenantId, t.normalized),
  index('kb_unanswered_status_idx').on(t.tenantId, t.status, t.count),
]);

export type KbUnansweredQuestion = typeof kbUnansweredQuestions.$inferSelect;
