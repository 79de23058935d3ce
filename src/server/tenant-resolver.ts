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

/**
 * Base URL for links Kefu mails out (invitations, password resets). Never taken blindly from the
 * Host header: a forged Host would otherwise send a reset link to someone else's server.
 * KEFU_PUBLIC_URL wins (with the tenant's subdomain when the request used one); without it, only a
 * host of our own shape is trusted (the base domain or a subdomain of it, or an IP literal).
 */
export function linkBase(host: string | undefined, protocol: string, tenantSlug: string, cfg: { publicUrl?: string; baseDomain: string; port: number; defaultTenant: string }): string {
  const viaSubdomain = slugFromHost(host, cfg.baseDomain, '\u0000') !== '\u0000';
  if (cfg.publicUrl) {
    const url = new URL(cfg.publicUrl);
    if (viaSubdomain && !url.hostname.startsWith(`${tenantSlug}.`)) url.hostname = `${tenantSlug}.${url.hostname}`;
    return url.toString().replace(/\/$/, '');
  }
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  const trusted = viaSubdomain || name === cfg.baseDomain.toLowerCase() || /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || /^\[[0-9a-f:]+\]$/.test(name);
  return trusted ? `${protocol}://${host}` : `${protocol}://${cfg.baseDomain}:${cfg.port}`;
}
