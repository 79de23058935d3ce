import { Type, type Static } from 'typebox';
import { Paging, Timestamp, Uuid, listOf } from './common.ts';

export const AuditView = Type.Object({
  id: Type.Integer(), actorId: Type.Union([Uuid, Type.Null()]), actorName: Type.String(), action: Type.String(),
  targetType: Type.String(), targetId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(), after: Type.Unknown(), ip: Type.Union([Type.String(), Type.Null()]), createdAt: Timestamp,
});
export type AuditView = Static<typeof AuditView>;
export const AuditList = listOf(AuditView);
export const AuditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actorId: Type.Optional(Uuid),
  // An unbounded offset reached PostgreSQL as "bigint out of range" (a 500): the shared bounds apply.
  ...Paging.properties,
});
export type AuditQuery = Static<typeof AuditQuery>;

export const OutboxMailView = Type.Object({
  id: Uuid, purpose: Type.String(), toAddress: Type.String(), subject: Type.String(), text: Type.String(),
  status: Type.String(), attempts: Type.Integer(), lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp, sentAt: Type.Union([Timestamp, Type.Null()]),
});
export type OutboxMailView = Static<typeof OutboxMailView>;
export const OutboxList = listOf(OutboxMailView);
export const OutboxQuery = Type.Object({
  to: Type.Optional(Type.String({ maxLength: 254 })),
  // An unbounded offset reached PostgreSQL as "bigint out of range" (a 500): the shared bounds apply.
  ...Paging.properties,
});
export type OutboxQuery = Static<typeof OutboxQuery>;

export const PermissionInfo = Type.Object({ key: Type.String(), zh: Type.String(), en: Type.String() });
export const PermissionList = Type.Object({ items: Type.Array(PermissionInfo) });
