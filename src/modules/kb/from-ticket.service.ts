import { and, asc, desc, eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { KbSearchHit } from '../../contracts/kb.ts';
import type { Ctx } from '../context.ts';
import { inTenant } from '../tenant-scope.ts';
import { writeHistory } from '../tickets/tickets.service.ts';
import { messages, type Ticket } from '../tickets/tickets.schema.ts';
import { createArticle } from './kb-articles.service.ts';
import { searchForStaff } from './kb-search.service.ts';
import { kbArticles, type KbArticle } from './kb.schema.ts';
import { presentHit } from './kb.presenter.ts';

/**
 * Answers flowing back: a resolved ticket's answer saved as a draft FAQ entry (question = what the
 * customer asked, answer = the agent's last public reply), and articles suggested on a ticket's page.
 * The caller has loaded the ticket through the tickets policy (an invisible ticket is a 404 already).
 */

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Plain text as paragraphs (blank lines) with line breaks; createArticle sanitizes the HTML again. */
const textToHtml = (text: string) => text.trim().split(/\n\s*\n/).map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('');
const isChinese = (text: string) => /[\u4e00-\u9fff]/u.test(text);

async function firstCustomerMessage(ctx: Ctx, ticketId: string): Promise<string> {
  const [m] = await ctx.db.select({ body: messages.body }).from(messages)
    .where(inTenant(ctx, messages, eq(messages.ticketId, ticketId), eq(messages.authorType, 'customer'), eq(messages.visibility, 'public')))
    .orderBy(asc(messages.createdAt), asc(messages.id)).limit(1);
  return m?.body.trim() ?? '';
}

export interface SavedArticle { article: Pick<KbArticle, 'id' | 'title' | 'status'>; existing: boolean }

/**
 * "Save answer as article": one draft per ticket (saving again returns the same article). Only a
 * resolved or closed ticket with a public agent reply has an answer to save.
 */
export async function saveTicketAnswer(ctx: Ctx, ticket: Ticket): Promise<SavedArticle> {
  const [already] = await ctx.db.select({ id: kbArticles.id, title: kbArticles.title, status: kbArticles.status }).from(kbArticles)
    .where(inTenant(ctx, kbArticles, eq(kbArticles.sourceTicketId, ticket.id))).limit(1);
  if (already) return { article: already, existing: true };
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') throw new AppError('validation', 'Only a resolved ticket\'s answer can be saved as an article');
  const [answer] = await ctx.db.select({ body: messages.body }).from(messages)
    .where(inTenant(ctx, messages, eq(messages.ticketId, ticket.id), eq(messages.authorType, 'agent'), eq(messages.visibility, 'public')))
    .orderBy(desc(messages.createdAt), desc(messages.id)).limit(1);
  if (!answer?.body.trim()) throw new AppError('validation', 'This ticket has no public reply to save as an answer');
  const asked = await firstCustomerMessage(ctx, ticket.id);
  const title = (ticket.subject.trim() || asked.split('\n')[0] || '(no subject)').slice(0, 200);
  const paraphrase = asked.replace(/\s+/g, ' ').trim().slice(0, 300);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const created = await createArticle(c, {
      kind: 'faq', title, body: textToHtml(answer.body), paraphrases: paraphrase && paraphrase !== title ? [paraphrase] : [],
      locale: isChinese(`${title} ${answer.body}`) ? 'zh-CN' : 'en', visibility: 'public',
    });
    await tx.update(kbArticles).set({ sourceTicketId: ticket.id }).where(and(eq(kbArticles.tenantId, ctx.tenantId), eq(kbArticles.id, created.id)));
    await writeHistory(c, ticket.id, 'kb_article_saved', {}, created.title);
    return { article: { id: created.id, title: created.title, status: created.status }, existing: false };
  });
}

/** What a ticket is about, as a search: its subject and the customer's first message. */
export async function ticketQuery(ctx: Ctx, ticket: Ticket): Promise<string> {
  const asked = await firstCustomerMessage(ctx, ticket.id);
  return `${ticket.subject} ${asked}`.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Published articles for the ticket's text, internal ones included (agents read those too). */
export async function suggestArticles(ctx: Ctx, ticket: Ticket, limit = 5): Promise<{ items: KbSearchHit[]; query: string }> {
  const query = await ticketQuery(ctx, ticket);
  if (!/[\p{L}\p{N}]/u.test(query)) return { items: [], query };
  const found = await searchForStaff(ctx, { q: query, mode: 'fuzzy', status: 'published', limit });
  return { items: found.hits.map(presentHit), query };
}
