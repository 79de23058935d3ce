/**
 * Ticket creation through the HTTP API at concurrency 1, 8 and 32, and in the same run the rate of
 * plain SQL inserts of the same rows (ticket + first message) at the same concurrency.
 *
 *   node --import tsx bench/tickets.ts              # PostgreSQL (throwaway cluster; needs Debian's postgresql)
 *   node --import tsx bench/tickets.ts --pglite     # embedded PGlite instead
 *   options: --seconds 8 (per scenario)
 *
 * The server runs in a child process (its own core); the load generator (autocannon) in this one.
 * Every request is checked: non-2xx answers are reported, so an error cannot pass for speed.
 * For scale (from the issue): osTicket 1.18 on this machine kind, ~41 tickets/s at concurrency 32, p99 910 ms.
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

interface Hist { p50: number; p99: number; mean: number }
interface CannonResult { requests: Hist & { total: number }; latency: Hist; non2xx: number; errors: number; duration: number }
type Cannon = (opts: Record<string, unknown>, cb: (err: Error | null, r: CannonResult) => void) => { on(ev: 'tick', fn: () => void): void };
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;
const SELF = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf('--seconds') + 1]) || 8;
const usePglite = args.includes('--pglite');

interface Ready { url: string; token: string; host: string; pgUrl: string | null; tenantId: string; departmentId: string }

async function serve() {
  const { loadConfig } = await import('../src/server/config.ts');
  const { startKefu } = await import('../src/server/kefu.ts');
  const { openDatabase } = await import('../src/db/client.ts');
  const { createTenant } = await import('../src/modules/tenants/tenants.service.ts');
  const { createApiToken } = await import('../src/modules/auth/auth.service.ts');
  const { createDepartment } = await import('../src/modules/staff/departments.service.ts');
  const { SYSTEM } = await import('../src/modules/auth/actor.ts');
  let pgServer: { url: string; stop(): Promise<void> } | undefined;
  if (!usePglite) pgServer = await (await import('../src/testing/postgres-server.ts')).startPostgres();
  const database = await openDatabase(pgServer ? { url: pgServer.url, poolSize: 20 } : {});
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, defaultTenant: 'bench', ...(pgServer ? { databaseUrl: pgServer.url } : {}) });
  const kefu = await startKefu({ config, database, logger: false });
  const url = await kefu.listen();
  const { tenant, adminId } = await createTenant(database.db, { slug: 'bench', name: 'Bench', adminEmail: 'admin@bench.test', adminName: 'Admin', adminPassword: 'bench-password-1' });
  const ctx = { db: database.db, tenantId: tenant.id, actor: SYSTEM, publicUrl: '' };
  const { token } = await createApiToken(ctx, adminId, 'bench');
  const dept = await createDepartment(ctx, { name: '售后' });
  process.send!({ url, token, host: 'bench.localhost', pgUrl: pgServer?.url ?? null, tenantId: tenant.id, departmentId: dept.id } satisfies Ready);
  process.on('message', async (m) => {
    if (m === 'stop') { await kefu.close(); await database.close(); await pgServer?.stop(); process.exit(0); }
  });
}

function cannon(opts: Record<string, unknown>): Promise<CannonResult> {
  return new Promise((resolve, reject) => autocannon(opts, (err, r) => (err ? reject(err) : resolve(r))));
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The same rows the API writes for a hand-made ticket, inserted with plain SQL: the floor the API builds on. */
async function sqlInserts(pgUrl: string, tenantId: string, departmentId: string, concurrency: number): Promise<{ rate: number; p50: number; p99: number }> {
  const pool = new pg.Pool({ connectionString: pgUrl, max: concurrency });
  const lat: number[] = [];
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      const c = await pool.connect();
      try {
        await c.query('begin');
        const { rows: [{ last_number }] } = await c.query(`select nextval($1) + 1000000 as last_number`, [`ticket_no_${tenantId.replaceAll('-', '')}`]);
        const { rows: [t] } = await c.query(
          `insert into tickets (tenant_id, number, subject, channel, department_id, status) values ($1, $2, $3, 'phone', $4, 'new') returning id`,
          [tenantId, last_number, '宽带无法上网 benchmark', departmentId]);
        await c.query(`insert into messages (tenant_id, ticket_id, channel, direction, author_type, visibility, body) values ($1, $2, 'phone', 'in', 'customer', 'public', $3)`,
          [tenantId, t.id, '从昨晚开始断网，重启光猫也没用']);
        await c.query('commit');
        n++;
        lat.push(performance.now() - t0);
      } finally { c.release(); }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (Date.now() - started) / 1000;
  await pool.end();
  lat.sort((a, b) => a - b);
  return { rate: n / elapsed, p50: lat[Math.floor(lat.length * 0.5)], p99: lat[Math.floor(lat.length * 0.99)] };
}

async function main() {
  const child = fork(SELF, ['--serve', ...args], { execArgv: ['--import', 'tsx'] });
  const ready = await new Promise<Ready>((resolve) => child.once('message', (m) => resolve(m as Ready)));
  const body = JSON.stringify({ subject: '宽带无法上网 benchmark', body: '从昨晚开始断网，重启光猫也没用', customer: { name: '张三', phone: '13800138000' }, departmentId: ready.departmentId });
  const rows: string[][] = [];
  console.log(`Kefu ${ready.url} on ${ready.pgUrl ? 'PostgreSQL' : 'PGlite'}; ${seconds}s per scenario`);
  for (const c of [1, 8, 32]) {
    process.stdout.write(`  API   concurrency ${c} … `);
    const r = await cannon({
      url: `${ready.url}/api/v1/tickets`, method: 'POST', connections: c, duration: seconds, body,
      headers: { host: ready.host, authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' },
    });
    process.stdout.write(`done\n`);
    const rate = r.requests.total / r.duration;
    let sqlRate = NaN, sqlP50 = NaN, sqlP99 = NaN;
    if (ready.pgUrl) {
      process.stdout.write(`  SQL   concurrency ${c} … `);
      const s = await sqlInserts(ready.pgUrl, ready.tenantId, ready.departmentId, c);
      sqlRate = s.rate; sqlP50 = s.p50; sqlP99 = s.p99;
      process.stdout.write('done\n');
    }
    rows.push([String(c), fmt(rate), fmt(r.latency.p50, 1), fmt(r.latency.p99, 1), String(r.non2xx + r.errors), fmt(sqlRate), fmt(sqlP50, 1), fmt(sqlP99, 1), fmt(rate / sqlRate, 2)]);
  }
  const head = ['conc', 'API tickets/s', 'p50 ms', 'p99 ms', 'errors', 'SQL rows/s', 'SQL p50', 'SQL p99', 'API/SQL'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(`\n${line(head)}\n${rows.map(line).join('\n')}`);
  console.log('\nFor scale: osTicket 1.18 here managed ~41 tickets/s at concurrency 32 (p99 910 ms); the aim is ≥ 20× that with p99 < 100 ms.');
  console.log(`memory of this (load) process: ${fmt(process.memoryUsage().rss / 2 ** 20)} MiB`);
  child.send('stop');
}

if (process.argv.includes('--serve')) serve().catch((e) => { console.error(e); process.exit(1); });
else main().catch((e) => { console.error(e); process.exit(1); });
