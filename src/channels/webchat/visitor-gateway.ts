import crypto from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { and, desc, eq, gt } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import { isClientId, isUuid, type SendFrame } from './delivery.ts';
import { createChatHub, agentName, type ChatHub } from './chat-hub.ts';
import { decideFor } from './chat-routing.service.ts';
import {
  acceptLightVisitorLine, acceptVisitorMessage, applyFormAnswers, endChatAsVisitor, linesAfter, loadStyle, openConversation, rateChat, submitOfflineMessage,
} from './chat.service.ts';
import { recordPage, touchVisitor } from './visitors.service.ts';
import type { PageEvent } from './trail.ts';
import { chatConversations, chatVisitors, type WidgetStyle } from './webchat.schema.ts';
import { defaultStyle } from './widget-demo.ts';
import type { ChatScope } from './acd.ts';
import { routingScopeFor } from './chat-routing.service.ts';
import { afterVisitorSend, findSomeone, widgetChoices, type VisitorChoice } from './chat-open.ts';
import { fileTokenFor, withAttachments } from './chat-files.ts';
import { openChoices, robotPick } from './chat-robot.ts';
import { ACCEPTED_INVITATION_TTL_MS, answerInvitation } from './chat-invitations.service.ts';
import { chatInvitations } from './chat-live.schema.ts';
import { createLiveHub, type SiteSocketData } from './live-hub.ts';
import { AttemptCounter, TokenBucket, VISITOR_LIMITS, type VisitorLimits } from './visitor-limits.ts';
import { logoPath } from './widget-logo.ts';
import { users } from '../../modules/staff/staff.schema.ts';

interface VisitorData extends SiteSocketData { returning: boolean; lastTypingAt: number }

/** Messages of the visitor's previous chat shown above a new one (显示上次会话), at most this many. */
const PREVIOUS_LINES = 100;

/** The visitor's IP: the first x-forwarded-for entry (Kefu trusts its proxy, like the HTTP app), else the socket's. */
function clientIp(socket: Socket): string | null {
  const xff = socket.handshake.headers['x-forwarded-for'];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(',')[0]?.trim();
  return first || socket.handshake.address || null;
}

type Reply = (answer: unknown) => void;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

/**
 * The website widget's live channel: namespace /visitor on the same Socket.IO server (so the same
 * adapter carries it across nodes). A visitor is admitted with a widget style of the host's company and
 * the visitor key the widget keeps in localStorage; they only ever reach their own conversations.
 */
export function startVisitorGateway(io: Server, db: Conn, tenantOf: (host: string | undefined) => Promise<{ id: string } | null>, limits: VisitorLimits = VISITOR_LIMITS): ChatHub {
  const hub = createChatHub(io, db);
  const nsp = io.of('/visitor');
  const live = createLiveHub(io, nsp, db);
  const connections = new AttemptCounter(limits.connectionsPerMinute);
  nsp.use(async (socket, next) => {
    try {
      // Refused before any database work: a flood of connections costs a map lookup each.
      if (!connections.allow(clientIp(socket) ?? 'unknown')) return next(new Error('rate_limited'));
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const tenant = await tenantOf(socket.handshake.headers.host);
      if (!tenant || !isClientId(auth.visitorKey)) return next(new Error('unknown_widget'));
      const style = isUuid(auth.styleId)
        ? await loadStyle(db, tenant.id, auth.styleId) : auth.styleId ? null : await defaultStyle(db, tenant.id);
      if (!style) return next(new Error('unknown_widget'));
      const visitor = await touchVisitor(db, {
        tenantId: tenant.id, visitorKey: (auth.visitorKey as string).toLowerCase(), ip: clientIp(socket),
        userAgent: socket.handshake.headers['user-agent'] ?? null, referrer: text(auth.referrer, 2048) || null, pageUrl: text(auth.pageUrl, 2048) || null,
      });
      socket.data = {
        tenantId: tenant.id, visitorId: visitor.id, styleId: style.id, returning: visitor.returning, lastTypingAt: 0,
        pageUrl: text(auth.pageUrl, 2048), pageTitle: '', connectedAt: Date.now(),
      } satisfies VisitorData;
      await socket.join([`visitor:${visitor.id}`, `site:${tenant.id}`]);
      const open = await openConversation(db, tenant.id, visitor.id);
      if (open) await socket.join(`chat:${open.id}`);
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  nsp.on('connection', (socket) => {
    const d = socket.data as VisitorData;
    const bucket = new TokenBucket(limits.eventsPerSecond * 4, limits.eventsPerSecond);
    live.toAgents(d.tenantId, 'visitors.changed', { visitorId: d.visitorId, kind: 'arrived' });
    socket.on('disconnect', () => live.toAgents(d.tenantId, 'visitors.changed', { visitorId: d.visitorId, kind: 'left' }));
    const visitor = async () => (await db.select().from(chatVisitors).where(eq(chatVisitors.id, d.visitorId)))[0];
    const style = () => loadStyle(db, d.tenantId, d.styleId);
    const mine = async (conversationId: unknown) => {
      if (!isUuid(conversationId)) return null;
      const [c] = await db.select().from(chatConversations).where(and(eq(chatConversations.id, conversationId), eq(chatConversations.tenantId, d.tenantId), eq(chatConversations.visitorId, d.visitorId)));
      return c ?? null;
    };
    const safe = (fn: (payload: Record<string, unknown>, reply: Reply) => Promise<void>) => async (payload: unknown, reply?: unknown) => {
      const cb: Reply = typeof reply === 'function' ? (reply as Reply) : () => {};
      if (!bucket.take()) {
        // Over the socket's rate: an error frame, the event dropped; a message may be sent again later.
        const clientId = payload && typeof payload === 'object' ? text((payload as Record<string, unknown>).clientId, 64) : '';
        socket.emit('rate_limited', { retryInMs: Math.ceil(1000 / limits.eventsPerSecond) });
        return cb({ ok: false, clientId, code: 'rate_limited', error: 'rate_limited', retry: true });
      }
      try {
        await fn((payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>, cb);
      } catch (err) {
        cb({ ok: false, error: err instanceof AppError && err.statusCode < 500 ? err.message : 'unavailable' });
      }
    };

    socket.on('hello', safe(async (_p, cb) => {
      const [v, s] = await Promise.all([visitor(), style()]);
      const open = await openConversation(db, d.tenantId, d.visitorId);
      const scope = (open?.scope as ChatScope | undefined) ?? await routingScopeFor(db, d.tenantId, s, v.region);
      const decision = await decideFor(db, d.tenantId, scope, open?.exclude ?? []);
      const [previous, invitation] = await Promise.all([
        !open && s?.showLastConversation ? previousLines() : null,
        open ? null : pendingInvitation(),
      ]);
      cb({
        // with the robot first, the chat opens whoever is online (it hands over, or offers the offline form, later)
        ok: true, visitorId: d.visitorId, returning: d.returning, online: decision.kind !== 'offline' || !!s?.robotEnabled, newConversationId: crypto.randomUUID(),
        style: s && {
          themeColor: s.themeColor, position: s.position, greetingZh: s.greetingZh, greetingEn: s.greetingEn, language: s.language, preChatFields: s.preChatFields,
          logoUrl: logoPath(s),
          robot: s.robotEnabled ? { name: s.robotName, greetingZh: s.robotGreetingZh, greetingEn: s.robotGreetingEn } : null,
        },
        conversation: open && { id: open.id, status: open.status, lastSeq: open.lastSeq, agentName: await chatAgentNames(open) },
        fileToken: await fileTokenFor(db, v),
        targets: open ? null : await widgetChoices(db, d.tenantId, s),
        previous, invitation,
      });
    }));

    /** The previous chat's messages (显示上次会话), when the visitor had one. */
    const previousLines = async () => {
      const [last] = await db.select({ id: chatConversations.id }).from(chatConversations)
        .where(and(eq(chatConversations.tenantId, d.tenantId), eq(chatConversations.visitorId, d.visitorId), eq(chatConversations.status, 'ended')))
        .orderBy(desc(chatConversations.createdAt)).limit(1);
      if (!last) return null;
      const lines = await linesAfter(db, last.id, 0, PREVIOUS_LINES);
      return lines.length ? { conversationId: last.id, lines: await withAttachments(db, d.tenantId, lines) } : null;
    };
    /** An invitation not yet answered (the widget shows it again after a page change). */
    const pendingInvitation = async () => {
      const [row] = await db.select({ id: chatInvitations.id, message: chatInvitations.message, agentName: users.name }).from(chatInvitations)
        .innerJoin(users, eq(users.id, chatInvitations.agentId))
        .where(and(eq(chatInvitations.tenantId, d.tenantId), eq(chatInvitations.visitorId, d.visitorId), eq(chatInvitations.status, 'pending'),
          gt(chatInvitations.createdAt, new Date(Date.now() - ACCEPTED_INVITATION_TTL_MS))))
        .orderBy(desc(chatInvitations.createdAt)).limit(1);
      return row ?? null;
    };
    /** The chat's agent and invited colleagues, as the visitor sees them ("李 、王"). */
    const chatAgentNames = async (conv: { agentId: string | null; collaboratorIds: string[] }) => {
      const names = await Promise.all([conv.agentId, ...conv.collaboratorIds].filter((x): x is string => !!x).map((id) => agentName(db, id)));
      return names.filter(Boolean).join('、') || null;
    };

    socket.on('page', safe(async (p) => {
      const type = p.type === 'leave' || p.type === 'ping' ? p.type : 'enter';
      if (type === 'enter') {
        d.pageUrl = text(p.url, 2048);
        d.pageTitle = text(p.title, 200);
        live.toAgents(d.tenantId, 'visitors.changed', { visitorId: d.visitorId, kind: 'page' });
      }
      await recordPage(db, d.visitorId, { type, url: text(p.url, 2048), title: text(p.title, 200), at: Date.now() } as PageEvent);
    }));

    // 实时查看: what the visitor is typing, before they send it, to their agent only (at most every 200 ms).
    socket.on('typing', safe(async (p) => {
      const now = Date.now();
      if (now - d.lastTypingAt < 200) return;
      d.lastTypingAt = now;
      const conv = await mine(p.conversationId);
      if (conv?.agentId && conv.status === 'active') {
        for (const id of new Set([conv.agentId, ...conv.collaboratorIds])) hub.toAgent(id, 'chat.typing', { conversationId: conv.id, text: text(p.text, 500) });
      }
    }));

    socket.on('message', safe(async (p, cb) => {
      let s: WidgetStyle | null = null;
      let sent;
      try {
        // most lines need neither the visitor's row nor the style (chat-line.ts); the others load them
        sent = await acceptLightVisitorLine(db, d.tenantId, d.visitorId, p as Partial<SendFrame>);
        if (sent?.conversation?.status === 'bot') s = await style(); // the robot answers it, by the style's settings
        else if (!sent) {
          const [v, loaded] = await Promise.all([visitor(), style()]);
          s = loaded;
          sent = await acceptVisitorMessage(db, d.tenantId, v, s, p as Partial<SendFrame>);
        }
      } catch {
        // not stored: the widget keeps it and sends it again
        return cb({ ok: false, clientId: text(p.clientId, 64), code: 'unavailable', retry: true });
      }
      cb(sent.ack);
      if (!sent.ack.ok || sent.ack.duplicate || !sent.conversation) return;
      const room = `chat:${sent.conversation.id}`;
      if (!socket.rooms.has(room)) await socket.join(room);
      // to everyone else in the chat (this socket has the line in its ack: one write less per line);
      // a first message then finds the chat someone (inviter, robot, ACD, or the offline form)
      await afterVisitorSend(db, hub, live, d.tenantId, d.visitorId, s, sent, p.target as VisitorChoice | undefined, socket.id);
    }));

    // 主动邀请: the visitor answers an agent's invitation; accepting means their first message goes to that agent.
    socket.on('invite.answer', safe(async (p, cb) => {
      if (!isUuid(p.invitationId)) return cb({ ok: false, error: 'unknown invitation' });
      const answered = await answerInvitation(db, live, d.tenantId, d.visitorId, p.invitationId, p.accept === true);
      cb({ ok: !!answered, status: answered?.status ?? null });
    }));

    socket.on('resume', safe(async (p, cb) => {
      const conv = await mine(p.conversationId);
      if (!conv) return cb({ ok: false, error: 'unknown conversation' });
      await socket.join(`chat:${conv.id}`);
      const afterSeq = Number.isInteger(p.afterSeq) && (p.afterSeq as number) >= 0 ? (p.afterSeq as number) : 0;
      cb({
        ok: true, status: conv.status, agentName: await chatAgentNames(conv), lines: await withAttachments(db, d.tenantId, await linesAfter(db, conv.id, afterSeq)), rating: conv.rating,
        choices: conv.status === 'bot' ? await openChoices(db, conv.id) : [],
      });
    }));

    // the robot's offered articles (one picked, or none of them) and the widget's "talk to a person" button (chat-robot.ts)
    socket.on('robot.pick', safe(async (p, cb) => {
      const [conv, s] = await Promise.all([mine(p.conversationId), style()]);
      if (!conv || !s) return cb({ ok: false, error: 'unknown conversation' });
      const articleId = isUuid(p.articleId) ? p.articleId : null;
      const deps = { db, hub, tenantId: d.tenantId, style: s, handOver: (queued: typeof conv) => findSomeone(db, hub, d.tenantId, s, queued) };
      cb(await robotPick(deps, conv, { articleId, human: p.human === true }));
    }));

    socket.on('rate', safe(async (p, cb) => {
      const rated = await rateChat(db, d.tenantId, await visitor(), text(p.conversationId, 64), Number(p.rating), text(p.comment, 1000) || null);
      cb({ ok: true, rating: rated.rating });
      if (rated.agentId) hub.toAgent(rated.agentId, 'chat.rated', { conversationId: rated.id, rating: rated.rating });
    }));

    socket.on('end', safe(async (p, cb) => {
      const conv = await mine(p.conversationId);
      if (!conv) return cb({ ok: false, error: 'unknown conversation' });
      const ended = await endChatAsVisitor(db, d.tenantId, conv);
      cb({ ok: true });
      hub.toVisitor(conv.id, 'status', { status: 'ended' });
      for (const id of new Set([conv.agentId, ...conv.collaboratorIds])) if (id) hub.toAgent(id, 'chat.ended', { conversationId: ended.id });
      await hub.route(d.tenantId);
    }));

    socket.on('register', safe(async (p, cb) => {
      const s = await style();
      await applyFormAnswers(db, d.tenantId, await visitor(), s?.preChatFields ?? [], (p.answers ?? {}) as Record<string, string>);
      cb({ ok: true });
    }));

    socket.on('offline', safe(async (p, cb) => {
      const result = await submitOfflineMessage(db, d.tenantId, await visitor(), await style(), text(p.clientId, 64), (p.answers ?? {}) as Record<string, string>, text(p.body, 10_000));
      cb({ ok: true, ticketId: result.ticketId, duplicate: result.duplicate });
    }));
  });
  return hub;
}
