import { useEffect, useRef } from 'react';
import { subscribeLive, type LiveEvent, type LivePayload } from './socket.ts';

/**
 * Calls `onEvent` when one of `events` arrives from the server. A burst (an invitation emits two events,
 * a bulk change one per ticket) is folded into one call, made once no event came for `quietMs` (50 ms by
 * default), and at the latest four quiet periods after the burst began, so a steady stream still refreshes.
 */
export function useLiveEvents(events: readonly LiveEvent[], onEvent: (payload: LivePayload) => void, opts: { quietMs?: number } = {}): void {
  const callback = useRef(onEvent);
  callback.current = onEvent;
  const key = events.join(',');
  const quietMs = opts.quietMs ?? 50;
  useEffect(() => {
    const wanted = new Set(key.split(','));
    let pending: LivePayload | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let burstStart = 0;
    const flush = () => {
      timer = null;
      const p = pending!;
      pending = null;
      callback.current(p);
    };
    const unsubscribe = subscribeLive((event, payload) => {
      if (!wanted.has(event)) return;
      pending = payload;
      const now = Date.now();
      if (timer) clearTimeout(timer);
      else burstStart = now;
      timer = setTimeout(flush, Math.max(0, Math.min(quietMs, burstStart + quietMs * 4 - now)));
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [key, quietMs]);
}
