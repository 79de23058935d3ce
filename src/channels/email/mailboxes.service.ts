import crypto from 'node:crypto';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { CheckCode, MailboxCheck, MailboxInput, MailboxPatch, MailboxView, TlsMode } from '../../contracts/email.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import type { Ctx } from '../../modules/context.ts';
import { departments } from '../../modules/staff/staff.schema.ts';
import { findOwned, inTenant } from '../../modules/tenant-scope.ts';
import { CHECK_TEXT, classifyConnectError } from './connect-errors.ts';
import { inboundMails, mailboxes, type Mailbox } from './email.schema.ts';
import type { PipelineDeps } from './ingest-mail.ts';
import { checkServer } from './mail-server.ts';
import { claimMailboxes, MAIL_CHANNEL, runMailbox } from './mail-runner.ts';
import { smtpErrorText } from './outbound-compose.ts';
import { defaultSmtpPort, probeTransport } from './outbound-route.ts';
import nodemailer from 'nodemailer';

/** Admin operations on mailboxes: list, add, change, test the connection, fetch now. */

type Counts = MailboxView['counts'];
const NO_COUNTS: Counts = { ingested: 0, duplicate: 0, ignoredAuto: 0, rejected: 0, pending: 0 };
const COUNT_KEY: Record<string, keyof Counts> = { ingested: 'ingested', duplicate: 'duplicate', ignored_auto: 'ignoredAuto', rejected: 'rejected', received: 'pending' };

export function presentMailbox(m: Mailbox, counts: Counts = NO_COUNTS): MailboxView {
  return {
    id: m.id, name: m.name, address: m.address, protocol: m.protocol as MailboxView['protocol'], host: m.host, port: m.port, tls: m.tls as TlsMode,
    username: m.username, hasPassword: !!m.password, folder: m.folder, departmentId: m.departmentId, active: m.active,
    pollIntervalSeconds: m.pollIntervalSeconds, deleteAfterFetch: m.deleteAfterFetch,
    lastSyncState: (m.lastSyncState as MailboxView['lastSyncState']) ?? null, lastSyncAt: m.lastSyncAt?.toISOString() ?? null, lastError: m.lastError,
    lastFetched: m.lastFetched, nextSyncAt: m.nextSyncAt.toISOString(), counts,
    smtpMode: m.smtpMode as MailboxView['smtpMode'], smtpHost: m.smtpHost, smtpPort: m.smtpPort, smtpTls: m.smtpTls as TlsMode, smtpUsername: m.smtpUsername,
    hasSmtpPassword: !!m.smtpPassword, senderName: m.senderName, dkimDomain: m.dkimDomain, dkimSelector: m.dkimSelector, hasDkimKey: !!m.dkimPrivateKey,
    signatureZh: m.signatureZh, signatureEn: m.signatureEn, autoReplyEnabled: m.autoReplyEnabled,
    autoReplySubjectZh: m.autoReplySubjectZh, autoReplySubjectEn: m.autoReplySubjectEn, autoReplyBodyZh: m.autoReplyBodyZh, autoReplyBodyEn: m.autoReplyBodyEn,
    autoReplyHourlyLimit: m.autoReplyHourlyLimit, lastSendState: (m.lastSendState as MailboxView['lastSendState']) ?? null,
    lastSendAt: m.lastSendAt?.toISOString() ?? null, lastSendError: m.lastSendError,
    createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString(),
  };
}

/** The outgoing fields of an input or patch: given ones replace, null clears, absent keeps (before, when changing). */
const OUTBOUND_KEYS = [
  'smtpMode', 'smtpHost', 'smtpPort', 'smtpTls', 'smtpUsername', 'smtpPassword', 'senderName', 'dkimDomain', 'dkimSelector', 'dkimPrivateKey',
  'signatureZh', 'signatureEn', 'autoReplyEnabled', 'autoReplySubjectZh', 'autoReplySubjectEn', 'autoReplyBodyZh', 'autoReplyBodyEn', 'autoReplyHourlyLimit',
] as const;
type OutboundFields = Pick<Mailbox, (typeof OUTBOUND_KEYS)[number]>;

function outboundFields(input: Partial<Record<(typeof OUTBOUND_KEYS)[number], unknown>>, before?: OutboundFields): Partial<OutboundFields> {
  const out: Record<string, unknown> = {};
  for (const k of OUTBOUND_KEYS) {
    const v = input[k];
    if (v !== undefined) out[k] = typeof v === 'string' && !['smtpPassword', 'dkimPrivateKey'].includes(k) ? (v.trim() || null) : v;
    else if (before) out[k] = before[k];
  }
  return out as Partial<OutboundFields>;
}

/** A custom SMTP server needs its host; DKIM needs domain, selector and key together. */
function checkOutbound(o: Partial<OutboundFields>): void {
  if (o.smtpMode === 'custom' && !o.smtpHost) throw invalid('自定义发信服务器需要填写 SMTP 服务器地址', 'A custom outgoing server needs the SMTP host');
  const dkim = [o.dkimDomain, o.dkimSelector, o.dkimPrivateKey].filter(Boolean).length;
  if (dkim && dkim < 3) throw invalid('DKIM 签名需要同时填写域名、选择器和私钥', 'DKIM signing needs the domain, the selector and the private key together');
  if (o.dkimPrivateKey && !isPrivateKey(o.dkimPrivateKey)) throw invalid('DKIM 私钥无法读取：请粘贴 PEM 格式的 RSA 私钥', 'The DKIM private key cannot be read: paste an RSA private key in PEM format');
}

function isPrivateKey(pem: string): boolean {
  try {
    return crypto.createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/** What the audit log keeps of a mailbox (never the password). */
const audited = (m: Mailbox) => ({ ...presentMailbox(m), counts: undefined, lastSyncAt: undefined, nextSyncAt: undefined, lastError: undefined, lastFetched: undefined, lastSendAt: undefined, lastSendError: undefined, lastSendState: undefined });

async function countsFor(ctx: Ctx, ids: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (!ids.length) return out;
  const rows = await ctx.db.select({ mailboxId: inboundMails.mailboxId, status: inboundMails.status, n: count() }).from(inboundMails)
    .where(inTenant(ctx, inboundMails, inArray(inboundMails.mailboxId, ids))).groupBy(inboundMails.mailboxId, inboundMails.status);
  for (const r of rows) {
    const c = out.get(r.mailboxId!) ?? { ...NO_COUNTS };
    const key = COUNT_KEY[r.status];
    if (key) c[key] += Number(r.n);
    out.set(r.mailboxId!, c);
  }
  return out;
}

export async function listMailboxes(ctx: Ctx): Promise<{ items: MailboxView[]; total: number }> {
  const rows = await ctx.db.select().from(mailboxes).where(inTenant(ctx, mailboxes)).orderBy(mailboxes.name);
  const counts = await countsFor(ctx, rows.map((r) => r.id));
  return { items: rows.map((r) => presentMailbox(r, counts.get(r.id))), total: rows.length };
}

export async function getMailbox(ctx: Ctx, id: string): Promise<MailboxView> {
  const m = await findOwned(ctx, mailboxes, id);
  return presentMailbox(m, (await countsFor(ctx, [m.id])).get(m.id));
}

const invalid = (zh: string, en: string) => new AppError('validation', { zh, en });

/** The rules the schema cannot say: a fetched mailbox needs a server and credentials; POP3 has no STARTTLS here. */
function checkSettings(m: Pick<Mailbox, 'protocol' | 'host' | 'tls' | 'password' | 'username'>): void {
  if (m.protocol === 'smtp_receiver') return;
  if (!m.host) throw invalid('IMAP/POP3 邮箱需要填写服务器地址', 'An IMAP or POP3 mailbox needs the server\'s host');
  if (!m.password) throw invalid('IMAP/POP3 邮箱需要填写密码', 'An IMAP or POP3 mailbox needs a password');
  if (m.protocol === 'pop3' && m.tls === 'starttls') throw invalid('POP3 暂不支持 STARTTLS：请选择 TLS（端口 995）或不加密', 'POP3 with STARTTLS is not supported: choose TLS (port 995) or none');
}

async function checkDepartment(ctx: Ctx, departmentId: string | null | undefined): Promise<void> {
  if (departmentId) await findOwned(ctx, departments, departmentId);
}

/** The receiver routes by address across companies, so an address can belong to one receiver mailbox only. */
async function checkReceiverAddress(ctx: Ctx, protocol: string, address: string, selfId?: string): Promise<void> {
  if (protocol !== 'smtp_receiver') return;
  const [taken] = await ctx.db.select({ id: mailboxes.id }).from(mailboxes)
    .where(and(eq(mailboxes.protocol, 'smtp_receiver'), sql`lower(${mailboxes.address}) = ${address.toLowerCase()}`, selfId ? sql`${mailboxes.id} <> ${selfId}` : undefined)).limit(1);
  if (taken) throw new AppError('email_taken', { zh: '已有邮箱使用该地址接收邮件', en: 'Another mailbox already receives mail for this address' });
}

async function checkName(ctx: Ctx, name: string, selfId?: string): Promise<void> {
  const [dup] = await ctx.db.select({ id: mailboxes.id }).from(mailboxes)
    .where(inTenant(ctx, mailboxes, eq(mailboxes.name, name), selfId ? sql`${mailboxes.id} <> ${selfId}` : undefined)).limit(1);
  if (dup) throw new AppError('name_taken');
}

export async function createMailbox(ctx: Ctx, input: MailboxInput): Promise<MailboxView> {
  const values = {
    tenantId: ctx.tenantId, name: input.name.trim(), address: input.address.trim(), protocol: input.protocol,
    host: input.protocol === 'smtp_receiver' ? null : input.host ?? null, port: input.port ?? null, tls: input.tls ?? 'tls',
    username: input.username ?? null, password: input.password ?? null, folder: input.folder ?? 'INBOX', departmentId: input.departmentId ?? null,
    active: input.active ?? true, pollIntervalSeconds: input.pollIntervalSeconds ?? 60, deleteAfterFetch: input.deleteAfterFetch ?? false,
    ...outboundFields(input),
  };
  checkSettings(values);
  checkOutbound(values);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await checkName(c, values.name);
    await checkDepartment(c, values.departmentId);
    await checkReceiverAddress(c, values.protocol, values.address);
    const [row] = await tx.insert(mailboxes).values(values).returning();
    await recordAudit(c, { action: 'mailbox.create', targetType: 'mailbox', targetId: row.id, after: audited(row) });
    return presentMailbox(row);
  });
}

export async function updateMailbox(ctx: Ctx, id: string, patch: MailboxPatch): Promise<MailboxView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, mailboxes, id);
    const next = {
      name: patch.name?.trim() ?? before.name,
      address: patch.address?.trim() ?? before.address,
      host: before.protocol === 'smtp_receiver' ? null : patch.host ?? before.host,
      port: patch.port === undefined ? before.port : patch.port,
      tls: patch.tls ?? before.tls,
      username: patch.username === undefined ? before.username : patch.username,
      password: patch.password === undefined ? before.password : patch.password,
      folder: patch.folder ?? before.folder,
      departmentId: patch.departmentId === undefined ? before.departmentId : patch.departmentId,
      active: patch.active ?? before.active,
      pollIntervalSeconds: patch.pollIntervalSeconds ?? before.pollIntervalSeconds,
      deleteAfterFetch: patch.deleteAfterFetch ?? before.deleteAfterFetch,
      ...outboundFields(patch, before),
    };
    checkSettings({ ...next, protocol: before.protocol });
    checkOutbound(next);
    if (next.name !== before.name) await checkName(c, next.name, id);
    if (patch.departmentId) await checkDepartment(c, patch.departmentId);
    if (next.address.toLowerCase() !== before.address.toLowerCase()) await checkReceiverAddress(c, before.protocol, next.address, id);
    // A different server or folder is a different UID space: start its cursor afresh (Message-ID dedupe keeps tickets single).
    const moved = next.host !== before.host || next.port !== before.port || next.folder !== before.folder || next.username !== before.username;
    const [after] = await tx.update(mailboxes).set({
      ...next, updatedAt: new Date(), ...(moved ? { cursor: {} } : {}),
      // changed settings are tried at once, with the error of the old ones cleared
      nextSyncAt: new Date(), ...(moved || patch.password !== undefined ? { lastError: null, lastSyncState: null } : {}),
    }).where(inTenant(c, mailboxes, eq(mailboxes.id, id))).returning();
    await recordAudit(c, { action: 'mailbox.update', targetType: 'mailbox', targetId: id, before: audited(before), after: audited(after) });
    await tx.execute(sql`select pg_notify(${MAIL_CHANNEL}, ${id})`);
    return presentMailbox(after, (await countsFor(c, [id])).get(id));
  });
}

/** Connects with the stored settings and says whether it works, and if not, why, in the caller's language; then the outgoing side. */
export async function testMailbox(ctx: Ctx, id: string, locale: 'zh-CN' | 'en', receiverPort: number | undefined, systemSmtpUrl?: string): Promise<MailboxCheck> {
  const m = await findOwned(ctx, mailboxes, id);
  const say = (code: CheckCode, detail?: string) => {
    const base = locale === 'en' ? CHECK_TEXT[code].en : CHECK_TEXT[code].zh;
    return detail ? (locale === 'en' ? `${base} (${detail})` : `${base}（${detail}）`) : base;
  };
  const [inbound, smtp] = await Promise.all([checkInbound(m, locale, receiverPort, say), checkOutgoing(m, locale, systemSmtpUrl)]);
  return { ...inbound, smtp };
}

async function checkInbound(m: Mailbox, locale: 'zh-CN' | 'en', receiverPort: number | undefined, say: (code: CheckCode, detail?: string) => string): Promise<MailboxCheck> {
  if (m.protocol === 'smtp_receiver') {
    if (!receiverPort) return { ok: false, code: 'receiver_off', message: say('receiver_off') };
    return { ok: true, code: 'ok', message: say('ok', locale === 'en' ? `mail to ${m.address} is accepted on port ${receiverPort}` : `端口 ${receiverPort} 接收发往 ${m.address} 的邮件`) };
  }
  try {
    const { messages } = await checkServer(m);
    return { ok: true, code: 'ok', message: say('ok', locale === 'en' ? `${messages} mail(s) in ${m.protocol === 'imap' ? m.folder : 'the maildrop'}` : `${m.protocol === 'imap' ? `${m.folder} ` : '收件箱'}中有 ${messages} 封邮件`), messages };
  } catch (err) {
    const f = classifyConnectError(err);
    return { ok: false, code: f.code, message: say(f.code, f.detail) };
  }
}

/** The outgoing server answers and accepts the sign-in (nodemailer's verify: connect, EHLO, STARTTLS, AUTH). */
async function checkOutgoing(m: Mailbox, locale: 'zh-CN' | 'en', systemSmtpUrl: string | undefined): Promise<NonNullable<MailboxCheck['smtp']>> {
  const en = locale === 'en';
  const custom = m.smtpMode === 'custom' && !!m.smtpHost;
  if (!custom && !systemSmtpUrl) {
    return { ok: false, message: en ? 'No outgoing server: set this mailbox\'s SMTP server, or KEFU_SMTP_URL for the whole install' : '未配置发信服务器：请填写该邮箱的 SMTP 服务器，或为整个系统设置 KEFU_SMTP_URL' };
  }
  const transport = custom ? probeTransport(m) : nodemailer.createTransport(systemSmtpUrl!);
  const where = custom ? `${m.smtpHost}:${m.smtpPort ?? defaultSmtpPort(m.smtpTls)}` : (en ? 'the system SMTP server' : '系统发信服务器');
  try {
    await transport.verify();
    return { ok: true, message: en ? `Outgoing server ${where} accepts mail from ${m.address}` : `发信服务器 ${where} 连接成功，可以 ${m.address} 的名义发信` };
  } catch (err) {
    return { ok: false, message: en ? `Outgoing server ${where} failed: ${smtpErrorText(err)}` : `发信服务器 ${where} 连接失败：${smtpErrorText(err)}` };
  } finally {
    transport.close();
  }
}

const SYNC_BUDGET_MS = 20_000;

/**
 * "Sync now": when no node holds the mailbox, fetch it here and run the pipeline before answering;
 * when a node does (an IMAP connection in IDLE), wake that node to fetch at once.
 */
export async function syncMailbox(ctx: Ctx, deps: PipelineDeps, nodeId: string, id: string): Promise<{ done: boolean; stored: number; mailbox: MailboxView }> {
  const m = await findOwned(ctx, mailboxes, id);
  if (!m.active) throw invalid('该邮箱已停用，请先启用', 'This mailbox is inactive: activate it first');
  const owner = `${nodeId}/sync-${crypto.randomUUID()}`;
  const [claimed] = await claimMailboxes(ctx.db as PipelineDeps['db'], owner, { limit: 1, mailboxId: id });
  let stored = 0;
  if (claimed) {
    // The request waits for at most SYNC_BUDGET_MS of pipeline work; the rest goes on in the scheduler.
    const result = await runMailbox(deps, claimed, { owner, idle: false, stop: AbortSignal.timeout(SYNC_BUDGET_MS) });
    stored = result.stored;
  } else {
    await ctx.db.update(mailboxes).set({ nextSyncAt: new Date() }).where(inTenant(ctx, mailboxes, eq(mailboxes.id, id)));
    await ctx.db.execute(sql`select pg_notify(${MAIL_CHANNEL}, ${id})`);
  }
  return { done: !!claimed, stored, mailbox: await getMailbox(ctx, id) };
}
