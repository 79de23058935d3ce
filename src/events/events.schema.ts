import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uuid, uniqueIndex, customType } from 'drizzle-orm/pg-core';

/** The durable log of domain events, written in the same transaction as the change they describe. */
export const events = pgTable('events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id'),
  type: text('type').notNull(),
  payload: jsonb('payload').notNull(),
  actor: jsonb('actor'),
  causationId: text('causation_id'),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('events_tenant_idx').on(t.tenantId, t.id)]);

/**
 * Durable jobs and timers. Event deliveries are jobs too (one per subscriber), so a slow
 * subscriber never delays another, and a job with a key can be rescheduled by writing the same key.
 */
export const jobs = pgTable('jobs', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id'),
  queue: text('queue').notNull(),
  key: text('key'),
  payload: jsonb('payload').notNull(),
  runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
  /** pending | done | failed */
  status: text('status').notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  maxAttempts: integer('max_attempts').notNull().default(8),
  lockedBy: text('locked_by'),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('jobs_key_key').on(t.key),
  index('jobs_due_idx').on(t.status, t.runAt),
]);

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** Socket.IO's PostgreSQL adapter stores large packets here (its documented table). */
export const socketIoAttachments = pgTable('socket_io_attachments', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
  payload: bytea('payload'),
});
