import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { AppError } from '../contracts/errors.ts';
import type { Database } from '../db/client.ts';
import { authenticateApiToken, authenticateSession, type SessionAuth } from '../modules/auth/sessions.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../modules/auth/cookie.ts';
import { AUTH_CHANNEL, AuthCache } from '../modules/auth/auth-cache.ts';
import { hashToken } from '../modules/auth/password.ts';
import { SYSTEM } from '../modules/auth/actor.ts';
import type { Tenant } from '../modules/tenants/tenants.schema.ts';
import type { Config } from './config.ts';
import { checkAccess, mountRoutes, type Route, type RouteCtx } from './define-route.ts';
import { errorHandler, notFoundBody } from './errors.ts';
import { ROUTES } from './routes.ts';
import { createTenantCache, linkBase, slugFromHost } from './tenant-resolver.ts';

declare module 'fastify' {
  interface FastifyInstance {
    kefu: { nodeId: string; ready(): Promise<void> };
  }
  interface FastifyRequest {
    kefuLocale?: string;
    kefuTenantId?: string;
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  nodeId: string;
  /** Built web assets; served when the directory exists. */
  webDist?: string;
  logger?: boolean | object;
  routes?: readonly Route[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PORTAL_PAGE = 'portal/index.html';
/**
 * The portal shows articles' HTML (sanitized on save and again in the browser): the page may run only
 * its own scripts, whatever an article contains. Inline styles stay allowed (antd writes its CSS at run
 * time); article images may come from anywhere.
 */
const PORTAL_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https: http:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};
/** Routes under these tags change logins, people or roles: a write through them drops the node's cached logins at once. */
const AUTH_TAGS = new Set(['auth', 'staff', 'roles']);

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy: true,
    // allowUnionTypes: a value that may be text or a number is declared as a type list, so ajv's coercion
    // cannot turn one into the other (it would in the first branch of an anyOf).
    ajv: { customOptions: { removeAdditional: false, allErrors: false, allowUnionTypes: true, discriminator: true } },
    // A URL with broken percent-encoding gets the same error body (and language) as every other 4xx.
    frameworkErrors: (err, req, reply) => errorHandler(err as Parameters<typeof errorHandler>[0], req, reply),
  });
  app.decorate('kefu', {
    nodeId: opts.nodeId,
    async ready() { await database.db.execute(sql`select 1`); },
  });
  app.setErrorHandler(errorHandler);

  // Authorization in one place: an API route that did not come through defineRoute (and so declares
  // no access rule) stops the server from starting.
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: unknown } | undefined)?.access;
    if (route.url.startsWith('/api/v1') && !access) throw new Error(`route ${route.method} ${route.url} declares no access rule: add it with defineRoute`);
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false, max: config.loginRateLimit, timeWindow: '1 minute' });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kefu API', version: '1', description: 'Kefu customer-service platform. Authenticate with the session cookie (and x-csrf-token on writes) or an API token as `Authorization: Bearer kefu_…`.' },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  // Text the database cannot store faithfully is refused up front with a clear message: NUL bytes (an error
  // in text columns), unpaired UTF-16 surrogates (silently turned into U+FFFD, or a 500 inside jsonb) and a
  // leading byte-order mark (dropped by PGlite).
  app.addHook('preValidation', async (req) => {
    for (const part of [req.body, req.query, req.params]) {
      const problem = part === undefined || part === null ? null : badText(part);
      if (problem) throw new AppError('validation', problem);
    }
  });

  // ajv (8.20) coerces the query text "Infinity" (or "1e400") into a number that passes `integer` and skips
  // minimum/maximum, and PostgreSQL then fails on `LIMIT Infinity`: refuse non-finite numbers after coercion.
  app.addHook('preHandler', async (req) => {
    for (const part of [req.query, req.params, req.body]) {
      if (hasNonFinite(part)) throw new AppError('validation', 'Numbers must be finite');
    }
  });

  const tenants = createTenantCache(database.db);
  const authCache = new AuthCache();
  const unlisten = await database.listen(AUTH_CHANNEL, (tenantId) => { if (tenantId) authCache.forgetTenant(tenantId); else authCache.clear(); });
  app.addHook('onClose', async () => { await unlisten(); });
  // Before the answer leaves, so this node's very next request already sees the change (other nodes hear the NOTIFY).
  app.addHook('onSend', async (req, reply) => {
    if (req.kefuTenantId && WRITE_METHODS.has(req.method) && reply.statusCode < 400 && req.routeOptions.schema?.tags?.some((t) => AUTH_TAGS.has(t))) {
      authCache.forgetTenant(req.kefuTenantId);
    }
  });
  const resolve = async (req: FastifyRequest, spec: Route['spec']): Promise<RouteCtx> => {
    if (spec.tenantless) {
      return { db: database.db, tenantId: '', actor: SYSTEM, tenant: null as unknown as Tenant, auth: null, config, publicUrl: '' };
    }
    const tenant = await tenants.get(slugFromHost(req.headers.host, config.baseDomain, config.defaultTenant));
    if (!tenant) throw new AppError('tenant_unknown');
    const publicUrl = linkBase(req.headers.host, req.protocol, tenant.slug, config);
    req.kefuTenantId = tenant.id;
    const auth = await authenticate(req, tenant.id);
    if (auth) req.kefuLocale = auth.user.locale;
    checkAccess(spec.access, auth);
    return { db: database.db, tenantId: tenant.id, actor: auth?.actor ?? SYSTEM, tenant, auth, config, publicUrl, ip: req.ip };
  };

  /** A bearer token wins over the cookie; cookie-authenticated writes must carry the CSRF token. */
  const authenticate = async (req: FastifyRequest, tenantId: string): Promise<SessionAuth | null> => {
    const header = req.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      const key = `${tenantId}:t:${hashToken(token)}`;
      let auth = authCache.get(key);
      if (!auth) {
        auth = await authenticateApiToken(database.db, tenantId, token);
        if (auth) authCache.set(key, tenantId, auth, null);
      }
      if (!auth) throw new AppError('unauthenticated', 'The API token is unknown or revoked');
      return auth;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return null;
    const key = `${tenantId}:s:${hashToken(token)}`;
    let auth = authCache.get(key);
    if (!auth) {
      auth = await authenticateSession(database.db, tenantId, token);
      if (auth) authCache.set(key, tenantId, auth, auth.expiresAt);
    }
    if (auth && WRITE_METHODS.has(req.method) && req.headers[CSRF_HEADER] !== auth.csrfToken) throw new AppError('csrf');
    return auth;
  };

  mountRoutes(app, opts.routes ?? ROUTES, { resolve, config });

  const dist = opts.webDist;
  const hasWeb = !!dist && fs.existsSync(path.join(dist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: dist!, prefix: '/', wildcard: false, index: false });
  // The customer portal (help center): its own page, every /help address routed client-side.
  if (hasWeb && fs.existsSync(path.join(dist!, PORTAL_PAGE))) {
    const portal = (_req: FastifyRequest, reply: FastifyReply) => reply.headers(PORTAL_HEADERS).type('text/html').sendFile(PORTAL_PAGE);
    // Pages, not API: kept out of the OpenAPI document (which lists exactly ROUTES).
    app.get('/help', { schema: { hide: true } }, portal);
    app.get('/help/*', { schema: { hide: true } }, portal);
  }
  app.setNotFoundHandler((req, reply) => {
    const wantsPage = req.method === 'GET' && !req.url.startsWith('/api/') && String(req.headers.accept ?? '').includes('text/html');
    if (hasWeb && wantsPage) return reply.type('text/html').sendFile('index.html'); // the SPA routes client-side
    return reply.code(404).send(notFoundBody(req));
  });
  return app;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function textProblem(s: string): string | null {
  if (s.includes('\u0000')) return 'Text may not contain NUL (\\u0000) characters';
  // Embedded PGlite decodes every text value with a BOM-stripping TextDecoder, so a leading U+FEFF would vanish.
  if (s.charCodeAt(0) === 0xfeff) return 'Text may not start with a byte-order mark (U+FEFF)';
  if (LONE_SURROGATE.test(s)) return 'Text must be valid Unicode (it contains an unpaired surrogate)';
  return null;
}

/** The first problem with any string (or key) inside a request part, or null. */
function badText(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return textProblem(value);
  if (depth > 20 || !value || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const problem = textProblem(k) ?? badText(v, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function hasNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (depth > 20 || !value || typeof value !== 'object') return false;
  return Object.values(value).some((v) => hasNonFinite(v, depth + 1));
}
