import { Type } from 'typebox';
import { Ok, Uuid } from '../../contracts/common.ts';
import { AppError } from '../../contracts/errors.ts';
import { defineRoute, type RouteCtx } from '../../server/define-route.ts';
import { listNotifications, markRead } from './notifications.service.ts';

const NotificationList = Type.Object({
  unread: Type.Integer(),
  items: Type.Array(Type.Object({ id: Uuid, kind: Type.String(), ticketId: Type.Union([Uuid, Type.Null()]), data: Type.Record(Type.String(), Type.Unknown()), readAt: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String() })),
});
const me = (ctx: RouteCtx) => { if (!ctx.auth) throw new AppError('unauthenticated'); return ctx.auth.user.id; };

export const notificationRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/notifications', summary: 'My notifications, newest first, with the unread count', tags: ['notifications'],
    access: 'staff', query: Type.Object({ unread: Type.Optional(Type.Boolean()) }), response: NotificationList,
    handler: ({ query, ctx }) => listNotifications(ctx, me(ctx), query.unread ?? false),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/notifications/read', summary: 'Mark some or all of my notifications read', tags: ['notifications'],
    access: 'staff', body: Type.Object({ ids: Type.Optional(Type.Array(Uuid, { maxItems: 500 })), all: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), response: Ok,
    handler: async ({ body, ctx }) => { await markRead(ctx, me(ctx), body.all ? 'all' : body.ids ?? []); return { ok: true }; },
  }),
];
