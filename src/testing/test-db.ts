import crypto from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, runMigrations, type Database } from '../db/client.ts';

/**
 * A fresh, migrated database per test server.
 * - KEFU_TEST_PG_URL set (npm test does that when PostgreSQL is installed): a new database cloned from
 *   the migrated template KEFU_TEST_PG_TEMPLATE, dropped on close.
 * - otherwise: an in-memory PGlite loaded from a migrated dump made once per test process.
 */
export async function createTestDatabase(): Promise<Database> {
  const pgUrl = process.env.KEFU_TEST_PG_URL;
  return pgUrl ? createPgDatabase(pgUrl) : createPgliteDatabase();
}

export function testDbKind(): 'postgres' | 'pglite' {
  return process.env.KEFU_TEST_PG_URL ? 'postgres' : 'pglite';
}

let template: Promise<Blob> | undefined;

async function createPgliteDatabase(): Promise<Database> {
  template ??= (async () => {
    const db = await openDatabase({});
    const dump = await (db as unknown as { db: { $client: PGlite } }).db.$client.dumpDataDir('none');
    await db.close();
    return dump;
  })();
  return openDatabase({ loadDataDir: await template, migrate: false });
}

async function createPgDatabase(adminUrl: string): Promise<Database> {
  const name = `kefu_t_${crypto.randomBytes(6).toString('hex')}`;
  const templateName = process.env.KEFU_TEST_PG_TEMPLATE;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${templateName ? ` template ${templateName}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), migrate: !templateName, poolSize: 5 });
  const close = database.close.bind(database);
  database.close = async () => {
    await close();
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await c.end();
  };
  return database;
}

/** Creates and migrates the PostgreSQL template database once, before the test files run. */
export async function preparePgTemplate(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), migrate: false, poolSize: 1 });
  await runMigrations(db);
  await db.close();
}
