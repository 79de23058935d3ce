import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './common.ts';
import { Presence } from './staff.ts';
import { ChatLineView } from './chat.ts';

/**
 * Live chat beyond the conversation itself: chat files of visitors, widget logos, the live visitors list
 * with proactive invitations, colleagues invited into a chat, and direct messages between agents.
 */

/** Largest widget logo: small enough to load with the widget on every page view. */
export const MAX_LOGO_BYTES = 200 * 1024;
/** Logo image types (sniffed from the bytes, not the declared type); never SVG, which can carry script. */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** Largest file a visitor sends in a chat (the install's attachment limit applies when lower). */
export const MAX_VISITOR_FILE_BYTES = 10 * 1024 * 1024;

/** A widget's own file routes: the capability the widget got in its hello, never the visitor key. */
export const VisitorFileToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'The file token the widget received in its hello' });

export const VisitorUploadQuery = Type.Object({
  t: VisitorFileToken,
  conversationId: Uuid,
  clientId: Type.String({ format: 'uuid', description: 'The message id: sending the same file again stores nothing new' }),
}, { additionalProperties: false });

export const VisitorUploadResult = Type.Object({ duplicate: Type.Boolean(), line: ChatLineView });

export const VisitorFileQuery = Type.Object({
  t: VisitorFileToken,
  inline: Type.Optional(Type.Integer({ minimum: 0, maximum: 1, description: '1: show a PNG, JPEG, GIF or WebP image in place (other files still download)' })),
}, { additionalProperties: false });

export const LogoQuery = Type.Object({ v: Type.Optional(Type.String({ maxLength: 64, description: 'Cache buster: changes with the logo' })) });

// --------------------------------------------------------------------------------- live visitors

export const LiveVisitorView = Type.Object({
  id: Uuid,
  name: Type.String(),
  page: Type.Object({ url: Type.String(), title: Type.String() }),
  region: Type.Object({ province: Type.Union([Type.String(), Type.Null()]), city: Type.Union([Type.String(), Type.Null()]) }),
  device: Type.Union([Type.String(), Type.Null()]),
  /** When this visit began (seconds on site = now − this). */
  visitStartedAt: Timestamp,
  visits: Type.Integer(),
  chatting: Type.Boolean(),
  /** The widget style the visitor's page shows; invitations follow its switch. */
  styleId: Type.Union([Uuid, Type.Null()]),
  canInvite: Type.Boolean(),
  invitation: Type.Union([Type.Object({ status: Type.String(), agentName: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
});
export type LiveVisitorView = Static<typeof LiveVisitorView>;
export const LiveVisitorList = Type.Object({ items: Type.Array(LiveVisitorView), total: Type.Integer() });

export const InviteInput = Type.Object({ message: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export const InvitationView = Type.Object({ id: Uuid, visitorId: Uuid, status: Type.String(), message: Type.String(), createdAt: Timestamp });

export const AgentChatSettings = Type.Object({ visitorSound: Type.Boolean() });
export const AgentChatSettingsPatch = Type.Object({ visitorSound: Type.Boolean() }, { additionalProperties: false });

// ------------------------------------------------------------------------------- colleagues

export const CollaboratorInput = Type.Object({ conversationId: Uuid, agentId: Uuid }, { additionalProperties: false });
export const CollaboratorList = Type.Object({ conversationId: Uuid, collaborators: Type.Array(Type.Object({ id: Uuid, name: Type.String() })) });

export const AgentMessageView = Type.Object({ id: Uuid, fromId: Uuid, toId: Uuid, body: Type.String(), createdAt: Timestamp, read: Type.Boolean() });
export type AgentMessageView = Static<typeof AgentMessageView>;
export const AgentMessageInput = Type.Object({ toId: Uuid, body: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export const AgentMessageQuery = Type.Object({ with: Uuid }, { additionalProperties: false });
export const AgentMessageList = Type.Object({ items: Type.Array(AgentMessageView) });
export const ColleagueList = Type.Object({
  items: Type.Array(Type.Object({ id: Uuid, name: Type.String(), presence: Presence, unread: Type.Integer() })),
});
export type ColleagueList = Static<typeof ColleagueList>;

// ------------------------------------------------------------------------------- queue limits

export const DepartmentQueueInput = Type.Object({ departmentId: Uuid, maxQueueLength: Type.Integer({ minimum: 0, maximum: 10_000, description: '0 = no limit' }) }, { additionalProperties: false });
export const DepartmentQueueView = Type.Object({ departmentId: Uuid, maxQueueLength: Type.Integer() });
export const DepartmentQueueList = Type.Object({ items: Type.Array(DepartmentQueueView) });
export type DepartmentQueueView = Static<typeof DepartmentQueueView>;
