import { and, desc, eq, gt, inArray, ne } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { LiveVisitorView } from '../../contracts/chat-live.ts';
import type { Conn } from '../../db/client.ts';
import { actorUserId } from '../../modules/auth/actor.ts';
import { systemCtx, type Ctx } from '../../modules/context.ts';
import { users } from '../../modules/staff/staff.schema.ts';
import { findOwned, inTenant } from '../../modules/tenant-scope.ts';
import { assignTicket } from '../../modules/tickets/ticket-changes.service.ts';
import { tickets } from '../../modules/tickets/tickets.schema.ts';
import { describeDevice } from './device.ts';
import type { LiveHub } from './live-hub.ts';
import { visitorName } from './chat.service.ts';
import { chatInvitations, type ChatInvitation } from './chat-live.schema.ts';
import { chatAgentSettings, chatConversations, chatVisitors, widgetStyles, type ChatConversation } from './webchat.schema.ts';

/** An accepted invitation waits this long for the visitor's first message, which starts the chat with the inviter. */
export const ACCEPTED_INVITATION_TTL_MS = 30 * 60_000;

/**
 * 实时访客: everyone with the widget open on the company's site now (any node), one row per visitor: the
 * page of their latest widget, where they are, their device, when this visit began, whether they chat.
 */
export async function liveVisitors(ctx: Ctx, hub: LiveHub): Promise<LiveVisitorView[]> {
  const sockets = await hub.onSite(ctx.tenantId);
  if (!sockets.length) return [];
  const latest = new Map<string, (typeof sockets)[number]>();
  for (const s of sockets) if ((latest.get(s.visitorId)?.connectedAt ?? -1) < s.connectedAt) latest.set(s.visitorId, s);
  const ids = [...latest.keys()];
  const [rows, open, styles, invitations] = await Promise.all([
    ctx.db.select().from(chatVisitors).where(inTenant(ctx, chatVisitors, inArray(chatVisitors.id, ids))),
    ctx.db.select({ visitorId: chatConversations.visitorId }).from(chatConversations)
      .where(inTenant(ctx, chatConversations, inArray(chatConversations.visitorId, ids), ne(chatConversations.status, 'ended'))),
    ctx.db.select({ id: widgetStyles.id, proactiveInvite: widgetStyles.proactiveInvite }).from(widgetStyles).where(inTenant(ctx, widgetStyles)),
    ctx.db.select({ i: chatInvitations, agentName: users.name }).from(chatInvitations).leftJoin(users, eq(users.id, chatInvitations.agentId))
      .where(inTenant(ctx, chatInvitations, inArray(chatInvitations.visitorId, ids), gt(chatInvitations.createdAt, new Date(Date.now() - ACCEPTED_INVITATION_TTL_MS))))
      .orderBy(desc(chatInvitations.createdAt)),
  ]);
  const chatting = new Set(open.map((o) => o.visitorId));
  return rows.map((v) => {
    const s = latest.get(v.id)!;
    const firstPage = v.trail.pages[0];
    const inv = invitations.find((x) => x.i.visitorId === v.id);
    return {
      id: v.id, name: visitorName(v),
      page: { url: s.pageUrl, title: s.pageTitle || v.trail.pages.at(-1)?.title || '' },
      region: { province: v.region.province, city: v.region.city },
      device: v.device ? describeDevice(v.device) : null,
      visitStartedAt: new Date(Math.min(firstPage?.enteredAt ?? s.connectedAt, s.connectedAt)).toISOString(),
      visits: v.visits,
      chatting: chatting.has(v.id),
      styleId: s.styleId,
      canInvite: !chatting.has(v.id) && (styles.find((x) => x.id === s.styleId)?.proactiveInvite ?? false),
      invitation: inv ? { status: inv.i.status, agentName: inv.agentName } : null,
    };
  }).sort((a, b) => a.visitStartedAt.localeCompare(b.visitStartedAt));
}

/**
 * 主动邀请: the agent invites a visitor who is on the site and not chatting, where the visitor's widget
 * style allows invitations. The widget opens with the agent's message.
 */
export async function inviteVisitor(ctx: Ctx, hub: LiveHub, visitorId: string, message: string): Promise<ChatInvitation> {
  const me = actorUserId(ctx.actor);
  if (!me) throw new AppError('forbidden', 'Only a signed-in agent can invite visitors');
  const visitor = await findOwned(ctx, chatVisitors, visitorId);
  const text = message.trim();
  if (!text) throw new AppError('validation', { zh: '请填写邀请语', en: 'Write an invitation message' });
  const sockets = (await hub.onSite(ctx.tenantId)).filter((s) => s.visitorId === visitor.id);
  if (!sockets.length) throw new AppError('validation', { zh: '该访客已离开网站', en: 'This visitor has left the site' });
  const styleIds = [...new Set(sockets.map((s) => s.styleId))];
  const allowed = await ctx.db.select({ id: widgetStyles.id }).from(widgetStyles)
    .where(inTenant(ctx, widgetStyles, inArray(widgetStyles.id, styleIds), eq(widgetStyles.proactiveInvite, true)));
  if (!allowed.length) throw new AppError('validation', { zh: '该访客所在网站的风格已关闭主动邀请', en: 'Invitations are turned off for the widget style this visitor sees' });
  const [open] = await ctx.db.select({ id: chatConversations.id }).from(chatConversations)
    .where(inTenant(ctx, chatConversations, eq(chatConversations.visitorId, visitor.id), ne(chatConversations.status, 'ended'))).limit(1);
  if (open) throw new AppError('validation', { zh: '该访客正在会话中', en: 'This visitor is already chatting' });
  const [row] = await ctx.db.insert(chatInvitations).values({ tenantId: ctx.tenantId, visitorId: visitor.id, agentId: me, message: text }).returning();
  hub.toVisitor(visitor.id, 'invite', { id: row.id, agentName: ctx.actor.name, message: text });
  hub.toAgents(ctx.tenantId, 'visitors.changed', { visitorId: visitor.id, kind: 'invited' });
  return row;
}

/** The visitor accepts or declines; the inviting agent is told. Answering twice keeps the first answer. */
export async function answerInvitation(db: Conn, hub: LiveHub, tenantId: string, visitorId: string, invitationId: string, accept: boolean): Promise<ChatInvitation | null> {
  const [row] = await db.update(chatInvitations).set({ status: accept ? 'accepted' : 'declined', answeredAt: new Date() })
    .where(and(eq(chatInvitations.tenantId, tenantId), eq(chatInvitations.id, invitationId), eq(chatInvitations.visitorId, visitorId), eq(chatInvitations.status, 'pending')))
    .returning();
  if (!row) return null;
  hub.toAgents(tenantId, 'visitors.changed', { visitorId, kind: accept ? 'accepted' : 'declined' });
  return row;
}

/**
 * A chat the visitor opened after accepting an invitation goes straight to the inviting agent (if still
 * active staff), past the ACD; the invitation remembers the chat. Null when there is no such invitation.
 */
export async function serveByInviter(db: Conn, tenantId: string, conv: ChatConversation): Promise<{ agentId: string; agentName: string } | null> {
  return db.transaction(async (tx) => {
    const [inv] = await tx.select({ i: chatInvitations, name: users.name, status: users.status }).from(chatInvitations)
      .innerJoin(users, eq(users.id, chatInvitations.agentId))
      .where(and(
        eq(chatInvitations.tenantId, tenantId), eq(chatInvitations.visitorId, conv.visitorId), eq(chatInvitations.status, 'accepted'),
        gt(chatInvitations.answeredAt, new Date(Date.now() - ACCEPTED_INVITATION_TTL_MS)),
      ))
      .orderBy(desc(chatInvitations.answeredAt)).limit(1).for('update');
    if (!inv || inv.i.conversationId || inv.status !== 'active') return null;
    const [locked] = await tx.select().from(chatConversations).where(eq(chatConversations.id, conv.id)).for('update');
    if (locked.status !== 'queued' && locked.status !== 'bot') return null;
    const now = new Date();
    await tx.update(chatConversations).set({ status: 'active', agentId: inv.i.agentId, startedAt: now }).where(eq(chatConversations.id, conv.id));
    const [ticket] = await tx.select().from(tickets).where(eq(tickets.id, conv.ticketId));
    await assignTicket(systemCtx(tx, tenantId, 'live chat invitation'), ticket, inv.i.agentId, 'Accepted invitation');
    await tx.update(chatInvitations).set({ conversationId: conv.id }).where(eq(chatInvitations.id, inv.i.id));
    await tx.insert(chatAgentSettings).values({ tenantId, userId: inv.i.agentId, lastChatAt: now })
      .onConflictDoUpdate({ target: [chatAgentSettings.tenantId, chatAgentSettings.userId], set: { lastChatAt: now } });
    return { agentId: inv.i.agentId, agentName: inv.name };
  });
}

export async function agentChatSettings(ctx: Ctx) {
  const me = actorUserId(ctx.actor);
  const [s] = me ? await ctx.db.select().from(chatAgentSettings).where(inTenant(ctx, chatAgentSettings, eq(chatAgentSettings.userId, me))) : [];
  return { visitorSound: s?.visitorSound ?? true };
}

/** The agent's own switch: a sound when a new visitor arrives (kept per agent, on every device). */
export async function setVisitorSound(ctx: Ctx, on: boolean) {
  const me = actorUserId(ctx.actor);
  if (!me) throw new AppError('forbidden', 'Only a signed-in agent has chat settings');
  await ctx.db.insert(chatAgentSettings).values({ tenantId: ctx.tenantId, userId: me, visitorSound: on })
    .onConflictDoUpdate({ target: [chatAgentSettings.tenantId, chatAgentSettings.userId], set: { visitorSound: on } });
  return { visitorSound: on };
}
