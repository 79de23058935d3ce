import { useCallback, useEffect, useRef, useState } from 'react';
import { mailboxesApi } from '../../../shared/endpoints.ts';
import type { DeliveryView } from '../../../shared/types.ts';
import { useLiveEvents } from '../../../shared/useLiveEvents.ts';

const EVENTS = ['message.delivery', 'message.added'] as const;

/**
 * The send state of a ticket's outgoing emails, by message id, kept live: the server announces every
 * change (queued, sent, failed, bounced) and this refetches. Nothing is fetched while the ticket has no
 * outgoing email message (`emailOut` is how many it has).
 */
export function useTicketDeliveries(ticketId: string | undefined, emailOut: number): { byMessage: Map<string, DeliveryView>; reload(): Promise<void> } {
  const [items, setItems] = useState<DeliveryView[]>([]);
  const generation = useRef(0);
  const reload = useCallback(async () => {
    if (!ticketId || !emailOut) return;
    const mine = ++generation.current;
    try {
      const r = await mailboxesApi.deliveries(ticketId);
      if (mine === generation.current) setItems(r.items);
    } catch { /* the timeline still shows the messages; the state comes with the next event */ }
  }, [ticketId, emailOut]);
  useEffect(() => { void reload(); }, [reload]);
  useLiveEvents(EVENTS, (p) => { if (p.ticketId === ticketId) void reload(); });
  return { byMessage: new Map(items.map((d) => [d.messageId, d])), reload };
}
