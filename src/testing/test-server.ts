import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'drizzle-orm';
import { loadConfig, type Config } from '../server/config.ts';
import { startKefu, type Kefu } from '../server/kefu.ts';
import { createTenant } from '../modules/tenants/tenants.service.ts';
import type { Database } from '../db/client.ts';
import { createTestDatabase } from './test-db.ts';

export const ADMIN_PASSWORD = 'admin-password-1';
export const AGENT_PASSWORD = 'agent-password';

export interface TestServer {
  kefu: Kefu;
  database: Database;
  config: Config;
  /** A company with an administrator (admin@<slug>.test / ADMIN_PASSWORD). */
  tenant(slug: string): Promise<TestTenant>;
  /** Runs every due job and event delivery now (no sleeping in tests). */
  drain(): Promise<void>;
  /** Makes a queue's pending timers due by the database clock, then drains: "time has come" without waiting. */
  fireTimers(queue: string): Promise<void>;
  close(): Promise<void>;
}

export interface TestTenant {
  id: string;
  slug: string;
  host: string;
  adminEmail: string;
  /** Unauthenticated request against this tenant's host. */
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Signs in and returns a client that sends the cookie and CSRF token. */
  login(email: string, password: string): Promise<Client>;
  admin(): Promise<Client>;
  /**
   * An active agent the real way: invited by the admin, activated through the mailed link, signed in.
   * Built-in Agent role unless roleId is given; online unless presence says otherwise.
   */
  agent(email: string, opts?: { departmentIds?: string[]; roleId?: string; presence?: 'online' | 'away' | 'offline' }): Promise<Client>;
}

export interface Client {
  userId: string;
  cookie: string;
  csrf: string;
  request(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  del(url: string): Promise<LightMyRequestResponse>;
}

/** A whole Kefu node on a fresh database, driven through app.inject (no port needed). */
export async function testServer(overrides: Partial<Config> = {}, opts: { clock?: () => Date } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  // A data directory of its own (uploaded files): test servers running side by side never share or sweep each other's.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-test-data-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, defaultTenant: 'default', loginRateLimit: 1000, helpCenterRateLimit: 100_000, visitorConnectionRateLimit: 100_000, dataDir, mailFetch: false, ...overrides });
  const kefu = await startKefu({ config, database, logger: false, pollMs: 60_000, clock: opts.clock });
  const inject = (host: string) => async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    kefu.app.inject({
      method: method as 'GET', url, headers: { host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });

  return {
    kefu, database, config,
    async tenant(slug) {
      const adminEmail = `admin@${slug}.test`;
      const { tenant } = await createTenant(database.db, { slug, name: `${slug} Inc.`, adminEmail, adminName: `${slug} admin`, adminPassword: ADMIN_PASSWORD });
      const host = `${slug}.localhost`;
      const request = inject(host);
      const login = async (email: string, password: string): Promise<Client> => {
        const res = await request('POST', '/api/v1/auth/login', { email, password });
        if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
        const cookie = `kefu_session=${res.cookies.find((c) => c.name === 'kefu_session')!.value}`;
        const me = res.json();
        const send = (m: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
          request(m, url, body, { cookie, 'x-csrf-token': me.csrfToken, ...headers });
        return {
          userId: me.id, cookie, csrf: me.csrfToken, request: send,
          get: (u) => send('GET', u), post: (u, b) => send('POST', u, b ?? {}), patch: (u, b) => send('PATCH', u, b ?? {}),
          put: (u, b) => send('PUT', u, b ?? {}), del: (u) => send('DELETE', u),
        };
      };
      const admin = () => login(adminEmail, ADMIN_PASSWORD);
      const agent: TestTenant['agent'] = async (email, opts = {}) => {
        const a = await admin();
        const roleId = opts.roleId ?? (await a.get('/api/v1/roles')).json().items.find((r: { builtin: string }) => r.builtin === 'agent').id;
        const invited = await a.post('/api/v1/staff/invitations', { email, name: email.split('@')[0], roleId, departmentIds: opts.departmentIds ?? [] });
        if (invited.statusCode !== 201) throw new Error(`invite ${email} failed: ${invited.body}`);
        await kefu.worker.drain();
        const mail = (await a.get(`/api/v1/outbox?to=${encodeURIComponent(email)}`)).json().items[0];
        const token = decodeURIComponent(mail.text.match(/token=([^\s]+)/)[1]);
        await request('POST', '/api/v1/auth/activate', { token, password: AGENT_PASSWORD });
        const c = await login(email, AGENT_PASSWORD);
        if ((opts.presence ?? 'online') !== 'offline') await c.put('/api/v1/auth/me/presence', { presence: opts.presence ?? 'online' });
        return c;
      };
      return { id: tenant.id, slug, host, adminEmail, request, login, admin, agent };
    },
    drain: () => kefu.worker.drain(),
    async fireTimers(queue) {
      await database.db.execute(sql`update jobs set run_at = now() - interval '1 second' where queue = ${queue} and status = 'pending'`);
      await kefu.worker.drain();
    },
    async close() {
      await kefu.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
