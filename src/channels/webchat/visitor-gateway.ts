import crypto from 'node:crypto';
import type { Server, Socket } from 'socket.io';
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../contracts/errors.ts';
import type { Conn } from '../../db/client.ts';
import { isClientId, type SendFrame } from './delivery.ts';
import { createChatHub, agentName, type ChatHub } from './chat-hub.ts';
import { decideFor } from './chat-routing.service.ts';
import {
  acceptVisitorMessage, applyFormAnswers, endChatAsVisitor, linesAfter, loadStyle, openConversation, rateChat, submitOfflineMessage,
} from './chat.service.ts';
import { recordPage, touchVisitor } from './visitors.service.ts';
import { postRobotAnswer, robotAnswer } from './chat-robot.ts';
import type { PageEvent } from './trail.ts';
import { chatConversations, chatVisitors } from './webchat.schema.ts';
import { defaultStyle } from './widget-demo.ts';
import type { ChatScope } from './acd.ts';
import { routingScopeFor } from './chat-routing.service.ts';

interface VisitorData { tenantId: string; visitorId: string; styleId: string; returning: boolean; lastTypingAt: number }

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
export function startVisitorGateway(io: Server, db: Conn, tenantOf: (host: string | undefined) => Promise<{ id: string } | null>): ChatHub {
  const hub = createChatHub(io, db);
  const nsp = io.of('/visitor');
  nsp.use(async (socket, next) => {
    try {
      const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
      const tenant = await tenantOf(socket.handshake.headers.host);
      if (!tenant || !isClientId(auth.visitorKey)) return next(new Error('unknown_widget'));
      const style = typeof auth.styleId === 'string' && /^[0-9a-f-]{36}$/i.test(auth.styleId)
        ? await loadStyle(db, tenant.id, auth.styleId) : auth.styleId ? null : await defaultStyle(db, tenant.id);
      if (!style) return next(new Error('unknown_widget'));
      const visitor = await touchVisitor(db, {
        tenantId: tenant.id, visitorKey: (auth.visitorKey as string).toLowerCase(), ip: clientIp(socket),
        userAgent: socket.handshake.headers['user-agent'] ?? null, referrer: text(auth.referrer, 2048) || null, pageUrl: text(auth.pageUrl, 2048) || null,
      });
      socket.data = { tenantId: tenant.id, visitorId: visitor.id, styleId: style.id, returning: visitor.returning, lastTypingAt: 0 } satisfies VisitorData;
      await socket.join(`visitor:${visitor.id}`);
      const open = await openConversation(db, tenant.id, visitor.id);
      if (open) await socket.join(`chat:${open.id}`);
      next();
    } catch (err) {
      next(err as Error);
    }
  });

  nsp.on('connection', (socket) => {
    const d = socket.data as VisitorData;
    const visitor = async () => (await db.select().from(chatVisitors).where(eq(chatVisitors.id, d.visitorId)))[0];
    const style = () => loadStyle(db, d.tenantId, d.styleId);
    const mine = async (conversationId: unknown) => {
      if (typeof conversationId !== 'string' || !/^[0-9a-f-]{36}$/i.test(conversationId)) return null;
      const [c] = await db.select().from(chatConversations).where(and(eq(chatConversations.id, conversationId), eq(chatConversations.tenantId, d.tenantId), eq(chatConversations.visitorId, d.visitorId)));
      return c ?? null;
    };
    const safe = (fn: (payload: Record<string, unknown>, reply: Reply) => Promise<void>) => async (payload: unknown, reply?: unknown) => {
      const cb: Reply = typeof reply === 'function' ? (reply as Reply) : () => {};
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
      cb({
        ok: true, visitorId: d.visitorId, returning: d.returning, online: decision.kind !== 'offline', newConversationId: crypto.randomUUID(),
        style: s && {
          themeColor: s.themeColor, position: s.position, greetingZh: s.greetingZh, greetingEn: s.greetingEn, language: s.language, preChatFields: s.preChatFields,
        },
        conversation: open && { id: open.id, status: open.status, lastSeq: open.lastSeq, agentName: await agentName(db, open.agentId) },
      });
    }));

    socket.on('page', safe(async (p) => {
      const type = p.type === 'leave' || p.type === 'ping' ? p.type : 'enter';
      await recordPage(db, d.visitorId, { type, url: text(p.url, 2048), title: text(p.title, 200), at: Date.now() } as PageEvent);
    }));

    // 实时查看: what the visitor is typing, before they send it, to their agent only (at most every 200 ms).
    socket.on('typing', safe(async (p) => {
      const now = Date.now();
      if (now - d.lastTypingAt < 200) return;
      d.lastTypingAt = now;
      const conv = await mine(p.conversationId);
      if (conv?.agentId && conv.status === 'active') hub.toAgent(conv.agentId, 'chat.typing', { conversationId: conv.id, text: text(p.text, 500) });
    }));

    socket.on('message', safe(async (p, cb) => {
      const [v, s] = await Promise.all([visitor(), style()]);
      let sent;
      try {
        sent = await acceptVisitorMessage(db, d.tenantId, v, s, p as Partial<SendFrame>);
      } catch {
        // not stored: the widget keeps it and sends it again
        return cb({ ok: false, clientId: text(p.clientId, 64), code: 'unavailable', retry: true });
      }
      cb(sent.ack);
      if (!sent.ack.ok || sent.ack.duplicate || !sent.conversation) return;
      await socket.join(`chat:${sent.conversation.id}`);
      hub.publishLine(sent.line!, sent.conversation.agentId);
      if (sent.opened) {
        // Robot first when the style has it: it answers from the knowledge base, then people take over.
        if (s?.robotEnabled) {
          const answer = await robotAnswer(db, d.tenantId, sent.line!.body).catch(() => null);
          if (answer) hub.publishLine(await postRobotAnswer(db, d.tenantId, sent.opened.id, answer), null);
        }
        const decision = await decideFor(db, d.tenantId, sent.opened.scope as ChatScope);
        if (decision.kind === 'offline') {
          // Nobody can answer now: the message waits as a ticket, and the visitor may leave contact details.
          await db.update(chatConversations).set({ status: 'ended', endedAt: new Date() }).where(eq(chatConversations.id, sent.opened.id));
          hub.toVisitor(sent.opened.id, 'status', { status: 'offline' });
        } else {
          await hub.route(d.tenantId);
        }
      }
    }));

    socket.on('resume', safe(async (p, cb) => {
      const conv = await mine(p.conversationId);
      if (!conv) return cb({ ok: false, error: 'unknown conversation' });
      await socket.join(`chat:${conv.id}`);
      const afterSeq = Number.isInteger(p.afterSeq) && (p.afterSeq as number) >= 0 ? (p.afterSeq as number) : 0;
      cb({ ok: true, status: conv.status, agentName: await agentName(db, conv.agentId), lines: await linesAfter(db, conv.id, afterSeq), rating: conv.rating });
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
      if (conv.agentId) hub.toAgent(conv.agentId, 'chat.ended', { conversationId: ended.id });
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
