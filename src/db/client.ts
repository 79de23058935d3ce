import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema.ts';
import { acquireDirLock } from './dir-lock.ts';
import { trackCommits } from './after-commit.ts';

export type Schema = typeof schema;
/** The one database type the rest of the code sees, whichever engine is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything queries can run on: the database or an open transaction. */
export type Conn = Db | Tx;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Subscribe to NOTIFY on a channel (the callback gets the payload); resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** A pg Pool for libraries that need one (Socket.IO's PostgreSQL adapter). PostgreSQL only. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

// bigint columns come back as strings from node-postgres: counts stay exact, callers convert.
export interface OpenOptions {
  /** postgres://… → PostgreSQL; otherwise embedded PGlite. */
  url?: string;
  /** PGlite data directory; omitted → in memory. */
  dataDir?: string;
  /** A PGlite data-dir dump to start from (tests clone a migrated template this way). */
  loadDataDir?: Blob | File;
  migrate?: boolean;
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.url ? await openPostgres(opts.url, opts.poolSize ?? 10) : await openPglite(opts);
  trackCommits(database.db);
  if (opts.migrate !== false) await runMigrations(database);
  return database;
}

// Any constant works; it only has to be the same on every node.
const MIGRATION_LOCK = 7_270_001;

export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    await migratePglite(database.db as never, { migrationsFolder });
    return;
  }
  // Nodes starting together: one migrates under an advisory lock, the others wait and find nothing to do.
  const client = await database.pool!.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePg(drizzlePg(client, { schema }) as never, { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

async function openPglite(opts: OpenOptions): Promise<Database> {
  let release = () => {};
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    release = acquireDirLock(opts.dataDir);
  }
  let client: PGlite;
  try {
    // pg_trgm: typo-tolerant knowledge-base search (migration 0010 creates the extension)
    client = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir, extensions: { pg_trgm } });
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async listen(channel, onNotify) {
      const unsub = await client.listen(channel, (payload) => onNotify(payload));
      return async () => { await unsub(); };
    },
    async close() {
      await client.close();
      release();
    },
  };
}

async function openPostgres(url: string, max: number): Promise<Database> {
  // Idle connections are kept, not closed after pg's default 10 s: a new PostgreSQL backend faults in
  // each shared buffer the first time it reads it (≈30 µs a page on a 2-core VM), so the first
  // searches of a fresh backend over 100,000 articles took twice as long (bench/kb-search.ts).
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 0 });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  const listeners: pg.Client[] = [];
  return {
    kind: 'postgres',
    db,
    pool,
    async listen(channel, onNotify) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (n) => { if (n.channel === channel) onNotify(n.payload ?? ''); });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}

/** Raw SQL that returns rows, the same on both drivers (both answer with `{ rows }`). */
export async function queryRows<T = Record<string, unknown>>(conn: Conn, query: SQL): Promise<T[]> {
  const res = (await conn.execute(query)) as unknown as { rows: T[] };
  return res.rows;
}
