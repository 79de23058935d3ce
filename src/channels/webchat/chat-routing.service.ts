import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import type { Presence } from '../../contracts/staff.ts';
import { systemCtx } from '../../modules/context.ts';
import { departmentMembers, departments, users } from '../../modules/staff/staff.schema.ts';
import { assignTicket } from '../../modules/tickets/ticket-changes.service.ts';
import { tickets } from '../../modules/tickets/tickets.schema.ts';
import { ChatQueue, decideChatAgent, drainQueue, type AcdDecision, type ChatAgent, type ChatScope } from './acd.ts';
import { decideRoutingScope, type RoutingScope } from './region-routing.ts';
import { chatAgentSettings, chatConversations, regionStrategies, type WidgetStyle } from './webchat.schema.ts';

/** Chats an agent takes at once when no one set their capacity (最大接待量). */
export const DEFAULT_CHAT_CAPACITY = 5;

/** 区域分流 over 指定客服 for one visitor region and widget style (region-routing.ts decides). */
export async function routingScopeFor(db: Conn, tenantId: string, style: WidgetStyle | null, region: { province: string | null; city: string | null }): Promise<RoutingScope> {
  // one after the other: inside a transaction there is one connection
  const strategies = await db.select().from(regionStrategies).where(eq(regionStrategies.tenantId, tenantId));
  const existing = await db.select({ id: departments.id }).from(departments).where(eq(departments.tenantId, tenantId));
  return decideRoutingScope({
    region, strategies,
    designated: { agentIds: style?.designatedAgentIds ?? [], departmentIds: style?.designatedDepartmentIds ?? [] },
    existingDepartmentIds: new Set(existing.map((d) => d.id)),
  });
}

/** Every active staff member as the ACD sees them: presence, departments, skills, live chats, capacity. */
export async function loadChatAgents(db: Conn, tenantId: string): Promise<ChatAgent[]> {
  // one after the other: inside a transaction there is one connection
  const staff = await db.select({ id: users.id, presence: users.presence, skills: users.skills }).from(users).where(and(eq(users.tenantId, tenantId), eq(users.status, 'active')));
  const members = await db.select({ userId: departmentMembers.userId, departmentId: departmentMembers.departmentId }).from(departmentMembers).where(eq(departmentMembers.tenantId, tenantId));
  const settings = await db.select().from(chatAgentSettings).where(eq(chatAgentSettings.tenantId, tenantId));
  const load = await db.select({ agentId: chatConversations.agentId, n: sql<number>`count(*)`.mapWith(Number) }).from(chatConversations)
    .where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.status, 'active'))).groupBy(chatConversations.agentId);
  return staff.map((u) => {
    const s = settings.find((x) => x.userId === u.id);
    return {
      userId: u.id, presence: u.presence as Presence, skills: u.skills,
      departmentIds: members.filter((m) => m.userId === u.id).map((m) => m.departmentId),
      activeChats: load.find((l) => l.agentId === u.id)?.n ?? 0,
      capacity: s?.chatCapacity ?? DEFAULT_CHAT_CAPACITY,
      lastChatAt: s?.lastChatAt ?? null,
    };
  });
}

/** Would anyone serve this scope now or soon (the widget shows the chat or the offline form)? */
export async function decideFor(db: Conn, tenantId: string, scope: ChatScope, exclude: readonly string[] = []): Promise<AcdDecision> {
  return decideChatAgent({ scope, skills: [], exclude }, await loadChatAgents(db, tenantId));
}

export interface AcdOutcome {
  assignments: Array<{ conversationId: string; ticketId: string; visitorId: string; agentId: string }>;
  /** Every waiting chat's place in its line, to push to the visitors. */
  positions: Map<string, number>;
}

/**
 * Hands waiting chats to free agents (acd.ts drainQueue) and writes the outcome: the conversation
 * becomes active and its ticket is assigned (history, ticket.assigned). One node at a time per company
 * (an advisory lock), so two nodes never give one chat to two agents or an agent more than they can take.
 */
export async function runAcd(db: Conn, tenantId: string, now = new Date()): Promise<AcdOutcome> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`kefu-chat-acd:${tenantId}`}))`);
    const waiting = await tx.select().from(chatConversations)
      .where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.status, 'queued'))).orderBy(asc(chatConversations.queuedAt));
    if (!waiting.length) return { assignments: [], positions: new Map() };
    const queue = ChatQueue.from(waiting.map((c) => ({
      chatId: c.id, scope: c.scope as ChatScope, skills: [], exclude: c.exclude, priority: 0, enqueuedAt: c.queuedAt.getTime(),
    })));
    const handed = drainQueue(queue, await loadChatAgents(tx, tenantId), now);
    const assignments: AcdOutcome['assignments'] = [];
    const ctx = systemCtx(tx, tenantId, 'live chat routing');
    for (const a of handed) {
      const conv = waiting.find((c) => c.id === a.chatId)!;
      await tx.update(chatConversations).set({ status: 'active', agentId: a.userId, startedAt: conv.startedAt ?? now }).where(eq(chatConversations.id, conv.id));
      const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, conv.ticketId));
      await assignTicket(ctx, ticket, a.userId, 'Live chat routing');
      await tx.insert(chatAgentSettings).values({ tenantId, userId: a.userId, lastChatAt: now })
        .onConflictDoUpdate({ target: [chatAgentSettings.tenantId, chatAgentSettings.userId], set: { lastChatAt: now } });
      assignments.push({ conversationId: conv.id, ticketId: conv.ticketId, visitorId: conv.visitorId, agentId: a.userId });
    }
    return { assignments, positions: queue.positions() };
  });
}

/** Current chat counts of the given agents (the transfer tree shows them). */
export async function activeChatCounts(db: Conn, tenantId: string, agentIds: readonly string[]): Promise<Map<string, number>> {
  if (!agentIds.length) return new Map();
  const rows = await db.select({ agentId: chatConversations.agentId, n: sql<number>`count(*)`.mapWith(Number) }).from(chatConversations)
    .where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.status, 'active'), inArray(chatConversations.agentId, [...agentIds])))
    .groupBy(chatConversations.agentId);
  return new Map(rows.map((r) => [r.agentId!, r.n]));
}
