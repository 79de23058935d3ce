import type { Subscriber } from '../../events/subscriber.ts';
import { chatHubFor } from './chat-hub.ts';

/** An agent came online (or went away): waiting chats may now have someone, so the ACD runs again. */
export const chatSubscriber: Subscriber = {
  name: 'chat',
  handles: ['staff.presence_changed'],
  async handle(stored, rt) {
    if (!stored.tenantId) return;
    await chatHubFor(rt.database.db)?.route(stored.tenantId);
  },
};
