/**
 * Flood limits of the visitor sockets, per node (a widget talks to one node at a time): events per
 * socket as a token bucket (a burst, then a steady rate), and new connections per IP in a sliding
 * minute. Over a limit the gateway answers with an error frame and drops the event; nothing throws.
 */

export interface VisitorLimits {
  /** Chat events (message, typing, page …) a socket may send per second, after a burst of four times as many. */
  eventsPerSecond: number;
  /** New widget connections from one IP per minute (a page view opens one; reloads and tabs add up). */
  connectionsPerMinute: number;
}

/** The defaults of config.ts (KEFU_VISITOR_EVENT_RATE_LIMIT, KEFU_VISITOR_CONNECTION_RATE_LIMIT). */
export const VISITOR_LIMITS: VisitorLimits = { eventsPerSecond: 5, connectionsPerMinute: 120 };

/** A token bucket: `take()` is false when the socket is over its rate. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly burst: number, private readonly perSecond: number, now = Date.now()) {
    this.tokens = burst;
    this.last = now;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Connection attempts per key (an IP) within a sliding window; forgets quiet keys so it cannot grow without end. */
export class AttemptCounter {
  private hits = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs = 60_000, private readonly maxKeys = 100_000) {}

  /** Counts an attempt; false when the key is over its limit (the attempt is refused and still counted). */
  allow(key: string, now = Date.now()): boolean {
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    list.push(now);
    this.hits.delete(key);
    this.hits.set(key, list.length > this.max * 2 ? list.slice(-this.max * 2) : list);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    return list.length <= this.max;
  }
}
