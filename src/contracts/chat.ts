import { Type, type Static } from 'typebox';
import { oneOf, Timestamp, Uuid } from './common.ts';
import { Presence } from './staff.ts';
import { AttachmentView } from './attachments.ts';

/** Live chat (在线会话): the console's chats, transfers, canned replies, widget styles and region strategies. */

const ClientId = Type.String({ format: 'uuid', description: 'The sender\'s id for this message: sending it again stores nothing new' });
const Body = Type.String({ minLength: 1, maxLength: 5000 });

export const ChatLineView = Type.Object({
  conversationId: Uuid, clientId: Type.Union([Type.String(), Type.Null()]), messageId: Uuid, seq: Type.Integer(), body: Type.String(),
  author: oneOf(['visitor', 'agent', 'bot', 'system'] as const), authorName: Type.Union([Type.String(), Type.Null()]), at: Timestamp,
  /** Files sent with the message (images are shown as thumbnails, others as download links). */
  attachments: Type.Optional(Type.Array(AttachmentView)),
});
export type ChatLineView = Static<typeof ChatLineView>;

const PageView = Type.Object({ url: Type.String(), title: Type.String(), enteredAt: Type.Number(), lastSeenAt: Type.Number(), leftAt: Type.Union([Type.Number(), Type.Null()]), seconds: Type.Integer() });

export const ChatVisitorView = Type.Object({
  id: Uuid, name: Type.String(), visits: Type.Integer(), returning: Type.Boolean(), firstSeenAt: Timestamp, lastSeenAt: Timestamp,
  region: Type.Object({ province: Type.Union([Type.String(), Type.Null()]), city: Type.Union([Type.String(), Type.Null()]), isp: Type.Union([Type.String(), Type.Null()]) }),
  device: Type.Union([Type.String(), Type.Null()]),
  referrer: Type.Object({ kind: Type.String(), host: Type.Union([Type.String(), Type.Null()]), engine: Type.Union([Type.String(), Type.Null()]), keyword: Type.Union([Type.String(), Type.Null()]) }),
  trail: Type.Array(PageView),
  pastChats: Type.Integer(),
});

export const ChatView = Type.Object({
  id: Uuid, ticketId: Uuid, ticketNumber: Type.Integer(), status: oneOf(['bot', 'queued', 'active', 'ended'] as const),
  agentId: Type.Union([Uuid, Type.Null()]), startedAt: Type.Union([Timestamp, Type.Null()]), rating: Type.Union([Type.Integer(), Type.Null()]),
  visitor: ChatVisitorView, lines: Type.Array(ChatLineView),
  /** Colleagues invited into the chat beside its agent. */
  collaborators: Type.Optional(Type.Array(Type.Object({ id: Uuid, name: Type.String() }))),
});
export type ChatView = Static<typeof ChatView>;
export const ChatList = Type.Object({ items: Type.Array(ChatView) });

export const ChatSendInput = Type.Object({
  conversationId: Uuid, clientId: ClientId, body: Body,
  /** Files uploaded to the chat's ticket (POST /api/v1/tickets/:id/attachments), sent with this message. */
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
}, { additionalProperties: false });
export const ChatSendResult = Type.Object({ duplicate: Type.Boolean(), line: ChatLineView });
export const ChatTransferInput = Type.Object({
  conversationId: Uuid,
  agentId: Type.Optional(Uuid),
  departmentId: Type.Optional(Uuid),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const ChatRef = Type.Object({ conversationId: Uuid }, { additionalProperties: false });
export const ChatStatusView = Type.Object({ id: Uuid, status: oneOf(['bot', 'queued', 'active', 'ended'] as const), agentId: Type.Union([Uuid, Type.Null()]) });

export const TransferTargets = Type.Object({
  departments: Type.Array(Type.Object({ id: Uuid, parentId: Type.Union([Uuid, Type.Null()]), name: Type.String() })),
  agents: Type.Array(Type.Object({ id: Uuid, name: Type.String(), presence: Presence, activeChats: Type.Integer(), capacity: Type.Integer(), departmentIds: Type.Array(Uuid) })),
  recent: Type.Array(Type.Object({ kind: oneOf(['agent', 'department'] as const), id: Uuid })),
});
export type TransferTargets = Static<typeof TransferTargets>;

export const ChatCapacityInput = Type.Object({ userId: Uuid, capacity: Type.Integer({ minimum: 0, maximum: 50 }) }, { additionalProperties: false });
export const ChatCapacityView = Type.Object({ userId: Uuid, capacity: Type.Integer() });

// ------------------------------------------------------------------------------------- canned replies

export const CannedReplyInput = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 100 }),
  body: Type.String({ minLength: 1, maxLength: 2000 }),
  category: Type.Optional(Type.String({ maxLength: 50 })),
  /** public: the whole company's (needs settings.manage); personal: only mine. */
  scope: Type.Optional(oneOf(['personal', 'public'] as const)),
}, { additionalProperties: false });
export type CannedReplyInput = Static<typeof CannedReplyInput>;
export const CannedReplyView = Type.Object({ id: Uuid, title: Type.String(), body: Type.String(), category: Type.String(), scope: oneOf(['personal', 'public'] as const) });
export type CannedReplyView = Static<typeof CannedReplyView>;
export const CannedReplyList = Type.Object({ items: Type.Array(CannedReplyView), total: Type.Integer() });

// -------------------------------------------------------------------------------------- widget styles

export const ChatFormFieldSchema = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$' }),
  labelZh: Type.String({ minLength: 1, maxLength: 60 }), labelEn: Type.String({ minLength: 1, maxLength: 60 }),
  kind: oneOf(['text', 'email', 'phone', 'textarea'] as const), required: Type.Boolean(),
}, { additionalProperties: false });

const styleFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  themeColor: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', examples: ['#1677ff'] })),
  position: Type.Optional(oneOf(['right', 'left'] as const)),
  greetingZh: Type.Optional(Type.String({ maxLength: 500 })),
  greetingEn: Type.Optional(Type.String({ maxLength: 500 })),
  language: Type.Optional(oneOf(['auto', 'zh-CN', 'en'] as const)),
  designatedDepartmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  designatedAgentIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
  hideDepartmentNames: Type.Optional(Type.Boolean()),
  hideOfflineAgents: Type.Optional(Type.Boolean()),
  proactiveInvite: Type.Optional(Type.Boolean()),
  /** Robot first: the knowledge base answers a new chat's first question before an agent takes it. */
  robotEnabled: Type.Optional(Type.Boolean()),
  robotName: Type.Optional(Type.String({ maxLength: 40, description: "The robot's name in the widget ('' = 智能机器人 / Robot)" })),
  robotGreetingZh: Type.Optional(Type.String({ maxLength: 500 })),
  robotGreetingEn: Type.Optional(Type.String({ maxLength: 500 })),
  /** robot-decision.ts: confidence (0–1) at or above answers with the top article */
  robotAnswerThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** at or above (below the answer threshold): the top 3 articles are offered */
  robotSuggestThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** below: a person takes over at once; between it and the suggest threshold the robot asks to rephrase once */
  robotHandoverFloor: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  preChatFields: Type.Optional(Type.Array(ChatFormFieldSchema, { maxItems: 10 })),
  /** A returning visitor's new chat shows the previous chat's messages above it. */
  showLastConversation: Type.Optional(Type.Boolean()),
  /** Most chats waiting in line (0 = no limit); beyond it visitors get the offline-message form. */
  maxQueueLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
};
export const WidgetStyleInput = Type.Object(styleFields, { additionalProperties: false });
export type WidgetStyleInput = Static<typeof WidgetStyleInput>;
export const WidgetStylePatch = Type.Partial(WidgetStyleInput, { additionalProperties: false, minProperties: 1 });
export type WidgetStylePatch = Static<typeof WidgetStylePatch>;
export const WidgetStyleView = Type.Object({
  id: Uuid, name: Type.String(), themeColor: Type.String(), position: Type.String(), greetingZh: Type.String(), greetingEn: Type.String(), language: Type.String(),
  designatedDepartmentIds: Type.Array(Uuid), designatedAgentIds: Type.Array(Uuid), hideDepartmentNames: Type.Boolean(), hideOfflineAgents: Type.Boolean(),
  proactiveInvite: Type.Boolean(), robotEnabled: Type.Boolean(), robotName: Type.String(), robotGreetingZh: Type.String(), robotGreetingEn: Type.String(),
  robotAnswerThreshold: Type.Number(), robotSuggestThreshold: Type.Number(), robotHandoverFloor: Type.Number(), preChatFields: Type.Array(ChatFormFieldSchema), snippet: Type.String(),
  showLastConversation: Type.Boolean(), maxQueueLength: Type.Integer(),
  /** The public address of the style's logo (shown in the widget header), or null. */
  logoUrl: Type.Union([Type.String(), Type.Null()]),
});
export type WidgetStyleView = Static<typeof WidgetStyleView>;
export const WidgetStyleList = Type.Object({ items: Type.Array(WidgetStyleView), total: Type.Integer() });

// ---------------------------------------------------------------------------------- region strategies

const RegionSchema = Type.Object({ province: Type.String({ minLength: 1, maxLength: 30 }), city: Type.Optional(Type.Union([Type.String({ maxLength: 30 }), Type.Null()])) }, { additionalProperties: false });
export const RegionStrategyInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  regions: Type.Array(RegionSchema, { minItems: 1, maxItems: 100 }),
  departmentIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }),
  priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type RegionStrategyInput = Static<typeof RegionStrategyInput>;
export const RegionStrategyPatch = Type.Partial(RegionStrategyInput, { additionalProperties: false, minProperties: 1 });
export type RegionStrategyPatch = Static<typeof RegionStrategyPatch>;
export const RegionStrategyView = Type.Object({
  id: Uuid, name: Type.String(), regions: Type.Array(Type.Object({ province: Type.String(), city: Type.Union([Type.String(), Type.Null()]) })),
  departmentIds: Type.Array(Uuid), priority: Type.Integer(), enabled: Type.Boolean(),
});
export type RegionStrategyView = Static<typeof RegionStrategyView>;
export const RegionStrategyList = Type.Object({ items: Type.Array(RegionStrategyView), total: Type.Integer() });

export const WidgetDemoPage = Type.Unsafe<unknown>({ type: 'string', description: 'An HTML page (a fake company site with the widget snippet)' });
