import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import type { Transporter } from 'nodemailer';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../db/client.ts';
import { eventDelivery } from '../events/dispatcher.ts';
import { startWorker, type JobHandler, type Worker } from '../events/jobs.ts';
import { setEventRouting } from '../events/outbox.ts';
import { JOB_HANDLERS, STARTUP_JOBS, SUBSCRIBERS } from '../events/subscribers.ts';
import { schedule } from '../events/jobs.ts';
import type { Runtime } from '../events/subscriber.ts';
import { createTransport } from '../modules/mail/mail.subscribers.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { startGateway } from './socket/gateway.ts';
import { startMailIntake, type MailIntake } from '../channels/email/mail-intake.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface Kefu {
  app: FastifyInstance;
  io: Server;
  database: Database;
  worker: Worker;
  runtime: Runtime;
  /** Mailbox fetching and the SMTP receiver on this node. */
  mail: MailIntake;
  nodeId: string;
  /** Listens on config.port (0 = any free port) and returns the bound URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  /** An already-open database (tests); otherwise opened from config. */
  database?: Database;
  logger?: boolean | object;
  extraJobHandlers?: Record<string, JobHandler>;
  pollMs?: number;
  /** Injectable clock (tests); defaults to the real time. */
  clock?: () => Date;
}

/** Job handlers one node runs at once. */
const JOB_CONCURRENCY = 4;

/** Everything one Kefu node runs: database, HTTP API, Socket.IO gateway and the job worker. */
export async function startKefu(opts: StartOptions): Promise<Kefu> {
  const { config } = opts;
  const nodeId = config.nodeId ?? `${os.hostname()}:${process.pid}`;
  setEventRouting(SUBSCRIBERS);
  const database = opts.database ?? await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite') });
  const app = await buildApp({ config, database, nodeId, webDist: config.webDist ? path.resolve(config.webDist) : WEB_DIST, logger: opts.logger });
  await app.ready();
  const io = startGateway(app.server, database, config);
  let transport: Transporter | undefined;
  const runtime: Runtime = {
    database,
    config,
    broadcast: (room, event, payload) => { io.to(room).emit(event, payload); },
    mailTransport: () => (transport ??= createTransport(config.smtpUrl!)),
    now: opts.clock ?? (() => new Date()),
  };
  const moduleJobs = Object.fromEntries(Object.entries(JOB_HANDLERS).map(([queue, run]) => [queue, (job: Parameters<JobHandler>[0]) => run(job, runtime)]));
  const released = await releaseDeadClaims(database, nodeId, !opts.database);
  if (released) app.log.warn({ released }, 'jobs claimed by a process that died are due again');
  for (const job of STARTUP_JOBS) await schedule(database.db, job());
  const delivery = eventDelivery(SUBSCRIBERS, runtime);
  const worker = await startWorker(database, {
    nodeId,
    pollMs: opts.pollMs,
    handlers: { ...delivery.handlers, ...moduleJobs, ...opts.extraJobHandlers },
    beforeBatch: delivery.beforeBatch,
    orderKey: delivery.orderKey,
    // A few handlers at once keep the pool busy while one waits on a mail server or a webhook; the
    // rest of the pool stays with the HTTP requests.
    concurrency: JOB_CONCURRENCY,
    onError: (job, err) => app.log.warn({ job: job.id, queue: job.queue, err: String(err) }, 'job failed; will retry'),
  });
  const mail = await startMailIntake({
    database, config, nodeId, ownsDatabase: database.kind === 'pglite' && !opts.database,
    log: (msg, extra) => app.log.warn(extra, msg),
  });
  let closed = false;
  return {
    app, io, database, worker, runtime, nodeId, mail,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      return `http://localhost:${port}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await mail.stop();
      await worker.stop();
      io.close();
      await app.close();
      transport?.close();
      if (!opts.database) await database.close();
    },
  };
}

/**
 * A claimed job stays locked (60 s) so that no other node runs it twice; when its node dies, the job
 * waits out the lock. Claims we know to be dead are released at start instead:
 * - on a PGlite data directory this process holds the lock file, so every claim is from an earlier process;
 * - otherwise, claims under our own node id are from this node's previous life (a stable KEFU_NODE_ID,
 *   or host:pid that repeats in a restarted container). Node ids must be unique among running nodes.
 */
async function releaseDeadClaims(database: Database, nodeId: string, ownsDataDir: boolean): Promise<number> {
  const all = database.kind === 'pglite' && ownsDataDir;
  const rows = await queryRows(database.db, sql`update jobs set locked_until = null
    where status = 'pending' and locked_until > now() ${all ? sql`` : sql`and locked_by = ${nodeId}`}
    returning id`);
  return rows.length;
}
