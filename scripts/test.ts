/**
 * `npm test`: type-check, then every test file on PGlite, again on a throwaway PostgreSQL when its
 * binaries are installed, then the browser flows when Chromium is installed. Suites whose server is
 * missing are skipped with a loud banner, never silently.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPostgresBin, startPostgres } from '../src/testing/postgres-server.ts';
import { findChromium } from '../src/testing/chromium.ts';
import { preparePgTemplate } from '../src/testing/test-db.ts';

const root = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2); // optional: a subset of files

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out.sort();
}
/**
 * Which passes a test file runs in. A first line `// kefu-test: pglite only` or `// kefu-test: postgres
 * only` marks tests of one engine's own behaviour (the embedded data-dir lock, two nodes on one
 * PostgreSQL): that engine's pass alone, not once per pass doing the same work twice. Otherwise a file
 * that opens a database (directly or through a test server / a spawned Kefu) runs on both; pure modules'
 * tests (parsers, decision tables) only once, in the first pass.
 */
type Passes = 'pglite' | 'postgres' | 'both' | 'first';
function passesOf(file: string): Passes {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const only = /^\/\/ kefu-test: (pglite|postgres) only\b/.exec(text.split('\n', 1)[0])?.[1] as 'pglite' | 'postgres' | undefined;
  if (only) return only;
  return /testing\/(test-db|test-server|postgres-server|spawn-node)|openDatabase|KEFU_TEST_PG/.test(text) ? 'both' : 'first';
}
const pick = (files: string[]) => only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;

const totals = { passed: 0, failed: 0, skipped: 0 };
const banners: string[] = [];
const loud = (msg: string) => {
  const line = '!'.repeat(78);
  banners.push(msg);
  console.log(`\n${line}\n!! SKIPPED: ${msg}\n${line}\n`);
};

/**
 * Test files that share one process. Each process pays ~2.5 s to load the server's modules (1 s of it
 * tsx's loader, which answers every import from a worker thread), which over two passes of 70 files
 * was about two minutes of the suite. Files of a group run one after the other; a file's top-level
 * after() hooks run when its group ends.
 */
const FILES_PER_PROCESS = 4;

/** Entry files that each import FILES_PER_PROCESS test files, in a temp dir removed by cleanup(). */
function groupInProcesses(files: string[]): { entries: string[]; cleanup(): void } {
  if (files.length <= 1) return { entries: files, cleanup() {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-test-groups-'));
  const entries: string[] = [];
  for (let i = 0; i < files.length; i += FILES_PER_PROCESS) {
    const group = files.slice(i, i + FILES_PER_PROCESS);
    const entry = path.join(dir, `${entries.length + 1}-${path.basename(group[0], '.test.ts')}.test.mjs`);
    fs.writeFileSync(entry, group.map((f) => `// ${f}\nawait import(${JSON.stringify(pathToFileURL(path.join(root, f)).href)});\n`).join(''));
    entries.push(entry);
  }
  return { entries, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function runFiles(label: string, files: string[], env: Record<string, string>, concurrency: number, perProcess = false): Promise<void> {
  if (!files.length) return Promise.resolve();
  console.log(`\n=== ${label}: ${files.length} file(s) ===`);
  const { entries, cleanup } = perProcess ? { entries: files, cleanup() {} } : groupInProcesses(files);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...entries], {
      cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('exit', (code) => {
      const count = (k: string) => Number(out.match(new RegExp(`^ℹ ${k} (\\d+)`, 'm'))?.[1] ?? 0);
      totals.passed += count('pass');
      totals.failed += count('fail') + (code !== 0 && count('fail') === 0 ? 1 : 0);
      totals.skipped += count('skipped');
      cleanup();
      resolve();
    });
  });
}

async function main() {
  console.log('=== type-check (tsc --noEmit) ===');
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) { totals.failed++; console.log('type-check failed'); } else totals.passed++;

  // the console's pure helpers are tested beside it (web/dist is the build, no tests there)
  const unit = pick([...walk(path.join(root, 'src')), ...walk(path.join(root, 'web')).filter((f) => !f.startsWith('web/dist/'))]);
  const passes = new Map(unit.map((f) => [f, passesOf(f)]));
  const pgPass = !!findPostgresBin();
  // without PostgreSQL binaries its own files run here, where they say loudly that they skip
  await runFiles('PGlite', unit.filter((f) => !pgPass || passes.get(f) !== 'postgres'), {}, 2);

  if (pgPass) {
    const pg = await startPostgres();
    try {
      await preparePgTemplate(pg.url, 'kefu_template');
      const withDb = unit.filter((f) => passes.get(f) === 'postgres' || passes.get(f) === 'both');
      const once = (kind: Passes, why: string) => {
        const files = unit.filter((f) => passes.get(f) === kind).map((f) => path.basename(f));
        return files.length ? [`${files.length} file(s) that ${why}: ${files.join(', ')}`] : [];
      };
      const ranOnce = [...once('first', 'never open a database'), ...once('pglite', 'test the embedded database alone')];
      if (ranOnce.length) console.log(`\n(ran once, above: ${ranOnce.join('; ')})`);
      await runFiles('PostgreSQL', withDb, { KEFU_TEST_PG_URL: pg.url, KEFU_TEST_PG_TEMPLATE: 'kefu_template' }, 2);
    } finally {
      await pg.stop();
    }
  } else {
    loud('PostgreSQL suite: no PostgreSQL server binaries (apt-get install postgresql); the tests ran on PGlite only');
  }

  const e2e = pick(fs.existsSync(path.join(root, 'e2e')) ? walk(path.join(root, 'e2e')) : []);
  if (e2e.length) {
    if (findChromium()) {
      // With KEFU_WEB_DIST the caller built the console into a directory of its own (parallel work):
      // rebuilding web/dist here would swap the files under someone else's running flows.
      const prebuilt = process.env.KEFU_WEB_DIST;
      console.log(prebuilt ? `\n=== browser flows serve the console built in ${prebuilt} ===` : '\n=== building the web app for the browser flows ===');
      const build = prebuilt ? { status: fs.existsSync(path.join(prebuilt, 'index.html')) ? 0 : 1 } : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
      if (build.status !== 0) { totals.failed++; if (prebuilt) console.log(`no index.html in ${prebuilt}: build it first`); }
      // one process per flow: each starts its own server and browser, which must not outlive it
      else await runFiles('Chromium (Playwright)', e2e, {}, 1, true);
    } else {
      loud('browser flows (e2e/): Chromium is not installed (apt-get install chromium fonts-wqy-microhei)');
    }
  }

  console.log(`\n${banners.map((b) => `SKIPPED: ${b}`).join('\n')}`);
  console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed ? 1 : 0);
}

main().catch((err) => { console.error(err); process.exit(1); });
