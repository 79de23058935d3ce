import { ActivateInput, ApiTokenCreated, ApiTokenInput, ApiTokenList, InvitationView, LoginInput, MeView, PasswordChangeInput, ResetInput, ResetRequestInput, SessionList, TokenQuery } from '../../contracts/auth.ts';
import { IdParams, Ok } from '../../contracts/common.ts';
import { AppError } from '../../contracts/errors.ts';
import { PresenceInput, ProfilePatch } from '../../contracts/staff.ts';
import { defineRoute, type RouteCtx } from '../../server/define-route.ts';
import { setPresence, updateProfile } from '../staff/staff.service.ts';
import { activateInvitation, changePassword, createApiToken, getInvitation, listApiTokens, login, requestPasswordReset, resetPassword, revokeApiToken } from './auth.service.ts';
import { presentApiToken, presentMe } from './auth.presenter.ts';
import { authenticateSession, endSession, endSessions, listSessions } from './sessions.ts';
import { SESSION_COOKIE } from './cookie.ts';

function me(ctx: RouteCtx) {
  if (!ctx.auth) throw new AppError('unauthenticated');
  return ctx.auth;
}

export const authRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/auth/login', summary: 'Sign in with email and password; sets the session cookie', tags: ['auth'],
    access: { public: 'signing in' }, body: LoginInput, response: MeView,
    rateLimit: { max: (config) => config.loginRateLimit, timeWindow: '1 minute' },
    async handler({ body, ctx, req, reply }) {
      const s = await login(ctx.db, ctx.tenantId, body.email, body.password, { ip: req.ip, userAgent: req.headers['user-agent'], sessionDays: ctx.config.sessionDays });
      reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.secureCookies, maxAge: ctx.config.sessionDays * 86400 });
      const auth = (await authenticateSession(ctx.db, ctx.tenantId, s.token))!;
      return presentMe(auth, ctx.tenant, s.csrfToken);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/logout', summary: 'Sign out of this browser', tags: ['auth'],
    access: 'staff', response: Ok,
    async handler({ ctx, reply }) {
      const auth = me(ctx);
      if (auth.sessionId) await endSession(ctx.db, auth.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/logout-everywhere', summary: 'Sign out of every browser, this one included', tags: ['auth'],
    access: 'staff', response: Ok,
    async handler({ ctx, reply }) {
      await endSessions(ctx, me(ctx).user.id);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/auth/me', summary: 'The signed-in staff member, their permissions and CSRF token', tags: ['auth'],
    access: 'staff', response: MeView,
    async handler({ ctx }) {
      const auth = me(ctx);
      return presentMe(auth, ctx.tenant, auth.csrfToken ?? '');
    },
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/auth/me', summary: 'Change my name or language', tags: ['auth'],
    access: 'staff', body: ProfilePatch, response: Ok,
    async handler({ body, ctx }) {
      await updateProfile(ctx, me(ctx).user.id, body);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/auth/me/presence', summary: 'Set my presence (online, away, offline)', tags: ['auth'],
    access: 'staff', body: PresenceInput, response: Ok,
    async handler({ body, ctx }) {
      await setPresence(ctx, me(ctx).user.id, body.presence);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/password', summary: 'Change my password; signs out my other browsers', tags: ['auth'],
    access: 'staff', body: PasswordChangeInput, response: Ok,
    async handler({ body, ctx }) {
      const auth = me(ctx);
      await changePassword(ctx, auth.user.id, body.currentPassword, body.newPassword, auth.sessionId);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/password-reset/request', summary: 'Mail a password-reset link (answers the same for unknown addresses)', tags: ['auth'],
    access: { public: 'a person who forgot their password cannot sign in' }, body: ResetRequestInput, response: Ok,
    rateLimit: { max: (config) => Math.max(5, config.loginRateLimit / 2), timeWindow: '1 minute' },
    async handler({ body, ctx }) {
      await requestPasswordReset(ctx, body.email);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/password-reset', summary: 'Choose a new password with a reset link token', tags: ['auth'],
    access: { public: 'the reset link is the credential' }, body: ResetInput, response: Ok,
    rateLimit: { max: (config) => config.loginRateLimit, timeWindow: '1 minute' },
    async handler({ body, ctx }) {
      await resetPassword(ctx, body.token, body.newPassword);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/auth/invitation', summary: 'Who an invitation link is for', tags: ['auth'],
    access: { public: 'the invitation link is the credential' }, query: TokenQuery, response: InvitationView,
    rateLimit: { max: (config) => config.loginRateLimit * 3, timeWindow: '1 minute' },
    async handler({ query, ctx }) {
      return getInvitation(ctx.db, ctx.tenantId, query.token);
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/activate', summary: 'Activate an invited account by choosing a password', tags: ['auth'],
    access: { public: 'the invitation link is the credential' }, body: ActivateInput, response: Ok,
    rateLimit: { max: (config) => config.loginRateLimit, timeWindow: '1 minute' },
    async handler({ body, ctx }) {
      await activateInvitation(ctx, body.token, body.password, body.name);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/auth/sessions', summary: 'My signed-in browsers', tags: ['auth'],
    access: 'staff', response: SessionList,
    async handler({ ctx }) {
      const auth = me(ctx);
      const rows = await listSessions(ctx, auth.user.id);
      return {
        total: rows.length,
        items: rows.map((s) => ({ id: s.id.slice(0, 12), ip: s.ip, userAgent: s.userAgent, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), current: s.id === auth.sessionId })),
      };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/auth/api-tokens', summary: 'My API tokens', tags: ['auth'],
    access: 'staff', response: ApiTokenList,
    async handler({ ctx }) {
      const rows = await listApiTokens(ctx, me(ctx).user.id);
      return { total: rows.length, items: rows.map(presentApiToken) };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/auth/api-tokens', summary: 'Create an API token (shown once); it acts as me', tags: ['auth'],
    access: 'staff', body: ApiTokenInput, response: ApiTokenCreated, status: 201,
    async handler({ body, ctx }) {
      const { token, row } = await createApiToken(ctx, me(ctx).user.id, body.name);
      return { token, apiToken: presentApiToken(row) };
    },
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/auth/api-tokens/:id', summary: 'Revoke one of my API tokens', tags: ['auth'],
    access: 'staff', params: IdParams, response: Ok,
    async handler({ params, ctx }) {
      await revokeApiToken(ctx, me(ctx).user.id, params.id);
      return { ok: true };
    },
  }),
];
