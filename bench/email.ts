/**
 * Email intake end to end: 2,000 mails waiting in a real Dovecot mailbox are fetched over IMAP, stored
 * raw, parsed, deduped, checked for bounces and auto-replies, threaded and turned into tickets and
 * replies by a Kefu node (its event subscribers running alongside, as in production). In the same run,
 * on the same mails: the rate of parsing alone (parseMail → detectAuto → foldQuotes → threadHints) and
 * of fetching alone (IMAP, sources into memory), so the figure says where the time goes.
 *
 *   node --import tsx bench/email.ts                   # PostgreSQL (throwaway cluster; needs Debian's postgresql)
 *   node --import tsx bench/email.ts --pglite          # embedded PGlite (a data directory, as installed)
 *   options: --mails 2000   --mailboxes 1 (split the mails over several mailboxes, fetched side by side)
 *            --replies 300 (outbound: agents' replies sent through the queue to a local SMTP relay; 0 = skip)
 *
 * The mix: 80% new mails (Chinese and English, text and HTML, a fifth with an attachment), 15% replies
 * threaded by In-Reply-To to earlier ones, 5% bounces and auto-replies. The run checks the outcome
 * (tickets, replies, ignored) so an error cannot pass for speed. For scale (from the issue): osTicket's
 * mail pipe manages about 3.5 mails/s.
 *
 * Outbound, in the same run: agents answer tickets over the HTTP API; each reply becomes a send record
 * and a job sends it (Message-ID, In-Reply-To, References, signature) through the mailbox's SMTP server,
 * a local relay. Baseline: the same number of mails sent straight with nodemailer to the same relay.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { openDatabase, queryRows } from '../src/db/client.ts';
import { loadConfig } from '../src/server/config.ts';
import { startKefu } from '../src/server/kefu.ts';
import { createTenant } from '../src/modules/tenants/tenants.service.ts';
import { fileStoreFor } from '../src/modules/attachments/file-store.ts';
import { mailboxes } from '../src/channels/email/email.schema.ts';
import { claimMailboxes, runMailbox } from '../src/channels/email/mail-runner.ts';
import { lanesFor } from '../src/channels/email/ingest-mail.ts';
import { parseMail } from '../src/channels/email/parse-mail.ts';
import { detectAuto } from '../src/channels/email/detect-auto.ts';
import { foldQuotes } from '../src/channels/email/fold-quotes.ts';
import { threadHints } from '../src/channels/email/thread-hints.ts';
import { startDovecot } from '../src/testing/dovecot-server.ts';
import { startPostgres } from '../src/testing/postgres-server.ts';
import { bounceMail, MAILBOX_PASSWORD, newMessageId, rawMail } from '../src/testing/mail-fixtures.ts';
import { startSmtpRelay } from '../src/testing/smtp-relay.ts';
import nodemailer from 'nodemailer';

const args = process.argv.slice(2);
const arg = (name: string) => { const i = args.indexOf(`--${name}`); return i === -1 ? undefined : args[i + 1]; };
const total = Number(arg('mails') ?? 2000);
const boxes = Number(arg('mailboxes') ?? 1);
const usePglite = args.includes('--pglite');
const replies = Number(arg('replies') ?? 300);
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const ZH = ['宽带无法上网', '发票抬头错误', '退款进度查询', '光猫 LOS 灯红色闪烁', '套餐变更咨询', '账单金额有疑问'];
const EN = ['Order not delivered', 'Invoice copy please', 'Cannot log in', 'Refund status', 'Change my plan', 'Router keeps rebooting'];
const attachment = Buffer.alloc(24 * 1024, 'log line 42: connection reset by peer\n');

/** One mailbox's mails: new ones first, then (with higher UIDs) the replies and machine mail that refer to them. */
function mailsFor(box: number, count: number): { first: Buffer[]; later: Buffer[]; expect: { tickets: number; replies: number; ignored: number } } {
  const nNew = Math.round(count * 0.8);
  const nAuto = Math.round(count * 0.05);
  const nReply = count - nNew - nAuto;
  const ids: string[] = [];
  const first: Buffer[] = [];
  for (let i = 0; i < nNew; i++) {
    const id = newMessageId('customer.test');
    ids.push(id);
    const zh = i % 2 === 0;
    const subject = `${zh ? ZH[i % ZH.length] : EN[i % EN.length]} #${box}-${i}`;
    const from = `${zh ? '"客户' + i + '"' : '"Customer ' + i + '"'} <c${box}-${i % 700}@customer.test>`;
    if (i % 5 === 0) {
      const b = `b-${i}`;
      first.push(Buffer.from([
        `From: ${from}`, `To: support${box}@bench.test`, `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`, `Message-ID: ${id}`,
        `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${b}"`, '',
        `--${b}`, 'Content-Type: text/html; charset=UTF-8', '', `<div><p>${zh ? '您好，附件是路由器日志，请帮忙看看。' : 'Hello, the router log is attached.'}</p><p style="color:red">Thanks</p></div>`, '',
        `--${b}`, 'Content-Type: text/plain; name="router.log"', 'Content-Disposition: attachment; filename="router.log"', 'Content-Transfer-Encoding: base64', '',
        attachment.toString('base64').replace(/.{76}/g, '$&\r\n'), `--${b}--`, '',
      ].join('\r\n')));
    } else {
      first.push(rawMail({ from, to: `support${box}@bench.test`, messageId: id, subject,
        body: zh ? `您好，${subject}，从昨天开始就这样了，麻烦尽快处理。\n\n-- \n${'客户'}${i}\n发自我的 iPhone` : `Hello,\n\n${subject}: it started yesterday. Please help.\n\nThanks,\nCustomer ${i}` }));
    }
  }
  const later: Buffer[] = [];
  for (let i = 0; i < nReply; i++) {
    const to = (i * 7) % nNew;
    later.push(rawMail({ from: `c${box}-${to % 700}@customer.test`, to: `support${box}@bench.test`, subject: `Re: follow-up ${i}`, inReplyTo: ids[to], references: [ids[to]],
      body: `Any news?\n\nOn Mon, 3 Mar 2025 at 10:00, Support <support${box}@bench.test> wrote:\n> We are looking into it.` }));
  }
  for (let i = 0; i < nAuto; i++) {
    later.push(i % 2 ? bounceMail(ids[i], `gone${i}@customer.test`)
      : rawMail({ from: `c${box}-${i}@customer.test`, subject: 'Automatic reply: out of office', headers: ['Auto-Submitted: auto-replied'], body: 'I am away until Monday.' }));
  }
  return { first, later, expect: { tickets: nNew, replies: nReply, ignored: nAuto } };
}

async function main() {
  console.log(`email intake: ${fmt(total)} mails in ${boxes} mailbox(es), ${usePglite ? 'embedded PGlite (data directory)' : 'PostgreSQL'}; node ${process.version}, ${os.cpus().length} cores`);
  const dovecot = await startDovecot();
  const pgServer = usePglite ? null : await startPostgres();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-email-'));
  const database = await openDatabase(pgServer ? { url: pgServer.url, poolSize: 20 } : { dataDir: path.join(dataDir, 'pglite') });
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: false, defaultTenant: 'bench', dataDir, mailFetch: false, ...(pgServer ? { databaseUrl: pgServer.url } : {}) });
  const kefu = await startKefu({ config, database, logger: false });
  try {
    const { tenant } = await createTenant(database.db, { slug: 'bench', name: 'Bench', adminEmail: 'admin@bench.test', adminName: 'Admin', adminPassword: 'bench-password-1' });
    const expect = { tickets: 0, replies: 0, ignored: 0 };
    const all: Buffer[] = [];
    for (let b = 0; b < boxes; b++) {
      const address = `support${b}@bench.test`;
      dovecot.addUser(address, MAILBOX_PASSWORD);
      const m = mailsFor(b, Math.floor(total / boxes) + (b < total % boxes ? 1 : 0));
      dovecot.drop(address, m.first);
      dovecot.assignUids(address);
      dovecot.drop(address, m.later);
      dovecot.assignUids(address);
      all.push(...m.first, ...m.later);
      expect.tickets += m.expect.tickets; expect.replies += m.expect.replies; expect.ignored += m.expect.ignored;
      await database.db.insert(mailboxes).values({ tenantId: tenant.id, name: `Support ${b}`, address, protocol: 'imap', host: dovecot.host, port: dovecot.imapPort, tls: 'none', username: address, password: MAILBOX_PASSWORD });
    }
    const mb = (all.reduce((n, r) => n + r.length, 0) / 1e6).toFixed(1);
    console.log(`${fmt(all.length)} mails (${mb} MB) waiting in Dovecot: ${fmt(expect.tickets)} new, ${fmt(expect.replies)} replies, ${fmt(expect.ignored)} bounces/auto-replies`);

    // 1. fetching alone: IMAP, every source into memory (no database)
    let t0 = performance.now();
    for (let b = 0; b < boxes; b++) {
      const c = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, auth: { user: `support${b}@bench.test`, pass: MAILBOX_PASSWORD }, logger: false });
      await c.connect();
      await c.mailboxOpen('INBOX');
      for await (const m of c.fetch('1:*', { uid: true, source: true }, { uid: true })) void m.source;
      await c.logout();
    }
    const fetchMs = performance.now() - t0;

    // 2. parsing alone, on the same bytes
    t0 = performance.now();
    for (const raw of all) {
      const p = await parseMail(raw);
      if (p.ok) { detectAuto(p.mail); foldQuotes(p.mail.text); threadHints(p.mail); }
    }
    const parseMs = performance.now() - t0;

    // 3. end to end: what a node's scheduler does, every mailbox side by side
    const deps = { db: database.db, files: fileStoreFor(config), lanes: lanesFor(database.kind), log: (msg: string, extra: Record<string, unknown>) => console.log(`  ! ${msg} ${JSON.stringify(extra)}`) };
    t0 = performance.now();
    const claimed = await claimMailboxes(database.db, 'bench/1', { limit: boxes });
    const results = await Promise.all(claimed.map((m) => runMailbox(deps, m, { owner: 'bench/1', idle: false })));
    const e2eMs = performance.now() - t0;
    for (const r of results) if (!r.ok) throw new Error(`a mailbox failed: ${r.error}`);
    await kefu.worker.drain();
    const settledMs = performance.now() - t0;

    const [c] = await queryRows<{ tickets: number; messages: number; ingested: number; ignored: number; other: number }>(database.db, sql`
      select (select count(*)::int from tickets) as tickets, (select count(*)::int from messages where channel = 'email') as messages,
             (select count(*)::int from inbound_mails where status = 'ingested') as ingested,
             (select count(*)::int from inbound_mails where status = 'ignored_auto') as ignored,
             (select count(*)::int from inbound_mails where status not in ('ingested', 'ignored_auto')) as other`);
    const ok = c.tickets === expect.tickets && c.messages === expect.tickets + expect.replies && c.ignored === expect.ignored && c.other === 0;
    console.log(`outcome: ${fmt(c.tickets)} tickets, ${fmt(c.messages - c.tickets)} replies threaded, ${fmt(c.ignored)} ignored, ${c.other} other ${ok ? '(as expected)' : '!! NOT AS EXPECTED'}`);
    const rate = (ms: number) => all.length / (ms / 1000);
    console.log('');
    console.log(`  end to end (IMAP fetch → raw stored → pipeline → tickets): ${fmt(rate(e2eMs), 1)} mails/s  (${fmt(e2eMs / 1000, 1)} s)`);
    console.log(`    + event subscribers drained (SLA, assignment, automation…): ${fmt(rate(settledMs), 1)} mails/s  (${fmt(settledMs / 1000, 1)} s)`);
    console.log(`  parsing alone (same mails):                                 ${fmt(rate(parseMs), 1)} mails/s  (${fmt(parseMs / 1000, 1)} s)`);
    console.log(`  fetching alone (IMAP, same mails):                          ${fmt(rate(fetchMs), 1)} mails/s  (${fmt(fetchMs / 1000, 1)} s)`);
    console.log(`  end to end vs osTicket's mail pipe (3.5 mails/s): ${fmt(rate(e2eMs) / 3.5, 1)}x`);
    if (!ok) process.exitCode = 1;
    if (replies > 0) await benchOutbound(kefu, database);
  } finally {
    await kefu.close();
    await database.close();
    await pgServer?.stop();
    await dovecot.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Agents' replies → send records → the send job → a local SMTP relay; and the same mails sent straight, as the baseline. */
async function benchOutbound(kefu: Awaited<ReturnType<typeof startKefu>>, database: Awaited<ReturnType<typeof openDatabase>>) {
  const relay = await startSmtpRelay();
  try {
    await database.db.update(mailboxes).set({ smtpMode: 'custom', smtpHost: relay.host, smtpPort: relay.port, smtpTls: 'none', signatureEn: 'Bench Support', signatureZh: '客服中心' });
    const host = 'bench.localhost';
    const login = await kefu.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { host, 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'admin@bench.test', password: 'bench-password-1' }) });
    const cookie = `kefu_session=${login.cookies.find((c) => c.name === 'kefu_session')!.value}`;
    const csrf = login.json().csrfToken as string;
    const ids = (await queryRows<{ id: string }>(database.db, sql`select id from tickets order by number limit ${replies}`)).map((r) => r.id);
    const before = relay.received.length;
    const t0 = performance.now();
    for (const [i, id] of ids.entries()) {
      const res = await kefu.app.inject({
        method: 'POST', url: `/api/v1/tickets/${id}/messages`, headers: { host, cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        payload: JSON.stringify({ body: i % 2 ? `Hello, this is reply ${i}: your request is being handled.` : `您好，第 ${i} 号回复：您的问题正在处理中。`, visibility: 'public' }),
      });
      if (res.statusCode !== 201) throw new Error(`reply failed: ${res.statusCode} ${res.body}`);
    }
    const postedMs = performance.now() - t0;
    await kefu.worker.drain();
    const sentMs = performance.now() - t0;
    const [o] = await queryRows<{ sent: number; other: number }>(database.db, sql`
      select count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status <> 'sent')::int as other from outbound_mails where kind = 'reply'`);
    const delivered = relay.received.length - before;
    const ok = o.sent === ids.length && o.other === 0 && delivered === ids.length;

    // baseline: the same number of mails straight to the relay, one after another, one pooled connection
    const direct = nodemailer.createTransport({ host: relay.host, port: relay.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1 });
    const t1 = performance.now();
    for (let i = 0; i < ids.length; i++) await direct.sendMail({ from: 'support0@bench.test', to: 'customer@customer.test', subject: `Re: baseline ${i}`, text: 'Hello, your request is being handled.\n\n-- \nBench Support\n' });
    const directMs = performance.now() - t1;
    direct.close();

    const rate = (ms: number) => ids.length / (ms / 1000);
    console.log('');
    console.log(`outbound: ${fmt(ids.length)} agent replies → ${fmt(o.sent)} sent, ${fmt(delivered)} accepted by the relay ${ok ? '(as expected)' : '!! NOT AS EXPECTED'}`);
    console.log(`  replies posted (HTTP, send records + events written):        ${fmt(rate(postedMs), 1)} replies/s  (${fmt(postedMs / 1000, 1)} s)`);
    console.log(`  posted → all sent through the queue to the relay:           ${fmt(rate(sentMs), 1)} replies/s  (${fmt(sentMs / 1000, 1)} s)`);
    console.log(`  baseline, the same mails straight to the relay (nodemailer): ${fmt(rate(directMs), 1)} mails/s  (${fmt(directMs / 1000, 1)} s)`);
    console.log(`  queue end to end vs straight sending: ${fmt(rate(sentMs) / rate(directMs), 2)}x`);
    if (!ok) process.exitCode = 1;
  } finally {
    await relay.close();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
