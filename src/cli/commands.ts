import crypto from 'node:crypto';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { openDatabase, type Database } from '../db/client.ts';
import { setEventRouting } from '../events/outbox.ts';
import { SUBSCRIBERS } from '../events/subscribers.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { endSessions } from '../modules/auth/sessions.ts';
import { SYSTEM } from '../modules/auth/actor.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import { users } from '../modules/staff/staff.schema.ts';
import { createTenant, findTenantBySlug, listTenants } from '../modules/tenants/tenants.service.ts';
import type { Config } from '../server/config.ts';

export interface Output { log(line: string): void }

export async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  setEventRouting(SUBSCRIBERS); // events written by CLI commands get their deliveries queued like any other
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite') });
  try { return await fn(database); } finally { await database.close(); }
}

export const generatePassword = () => crypto.randomBytes(9).toString('base64url');

export async function cmdCreateTenant(database: Database, out: Output, a: { slug: string; name: string; adminEmail: string; adminName: string; adminPassword?: string; locale?: 'zh-CN' | 'en' }) {
  const password = a.adminPassword ?? generatePassword();
  const { tenant } = await createTenant(database.db, { ...a, adminPassword: password });
  out.log(`Created company "${tenant.name}" (${tenant.slug}).`);
  out.log(`Admin login: ${a.adminEmail.toLowerCase()} / ${password}`);
  return tenant;
}

export async function cmdListTenants(database: Database, out: Output) {
  const rows = await listTenants(database.db);
  if (!rows.length) out.log('No companies yet.');
  for (const t of rows) out.log(`${t.slug}\t${t.name}\t${t.createdAt.toISOString()}`);
}

/** Sets a new password, ends the person's sessions and records it in the audit log. */
export async function cmdResetPassword(database: Database, out: Output, a: { tenant: string; email: string; password?: string }) {
  const tenant = await findTenantBySlug(database.db, a.tenant);
  if (!tenant) throw new CliError(`No company with identifier "${a.tenant}". List them with: kefu tenant list`);
  const password = a.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  await database.db.transaction(async (tx) => {
    const [user] = await tx.update(users).set({ passwordHash, failedLogins: 0, updatedAt: new Date() })
      .where(and(eq(users.tenantId, tenant.id), eq(users.email, a.email.toLowerCase()))).returning();
    if (!user) throw new CliError(`No staff member ${a.email} in ${a.tenant}.`);
    const ctx = { db: tx, tenantId: tenant.id, actor: { ...SYSTEM, name: 'kefu CLI' }, publicUrl: '' };
    await endSessions(ctx, user.id);
    await recordAudit(ctx, { action: 'staff.password_reset', targetType: 'user', targetId: user.id });
  });
  out.log(`New password for ${a.email.toLowerCase()} at ${a.tenant}: ${password}`);
}

export class CliError extends Error {}
