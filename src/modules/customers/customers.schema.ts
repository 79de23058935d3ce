import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/tenants.schema.ts';

/** A customer card. One customer, many identities (email addresses, phone numbers, visitor ids…). */
export const customers = pgTable('customers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('customers_tenant_idx').on(t.tenantId, t.createdAt)]);

/** How a customer is known on one channel: (kind, value) is unique per tenant. */
export const customerIdentities = pgTable('customer_identities', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  customerId: uuid('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
  /** email | phone | visitor | wechat | external */
  kind: text('kind').notNull(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('customer_identities_key').on(t.tenantId, t.kind, t.value), index('customer_identities_customer_idx').on(t.tenantId, t.customerId)]);

export type Customer = typeof customers.$inferSelect;
