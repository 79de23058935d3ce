import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, runMigrations, type Database } from '../db/client.ts';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../db/migrations');
const PGLITE_PACKAGE = path.resolve(import.meta.dirname, '../../node_modules/@electric-sql/pglite/package.json');

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
  template ??= pgliteTemplate();
  return openDatabase({ loadDataDir: await template, migrate: false });
}

/**
 * The migrated PGlite data dir as a dump. Migrating takes ~5 s of CPU and every test process (and every
 * browser flow) needs it, so the dump is kept in the temp dir under a name made from the migrations and
 * PGlite's version: the first process writes it, the others load it (~1 s). A change to either makes a
 * new name, so a stale dump is never used.
 */
async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `kefu-pglite-template-${templateKey()}.tar`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const db = await openDatabase({});
  const dump = await (db as unknown as { db: { $client: PGlite } }).db.$client.dumpDataDir('none');
  await db.close();
  // written aside and renamed: a process starting meanwhile never reads half a file
  const part = `${file}.${process.pid}.part`;
  fs.writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(part, file);
  // dumps of older migrations are never read again
  for (const old of fs.readdirSync(os.tmpdir())) {
    if (/^kefu-pglite-template-[0-9a-f]+\.tar$/.test(old) && path.join(os.tmpdir(), old) !== file) fs.rmSync(path.join(os.tmpdir(), old), { force: true });
  }
  return dump;
}

function templateKey(): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else hash.update(e.name).update(fs.readFileSync(p));
    }
  };
  walk(MIGRATIONS_DIR);
  hash.update(fs.readFileSync(PGLITE_PACKAGE));
  return hash.digest('hex').slice(0, 16);
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
