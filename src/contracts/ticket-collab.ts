import { Type, type Static } from 'typebox';
import { Uuid } from './common.ts';
import { LinkedTicket, TicketView } from './tickets.ts';

/** Followers, merge and links of tickets: the requests and answers of their routes. */

export const FollowerParams = Type.Object({ id: Uuid, userId: Uuid });
export const FollowerList = Type.Object({ followers: Type.Array(Uuid) });
export type FollowerList = Static<typeof FollowerList>;

export const MergeInput = Type.Object({
  targetId: Uuid,
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
}, { additionalProperties: false });
export type MergeInput = Static<typeof MergeInput>;
export const MergeResult = Type.Object({ source: TicketView, target: TicketView }, { description: 'The source, now closed and pointing at the target, and the target' });
export type MergeResult = Static<typeof MergeResult>;

export const LinkInput = Type.Object({ ticketId: Uuid }, { additionalProperties: false });
export type LinkInput = Static<typeof LinkInput>;
export const LinkParams = Type.Object({ id: Uuid, linkedId: Uuid });
export const LinkList = Type.Object({ links: Type.Array(LinkedTicket) });
export type LinkList = Static<typeof LinkList>;
