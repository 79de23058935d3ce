import type { MeView } from '../../contracts/auth.ts';
import type { Tenant } from '../tenants/tenants.schema.ts';
import type { SessionAuth } from './sessions.ts';

export function presentMe(auth: SessionAuth, tenant: Tenant, csrfToken: string): MeView {
  const { user, role, actor } = auth;
  return {
    id: user.id, email: user.email, name: user.name, locale: user.locale as MeView['locale'], presence: user.presence, level: user.level,
    role: { id: role.id, name: role.name, builtin: role.builtin },
    permissions: [...actor.permissions],
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    csrfToken,
  };
}

export function presentApiToken(t: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }) {
  return { id: t.id, name: t.name, prefix: t.prefix, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null };
}
