import { IdParams, Ok } from '../../contracts/common.ts';
import {
  DepartmentInput, DepartmentList, DepartmentPatch, DepartmentView, InviteInput, RoleInput, RoleList, RolePatch, RoleView,
  StaffList, StaffPatch, StaffQuery, StaffView, TeamInput, TeamList, TeamPatch, TeamView,
} from '../../contracts/staff.ts';
import { defineRoute } from '../../server/define-route.ts';
import { createDepartment, deleteDepartment, getDepartment, listDepartments, updateDepartment } from './departments.service.ts';
import { createRole, deleteRole, getRole, listRoles, updateRole } from './roles.service.ts';
import { deleteInvitation, getStaff, inviteStaff, listStaff, resendInvitation, updateStaff } from './staff.service.ts';
import { createTeam, deleteTeam, getTeam, listTeams, updateTeam } from './teams.service.ts';

// Reading the staff directory, departments and teams is open to every agent (assigning and transferring
// need it); changing them needs the matching manage permission.
export const staffRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/staff', summary: 'List staff accounts', tags: ['staff'],
    access: 'staff', query: StaffQuery, response: StaffList,
    handler: ({ query, ctx }) => listStaff(ctx, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/staff/:id', summary: 'One staff account', tags: ['staff'],
    access: 'staff', params: IdParams, response: StaffView,
    handler: ({ params, ctx }) => getStaff(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/staff/invitations', summary: 'Invite an agent by email (the activation link goes through the outbox)', tags: ['staff'],
    access: { permission: 'staff.manage' }, body: InviteInput, response: StaffView, status: 201,
    handler: ({ body, ctx }) => inviteStaff(ctx, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/staff/:id/invitation', summary: 'Send a fresh invitation link', tags: ['staff'],
    access: { permission: 'staff.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await resendInvitation(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/staff/:id/invitation', summary: 'Withdraw an invitation that was never activated', tags: ['staff'],
    access: { permission: 'staff.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteInvitation(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/staff/:id', summary: 'Change role, status, level, skills, departments or teams', tags: ['staff'],
    access: { permission: 'staff.manage' }, params: IdParams, body: StaffPatch, response: StaffView,
    handler: ({ params, body, ctx }) => updateStaff(ctx, params.id, body),
  }),

  defineRoute({
    method: 'GET', url: '/api/v1/roles', summary: 'List roles', tags: ['roles'],
    access: 'staff', response: RoleList,
    handler: ({ ctx }) => listRoles(ctx),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/roles/:id', summary: 'One role', tags: ['roles'],
    access: 'staff', params: IdParams, response: RoleView,
    handler: ({ params, ctx }) => getRole(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/roles', summary: 'Create a custom role', tags: ['roles'],
    access: { permission: 'roles.manage' }, body: RoleInput, response: RoleView, status: 201,
    handler: ({ body, ctx }) => createRole(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/roles/:id', summary: 'Rename a role or change its permissions', tags: ['roles'],
    access: { permission: 'roles.manage' }, params: IdParams, body: RolePatch, response: RoleView,
    handler: ({ params, body, ctx }) => updateRole(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/roles/:id', summary: 'Delete a custom role nobody holds', tags: ['roles'],
    access: { permission: 'roles.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteRole(ctx, params.id); return { ok: true }; },
  }),

  defineRoute({
    method: 'GET', url: '/api/v1/departments', summary: 'The department tree (flat, with parent ids)', tags: ['departments'],
    access: 'staff', response: DepartmentList,
    handler: ({ ctx }) => listDepartments(ctx),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/departments/:id', summary: 'One department', tags: ['departments'],
    access: 'staff', params: IdParams, response: DepartmentView,
    handler: ({ params, ctx }) => getDepartment(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/departments', summary: 'Create a department', tags: ['departments'],
    access: { permission: 'departments.manage' }, body: DepartmentInput, response: DepartmentView, status: 201,
    handler: ({ body, ctx }) => createDepartment(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/departments/:id', summary: 'Rename, move or change the members of a department', tags: ['departments'],
    access: { permission: 'departments.manage' }, params: IdParams, body: DepartmentPatch, response: DepartmentView,
    handler: ({ params, body, ctx }) => updateDepartment(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/departments/:id', summary: 'Delete a department without sub-departments', tags: ['departments'],
    access: { permission: 'departments.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteDepartment(ctx, params.id); return { ok: true }; },
  }),

  defineRoute({
    method: 'GET', url: '/api/v1/teams', summary: 'List teams', tags: ['teams'],
    access: 'staff', response: TeamList,
    handler: ({ ctx }) => listTeams(ctx),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/teams/:id', summary: 'One team', tags: ['teams'],
    access: 'staff', params: IdParams, response: TeamView,
    handler: ({ params, ctx }) => getTeam(ctx, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/teams', summary: 'Create a team', tags: ['teams'],
    access: { permission: 'departments.manage' }, body: TeamInput, response: TeamView, status: 201,
    handler: ({ body, ctx }) => createTeam(ctx, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/teams/:id', summary: 'Change a team', tags: ['teams'],
    access: { permission: 'departments.manage' }, params: IdParams, body: TeamPatch, response: TeamView,
    handler: ({ params, body, ctx }) => updateTeam(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/teams/:id', summary: 'Delete a team', tags: ['teams'],
    access: { permission: 'departments.manage' }, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteTeam(ctx, params.id); return { ok: true }; },
  }),
];
