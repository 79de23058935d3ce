import { Type } from 'typebox';
import { AttachmentBytes } from '../../contracts/attachments.ts';
import {
  AgentChatSettings, AgentChatSettingsPatch, AgentMessageInput, AgentMessageList, AgentMessageQuery, AgentMessageView, CollaboratorInput, CollaboratorList,
  ColleagueList, DepartmentQueueInput, DepartmentQueueList, DepartmentQueueView, InvitationView, InviteInput, LiveVisitorList, LogoQuery, MAX_LOGO_BYTES, MAX_VISITOR_FILE_BYTES, VisitorFileQuery, VisitorUploadQuery, VisitorUploadResult,
} from '../../contracts/chat-live.ts';
import { ChatRef, WidgetStyleView } from '../../contracts/chat.ts';
import { IdParams, Ok, Uuid } from '../../contracts/common.ts';
import { AppError } from '../../contracts/errors.ts';
import { actorUserId } from '../../modules/auth/actor.ts';
import { downloadHeaders } from '../../modules/attachments/download.ts';
import { FileStore, fileStoreFor } from '../../modules/attachments/file-store.ts';
import { loadVisibleTicket } from '../../modules/tickets/tickets.queries.ts';
import { defineRoute, type RouteCtx } from '../../server/define-route.ts';
import { chatHubFor } from './chat-hub.ts';
import { sendVisitorFile, visitorAttachment, visitorByFileToken } from './chat-files.ts';
import { afterVisitorSend } from './chat-open.ts';
import { collaboratorsOf, colleagues, conversationWith, inviteColleague, isInChat, leaveChat, sendToColleague } from './chat-colleagues.service.ts';
import { agentChatSettings, inviteVisitor, liveVisitors, setVisitorSound } from './chat-invitations.service.ts';
import { agentName } from './chat-hub.ts';
import { loadConversation, loadStyle } from './chat.service.ts';
import { liveHubFor } from './live-hub.ts';
import { presentStyle } from './webchat-admin.service.ts';
import { defaultStyle } from './widget-demo.ts';
import { openLogo, removeLogo, uploadLogo } from './widget-logo.ts';
import { listDepartmentQueues, setDepartmentQueue } from './chat-queue-limits.ts';

const tags = ['chat'];
const SETTINGS = { permission: 'settings.manage' } as const;
const WIDGET = { public: 'the website widget on a company\'s site calls it; the visitor\'s file token authorizes it' };

/** A chat for staff: its agent and invited colleagues always; anyone else by the ticket's visibility rules (else 404). */
export async function chatForStaff(ctx: RouteCtx, id: string) {
  const conv = await loadConversation(ctx, id);
  if (!isInChat(conv, actorUserId(ctx.actor))) await loadVisibleTicket(ctx, conv.ticketId);
  return conv;
}

function liveHub(ctx: RouteCtx) {
  const hub = liveHubFor(ctx.db);
  if (!hub) throw new AppError('validation', 'Live chat is not running on this node');
  return hub;
}

export const chatLiveRoutes = [
  // ------------------------------------------------------------------------------------ widget logo
  defineRoute({
    method: 'POST', url: '/api/v1/widget-styles/:id/logo',
    summary: 'Upload the widget style\'s logo (multipart, one PNG, JPEG, WebP or GIF image of at most 200 KiB; the type is read from the bytes; audited)',
    tags, access: SETTINGS, params: IdParams, response: WidgetStyleView, status: 201,
    files: { maxFiles: 1, maxFileBytes: () => MAX_LOGO_BYTES },
    handler: async ({ params, files, ctx }) => presentStyle(await uploadLogo(ctx, ctx.config, params.id, files), ctx.publicUrl),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/widget-styles/:id/logo', summary: 'Remove the widget style\'s logo (audited)',
    tags, access: SETTINGS, params: IdParams, response: WidgetStyleView,
    handler: async ({ params, ctx }) => presentStyle(await removeLogo(ctx, params.id), ctx.publicUrl),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/widget-logos/:id', summary: 'A widget style\'s logo image (public: the widget shows it in its header)',
    tags, access: { public: 'the widget shows the logo on the company\'s public site' }, params: IdParams, query: LogoQuery, response: AttachmentBytes,
    async handler({ params, ctx, reply }) {
      const logo = await openLogo(ctx, ctx.config, params.id);
      reply.headers({
        'content-type': logo.type, 'x-content-type-options': 'nosniff', 'content-security-policy': 'sandbox',
        'cache-control': 'public, max-age=86400', etag: `"${logo.sha}"`, 'cross-origin-resource-policy': 'cross-origin',
      });
      return logo.stream;
    },
  }),

  defineRoute({
    method: 'GET', url: '/api/v1/chats/department-queues', summary: 'Longest chat queue per department (排队上限; beyond it visitors get the offline form)', tags,
    access: SETTINGS, response: DepartmentQueueList,
    handler: ({ ctx }) => listDepartmentQueues(ctx),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/chats/department-queues', summary: 'Set a department\'s longest chat queue (0 = no limit; audited)', tags,
    access: SETTINGS, body: DepartmentQueueInput, response: DepartmentQueueView,
    handler: ({ body, ctx }) => setDepartmentQueue(ctx, body.departmentId, body.maxQueueLength),
  }),

  // ------------------------------------------------------------------------------- visitor files
  defineRoute({
    method: 'POST', url: '/api/v1/visitor-files',
    summary: 'The widget sends a file in the visitor\'s chat (multipart, one file): it becomes the visitor\'s message with the file attached; a new conversation id opens the chat',
    tags, access: WIDGET, query: Type.Object({ ...VisitorUploadQuery.properties, styleId: Type.Optional(Uuid) }, { additionalProperties: false }),
    response: VisitorUploadResult, status: 201,
    files: { maxFiles: 1, maxFileBytes: (config) => Math.min(config.attachmentMaxBytes, MAX_VISITOR_FILE_BYTES) },
    rateLimit: { max: (config) => config.visitorConnectionRateLimit, timeWindow: '1 minute' },
    async handler({ query, files, ctx, reply }) {
      // a simple cross-origin request from the company's site: the widget reads the answer
      reply.header('access-control-allow-origin', '*');
      const visitor = await visitorByFileToken(ctx.db, ctx.tenantId, query.t);
      const style = (query.styleId ? await loadStyle(ctx.db, ctx.tenantId, query.styleId) : null) ?? await defaultStyle(ctx.db, ctx.tenantId);
      const store = new FileStore(fileStoreFor(ctx.config).root, Math.min(ctx.config.attachmentMaxBytes, MAX_VISITOR_FILE_BYTES));
      const sent = await sendVisitorFile(ctx.db, store, ctx.tenantId, visitor, style, { conversationId: query.conversationId, clientId: query.clientId }, files);
      const hub = chatHubFor(ctx.db);
      if (hub) await afterVisitorSend(ctx.db, hub, liveHubFor(ctx.db), ctx.tenantId, visitor.id, style, sent);
      return { duplicate: sent.ack.ok ? sent.ack.duplicate : false, line: sent.line! };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/visitor-files/:id',
    summary: 'A file of the visitor\'s own chat, for the widget (always a download; ?inline=1 shows PNG, JPEG, GIF and WebP images in place)',
    tags, access: WIDGET, params: IdParams, query: VisitorFileQuery, response: AttachmentBytes,
    async handler({ params, query, ctx, req, reply }) {
      const visitor = await visitorByFileToken(ctx.db, ctx.tenantId, query.t);
      const a = await visitorAttachment(ctx.db, ctx.tenantId, visitor, params.id);
      const stream = await fileStoreFor(ctx.config).open(a.sha256);
      if (!stream) {
        req.log.error({ attachment: a.id }, 'chat file bytes missing from the file store');
        throw new AppError('not_found', { zh: '文件已不在存储中', en: 'The file is missing from storage' });
      }
      reply.headers({ ...downloadHeaders(a, query.inline === 1), 'cross-origin-resource-policy': 'cross-origin' });
      return stream;
    },
  }),

  // ----------------------------------------------------------------------- live visitors, invitations
  defineRoute({
    method: 'GET', url: '/api/v1/live-visitors', summary: 'Visitors on the company\'s site now (实时访客): page, region, device, time on site, chatting or not', tags,
    access: 'staff', response: LiveVisitorList,
    async handler({ ctx }) {
      const items = await liveVisitors(ctx, liveHub(ctx));
      return { items, total: items.length };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/live-visitors/:id/invite', summary: 'Invite a visitor on the site to chat (主动邀请): their widget opens with my message; accepting starts a chat with me', tags,
    access: 'staff', params: IdParams, body: InviteInput, response: InvitationView, status: 201,
    async handler({ params, body, ctx }) {
      const inv = await inviteVisitor(ctx, liveHub(ctx), params.id, body.message);
      return { id: inv.id, visitorId: inv.visitorId, status: inv.status, message: inv.message, createdAt: inv.createdAt.toISOString() };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/chats/my-settings', summary: 'My live-chat switches (a sound when a new visitor arrives)', tags,
    access: 'staff', response: AgentChatSettings,
    handler: ({ ctx }) => agentChatSettings(ctx),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/chats/my-settings', summary: 'Change my live-chat switches', tags,
    access: 'staff', body: AgentChatSettingsPatch, response: AgentChatSettings,
    handler: ({ body, ctx }) => setVisitorSound(ctx, body.visitorSound),
  }),

  // ---------------------------------------------------------------------------------- colleagues
  defineRoute({
    method: 'POST', url: '/api/v1/chats/collaborators', summary: 'Invite a colleague into a chat (邀请同事): both see it and write in it; the visitor sees both names', tags,
    access: 'staff', body: CollaboratorInput, response: CollaboratorList,
    async handler({ body, ctx }) {
      const conv = await chatForStaff(ctx, body.conversationId);
      const updated = await inviteColleague(ctx, conv, body.agentId);
      const hub = chatHubFor(ctx.db);
      const list = await collaboratorsOf(ctx, updated);
      if (hub) {
        hub.toAgent(body.agentId, 'chat.assigned', { conversationId: conv.id, ticketId: conv.ticketId, invitedBy: ctx.actor.name });
        const names = [await agentName(ctx.db, updated.agentId), ...list.map((c) => c.name)].filter(Boolean).join('、');
        hub.toVisitor(conv.id, 'status', { status: 'active', agentName: names });
      }
      return { conversationId: conv.id, collaborators: list };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/chats/leave', summary: 'Leave a chat I was invited into (its agent keeps it)', tags,
    access: 'staff', body: ChatRef, response: Ok,
    async handler({ body, ctx }) {
      const conv = await chatForStaff(ctx, body.conversationId);
      const updated = await leaveChat(ctx, conv);
      const list = await collaboratorsOf(ctx, updated);
      const names = [await agentName(ctx.db, updated.agentId), ...list.map((c) => c.name)].filter(Boolean).join('、');
      chatHubFor(ctx.db)?.toVisitor(conv.id, 'status', { status: 'active', agentName: names });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/colleagues', summary: 'Colleagues for internal chat (内部交流), online first, with my unread messages from each', tags,
    access: 'staff', response: ColleagueList,
    handler: ({ ctx }) => colleagues(ctx),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/agent-messages', summary: 'My internal conversation with one colleague (latest 200); their messages to me become read', tags,
    access: 'staff', query: AgentMessageQuery, response: AgentMessageList,
    handler: async ({ query, ctx }) => ({ items: await conversationWith(ctx, query.with) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/agent-messages', summary: 'Write to a colleague (internal, never shown to customers); they get it live', tags,
    access: 'staff', body: AgentMessageInput, response: AgentMessageView, status: 201,
    async handler({ body, ctx }) {
      const m = await sendToColleague(ctx, body.toId, body.body);
      const hub = chatHubFor(ctx.db);
      hub?.toAgent(m.toId, 'agent.message', { ...m, fromName: ctx.actor.name });
      hub?.toAgent(m.fromId, 'agent.message', { ...m, fromName: ctx.actor.name });
      return m;
    },
  }),
];
