import { Type, type Static } from 'typebox';
import { Email, Locale, Name, Paging, Password, Timestamp, Uuid, listOf, oneOf } from './common.ts';
import { ALL_PERMISSIONS } from './permissions.ts';

export const PermissionName = oneOf(ALL_PERMISSIONS);
export const StaffStatus = Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('disabled')]);
export const Presence = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);
export type Presence = Static<typeof Presence>;
export const Level = Type.Integer({ minimum: 1, maximum: 5 });
const Skill = Type.String({ minLength: 1, maxLength: 50 });

export const RoleView = Type.Object({
  id: Uuid, name: Type.String(), description: Type.String(),
  builtin: Type.Union([Type.Literal('admin'), Type.Literal('agent'), Type.Null()]),
  permissions: Type.Array(Type.String()), staffCount: Type.Integer(), createdAt: Timestamp,
});
export type RoleView = Static<typeof RoleView>;
export const RoleList = listOf(RoleView);
export const RoleInput = Type.Object({
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 500 })),
  permissions: Type.Array(PermissionName, { maxItems: 50, uniqueItems: true }),
}, { additionalProperties: false });
export type RoleInput = Static<typeof RoleInput>;
export const RolePatch = Type.Partial(RoleInput, { additionalProperties: false });
export type RolePatch = Static<typeof RolePatch>;

export const StaffView = Type.Object({
  id: Uuid, email: Type.String(), name: Type.String(), status: StaffStatus, locale: Locale,
  level: Type.Integer(), skills: Type.Array(Type.String()), presence: Presence,
  role: Type.Object({ id: Uuid, name: Type.String(), builtin: Type.Union([Type.String(), Type.Null()]) }),
  departmentIds: Type.Array(Uuid), teamIds: Type.Array(Uuid), createdAt: Timestamp,
});
export type StaffView = Static<typeof StaffView>;
export const StaffList = listOf(StaffView);
export const StaffQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(StaffStatus),
  departmentId: Type.Optional(Uuid),
  // An unbounded offset reached PostgreSQL as "bigint out of range" (a 500): the shared bounds apply.
  ...Paging.properties,
});
export type StaffQuery = Static<typeof StaffQuery>;

export const InviteInput = Type.Object({
  email: Email, name: Name, roleId: Uuid,
  departmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 100, uniqueItems: true })),
  teamIds: Type.Optional(Type.Array(Uuid, { maxItems: 100, uniqueItems: true })),
  level: Type.Optional(Level),
  locale: Type.Optional(Locale),
}, { additionalProperties: false });
export type InviteInput = Static<typeof InviteInput>;

export const StaffPatch = Type.Object({
  name: Type.Optional(Name), roleId: Type.Optional(Uuid), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
  level: Type.Optional(Level), skills: Type.Optional(Type.Array(Skill, { maxItems: 50, uniqueItems: true })),
  departmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 100, uniqueItems: true })),
  teamIds: Type.Optional(Type.Array(Uuid, { maxItems: 100, uniqueItems: true })),
}, { additionalProperties: false });
export type StaffPatch = Static<typeof StaffPatch>;

export const DepartmentView = Type.Object({
  id: Uuid, parentId: Type.Union([Uuid, Type.Null()]), name: Type.String(), sortOrder: Type.Integer(),
  memberIds: Type.Array(Uuid), createdAt: Timestamp,
});
export type DepartmentView = Static<typeof DepartmentView>;
export const DepartmentList = listOf(DepartmentView);
export const DepartmentInput = Type.Object({
  name: Name, parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  sortOrder: Type.Optional(Type.Integer({ minimum: -100000, maximum: 100000 })),
  memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000, uniqueItems: true })),
}, { additionalProperties: false });
export type DepartmentInput = Static<typeof DepartmentInput>;
export const DepartmentPatch = Type.Partial(DepartmentInput, { additionalProperties: false });
export type DepartmentPatch = Static<typeof DepartmentPatch>;

export const TeamView = Type.Object({
  id: Uuid, name: Type.String(), departmentId: Type.Union([Uuid, Type.Null()]), leadId: Type.Union([Uuid, Type.Null()]),
  memberIds: Type.Array(Uuid), createdAt: Timestamp,
});
export type TeamView = Static<typeof TeamView>;
export const TeamList = listOf(TeamView);
export const TeamInput = Type.Object({
  name: Name, departmentId: Type.Optional(Type.Union([Uuid, Type.Null()])), leadId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  memberIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000, uniqueItems: true })),
}, { additionalProperties: false });
export type TeamInput = Static<typeof TeamInput>;
export const TeamPatch = Type.Partial(TeamInput, { additionalProperties: false });
export type TeamPatch = Static<typeof TeamPatch>;

export const PresenceInput = Type.Object({ presence: Presence }, { additionalProperties: false });
export const ProfilePatch = Type.Object({ name: Type.Optional(Name), locale: Type.Optional(Locale) }, { additionalProperties: false });
export type ProfilePatch = Static<typeof ProfilePatch>;
export { Password };
