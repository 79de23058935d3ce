import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { messages, tickets } from '../tickets/tickets.schema.ts';
import { kbArticles } from '../kb/kb.schema.ts';

/**
 * Files on tickets and messages. The bytes live on disk once per content (named by their SHA-256);
 * this row is one use of them. An upload belongs to its ticket at once and to a message when it is sent
 * (messageId stays null until then; unsent uploads are swept after a day). A knowledge-base article's
 * files carry articleId instead and stay as long as the article.
 */
export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
  messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
  /** A file of a knowledge-base article (no ticket, no message): public when the article is published and public. */
  articleId: uuid('article_id').references(() => kbArticles.id, { onDelete: 'cascade' }),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  /** Inline images in mail bodies are referenced by Content-ID. */
  contentId: text('content_id'),
  uploadedBy: uuid('uploaded_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('attachments_ticket_idx').on(t.tenantId, t.ticketId),
  index('attachments_message_idx').on(t.tenantId, t.messageId),
  index('attachments_article_idx').on(t.tenantId, t.articleId),
  index('attachments_sha_idx').on(t.sha256),
]);

export type Attachment = typeof attachments.$inferSelect;
