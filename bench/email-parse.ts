/**
 * Email parsing speed over the shared corpora: every mail parsed N times, one after another, by
 *   - baseline: mailparser's simpleParser alone (what any Node mail app starts from), and
 *   - ours: parseMail (raw repairs + parse + sanitize + text) → detectAuto → foldQuotes → threadHints.
 * Prints mails/s and p50/p99/max per mail for each, from the same run on the same files, rounds interleaved.
 *
 *   node --import tsx bench/email-parse.ts                 # 3 rounds over all email corpora
 *   options: --rounds 5   --corpus email-zammad,email-bounces-sisimai
 *
 * Corpora are read from ../shared/corpora (or KEFU_CORPORA); missing ones are reported and skipped.
 * Rejections (too large, too complex, timeout) are counted, never hidden in the timings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { parseMail } from '../src/channels/email/parse-mail.ts';
import { detectAuto } from '../src/channels/email/detect-auto.ts';
import { foldQuotes } from '../src/channels/email/fold-quotes.ts';
import { threadHints } from '../src/channels/email/thread-hints.ts';
import { CORPORA, corpusFiles } from '../src/channels/email/test-corpora.ts';

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(`--${name}`); return i === -1 ? undefined : args[i + 1]; };
const rounds = Number(arg('rounds') ?? 3);
const corpora = (arg('corpus') ?? 'email-zammad,email-bounces-sisimai,email-mikel-mail-fixtures,email-mailparser-fixtures').split(',');

const mails: Array<{ name: string; raw: Buffer }> = [];
for (const c of corpora) {
  const dir = path.join(CORPORA, c);
  if (!fs.existsSync(dir)) { console.log(`!! corpus ${c} not found at ${dir}: skipped`); continue; }
  for (const f of corpusFiles(dir, (n) => /\.(?:eml|box)$/.test(n) || !n.includes('.'))) mails.push({ name: path.relative(CORPORA, f), raw: fs.readFileSync(f) });
}
if (!mails.length) { console.log('no mails found: nothing to measure'); process.exit(1); }
const bytes = mails.reduce((n, m) => n + m.raw.length, 0);
console.log(`${mails.length} mails, ${(bytes / 1e6).toFixed(1)} MB, ${rounds} round(s) each; node ${process.version}`);

interface Result { label: string; perMail: number[]; totalMs: number; rejected: number }
interface Variant { label: string; run: (raw: Buffer) => Promise<boolean> }

/** Rounds interleave the variants (A, B, C, A, B, C …) so none of them gets a warmer JIT or a calmer machine. */
async function measure(variants: Variant[]): Promise<Result[]> {
  for (const v of variants) for (const m of mails.slice(0, 20)) await v.run(m.raw); // warm up
  const results = variants.map((v) => ({ label: v.label, perMail: [] as number[], totalMs: 0, rejected: 0 }));
  for (let r = 0; r < rounds; r++) {
    for (const [i, v] of variants.entries()) {
      const started = performance.now();
      for (const m of mails) {
        const t = performance.now();
        if (!(await v.run(m.raw))) results[i].rejected++;
        results[i].perMail.push(performance.now() - t);
      }
      results[i].totalMs += performance.now() - started;
    }
  }
  return results;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function report(r: Result) {
  const s = [...r.perMail].sort((a, b) => a - b);
  const rate = (r.perMail.length / r.totalMs) * 1000;
  console.log(`${r.label.padEnd(44)} ${rate.toFixed(0).padStart(6)} mails/s   p50 ${pct(s, 50).toFixed(2).padStart(6)} ms   p99 ${pct(s, 99).toFixed(2).padStart(7)} ms   max ${s[s.length - 1].toFixed(1).padStart(7)} ms   rejected ${r.rejected / rounds}`);
  return rate;
}

const [baseline, ours, parseOnly] = await measure([
  { label: 'baseline: mailparser simpleParser', run: async (raw) => { await simpleParser(raw); return true; } },
  {
    label: 'ours: parse+repair+sanitize+detect+fold+hints',
    run: async (raw) => {
      const r = await parseMail(raw);
      if (!r.ok) return false;
      detectAuto(r.mail);
      foldQuotes(r.mail.text);
      threadHints(r.mail);
      return true;
    },
  },
  { label: 'ours: parseMail only', run: async (raw) => (await parseMail(raw)).ok },
]);

console.log('');
const b = report(baseline);
const o = report(ours);
report(parseOnly);
console.log(`\nours runs at ${((o / b) * 100).toFixed(0)}% of the baseline's rate; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
const slowest = mails.map((m, i) => ({ name: m.name, ms: ours.perMail[i] })).sort((x, y) => y.ms - x.ms).slice(0, 3);
console.log(`slowest (ours, first round): ${slowest.map((s) => `${s.name} ${s.ms.toFixed(1)} ms`).join(', ')}`);
