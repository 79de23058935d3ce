import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { systemCtx } from '../../modules/context.ts';
import { searchForPublic } from '../../modules/kb/kb-search.service.ts';
import { addSystemMessage } from '../../modules/tickets/tickets.service.ts';
import { linesAfter, type ChatLine } from './chat.service.ts';
import { chatConversations, chatMessageSeqs } from './webchat.schema.ts';
import { SUGGESTIONS, type RobotHit } from './robot-decision.ts';

const MAX_ANSWER = 1000;
/** A question longer than this is cut before searching (a chat message, not a document). */
const MAX_QUESTION = 200;

/** A search hit as the robot reads it: the decision's inputs plus what an answer needs. */
export interface RobotCandidate extends RobotHit { bodyText: string }

/** The robot's search: published public articles, as the help center finds them, top 3 (enough for suggestions and the margin). */
export async function robotSearch(db: Conn, tenantId: string, question: string): Promise<RobotCandidate[]> {
  const q = question.trim().slice(0, MAX_QUESTION);
  if (!q) return [];
  const found = await searchForPublic(systemCtx(db, tenantId, 'robot'), { q, limit: SUGGESTIONS });
  return found.hits.map((h) => ({ articleId: h.article.id, title: h.article.title, score: h.score, coverage: h.coverage, bodyText: h.article.bodyText }));
}

/**
 * The robot's answer to a visitor's question: the best published public knowledge-base article for it
 * (the same search as the help center), as plain text; null when nothing matches.
 */
export async function robotAnswer(db: Conn, tenantId: string, question: string): Promise<string | null> {
  const q = question.trim().slice(0, 200);
  if (!q) return null;
  const found = await searchForPublic(systemCtx(db, tenantId, 'robot'), { q, limit: 1 });
  const top = found.hits[0];
  if (!top) return null;
  const text = top.article.bodyText.trim();
  return `${top.article.title}\n${text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER)}…` : text}`;
}

/** The robot answers in the chat: a "bot" message on the ticket, numbered like any other. */
export async function postRobotAnswer(db: Conn, tenantId: string, conversationId: string, body: string): Promise<ChatLine> {
  return db.transaction(async (tx) => {
    const [conv] = await tx.select().from(chatConversations).where(eq(chatConversations.id, conversationId)).for('update');
    const message = await addSystemMessage(systemCtx(tx, tenantId, 'robot'), conv.ticketId, body, 'public', 'bot');
    const [row] = await tx.update(chatConversations).set({ lastSeq: conv.lastSeq + 1 }).where(eq(chatConversations.id, conv.id)).returning({ seq: chatConversations.lastSeq });
    await tx.insert(chatMessageSeqs).values({ tenantId, conversationId: conv.id, seq: row.seq, messageId: message.id });
    const [line] = await linesAfter(tx, conv.id, row.seq - 1, 1);
    return line;
  });
}
