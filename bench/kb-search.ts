/**
 * Knowledge-base search quality and speed, against two baselines in the same run.
 *
 *   node --import tsx bench/kb-search.ts                  # recall on PGlite, then 100,000 articles on PostgreSQL
 *   node --import tsx bench/kb-search.ts --pg             # recall on PostgreSQL too
 *   node --import tsx bench/kb-search.ts --scale 0        # recall only
 *   node --import tsx bench/kb-search.ts --scale 20000 --runs 200
 *   node --import tsx bench/kb-search.ts --suite none --slowest 20      # the scale run alone; where the slowest searches' time went
 *   node --import tsx bench/kb-search.ts --suite none --warm-up 0 --profile fuzzy.cpuprofile   # no warm-up; a CPU profile of the searches
 *   node --import tsx bench/kb-search.ts --suite zh|en --every 5 --scale 0   # one corpus; every 5th banking query
 *   node --import tsx bench/kb-search.ts --suite zh --no-chitchat --scale 0  # each domain without the chit-chat distractors
 *   node --import tsx bench/kb-search.ts --suite clinc --scale 0       # the chat robot's decisions on CLINC150 (in and out of scope)
 *   node --import tsx bench/kb-search.ts --suite clinc --fit --scale 0 # refit the robot's confidence model and sweep thresholds
 *
 * Corpora (../shared/corpora, not part of this repository):
 * - faq-zh-chatopera: every domain is a separate bot, so each domain is a company of its own whose
 *   knowledge base is its FAQs plus the 6,897 chit-chat pairs as distractors. Each query in
 *   queries.jsonl IS one of its FAQ's paraphrases, so it is held out: queries are split in two folds,
 *   and a fold is searched while the knowledge base holds only the other fold's paraphrases (plus the
 *   question and answer). No query ever finds itself.
 * - faq-en-banking77: one FAQ entry per intent (title = the intent's name, paraphrases = the even rows
 *   of train.csv for it); the odd rows are the queries.
 * - faq-en-clinc150 (the robot): one FAQ entry per in-scope intent (title = the intent's name,
 *   paraphrases = its first 10 training examples); the robot's decision (robot-decision.ts, with the
 *   default thresholds) runs on held-out in-scope questions (val, every 2nd) and on the out-of-scope
 *   ones (oos_val), and the rates of answered correctly / answered wrongly / suggested / handed over
 *   are printed for both. --fit refits the confidence model on a calibration split (training examples
 *   50–59 of each intent, oos_train) and prints the rates over a grid of thresholds.
 * Engines:
 * - Kefu: the product's search (searchArticles, as the help center calls it: published public
 *   articles), in fuzzy mode (the help center's and robot's default) and any mode;
 * - ILIKE: the query as a substring of question or paraphrase text (shortest text first);
 * - simple FTS: to_tsvector('simple', question + paraphrases) without segmentation, any of the
 *   query's lexemes, ts_rank (GIN-indexed, in a table of its own).
 * Recall@k: the expected entry is among the first k; MRR over the first 10; latency per query, end to
 * end for Kefu (dictionary check, term weights, candidates, ranking, page and highlights).
 * The scale run loads synthetic articles into one company of a throwaway PostgreSQL: each mixes a
 * question from one corpus entry with words of another and the answers of two more (zh and en), with
 * 0–3 paraphrases drawn from other entries, then times the same queries: first on the new database
 * connections ("cold": a PostgreSQL backend faults in each shared buffer the first time it reads one),
 * then after --warm-up other searches, as on a node that has been answering for a while.
 */
import '../src/server/v8-tuning.ts'; // as a Kefu node does (main.ts)
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import path from 'node:path';
import { constants } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../src/db/client.ts';
import { startPostgres, type PostgresServer } from '../src/testing/postgres-server.ts';
import { createTenant } from '../src/modules/tenants/tenants.service.ts';
import { SYSTEM } from '../src/modules/auth/actor.ts';
import type { Ctx } from '../src/modules/context.ts';
import { deleteArticle, importArticles, type ImportedArticle } from '../src/modules/kb/kb-articles.service.ts';
import { searchForPublic } from '../src/modules/kb/kb-search.service.ts';
import { searchPhasesChannel, type SearchPhases } from '../src/modules/kb/search/search.ts';
import type { KbSearchMode } from '../src/contracts/kb.ts';
import { robotSearch, type RobotCandidate } from '../src/channels/webchat/chat-robot.ts';
import {
  CONFIDENCE_MODEL, DEFAULT_ROBOT_THRESHOLDS, confidenceFeatures, decideRobotReply, type RobotThresholds,
} from '../src/channels/webchat/robot-decision.ts';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const SCALE = opt('--scale', 100_000);
const RUNS = opt('--runs', 300);
const ON_PG = args.includes('--pg');
/** zh, en, all (default) or none (the scale run only) */
const SUITE = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : 'all';
const RUN_ZH = SUITE === 'all' || SUITE === 'zh';
const RUN_EN = SUITE === 'all' || SUITE === 'en';
const RUN_CLINC = SUITE === 'all' || SUITE === 'clinc';
/** clinc: refit the robot's confidence model and sweep thresholds on the calibration split */
const FIT = args.includes('--fit');
/** banking77: every Nth query (1 = all 4,978) */
const EVERY = opt('--every', 1);
/** zh: each domain's knowledge base without the 6,897 chit-chat distractors */
const NO_CHITCHAT = args.includes('--no-chitchat');
/** print the queries Kefu (fuzzy) misses in the top 5, with what it found instead */
const MISSES = args.includes('--misses');
/** scale run: searches (of other queries) before the timed runs, after the first timed one (see "cold") */
const WARM_UP = opt('--warm-up', 1_000);
/** scale run: print the N slowest Kefu (fuzzy) queries with where their time went */
const SLOWEST = opt('--slowest', 0);
/** scale run: write a CPU profile of the Kefu (fuzzy) searches to this file (open it in Chrome's DevTools) */
const PROFILE = args.includes('--profile') ? args[args.indexOf('--profile') + 1] : null;
const CORPORA = path.resolve(import.meta.dirname, '../../shared/corpora');

// ---------- corpora ----------

interface ZhEntry { id: string; domain: string; question: string; answers: string[]; similarQuestions: string[]; enabled: boolean }
interface Case { tenantId: string; query: string; expected: string }

function readJsonl<T>(file: string): T[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T);
}

/** RFC 4180 CSV (quoted fields, "" escapes), header row dropped. */
function readCsv(file: string): string[][] {
  const text = fs.readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f)) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows.slice(1);
}

// ---------- measuring ----------

interface Engine { name: string; search(tenantId: string, q: string): Promise<string[]> }
interface Score { r1: number; r5: number; mrr: number; p50: number; p95: number; n: number }

function pct(xs: number[], p: number) { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0; }
const bar = (done: number, total: number) => `[${'#'.repeat(Math.round((done / Math.max(total, 1)) * 30)).padEnd(30, '.')}] ${done.toLocaleString()}/${total.toLocaleString()}`;

interface Run { ranks: number[]; times: number[] }

async function run(engine: Engine, cases: Case[], label: string): Promise<Run> {
  const out: Run = { ranks: [], times: [] };
  // warm-up: plans, caches, the jieba dictionary
  for (const c of cases.slice(0, 5)) await engine.search(c.tenantId, c.query);
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    const t0 = performance.now();
    const ids = await engine.search(c.tenantId, c.query);
    out.times.push(performance.now() - t0);
    out.ranks.push(ids.indexOf(c.expected));
    if (MISSES && engine.name === 'Kefu (fuzzy)' && !ids.slice(0, 5).includes(c.expected)) await printMiss(engine, c, ids);
    if (i % 50 === 0 || i === cases.length - 1) process.stdout.write(`\r  ${label.padEnd(40)} ${bar(i + 1, cases.length)}`);
  }
  process.stdout.write('\n');
  return out;
}

let missDb: Database | undefined;
async function printMiss(_engine: Engine, c: Case, ids: string[]) {
  const title = async (id: string) => (await queryRows<{ title: string; p: string }>(missDb!.db, sql`select title, array_to_string(paraphrases, ' / ') as p from kb_articles where id = ${id}`))[0];
  const want = await title(c.expected);
  const got = await Promise.all(ids.slice(0, 3).map(title));
  console.log(`\n  MISS ${JSON.stringify(c.query)} → want ${JSON.stringify(want?.title)} [${want?.p}] (rank ${ids.indexOf(c.expected)})\n       got ${got.map((g) => JSON.stringify(g.title)).join(' | ')}`);
}

function score(runs: Run[]): Score {
  const ranks = runs.flatMap((r) => r.ranks);
  const times = runs.flatMap((r) => r.times);
  const n = ranks.length || 1;
  return {
    r1: ranks.filter((r) => r === 0).length / n,
    r5: ranks.filter((r) => r >= 0 && r < 5).length / n,
    mrr: ranks.reduce((sum, r) => sum + (r >= 0 ? 1 / (r + 1) : 0), 0) / n,
    p50: pct(times, 0.5), p95: pct(times, 0.95), n: ranks.length,
  };
}

function table(title: string, rows: Array<[string, Score]>, note = '') {
  const head = ['engine', 'queries', 'Recall@1', 'Recall@5', 'MRR@10', 'p50 ms', 'p95 ms'];
  const body = rows.map(([name, s]) => [name, String(s.n), s.r1.toFixed(3), s.r5.toFixed(3), s.mrr.toFixed(3), s.p50.toFixed(1), s.p95.toFixed(1)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  console.log(`\n${title}${note ? `\n${note}` : ''}\n${head.map((h, i) => h.padEnd(w[i])).join('  ')}`);
  for (const r of body) console.log(r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  '));
}

// ---------- the engines ----------

function kefu(database: Database, mode: KbSearchMode): Engine {
  return {
    name: `Kefu (${mode})`,
    async search(tenantId, q) {
      const ctx: Ctx = { db: database.db, tenantId, actor: SYSTEM, publicUrl: '' };
      const r = await searchForPublic(ctx, { q, mode, limit: 10 });
      return r.hits.map((h) => h.article.id);
    },
  };
}

/** The baselines' own table: the question text of every article (title + paraphrases), plain and as an unsegmented tsvector. */
async function buildBaselineTable(database: Database): Promise<void> {
  await database.db.execute(sql`drop table if exists bench_baseline`);
  await database.db.execute(sql`create table bench_baseline as
    select id, tenant_id, title || ' ' || array_to_string(paraphrases, ' ') as text,
      to_tsvector('simple', title || ' ' || array_to_string(paraphrases, ' ')) as tsv
    from kb_articles where status = 'published' and visibility = 'public'`);
  await database.db.execute(sql`create index bench_baseline_tsv on bench_baseline using gin (tsv)`);
  await database.db.execute(sql`create index bench_baseline_tenant on bench_baseline (tenant_id)`);
  await database.db.execute(sql`analyze bench_baseline`);
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
function ilike(database: Database): Engine {
  return {
    name: 'ILIKE substring',
    async search(tenantId, q) {
      const rows = await queryRows<{ id: string }>(database.db, sql`select id from bench_baseline
        where tenant_id = ${tenantId} and text ilike ${`%${likeEscape(q.trim())}%`} order by length(text), id limit 10`);
      return rows.map((r) => r.id);
    },
  };
}
function simpleFts(database: Database): Engine {
  return {
    name: "to_tsvector('simple')",
    async search(tenantId, q) {
      // any of the query's lexemes (plainto_tsquery would demand all of them: fewer hits still)
      const rows = await queryRows<{ id: string }>(database.db, sql`with q as (select nullif(replace(plainto_tsquery('simple', ${q})::text, '&', '|'), '')::tsquery as q)
        select id from bench_baseline, q where tenant_id = ${tenantId} and q.q is not null and tsv @@ q.q
        order by ts_rank(tsv, q.q) desc, id limit 10`);
      return rows.map((r) => r.id);
    },
  };
}

// ---------- loading ----------

async function company(database: Database, slug: string): Promise<Ctx> {
  const { tenant } = await createTenant(database.db, { slug, name: slug, adminEmail: `admin@${slug}.test`, adminName: 'Admin', adminPassword: 'bench-password-1' });
  return { db: database.db, tenantId: tenant.id, actor: SYSTEM, publicUrl: '' };
}

const faq = (question: string, answers: string[], paraphrases: string[], locale: 'zh-CN' | 'en'): ImportedArticle => ({
  kind: 'faq', title: question.trim() || '(空)', body: answers.map((a) => `<p>${escapeHtml(a)}</p>`).join(''), paraphrases: paraphrases.map((p) => p.trim()).filter(Boolean),
  locale, visibility: 'public', published: true,
});
const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The Chinese set: one company per domain (its FAQs + chit-chat). Fold f's queries are searched while
 * each FAQ holds only the paraphrases that are not in fold f.
 */
async function prepareZh(database: Database) {
  const dir = path.join(CORPORA, 'faq-zh-chatopera');
  const kb = readJsonl<ZhEntry>(path.join(dir, 'kb.jsonl')).filter((e) => e.enabled !== false);
  const queries = readJsonl<{ query: string; expected: string; domain: string }>(path.join(dir, 'queries.jsonl'));
  const chit = NO_CHITCHAT ? [] : kb.filter((e) => e.domain === '闲聊');
  const domains = [...new Set(queries.map((q) => q.domain))];
  // alternate within each FAQ, so both folds hold half of every FAQ's paraphrases
  const foldOf = new Map<string, number>();
  const seen = new Map<string, number>();
  const key = (id: string, q: string) => `${id}\u0000${q}`;
  for (const q of queries) { const n = seen.get(q.expected) ?? 0; foldOf.set(key(q.expected, q.query), n % 2); seen.set(q.expected, n + 1); }

  const companies: Array<{ domain: string; ctx: Ctx; faqIds: string[] }> = [];
  for (const [d, domain] of domains.entries()) {
    const ctx = await company(database, `zh-${d}`);
    await importArticles(ctx, chit.map((e) => faq(e.question, e.answers, e.similarQuestions, 'zh-CN')),
      (n) => process.stdout.write(`\r  loading zh: ${domain.padEnd(8, '　')} + chit-chat ${bar(d * chit.length + n, domains.length * chit.length)}`));
    companies.push({ domain, ctx, faqIds: [] });
  }
  process.stdout.write('\n');

  /** Swaps every company's FAQs for the ones of `fold`; returns that fold's cases. */
  async function loadFold(fold: number): Promise<Case[]> {
    const cases: Case[] = [];
    for (const c of companies) {
      for (const id of c.faqIds) await deleteArticle(c.ctx, id);
      const entries = kb.filter((e) => e.domain === c.domain);
      c.faqIds = await importArticles(c.ctx, entries.map((e) => faq(e.question, e.answers, e.similarQuestions.filter((p) => foldOf.get(key(e.id, p)) !== fold), 'zh-CN')));
      const idOf = new Map(entries.map((e, i) => [e.id, c.faqIds[i]]));
      for (const q of queries) if (q.domain === c.domain && foldOf.get(key(q.expected, q.query)) === fold) cases.push({ tenantId: c.ctx.tenantId, query: q.query, expected: idOf.get(q.expected)! });
    }
    return cases;
  }
  return { loadFold, total: queries.length };
}

/** The English set: one FAQ per intent from the even train rows; the odd rows are the queries. */
async function loadBanking(database: Database): Promise<Case[]> {
  const rows = readCsv(path.join(CORPORA, 'faq-en-banking77', 'train.csv'));
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of rows) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const ctx = await company(database, 'banking77');
  const intents = [...byIntent.keys()].sort();
  const readable = (i: string) => i.replace(/_/g, ' ');
  const ids = await importArticles(ctx, intents.map((i) => faq(readable(i), [], byIntent.get(i)!.filter((_, k) => k % 2 === 0), 'en')));
  const cases: Case[] = [];
  intents.forEach((i, n) => byIntent.get(i)!.forEach((q, k) => { if (k % 2 === 1) cases.push({ tenantId: ctx.tenantId, query: q, expected: ids[n] }); }));
  console.log(`  banking77: ${intents.length} entries, ${cases.length} queries`);
  return cases;
}

// ---------- the robot on CLINC150 ----------

interface ClincCase { query: string; expected: string | null; hits: RobotCandidate[] }
interface RobotRates { n: number; correct: number; wrong: number; suggested: number; suggestedRight: number; rephrase: number; handover: number }

/** Paraphrases per FAQ entry: about what a company writes by hand for one question. */
const CLINC_PARAPHRASES = 10;

async function loadClinc(database: Database): Promise<{ tenantId: string; idOf: Map<string, string>; data: Record<string, Array<[string, string]>> }> {
  const data = JSON.parse(fs.readFileSync(path.join(CORPORA, 'faq-en-clinc150', 'data.json'), 'utf8')) as Record<string, Array<[string, string]>>;
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of data.train) byIntent.set(intent, [...(byIntent.get(intent) ?? []), text]);
  const ctx = await company(database, 'clinc150');
  const intents = [...byIntent.keys()].sort();
  const ids = await importArticles(ctx, intents.map((i) => faq(i.replace(/_/g, ' '), [`About ${i.replace(/_/g, ' ')}.`], byIntent.get(i)!.slice(0, CLINC_PARAPHRASES), 'en')));
  console.log(`  clinc150: ${intents.length} entries of ${CLINC_PARAPHRASES} paraphrases`);
  return { tenantId: ctx.tenantId, idOf: new Map(intents.map((i, n) => [i, ids[n]])), data };
}

async function searchClinc(database: Database, tenantId: string, idOf: Map<string, string>, rows: Array<[string, string]>, label: string): Promise<ClincCase[]> {
  const out: ClincCase[] = [];
  for (let i = 0; i < rows.length; i++) {
    const [query, intent] = rows[i];
    out.push({ query, expected: intent === 'oos' ? null : idOf.get(intent)!, hits: await robotSearch(database.db, tenantId, query) });
    if (i % 50 === 0 || i === rows.length - 1) process.stdout.write(`\r  ${label.padEnd(40)} ${bar(i + 1, rows.length)}`);
  }
  process.stdout.write('\n');
  return out;
}

/** The robot's first reply to each question (no earlier misses), counted. */
function robotRates(cases: ClincCase[], thresholds: RobotThresholds, model = CONFIDENCE_MODEL): RobotRates {
  const r: RobotRates = { n: cases.length, correct: 0, wrong: 0, suggested: 0, suggestedRight: 0, rephrase: 0, handover: 0 };
  for (const c of cases) {
    const d = decideRobotReply({ text: c.query, hits: c.hits, thresholds, misses: 0 }, model);
    if (d.kind === 'answer') { if (d.articleId === c.expected) r.correct++; else r.wrong++; } else if (d.kind === 'suggest') {
      r.suggested++;
      if (c.expected && d.articleIds.includes(c.expected)) r.suggestedRight++;
    } else if (d.kind === 'rephrase') r.rephrase++;
    else r.handover++;
  }
  return r;
}

const pc = (x: number, n: number) => `${((x / Math.max(n, 1)) * 100).toFixed(1)} %`;

function printRobotRates(title: string, inScope: RobotRates, oos: RobotRates, t: RobotThresholds) {
  console.log(`\n${title}\nthresholds: answer ${t.answer}, suggest ${t.suggest}, hand-over floor ${t.floor}`);
  console.log(`  in scope (${inScope.n}):      answered correctly ${pc(inScope.correct, inScope.n)}, answered wrongly ${pc(inScope.wrong, inScope.n)}, ` +
    `suggested ${pc(inScope.suggested, inScope.n)} (right one among them ${pc(inScope.suggestedRight, inScope.suggested)}), ` +
    `asked to rephrase ${pc(inScope.rephrase, inScope.n)}, handed over ${pc(inScope.handover, inScope.n)}`);
  console.log(`  out of scope (${oos.n}):  handed over ${pc(oos.handover, oos.n)}, asked to rephrase ${pc(oos.rephrase, oos.n)}, ` +
    `suggested ${pc(oos.suggested, oos.n)}, answered ${pc(oos.wrong, oos.n)}`);
}

/**
 * Logistic regression of "the top hit is right" on the confidence features (standardized, batch
 * gradient descent). Out-of-scope questions weigh OOS_WEIGHT each: CLINC holds 100 of them to 1,500
 * in-scope ones, a chat robot meets them far more often.
 */
const OOS_WEIGHT = 5;
function fitConfidence(cases: ClincCase[]): typeof CONFIDENCE_MODEL {
  const xs: number[][] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const c of cases) {
    const f = confidenceFeatures(c.hits);
    if (!f) continue;
    xs.push([f.score, f.margin, f.coverage]);
    ys.push(c.hits[0].articleId === c.expected ? 1 : 0);
    ws.push(c.expected ? 1 : OOS_WEIGHT);
  }
  const total = ws.reduce((a, b) => a + b, 0);
  const mean = [0, 1, 2].map((j) => xs.reduce((s, x) => s + x[j], 0) / xs.length);
  const sd = [0, 1, 2].map((j) => Math.sqrt(xs.reduce((s, x) => s + (x[j] - mean[j]) ** 2, 0) / xs.length) || 1);
  const z = xs.map((x) => x.map((v, j) => (v - mean[j]) / sd[j]));
  let w = [0, 0, 0];
  let b = 0;
  for (let it = 0; it < 3000; it++) {
    const g = [0, 0, 0];
    let gb = 0;
    for (let i = 0; i < z.length; i++) {
      const p = 1 / (1 + Math.exp(-(b + w[0] * z[i][0] + w[1] * z[i][1] + w[2] * z[i][2])));
      const e = (p - ys[i]) * ws[i];
      for (let j = 0; j < 3; j++) g[j] += e * z[i][j];
      gb += e;
    }
    w = w.map((v, j) => v - (0.5 * g[j]) / total);
    b -= (0.5 * gb) / total;
  }
  // back to raw features
  const raw = w.map((v, j) => v / sd[j]);
  const bias = b - raw.reduce((s, v, j) => s + v * mean[j], 0);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { bias: r2(bias), score: r2(raw[0]), margin: r2(raw[1]), coverage: r2(raw[2]) };
}

async function benchRobot(database: Database) {
  const { tenantId, idOf, data } = await loadClinc(database);
  if (FIT) {
    // training examples 50–59 of each intent (0–9 are the entries' paraphrases)
    const seen = new Map<string, number>();
    const picked: Array<[string, string]> = [];
    for (const row of data.train) { const n = seen.get(row[1]) ?? 0; seen.set(row[1], n + 1); if (n >= 50 && n < 60) picked.push(row); }
    const cal = await searchClinc(database, tenantId, idOf, picked, 'clinc calibration (in scope)');
    const calOos = await searchClinc(database, tenantId, idOf, data.oos_train, 'clinc calibration (out of scope)');
    const model = fitConfidence([...cal, ...calOos]);
    console.log(`\nfitted confidence model: ${JSON.stringify(model)} (in use: ${JSON.stringify(CONFIDENCE_MODEL)})`);
    console.log('answer  suggest  floor | in: correct  wrong  suggested(right)  rephrase  handover | oos: handover+rephrase  suggested  answered');
    for (const answer of [0.4, 0.5, 0.6, 0.7, 0.8]) {
      for (const suggest of [0.2, 0.3, 0.4, 0.5]) {
        if (suggest > answer) continue;
        const t = { answer, suggest, floor: suggest };
        const a = robotRates(cal, t, model);
        const o = robotRates(calOos, t, model);
        console.log(`${answer.toFixed(2).padStart(6)}  ${suggest.toFixed(2).padStart(7)}  ${suggest.toFixed(2).padStart(5)} |     ${pc(a.correct, a.n).padStart(7)} ${pc(a.wrong, a.n).padStart(6)}  ${pc(a.suggested, a.n).padStart(7)}(${pc(a.suggestedRight, a.suggested)})  ${pc(a.rephrase, a.n).padStart(7)}  ${pc(a.handover, a.n).padStart(7)} |      ${pc(o.handover + o.rephrase, o.n).padStart(7)}  ${pc(o.suggested, o.n).padStart(7)}  ${pc(o.wrong, o.n).padStart(7)}`);
      }
    }
  }
  const held = await searchClinc(database, tenantId, idOf, data.val.filter((_, i) => i % 2 === 0), 'clinc held-out (in scope)');
  const oos = await searchClinc(database, tenantId, idOf, data.oos_val, 'clinc out of scope');
  printRobotRates('faq-en-clinc150: the chat robot\'s first reply (robot-decision.ts defaults)', robotRates(held, DEFAULT_ROBOT_THRESHOLDS), robotRates(oos, DEFAULT_ROBOT_THRESHOLDS), DEFAULT_ROBOT_THRESHOLDS);
}

// ---------- scale ----------

async function loadScale(database: Database, n: number): Promise<Ctx> {
  const zh = readJsonl<ZhEntry>(path.join(CORPORA, 'faq-zh-chatopera', 'kb.jsonl'));
  const en = readCsv(path.join(CORPORA, 'faq-en-banking77', 'train.csv')).map((r) => r[0]);
  const ctx = await company(database, 'scale');
  // a fixed pseudo-random sequence: the same knowledge base every run
  let seed = 42;
  const rnd = () => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed / 2 ** 31; };
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const batch = 5_000;
  const t0 = Date.now();
  for (let done = 0; done < n;) {
    const items: ImportedArticle[] = [];
    for (let i = 0; i < Math.min(batch, n - done); i++) {
      const english = rnd() < 0.25;
      if (english) {
        const title = `${pick(en)} ${pick(en).split(' ').slice(0, 4).join(' ')}`;
        items.push({ kind: 'faq', title, body: `<p>${escapeHtml(pick(en))} ${escapeHtml(pick(en))}</p>`, paraphrases: Array.from({ length: Math.floor(rnd() * 4) }, () => pick(en)), locale: 'en', visibility: 'public', published: true });
      } else {
        const a = pick(zh); const b = pick(zh); const c = pick(zh); const d = pick(zh);
        const title = `${a.question}${b.question.slice(0, Math.ceil(b.question.length / 2))}`;
        const paraphrases = Array.from({ length: Math.floor(rnd() * 4) }, () => pick(zh).question);
        items.push({ kind: rnd() < 0.5 ? 'faq' : 'article', title, body: `<p>${escapeHtml(c.answers[0] ?? '')}</p><p>${escapeHtml(d.answers[0] ?? '')}</p>`, paraphrases, locale: 'zh-CN', visibility: 'public', published: true });
      }
    }
    await importArticles(ctx, items);
    done += items.length;
    process.stdout.write(`\r  loading ${n.toLocaleString()} synthetic articles ${bar(done, n)}  ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  process.stdout.write('\n');
  await database.db.execute(sql`analyze kb_articles`);
  await database.db.execute(sql`analyze kb_terms`);
  return ctx;
}

/** V8's sampling CPU profiler over this process, from now until stop(file). */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  CPU profile of the fuzzy searches: ${file}`);
    },
  };
}

// ---------- main ----------

async function main() {
  if (!fs.existsSync(path.join(CORPORA, 'faq-zh-chatopera')) || !fs.existsSync(path.join(CORPORA, 'faq-en-banking77'))) {
    console.error(`SKIPPED: the corpora are not at ${CORPORA} (faq-zh-chatopera, faq-en-banking77)`);
    process.exit(2);
  }
  let pg: PostgresServer | undefined;
  const open = async () => {
    pg ??= await startPostgres();
    return openDatabase({ url: pg.url, poolSize: 2 });
  };
  try {
    // ----- recall -----
    const database = ON_PG ? await open() : await openDatabase({});
    console.log(`recall on ${database.kind === 'pglite' ? 'PGlite (embedded, the default)' : 'PostgreSQL'}`);
    missDb = database;
    const engines = MISSES ? [kefu(database, 'fuzzy')] : [kefu(database, 'fuzzy'), kefu(database, 'any'), ilike(database), simpleFts(database)];
    if (RUN_ZH) {
      const t0 = Date.now();
      const zh = await prepareZh(database);
      console.log(`  loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const zhRuns = new Map<string, Run[]>(engines.map((e) => [e.name, []]));
      for (const fold of [0, 1]) {
        const cases = await zh.loadFold(fold);
        await buildBaselineTable(database);
        for (const e of engines) zhRuns.get(e.name)!.push(await run(e, cases, `zh fold ${fold + 1} · ${e.name}`));
      }
      table('faq-zh-chatopera (aim: Kefu Recall@5 >= 0.90)', engines.map((e) => [e.name, score(zhRuns.get(e.name)!)]),
        `${zh.total} queries, each a held-out paraphrase (two folds); ${NO_CHITCHAT ? 'each domain alone (--no-chitchat)' : "each domain's company also holds 6,897 chit-chat entries"}`);
    }
    if (RUN_EN) {
      const banking = (await loadBanking(database)).filter((_, i) => i % EVERY === 0);
      await buildBaselineTable(database);
      const enRows: Array<[string, Score]> = [];
      for (const e of engines) enRows.push([e.name, score([await run(e, banking, `banking77 · ${e.name}`)])]);
      table('faq-en-banking77 (aim: Kefu Recall@5 >= 0.85)', enRows, `${banking.length} queries (odd train rows${EVERY > 1 ? `, every ${EVERY}th` : ''}) against 77 entries built from the even rows`);
    }
    if (RUN_CLINC) {
      if (fs.existsSync(path.join(CORPORA, 'faq-en-clinc150'))) await benchRobot(database);
      else console.log(`\nSKIPPED the robot on CLINC150: ${path.join(CORPORA, 'faq-en-clinc150')} is missing`);
    }
    await database.close();

    // ----- scale -----
    if (SCALE > 0) {
      const big = await open();
      console.log(`\nscale: ${SCALE.toLocaleString()} articles in one company on PostgreSQL`);
      const ctx = await loadScale(big, SCALE);
      await buildBaselineTable(big);
      const zhQueries = readJsonl<{ query: string }>(path.join(CORPORA, 'faq-zh-chatopera', 'queries.jsonl')).map((q) => q.query);
      const bankingRows = readCsv(path.join(CORPORA, 'faq-en-banking77', 'train.csv'));
      const enQueries = bankingRows.filter((_, i) => i % 7 === 1).map((r) => r[0]);
      const mixed = Array.from({ length: RUNS }, (_, i) => (i % 2 ? enQueries[i % enQueries.length] : zhQueries[i % zhQueries.length]));
      const cases = mixed.map((query) => ({ tenantId: ctx.tenantId, query, expected: '' }));
      const rows: Array<[string, Score]> = [];
      // The first searches of new database connections are slower: a PostgreSQL backend faults in
      // each shared buffer the first time it reads it. Timed once like that, then after WARM_UP other
      // searches (corpus questions and banking77 rows that are not among the timed queries), as a
      // node that has been answering for a while.
      rows.push(['Kefu (fuzzy), cold', score([await run(kefu(big, 'fuzzy'), cases, 'scale · Kefu (fuzzy) on new connections')])]);
      const warmZh = readJsonl<ZhEntry>(path.join(CORPORA, 'faq-zh-chatopera', 'kb.jsonl')).map((e) => e.question);
      const warmEn = bankingRows.filter((_, i) => i % 7 === 3).map((r) => r[0]);
      const warm = Array.from({ length: WARM_UP }, (_, i) => ({ tenantId: ctx.tenantId, query: i % 2 ? warmEn[i % warmEn.length] : warmZh[(i * 13) % warmZh.length], expected: '' }));
      if (warm.length) await run(kefu(big, 'fuzzy'), warm, `scale · warm-up, ${WARM_UP} other searches`);
      const phases: SearchPhases[] = [];
      const listen = (p: unknown) => { if ((p as SearchPhases).mode === 'fuzzy') phases.push(p as SearchPhases); };
      // garbage collection's pauses, to tell a slow search from one that a collection interrupted
      const gcs: Array<{ start: number; ms: number; major: boolean }> = [];
      const gcObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration, major: ((e as PerformanceEntry & { detail?: { kind?: number } }).detail)?.kind !== constants.NODE_PERFORMANCE_GC_MINOR });
      });
      if (SLOWEST) { searchPhasesChannel.subscribe(listen); gcObserver.observe({ entryTypes: ['gc'] }); }
      for (const e of [kefu(big, 'fuzzy'), kefu(big, 'any'), kefu(big, 'exact'), ilike(big), simpleFts(big)]) {
        const profiling = PROFILE && e.name === 'Kefu (fuzzy)' ? await startProfile() : null;
        rows.push([e.name, score([await run(e, cases, `scale · ${e.name}`)])]);
        if (profiling) await profiling.stop(PROFILE!);
      }
      if (SLOWEST) {
        searchPhasesChannel.unsubscribe(listen);
        gcObserver.disconnect();
        const total = (p: SearchPhases) => p.understandMs + p.candidatesMs + p.rankMs + p.pageMs;
        const during = (g: { start: number }, p: SearchPhases) => g.start >= p.startedAt && g.start < p.startedAt + total(p);
        const gcIn = (p: SearchPhases) => gcs.filter((g) => during(g, p)).reduce((s, g) => s + g.ms, 0);
        const f = (x: number) => x.toFixed(1).padStart(6);
        console.log('\nKefu (fuzzy), ms per phase:  understanding  candidates  ranking  page  (of which GC)');
        for (const [name, q] of [['p50', 0.5], ['p95', 0.95]] as const) {
          console.log(`  ${name}${' '.repeat(24)}${f(pct(phases.map((p) => p.understandMs), q))}${f(pct(phases.map((p) => p.candidatesMs), q))}${f(pct(phases.map((p) => p.rankMs), q))}${f(pct(phases.map((p) => p.pageMs), q))}${f(pct(phases.map(gcIn), q))}`);
        }
        const fuzzyGc = gcs.filter((g) => phases.some((p) => during(g, p)));
        for (const [kind, list] of [['young-generation', fuzzyGc.filter((g) => !g.major)], ['other', fuzzyGc.filter((g) => g.major)]] as const) {
          console.log(`  ${kind} GC during the fuzzy searches: ${list.length} pauses, ${list.reduce((s, g) => s + g.ms, 0).toFixed(0)} ms in all, longest ${Math.max(0, ...list.map((g) => g.ms)).toFixed(1)} ms`);
        }
        console.log(`\nslowest ${SLOWEST} Kefu (fuzzy) searches: ms in understanding / candidates (rows) / ranking / the page / GC within`);
        for (const p of phases.sort((a, b) => total(b) - total(a)).slice(0, SLOWEST)) {
          console.log(`${f(total(p))} =${f(p.understandMs)}${f(p.candidatesMs)} (${String(p.candidates).padStart(3)})${f(p.rankMs)}${f(p.pageMs)}${f(gcIn(p))}  ${JSON.stringify(p.q)}`);
        }
      }
      console.log(`\n${SCALE.toLocaleString()} articles, ${RUNS} queries (half Chinese paraphrases, half banking77 questions); latency only (aim: Kefu p95 < 20 ms)`);
      console.log(`"cold": the same queries first, on new database connections; the others after ${WARM_UP.toLocaleString()} other searches`);
      const head = ['engine', 'p50 ms', 'p95 ms'];
      for (const r of [head, ...rows.map(([n, s]) => [n, s.p50.toFixed(1), s.p95.toFixed(1)])]) console.log(`${r[0].padEnd(24)}${r[1].padStart(8)}${r[2].padStart(8)}`);
      await big.close();
    }
    console.log(`\nmemory ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await pg?.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
