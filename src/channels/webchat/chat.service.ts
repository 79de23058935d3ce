import { and, asc, desc, eq, gt, ne, sql } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import { actorUserId } from '../../modules/auth/actor.ts';
import { systemCtx, type Ctx } from '../../modules/context.ts';
import { resolveIdentity } from '../../modules/customers/customers.service.ts';
import { customers } from '../../modules/customers/customers.schema.ts';
import { users } from '../../modules/staff/staff.schema.ts';
import { assertAssignable, ingest, reply, writeHistory } from '../../modules/tickets/tickets.service.ts';
import { assignTicket, forwardTicket, updateTicket } from '../../modules/tickets/ticket-changes.service.ts';
import { messages, tickets, type Message } from '../../modules/tickets/tickets.schema.ts';
import { findOwned } from '../../modules/tenant-scope.ts';
import { departments } from '../../modules/staff/staff.schema.ts';
import type { ChatScope } from './acd.ts';
import { decideFor, routingScopeFor } from './chat-routing.service.ts';
import { checkFrame, externalIdFor, isUuid, type Ack, type DeliveredMessage, type SendFrame } from './delivery.ts';
import { storeAgentLine, storeVisitorLine } from './chat-line.ts';
import { chatHubFor } from './chat-hub.ts';
import {
  chatAgentSettings, chatConversations, chatMessageSeqs, chatVisitors, widgetStyles,
  type ChatConversation, type ChatFormField, type ChatVisitor, type WidgetStyle,
} from './webchat.schema.ts';

/** A stored chat message as the widget and the console show it. */
export interface ChatLine extends DeliveredMessage {
  author: 'visitor' | 'agent' | 'bot' | 'system';
  authorName: string | null;
  at: string;
}

const visitorCtx = (db: Conn, tenantId: string) => systemCtx(db, tenantId, 'visitor');
const clientIdOf = (externalId: string | null) => externalId?.split(':')[1] ?? null;

function line(conversationId: string, seq: number, m: Pick<Message, 'id' | 'body' | 'authorType' | 'externalId' | 'createdAt'>, authorName: string | null): ChatLine {
  return {
    conversationId, clientId: clientIdOf(m.externalId), messageId: m.id, seq, body: m.body,
    author: m.authorType === 'customer' ? 'visitor' : (m.authorType as ChatLine['author']), authorName, at: m.createdAt.toISOString(),
  };
}

export async function loadStyle(db: Conn, tenantId: string, styleId: string): Promise<WidgetStyle | null> {
  const [s] = await db.select().from(widgetStyles).where(and(eq(widgetStyles.tenantId, tenantId), eq(widgetStyles.id, styleId)));
  return s ?? null;
}

/** The visitor's chat still going on (queued or active), if any. */
export async function openConversation(db: Conn, tenantId: string, visitorId: string): Promise<ChatConversation | null> {
  const [c] = await db.select().from(chatConversations)
    .where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.visitorId, visitorId), ne(chatConversations.status, 'ended')))
    .orderBy(desc(chatConversations.createdAt)).limit(1);
  return c ?? null;
}

/** Messages of a conversation after a seq, in order (a reconnect's catch-up, or the whole history from 0). */
export async function linesAfter(db: Conn, conversationId: string, afterSeq: number, limit = 500): Promise<ChatLine[]> {
  const rows = await db.select({ seq: chatMessageSeqs.seq, m: messages, agentName: users.name }).from(chatMessageSeqs)
    .innerJoin(messages, eq(messages.id, chatMessageSeqs.messageId))
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(and(eq(chatMessageSeqs.conversationId, conversationId), gt(chatMessageSeqs.seq, afterSeq)))
    .orderBy(asc(chatMessageSeqs.seq)).limit(limit);
  return rows.map((r) => line(conversationId, r.seq, r.m, r.m.authorType === 'agent' ? r.agentName : null));
}

/** Numbers a stored message in its conversation, under the conversation's row lock. */
async function number(tx: Conn, conv: { id: string; tenantId: string }, messageId: string): Promise<number> {
  const [row] = await tx.update(chatConversations).set({ lastSeq: sql`${chatConversations.lastSeq} + 1` }).where(eq(chatConversations.id, conv.id)).returning({ seq: chatConversations.lastSeq });
  await tx.insert(chatMessageSeqs).values({ tenantId: conv.tenantId, conversationId: conv.id, seq: row.seq, messageId });
  return row.seq;
}

/** A message already stored under this client id in this conversation: the resend gets the same ack. */
async function storedBefore(tx: Conn, tenantId: string, conversationId: string, clientId: string): Promise<ChatLine | null> {
  const [row] = await tx.select({ seq: chatMessageSeqs.seq, m: messages }).from(messages)
    .innerJoin(chatMessageSeqs, eq(chatMessageSeqs.messageId, messages.id))
    .where(and(eq(messages.tenantId, tenantId), eq(messages.channel, 'webchat'), eq(messages.externalId, externalIdFor(conversationId, clientId))));
  return row ? line(conversationId, row.seq, row.m, null) : null;
}

export interface VisitorSend {
  ack: Ack;
  line?: ChatLine;
  /** Set when this message opened the conversation: the caller runs the ACD (or offers the offline form). */
  opened?: ChatConversation;
  conversation?: ChatConversation;
}

/**
 * Most of a visitor's text lines, from the socket's ids alone (no visitor row, no style loaded): one
 * statement (chat-line.ts), acknowledged like any other. Null when the line needs acceptVisitorMessage
 * (a new chat, a turn that moves the ticket, a resend, anything invalid: it answers those).
 */
export async function acceptLightVisitorLine(db: Conn, tenantId: string, visitorId: string, frame: Partial<SendFrame>): Promise<VisitorSend | null> {
  if (checkFrame(frame)) return null;
  const f = frame as SendFrame;
  if (!isUuid(f.conversationId)) return null;
  const externalId = externalIdFor(f.conversationId, f.clientId);
  const fast = await storeVisitorLine(db, { tenantId, visitorId, conversationId: f.conversationId, externalId, body: f.body });
  if (!fast) return null;
  const stored = line(fast.conversation.id, fast.seq, { id: fast.messageId, body: f.body, authorType: 'customer', externalId, createdAt: fast.createdAt }, null);
  chatHubFor(db)?.ticketActivity(tenantId, fast.conversation.ticketId);
  return { ack: { ok: true, clientId: f.clientId, duplicate: false, message: stored }, line: stored, conversation: fast.conversation };
}

/**
 * A visitor's message (the full path; the gateway tries acceptLightVisitorLine first): stored (a chat is a ticket on the webchat channel, through tickets.ingest),
 * numbered, and only then acknowledged. A client id seen before in the conversation gets its first
 * ack again. The first message of a new conversation id opens the conversation (and its ticket).
 */
export async function acceptVisitorMessage(
  db: Conn, tenantId: string, visitor: ChatVisitor, style: WidgetStyle | null, frame: Partial<SendFrame>,
  /** Runs in the message's transaction once it is stored (a chat file's attachment rows). */
  alsoStore?: (tx: Conn, stored: { ticketId: string; messageId: string }) => Promise<void>,
): Promise<VisitorSend> {
  const clientId = typeof frame.clientId === 'string' ? frame.clientId : '';
  const bad = checkFrame(frame);
  if (bad) return { ack: { ok: false, clientId, code: bad, retry: false } };
  const f = frame as SendFrame;
  if (!isUuid(f.conversationId)) return { ack: { ok: false, clientId, code: 'bad_conversation', retry: false } };
  return db.transaction(async (tx) => {
    // One visitor's messages are stored one at a time: two tabs cannot open two conversations.
    await tx.select({ id: chatVisitors.id }).from(chatVisitors).where(eq(chatVisitors.id, visitor.id)).for('update');
    const [conv] = await tx.select().from(chatConversations).where(eq(chatConversations.id, f.conversationId));
    if (conv && (conv.tenantId !== tenantId || conv.visitorId !== visitor.id)) return { ack: { ok: false, clientId, code: 'bad_conversation', retry: false } };
    if (conv) {
      const seen = await storedBefore(tx, tenantId, conv.id, f.clientId);
      if (seen) return { ack: { ok: true, clientId, duplicate: true, message: seen }, line: seen, conversation: conv };
      if (conv.status === 'ended') return { ack: { ok: false, clientId, code: 'bad_conversation', retry: false } };
    } else if (await openConversation(tx, tenantId, visitor.id)) {
      // The widget holds an id from before a chat it no longer knows about: it starts over with the open one.
      return { ack: { ok: false, clientId, code: 'bad_conversation', retry: false } };
    }
    const scope = conv ? null : await routingScopeFor(tx, tenantId, style, visitor.region);
    const result = await ingest(visitorCtx(tx, tenantId), {
      channel: 'webchat', externalId: externalIdFor(f.conversationId, f.clientId), identity: { kind: 'visitor', value: visitor.visitorKey, name: visitorName(visitor) },
      subject: conv ? undefined : `${visitorName(visitor)}: ${f.body.slice(0, 60)}`, body: f.body,
      threadHints: conv ? { ticketId: conv.ticketId } : undefined,
      departmentId: scope?.departmentIds[0],
    });
    if (alsoStore) await alsoStore(tx, result);
    let current = conv;
    if (!current) {
      [current] = await tx.insert(chatConversations).values({
        id: f.conversationId, tenantId, ticketId: result.ticketId, visitorId: visitor.id, widgetStyleId: style?.id ?? null,
        // robot first: the chat is the robot's from the start, so the ACD never takes it before the robot has answered
        status: style?.robotEnabled ? 'bot' : 'queued',
        scope: { source: scope!.source, departmentIds: scope!.departmentIds, agentIds: scope!.agentIds },
      }).returning();
      if (!visitor.customerId) {
        const [t] = await tx.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, result.ticketId));
        await tx.update(chatVisitors).set({ customerId: t.customerId }).where(eq(chatVisitors.id, visitor.id));
      }
    } else if (current.ticketId !== result.ticketId) {
      // Someone closed the ticket while the chat went on: the chat carries on in the new ticket.
      [current] = await tx.update(chatConversations).set({ ticketId: result.ticketId }).where(eq(chatConversations.id, current.id)).returning();
    }
    const seq = await number(tx, current, result.messageId);
    const [m] = await tx.select().from(messages).where(eq(messages.id, result.messageId));
    const stored = line(current.id, seq, m, null);
    return { ack: { ok: true, clientId, duplicate: false, message: stored }, line: stored, opened: conv ? undefined : current, conversation: current };
  });
}

export const visitorName = (v: Pick<ChatVisitor, 'region' | 'visitorKey'>) =>
  `${[v.region.province, v.region.city].filter(Boolean).join(' ') || '访客'} #${v.visitorKey.slice(0, 4)}`;

/** An agent writes in a chat they may see: a public reply on its ticket, numbered; the client id makes a resend harmless. */
export async function postAgentMessage(ctx: Ctx, conv: ChatConversation, clientId: string, body: string, attachmentIds: readonly string[] = []): Promise<{ line: ChatLine; duplicate: boolean }> {
  const bad = checkFrame({ conversationId: conv.id, clientId, body });
  if (bad) throw new AppError('validation', bad === 'too_long' ? 'The message is too long' : bad === 'empty' ? 'The message is empty' : 'The message id is not valid');
  const me = actorUserId(ctx.actor);
  const fast = me && !attachmentIds.length ? await storeAgentLine(ctx.db, ctx.tenantId, me, conv.id, externalIdFor(conv.id, clientId), body) : null;
  if (fast) {
    chatHubFor(ctx.db)?.ticketActivity(ctx.tenantId, fast.conversation.ticketId);
    return { line: line(conv.id, fast.seq, { id: fast.messageId, body, authorType: 'agent', externalId: externalIdFor(conv.id, clientId), createdAt: fast.createdAt }, ctx.actor.name), duplicate: false };
  }
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(chatConversations).where(eq(chatConversations.id, conv.id)).for('update');
    const seen = await storedBefore(tx, ctx.tenantId, conv.id, clientId);
    if (seen) return { line: { ...seen, authorName: ctx.actor.name }, duplicate: true };
    if (locked.status === 'ended') throw new AppError('validation', 'This chat has ended');
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, locked.ticketId));
    const message = await reply({ ...ctx, db: tx }, ticket, body, 'public', [], attachmentIds);
    const [m] = await tx.update(messages).set({ externalId: externalIdFor(conv.id, clientId) }).where(eq(messages.id, message.id)).returning();
    const seq = await number(tx, locked, m.id);
    return { line: line(conv.id, seq, m, ctx.actor.name), duplicate: false };
  });
}

/**
 * A public message written on a chat's ticket outside the chat console (an agent's reply on the ticket
 * page, an automation's auto-reply): while the chat is open it is numbered into the conversation like a
 * console line, so the widget shows it. Called from the message.added event; a message numbered already
 * (console lines, robot answers, a repeated delivery) is left alone. Null when there is nothing to deliver.
 */
export async function numberTicketReply(db: Conn, tenantId: string, ticketId: string, messageId: string): Promise<{ line: ChatLine; agentId: string | null } | null> {
  return db.transaction(async (tx) => {
    const [conv] = await tx.select().from(chatConversations)
      .where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.ticketId, ticketId), ne(chatConversations.status, 'ended'))).for('update');
    if (!conv) return null;
    const [row] = await tx.select({ m: messages, agentName: users.name, seq: chatMessageSeqs.seq }).from(messages)
      .leftJoin(users, eq(users.id, messages.authorId))
      .leftJoin(chatMessageSeqs, eq(chatMessageSeqs.messageId, messages.id))
      .where(and(eq(messages.tenantId, tenantId), eq(messages.id, messageId), eq(messages.ticketId, ticketId)));
    if (!row || row.seq !== null || row.m.visibility !== 'public' || row.m.channel !== 'webchat' || row.m.authorType === 'customer') return null;
    const seq = await number(tx, conv, messageId);
    return { line: line(conv.id, seq, row.m, row.m.authorType === 'agent' ? row.agentName : null), agentId: conv.agentId };
  });
}

/** Loads a chat for staff: its ticket's visibility rules apply (invisible = 404). */
export async function loadConversation(ctx: Ctx, id: string): Promise<ChatConversation> {
  return findOwned(ctx, chatConversations, id);
}

export interface TransferResult { conversation: ChatConversation; fromAgentId: string | null; toAgentId: string | null }

/**
 * Transfer to a colleague (the ticket is assigned to them) or to a department (the ticket is
 * forwarded and the ACD picks someone there). Refused when nobody there can take it now, so the
 * visitor is never left with no one. The ticket's history keeps every step.
 */
export async function transferChat(ctx: Ctx, conv: ChatConversation, to: { agentId?: string; departmentId?: string }, reason: string): Promise<TransferResult> {
  if (!!to.agentId === !!to.departmentId) throw new AppError('validation', 'Transfer to either a colleague or a department');
  if (conv.status === 'ended') throw new AppError('validation', 'This chat has ended');
  const from = conv.agentId;
  const exclude = [...new Set([...conv.exclude, ...(from ? [from] : [])])];
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, conv.ticketId)).for('update');
    let updated: ChatConversation;
    if (to.agentId) {
      if (to.agentId === from) throw new AppError('validation', 'This chat is already with that colleague');
      await assertAssignable(c, to.agentId);
      await assignTicket(c, ticket, to.agentId, reason);
      [updated] = await tx.update(chatConversations).set({ agentId: to.agentId, status: 'active', exclude, startedAt: conv.startedAt ?? new Date() }).where(eq(chatConversations.id, conv.id)).returning();
    } else {
      await findOwned(c, departments, to.departmentId!);
      const scope: ChatScope = { source: 'designated', departmentIds: [to.departmentId!], agentIds: [] };
      const decision = await decideFor(tx, ctx.tenantId, scope, exclude);
      if (decision.kind === 'offline') throw new AppError('validation', 'Nobody in that department is online to take the chat');
      if (ticket.departmentId !== to.departmentId) await forwardTicket(c, ticket, to.departmentId!, reason);
      else await assignTicket(c, ticket, null, reason);
      [updated] = await tx.update(chatConversations).set({ agentId: null, status: 'queued', scope, exclude, queuedAt: new Date() }).where(eq(chatConversations.id, conv.id)).returning();
    }
    const me = actorUserId(ctx.actor);
    if (me) await rememberTransferTarget(tx, ctx.tenantId, me, to.agentId ? { kind: 'agent', id: to.agentId } : { kind: 'department', id: to.departmentId! });
    return { conversation: updated, fromAgentId: from, toAgentId: to.agentId ?? null };
  });
}

/** The last three transfer targets, newest first (shortcuts in the transfer dialog). */
async function rememberTransferTarget(tx: Conn, tenantId: string, userId: string, target: { kind: 'agent' | 'department'; id: string }) {
  const [s] = await tx.select().from(chatAgentSettings).where(and(eq(chatAgentSettings.tenantId, tenantId), eq(chatAgentSettings.userId, userId)));
  const recent = [target, ...(s?.recentTransfers ?? []).filter((t) => t.id !== target.id)].slice(0, 3);
  await tx.insert(chatAgentSettings).values({ tenantId, userId, recentTransfers: recent })
    .onConflictDoUpdate({ target: [chatAgentSettings.tenantId, chatAgentSettings.userId], set: { recentTransfers: recent } });
}

/** Ends a chat (agent or visitor): the ticket is resolved, the agent's capacity freed. Ending twice is harmless. */
export async function endChat(ctx: Ctx, conv: ChatConversation): Promise<ChatConversation> {
  return ctx.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(chatConversations).where(eq(chatConversations.id, conv.id)).for('update');
    if (locked.status === 'ended') return locked;
    const [ended] = await tx.update(chatConversations).set({ status: 'ended', endedAt: new Date() }).where(eq(chatConversations.id, conv.id)).returning();
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, conv.ticketId));
    if (ticket.status !== 'resolved' && ticket.status !== 'closed') await updateTicket({ ...ctx, db: tx }, ticket, { status: 'resolved' });
    return ended;
  });
}

export async function endChatAsVisitor(db: Conn, tenantId: string, conv: ChatConversation) {
  return endChat(systemCtx(db, tenantId, 'visitor'), conv);
}

/** The visitor rates the chat (1–5 stars, optional comment); kept on the conversation and in the ticket's history. */
export async function rateChat(db: Conn, tenantId: string, visitor: ChatVisitor, conversationId: string, rating: number, comment: string | null): Promise<ChatConversation> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw new AppError('validation', 'A rating is 1 to 5 stars');
  if (comment && comment.length > 1000) throw new AppError('validation', 'The comment is too long');
  return db.transaction(async (tx) => {
    const [conv] = await tx.select().from(chatConversations).where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.id, conversationId), eq(chatConversations.visitorId, visitor.id))).for('update');
    if (!conv) throw new AppError('not_found');
    const [rated] = await tx.update(chatConversations).set({ rating, ratingComment: comment?.trim() || null }).where(eq(chatConversations.id, conv.id)).returning();
    await writeHistory(visitorCtx(tx, tenantId), conv.ticketId, 'chat_rated', { rating: [conv.rating, rating] }, comment?.trim() || undefined);
    return rated;
  });
}

/**
 * Pre-chat and offline forms: the answers fill the visitor's customer card (name, email, phone by
 * field kind); other fields are returned as text for the message. Required fields are checked here.
 */
export async function applyFormAnswers(db: Conn, tenantId: string, visitor: ChatVisitor, fields: readonly ChatFormField[], answers: Record<string, string>): Promise<{ customerId: string; extra: string[] }> {
  const ctx = visitorCtx(db, tenantId);
  const set: { name?: string; email?: string; phone?: string } = {};
  const extra: string[] = [];
  for (const f of fields) {
    const v = String(answers[f.key] ?? '').trim().slice(0, 500);
    if (!v) { if (f.required) throw new AppError('validation', `Please fill in: ${f.labelEn}`); continue; }
    if (f.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) throw new AppError('validation', `Not an email address: ${f.labelEn}`);
    if (f.kind === 'email') set.email = v.toLowerCase();
    else if (f.kind === 'phone') set.phone = v;
    else if (f.key === 'name') set.name = v;
    else extra.push(`${f.labelZh} / ${f.labelEn}: ${v}`);
  }
  const customer = await resolveIdentity(ctx, { kind: 'visitor', value: visitor.visitorKey, name: visitorName(visitor) });
  if (Object.keys(set).length) await db.update(customers).set({ ...set, updatedAt: new Date() }).where(eq(customers.id, customer.id));
  if (visitor.customerId !== customer.id) await db.update(chatVisitors).set({ customerId: customer.id }).where(eq(chatVisitors.id, visitor.id));
  return { customerId: customer.id, extra };
}

/** Nobody can chat: the offline form becomes a ticket in the queue (the form's contact details fill the card). */
export async function submitOfflineMessage(db: Conn, tenantId: string, visitor: ChatVisitor, style: WidgetStyle | null, clientId: string, answers: Record<string, string>, body: string) {
  const bad = checkFrame({ conversationId: visitor.id, clientId, body });
  if (bad) throw new AppError('validation', bad === 'empty' ? 'Please write a message' : bad === 'too_long' ? 'The message is too long' : 'Bad message id');
  return db.transaction(async (tx) => {
    const { extra } = await applyFormAnswers(tx, tenantId, visitor, style?.preChatFields ?? [], answers);
    const scope = await routingScopeFor(tx, tenantId, style, visitor.region);
    return ingest(visitorCtx(tx, tenantId), {
      channel: 'webchat', externalId: `offline:${visitor.id}:${clientId.toLowerCase()}`,
      identity: { kind: 'visitor', value: visitor.visitorKey }, subject: `留言 Offline message: ${body.slice(0, 60)}`,
      body: [body, ...extra].join('\n\n'), departmentId: scope.departmentIds[0],
    });
  });
}
