import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { departments, users } from '../../modules/staff/staff.schema.ts';
import type { ChatScope } from './acd.ts';
import type { ChatHub } from './chat-hub.ts';
import { serveByInviter } from './chat-invitations.service.ts';
import { departmentsFull } from './chat-queue-limits.ts';
import { robotHears, robotOpens, type RobotDeps } from './chat-robot.ts';
import { decideFor } from './chat-routing.service.ts';
import type { ChatLine, VisitorSend } from './chat.service.ts';
import type { LiveHub } from './live-hub.ts';
import { chatConversations, type ChatConversation, type WidgetStyle } from './webchat.schema.ts';

/** What the visitor picked in the widget's choice list before their first message (a department or an agent). */
export interface VisitorChoice { departmentId?: string; agentId?: string }

export interface WidgetChoices {
  /** The style's departments to pick from; names left out when the style hides them (the widget numbers them). */
  departments: Array<{ id: string; name: string | null }>;
  /** The style's designated agents, with presence; offline ones left out when the style hides them. */
  agents: Array<{ id: string; name: string; online: boolean }>;
}

/**
 * The choice lists of a style's widget: offered when the style designates more than one department or
 * any agents. 隐藏部门名称 and 隐藏离线客服 apply here.
 */
export async function widgetChoices(db: Conn, tenantId: string, style: WidgetStyle | null): Promise<WidgetChoices | null> {
  if (!style) return null;
  const depIds = style.designatedDepartmentIds;
  const agentIds = style.designatedAgentIds;
  if (depIds.length < 2 && !agentIds.length) return null;
  const deps = depIds.length >= 2
    ? await db.select({ id: departments.id, name: departments.name }).from(departments).where(and(eq(departments.tenantId, tenantId), inArray(departments.id, depIds)))
    : [];
  const staff = agentIds.length
    ? await db.select({ id: users.id, name: users.name, presence: users.presence }).from(users)
      .where(and(eq(users.tenantId, tenantId), inArray(users.id, agentIds), eq(users.status, 'active')))
    : [];
  return {
    departments: depIds.flatMap((id) => deps.filter((d) => d.id === id)).map((d) => ({ id: d.id, name: style.hideDepartmentNames ? null : d.name })),
    agents: agentIds.flatMap((id) => staff.filter((u) => u.id === id))
      .map((u) => ({ id: u.id, name: u.name, online: u.presence === 'online' }))
      .filter((a) => a.online || !style.hideOfflineAgents),
  };
}

/** The scope a valid choice narrows a new chat to; null for no choice or one the style does not offer. */
export function scopeForChoice(style: WidgetStyle | null, choice: VisitorChoice | null | undefined): ChatScope | null {
  if (!style || !choice) return null;
  if (typeof choice.departmentId === 'string' && style.designatedDepartmentIds.includes(choice.departmentId)) {
    return { source: 'designated', departmentIds: [choice.departmentId], agentIds: [] };
  }
  if (typeof choice.agentId === 'string' && style.designatedAgentIds.includes(choice.agentId)) {
    return { source: 'designated', departmentIds: [], agentIds: [choice.agentId] };
  }
  return null;
}

/** Chats of this style waiting in line now (the new one left out). */
async function waitingFor(db: Conn, tenantId: string, styleId: string, except: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(chatConversations)
    .where(and(eq(chatConversations.tenantId, tenantId), eq(chatConversations.widgetStyleId, styleId), eq(chatConversations.status, 'queued'), ne(chatConversations.id, except)));
  return row.n;
}

/** Sends a line to the chat's agent, its invited colleagues and the visitor. */
export function publishToChat(hub: ChatHub, line: ChatLine, conv: Pick<ChatConversation, 'agentId' | 'collaboratorIds'>, exceptSocket?: string): void {
  hub.publishLine(line, conv.agentId, exceptSocket);
  for (const id of conv.collaboratorIds) if (id !== conv.agentId) hub.toAgent(id, 'chat.message', line);
}

async function endAsOffline(db: Conn, hub: ChatHub, conv: ChatConversation, reason: 'offline' | 'queue_full') {
  await db.update(chatConversations).set({ status: 'ended', endedAt: new Date() }).where(eq(chatConversations.id, conv.id));
  hub.toVisitor(conv.id, 'status', { status: 'offline', reason });
}

/**
 * What follows a stored visitor message (typed or a file): it goes to everyone in the chat (but the
 * socket it came from, `fromSocket`, whose ack already carries it); a message
 * that opened the chat then finds it someone: the agent whose invitation the visitor accepted, else the
 * robot's answer first (when the style has it) and the ACD within the scope the visitor chose. When
 * nobody can answer, or the style's line is full (排队溢出), the visitor gets the offline-message form.
 */
export async function afterVisitorSend(
  db: Conn, hub: ChatHub, live: LiveHub | undefined, tenantId: string, visitorId: string, style: WidgetStyle | null, sent: VisitorSend, choice?: VisitorChoice | null, fromSocket?: string,
): Promise<void> {
  if (!sent.ack.ok || sent.ack.duplicate || !sent.conversation || !sent.line) return;
  const opened = sent.opened;
  // the visitor's other tabs follow a chat that just opened (later tabs join when they connect); not per
  // line: socketsJoin goes through the adapter, a NOTIFY on PostgreSQL each time
  if (opened) live?.joinChat(visitorId, sent.conversation.id);
  publishToChat(hub, sent.line, sent.conversation, fromSocket);
  const robot = (conv: ChatConversation): RobotDeps => ({ db, hub, tenantId, style: style!, handOver: (queued) => findSomeone(db, hub, tenantId, style, queued) });
  // a later message in a chat the robot still serves goes to the robot (chat-robot.ts)
  if (!opened) {
    if (sent.conversation.status === 'bot' && style) await robotHears(robot(sent.conversation), sent.conversation, sent.line);
    return;
  }
  live?.toAgents(tenantId, 'visitors.changed', { visitorId, kind: 'chatting' });

  const inviter = await serveByInviter(db, tenantId, opened);
  if (inviter) {
    hub.toAgent(inviter.agentId, 'chat.assigned', { conversationId: opened.id, ticketId: opened.ticketId });
    hub.toAgent(inviter.agentId, 'chat.message', sent.line);
    hub.toVisitor(opened.id, 'status', { status: 'active', agentName: inviter.agentName });
    return;
  }

  let conv = opened;
  const chosen = scopeForChoice(style, choice);
  if (chosen) [conv] = await db.update(chatConversations).set({ scope: chosen }).where(eq(chatConversations.id, opened.id)).returning();
  // Robot first when the style has it: it answers from the knowledge base and hands over to people (findSomeone) when it should.
  if (style?.robotEnabled) return robotOpens(robot(conv), conv, sent.line);
  await findSomeone(db, hub, tenantId, style, conv);
}

/**
 * A chat waiting for people: the ACD within its scope, unless nobody there is online (the offline form)
 * or the style's line or every department's line is full (排队溢出: the offline form too, with that reason).
 */
export async function findSomeone(db: Conn, hub: ChatHub, tenantId: string, style: WidgetStyle | null, conv: ChatConversation): Promise<void> {
  const decision = await decideFor(db, tenantId, conv.scope as ChatScope, conv.exclude);
  if (decision.kind === 'offline') return endAsOffline(db, hub, conv, 'offline');
  if (style && style.maxQueueLength > 0 && decision.kind === 'wait' && await waitingFor(db, tenantId, style.id, conv.id) >= style.maxQueueLength) {
    return endAsOffline(db, hub, conv, 'queue_full');
  }
  if (decision.kind === 'wait' && await departmentsFull(db, tenantId, conv.scope as ChatScope, conv.id)) return endAsOffline(db, hub, conv, 'queue_full');
  await hub.route(tenantId);
}
