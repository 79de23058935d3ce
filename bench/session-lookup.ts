/**
 * The per-request session read on its own: the unprepared drizzle query Kefu used to build on every request
 * against the prepared one in src/modules/auth/sessions.ts, interleaved in the same run.
 *
 *   node --import tsx bench/session-lookup.ts          # PGlite in memory
 *   node --import tsx bench/session-lookup.ts --pg     # and a throwaway PostgreSQL (when installed)
 */
import { and, eq, gt } from 'drizzle-orm';
import { openDatabase, type Database } from '../src/db/client.ts';
import { sessions } from '../src/modules/auth/auth.schema.ts';
import { createSession, authenticateSession } from '../src/modules/auth/sessions.ts';
import { hashToken } from '../src/modules/auth/password.ts';
import { roles, users } from '../src/modules/staff/staff.schema.ts';
import { createTenant } from '../src/modules/tenants/tenants.service.ts';
import { findPostgresBin, startPostgres } from '../src/testing/postgres-server.ts';

const ROUNDS = 8;
const PER_ROUND = 300;

async function measure(label: string, database: Database) {
  const db = database.db;
  const { tenant, adminId } = await createTenant(db, { slug: 'bench', name: 'Bench', adminEmail: 'a@bench.test', adminName: 'A', adminPassword: 'bench-password-1' });
  const { token } = await createSession(db, tenant.id, adminId, 1, {});
  const unprepared = async () => {
    const [row] = await db.select({ s: sessions, u: users, r: roles }).from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId)).innerJoin(roles, eq(roles.id, users.roleId))
      .where(and(eq(sessions.id, hashToken(token)), eq(sessions.tenantId, tenant.id), gt(sessions.expiresAt, new Date()), eq(users.status, 'active')));
    if (!row) throw new Error('no session');
  };
  const prepared = async () => { if (!await authenticateSession(db, tenant.id, token)) throw new Error('no session'); };
  const time = async (fn: () => Promise<void>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1000 / PER_ROUND;
  };
  for (let i = 0; i < 200; i++) { await unprepared(); await prepared(); }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(await time(unprepared));
    b.push(await time(prepared));
    process.stderr.write(`\r  ${label}: round ${r + 1}/${ROUNDS}`);
  }
  process.stderr.write('\n');
  const median = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];
  return { label, before: median(a), after: median(b) };
}

const results = [];
const pglite = await openDatabase({});
results.push(await measure('PGlite', pglite));
await pglite.close();
if (process.argv.includes('--pg')) {
  if (!findPostgresBin()) console.log('!! --pg: no PostgreSQL server binaries; PGlite only');
  else {
    const pg = await startPostgres();
    const database = await openDatabase({ url: pg.url });
    results.push(await measure('PostgreSQL', database));
    await database.close();
    await pg.stop();
  }
}
console.log(`\nsession read, one request at a time, median of ${ROUNDS} interleaved rounds of ${PER_ROUND}`);
console.log('engine      unprepared µs  prepared µs  speed-up');
for (const r of results) console.log(`${r.label.padEnd(10)}  ${r.before.toFixed(0).padStart(13)}  ${r.after.toFixed(0).padStart(11)}  ${(r.before / r.after).toFixed(2).padStart(7)}×`);
