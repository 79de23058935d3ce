/**
 * HTTP throughput of an authenticated API read against a bare Fastify "hello" route, in the same run.
 *
 *   node --import tsx bench/http.ts              # Kefu on in-memory PGlite
 *   node --import tsx bench/http.ts --pg         # and again on a throwaway PostgreSQL (when its binaries are installed)
 *   options: --duration 10 (seconds per scenario)  --connections 32  --warmup 2  --only healthz,me,departments,token
 *            --profile (writes a V8 CPU profile of the server process to $TMPDIR/kefu-bench-prof)
 *
 * Fairness: both servers (Kefu and the bare Fastify) run in one child process, one at a time under load, so
 * they share the process model and the event loop; autocannon runs in this parent process and gets its own core.
 * Every request is checked: a run with non-2xx answers or socket errors is flagged, so a broken cookie cannot
 * pass for speed. Benchmarks are not tests: nothing here asserts timing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

interface Histogram { mean: number; p50: number; p99: number; max: number }
interface CannonResult { requests: Histogram & { total: number }; latency: Histogram; non2xx: number; errors: number; timeouts: number; duration: number }
interface CannonInstance { on(ev: 'tick', fn: (c: { counter: number }) => void): void; on(ev: 'done', fn: (r: CannonResult) => void): void; stop(): void }
type Cannon = (opts: Record<string, unknown>, cb?: (err: Error | null, r: CannonResult) => void) => CannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------- server side (child process)

interface Ready { kind: 'ready'; engine: string; kefuUrl: string; bareUrl: string; host: string; cookie: string; token: string; node: string }

async function serve(engine: 'pglite' | 'postgres') {
  const Fastify = (await import('fastify')).default;
  const { loadConfig } = await import('../src/server/config.ts');
  const { startKefu } = await import('../src/server/kefu.ts');
  const { openDatabase } = await import('../src/db/client.ts');
  const { createTenant } = await import('../src/modules/tenants/tenants.service.ts');

  let pg: { url: string; stop(): Promise<void> } | undefined;
  if (engine === 'postgres') {
    const { startPostgres } = await import('../src/testing/postgres-server.ts');
    pg = await startPostgres();
  }
  const database = await openDatabase(pg ? { url: pg.url } : {});
  const config = loadConfig({}, {
    port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, defaultTenant: 'bench', baseDomain: 'localhost',
    loginRateLimit: 1_000_000, ...(pg ? { databaseUrl: pg.url } : {}),
  });
  const kefu = await startKefu({ config, database, logger: false });
  const kefuUrl = await kefu.listen();
  const password = 'bench-password-1';
  await createTenant(database.db, { slug: 'bench', name: 'Bench Inc.', adminEmail: 'admin@bench.test', adminName: 'Bench admin', adminPassword: password });
  const host = 'bench.localhost';
  const login = await fetch(`${kefuUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@bench.test', password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kefu_session='))!;
  const me = await login.json() as { csrfToken: string };
  const created = await fetch(`${kefuUrl}/api/v1/auth/api-tokens`, {
    method: 'POST', headers: { host, cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }),
  });
  const token = (await created.json() as { token: string }).token;
  // a realistic department tree to list
  for (let i = 0; i < 12; i++) {
    await fetch(`${kefuUrl}/api/v1/departments`, {
      method: 'POST', headers: { host, cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Department ${i + 1}` }),
    });
  }

  const bare = Fastify({ logger: false });
  bare.get('/hello', async () => ({ hello: 'world' }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const addr = bare.server.address() as { port: number };

  process.on('message', async (msg: { kind: string }) => {
    if (msg.kind === 'rss') process.send!({ kind: 'rss', rss: process.memoryUsage().rss });
    if (msg.kind === 'stop') {
      await bare.close();
      await kefu.close();
      await database.close();
      if (pg) await Promise.race([pg.stop(), new Promise((r) => setTimeout(r, 10_000))]);
      process.send!({ kind: 'stopped' }, () => process.exit(0));
    }
  });
  const ready: Ready = { kind: 'ready', engine, kefuUrl, bareUrl: `http://127.0.0.1:${addr.port}`, host, cookie, token, node: process.version };
  process.send!(ready);
}

// ---------------------------------------------------------------- load side (parent process)

interface Row { engine: string; scenario: string; rps: number; p50: number; p99: number; rssMb: number; total: number; bad: number; ratio?: number }

function args() {
  const a = process.argv.slice(2);
  const val = (name: string, def: number) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? Number(a[i + 1]) : def;
  };
  const only = a.includes('--only') ? a[a.indexOf('--only') + 1].split(',') : null;
  return { pg: a.includes('--pg'), duration: val('duration', 10), connections: val('connections', 32), warmup: val('warmup', 2), only };
}

function startServer(engine: 'pglite' | 'postgres'): Promise<{ child: ChildProcess; ready: Ready }> {
  const profile = process.argv.includes('--profile') ? ['--cpu-prof', `--cpu-prof-dir=${os.tmpdir()}/kefu-bench-prof`] : [];
  const child = fork(SELF, ['--serve', engine], { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: Ready) => (m.kind === 'ready' ? resolve({ child, ready: m }) : reject(new Error(JSON.stringify(m)))));
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)));
  });
}

function rssOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { kind: string; rss: number }) => { if (m.kind === 'rss') { child.off('message', on); resolve(m.rss); } };
    child.on('message', on);
    child.send({ kind: 'rss' });
  });
}

async function load(label: string, url: string, headers: Record<string, string>, seconds: number, connections: number, child: ChildProcess, progress: boolean) {
  let peak = await rssOf(child);
  const sampler = setInterval(async () => { peak = Math.max(peak, await rssOf(child)); }, 500);
  const result = await new Promise<CannonResult>((resolve, reject) => {
    const inst = autocannon({ url, connections, duration: seconds, headers, pipelining: 1 }, (err, r) => (err ? reject(err) : resolve(r)));
    let second = 0;
    let requests = 0;
    inst.on('tick', (c) => {
      second = Math.min(second + 1, seconds);
      requests += c.counter;
      if (progress) process.stderr.write(`\r  ${label.padEnd(34)} ${String(second).padStart(3)}/${seconds} s  ${String(requests).padStart(8)} requests  ${Math.round(requests / second).toString().padStart(6)} req/s   `);
    });
  });
  clearInterval(sampler);
  peak = Math.max(peak, await rssOf(child));
  if (progress) process.stderr.write('\n');
  return { result, peakRss: peak };
}

async function runEngine(engine: 'pglite' | 'postgres', o: ReturnType<typeof args>): Promise<Row[]> {
  process.stderr.write(`\n[${engine}] starting Kefu and the bare Fastify server in a child process…\n`);
  const { child, ready } = await startServer(engine);
  const rows: Row[] = [];
  try {
    const cookieHeaders = { host: ready.host, cookie: ready.cookie };
    type Scenario = { key: string; label: string; url: string; headers: Record<string, string> };
    const scenarios: Scenario[] = ([
      { key: 'bare', label: 'bare Fastify GET /hello', url: `${ready.bareUrl}/hello`, headers: {} },
      { key: 'healthz', label: 'Kefu GET /healthz (no tenant, no DB)', url: `${ready.kefuUrl}/healthz`, headers: {} },
      { key: 'me', label: 'Kefu GET /api/v1/auth/me (cookie)', url: `${ready.kefuUrl}/api/v1/auth/me`, headers: cookieHeaders },
      { key: 'departments', label: 'Kefu GET /api/v1/departments (cookie)', url: `${ready.kefuUrl}/api/v1/departments`, headers: cookieHeaders },
      { key: 'token', label: 'Kefu GET /api/v1/auth/me (API token)', url: `${ready.kefuUrl}/api/v1/auth/me`, headers: { host: ready.host, authorization: `Bearer ${ready.token}` } },
    ] as Scenario[]).filter((s) => s.key === 'bare' || (o.only ? o.only.includes(s.key) : ['healthz', 'me', 'departments'].includes(s.key)));
    // the baseline again at the end: on a shared machine the load moves, and the ratio uses the mean of both
    scenarios.push({ ...scenarios[0], key: 'bare-again', label: 'bare Fastify GET /hello (again)' });

    // one request each first: a scenario that does not answer 200 is a broken benchmark, not a fast one
    for (const s of scenarios) {
      const res = await fetch(s.url, { headers: s.headers });
      if (res.status !== 200) throw new Error(`${s.label}: ${res.status} ${await res.text()}`);
    }
    const measured: Array<{ key: string; row: Row }> = [];
    for (const s of scenarios) {
      if (o.warmup > 0) await load(`${s.label} (warm-up)`, s.url, s.headers, o.warmup, o.connections, child, true);
      const { result, peakRss } = await load(s.label, s.url, s.headers, o.duration, o.connections, child, true);
      const bad = result.non2xx + result.errors + result.timeouts;
      if (bad) process.stderr.write(`  !! ${s.label}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts\n`);
      const row: Row = {
        engine, scenario: s.label, rps: result.requests.mean, p50: result.latency.p50, p99: result.latency.p99,
        rssMb: peakRss / 1048576, total: result.requests.total, bad,
      };
      measured.push({ key: s.key, row });
    }
    const bare = measured.filter((m) => m.key.startsWith('bare')).map((m) => m.row.rps);
    const bareRps = bare.reduce((a, b) => a + b, 0) / bare.length;
    for (const m of measured) {
      if (!m.key.startsWith('bare')) m.row.ratio = m.row.rps / bareRps;
      rows.push(m.row);
    }
  } finally {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 20_000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.send({ kind: 'stop' });
    });
  }
  return rows;
}

function table(rows: Row[]) {
  const head = ['engine', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'requests', 'bad', 'vs bare'];
  const body = rows.map((r) => [
    r.engine, r.scenario, r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), r.rssMb.toFixed(0), String(r.total), String(r.bad),
    r.ratio === undefined ? 'baseline' : `${(r.ratio * 100).toFixed(1)}%${r.ratio >= 0.5 ? '' : ' (goal ≥ 50%)'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) console.log(line(b));
}

async function main() {
  const serveAt = process.argv.indexOf('--serve');
  if (serveAt >= 0) return serve(process.argv[serveAt + 1] as 'pglite' | 'postgres');

  const o = args();
  const engines: Array<'pglite' | 'postgres'> = ['pglite'];
  if (o.pg) {
    const { findPostgresBin } = await import('../src/testing/postgres-server.ts');
    if (findPostgresBin()) engines.push('postgres');
    else console.log('!! --pg: no PostgreSQL server binaries found (apt-get install postgresql); PGlite only');
  }
  console.log(`Kefu HTTP bench: ${o.connections} connections, ${o.duration} s per scenario (+${o.warmup} s warm-up), ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`);
  const rows: Row[] = [];
  for (const e of engines) rows.push(...await runEngine(e, o));
  console.log('');
  table(rows);
  console.log('\nvs bare = req/s ÷ mean of the two bare runs of the same engine (the goal for authenticated reads is ≥ 50%).');
  console.log('/healthz runs the whole Kefu plugin stack without a tenant or database read: the gap between it and /auth/me is the per-request session read.');
  const flagged = rows.filter((r) => r.bad);
  if (flagged.length) console.log(`\n!! ${flagged.length} scenario(s) saw non-2xx answers or errors: their figures do not count`);
}

main().catch((err) => { console.error(err); process.exit(1); });
