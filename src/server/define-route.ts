import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import multipart from '@fastify/multipart';
import type { Static, TSchema } from 'typebox';
import { AppError } from '../contracts/errors.ts';
import type { Permission } from '../contracts/permissions.ts';
import { can } from '../modules/auth/actor.ts';
import type { SessionAuth } from '../modules/auth/sessions.ts';
import type { Ctx } from '../modules/context.ts';
import type { Tenant } from '../modules/tenants/tenants.schema.ts';
import { ErrorBody } from '../contracts/common.ts';
import type { Config } from './config.ts';
import { withUploads, type FileLimits, type UploadedFile } from './uploads.ts';

/**
 * Who may call a route. Every route names one, so authorization lives in one place:
 * - { permission }: a signed-in staff member whose role holds it;
 * - 'staff': any signed-in staff member (their own profile, tokens, sessions);
 * - { public: why }: anyone, with the reason written down.
 */
export type Access = { permission: Permission } | 'staff' | { public: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by mountRoutes on every route it adds (app.ts refuses API routes without it). */
    access?: Access;
  }
}

type In<T> = T extends TSchema ? Static<T> : undefined;

export interface RouteCtx extends Ctx {
  tenant: Tenant;
  config: Config;
  auth: SessionAuth | null;
}

export interface RouteSpec<B, Q, P, R extends TSchema> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tags: string[];
  access: Access;
  /** Routes outside any company (health checks) skip tenant resolution. */
  tenantless?: boolean;
  body?: B;
  /**
   * The route takes files (multipart/form-data) instead of a JSON body. Only these routes accept
   * multipart at all; the handler reads the files as streams from `files`.
   */
  files?: { maxFiles: number; maxFileBytes(config: Config): number };
  query?: Q;
  params?: P;
  response: R;
  status?: 200 | 201 | 204;
  /** Per-IP limit; a function reads it from config (the login limit is configurable). */
  rateLimit?: { max: number | ((config: Config) => number); timeWindow: number | string };
  handler(input: { body: In<B>; query: In<Q>; params: In<P>; files: AsyncIterable<UploadedFile>; ctx: RouteCtx; req: FastifyRequest; reply: FastifyReply }): Promise<Static<R>>;
}

export interface Route { spec: RouteSpec<unknown, unknown, unknown, TSchema> }

export function defineRoute<B extends TSchema | undefined = undefined, Q extends TSchema | undefined = undefined, P extends TSchema | undefined = undefined, R extends TSchema = TSchema>(
  spec: RouteSpec<B, Q, P, R>,
): Route {
  return { spec: spec as unknown as RouteSpec<unknown, unknown, unknown, TSchema> };
}

export interface RouteDeps {
  config: Config;
  /** Builds the request's service context (tenant, actor, db) or throws the right 4xx. */
  resolve(req: FastifyRequest, spec: Route['spec']): Promise<RouteCtx>;
}

const NO_FILES: AsyncIterable<UploadedFile> = { async *[Symbol.asyncIterator]() {} };

/** How a files route is documented: a multipart form of one or more `file` parts. */
const FILES_BODY = {
  type: 'object', required: ['file'],
  properties: { file: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'One or more file parts (any field name)' } },
};

/** Mounts routes; the only place routes are added to Fastify. */
export function mountRoutes(app: FastifyInstance, routes: readonly Route[], deps: RouteDeps): void {
  const fileRoutes = routes.filter((r) => r.spec.files).map((r) => routeOptions(r.spec, deps));
  for (const { spec } of routes) if (!spec.files) app.route(routeOptions(spec, deps));
  // The multipart parser lives in its own scope with the routes that take files: every other route
  // still refuses multipart bodies (415) as before.
  if (fileRoutes.length) {
    app.register(async (scope) => {
      await scope.register(multipart, { throwFileSizeLimit: true });
      for (const r of fileRoutes) scope.route(r);
    });
  }
}

function routeOptions(spec: Route['spec'], deps: RouteDeps): RouteOptions {
  const status = spec.status ?? 200;
  const limits = (): FileLimits => ({ maxFiles: spec.files!.maxFiles, maxFileBytes: spec.files!.maxFileBytes(deps.config) });
  return {
    method: spec.method,
    url: spec.url,
    config: {
      access: spec.access,
      ...(spec.rateLimit ? { rateLimit: { timeWindow: spec.rateLimit.timeWindow, max: typeof spec.rateLimit.max === 'function' ? spec.rateLimit.max(deps.config) : spec.rateLimit.max } } : {}),
      // documented, not validated: the multipart parser reads the files as the handler streams them
      ...(spec.files ? { swaggerTransform: ({ schema, url }: { schema: object; url: string }) => ({ schema: { ...schema, consumes: ['multipart/form-data'], body: FILES_BODY }, url }) } : {}),
    },
    schema: {
      summary: spec.summary,
      tags: spec.tags,
      ...(spec.body ? { body: spec.body as TSchema } : {}),
      ...(spec.query ? { querystring: spec.query as TSchema } : {}),
      ...(spec.params ? { params: spec.params as TSchema } : {}),
      ...(!('public' in Object(spec.access)) ? { security: [{ cookie: [] }, { bearer: [] }] } : {}),
      response: { [status]: spec.response, '4xx': ErrorBody },
    },
    handler: async (req, reply) => {
      const ctx = await deps.resolve(req, spec);
      const run = (files: AsyncIterable<UploadedFile>) => spec.handler({
        body: req.body as never, query: req.query as never, params: req.params as never, files, ctx, req, reply,
      });
      const result = spec.files ? await withUploads(req, limits(), run) : await run(NO_FILES);
      reply.code(status);
      return status === 204 ? reply.send() : result;
    },
  };
}

/** The access check itself: pure, so the permission matrix test can table-drive it too. */
export function checkAccess(access: Access, auth: SessionAuth | null): void {
  if (typeof access === 'object' && 'public' in access) return;
  if (!auth) throw new AppError('unauthenticated');
  if (access === 'staff') return;
  if (!can(auth.actor, access.permission)) throw new AppError('forbidden');
}
