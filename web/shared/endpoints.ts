import { http } from './api.ts';
import type {
  ActivateInput, ApiTokenCreated, ApiTokenView, AuditQuery, AuditView, DepartmentInput, DepartmentPatch, DepartmentView,
  InvitationView, InviteInput, ListOf, Locale, LoginInput, MeView, Ok, OutboxMailView, OutboxQuery, PasswordChangeInput,
  PermissionInfo, Presence, ProfilePatch, ResetInput, RoleInput, RolePatch, RoleView, SessionView, StaffPatch, StaffQuery,
  StaffView, TeamInput, TeamPatch, TeamView,
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
