import { eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import { BUILTIN_ROLES } from '../../contracts/permissions.ts';
import type { Db } from '../../db/client.ts';
import { emit } from '../../events/outbox.ts';
import { SYSTEM } from '../auth/actor.ts';
import { hashPassword } from '../auth/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { roles, users } from '../staff/staff.schema.ts';
import { seedTicketTypes } from '../tickets/ticket-types.service.ts';
import { ensureTicketSequence } from '../tickets/numbering.ts';
import { tenants, type Tenant } from './tenants.schema.ts';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export interface CreateTenantInput {
  slug: string;
  name: string;
  adminEmail: string;
  adminName: string;
  adminPassword: string;
  locale?: 'zh-CN' | 'en';
}

/** A new company with its built-in roles and a first administrator, in one transaction. */
export async function createTenant(db: Db, input: CreateTenantInput): Promise<{ tenant: Tenant; adminId: string }> {
  const slug = input.slug.toLowerCase();
  if (!SLUG_PATTERN.test(slug)) throw new AppError('validation', 'The company identifier may use a-z, 0-9 and "-" (1-40 characters)');
  const passwordHash = await hashPassword(input.adminPassword);
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug));
    if (existing) throw new AppError('slug_taken');
    const [tenant] = await tx.insert(tenants).values({ slug, name: input.name, defaultLocale: input.locale ?? 'zh-CN' }).returning();
    const locale = input.locale ?? 'zh-CN';
    const roleRows = await tx.insert(roles).values(Object.entries(BUILTIN_ROLES).map(([key, r]) => ({
      tenantId: tenant.id, name: locale === 'en' ? r.en : r.zh, builtin: key, permissions: [...r.permissions],
    }))).returning();
    const adminRole = roleRows.find((r) => r.builtin === 'admin')!;
    const [admin] = await tx.insert(users).values({
      tenantId: tenant.id, email: input.adminEmail.toLowerCase(), name: input.adminName, passwordHash, roleId: adminRole.id, status: 'active', locale,
    }).returning({ id: users.id });
    await seedTicketTypes(tx, tenant.id);
    await ensureTicketSequence(tx, tenant.id);
    const ctx = { db: tx, tenantId: tenant.id, actor: SYSTEM, publicUrl: '' };
    await recordAudit(ctx, { action: 'tenant.create', targetType: 'tenant', targetId: tenant.id, after: { slug, name: input.name, adminEmail: input.adminEmail } });
    await emit(tx, { tenantId: tenant.id, actor: { kind: 'system', name: 'system' } }, { type: 'tenant.created', slug });
    return { tenant, adminId: admin.id };
  });
}

export async function findTenantBySlug(db: Db, slug: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug));
  return row;
}

export async function listTenants(db: Db): Promise<Tenant[]> {
  return db.select().from(tenants).orderBy(tenants.createdAt);
}
