import { Type, type Static } from 'typebox';
import { Email, Name, Timestamp, Uuid, listOf, oneOf } from './common.ts';
import { CustomFieldsView, CustomFieldValues } from './ticket-fields.ts';
import { AttachmentView, MAX_ATTACHMENTS_PER_MESSAGE } from './attachments.ts';

export const CHANNELS = ['email', 'webchat', 'portal', 'phone', 'wechat', 'api', 'internal'] as const;
export const Channel = oneOf(CHANNELS);
export type ChannelKind = (typeof CHANNELS)[number];

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'] as const;
export const TicketStatus = oneOf(STATUSES);
export type TicketStatus = (typeof STATUSES)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = oneOf(PRIORITIES);
export type Priority = (typeof PRIORITIES)[number];

export const Severity = Type.Integer({ minimum: 1, maximum: 4 });
export const Tag = Type.String({ minLength: 1, maxLength: 50 });
const Body = Type.String({ minLength: 1, maxLength: 100_000 });
const Subject = Type.String({ minLength: 1, maxLength: 300 });
export const Reason = Type.String({ minLength: 1, maxLength: 1000 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const CustomerRef = Type.Object({
  id: Uuid, name: Type.String(),
  email: Nullable(Type.String({ description: 'Masked (l***@example.com) without the customers.view_contact permission' })),
  phone: Nullable(Type.String()),
});

export const TicketView = Type.Object({
  id: Uuid, number: Type.Integer(), subject: Type.String(),
  type: Nullable(Type.Object({ id: Uuid, key: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
  priority: Priority, severity: Type.Integer(), status: TicketStatus, channel: Channel,
  customer: Nullable(CustomerRef),
  departmentId: Nullable(Uuid), teamId: Nullable(Uuid), assigneeId: Nullable(Uuid),
  tags: Type.Array(Type.String()), escalationLevel: Type.Integer(),
  createdAt: Timestamp, updatedAt: Timestamp,
  firstResponseAt: Nullable(Timestamp), resolvedAt: Nullable(Timestamp), closedAt: Nullable(Timestamp),
  customFields: CustomFieldsView,
  mergedIntoId: Nullable(Uuid),
});
export type TicketView = Static<typeof TicketView>;
export const TicketList = listOf(TicketView);

export const MessageView = Type.Object({
  id: Uuid, channel: Channel, direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  authorType: Type.Union([Type.Literal('customer'), Type.Literal('agent'), Type.Literal('bot'), Type.Literal('system')]),
  authorId: Nullable(Uuid), authorName: Type.String(),
  visibility: Type.Union([Type.Literal('public'), Type.Literal('internal')]),
  body: Type.String({ description: 'Plain text; clients must render it as text, never as HTML' }), createdAt: Timestamp,
  mentions: Type.Array(Uuid, { description: 'Staff @mentioned in this message' }),
  attachments: Type.Array(AttachmentView, { description: 'Files sent with this message (download: GET /api/v1/attachments/:id)' }),
});
export type MessageView = Static<typeof MessageView>;

export const HistoryView = Type.Object({
  id: Type.Integer(), actorId: Nullable(Uuid), actorName: Type.String(), action: Type.String(),
  changes: Type.Record(Type.String(), Type.Unknown()), reason: Nullable(Type.String()), createdAt: Timestamp,
});
export type HistoryView = Static<typeof HistoryView>;

/** A related ticket as another ticket lists it. */
export const LinkedTicket = Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String(), status: TicketStatus });
export type LinkedTicket = Static<typeof LinkedTicket>;

export const TicketDetail = Type.Object({
  ticket: TicketView,
  messages: Type.Array(MessageView),
  history: Type.Array(HistoryView),
  customerTickets: Type.Array(Type.Object({ id: Uuid, number: Type.Integer(), subject: Type.String(), status: TicketStatus, createdAt: Timestamp })),
  followers: Type.Array(Uuid),
  links: Type.Array(LinkedTicket, { description: 'Related tickets the caller may see' }),
});
export type TicketDetail = Static<typeof TicketDetail>;

export const TicketCreate = Type.Object({
  subject: Subject,
  body: Body,
  channel: Type.Optional(Type.Union([Type.Literal('phone'), Type.Literal('internal'), Type.Literal('email'), Type.Literal('portal'), Type.Literal('api')])),
  customer: Type.Optional(Type.Object({ name: Name, email: Type.Optional(Email), phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9+()\\- ]+$' })) }, { additionalProperties: false })),
  customerId: Type.Optional(Uuid),
  typeId: Type.Optional(Uuid),
  priority: Type.Optional(Priority),
  departmentId: Type.Optional(Uuid),
  assigneeId: Type.Optional(Uuid),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 30, uniqueItems: true })),
  customFields: Type.Optional(CustomFieldValues),
}, { additionalProperties: false });
export type TicketCreate = Static<typeof TicketCreate>;

export const TicketPatch = Type.Object({
  subject: Type.Optional(Subject), typeId: Type.Optional(Nullable(Uuid)), priority: Type.Optional(Priority), severity: Type.Optional(Severity),
  status: Type.Optional(TicketStatus), tags: Type.Optional(Type.Array(Tag, { maxItems: 30, uniqueItems: true })), teamId: Type.Optional(Nullable(Uuid)),
  customFields: Type.Optional(CustomFieldValues),
}, { additionalProperties: false, minProperties: 1 });
export type TicketPatch = Static<typeof TicketPatch>;

export const AssignInput = Type.Object({ assigneeId: Nullable(Uuid), reason: Type.Optional(Reason) }, { additionalProperties: false });
export const ForwardInput = Type.Object({ departmentId: Uuid, reason: Reason }, { additionalProperties: false });
export const ReplyInput = Type.Object({
  body: Body, visibility: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('internal')])),
  mentions: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true, description: 'Colleagues @mentioned: each is notified' })),
  attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: MAX_ATTACHMENTS_PER_MESSAGE, uniqueItems: true, description: 'Your uploads to this ticket (POST /api/v1/tickets/:id/attachments) to send with the message' })),
}, { additionalProperties: false });

export const QUEUE_VIEWS = ['mine', 'unassigned', 'department', 'all', 'escalated', 'overdue', 'open'] as const;
export const QueueView = oneOf(QUEUE_VIEWS);
export type QueueView = (typeof QUEUE_VIEWS)[number];
/**
 * Filters of the work queue, also what a saved view stores. Every given filter narrows (AND); a list
 * matches any of its values (tags: any of them). Visibility rules apply on top, whatever the filters say.
 */
export const TicketFilters = Type.Object({
  statuses: Type.Optional(Type.Array(TicketStatus, { maxItems: STATUSES.length, uniqueItems: true })),
  priorities: Type.Optional(Type.Array(Priority, { maxItems: PRIORITIES.length, uniqueItems: true })),
  departmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
  assignee: Type.Optional(Type.Union([Type.Literal('me'), Type.Literal('none'), Uuid], { description: "'me' (whoever looks), 'none' (unassigned) or a staff id" })),
  typeIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
  channels: Type.Optional(Type.Array(Channel, { maxItems: CHANNELS.length, uniqueItems: true })),
  tags: Type.Optional(Type.Array(Tag, { maxItems: 30, uniqueItems: true, description: 'Tickets carrying any of these tags' })),
  escalated: Type.Optional(Type.Boolean()),
  overdue: Type.Optional(Type.Boolean({ description: 'An SLA target was breached or its deadline has passed (unresolved tickets only)' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the subject, or a ticket number (#123)' })),
}, { additionalProperties: false });
export type TicketFilters = Static<typeof TicketFilters>;

export const QueueQuery = Type.Object({
  view: Type.Optional(QueueView),
  savedViewId: Type.Optional(Type.String({ format: 'uuid', description: 'A saved view: its filters apply, and the view defaults to all' })),
  status: Type.Optional(TicketStatus),
  departmentId: Type.Optional(Uuid),
  ...TicketFilters.properties,
  sort: Type.Optional(Type.Union([Type.Literal('updated'), Type.Literal('created'), Type.Literal('priority')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});
export type QueueQuery = Static<typeof QueueQuery>;
export const QueueCounts = Type.Record(Type.String(), Type.Integer(), { description: 'Capped ticket counts: each built-in view by name, each saved view the caller can use as saved:<id>' });

export const TicketTypeView = Type.Object({ id: Uuid, key: Type.String(), nameZh: Type.String(), nameEn: Type.String(), sortOrder: Type.Integer(), active: Type.Boolean() });
export const TicketTypeList = listOf(TicketTypeView);
export const TicketTypeInput = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_]+$' }), nameZh: Name, nameEn: Name,
  sortOrder: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })), active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type TicketTypeInput = Static<typeof TicketTypeInput>;
export const TicketTypePatch = Type.Partial(Type.Omit(TicketTypeInput, ['key']), { additionalProperties: false });
export type TicketTypePatch = Static<typeof TicketTypePatch>;

/** Default ticket types every company starts with. */
export const DEFAULT_TICKET_TYPES = [
  { key: 'inquiry', nameZh: '咨询', nameEn: 'Inquiry' },
  { key: 'query', nameZh: '查询', nameEn: 'Query' },
  { key: 'complaint', nameZh: '投诉', nameEn: 'Complaint' },
  { key: 'suggestion', nameZh: '建议', nameEn: 'Suggestion' },
  { key: 'fault', nameZh: '故障申告', nameEn: 'Fault report' },
] as const;
