import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { ChatView, TransferTargets } from '../../contracts/chat.ts';
import { AppError } from '../../contracts/errors.ts';
import { actorUserId, can } from '../../modules/auth/actor.ts';
import type { Ctx } from '../../modules/context.ts';
import { departments, users } from '../../modules/staff/staff.schema.ts';
import { findOwned, inTenant } from '../../modules/tenant-scope.ts';
import { tickets } from '../../modules/tickets/tickets.schema.ts';
import { recordAudit } from '../../modules/audit/audit.service.ts';
import type { Presence } from '../../contracts/staff.ts';
import { describeDevice } from './device.ts';
import { secondsOnPage } from './trail.ts';
import { loadChatAgents } from './chat-routing.service.ts';
import { linesAfter, visitorName } from './chat.service.ts';
import { withAttachments } from './chat-files.ts';
import { collaboratorsOf } from './chat-colleagues.service.ts';
import { cannedReplies, chatAgentSettings, chatConversations, chatVisitors, type ChatConversation, type ChatVisitor } from './webchat.schema.ts';

function presentVisitor(v: ChatVisitor, pastChats: number): ChatView['visitor'] {
  const r = v.referrer;
  return {
    id: v.id, name: visitorName(v), visits: v.visits, returning: v.visits > 1, firstSeenAt: v.firstSeenAt.toISOString(), lastSeenAt: v.lastSeenAt.toISOString(),
    region: { province: v.region.province, city: v.region.city, isp: v.region.isp },
    device: v.device ? describeDevice(v.device) : null,
    referrer: {
      kind: r?.kind ?? 'direct', host: r && 'host' in r ? r.host : null,
      engine: r?.kind === 'search' ? r.engine : null, keyword: r?.kind === 'search' ? r.keyword : null,
    },
    trail: v.trail.pages.map((p) => ({ ...p, seconds: Math.round(secondsOnPage(p)) })),
    pastChats,
  };
}

/** The console's chats: every active chat the agent serves, with its history and the visitor's details. */
export async function myChats(ctx: Ctx): Promise<ChatView[]> {
  const me = actorUserId(ctx.actor);
  if (!me) return [];
  const rows = await ctx.db.select({ c: chatConversations, v: chatVisitors, number: tickets.number }).from(chatConversations)
    .innerJoin(chatVisitors, eq(chatVisitors.id, chatConversations.visitorId))
    .innerJoin(tickets, eq(tickets.id, chatConversations.ticketId))
    .where(inTenant(ctx, chatConversations, or(eq(chatConversations.agentId, me), sql`${me}::uuid = any(${chatConversations.collaboratorIds})`), eq(chatConversations.status, 'active')))
    .orderBy(asc(chatConversations.startedAt)).limit(50);
  const visitorIds = [...new Set(rows.map((r) => r.v.id))];
  const counts = visitorIds.length ? await ctx.db.select({ visitorId: chatConversations.visitorId, n: sql<number>`count(*)`.mapWith(Number) }).from(chatConversations)
    .where(inTenant(ctx, chatConversations, inArray(chatConversations.visitorId, visitorIds))).groupBy(chatConversations.visitorId) : [];
  return Promise.all(rows.map(async ({ c, v, number }) => presentChat(ctx, c, v, number, (counts.find((x) => x.visitorId === v.id)?.n ?? 1) - 1)));
}

async function presentChat(ctx: Ctx, c: ChatConversation, v: ChatVisitor, ticketNumber: number, pastChats: number): Promise<ChatView> {
  return {
    id: c.id, ticketId: c.ticketId, ticketNumber, status: c.status as ChatView['status'], agentId: c.agentId,
    startedAt: c.startedAt?.toISOString() ?? null, rating: c.rating, visitor: presentVisitor(v, pastChats),
    lines: await withAttachments(ctx.db, ctx.tenantId, await linesAfter(ctx.db, c.id, 0)),
    collaborators: await collaboratorsOf(ctx, c),
  };
}

/** Where a chat can go: the department tree, everyone with their presence and current chat count, my last three targets. */
export async function transferTargets(ctx: Ctx): Promise<TransferTargets> {
  const [deps, staff, agents] = await Promise.all([
    ctx.db.select({ id: departments.id, parentId: departments.parentId, name: departments.name }).from(departments).where(inTenant(ctx, departments)).orderBy(asc(departments.sortOrder), asc(departments.name)),
    ctx.db.select({ id: users.id, name: users.name }).from(users).where(inTenant(ctx, users, eq(users.status, 'active'))).orderBy(asc(users.name)),
    loadChatAgents(ctx.db, ctx.tenantId),
  ]);
  const me = actorUserId(ctx.actor);
  const [mine] = me ? await ctx.db.select().from(chatAgentSettings).where(inTenant(ctx, chatAgentSettings, eq(chatAgentSettings.userId, me))) : [];
  return {
    departments: deps,
    agents: staff.map((u) => {
      const a = agents.find((x) => x.userId === u.id)!;
      return { id: u.id, name: u.name, presence: a.presence as Presence, activeChats: a.activeChats, capacity: a.capacity, departmentIds: [...a.departmentIds] };
    }),
    recent: mine?.recentTransfers ?? [],
  };
}

/** 最大接待量 of one agent (0: the ACD gives them none). */
export async function setChatCapacity(ctx: Ctx, userId: string, capacity: number) {
  await findOwned(ctx, users, userId);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(chatAgentSettings).values({ tenantId: ctx.tenantId, userId, chatCapacity: capacity })
      .onConflictDoUpdate({ target: [chatAgentSettings.tenantId, chatAgentSettings.userId], set: { chatCapacity: capacity } });
    await recordAudit({ ...ctx, db: tx }, { action: 'chat_capacity.update', targetType: 'user', targetId: userId, after: { capacity } });
  });
  return { userId, capacity };
}

// ------------------------------------------------------------------------------------ canned replies

const presentCanned = (r: typeof cannedReplies.$inferSelect) => ({ id: r.id, title: r.title, body: r.body, category: r.category, scope: r.ownerId ? 'personal' as const : 'public' as const });

/** 常用语: the company's public ones and my personal ones, by category. */
export async function listCannedReplies(ctx: Ctx) {
  const me = actorUserId(ctx.actor);
  const rows = await ctx.db.select().from(cannedReplies)
    .where(inTenant(ctx, cannedReplies, me ? or(isNull(cannedReplies.ownerId), eq(cannedReplies.ownerId, me)) : isNull(cannedReplies.ownerId)))
    .orderBy(asc(cannedReplies.category), asc(cannedReplies.sortOrder), desc(cannedReplies.createdAt)).limit(500);
  return { items: rows.map(presentCanned), total: rows.length };
}

export async function createCannedReply(ctx: Ctx, input: { title: string; body: string; category?: string; scope?: 'personal' | 'public' }) {
  if (!input.title.trim() || !input.body.trim()) throw new AppError('validation', 'A canned reply needs a title and a text');
  const scope = input.scope ?? 'personal';
  if (scope === 'public' && !can(ctx.actor, 'settings.manage')) throw new AppError('forbidden', 'Only administrators add public canned replies');
  const me = actorUserId(ctx.actor);
  if (scope === 'personal' && !me) throw new AppError('validation', 'Personal canned replies belong to a person: sign in');
  const [row] = await ctx.db.insert(cannedReplies).values({
    tenantId: ctx.tenantId, ownerId: scope === 'personal' ? me : null, title: input.title, body: input.body, category: input.category ?? '',
  }).returning();
  return presentCanned(row);
}

/** My own personal replies, or public ones with settings.manage; anything else is not found. */
export async function deleteCannedReply(ctx: Ctx, id: string) {
  const row = await findOwned(ctx, cannedReplies, id);
  const me = actorUserId(ctx.actor);
  if (row.ownerId ? row.ownerId !== me : !can(ctx.actor, 'settings.manage')) throw new AppError('not_found');
  await ctx.db.delete(cannedReplies).where(eq(cannedReplies.id, id));
}

