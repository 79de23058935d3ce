import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'socket.io';
import type { Transporter } from 'nodemailer';
import { openDatabase, type Database } from '../db/client.ts';
import { eventHandlers } from '../events/dispatcher.ts';
import { startWorker, type JobHandler, type Worker } from '../events/jobs.ts';
import { setEventRouting } from '../events/outbox.ts';
import { SUBSCRIBERS } from '../events/subscribers.ts';
import type { Runtime } from '../events/subscriber.ts';
import { createTransport } from '../modules/mail/mail.subscribers.ts';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { startGateway } from './socket/gateway.ts';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export interface Kefu {
  app: FastifyInstance;
  io: Server;
  database: Database;
  worker: Worker;
  runtime: Runtime;
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
}

/** Everything one Kefu node runs: database, HTTP API, Socket.IO gateway and the job worker. */
export async function startKefu(opts: StartOptions): Promise<Kefu> {
  const { config } = opts;
  const nodeId = config.nodeId ?? `${os.hostname()}:${process.pid}`;
  setEventRouting(SUBSCRIBERS);
  const database = opts.database ?? await openDatabase({ url: config.databaseUrl, dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite') });
  const app = await buildApp({ config, database, nodeId, webDist: WEB_DIST, logger: opts.logger });
  await app.ready();
  const io = startGateway(app.server, database, config);
  let transport: Transporter | undefined;
  const runtime: Runtime = {
    database,
    config,
    broadcast: (room, event, payload) => { io.to(room).emit(event, payload); },
    mailTransport: () => (transport ??= createTransport(config.smtpUrl!)),
  };
  const worker = await startWorker(database, {
    nodeId,
    pollMs: opts.pollMs,
    handlers: { ...eventHandlers(SUBSCRIBERS, runtime), ...opts.extraJobHandlers },
    onError: (job, err) => app.log.warn({ job: job.id, queue: job.queue, err: String(err) }, 'job failed; will retry'),
  });
  let closed = false;
  return {
    app, io, database, worker, runtime, nodeId,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      return `http://localhost:${port}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await worker.stop();
      io.close();
      await app.close();
      transport?.close();
      if (!opts.database) await database.close();
    },
  };
}
