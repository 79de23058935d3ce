/**
 * Browser flows against a whole Kefu node: a fresh test database, the built console (web/dist), a real
 * HTTP port and Debian's Chromium driven by playwright-core.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Database } from '../src/db/client.ts';
import { createTenant } from '../src/modules/tenants/tenants.service.ts';
import { loadConfig, type Config } from '../src/server/config.ts';
import { startKefu, WEB_DIST, type Kefu } from '../src/server/kefu.ts';
import { CHROMIUM_ARGS, findChromium } from '../src/testing/chromium.ts';
import { createTestDatabase } from '../src/testing/test-db.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

const MOTION_SELECTOR = ['appear', 'enter', 'leave'].flatMap((phase) => ['prepare', 'start', 'active'].map((step) => `[class*="-${phase}-${step}"]`)).join(', ');

export const TENANT = { slug: 'e2e', name: '测试公司 E2E Co.', adminEmail: 'admin@e2e.test', adminName: '王管理', adminPassword: 'admin-password-1' };

/** Why the browser flows cannot run here, or null when they can. */
export function skipReason(): string | null {
  return findChromium()
    ? null
    : '!!! SKIPPED: Chromium is not installed (apt-get install chromium fonts-wqy-microhei): the browser flows did not run !!!';
}

export interface ApiResponse<T = unknown> { status: number; body: T }

export interface E2E {
  kefu: Kefu;
  database: Database;
  browser: Browser;
  /** http://e2e.localhost:PORT: Chromium resolves *.localhost to loopback, the host names the tenant. */
  baseUrl: string;
  /** A fresh browser profile (cookies, localStorage) with one page, in Chinese like a default install. */
  newPage(): Promise<{ context: BrowserContext; page: Page }>;
  /** Saves test-artifacts/e2e/<prefix>-<name>.png. */
  shot(page: Page, name: string): Promise<void>;
  /** Runs every due job and event delivery now (mail to the outbox, socket broadcasts). */
  drain(): Promise<void>;
  /** Makes a queue's pending timers due by the database clock, then drains (the injected clock runs ahead). */
  fireTimers(queue: string): Promise<void>;
  /** Signs in over HTTP (no browser) and calls the API as that person. */
  api(email: string, password: string): Promise<<T = unknown>(method: string, url: string, body?: unknown) => Promise<ApiResponse<T>>>;
  close(): Promise<void>;
}

/** Builds web/dist when it is missing (npm test builds it before the flows run). */
function ensureWebBuilt(): void {
  if (process.env.KEFU_WEB_DIST || fs.existsSync(path.join(WEB_DIST, 'index.html'))) return;
  const res = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error('npm run build failed: the console could not be built for the browser flows');
}

export interface E2EOptions {
  /** The server's clock (see StartOptions.clock); tests move it to control business hours and SLA timers. */
  clock?: () => Date;
  /** Settings of this server (e.g. a higher helpCenterRateLimit for a flow that reads many articles). */
  config?: Partial<Config>;
}

export async function startE2E(prefix: string, opts: E2EOptions = {}): Promise<E2E> {
  ensureWebBuilt();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-e2e-data-')); // uploaded files of this run only
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, defaultTenant: TENANT.slug, loginRateLimit: 1000, dataDir, ...(process.env.KEFU_WEB_DIST ? { webDist: process.env.KEFU_WEB_DIST } : {}), ...opts.config });
  const kefu = await startKefu({ config, database, logger: false, pollMs: 200, ...(opts.clock ? { clock: opts.clock } : {}) });
  let browser: Browser | undefined;
  try {
    await createTenant(database.db, { slug: TENANT.slug, name: TENANT.name, adminEmail: TENANT.adminEmail, adminName: TENANT.adminName, adminPassword: TENANT.adminPassword });
    const url = new URL(await kefu.listen());
    const baseUrl = `http://${TENANT.slug}.localhost:${url.port}`;
    const host = `${TENANT.slug}.localhost:${url.port}`;
    browser = await chromium.launch({ executablePath: findChromium()!, args: CHROMIUM_ARGS });
    const b = browser;
    const contexts: BrowserContext[] = [];

    const inject = async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T> & { cookies: { name: string; value: string }[] }> => {
      const res = await kefu.app.inject({
        method: method as 'GET', url,
        headers: { host, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      });
      return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : undefined) as T, cookies: res.cookies };
    };

    return {
      kefu, database, browser: b, baseUrl,
      async newPage() {
        // reduced motion, as a person can ask their system for: the console then opens drawers and menus
        // without animation, and a flow never clicks into one that is still moving
        const context = await b.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', reducedMotion: 'reduce' });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(30_000); // generous: CI machines run other suites alongside
        page.on('pageerror', (err) => { console.error(`[browser] ${err.stack ?? err.message}`); });
        return { context, page };
      },
      async shot(page, name) {
        // Let antd's enter/leave motions finish first (they are driven by classes, not only by CSS).
        await page.waitForFunction((selector) => !document.querySelector(selector), MOTION_SELECTOR, { timeout: 3000 }).catch(() => {});
        await page.screenshot({ path: path.join(ARTIFACTS, `${prefix}-${name}.png`), animations: 'disabled' });
      },
      drain: () => kefu.worker.drain(),
      async fireTimers(queue) {
        await database.db.execute(sql`update jobs set run_at = now() - interval '1 second' where queue = ${queue} and status = 'pending'`);
        await kefu.worker.drain();
      },
      async api(email, password) {
        const login = await inject<{ csrfToken: string }>('POST', '/api/v1/auth/login', { email, password });
        if (login.status !== 200) throw new Error(`API sign-in as ${email} failed: ${login.status} ${JSON.stringify(login.body)}`);
        const cookie = `kefu_session=${login.cookies.find((c) => c.name === 'kefu_session')!.value}`;
        return <T>(method: string, url: string, body?: unknown) => inject<T>(method, url, body, { cookie, 'x-csrf-token': login.body.csrfToken });
      },
      async close() {
        for (const c of contexts) await c.close().catch(() => {});
        await b.close();
        await kefu.close();
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close().catch(() => {});
    await kefu.close();
    await database.close();
    throw err;
  }
}

/** The first http(s) link in a mail text. */
export function linkIn(text: string): string {
  const m = /https?:\/\/\S+/.exec(text);
  if (!m) throw new Error(`no link in mail text:\n${text}`);
  return m[0];
}

/**
 * Picks the option titled `title` in the antd Select / TreeSelect with this test id, and waits for the
 * dropdown to close (a closing dropdown still matches :visible while it animates out).
 */
export async function choose(page: Page, testId: string, title: string, opts: { multiple?: boolean } = {}): Promise<void> {
  const select = page.getByTestId(testId);
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden):not(.ant-slide-up-leave)');
  const closed = select.locator('input[aria-expanded="false"]');
  await select.click();
  await open.getByTitle(title, { exact: true }).click();
  if (opts.multiple) await page.keyboard.press('Escape');
  // On a loaded machine a click can land while the list is still sliding in and be dropped: the list
  // stays open. Pick again once, then close it by keyboard.
  if (!(await closed.waitFor({ state: 'attached', timeout: 5_000 }).then(() => true, () => false))) {
    if (!opts.multiple && !(await select.getByTitle(title, { exact: true }).count())) await open.getByTitle(title, { exact: true }).click();
    if (!(await closed.count())) await page.keyboard.press('Escape');
    await closed.waitFor({ state: 'attached' });
  }
}

export type Api = <T = unknown>(method: string, url: string, body?: unknown) => Promise<ApiResponse<T>>;

/** Signs in through the sign-in page and waits for the workspace. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('workspace').waitFor();
}

/** Invites a staff member with the built-in agent role (or `roleId`), activates the account from the outbox mail, sets them online. */
export async function createAgent(e2e: E2E, admin: Api, who: { email: string; name: string; password: string; departmentIds: string[]; roleId?: string }): Promise<{ id: string; api: Api }> {
  const roles = (await admin<{ items: { id: string; builtin: string | null }[] }>('GET', '/api/v1/roles')).body.items;
  const roleId = who.roleId ?? roles.find((r) => r.builtin === 'agent')!.id;
  const invited = await admin<{ id: string }>('POST', '/api/v1/staff/invitations', { email: who.email, name: who.name, roleId, departmentIds: who.departmentIds });
  if (invited.status !== 200 && invited.status !== 201) throw new Error(`invite failed: ${JSON.stringify(invited.body)}`);
  await e2e.drain();
  const mail = (await admin<{ items: { text: string }[] }>('GET', `/api/v1/outbox?to=${encodeURIComponent(who.email)}`)).body.items[0];
  const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
  const anon = await admin('POST', '/api/v1/auth/activate', { token, password: who.password });
  if (anon.status !== 200) throw new Error(`activation failed: ${JSON.stringify(anon.body)}`);
  const api = await e2e.api(who.email, who.password);
  await api('PUT', '/api/v1/auth/me/presence', { presence: 'online' });
  return { id: invited.body.id, api };
}
