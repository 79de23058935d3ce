/**
 * The live-chat benchmark: N simulated website visitors and M agents against a whole Kefu node (every
 * message stored as a ticket message with its seq before it is acknowledged, then pushed to the agent's
 * socket), and in the same run the same load against a bare Socket.IO echo server (bench/chat-echo.ts).
 * Prints messages/s, end-to-end latency p50/p99 (visitor emits → agent's console socket receives),
 * server memory per connection, side by side.
 *
 *   node --import tsx bench/chat.ts                    # 5,000 visitors, 50 agents, 1,000 msg/s for 10 s, then 10 s flat out
 *   options: --clients 5000 --agents 50 --rate 1000 --duration 10 --saturate 10 --batch 250 --json
 *            --no-echo (Kefu only), --cpu-prof [--cpu-prof-dir d] (a V8 profile of the Kefu process),
 *            KEFU_BENCH_SQL_LOG=<file> (every statement's text with its count, written when Kefu stops)
 *   Kefu runs on a throwaway PostgreSQL cluster (needs Debian's postgresql); --pglite runs it on embedded
 *   PGlite instead; DATABASE_URL=postgres://… uses that (empty) database.
 *
 * Kefu runs alone in a child process like the echo server (one core), the clients in this one.
 * Before measuring, every visitor opens its chat (one first message each), so the measured phases are
 * steady-state chat traffic, not the ACD. Benchmarks are not tests: nothing here asserts timing.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import {
  connectClients, parseLoadOptions, printResults, runEchoLoad, runPhase, serveStats, startServerProcess, type LoadOptions, type LoadResult,
} from './chat-echo.ts';

const SELF = fileURLToPath(import.meta.url);

interface Setup { styleId: string; host: string; agents: Array<{ id: string; cookie: string }> }

/** The child: a Kefu node with one company, a widget style, `agents` agents online with room for everyone's chat. */
async function serveKefu(setupFile: string, agentCount: number, visitors: number, pglite: boolean) {
  await import('../src/server/v8-tuning.ts'); // as main.ts does
  const { loadConfig } = await import('../src/server/config.ts');
  const { startKefu } = await import('../src/server/kefu.ts');
  const { openDatabase, queryRows } = await import('../src/db/client.ts');
  const { createTenant } = await import('../src/modules/tenants/tenants.service.ts');
  const { createSession } = await import('../src/modules/auth/sessions.ts');
  const { roles, users } = await import('../src/modules/staff/staff.schema.ts');
  const { chatAgentSettings, widgetStyles } = await import('../src/channels/webchat/webchat.schema.ts');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-chat-'));
  const pgServer = pglite || process.env.DATABASE_URL ? undefined : await (await import('../src/testing/postgres-server.ts')).startPostgres();
  const databaseUrl = process.env.DATABASE_URL ?? pgServer?.url;
  const database = databaseUrl ? await openDatabase({ url: databaseUrl, poolSize: 20 }) : undefined;
  // Every simulated visitor comes from 127.0.0.1: the per-IP connection limit and the per-socket event limit are for the internet.
  const limits = { KEFU_VISITOR_CONNECTION_RATE_LIMIT: '1000000', KEFU_VISITOR_EVENT_RATE_LIMIT: '1000' };
  const config = loadConfig(limits, { port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, defaultTenant: 'bench', dataDir, mailFetch: false, ...(databaseUrl ? { databaseUrl } : {}) });
  const kefu = await startKefu({ config, database, logger: false });
  const db = kefu.database.db;
  // Every statement the node sends to PostgreSQL (pool and adapter alike), to print statements per chat line.
  let statements = 0;
  if (database) {
    const pg = (await import('pg')).default;
    const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
    // KEFU_BENCH_SQL_LOG=<file>: also the text of each statement, written there when the server stops.
    const log = process.env.KEFU_BENCH_SQL_LOG ? new Map<string, number>() : null;
    pg.Client.prototype.query = function (this: unknown, ...a: unknown[]) {
      statements++;
      if (log) { const q = a[0] as string | { text?: string }; const text = (typeof q === 'string' ? q : q?.text ?? '?').slice(0, 160); log.set(text, (log.get(text) ?? 0) + 1); }
      return query.apply(this, a);
    } as typeof pg.Client.prototype.query;
    if (log) process.on('exit', () => fs.writeFileSync(process.env.KEFU_BENCH_SQL_LOG!, [...log].sort((x, y) => y[1] - x[1]).map(([q, n]) => `${n}\t${q}`).join('\n')));
  }
  const { tenant } = await createTenant(db, { slug: 'bench', name: 'Bench Co.', adminEmail: 'admin@bench.test', adminName: 'Admin', adminPassword: 'bench-admin-password' });
  const [agentRole] = await db.select().from(roles).where(eq(roles.builtin, 'agent'));
  const capacity = Math.ceil(visitors / agentCount) + 1;
  const agents: Setup['agents'] = [];
  for (let i = 0; i < agentCount; i++) {
    const [u] = await db.insert(users).values({ tenantId: tenant.id, email: `agent${i}@bench.test`, name: `客服${i}`, roleId: agentRole.id, presence: 'online' }).returning();
    await db.insert(chatAgentSettings).values({ tenantId: tenant.id, userId: u.id, chatCapacity: capacity });
    const s = await createSession(db, tenant.id, u.id, 1, {});
    agents.push({ id: u.id, cookie: `kefu_session=${s.token}` });
  }
  const [style] = await db.insert(widgetStyles).values({ tenantId: tenant.id, name: 'bench' }).returning();
  // Jobs due now (the chat openings' events: SLA, notifications, automation …), so the parent measures a settled server.
  let pendingJobs = 0;
  let activeChats = 0;
  setInterval(() => {
    void queryRows<{ n: number; a: number }>(db, sql`select (select count(*)::int from jobs where status = 'pending' and run_at <= now()) as n,
        (select count(*)::int from chat_conversations where status = 'active') as a`)
      .then(([r]) => { pendingJobs = r.n; activeChats = r.a; }, () => {});
  }, 500).unref();
  const url = await kefu.listen();
  fs.writeFileSync(setupFile, JSON.stringify({ styleId: style.id, host: new URL(url).host, agents } satisfies Setup));
  serveStats(() => kefu.io.engine.clientsCount, async () => {
    await kefu.close();
    await database?.close();
    await pgServer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, database ? () => statements : undefined, () => pendingJobs, () => activeChats);
  process.send!({ kind: 'ready', url });
}

async function runKefuLoad(o: LoadOptions & { agents: number; pglite: boolean; cpuProf: boolean; cpuProfDir?: string }): Promise<LoadResult> {
  const setupFile = path.join(os.tmpdir(), `kefu-bench-chat-${process.pid}.json`);
  // --cpu-prof: the Kefu process writes a V8 CPU profile (open it in Chrome DevTools) into --cpu-prof-dir or the current directory.
  const profDir = o.cpuProfDir ?? process.cwd();
  const server = await startServerProcess(SELF, ['--serve-kefu', setupFile, String(o.agents), String(o.clients), o.pglite ? 'pglite' : 'postgres'], o.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []);
  try {
    const setup = JSON.parse(fs.readFileSync(setupFile, 'utf8')) as Setup;
    const before = await server.stats();
    const agentSockets: Socket[] = [];
    for (const a of setup.agents) {
      // the console's socket: the session cookie authenticates it
      const s = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { cookie: a.cookie } });
      await new Promise<void>((resolve, reject) => { s.once('connect', () => resolve()); s.once('connect_error', reject); });
      agentSockets.push(s);
    }
    // An agent's socket that drops would make its chats' lines look lost: say so.
    let agentsDropped = 0;
    for (const s of agentSockets) s.on('disconnect', (reason) => { if (reason !== 'io client disconnect') { agentsDropped++; console.log(`\n!! an agent's socket dropped: ${reason}`); } });
    const t0 = performance.now();
    const keys = Array.from({ length: o.clients }, () => crypto.randomUUID());
    const visitors = await connectClients(`${server.url}/visitor`, o.clients, { batch: o.batch, label: 'kefu: visitors', auth: (i) => ({ styleId: setup.styleId, visitorKey: keys[i] }) });
    const connectSeconds = (performance.now() - t0) / 1000;
    const after = await server.stats();
    const conversations = visitors.map(() => crypto.randomUUID());

    // Every visitor opens its chat with a first message (stored, routed to an agent) before anything is measured.
    // A few at a time: each opening stores a ticket and runs the ACD, and a flood would starve the heartbeats.
    let opened = 0;
    const openBatch = 20;
    const openFrom = performance.now();
    for (let from = 0; from < o.clients; from += openBatch) {
      await Promise.all(visitors.slice(from, from + openBatch).map(async (s, k) => {
        const i = from + k;
        const ack = await s.timeout(120_000).emitWithAck('message', { conversationId: conversations[i], clientId: crypto.randomUUID(), body: '你好' });
        if (!ack.ok) throw new Error(`visitor ${i} could not open a chat: ${JSON.stringify(ack)}`);
        opened++;
      }));
      process.stdout.write(`\rkefu: opening chats ${opened.toLocaleString()}/${o.clients.toLocaleString()}`);
    }
    process.stdout.write(` in ${((performance.now() - openFrom) / 1000).toFixed(0)} s\n`);
    // The openings left jobs behind (each new ticket's SLA, notifications, automation): measure after them.
    const settleFrom = performance.now();
    for (let s = await server.stats(); (s.pendingJobs ?? 0) > 0 && performance.now() - settleFrom < 300_000; s = await server.stats()) {
      process.stdout.write(`\rkefu: waiting for the openings' jobs: ${s.pendingJobs} left   `);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const settled = await server.stats();
    process.stdout.write(`\rkefu: openings' jobs done in ${((performance.now() - settleFrom) / 1000).toFixed(0)} s (${settled.pendingJobs} left); chats with an agent: ${settled.activeChats}/${o.clients}\n`);

    const handler: Array<(p: { t: number; c: number }) => void> = [];
    const refused = new Map<string, number>();
    for (const a of agentSockets) {
      a.on('chat.message', (line: { body: string }) => {
        if (!line.body.startsWith('{')) return;
        const p = JSON.parse(line.body) as { t: number; c: number };
        handler[0]?.(p);
      });
    }
    const phase = (rate: number | undefined, seconds: number) => runPhase({
      clients: o.clients, seconds, rate, server,
      send: (c, payload) => visitors[c].timeout(60_000).emit('message', { conversationId: conversations[c], clientId: crypto.randomUUID(), body: JSON.stringify(payload) },
        (err: Error | null, ack?: { ok: boolean; code?: string }) => { if (err || !ack?.ok) refused.set(err ? 'no ack' : ack!.code ?? '?', (refused.get(err ? 'no ack' : ack!.code ?? '?') ?? 0) + 1); }),
      subscribe: (fn) => { handler[0] = fn; },
    });
    process.stdout.write(`kefu: ${o.rate.toLocaleString()} msg/s for ${o.seconds} s …`);
    const fixed = await phase(o.rate, o.seconds);
    process.stdout.write(` done\nkefu: flat out for ${o.saturateSeconds} s …`);
    const saturated = await phase(undefined, o.saturateSeconds);
    process.stdout.write(' done\n');
    if (refused.size) console.log(`!! messages not acknowledged as stored: ${JSON.stringify(Object.fromEntries(refused))}`);
    if (agentsDropped) console.log(`!! ${agentsDropped} of ${agentSockets.length} agent sockets dropped during the run`);
    for (const s of [...visitors, ...agentSockets]) s.disconnect();
    const conns = o.clients + o.agents;
    return {
      label: `Kefu (${o.pglite ? 'PGlite' : 'PostgreSQL'})`, clients: conns, connectSeconds,
      memory: { rssPerConnKiB: (after.rss - before.rss) / conns / 1024, heapPerConnKiB: (after.heapUsed - before.heapUsed) / conns / 1024, rssMiB: after.rss / 2 ** 20 },
      fixed, saturated, load: os.loadavg()[0],
    };
  } finally {
    await server.stop();
    fs.rmSync(setupFile, { force: true });
  }
}

/** Each websocket is a file descriptor on both ends: say so up front when the shell's limit cannot hold them. */
function checkFileLimit(needed: number) {
  const soft = Number(spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
  if (Number.isFinite(soft) && soft < needed) {
    console.log(`!! ulimit -n is ${soft}, the run needs about ${needed}: raise it first (ulimit -n ${needed * 2}) or sockets will fail to open`);
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const o = parseLoadOptions(argv);
  checkFileLimit(o.clients + 200);
  const i = argv.indexOf('--agents');
  const agents = i >= 0 ? Number(argv[i + 1]) : 50;
  const d = argv.indexOf('--cpu-prof-dir');
  const kefu = await runKefuLoad({ ...o, agents, pglite: argv.includes('--pglite'), cpuProf: argv.includes('--cpu-prof'), cpuProfDir: d >= 0 ? argv[d + 1] : undefined });
  const echo = argv.includes('--no-echo') ? null : await runEchoLoad(o);
  if (o.json) console.log(JSON.stringify({ kefu, echo }, null, 2));
  else printResults(echo ? [kefu, echo] : [kefu], o);
  const share = echo ? `${Math.round((kefu.saturated.perSecond / echo.saturated.perSecond) * 100)} % of the bare echo's` : `${Math.round(kefu.saturated.perSecond)} msg/s (--no-echo)`;
  console.log(`\nKefu flat-out throughput: ${share}; p99 at ${o.rate.toLocaleString()} msg/s: ${kefu.fixed.p99.toFixed(1)} ms (aim: under 100 ms, at least 50 %)`);
  const lost = kefu.fixed.sent - kefu.fixed.received + kefu.saturated.sent - kefu.saturated.received;
  if (lost) console.log(`!! ${lost} Kefu messages had not reached an agent when the phase ended (late or lost)`);
}

if (process.argv.includes('--serve-kefu')) {
  const at = process.argv.indexOf('--serve-kefu');
  serveKefu(process.argv[at + 1], Number(process.argv[at + 2]), Number(process.argv[at + 3]), process.argv[at + 4] === 'pglite').catch((err) => { console.error(err); process.exit(1); });
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
}
