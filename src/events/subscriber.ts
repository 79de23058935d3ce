import type { Transporter } from 'nodemailer';
import type { Database } from '../db/client.ts';
import type { Config } from '../server/config.ts';
import type { DomainEvent, EventType, StoredEvent } from './catalog.ts';

/** What subscribers may use: the database, config, the socket fan-out and the mail transport. */
export interface Runtime {
  database: Database;
  config: Config;
  /** Emit to Socket.IO rooms on every node (a socket in several of the rooms gets it once). */
  broadcast(room: string | string[], event: string, payload: unknown): void;
  mailTransport(): Transporter;
  /** The current time; tests inject a clock to run business-hours and SLA rules at any hour. */
  now(): Date;
}

export interface Subscriber {
  name: string;
  handles: readonly EventType[];
  /** Must be idempotent: a delivery can repeat after a crash. */
  handle(event: StoredEvent, rt: Runtime): Promise<void>;
  /**
   * For subscribers that recompute from current state: events with the same key in one worker batch
   * are handled once (e.g. a new ticket's created + first message → one SLA computation).
   */
  coalesce?(event: DomainEvent): string | null;
  /**
   * A cheap look at the event when it is emitted: false means no delivery job at all (a channel's
   * subscriber skips other channels' messages without a job per chat line).
   */
  wants?(event: DomainEvent): boolean;
  /**
   * "Now" rather than "later": runs in this process right after the emitting transaction commits, with
   * no delivery job, so a busy job queue never delays it. For socket pushes only: one is lost if the
   * process dies in that moment, which a console survives (it refetches what it shows on reconnect).
   */
  now?: boolean;
}
