import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { customerIdentities, customers, type Customer } from './customers.schema.ts';

export type IdentityKind = 'email' | 'phone' | 'visitor' | 'wechat' | 'external';
export interface IdentityInput { kind: IdentityKind; value: string; name?: string }

function normalize(kind: IdentityKind, value: string): string {
  const v = value.trim();
  if (kind === 'email') return v.toLowerCase();
  if (kind === 'phone') return v.replace(/[\s()-]/g, '');
  return v;
}

/**
 * The customer behind an identity, created on first contact. The unique (kind, value) index makes
 * two concurrent first contacts end up on one customer.
 */
export async function resolveIdentity(ctx: Ctx, input: IdentityInput): Promise<Customer> {
  const value = normalize(input.kind, input.value);
  const [known] = await ctx.db.select({ c: customers }).from(customerIdentities).innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(inTenant(ctx, customerIdentities, eq(customerIdentities.kind, input.kind), eq(customerIdentities.value, value)));
  if (known) return known.c;
  const [customer] = await ctx.db.insert(customers).values({
    tenantId: ctx.tenantId, name: input.name?.trim() || value,
    email: input.kind === 'email' ? value : null, phone: input.kind === 'phone' ? value : null,
  }).returning();
  const [identity] = await ctx.db.insert(customerIdentities).values({ tenantId: ctx.tenantId, customerId: customer.id, kind: input.kind, value })
    .onConflictDoNothing().returning();
  if (identity) return customer;
  // someone else created it between our read and write: use theirs
  await ctx.db.delete(customers).where(and(eq(customers.id, customer.id)));
  return resolveIdentity(ctx, input);
}

/** A customer given by hand (phone call, walk-in): matched by email, then phone, else created. */
export async function findOrCreateCustomer(ctx: Ctx, c: { name: string; email?: string; phone?: string }): Promise<Customer> {
  const primary: IdentityInput = c.email ? { kind: 'email', value: c.email, name: c.name } : c.phone ? { kind: 'phone', value: c.phone, name: c.name } : { kind: 'external', value: `manual:${crypto.randomUUID()}`, name: c.name };
  const customer = await resolveIdentity(ctx, primary);
  if (c.email && c.phone) {
    await ctx.db.insert(customerIdentities).values({ tenantId: ctx.tenantId, customerId: customer.id, kind: 'phone', value: normalize('phone', c.phone) }).onConflictDoNothing();
    if (!customer.phone) await ctx.db.update(customers).set({ phone: normalize('phone', c.phone) }).where(eq(customers.id, customer.id));
  }
  return customer;
}

/** Masks contact details for staff without the customers.view_contact permission. */
export function maskEmail(email: string | null): string | null {
  if (!email) return email;
  const at = email.indexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length <= 4 ? '****' : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
