import { sql } from 'drizzle-orm';
import { bigserial, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { kbArticles } from './kb.schema.ts';

/**
 * Self-service that worked: a customer read a suggested article and said it solved their problem
 * instead of filing a request (help center) or starting a chat (widget). One row per article per visit.
 * The article reference falls to null when the article is deleted, so totals over a period stay true.
 */
export const kbDeflections = pgTable('kb_deflections', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  articleId: uuid('article_id').references(() => kbArticles.id, { onDelete: 'set null' }),
  /** What the customer had typed when the article was suggested (may be empty: opened from search or browsing). */
  query: text('query').notNull().default(''),
  /** portal | widget */
  source: text('source').notNull(),
  /** The browser's id for one visit of the form: pressing "solved" twice counts once. */
  visitId: uuid('visit_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('kb_deflections_at_idx').on(t.tenantId, t.createdAt),
  uniqueIndex('kb_deflections_visit_key').on(t.tenantId, t.articleId, t.visitId).where(sql`${t.visitId} is not null`),
]);

export type KbDeflection = typeof kbDeflections.$inferSelect;
