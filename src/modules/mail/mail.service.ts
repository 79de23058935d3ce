import { and, count, desc, eq, ilike, type SQL } from 'drizzle-orm';
import type { OutboxQuery, OutboxMailView } from '../../contracts/admin.ts';
import type { Conn } from '../../db/client.ts';
import { emit } from '../../events/outbox.ts';
import type { Ctx } from '../context.ts';
import { mailOutbox, type OutboxMail } from './mail.schema.ts';

export interface MailInput { to: string; subject: string; text: string; html?: string; purpose: string }

/** Stores a mail in the outbox and queues its delivery, in the caller's transaction. */
export async function enqueueMail(ctx: Ctx, mail: MailInput): Promise<string> {
  const [row] = await ctx.db.insert(mailOutbox).values({
    tenantId: ctx.tenantId, purpose: mail.purpose, toAddress: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null,
  }).returning({ id: mailOutbox.id });
  await emit(ctx.db, { tenantId: ctx.tenantId }, { type: 'mail.queued', mailId: row.id });
  return row.id;
}

export async function listOutbox(ctx: Ctx, q: OutboxQuery): Promise<{ items: OutboxMailView[]; total: number }> {
  const where: SQL[] = [eq(mailOutbox.tenantId, ctx.tenantId)];
  if (q.to) where.push(ilike(mailOutbox.toAddress, `%${q.to.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  const cond = and(...where);
  const rows = await ctx.db.select().from(mailOutbox).where(cond).orderBy(desc(mailOutbox.createdAt)).limit(q.limit ?? 50).offset(q.offset ?? 0);
  const [{ n }] = await ctx.db.select({ n: count() }).from(mailOutbox).where(cond);
  return { total: n, items: rows.map(presentMail) };
}

export function presentMail(r: OutboxMail): OutboxMailView {
  return {
    id: r.id, purpose: r.purpose, toAddress: r.toAddress, subject: r.subject, text: r.text, status: r.status,
    attempts: r.attempts, lastError: r.lastError, createdAt: r.createdAt.toISOString(), sentAt: r.sentAt?.toISOString() ?? null,
  };
}

export async function getMail(db: Conn, id: string): Promise<OutboxMail | undefined> {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  return row;
}

export async function markMail(db: Conn, id: string, patch: Partial<Pick<OutboxMail, 'status' | 'lastError' | 'messageId' | 'sentAt' | 'attempts'>>): Promise<void> {
  await db.update(mailOutbox).set(patch).where(and(eq(mailOutbox.id, id)));
}
