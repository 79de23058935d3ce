import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { UnansweredQuery, UnansweredView } from '../../contracts/kb-feedback.ts';
import type { Conn } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { tickets } from '../tickets/tickets.schema.ts';
import { kbArticles } from './kb.schema.ts';
import { normalizeQuestion, type UnansweredReason } from './unanswered.ts';
import { kbUnansweredQuestions, type KbUnansweredQuestion } from './unanswered.schema.ts';

/**
 * The unanswered-questions log: the chat robot writes to it, knowledge-base owners work through it
 * (write an article from a question, or ignore it).
 */

export interface UnansweredOccurrence {
  question: string;
  reason: UnansweredReason;
  widgetStyleId?: string | null;
  widgetName?: string | null;
  conversationId?: string | null;
  ticketId?: string | null;
}

/**
 * One more time a question went unanswered: a new row, or the same normalized question's row counted
 * up (the latest wording, reason and chat kept). A resolved question asked and unanswered again is
 * open again (its article did not help); an ignored one stays ignored and keeps counting.
 */
export async function recordUnanswered(db: Conn, tenantId: string, o: UnansweredOccurrence): Promise<void> {
  const question = o.question.trim().slice(0, 500);
  const normalized = normalizeQuestion(question);
  if (!normalized) return;
  const t = kbUnansweredQuestions;
  const source = { widgetStyleId: o.widgetStyleId ?? null, widgetName: o.widgetName ?? null, conversationId: o.conversationId ?? null, ticketId: o.ticketId ?? null };
  await db.insert(t).values({ tenantId, normalized, question, reason: o.reason, ...source })
    .onConflictDoUpdate({
      target: [t.tenantId, t.normalized],
      set: {
        count: sql`${t.count} + 1`, lastSeenAt: sql`now()`, question, reason: o.reason, ...source,
        status: sql`case when ${t.status} = 'resolved' then 'open' else ${t.status} end`,
      },
    });
}

type Row = { q: KbUnansweredQuestion; ticketNumber: number | null; articleTitle: string | null };

function present({ q, ticketNumber, articleTitle }: Row): UnansweredView {
  return {
    id: q.id, question: q.question, reason: q.reason as UnansweredView['reason'], widgetStyleId: q.widgetStyleId, widgetName: q.widgetName,
    conversationId: q.conversationId, ticketId: q.ticketId, ticketNumber, count: q.count, firstSeenAt: q.firstSeenAt.toISOString(),
    lastSeenAt: q.lastSeenAt.toISOString(), status: q.status as UnansweredView['status'], articleId: q.articleId, articleTitle,
  };
}

async function loadOne(ctx: Ctx, id: string): Promise<UnansweredView> {
  const t = kbUnansweredQuestions;
  const [row] = await ctx.db.select({ q: t, ticketNumber: tickets.number, articleTitle: kbArticles.title }).from(t)
    .leftJoin(tickets, eq(tickets.id, t.ticketId)).leftJoin(kbArticles, eq(kbArticles.id, t.articleId))
    .where(inTenant(ctx, t, eq(t.id, id)));
  return present(row);
}

/** The log, most asked first (or newest first), of one status or all. */
export async function listUnanswered(ctx: Ctx, q: UnansweredQuery): Promise<{ items: UnansweredView[]; total: number }> {
  const t = kbUnansweredQuestions;
  const where = inTenant(ctx, t, q.status ? eq(t.status, q.status) : undefined);
  const order = q.sort === 'last_seen' ? [desc(t.lastSeenAt), asc(t.id)] : [desc(t.count), desc(t.lastSeenAt), asc(t.id)];
  const [rows, [{ n }]] = await Promise.all([
    ctx.db.select({ q: t, ticketNumber: tickets.number, articleTitle: kbArticles.title }).from(t)
      .leftJoin(tickets, eq(tickets.id, t.ticketId)).leftJoin(kbArticles, eq(kbArticles.id, t.articleId))
      .where(where).orderBy(...order).limit(q.limit ?? 50).offset(q.offset ?? 0),
    ctx.db.select({ n: count() }).from(t).where(where),
  ]);
  return { items: rows.map(present), total: n };
}

async function setStatus(ctx: Ctx, id: string, status: 'open' | 'resolved' | 'ignored', articleId: string | null, action: string): Promise<UnansweredView> {
  const before = await findOwned(ctx, kbUnansweredQuestions, id);
  await ctx.db.transaction(async (tx) => {
    await tx.update(kbUnansweredQuestions).set({ status, articleId }).where(and(eq(kbUnansweredQuestions.tenantId, ctx.tenantId), eq(kbUnansweredQuestions.id, id)));
    await recordAudit({ ...ctx, db: tx }, { action, targetType: 'kb_unanswered', targetId: id, before: { status: before.status, articleId: before.articleId }, after: { status, articleId } });
  });
  return loadOne(ctx, id);
}

/** An article now answers it (written from it in the editor, or an existing one). */
export async function resolveUnanswered(ctx: Ctx, id: string, articleId: string): Promise<UnansweredView> {
  await findOwned(ctx, kbArticles, articleId);
  return setStatus(ctx, id, 'resolved', articleId, 'kb_unanswered.resolve');
}

export async function ignoreUnanswered(ctx: Ctx, id: string): Promise<UnansweredView> {
  return setStatus(ctx, id, 'ignored', null, 'kb_unanswered.ignore');
}

export async function reopenUnanswered(ctx: Ctx, id: string): Promise<UnansweredView> {
  return setStatus(ctx, id, 'open', null, 'kb_unanswered.reopen');
}
