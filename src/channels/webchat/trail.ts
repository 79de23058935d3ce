/**
 * The visitor's trail (轨迹): which pages they saw and how long on each, built from the widget's page
 * events. Pure and isomorphic; the server folds events into the stored trail one at a time.
 */

export type PageEvent =
  /** A page was opened (also a reload, or a single-page app changing route). */
  | { type: 'enter'; url: string; title?: string; at: number }
  /** The page is still open and visible (a heartbeat). */
  | { type: 'ping'; url: string; at: number }
  /** The page was closed or hidden. */
  | { type: 'leave'; url: string; at: number };

export interface PageView {
  url: string;
  title: string;
  enteredAt: number;
  /** Last moment the visitor was seen on it (a heartbeat, a leave, or the next page). */
  lastSeenAt: number;
  /** Set once the visitor left it. */
  leftAt: number | null;
}

export interface Trail {
  /** Oldest first; at most `maxPages`. */
  pages: PageView[];
  /** Pages dropped from the front to keep the trail short. */
  dropped: number;
}

export const EMPTY_TRAIL: Trail = Object.freeze({ pages: [], dropped: 0 }) as Trail;
export const TRAIL_LIMITS = { maxPages: 50, maxUrlLength: 2048, maxTitleLength: 200 } as const;

/**
 * Only http(s) URLs are kept: the agent console renders the trail as links, and a javascript: or
 * data: URL from a crafted event must never become one. Fragments are kept (single-page apps route by them).
 */
export function cleanPageUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > TRAIL_LIMITS.maxUrlLength) return null;
  let u: URL;
  try { u = new URL(raw.trim()); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.username = '';
  u.password = '';
  return u.href;
}

function cleanTitle(title: string | undefined): string {
  return (title ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, TRAIL_LIMITS.maxTitleLength);
}

/** Adds one event; returns a new trail (the given one is not changed). Malformed events change nothing. */
export function recordPageEvent(trail: Trail, event: PageEvent, maxPages: number = TRAIL_LIMITS.maxPages): Trail {
  const url = cleanPageUrl(event.url);
  if (!url || !Number.isFinite(event.at)) return trail;
  const pages = trail.pages.slice();
  const last = pages.at(-1);
  const open = last && last.leftAt === null ? last : undefined;

  if (event.type === 'enter') {
    // The next page closes the previous one, even when its leave event never came (a crashed tab).
    if (open) pages[pages.length - 1] = { ...open, leftAt: Math.max(open.enteredAt, event.at), lastSeenAt: Math.max(open.lastSeenAt, event.at) };
    const at = Math.max(event.at, last?.enteredAt ?? -Infinity); // a skewed clock never reorders the trail
    pages.push({ url, title: cleanTitle(event.title), enteredAt: at, lastSeenAt: at, leftAt: null });
    const over = Math.max(0, pages.length - maxPages);
    return { pages: pages.slice(over), dropped: trail.dropped + over };
  }
  // A ping or leave counts only for the page that is open now; a late one for an earlier page is ignored.
  if (!open || open.url !== url || event.at < open.lastSeenAt) return trail;
  pages[pages.length - 1] = event.type === 'leave' ? { ...open, lastSeenAt: event.at, leftAt: event.at } : { ...open, lastSeenAt: event.at };
  return { pages, dropped: trail.dropped };
}

export function buildTrail(events: readonly PageEvent[], maxPages?: number): Trail {
  return events.reduce((t, e) => recordPageEvent(t, e, maxPages), EMPTY_TRAIL);
}

/** Seconds on a page: until it was left, or until the visitor was last seen on it. */
export function secondsOnPage(page: PageView): number {
  return Math.max(0, Math.round(((page.leftAt ?? page.lastSeenAt) - page.enteredAt) / 1000));
}

/** The page the visitor is on now (null when they left the last one). */
export function currentPage(trail: Trail): PageView | null {
  const last = trail.pages.at(-1);
  return last && last.leftAt === null ? last : null;
}

export interface VisitState {
  /** Visits so far, this one included. */
  visits: number;
  lastActiveAt: number;
}

/**
 * Counts visits: activity after `idleMs` of silence (30 minutes, the usual web-analytics convention)
 * starts a new visit. A visitor with more than one visit is a returning visitor (老访客).
 */
export function touchVisit(state: VisitState | null, now: number, idleMs = 30 * 60_000): VisitState & { newVisit: boolean } {
  if (!state) return { visits: 1, lastActiveAt: now, newVisit: true };
  const newVisit = now - state.lastActiveAt >= idleMs;
  return { visits: state.visits + (newVisit ? 1 : 0), lastActiveAt: Math.max(now, state.lastActiveAt), newVisit };
}

export const isReturningVisitor = (state: VisitState | null): boolean => (state?.visits ?? 0) > 1;
