/**
 * Request and response types of the API, taken from the server's contracts (type-only imports: one
 * source of truth, nothing of the server is bundled).
 */
import type { Static } from 'typebox';
import type * as Auth from '../../src/contracts/auth.ts';
import type * as Admin from '../../src/contracts/admin.ts';
import type * as Staff from '../../src/contracts/staff.ts';

export type { Locale } from '../../src/contracts/common.ts';
export type { AuditView, OutboxMailView } from '../../src/contracts/admin.ts';
export type {
  DepartmentInput, DepartmentPatch, DepartmentView, InviteInput, Presence, RoleView,
  StaffPatch, StaffQuery, StaffView, TeamInput, TeamPatch, TeamView, ProfilePatch,
} from '../../src/contracts/staff.ts';
export type { AuditQuery, OutboxQuery } from '../../src/contracts/admin.ts';
export type { LoginInput, MeView } from '../../src/contracts/auth.ts';
import type { Permission } from '../../src/contracts/permissions.ts';
export type { Permission };

export type StaffStatus = Static<typeof Staff.StaffStatus>;
export type ApiTokenView = Static<typeof Auth.ApiTokenView>;
export type ApiTokenCreated = Static<typeof Auth.ApiTokenCreated>;
export type SessionView = Static<typeof Auth.SessionView>;
export type InvitationView = Static<typeof Auth.InvitationView>;
export type ActivateInput = Static<typeof Auth.ActivateInput>;
export type ResetInput = Static<typeof Auth.ResetInput>;
export type PasswordChangeInput = Static<typeof Auth.PasswordChangeInput>;
export type PermissionInfo = Static<typeof Admin.PermissionInfo>;

// contracts/staff.ts builds PermissionName from a mapped array, which TypeBox's Static turns into
// `never`: restate the permission list's type here (reported to the backend owner).
export type RoleInput = Omit<Staff.RoleInput, 'permissions'> & { permissions: Permission[] };
export type RolePatch = Partial<RoleInput>;

/** Every list endpoint answers { items, total }. */
export interface ListOf<T> { items: T[]; total: number }
export interface Ok { ok: boolean }

// Tickets, SLA, assignment, automation, notifications.
import type * as Sla from '../../src/contracts/sla.ts';
import type * as Assignment from '../../src/contracts/assignment.ts';
import type * as Automation from '../../src/contracts/automation.ts';
import type * as Tickets from '../../src/contracts/tickets.ts';
export type {
  ChannelKind, HistoryView, MessageView, Priority, QueueQuery, QueueView, TicketCreate, TicketDetail, TicketPatch,
  TicketStatus, TicketTypeInput, TicketTypePatch, TicketView,
} from '../../src/contracts/tickets.ts';
export type { SlaPolicyInput, SlaPolicyView } from '../../src/contracts/sla.ts';
export type { AttachmentList, AttachmentView } from '../../src/contracts/attachments.ts';
export type { AssignmentSettingsInput, AssignmentSettingsView, CalendarInput, CalendarView } from '../../src/contracts/assignment.ts';
export type { RuleInput, RuleView } from '../../src/contracts/automation.ts';
export type {
  CustomFieldValues, CustomFieldsView, FieldKind, FieldValidation, SelectOption, TicketFieldInput, TicketFieldPatch, TicketFieldView,
} from '../../src/contracts/ticket-fields.ts';
export type { TicketFilters } from '../../src/contracts/tickets.ts';
export type { SavedViewInput, SavedViewPatch, SavedViewView } from '../../src/contracts/saved-views.ts';
export type { BulkAction, BulkInput, BulkItemResult, BulkResult } from '../../src/contracts/ticket-bulk.ts';
export type TicketTypeView = Static<typeof Tickets.TicketTypeView>;
export type QueueCounts = Record<string, number>;
export type TicketSlaView = Static<typeof Sla.TicketSlaView>;
export type EscalationLevel = Static<typeof Sla.EscalationLevelSchema>;
export type EscalationAction = Static<typeof Sla.EscalationActionSchema>;
export type EscalateInput = Static<typeof Sla.EscalateInput>;
export type AssignmentMode = Static<typeof Assignment.AssignmentModeSchema>;
export type WeeklySlot = Static<typeof Assignment.WeeklySlotSchema>;
export type CapacityView = Static<typeof Assignment.CapacityView>;
export type RuleCondition = Static<typeof Automation.ConditionSchema>;
export type RuleAction = Static<typeof Automation.ActionSchema>;
export type RuleTrigger = Static<typeof Automation.Trigger>;
export type WebhookDeliveryView = Static<typeof Automation.WebhookDeliveryView>;

export type NotificationKind = 'assigned' | 'escalated' | 'sla_warning' | 'sla_breached' | 'customer_reply' | 'automation'
  | 'mention' | 'follow_reply' | 'follow_status' | 'follow_escalated' | 'follow_assigned' | 'follow_merged';
export type { FollowerList, LinkList, MergeInput, MergeResult } from '../../src/contracts/ticket-collab.ts';
export type { LinkedTicket } from '../../src/contracts/tickets.ts';
export interface NotificationView {
  id: string; kind: string; ticketId: string | null;
  data: { number?: number; subject?: string; reason?: string; metric?: string; level?: number; [k: string]: unknown };
  readAt: string | null; createdAt: string;
}
export interface NotificationList { unread: number; items: NotificationView[] }

// Mailboxes (email intake).
export type { MailboxCheck, MailboxInput, MailboxPatch, MailboxProtocol, MailboxSync, MailboxView, TlsMode } from '../../src/contracts/email.ts';
export type { DeliveryList, DeliveryState, DeliveryView } from '../../src/contracts/email.ts';
