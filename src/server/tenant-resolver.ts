import type { Db } from '../db/client.ts';
import { findTenantBySlug } from '../modules/tenants/tenants.service.ts';
import type { Tenant } from '../modules/tenants/tenants.schema.ts';

/**
 * Which company a request is for, from its Host: `acme.<base domain>` → tenant "acme".
 * A host without a tenant label (the bare base domain, an IP address, any other name) falls back to
 * the default tenant, so a single-company install works at any address.
 */
export function slugFromHost(host: string | undefined, baseDomain: string, defaultTenant: string): string {
  const name = (host ?? '').replace(/:\d+$/, '').replace(/^\[.*\]$/, '').toLowerCase();
  const suffix = `.${baseDomain.toLowerCase()}`;
  if (name.endsWith(suffix)) {
    const label = name.slice(0, -suffix.length);
    if (label && !label.includes('.')) return label;
  }
  return defaultTenant;
}

/** Tenants change rarely and are read on every request: keep them a few seconds. */
export function createTenantCache(db: Db, ttlMs = 5000) {
  const cache = new Map<string, { tenant: Tenant | null; at: number }>();
  return {
    async get(slug: string): Promise<Tenant | null> {
      const hit = cache.get(slug);
      if (hit && Date.now() - hit.at < ttlMs) return hit.tenant;
      const tenant = (await findTenantBySlug(db, slug)) ?? null;
      if (cache.size > 10_000) cache.clear();
      cache.set(slug, { tenant, at: Date.now() });
      return tenant;
    },
    clear() { cache.clear(); },
  };
}
