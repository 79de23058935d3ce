import { Type } from 'typebox';
import { IdParams, Ok } from '../../contracts/common.ts';
import {
  CannedReplyInput, CannedReplyList, CannedReplyView, ChatCapacityInput, ChatCapacityView, ChatList, ChatRef, ChatSendInput, ChatSendResult,
  ChatStatusView, ChatTransferInput, RegionStrategyInput, RegionStrategyList, RegionStrategyPatch, RegionStrategyView, TransferTargets,
  WidgetDemoPage, WidgetStyleInput, WidgetStyleList, WidgetStylePatch, WidgetStyleView,
} from '../../contracts/chat.ts';
import { defineRoute, type RouteCtx } from '../../server/define-route.ts';
import { loadVisibleTicket } from '../../modules/tickets/tickets.queries.ts';
import { chatHubFor } from './chat-hub.ts';
import { actorUserId } from '../../modules/auth/actor.ts';
import { isInChat } from './chat-colleagues.service.ts';
import { withAttachments } from './chat-files.ts';
import { publishToChat } from './chat-open.ts';
import { createCannedReply, deleteCannedReply, listCannedReplies, myChats, setChatCapacity, transferTargets } from './chat-console.service.ts';
import { endChat, loadConversation, postAgentMessage, transferChat } from './chat.service.ts';
import { demoPage, styleForDemo } from './widget-demo.ts';
import {
  createStrategy, createStyle, deleteStrategy, listStrategies, listStyles, updateStrategy, updateStyle,
} from './webchat-admin.service.ts';

const tags = ['chat'];
const SETTINGS = { permission: 'settings.manage' } as const;

/** A chat is reachable when its ticket is (the ticket's visibility rules, invisible = 404), and always to its agent and invited colleagues. */
async function visibleChat(ctx: RouteCtx, id: string) {
  const conv = await loadConversation(ctx, id);
  if (!isInChat(conv, actorUserId(ctx.actor))) await loadVisibleTicket(ctx, conv.ticketId);
  return conv;
}

const status = (c: { id: string; status: string; agentId: string | null }) => ({ id: c.id, status: c.status as 'queued' | 'active' | 'ended', agentId: c.agentId });

export const chatRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/chats', summary: 'My live chats (在线会话): each with its messages and the visitor\'s region, device, referrer and trail', tags,
    access: 'staff', response: ChatList,
    handler: async ({ ctx }) => ({ items: await myChats(ctx) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/chats/messages', summary: 'Write to the visitor; the client id makes a resend harmless (same answer, nothing stored twice)', tags,
    access: 'staff', body: ChatSendInput, response: ChatSendResult, status: 201,
    async handler({ body, ctx }) {
      const conv = await visibleChat(ctx, body.conversationId);
      const sent = await postAgentMessage(ctx, conv, body.clientId, body.body, body.attachmentIds);
      const [line] = body.attachmentIds?.length ? await withAttachments(ctx.db, ctx.tenantId, [sent.line]) : [sent.line];
      const hub = chatHubFor(ctx.db);
      if (!sent.duplicate && hub) publishToChat(hub, line, conv);
      return { ...sent, line };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/chats/transfer', summary: 'Transfer a chat to a colleague or to a department (its ACD picks someone online there)', tags,
    access: 'staff', body: ChatTransferInput, response: ChatStatusView,
    async handler({ body, ctx }) {
      const conv = await visibleChat(ctx, body.conversationId);
      const reason = body.reason?.trim() || 'Live chat transfer';
      const done = await transferChat(ctx, conv, { agentId: body.agentId, departmentId: body.departmentId }, reason);
      const hub = chatHubFor(ctx.db);
      if (hub) {
        if (done.fromAgentId) hub.toAgent(done.fromAgentId, 'chat.transferred', { conversationId: conv.id });
        if (done.toAgentId) hub.toAgent(done.toAgentId, 'chat.assigned', { conversationId: conv.id, ticketId: conv.ticketId });
        const outcome = await hub.route(ctx.tenantId);
        const now = outcome.assignments.find((a) => a.conversationId === conv.id);
        if (now) return { id: conv.id, status: 'active' as const, agentId: now.agentId };
      }
      return status(done.conversation);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/chats/end', summary: 'End a chat: its ticket is resolved and the visitor is asked to rate it', tags,
    access: 'staff', body: ChatRef, response: ChatStatusView,
    async handler({ body, ctx }) {
      const conv = await visibleChat(ctx, body.conversationId);
      const ended = await endChat(ctx, conv);
      const hub = chatHubFor(ctx.db);
      hub?.toVisitor(conv.id, 'status', { status: 'ended' });
      for (const id of new Set([conv.agentId, ...conv.collaboratorIds])) if (id && id !== actorUserId(ctx.actor)) hub?.toAgent(id, 'chat.ended', { conversationId: conv.id });
      await hub?.route(ctx.tenantId);
      return status(ended);
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/chats/transfer-targets', summary: 'Departments and colleagues a chat can go to, with presence and current chat counts', tags,
    access: 'staff', response: TransferTargets,
    handler: ({ ctx }) => transferTargets(ctx),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/chats/capacity', summary: 'An agent\'s most chats at once (最大接待量; 0 = no automatic chats)', tags,
    access: SETTINGS, body: ChatCapacityInput, response: ChatCapacityView,
    async handler({ body, ctx }) {
      const done = await setChatCapacity(ctx, body.userId, body.capacity);
      await chatHubFor(ctx.db)?.route(ctx.tenantId); // more room may serve waiting chats
      return done;
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/canned-replies', summary: 'Canned replies (常用语): the company\'s public ones and my personal ones', tags,
    access: 'staff', response: CannedReplyList,
    handler: ({ ctx }) => listCannedReplies(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/canned-replies', summary: 'Add a personal canned reply, or a public one (settings.manage)', tags,
    access: 'staff', body: CannedReplyInput, response: CannedReplyView, status: 201,
    handler: ({ body, ctx }) => createCannedReply(ctx, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/canned-replies/:id', summary: 'Delete one of my canned replies (public ones: settings.manage)', tags,
    access: 'staff', params: IdParams, response: Ok,
    async handler({ params, ctx }) { await deleteCannedReply(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/widget-styles', summary: 'Website widget styles (风格), each with its copyable snippet', tags,
    access: SETTINGS, response: WidgetStyleList,
    handler: ({ ctx }) => listStyles(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/widget-styles', summary: 'Add a widget style (audited)', tags,
    access: SETTINGS, body: WidgetStyleInput, response: WidgetStyleView, status: 201,
    handler: ({ body, ctx }) => createStyle(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/widget-styles/:id', summary: 'Change a widget style (audited)', tags,
    access: SETTINGS, params: IdParams, body: WidgetStylePatch, response: WidgetStyleView,
    handler: ({ params, body, ctx }) => updateStyle(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/region-strategies', summary: 'Region routing strategies (区域分流)', tags,
    access: SETTINGS, response: RegionStrategyList,
    handler: ({ ctx }) => listStrategies(ctx),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/region-strategies', summary: 'Add a region strategy (audited)', tags,
    access: SETTINGS, body: RegionStrategyInput, response: RegionStrategyView, status: 201,
    handler: ({ body, ctx }) => createStrategy(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/region-strategies/:id', summary: 'Change a region strategy (audited)', tags,
    access: SETTINGS, params: IdParams, body: RegionStrategyPatch, response: RegionStrategyView,
    handler: ({ params, body, ctx }) => updateStrategy(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/region-strategies/:id', summary: 'Delete a region strategy (audited)', tags,
    access: SETTINGS, params: IdParams, response: Ok,
    async handler({ params, ctx }) { await deleteStrategy(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'GET', url: '/widget-demo', summary: 'A demo company site with the chat widget snippet (the company\'s first widget style unless ?style= names one)', tags,
    access: { public: 'a sample web page anyone may open, showing the public chat widget' },
    query: Type.Object({ style: Type.Optional(Type.String({ format: 'uuid' })), page: Type.Optional(Type.String({ maxLength: 40 })) }),
    response: WidgetDemoPage,
    async handler({ query, ctx, reply }) {
      const style = await styleForDemo(ctx, query.style);
      reply.headers({ 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff' });
      return Buffer.from(demoPage(style.id, query.page ?? 'home'));
    },
  }),
];
