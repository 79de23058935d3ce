import { Type, type Static } from 'typebox';
import { Email, Locale, Name, Password, Timestamp, Uuid, listOf } from './common.ts';

export const LoginInput = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export type LoginInput = Static<typeof LoginInput>;

export const MeView = Type.Object({
  id: Uuid, email: Type.String(), name: Type.String(), locale: Locale, presence: Type.String(),
  level: Type.Integer(),
  role: Type.Object({ id: Uuid, name: Type.String(), builtin: Type.Union([Type.String(), Type.Null()]) }),
  permissions: Type.Array(Type.String()),
  tenant: Type.Object({ id: Uuid, slug: Type.String(), name: Type.String() }),
  csrfToken: Type.String({ description: 'Send back as the x-csrf-token header on cookie-authenticated writes' }),
});
export type MeView = Static<typeof MeView>;

export const PasswordChangeInput = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password }, { additionalProperties: false });
export const ResetRequestInput = Type.Object({ email: Email }, { additionalProperties: false });
export const ResetInput = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), newPassword: Password }, { additionalProperties: false });
export const ActivateInput = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), name: Type.Optional(Name), password: Password }, { additionalProperties: false });
export const TokenQuery = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) });
export const InvitationView = Type.Object({ email: Type.String(), name: Type.String(), tenantName: Type.String() });

export const ApiTokenView = Type.Object({
  id: Uuid, name: Type.String(), prefix: Type.String(), createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]), revokedAt: Type.Union([Timestamp, Type.Null()]),
});
export const ApiTokenList = listOf(ApiTokenView);
export const ApiTokenInput = Type.Object({ name: Name }, { additionalProperties: false });
export const ApiTokenCreated = Type.Object({ token: Type.String({ description: 'Shown once: store it now' }), apiToken: ApiTokenView });

export const SessionView = Type.Object({ id: Type.String(), ip: Type.Union([Type.String(), Type.Null()]), userAgent: Type.Union([Type.String(), Type.Null()]), createdAt: Timestamp, lastSeenAt: Timestamp, current: Type.Boolean() });
export const SessionList = listOf(SessionView);
