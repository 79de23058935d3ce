import type { Subscriber } from '../../events/subscriber.ts';
import { chatHubFor } from './chat-hub.ts';
import { numberTicketReply } from './chat.service.ts';

/**
 * An agent came online (or went away): waiting chats may now have someone, so the ACD runs again.
 * A public reply written on a chat's ticket page reaches the visitor like a console line.
 */
export const chatSubscriber: Subscriber = {
  name: 'chat',
  handles: ['staff.presence_changed', 'message.added'],
  // no job for the visitor's lines, notes, or other channels' messages (channel unset: an event from before it was carried)
  wants: (e) => e.type !== 'message.added' || (e.authorType !== 'customer' && e.visibility === 'public' && (e.channel === undefined || e.channel === 'webchat')),
  async handle(stored, rt) {
    const e = stored.event;
    if (!stored.tenantId) return;
    if (e.type === 'message.added') {
      // The visitor's own lines and internal notes never go out; the rest may be a ticket-page reply.
      if (e.authorType === 'customer' || e.visibility !== 'public') return;
      const done = await numberTicketReply(rt.database.db, stored.tenantId, e.ticketId, e.messageId);
      if (done) chatHubFor(rt.database.db)?.publishLine(done.line, done.agentId);
      return;
    }
    await chatHubFor(rt.database.db)?.route(stored.tenantId);
  },
};
