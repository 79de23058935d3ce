import { and, eq, inArray } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { systemCtx } from '../../modules/context.ts';
import { PUBLIC_ARTICLE } from '../../modules/kb/kb-articles.service.ts';
import { searchForPublic } from '../../modules/kb/kb-search.service.ts';
import { kbArticles } from '../../modules/kb/kb.schema.ts';
import { recordUnanswered } from '../../modules/kb/unanswered.service.ts';
import type { UnansweredReason } from '../../modules/kb/unanswered.ts';
import { addSystemMessage, writeHistory } from '../../modules/tickets/tickets.service.ts';
import { linesAfter, type ChatLine } from './chat.service.ts';
import type { ChatHub } from './chat-hub.ts';
import { decideRobotReply, SUGGESTIONS, type HandoverReason, type RobotHit, type RobotThresholds } from './robot-decision.ts';
import { chatRobotStates, type ChatRobotState, type RobotChoice } from './robot.schema.ts';
import { robotText, type RobotLanguage } from './robot-text.ts';
import { chatConversations, chatMessageSeqs, type ChatConversation, type WidgetStyle } from './webchat.schema.ts';

/**
 * The chat robot (机器人先接待): a style with robotEnabled opens its chats with the robot (conversation
 * status 'bot'). Each visitor message goes through robot-decision.ts: an answer from the knowledge
 * base, three articles to choose from, a request to rephrase, or a hand-over to people (the chat is
 * queued for the ACD). What it could not answer goes to the unanswered-questions log.
 */

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
  // hits that only share characters with the question are guesses: the robot neither answers nor offers them
  if (found.byCharacters) return [];
  return found.hits.map((h) => ({ articleId: h.article.id, title: h.article.title, score: h.score, coverage: h.coverage, bodyText: h.article.bodyText }));
}

export function thresholdsOf(style: Pick<WidgetStyle, 'robotAnswerThreshold' | 'robotSuggestThreshold' | 'robotHandoverFloor'>): RobotThresholds {
  return { answer: style.robotAnswerThreshold, suggest: style.robotSuggestThreshold, floor: style.robotHandoverFloor };
}

/** The robot writes in the chat: a "bot" message on the ticket, numbered like any other. */
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

/** Which language the robot answers in: the style's, or (auto) the question's script. */
function languageFor(style: WidgetStyle, question: string): RobotLanguage {
  if (style.language === 'zh-CN' || style.language === 'en') return style.language;
  return /[\u4e00-\u9fff]/u.test(question) || !/[a-z]/i.test(question) ? 'zh-CN' : 'en';
}

function answerText(title: string, body: string): string {
  const text = body.trim();
  return `${title}\n${text.length > MAX_ANSWER ? `${text.slice(0, MAX_ANSWER)}…` : text}`.trim();
}

async function loadState(db: Conn, tenantId: string, conversationId: string): Promise<ChatRobotState> {
  const [s] = await db.select().from(chatRobotStates).where(eq(chatRobotStates.conversationId, conversationId));
  if (s) return s;
  const [created] = await db.insert(chatRobotStates).values({ conversationId, tenantId }).onConflictDoNothing().returning();
  return created ?? (await db.select().from(chatRobotStates).where(eq(chatRobotStates.conversationId, conversationId)))[0];
}

async function saveState(db: Conn, conversationId: string, set: Partial<Omit<ChatRobotState, 'conversationId' | 'tenantId'>>) {
  await db.update(chatRobotStates).set({ ...set, updatedAt: new Date() }).where(eq(chatRobotStates.conversationId, conversationId));
}

export interface RobotDeps {
  db: Conn;
  hub: ChatHub;
  tenantId: string;
  style: WidgetStyle;
  /** Finds the queued chat a person (chat-open.ts findSomeone: the ACD, or the offline form when nobody can answer). */
  handOver(queued: ChatConversation): Promise<void>;
}

async function say(d: RobotDeps, conv: ChatConversation, body: string): Promise<ChatLine> {
  const line = await postRobotAnswer(d.db, d.tenantId, conv.id, body);
  d.hub.publishLine(line, null);
  return line;
}

async function logUnanswered(d: RobotDeps, conv: ChatConversation, question: string | null, reason: UnansweredReason) {
  if (!question) return;
  await recordUnanswered(d.db, d.tenantId, {
    question, reason, widgetStyleId: d.style.id, widgetName: d.style.name, conversationId: conv.id, ticketId: conv.ticketId,
  });
}

const HANDOVER_REASONS: Record<HandoverReason | 'rejected', string> = {
  asked: 'The visitor asked for a person',
  low_confidence: 'The robot found no answer it was confident in',
  not_understood: 'The robot did not understand the question twice',
  rejected: 'None of the offered articles fitted',
};

/** Hands the chat to people: the robot says so, the ticket's history records why, the chat joins the queue. */
export async function robotHandsOver(d: RobotDeps, conv: ChatConversation, reason: HandoverReason | 'rejected', lang: RobotLanguage): Promise<void> {
  await say(d, conv, robotText(lang).handover);
  await saveState(d.db, conv.id, { choices: [], handedOverAt: new Date() });
  await writeHistory(systemCtx(d.db, d.tenantId, 'robot'), conv.ticketId, 'robot_handover', {}, HANDOVER_REASONS[reason]);
  const [queued] = await d.db.update(chatConversations).set({ status: 'queued', queuedAt: new Date() })
    .where(and(eq(chatConversations.id, conv.id), eq(chatConversations.status, 'bot'))).returning();
  if (queued) await d.handOver(queued);
}

/**
 * A new chat of a robot style: the robot takes it (status 'bot', its greeting) and answers the first
 * message (which may already ask for a person: then it is handed over at once).
 */
export async function robotOpens(d: RobotDeps, conv: ChatConversation, first: ChatLine): Promise<void> {
  // created as 'bot' for a robot style (chat.service.ts); 'queued' if the style turned the robot on meanwhile
  const [mine] = await d.db.update(chatConversations).set({ status: 'bot' })
    .where(and(eq(chatConversations.id, conv.id), inArray(chatConversations.status, ['queued', 'bot']))).returning();
  if (!mine) return; // someone took it already (an invitation)
  await loadState(d.db, d.tenantId, conv.id);
  d.hub.toVisitor(conv.id, 'status', { status: 'bot', robotName: d.style.robotName || null });
  await robotHears(d, mine, first);
}

/** A visitor message in a chat the robot serves. */
export async function robotHears(d: RobotDeps, conv: ChatConversation, line: ChatLine): Promise<void> {
  const state = await loadState(d.db, d.tenantId, conv.id);
  const question = line.body;
  const lang = languageFor(d.style, question);
  const hits = await robotSearch(d.db, d.tenantId, question);
  const decision = decideRobotReply({ text: question, hits, thresholds: thresholdsOf(d.style), misses: state.misses });
  const t = robotText(lang);
  switch (decision.kind) {
    case 'answer': {
      const top = hits[0];
      await saveState(d.db, conv.id, { choices: [], question, answeredArticleId: top.articleId, misses: 0 });
      await say(d, conv, answerText(top.title, top.bodyText));
      return;
    }
    case 'suggest': {
      const choices: RobotChoice[] = hits.slice(0, SUGGESTIONS).map((h) => ({ articleId: h.articleId, title: h.title }));
      await saveState(d.db, conv.id, { choices, question, answeredArticleId: null, misses: 0 });
      await say(d, conv, `${t.suggest}\n${choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}`);
      d.hub.toVisitor(conv.id, 'robot.choices', { conversationId: conv.id, choices });
      return;
    }
    case 'rephrase':
      await saveState(d.db, conv.id, { choices: [], question, answeredArticleId: null, misses: state.misses + 1 });
      await say(d, conv, t.rephrase);
      return;
    case 'handover':
      if (decision.reason === 'asked') {
        // a person asked for right after an answer or while choices were open: the robot did not help
        if (state.choices.length) await logUnanswered(d, conv, state.question, 'rejected');
        else if (state.answeredArticleId) await logUnanswered(d, conv, state.question, 'handover_after_answer');
      } else {
        if (decision.reason === 'not_understood' && state.question && state.question !== question) await logUnanswered(d, conv, state.question, 'no_answer');
        await logUnanswered(d, conv, question, 'no_answer');
      }
      await robotHandsOver(d, conv, decision.reason, lang);
  }
}

/**
 * The visitor clicked one of the offered articles (its answer is sent), "none of these" (articleId
 * null: logged, handed over) or the widget's "talk to a person" button (human: true).
 */
export async function robotPick(d: RobotDeps, conv: ChatConversation, pick: { articleId: string | null; human?: boolean }): Promise<{ ok: boolean; error?: string }> {
  if (conv.status !== 'bot') return { ok: false, error: 'The robot no longer serves this chat' };
  const state = await loadState(d.db, d.tenantId, conv.id);
  const lang = languageFor(d.style, state.question ?? '');
  if (pick.human) {
    if (state.choices.length) await logUnanswered(d, conv, state.question, 'rejected');
    else if (state.answeredArticleId) await logUnanswered(d, conv, state.question, 'handover_after_answer');
    await robotHandsOver(d, conv, 'asked', lang);
    return { ok: true };
  }
  if (pick.articleId === null) {
    if (!state.choices.length) return { ok: false, error: 'Nothing to choose from' };
    await logUnanswered(d, conv, state.question, 'rejected');
    await robotHandsOver(d, conv, 'rejected', lang);
    return { ok: true };
  }
  if (!state.choices.some((c) => c.articleId === pick.articleId)) return { ok: false, error: 'Not one of the offered articles' };
  const [article] = await d.db.select({ id: kbArticles.id, title: kbArticles.title, bodyText: kbArticles.bodyText }).from(kbArticles)
    .where(and(eq(kbArticles.tenantId, d.tenantId), inArray(kbArticles.id, [pick.articleId]), PUBLIC_ARTICLE));
  if (!article) return { ok: false, error: 'That article is no longer published' };
  await saveState(d.db, conv.id, { choices: [], answeredArticleId: article.id, misses: 0 });
  await say(d, conv, answerText(article.title, article.bodyText));
  return { ok: true };
}

/** The choices still open in a chat (the widget shows them again after a reload). */
export async function openChoices(db: Conn, conversationId: string): Promise<RobotChoice[]> {
  const [s] = await db.select({ choices: chatRobotStates.choices }).from(chatRobotStates).where(eq(chatRobotStates.conversationId, conversationId));
  return s?.choices ?? [];
}
