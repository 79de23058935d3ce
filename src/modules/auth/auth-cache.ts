import type { SessionAuth } from './sessions.ts';

/** The NOTIFY channel the auth tables' triggers signal on (payload: the company's id). */
export const AUTH_CHANNEL = 'kefu_auth';

interface Entry { auth: SessionAuth; tenantId: string; cachedAt: number; expiresAt: number }

/**
 * Resolved sessions and API tokens, per node, so an authenticated read costs no database round trip.
 *
 * Correctness rests on invalidation, not on the TTL: every change to sessions, api_tokens, users or roles
 * fires a trigger (migration 0008) that NOTIFYs the company's id on commit, and every node drops that
 * company's entries when it hears it — whatever code path (route, CLI, job, hand-written SQL) made the
 * change. The node that served an auth-changing request also drops them before answering, so its own
 * next request never sees the old state. The TTL only bounds the damage of a lost LISTEN connection,
 * and keeps session last-seen times (touched on a database lookup) fresh to within a minute.
 */
export class AuthCache {
  private entries = new Map<string, Entry>();
  constructor(private readonly ttlMs = 30_000, private readonly max = 20_000) {}

  get(key: string, now = Date.now()): SessionAuth | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (now - e.cachedAt > this.ttlMs || now >= e.expiresAt) {
      this.entries.delete(key);
      return null;
    }
    return e.auth;
  }

  set(key: string, tenantId: string, auth: SessionAuth, expiresAt: Date | null, now = Date.now()): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!); // oldest first
    this.entries.set(key, { auth, tenantId, cachedAt: now, expiresAt: expiresAt?.getTime() ?? Infinity });
  }

  forgetTenant(tenantId: string): void {
    for (const [key, e] of this.entries) if (e.tenantId === tenantId) this.entries.delete(key);
  }

  clear(): void { this.entries.clear(); }
  get size(): number { return this.entries.size; }
}
