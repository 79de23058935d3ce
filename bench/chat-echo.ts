/**
 * The baseline half of the live-chat benchmark: a bare Socket.IO echo server (no Kefu, no database) in a
 * child process, and N simulated clients on loopback in this process. It prints connect time, server
 * memory per connection, end-to-end latency p50/p99 at a fixed message rate, and the saturated
 * messages/s. bench/chat.ts runs the same load (the exported `runLoad`) against Kefu in the same run.
 *
 *   node --import tsx bench/chat-echo.ts                     # 5,000 clients, 1,000 msg/s for 10 s, then 10 s flat out
 *   options: --clients 5000 --rate 1000 --duration 10 --saturate 10 --batch 250 --json
 *
 * Fairness: the server runs alone in its child process (one core), the clients share this one (the other
 * core), both over websocket only (no long-polling), as the widget will. Client CPU is printed too: when it
 * reaches ~100 % the saturated figure measures the clients, not the server. Memory per connection is
 * the server's RSS and heap growth after a GC, divided by the clients connected. Benchmarks are not
 * tests: nothing here asserts timing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { io, type Socket } from 'socket.io-client';

const SELF = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------------------ server (child process)

interface ServerStats { rss: number; heapUsed: number; cpuMs: number; connections: number; statements?: number; pendingJobs?: number; activeChats?: number }
type ToServer = { kind: 'stats' } | { kind: 'stop' };
type FromServer = { kind: 'ready'; url: string } | ({ kind: 'stats' } & ServerStats);

async function serveEcho() {
  const { Server } = await import('socket.io');
  const http = createServer();
  const ioServer = new Server(http, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
  ioServer.on('connection', (socket) => {
    // A chat message comes in and goes straight back out as a push, as a relay would deliver it.
    socket.on('m', (payload: unknown) => socket.emit('m', payload));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  serveStats(() => ioServer.engine.clientsCount, async () => { await ioServer.close(); });
  process.send!({ kind: 'ready', url: `http://127.0.0.1:${port}` } satisfies FromServer);
}

/** The child's side of the stats/stop protocol; Kefu's server process in bench/chat.ts reuses it. */
export function serveStats(connections: () => number, stop: () => Promise<void>, statements?: () => number, pendingJobs?: () => number, activeChats?: () => number) {
  process.on('message', async (msg: ToServer) => {
    if (msg.kind === 'stats') {
      (globalThis as { gc?: () => void }).gc?.(); // measure what connections keep, not garbage
      const m = process.memoryUsage();
      const cpu = process.cpuUsage();
      process.send!({ kind: 'stats', rss: m.rss, heapUsed: m.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000, connections: connections(), statements: statements?.(), pendingJobs: pendingJobs?.(), activeChats: activeChats?.() } satisfies FromServer);
    } else if (msg.kind === 'stop') {
      await stop();
      process.exit(0);
    }
  });
}

// ------------------------------------------------------------------------------ parent: load driver

export interface ServerHandle { url: string; stats(): Promise<ServerStats>; stop(): Promise<void> }

/** Forks `file` with `args`; the child sends { kind: 'ready', url } and answers stats/stop (serveStats). */
export async function startServerProcess(file: string, args: string[], execArgv: string[] = []): Promise<ServerHandle> {
  const child: ChildProcess = fork(file, args, { execArgv: ['--import', 'tsx', '--expose-gc', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <K extends FromServer['kind']>(kind: K) => new Promise<Extract<FromServer, { kind: K }>>((resolve, reject) => {
    const onMsg = (m: FromServer) => { if (m.kind === kind) { child.off('message', onMsg); child.off('exit', onExit); resolve(m as Extract<FromServer, { kind: K }>); } };
    const onExit = (code: number | null) => reject(new Error(`server process exited (${code})`));
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
  const { url } = await next('ready');
  return {
    url,
    async stats() { const s = next('stats'); child.send({ kind: 'stats' } satisfies ToServer); return s; },
    async stop() { const exited = new Promise((r) => child.once('exit', r)); child.send({ kind: 'stop' } satisfies ToServer); await exited; },
  };
}

const bar = (done: number, total: number) => `[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '.')}] ${done.toLocaleString()}/${total.toLocaleString()}`;

/** Opens n websocket connections, `batch` at a time, showing progress; fails loudly if one cannot connect. */
export async function connectClients(url: string, n: number, opts: { batch?: number; label?: string; path?: string; auth?: (i: number) => Record<string, unknown> } = {}): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const batch = opts.batch ?? 250;
  const label = opts.label ?? 'connecting';
  for (let from = 0; from < n; from += batch) {
    const group = Array.from({ length: Math.min(batch, n - from) }, (_v, k) => {
      const s = io(url, { path: opts.path, transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000, auth: opts.auth?.(from + k) });
      return new Promise<Socket>((resolve, reject) => {
        s.once('connect', () => resolve(s));
        s.once('connect_error', (err) => reject(new Error(`client ${from + k}: ${err.message}`)));
      });
    });
    const before = sockets.length;
    sockets.push(...(await Promise.all(group)));
    // A terminal gets a live bar; a log (CI, a pipe) one line per fifth of the way.
    if (process.stdout.isTTY) process.stdout.write(`\r${label} ${bar(sockets.length, n)}`);
    else if (Math.floor((before * 5) / n) !== Math.floor((sockets.length * 5) / n) || sockets.length === n) console.log(`${label} ${bar(sockets.length, n)}`);
  }
  if (process.stdout.isTTY) process.stdout.write('\n');
  return sockets;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
}

export interface PhaseResult {
  sent: number; received: number; seconds: number; perSecond: number; p50: number; p99: number; max: number; clientCpu: number; serverCpu: number;
  /** SQL statements the server ran in the phase per message delivered in it (Kefu on PostgreSQL only), BEGIN/COMMIT included. */
  statementsPerMessage?: number;
}

/**
 * One measured phase over a message path: `send(i, payload)` makes client i send a message, and the
 * path calls `onArrive(payload)` when it comes out the other end. With `rate` the load is open-loop
 * (a fixed number of messages per second whatever the latency, as real visitors type); without it every
 * client keeps one message in flight (closed loop, flat out).
 */
export async function runPhase(opts: {
  clients: number;
  seconds: number;
  rate?: number;
  send: (client: number, payload: { t: number; c: number; body: string }) => void;
  subscribe: (onArrive: (payload: { t: number; c: number }) => void) => void;
  server: ServerHandle;
}): Promise<PhaseResult> {
  const body = '您好，我想咨询一下宽带办理和资费的问题，麻烦帮我看看。'; // a typical chat line
  const latencies: number[] = [];
  let sent = 0;
  let received = 0;
  let running = true;
  const send = (c: number) => { sent++; opts.send(c, { t: performance.now(), c, body }); };
  opts.subscribe((p) => {
    received++;
    latencies.push(performance.now() - p.t);
    if (running && opts.rate === undefined) send(p.c); // closed loop: answer with the next message
  });
  const s0 = await opts.server.stats();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  if (opts.rate !== undefined) {
    // Catch up to the schedule on every tick, so a stalled event loop does not lower the offered load.
    let next = 0;
    timer = setInterval(() => {
      const due = Math.floor(((performance.now() - t0) / 1000) * opts.rate!);
      while (sent < due) { send(next); next = (next + 1) % opts.clients; }
    }, 5);
  } else {
    for (let c = 0; c < opts.clients; c++) send(c);
  }
  await new Promise((r) => setTimeout(r, opts.seconds * 1000));
  running = false;
  if (timer) clearInterval(timer);
  const elapsed = (performance.now() - t0) / 1000;
  const arrivedInWindow = received;
  const cpu = process.cpuUsage(c0);
  const s1 = await opts.server.stats();
  // Let stragglers arrive, so "lost" means lost and not merely late.
  for (let i = 0; i < 50 && received < sent; i++) await new Promise((r) => setTimeout(r, 100));
  latencies.sort((a, b) => a - b);
  return {
    sent, received, seconds: elapsed, perSecond: arrivedInWindow / elapsed,
    p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? NaN,
    clientCpu: (cpu.user + cpu.system) / 1000 / (elapsed * 1000), serverCpu: (s1.cpuMs - s0.cpuMs) / (elapsed * 1000),
    ...(s0.statements !== undefined && s1.statements !== undefined && arrivedInWindow ? { statementsPerMessage: (s1.statements - s0.statements) / arrivedInWindow } : {}),
  };
}

export interface LoadResult {
  label: string;
  clients: number;
  connectSeconds: number;
  memory: { rssPerConnKiB: number; heapPerConnKiB: number; rssMiB: number };
  fixed: PhaseResult;
  saturated: PhaseResult;
  /** 1-minute load average when the run ended: other processes on the machine skew every figure. */
  load: number;
}

export interface LoadOptions { clients: number; rate: number; seconds: number; saturateSeconds: number; batch: number }

/** The whole echo run: server up, clients in, memory, fixed rate, flat out, everyone out. */
export async function runEchoLoad(o: LoadOptions): Promise<LoadResult> {
  const server = await startServerProcess(SELF, ['--serve-echo']);
  try {
    const before = await server.stats();
    const t0 = performance.now();
    const sockets = await connectClients(server.url, o.clients, { batch: o.batch, label: 'echo: connecting' });
    const connectSeconds = (performance.now() - t0) / 1000;
    const after = await server.stats();
    if (after.connections !== o.clients) throw new Error(`server sees ${after.connections} connections, expected ${o.clients}`);
    const handlers: Array<(p: { t: number; c: number }) => void> = [];
    sockets.forEach((s) => s.on('m', (p: { t: number; c: number }) => handlers[0]?.(p)));
    const phase = async (rate: number | undefined, seconds: number) => {
      handlers.length = 0;
      return runPhase({
        clients: o.clients, seconds, rate, server,
        send: (c, payload) => sockets[c].emit('m', payload),
        subscribe: (fn) => { handlers[0] = fn; },
      });
    };
    process.stdout.write(`echo: ${o.rate.toLocaleString()} msg/s for ${o.seconds} s …`);
    const fixed = await phase(o.rate, o.seconds);
    process.stdout.write(` done\necho: flat out for ${o.saturateSeconds} s …`);
    const saturated = await phase(undefined, o.saturateSeconds);
    process.stdout.write(' done\n');
    for (const s of sockets) s.disconnect();
    return {
      label: 'bare Socket.IO echo', clients: o.clients, connectSeconds,
      memory: {
        rssPerConnKiB: (after.rss - before.rss) / o.clients / 1024,
        heapPerConnKiB: (after.heapUsed - before.heapUsed) / o.clients / 1024,
        rssMiB: after.rss / 2 ** 20,
      },
      fixed, saturated, load: os.loadavg()[0],
    };
  } finally {
    await server.stop();
  }
}

/** Side-by-side table of one or more runs (bench/chat.ts prints Kefu next to the echo). */
export function printResults(results: readonly LoadResult[], o: LoadOptions) {
  const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const rows: Array<[string, ...string[]]> = [
    ['clients (websocket)', ...results.map((r) => r.clients.toLocaleString())],
    ['connect all, s', ...results.map((r) => f1(r.connectSeconds))],
    ['server RSS after connect, MiB', ...results.map((r) => f1(r.memory.rssMiB))],
    ['server memory per connection, KiB (RSS / heap)', ...results.map((r) => `${f1(r.memory.rssPerConnKiB)} / ${f1(r.memory.heapPerConnKiB)}`)],
    [`fixed ${o.rate.toLocaleString()} msg/s: sent / received`, ...results.map((r) => `${r.fixed.sent.toLocaleString()} / ${r.fixed.received.toLocaleString()}`)],
    ['fixed: latency p50 / p99 / max, ms', ...results.map((r) => `${f1(r.fixed.p50)} / ${f1(r.fixed.p99)} / ${f1(r.fixed.max)}`)],
    ['fixed: CPU server / clients', ...results.map((r) => `${pct(r.fixed.serverCpu)} / ${pct(r.fixed.clientCpu)}`)],
    ['flat out: messages/s', ...results.map((r) => Math.round(r.saturated.perSecond).toLocaleString())],
    ['flat out: latency p50 / p99, ms', ...results.map((r) => `${f1(r.saturated.p50)} / ${f1(r.saturated.p99)}`)],
    ['flat out: CPU server / clients', ...results.map((r) => `${pct(r.saturated.serverCpu)} / ${pct(r.saturated.clientCpu)}`)],
  ];
  // What a message costs the server in CPU: unlike latency and rate, it holds up when other work shares the cores.
  const cpuPerMessage = (p: PhaseResult) => (p.received ? (p.serverCpu * p.seconds * 1000) / Math.min(p.received, p.perSecond * p.seconds) : NaN);
  rows.push(['server CPU per message, ms (fixed / flat out)', ...results.map((r) => `${cpuPerMessage(r.fixed).toFixed(2)} / ${cpuPerMessage(r.saturated).toFixed(2)}`)]);
  if (results.some((r) => r.fixed.statementsPerMessage !== undefined)) {
    rows.push(['SQL statements per message (fixed / flat out)', ...results.map((r) => r.fixed.statementsPerMessage === undefined ? '–' : `${f1(r.fixed.statementsPerMessage)} / ${f1(r.saturated.statementsPerMessage ?? NaN)}`)]);
  }
  rows.push(['machine load (1 min) after the run', ...results.map((r) => `${f1(r.load)} on ${os.cpus().length} cores`)]);
  const head: [string, ...string[]] = ['', ...results.map((r) => r.label)];
  const w = head.map((_h, i) => Math.max(head[i].length, ...rows.map((r) => r[i].length)));
  if (results.some((r) => r.load > os.cpus().length)) console.log('\n!! the machine was busy with other work (load above the core count): the figures understate both servers');
  console.log(`\n${head.map((h, i) => (i ? h.padStart(w[i]) : h.padEnd(w[i]))).join('   ')}`);
  for (const r of rows) console.log(r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('   '));
}

export function parseLoadOptions(argv: readonly string[]): LoadOptions & { json: boolean } {
  const opt = (name: string, d: number) => {
    const i = argv.indexOf(name);
    if (i < 0) return d;
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number, got ${argv[i + 1]}`);
    return v;
  };
  return { clients: opt('--clients', 5000), rate: opt('--rate', 1000), seconds: opt('--duration', 10), saturateSeconds: opt('--saturate', 10), batch: opt('--batch', 250), json: argv.includes('--json') };
}

async function main() {
  const o = parseLoadOptions(process.argv.slice(2));
  const result = await runEchoLoad(o);
  if (o.json) console.log(JSON.stringify(result, null, 2));
  else printResults([result], o);
  const lost = result.fixed.sent - result.fixed.received + result.saturated.sent - result.saturated.received;
  if (lost) console.log(`\n!! ${lost} messages never came back`);
}

if (process.argv.includes('--serve-echo')) {
  serveEcho().catch((err) => { console.error(err); process.exit(1); });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
