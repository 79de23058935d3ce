import { sql, type SQL } from 'drizzle-orm';
import { bigserial, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';
import { users } from '../staff/staff.schema.ts';
import { tickets } from '../tickets/tickets.schema.ts';

/** PostgreSQL's tsvector: written by the database itself (a generated column), never by the application. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Knowledge-base categories: a tree per company (parentId null = top level). */
export const kbCategories = pgTable('kb_categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  parentId: uuid('parent_id').references((): AnyPgColumn => kbCategories.id, { onDelete: 'restrict' }),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('kb_categories_name_key').on(t.tenantId, sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.name),
  index('kb_categories_parent_idx').on(t.tenantId, t.parentId),
]);

/**
 * The search document of an article, as the weighted tsvector the database stores: the application
 * writes search_text (already segmented terms, one section per line), PostgreSQL indexes it with the
 * 'simple' configuration, which only splits on the spaces we put there, so PGlite and PostgreSQL store
 * the same lexemes whatever their locale.
 *   line 1 title ×A · line 2 keywords, synonyms, paraphrases ×B · line 3 body ×C · line 4 subwords ×D
 */
const SEARCH_TSV: SQL = sql`setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\n', 1)), 'A') || setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\n', 2)), 'B') || setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\n', 3)), 'C') || setweight(to_tsvector('simple'::regconfig, split_part(search_text, E'\n', 4)), 'D')`;

/** Articles and FAQ entries (kind faq: a question as title, its paraphrases, an answer as body). */
/**
 * The questions' part of search_tsv (title, keywords and paraphrases: weights A and B). The index below
 * and the search that uses it (search.ts) share this one expression: the index serves only that exact one.
 */
export const questionsTsv = (searchTsv: AnyPgColumn): SQL => sql`ts_filter(${searchTsv}, '{a,b}')`;

export const kbArticles = pgTable('kb_articles', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  categoryId: uuid('category_id').references(() => kbCategories.id, { onDelete: 'set null' }),
  /** article | faq */
  kind: text('kind').notNull().default('article'),
  title: text('title').notNull(),
  /** Sanitized HTML (allow-listed on every write). */
  body: text('body').notNull().default(''),
  /** The body as plain text: snippets, highlights and the index read this. */
  bodyText: text('body_text').notNull().default(''),
  keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
  /** Groups of words meaning the same ("网速=宽带速度"): indexed, and each expands the others in queries. */
  synonyms: text('synonyms').array().notNull().default(sql`'{}'::text[]`),
  /** Other ways customers ask the same question (FAQ entries mostly). */
  paraphrases: text('paraphrases').array().notNull().default(sql`'{}'::text[]`),
  /** zh-CN | en */
  locale: text('locale').notNull().default('zh-CN'),
  /** public (help center, robot) | internal (staff only) */
  visibility: text('visibility').notNull().default('public'),
  /** draft | published */
  status: text('status').notNull().default('draft'),
  authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
  /** The ticket whose answer this article was saved from (from-ticket.ts), shown in the editor. */
  sourceTicketId: uuid('source_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
  /** The number of the latest saved version (kb_article_versions). */
  version: integer('version').notNull().default(1),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  views: integer('views').notNull().default(0),
  helpfulYes: integer('helpful_yes').notNull().default(0),
  helpfulNo: integer('helpful_no').notNull().default(0),
  /** Segmented terms, written by index-text.ts; the source of search_tsv. */
  searchText: text('search_text').notNull().default(''),
  /** Latin-script words of title, keywords and paraphrases, for typo matching with pg_trgm. */
  fuzzyText: text('fuzzy_text').notNull().default(''),
  searchTsv: tsvector('search_tsv').notNull().generatedAlwaysAs(SEARCH_TSV),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('kb_articles_search_idx').using('gin', t.searchTsv),
  // the questions alone (title, keywords and paraphrases: weights A and B), for queries of common words only (search.ts lookupFor)
  index('kb_articles_questions_idx').using('gin', questionsTsv(t.searchTsv)),
  index('kb_articles_fuzzy_idx').using('gin', t.fuzzyText.op('gin_trgm_ops')),
  index('kb_articles_category_idx').on(t.tenantId, t.categoryId),
  index('kb_articles_updated_idx').on(t.tenantId, t.updatedAt),
]);

/** Every save of an article, oldest first: who changed what, and the text as it was. */
export const kbArticleVersions = pgTable('kb_article_versions', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  articleId: uuid('article_id').notNull().references(() => kbArticles.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  keywords: text('keywords').array().notNull(),
  synonyms: text('synonyms').array().notNull(),
  paraphrases: text('paraphrases').array().notNull(),
  categoryId: uuid('category_id'),
  kind: text('kind').notNull(),
  locale: text('locale').notNull(),
  visibility: text('visibility').notNull(),
  status: text('status').notNull(),
  /** What the save was: create | update | publish | unpublish | restore */
  action: text('action').notNull(),
  authorId: uuid('author_id'),
  authorName: text('author_name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('kb_article_versions_key').on(t.tenantId, t.articleId, t.version)]);

/**
 * A company's search dictionary, kept beside its articles: the words cut out whole (keywords,
 * synonyms), the synonym groups, how many articles there are, and a version every node compares
 * with its cached copy before a search.
 */
export const kbDictionaries = pgTable('kb_dictionaries', {
  tenantId: uuid('tenant_id').primaryKey().references(() => tenants.id, { onDelete: 'cascade' }),
  version: integer('version').notNull().default(1),
  words: text('words').array().notNull().default(sql`'{}'::text[]`),
  /** term (terms joined by spaces) → the other members of its synonym groups, each as terms joined by spaces */
  synonyms: jsonb('synonyms').$type<Record<string, string[]>>().notNull().default({}),
  articleCount: integer('article_count').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** In how many of a company's articles each term occurs: query terms are weighted by how rare they are. */
export const kbTerms = pgTable('kb_terms', {
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  term: text('term').notNull(),
  df: integer('df').notNull(),
}, (t) => [
  primaryKey({ columns: [t.tenantId, t.term] }),
  // fuzzy search corrects a typo to the company's own words ("acount" → account): a lookup in this
  // vocabulary instead of a trigram scan of every article
  index('kb_terms_term_trgm_idx').using('gin', t.term.op('gin_trgm_ops')),
  // fuzzy search's last resort counts the articles each Chinese character of a query finds by the
  // words it starts (search.ts, charCounts), whatever the database's collation
  index('kb_terms_first_char_idx').on(t.tenantId, sql`left(${t.term}, 1)`),
]);

export type KbCategory = typeof kbCategories.$inferSelect;
export type KbArticle = typeof kbArticles.$inferSelect;
export type NewKbArticle = typeof kbArticles.$inferInsert;
export type KbArticleVersion = typeof kbArticleVersions.$inferSelect;
export type KbDictionary = typeof kbDictionaries.$inferSelect;
