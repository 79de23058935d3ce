import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import crypto from 'node:crypto';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { findPostgresBin, startPostgres, type PostgresServer } from './postgres-server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'src/server/main.ts');

export interface NodeExit { code: number | null; signal: NodeJS.Signals | null }

export interface LaunchedNode {
  proc: ChildProcess;
  pid: number;
  /** Everything the child wrote so far (stdout and stderr), for assertions and failure messages. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the child has exited, however it ended. */
  exited: Promise<NodeExit>;
}

export interface SpawnedNode extends LaunchedNode {
  /** The URL the node printed ("Kefu is running: <url>"), with localhost pinned to 127.0.0.1. */
  url: string;
  /** SIGTERM (graceful shutdown), SIGKILL if it has not exited within the deadline. */
  stop(timeoutMs?: number): Promise<NodeExit>;
  /** SIGKILL: the process dies mid-whatever, nothing is flushed or released. */
  kill9(): Promise<NodeExit>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts `node --import tsx src/server/main.ts` with a clean environment: nothing Kefu reads is inherited
 * from the test process, PORT=0 on 127.0.0.1, no demo seed, warnings only — then `env` on top.
 * Does not wait for anything; see spawnNode for that.
 */
export function launchNode(env: Record<string, string | undefined>): LaunchedNode {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(base)) {
    if (key.startsWith('KEFU_') || key.startsWith('NODE_TEST') || ['DATABASE_URL', 'PORT', 'HOST', 'LOG_LEVEL'].includes(key)) delete base[key];
  }
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: ROOT,
    env: { ...base, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KEFU_SEED_DEMO: 'false', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!proc.pid) throw new Error('could not spawn a Kefu node');
  live.add(proc);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Safety net: a failed test must not leave Kefu nodes running behind it.
    process.on('exit', () => { for (const p of live) p.kill('SIGKILL'); });
  }
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => { out += d; });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  const exited = new Promise<NodeExit>((resolve) => {
    proc.once('exit', (code, signal) => { live.delete(proc); resolve({ code, signal }); });
  });
  return { proc, pid: proc.pid, stdout: () => out, stderr: () => err, exited };
}

/**
 * Starts one Kefu node as a child process and waits for its "Kefu is running: <url>" line.
 * Rejects (and kills the child) if it exits first or does not come up within timeoutMs.
 */
export async function spawnNode(env: Record<string, string | undefined>, opts: { timeoutMs?: number } = {}): Promise<SpawnedNode> {
  const node = launchNode(env);
  const timeoutMs = opts.timeoutMs ?? 90_000; // a cold start (tsx, PGlite, migrations) on a busy 2-core machine
  const describe = () => `--- stdout ---\n${node.stdout()}\n--- stderr ---\n${node.stderr()}`;
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const m = node.stdout().match(/Kefu is running: (\S+)/);
      if (m) { done(); resolve(m[1].replace('//localhost:', '//127.0.0.1:')); }
    };
    const timer = setTimeout(() => { done(); node.proc.kill('SIGKILL'); reject(new Error(`Kefu node did not start within ${timeoutMs} ms\n${describe()}`)); }, timeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`Kefu node exited before it was ready (code ${code}, signal ${signal})\n${describe()}`));
    };
    const done = () => { clearTimeout(timer); node.proc.stdout!.off('data', check); node.proc.off('exit', onExit); };
    node.proc.stdout!.on('data', check);
    node.proc.once('exit', onExit);
    check();
  });

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number): Promise<NodeExit> => {
    if (node.proc.exitCode === null && node.proc.signalCode === null) node.proc.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((r) => { timer = setTimeout(() => r(null), timeoutMs); });
    const res = await Promise.race([node.exited, timeout]);
    clearTimeout(timer);
    if (res) return res;
    node.proc.kill('SIGKILL');
    return node.exited;
  };

  return {
    ...node,
    url,
    stop: (timeoutMs = 15_000) => signalAndWait('SIGTERM', timeoutMs),
    kill9: () => signalAndWait('SIGKILL', 10_000),
  };
}

/** Polls `probe` until it returns a truthy value, or throws `message` (plus the last value) at the deadline. */
export async function waitFor<T>(probe: () => Promise<T> | T, opts: { timeoutMs: number; intervalMs?: number; message: string | (() => string) }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`${typeof opts.message === 'function' ? opts.message() : opts.message} (gave up after ${opts.timeoutMs} ms; last value: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}

/** A signed-in HTTP client for a spawned node (cookie + CSRF token on every request). */
export interface HttpSession {
  cookie: string;
  csrf: string;
  userId: string;
  request(method: string, url: string, body?: unknown): Promise<{ status: number; json: any; text: string }>;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<HttpSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`login ${email} at ${baseUrl} failed: ${res.status} ${text}`);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!setCookie) throw new Error('login answered without a kefu_session cookie');
  const cookie = setCookie.split(';')[0];
  const me = JSON.parse(text);
  return {
    cookie, csrf: me.csrfToken, userId: me.id,
    async request(method, url, body) {
      const r = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { cookie, 'x-csrf-token': me.csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const t = await r.text();
      let json: unknown = null;
      try { json = t ? JSON.parse(t) : null; } catch { /* not JSON */ }
      return { status: r.status, json, text: t };
    },
  };
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> for KEFU_SMTP_URL. */
  url: string;
  /** One entry per accepted message: its envelope recipients. */
  messages: { to: string[]; size: number }[];
  /** How many accepted messages went to each recipient address. */
  countsByRecipient(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * A local SMTP server that accepts every message (no TLS, no auth) and records its recipients.
 * delayMs holds each reply back, like a slow relay, so deliveries queue up behind each other.
 */
export async function startSmtpSink(opts: { delayMs?: number } = {}): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      let size = 0;
      stream.on('data', (chunk: Buffer) => { size += chunk.length; });
      stream.on('end', () => {
        const accept = () => {
          messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), size });
          callback();
        };
        if (opts.delayMs) setTimeout(accept, opts.delayMs); else accept();
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  server.on('error', () => {}); // a client (a SIGKILLed node) vanishing mid-session is not our failure
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    countsByRecipient() {
      const counts = new Map<string, number>();
      for (const m of messages) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    // closeTimeout ends sessions a SIGKILLed node left half-open; the race bounds it whatever happens.
    close: () => Promise.race([
      new Promise<void>((resolve) => server.close(() => resolve())),
      new Promise<void>((resolve) => setTimeout(resolve, 5000).unref()),
    ]),
  };
}

export interface TestPostgres {
  /** Where the server came from: the test run's (KEFU_TEST_PG_URL) or one started for this file. */
  source: 'KEFU_TEST_PG_URL' | 'own';
  /** A new, empty database on it (the Kefu node migrates it on start); drop() removes it. */
  createDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }>;
  /** Stops the server if this file started it. */
  stop(): Promise<void>;
}

/**
 * PostgreSQL for real-process tests: the server `npm test` started (KEFU_TEST_PG_URL), else a throwaway
 * one when the binaries are installed, else null (the caller skips loudly).
 */
export async function testPostgres(): Promise<TestPostgres | null> {
  let own: PostgresServer | null = null;
  let adminUrl = process.env.KEFU_TEST_PG_URL;
  if (!adminUrl) {
    if (!findPostgresBin()) return null;
    own = await startPostgres();
    adminUrl = own.url;
  }
  const admin = adminUrl;
  const run = async (query: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try { await c.query(query); } finally { await c.end(); }
  };
  return {
    source: own ? 'own' : 'KEFU_TEST_PG_URL',
    async createDatabase(prefix) {
      const name = `${prefix}_${crypto.randomBytes(5).toString('hex')}`;
      await run(`create database ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
    },
    async stop() { await own?.stop(); },
  };
}
