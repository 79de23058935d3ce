import { useEffect, useRef } from 'react';
import { subscribeLive, type LiveEvent, type LivePayload } from './socket.ts';

/**
 * Calls `onEvent` when one of `events` arrives from the server. Bursts (an invitation emits two events)
 * arriving within 50 ms are folded into one call.
 */
export function useLiveEvents(events: readonly LiveEvent[], onEvent: (payload: LivePayload) => void): void {
  const callback = useRef(onEvent);
  callback.current = onEvent;
  const key = events.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    let pending: LivePayload | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = subscribeLive((event, payload) => {
      if (!wanted.has(event)) return;
      pending = payload;
      timer ??= setTimeout(() => {
        timer = null;
        const p = pending!;
        pending = null;
        callback.current(p);
      }, 50);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [key]);
}
