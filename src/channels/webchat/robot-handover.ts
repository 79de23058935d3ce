import { eq } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import type { ChatScope } from './acd.ts';
import type { ChatHub } from './chat-hub.ts';
import { decideFor } from './chat-routing.service.ts';
import { chatConversations, type ChatConversation } from './webchat.schema.ts';

/** What happens to a chat the robot hands to people (it is already 'queued'). */
export type ScopeDecider = (conv: ChatConversation) => Promise<void>;

/**
 * The ACD takes it within the chat's scope; when nobody there can answer now, the chat ends as
 * offline and the visitor gets the offline-message form, as for a chat without the robot.
 */
export function queueForPeople(db: Conn, hub: ChatHub, tenantId: string): ScopeDecider {
  return async (conv) => {
    const decision = await decideFor(db, tenantId, conv.scope as ChatScope, conv.exclude);
    if (decision.kind === 'offline') {
      await db.update(chatConversations).set({ status: 'ended', endedAt: new Date() }).where(eq(chatConversations.id, conv.id));
      hub.toVisitor(conv.id, 'status', { status: 'offline', reason: 'offline' });
      return;
    }
    hub.toVisitor(conv.id, 'status', { status: 'queued', position: 1 });
    await hub.route(tenantId);
  };
}
