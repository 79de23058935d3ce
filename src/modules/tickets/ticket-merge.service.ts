import { and, asc, eq, inArray } from 'drizzle-orm';
import { AppError, type LocalizedText } from '../../contracts/errors.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef } from '../auth/actor.ts';
import { attachments } from '../attachments/attachments.schema.ts';
import type { Ctx } from '../context.ts';
import { tenants } from '../tenants/tenants.schema.ts';
import { messages, ticketFollowers, tickets, type Ticket } from './tickets.schema.ts';
import { addSystemMessage, writeHistory } from './tickets.service.ts';

const later = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

const ITSELF: LocalizedText = { zh: '工单不能合并到它自己', en: 'A ticket cannot be merged into itself' };

/** Why two tickets cannot be merged, or null when they can (checked again on the locked rows). */
export function mergeRefusal(source: Pick<Ticket, 'id' | 'status' | 'mergedIntoId'>, target: Pick<Ticket, 'id' | 'number' | 'status' | 'mergedIntoId'>): LocalizedText | null {
  if (source.id === target.id) return ITSELF;
  if (source.mergedIntoId) return { zh: '本工单已经合并到其他工单', en: 'This ticket was already merged into another ticket' };
  if (source.status === 'closed') return { zh: '已关闭的工单不能合并', en: 'A closed ticket cannot be merged' };
  if (target.mergedIntoId) return { zh: `工单 #${target.number} 已合并到其他工单，请合并到那个工单`, en: `Ticket #${target.number} was itself merged into another ticket: merge into that one` };
  if (target.status === 'closed') return { zh: `工单 #${target.number} 已关闭，请合并到未关闭的工单`, en: `Ticket #${target.number} is closed: merge into an open ticket` };
  return null;
}

function mergeNote(locale: string, source: Ticket, moved: number, reason: string | undefined): string {
  return locale === 'en'
    ? `Ticket #${source.number} "${source.subject}" was merged into this ticket (${moved} message${moved === 1 ? '' : 's'} moved here).${reason ? `\nReason: ${reason}` : ''}`
    : `工单 #${source.number}「${source.subject}」已合并到本工单（移入 ${moved} 条消息）。${reason ? `\n原因：${reason}` : ''}`;
}

/**
 * Merges a duplicate into the ticket that carries on, in one transaction: the source's messages (with
 * their times) and attachments move to the target, followers are combined and tags united; the source is
 * closed and points at the target; both histories say so, the target gets an internal note, and
 * `ticket.merged` stops the source's SLA clocks.
 */
export async function mergeTicket(ctx: Ctx, sourceId: string, targetId: string, reason?: string): Promise<{ source: Ticket; target: Ticket }> {
  reason = reason?.trim() || undefined;
  if (sourceId === targetId) throw new AppError('validation', ITSELF);
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    // Both rows locked in id order, so two merges of the same pair never deadlock.
    const locked = await tx.select().from(tickets).where(and(eq(tickets.tenantId, ctx.tenantId), inArray(tickets.id, [sourceId, targetId])))
      .orderBy(asc(tickets.id)).for('update');
    const source = locked.find((t) => t.id === sourceId);
    const target = locked.find((t) => t.id === targetId);
    if (!source || !target) throw new AppError('not_found');
    const refusal = mergeRefusal(source, target);
    if (refusal) throw new AppError('validation', refusal);

    const moved = await tx.update(messages).set({ ticketId: target.id })
      .where(and(eq(messages.tenantId, ctx.tenantId), eq(messages.ticketId, source.id))).returning({ id: messages.id });
    await tx.update(attachments).set({ ticketId: target.id }).where(and(eq(attachments.tenantId, ctx.tenantId), eq(attachments.ticketId, source.id)));
    const followers = await tx.select().from(ticketFollowers).where(and(eq(ticketFollowers.tenantId, ctx.tenantId), eq(ticketFollowers.ticketId, source.id)));
    if (followers.length) {
      await tx.insert(ticketFollowers).values(followers.map((f) => ({ ...f, ticketId: target.id }))).onConflictDoNothing();
    }

    const now = new Date();
    const tags = [...new Set([...target.tags, ...source.tags])];
    await tx.update(tickets).set({
      tags, updatedAt: now, lastCustomerAt: later(target.lastCustomerAt, source.lastCustomerAt), lastAgentAt: later(target.lastAgentAt, source.lastAgentAt),
    }).where(eq(tickets.id, target.id));
    await tx.update(tickets).set({ status: 'closed', closedAt: now, resolvedAt: source.resolvedAt ?? now, mergedIntoId: target.id, updatedAt: now })
      .where(eq(tickets.id, source.id));

    await writeHistory(c, source.id, 'merged_into', { status: [source.status, 'closed'], mergedInto: [null, target.number] }, reason);
    await writeHistory(c, target.id, 'merged_from', {
      mergedFrom: [null, source.number], ...(tags.length !== target.tags.length ? { tags: [target.tags, tags] } : {}),
    }, reason);
    const [tenant] = await tx.select({ locale: tenants.defaultLocale }).from(tenants).where(eq(tenants.id, ctx.tenantId));
    await addSystemMessage(c, target.id, mergeNote(tenant?.locale ?? 'zh-CN', source, moved.length, reason), 'internal');
    await emit(tx, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, {
      type: 'ticket.merged', ticketId: source.id, targetId: target.id, sourceNumber: source.number, targetNumber: target.number, reason: reason ?? null,
    });
    const after = await tx.select().from(tickets).where(inArray(tickets.id, [source.id, target.id]));
    return { source: after.find((t) => t.id === source.id)!, target: after.find((t) => t.id === target.id)! };
  });
}
