import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import { batchedNotifyPool } from './notify-batch.ts';
import { localFirst } from './local-first.ts';
import { fastifyCookie } from '@fastify/cookie';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { SESSION_COOKIE } from '../../modules/auth/cookie.ts';
import { authenticateSession } from '../../modules/auth/sessions.ts';
import { teamMembers } from '../../modules/staff/staff.schema.ts';
import type { Config } from '../config.ts';
import { createTenantCache, slugFromHost } from '../tenant-resolver.ts';
import { startVisitorGateway } from '../../channels/webchat/visitor-gateway.ts';

/**
 * The agent console's live channel. A socket is admitted only with a valid session cookie for the
 * host's tenant, and joins tenant:<id>, agent:<id> and team:<id> rooms. On PostgreSQL the database
 * adapter fans emits out to every node.
 */
export function startGateway(server: HttpServer, database: Database, config: Config): Server {
  const io = new Server(server, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  if (database.kind === 'postgres' && database.pool) {
    // emits asked for while a NOTIFY statement is out share the next one (notify-batch.ts); this node's
    // own sockets do not wait for it (local-first.ts)
    io.adapter(localFirst(createAdapter(batchedNotifyPool(database.pool), { tableName: 'socket_io_attachments', errorHandler: () => {} })));
  }
  const tenants = createTenantCache(database.db);
  io.use(async (socket, next) => {
    try {
      const headers = socket.handshake.headers;
      const tenant = await tenants.get(slugFromHost(headers.host, config.baseDomain, config.defaultTenant));
      const token = fastifyCookie.parse(headers.cookie ?? '')[SESSION_COOKIE];
      const auth = tenant && token ? await authenticateSession(database.db, tenant.id, token) : null;
      if (!tenant || !auth) return next(new Error('unauthenticated'));
      socket.data.tenantId = tenant.id;
      socket.data.userId = auth.user.id;
      const teams = await database.db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, auth.user.id));
      await socket.join([`tenant:${tenant.id}`, `agent:${auth.user.id}`, ...teams.map((t) => `team:${t.teamId}`)]);
      next();
    } catch (err) {
      next(err as Error);
    }
  });
  // The website widget's namespace (/visitor), on the same server and adapter.
  startVisitorGateway(io, database.db, (host) => tenants.get(slugFromHost(host, config.baseDomain, config.defaultTenant)), {
    connectionsPerMinute: config.visitorConnectionRateLimit, eventsPerSecond: config.visitorEventRateLimit,
  });
  return io;
}
