import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { AgentMessageView, ColleagueList } from '../../contracts/chat-live.ts';
import type { Presence } from '../../contracts/staff.ts';
import { AppError } from '../../contracts/errors.ts';
import { actorUserId } from '../../modules/auth/actor.ts';
import type { Ctx } from '../../modules/context.ts';
import { users } from '../../modules/staff/staff.schema.ts';
import { findOwned, inTenant } from '../../modules/tenant-scope.ts';
import { writeHistory } from '../../modules/tickets/tickets.service.ts';
import { agentMessages, type AgentMessage } from './chat-live.schema.ts';
import { chatConversations, type ChatConversation } from './webchat.schema.ts';

function me(ctx: Ctx): string {
  const id = actorUserId(ctx.actor);
  if (!id) throw new AppError('forbidden', 'Only a signed-in agent can do this');
  return id;
}

/** The chat's agent or one of its invited colleagues. */
export function isInChat(conv: Pick<ChatConversation, 'agentId' | 'collaboratorIds'>, userId: string | null): boolean {
  return !!userId && (conv.agentId === userId || conv.collaboratorIds.includes(userId));
}

async function names(ctx: Ctx, ids: readonly string[]) {
  if (!ids.length) return [];
  const rows = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inTenant(ctx, users, inArray(users.id, [...ids])));
  return ids.flatMap((id) => rows.filter((r) => r.id === id));
}

export const collaboratorsOf = (ctx: Ctx, conv: Pick<ChatConversation, 'collaboratorIds'>) => names(ctx, conv.collaboratorIds);

/**
 * 邀请同事: a colleague joins the chat beside its agent. Both see it in their console and write in it;
 * the visitor sees each one's name on their messages. The ticket's history records who joined.
 */
export async function inviteColleague(ctx: Ctx, conv: ChatConversation, agentId: string): Promise<ChatConversation> {
  if (conv.status !== 'active') throw new AppError('validation', { zh: '只能在进行中的会话里邀请同事', en: 'Colleagues can be invited into an active chat only' });
  const colleague = await findOwned(ctx, users, agentId);
  if (colleague.status !== 'active') throw new AppError('validation', { zh: '该同事的账号不可用', en: 'This colleague\'s account is not active' });
  if (isInChat(conv, agentId)) throw new AppError('validation', { zh: '该同事已经在会话中', en: 'This colleague is already in the chat' });
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(chatConversations)
      .set({ collaboratorIds: sql`array_append(${chatConversations.collaboratorIds}, ${agentId}::uuid)` })
      .where(and(eq(chatConversations.id, conv.id), sql`not (${agentId}::uuid = any(${chatConversations.collaboratorIds}))`))
      .returning();
    if (!row) throw new AppError('validation', { zh: '该同事已经在会话中', en: 'This colleague is already in the chat' });
    await writeHistory({ ...ctx, db: tx }, conv.ticketId, 'chat_colleague_invited', { colleague: [null, colleague.name] });
    return row;
  });
}

/** An invited colleague leaves the chat (its agent stays; transfer moves the chat itself). */
export async function leaveChat(ctx: Ctx, conv: ChatConversation): Promise<ChatConversation> {
  const userId = me(ctx);
  if (!conv.collaboratorIds.includes(userId)) throw new AppError('validation', { zh: '您不是被邀请进此会话的同事', en: 'You were not invited into this chat' });
  const [row] = await ctx.db.update(chatConversations)
    .set({ collaboratorIds: sql`array_remove(${chatConversations.collaboratorIds}, ${userId}::uuid)` })
    .where(eq(chatConversations.id, conv.id)).returning();
  return row;
}

// ------------------------------------------------------------------------------- agent to agent

const present = (m: AgentMessage): AgentMessageView => ({ id: m.id, fromId: m.fromId, toId: m.toId, body: m.body, createdAt: m.createdAt.toISOString(), read: !!m.readAt });

/** 内部交流: colleagues to write to, online ones first, with my unread messages from each. */
export async function colleagues(ctx: Ctx): Promise<ColleagueList> {
  const userId = me(ctx);
  const [staff, unread] = await Promise.all([
    ctx.db.select({ id: users.id, name: users.name, presence: users.presence }).from(users)
      .where(inTenant(ctx, users, eq(users.status, 'active'), ne(users.id, userId))).orderBy(asc(users.name)),
    ctx.db.select({ fromId: agentMessages.fromId, n: sql<number>`count(*)`.mapWith(Number) }).from(agentMessages)
      .where(inTenant(ctx, agentMessages, eq(agentMessages.toId, userId), isNull(agentMessages.readAt))).groupBy(agentMessages.fromId),
  ]);
  const rank = (p: string) => (p === 'online' ? 0 : p === 'away' ? 1 : 2);
  return {
    items: staff.map((u) => ({ id: u.id, name: u.name, presence: u.presence as Presence, unread: unread.find((x) => x.fromId === u.id)?.n ?? 0 }))
      .sort((a, b) => rank(a.presence) - rank(b.presence)),
  };
}

/** The conversation with one colleague (latest 200, oldest first; none with someone not of this company); what they sent me is read now. */
export async function conversationWith(ctx: Ctx, otherId: string): Promise<AgentMessageView[]> {
  const userId = me(ctx);
  const between = or(and(eq(agentMessages.fromId, userId), eq(agentMessages.toId, otherId)), and(eq(agentMessages.fromId, otherId), eq(agentMessages.toId, userId)));
  const rows = await ctx.db.select().from(agentMessages).where(inTenant(ctx, agentMessages, between)).orderBy(desc(agentMessages.createdAt)).limit(200);
  await ctx.db.update(agentMessages).set({ readAt: new Date() })
    .where(inTenant(ctx, agentMessages, eq(agentMessages.fromId, otherId), eq(agentMessages.toId, userId), isNull(agentMessages.readAt)));
  return rows.reverse().map(present);
}

export async function sendToColleague(ctx: Ctx, toId: string, body: string): Promise<AgentMessageView> {
  const userId = me(ctx);
  if (toId === userId) throw new AppError('validation', { zh: '不能给自己发消息', en: 'You cannot write to yourself' });
  const to = await findOwned(ctx, users, toId);
  if (to.status !== 'active') throw new AppError('validation', { zh: '该同事的账号不可用', en: 'This colleague\'s account is not active' });
  const text = body.trim();
  if (!text) throw new AppError('validation', { zh: '消息不能为空', en: 'The message is empty' });
  const [row] = await ctx.db.insert(agentMessages).values({ tenantId: ctx.tenantId, fromId: userId, toId, body: text }).returning();
  return present(row);
}
