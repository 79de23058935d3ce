import { and, eq } from 'drizzle-orm';
import type { Conn } from '../../db/client.ts';
import { lookupRegion } from './region.ts';
import { parseUserAgent } from './device.ts';
import { parseReferrer } from './referrer.ts';
import { EMPTY_TRAIL, recordPageEvent, touchVisit, type PageEvent } from './trail.ts';
import { chatVisitors, type ChatVisitor } from './webchat.schema.ts';

export interface VisitorArrival {
  tenantId: string;
  visitorKey: string;
  ip: string | null;
  userAgent: string | null;
  referrer?: string | null;
  pageUrl?: string | null;
}

/**
 * A widget connected: find or create the visitor and refresh where they come from. A connection after
 * 30 idle minutes is a new visit (trail.ts): the visit count grows and the trail starts over.
 */
export async function touchVisitor(db: Conn, a: VisitorArrival, now = new Date()): Promise<ChatVisitor & { returning: boolean }> {
  const region = lookupRegion(a.ip);
  const device = parseUserAgent(a.userAgent);
  const where = and(eq(chatVisitors.tenantId, a.tenantId), eq(chatVisitors.visitorKey, a.visitorKey));
  const [known] = await db.select().from(chatVisitors).where(where);
  if (!known) {
    await db.insert(chatVisitors).values({
      tenantId: a.tenantId, visitorKey: a.visitorKey, lastIp: a.ip, region, device, referrer: parseReferrer(a.referrer, a.pageUrl), firstSeenAt: now, lastSeenAt: now,
    }).onConflictDoNothing();
    const [row] = await db.select().from(chatVisitors).where(where);
    return { ...row, returning: row.visits > 1 };
  }
  const visit = touchVisit({ visits: known.visits, lastActiveAt: known.lastSeenAt.getTime() }, now.getTime());
  const [row] = await db.update(chatVisitors).set({
    visits: visit.visits, lastSeenAt: now, lastIp: a.ip, region, device,
    ...(visit.newVisit ? { trail: EMPTY_TRAIL, referrer: parseReferrer(a.referrer, a.pageUrl) } : {}),
  }).where(eq(chatVisitors.id, known.id)).returning();
  return { ...row, returning: row.visits > 1 };
}

/** One page event of the trail, under the visitor's row lock (two tabs write one trail). */
export async function recordPage(db: Conn, visitorId: string, event: PageEvent): Promise<void> {
  await db.transaction(async (tx) => {
    const [v] = await tx.select({ trail: chatVisitors.trail }).from(chatVisitors).where(eq(chatVisitors.id, visitorId)).for('update');
    if (!v) return;
    const trail = recordPageEvent(v.trail, event);
    if (trail !== v.trail) await tx.update(chatVisitors).set({ trail, lastSeenAt: new Date() }).where(eq(chatVisitors.id, visitorId));
  });
}
