import { FollowerList, FollowerParams, LinkInput, LinkList, LinkParams, MergeInput, MergeResult } from '../../contracts/ticket-collab.ts';
import { IdParams } from '../../contracts/common.ts';
import { defineRoute } from '../../server/define-route.ts';
import { followTicket, unfollowTicket } from './ticket-followers.service.ts';
import { linkTickets, unlinkTickets } from './ticket-links.service.ts';
import { mergeTicket } from './ticket-merge.service.ts';
import { presentTickets } from './tickets.presenter.ts';
import { loadVisibleTicket } from './tickets.queries.ts';

// Working on tickets together: followers, merging duplicates, related tickets. Every ticket named,
// in the path or the body, is loaded through loadVisibleTicket: one the caller may not see is a 404.
export const ticketCollabRoutes = [
  defineRoute({
    method: 'PUT', url: '/api/v1/tickets/:id/followers/:userId', summary: 'Follow a ticket, or add a colleague who can open it as a follower', tags: ['tickets'],
    access: 'staff', params: FollowerParams, response: FollowerList,
    handler: async ({ params, ctx }) => ({ followers: await followTicket(ctx, await loadVisibleTicket(ctx, params.id), params.userId) }),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/tickets/:id/followers/:userId', summary: 'Stop following a ticket, or remove a follower', tags: ['tickets'],
    access: 'staff', params: FollowerParams, response: FollowerList,
    handler: async ({ params, ctx }) => ({ followers: await unfollowTicket(ctx, await loadVisibleTicket(ctx, params.id), params.userId) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/merge', summary: 'Merge this ticket into another: its messages, attachments and followers move there and it is closed', tags: ['tickets'],
    access: 'staff', params: IdParams, body: MergeInput, response: MergeResult,
    async handler({ params, body, ctx }) {
      const source = await loadVisibleTicket(ctx, params.id);
      const target = await loadVisibleTicket(ctx, body.targetId);
      const merged = await mergeTicket(ctx, source.id, target.id, body.reason);
      const [s, t] = await presentTickets(ctx, [merged.source, merged.target]);
      return { source: s, target: t };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/tickets/:id/links', summary: 'Link a related ticket (both ways; linking again changes nothing)', tags: ['tickets'],
    access: 'staff', params: IdParams, body: LinkInput, response: LinkList,
    async handler({ params, body, ctx }) {
      const ticket = await loadVisibleTicket(ctx, params.id);
      return { links: await linkTickets(ctx, ticket, await loadVisibleTicket(ctx, body.ticketId)) };
    },
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/tickets/:id/links/:linkedId', summary: 'Remove the link between two tickets', tags: ['tickets'],
    access: 'staff', params: LinkParams, response: LinkList,
    async handler({ params, ctx }) {
      const ticket = await loadVisibleTicket(ctx, params.id);
      return { links: await unlinkTickets(ctx, ticket, await loadVisibleTicket(ctx, params.linkedId)) };
    },
  }),
];
