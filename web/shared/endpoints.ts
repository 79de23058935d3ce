import { http, upload } from './api.ts';
import type { AttachmentList } from './types.ts';
import type { BulkAction, BulkResult, SavedViewInput, SavedViewPatch, SavedViewView } from './types.ts';
import type { TicketFieldInput, TicketFieldPatch, TicketFieldView } from './types.ts';
import type { FollowerList, LinkList, MergeInput, MergeResult } from './types.ts';
import type { DeliveryList, DeliveryView, MailboxCheck, MailboxInput, MailboxPatch, MailboxSync, MailboxView } from './types.ts';
import type {
  ActivateInput, ApiTokenCreated, ApiTokenView, AuditQuery, AuditView, DepartmentInput, DepartmentPatch, DepartmentView,
  InvitationView, InviteInput, ListOf, Locale, LoginInput, MeView, Ok, OutboxMailView, OutboxQuery, PasswordChangeInput,
  PermissionInfo, Presence, ProfilePatch, ResetInput, RoleInput, RolePatch, RoleView, SessionView, StaffPatch, StaffQuery,
  StaffView, TeamInput, TeamPatch, TeamView,
  AssignmentSettingsInput, AssignmentSettingsView, CalendarInput, CalendarView, CapacityView, EscalateInput, MessageView,
  NotificationList, QueueCounts, QueueQuery, RuleInput, RuleView, SlaPolicyInput, SlaPolicyView, TicketCreate, TicketDetail,
  TicketPatch, TicketSlaView, TicketTypeInput, TicketTypePatch, TicketTypeView, TicketView, WebhookDeliveryView,
} from './types.ts';

/** One typed function per API route the console uses (paths as in src/server/routes.ts). */
export const authApi = {
  login: (input: LoginInput) => http.post<MeView>('/api/v1/auth/login', input),
  logout: () => http.post<Ok>('/api/v1/auth/logout'),
  logoutEverywhere: () => http.post<Ok>('/api/v1/auth/logout-everywhere'),
  me: () => http.get<MeView>('/api/v1/auth/me'),
  updateProfile: (patch: ProfilePatch) => http.patch<Ok>('/api/v1/auth/me', patch),
  setLocale: (locale: Locale) => http.patch<Ok>('/api/v1/auth/me', { locale }),
  setPresence: (presence: Presence) => http.put<Ok>('/api/v1/auth/me/presence', { presence }),
  changePassword: (input: PasswordChangeInput) => http.post<Ok>('/api/v1/auth/password', input),
  requestReset: (email: string) => http.post<Ok>('/api/v1/auth/password-reset/request', { email }),
  resetPassword: (input: ResetInput) => http.post<Ok>('/api/v1/auth/password-reset', input),
  invitation: (token: string) => http.get<InvitationView>('/api/v1/auth/invitation', { token }),
  activate: (input: ActivateInput) => http.post<Ok>('/api/v1/auth/activate', input),
  sessions: () => http.get<ListOf<SessionView>>('/api/v1/auth/sessions'),
  apiTokens: () => http.get<ListOf<ApiTokenView>>('/api/v1/auth/api-tokens'),
  createApiToken: (name: string) => http.post<ApiTokenCreated>('/api/v1/auth/api-tokens', { name }),
  revokeApiToken: (id: string) => http.del<Ok>(`/api/v1/auth/api-tokens/${encodeURIComponent(id)}`),
};

export const staffApi = {
  list: (q: StaffQuery = {}) => http.get<ListOf<StaffView>>('/api/v1/staff', { ...q }),
  invite: (input: InviteInput) => http.post<StaffView>('/api/v1/staff/invitations', input),
  resendInvitation: (id: string) => http.post<Ok>(`/api/v1/staff/${encodeURIComponent(id)}/invitation`),
  withdrawInvitation: (id: string) => http.del<Ok>(`/api/v1/staff/${encodeURIComponent(id)}/invitation`),
  update: (id: string, patch: StaffPatch) => http.patch<StaffView>(`/api/v1/staff/${encodeURIComponent(id)}`, patch),
};

export const rolesApi = {
  list: () => http.get<ListOf<RoleView>>('/api/v1/roles'),
  create: (input: RoleInput) => http.post<RoleView>('/api/v1/roles', input),
  update: (id: string, patch: RolePatch) => http.patch<RoleView>(`/api/v1/roles/${encodeURIComponent(id)}`, patch),
  remove: (id: string) => http.del<Ok>(`/api/v1/roles/${encodeURIComponent(id)}`),
  permissions: () => http.get<{ items: PermissionInfo[] }>('/api/v1/permissions'),
};

export const departmentsApi = {
  list: () => http.get<ListOf<DepartmentView>>('/api/v1/departments'),
  create: (input: DepartmentInput) => http.post<DepartmentView>('/api/v1/departments', input),
  update: (id: string, patch: DepartmentPatch) => http.patch<DepartmentView>(`/api/v1/departments/${encodeURIComponent(id)}`, patch),
  remove: (id: string) => http.del<Ok>(`/api/v1/departments/${encodeURIComponent(id)}`),
};

export const teamsApi = {
  list: () => http.get<ListOf<TeamView>>('/api/v1/teams'),
  create: (input: TeamInput) => http.post<TeamView>('/api/v1/teams', input),
  update: (id: string, patch: TeamPatch) => http.patch<TeamView>(`/api/v1/teams/${encodeURIComponent(id)}`, patch),
  remove: (id: string) => http.del<Ok>(`/api/v1/teams/${encodeURIComponent(id)}`),
};

export const adminApi = {
  auditLog: (q: AuditQuery = {}) => http.get<ListOf<AuditView>>('/api/v1/audit-log', { ...q }),
  outbox: (q: OutboxQuery = {}) => http.get<ListOf<OutboxMailView>>('/api/v1/outbox', { ...q }),
};

const id = encodeURIComponent;

export const ticketsApi = {
  list: (q: QueueQuery) => http.get<ListOf<TicketView>>('/api/v1/tickets', { ...q }),
  counts: () => http.get<QueueCounts>('/api/v1/tickets/counts'),
  create: (input: TicketCreate) => http.post<TicketView>('/api/v1/tickets', input),
  get: (ticketId: string) => http.get<TicketDetail>(`/api/v1/tickets/${id(ticketId)}`),
  update: (ticketId: string, patch: TicketPatch) => http.patch<TicketView>(`/api/v1/tickets/${id(ticketId)}`, patch),
  reply: (ticketId: string, body: string, visibility: 'public' | 'internal', mentions: string[] = [], attachmentIds: string[] = []) =>
    http.post<MessageView>(`/api/v1/tickets/${id(ticketId)}/messages`, { body, visibility, ...(mentions.length ? { mentions } : {}), ...(attachmentIds.length ? { attachmentIds } : {}) }),
  assign: (ticketId: string, assigneeId: string | null, reason?: string) => http.put<TicketView>(`/api/v1/tickets/${id(ticketId)}/assignee`, { assigneeId, ...(reason ? { reason } : {}) }),
  forward: (ticketId: string, departmentId: string, reason: string) => http.post<TicketView>(`/api/v1/tickets/${id(ticketId)}/forward`, { departmentId, reason }),
  sla: (ticketId: string) => http.get<TicketSlaView>(`/api/v1/tickets/${id(ticketId)}/sla`),
  escalate: (ticketId: string, input: EscalateInput) => http.post<TicketView>(`/api/v1/tickets/${id(ticketId)}/escalate`, input),
  types: () => http.get<ListOf<TicketTypeView>>('/api/v1/ticket-types'),
  createType: (input: TicketTypeInput) => http.post<TicketTypeView>('/api/v1/ticket-types', input),
  updateType: (typeId: string, patch: TicketTypePatch) => http.patch<TicketTypeView>(`/api/v1/ticket-types/${id(typeId)}`, patch),
};

/** Files on tickets: uploaded first, sent with a reply by id, downloaded by plain link. */
export const attachmentsApi = {
  upload: (ticketId: string, files: File[], opts: { onProgress?(percent: number): void; signal?: AbortSignal } = {}) =>
    upload<AttachmentList>(`/api/v1/tickets/${id(ticketId)}/attachments`, files, opts),
  /** The download address; `inline` shows PNG, JPEG, GIF and WebP in place (the server downloads anything else). */
  url: (attachmentId: string, inline = false) => `/api/v1/attachments/${id(attachmentId)}${inline ? '?inline=1' : ''}`,
};

export const ticketFieldsApi = {
  list: () => http.get<ListOf<TicketFieldView>>('/api/v1/ticket-fields'),
  create: (input: TicketFieldInput) => http.post<TicketFieldView>('/api/v1/ticket-fields', input),
  update: (fieldId: string, patch: TicketFieldPatch) => http.patch<TicketFieldView>(`/api/v1/ticket-fields/${id(fieldId)}`, patch),
};

/** Working on tickets together: followers, merge, related tickets. */
export const ticketCollabApi = {
  follow: (ticketId: string, userId: string) => http.put<FollowerList>(`/api/v1/tickets/${id(ticketId)}/followers/${id(userId)}`),
  unfollow: (ticketId: string, userId: string) => http.del<FollowerList>(`/api/v1/tickets/${id(ticketId)}/followers/${id(userId)}`),
  merge: (ticketId: string, input: MergeInput) => http.post<MergeResult>(`/api/v1/tickets/${id(ticketId)}/merge`, input),
  link: (ticketId: string, otherId: string) => http.post<LinkList>(`/api/v1/tickets/${id(ticketId)}/links`, { ticketId: otherId }),
  unlink: (ticketId: string, otherId: string) => http.del<LinkList>(`/api/v1/tickets/${id(ticketId)}/links/${id(otherId)}`),
};

/** The work queue's saved views and bulk changes. */
export const queueApi = {
  savedViews: () => http.get<ListOf<SavedViewView>>('/api/v1/saved-views'),
  createView: (input: SavedViewInput) => http.post<SavedViewView>('/api/v1/saved-views', input),
  updateView: (viewId: string, patch: SavedViewPatch) => http.patch<SavedViewView>(`/api/v1/saved-views/${id(viewId)}`, patch),
  deleteView: (viewId: string) => http.del<Ok>(`/api/v1/saved-views/${id(viewId)}`),
  bulk: (ticketIds: string[], action: BulkAction) => http.post<BulkResult>('/api/v1/tickets/bulk', { ticketIds, action }),
};

export const slaApi = {
  list: () => http.get<ListOf<SlaPolicyView>>('/api/v1/sla-policies'),
  create: (input: SlaPolicyInput) => http.post<SlaPolicyView>('/api/v1/sla-policies', input),
  update: (policyId: string, input: SlaPolicyInput) => http.put<SlaPolicyView>(`/api/v1/sla-policies/${id(policyId)}`, input),
  remove: (policyId: string) => http.del<Ok>(`/api/v1/sla-policies/${id(policyId)}`),
};

export const assignmentApi = {
  get: (departmentId: string) => http.get<AssignmentSettingsView>(`/api/v1/departments/${id(departmentId)}/assignment`),
  set: (departmentId: string, input: AssignmentSettingsInput) => http.put<AssignmentSettingsView>(`/api/v1/departments/${id(departmentId)}/assignment`, input),
  calendars: () => http.get<ListOf<CalendarView>>('/api/v1/business-calendars'),
  createCalendar: (input: CalendarInput) => http.post<CalendarView>('/api/v1/business-calendars', input),
  updateCalendar: (calendarId: string, input: CalendarInput) => http.put<CalendarView>(`/api/v1/business-calendars/${id(calendarId)}`, input),
  capacity: (userId: string) => http.get<CapacityView>(`/api/v1/staff/${id(userId)}/capacity`),
  setCapacity: (userId: string, ticketCapacity: number) => http.put<CapacityView>(`/api/v1/staff/${id(userId)}/capacity`, { ticketCapacity }),
};

export const automationApi = {
  list: () => http.get<ListOf<RuleView>>('/api/v1/automation-rules'),
  create: (input: RuleInput) => http.post<RuleView>('/api/v1/automation-rules', input),
  update: (ruleId: string, input: RuleInput) => http.put<RuleView>(`/api/v1/automation-rules/${id(ruleId)}`, input),
  remove: (ruleId: string) => http.del<Ok>(`/api/v1/automation-rules/${id(ruleId)}`),
  deliveries: () => http.get<ListOf<WebhookDeliveryView>>('/api/v1/webhook-deliveries'),
};

export const notificationsApi = {
  list: () => http.get<NotificationList>('/api/v1/notifications'),
  read: (ids: string[]) => http.post<Ok>('/api/v1/notifications/read', { ids }),
  readAll: () => http.post<Ok>('/api/v1/notifications/read', { all: true }),
};

export const mailboxesApi = {
  list: () => http.get<ListOf<MailboxView>>('/api/v1/mailboxes'),
  create: (input: MailboxInput) => http.post<MailboxView>('/api/v1/mailboxes', input),
  update: (mailboxId: string, patch: MailboxPatch) => http.patch<MailboxView>(`/api/v1/mailboxes/${id(mailboxId)}`, patch),
  test: (mailboxId: string) => http.post<MailboxCheck>(`/api/v1/mailboxes/${id(mailboxId)}/test`),
  sync: (mailboxId: string) => http.post<MailboxSync>(`/api/v1/mailboxes/${id(mailboxId)}/sync`),
  deliveries: (ticketId: string) => http.get<DeliveryList>(`/api/v1/tickets/${id(ticketId)}/deliveries`),
  retrySend: (ticketId: string, messageId: string) => http.post<DeliveryView>(`/api/v1/tickets/${id(ticketId)}/messages/${id(messageId)}/retry-send`),
  /** The original source of an email message: a plain link (a download), not a fetch. */
  rawUrl: (ticketId: string, messageId: string) => `/api/v1/tickets/${id(ticketId)}/messages/${id(messageId)}/raw`,
  /** A customer's email as formatted, sanitized: for a sandboxed iframe. */
  htmlUrl: (ticketId: string, messageId: string) => `/api/v1/tickets/${id(ticketId)}/messages/${id(messageId)}/html`,
};
