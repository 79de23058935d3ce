import type { Transporter } from 'nodemailer';
import type { Database } from '../db/client.ts';
import type { Config } from '../server/config.ts';
import type { EventType, StoredEvent } from './catalog.ts';

/** What subscribers may use: the database, config, the socket fan-out and the mail transport. */
export interface Runtime {
  database: Database;
  config: Config;
  /** Emit to a Socket.IO room on every node. */
  broadcast(room: string, event: string, payload: unknown): void;
  mailTransport(): Transporter;
  /** The current time; tests inject a clock to run business-hours and SLA rules at any hour. */
  now(): Date;
}

export interface Subscriber {
  name: string;
  handles: readonly EventType[];
  /** Must be idempotent: a delivery can repeat after a crash. */
  handle(event: StoredEvent, rt: Runtime): Promise<void>;
}
