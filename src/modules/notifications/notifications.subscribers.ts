import { and, eq, inArray } from 'drizzle-orm';
import type { Subscriber } from '../../events/subscriber.ts';
import { SYSTEM } from '../auth/actor.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { ticketNotificationMail, type TicketNotice } from '../mail/templates.ts';
import type { EscalationNotifyTarget } from '../../events/catalog.ts';
import type { Db } from '../../db/client.ts';
import { departmentMembers, roles, teams, users } from '../staff/staff.schema.ts';
import { tenants } from '../tenants/tenants.schema.ts';
import { systemCtx } from '../context.ts';
import { whoCanSee } from '../tickets/colleagues.ts';
import { listFollowers } from '../tickets/ticket-followers.service.ts';
import { messages, tickets } from '../tickets/tickets.schema.ts';
import { storeNotifications } from './notifications.service.ts';

/** A mention's words as the notification quotes them (one line, short). */
const excerpt = (body: string) => { const chars = [...body.replace(/\s+/g, ' ').trim()]; return chars.length > 140 ? `${chars.slice(0, 139).join('')}…` : chars.join(''); };

const activeAdmins = async (db: Db, tenantId: string) => (await db.select({ id: users.id }).from(users).innerJoin(roles, eq(roles.id, users.roleId))
  .where(and(eq(users.tenantId, tenantId), eq(roles.builtin, 'admin'), eq(users.status, 'active')))).map((u) => u.id);

/** The people an escalation level names: its team lead (administrators when the ticket has no team lead), the department's members, the administrators. */
async function escalationRecipients(db: Db, tenantId: string, ticket: typeof tickets.$inferSelect, targets: EscalationNotifyTarget[]): Promise<string[]> {
  const out: string[] = [];
  for (const target of new Set(targets)) {
    if (target === 'assignee' && ticket.assigneeId) out.push(ticket.assigneeId);
    if (target === 'team_lead') {
      const [team] = ticket.teamId ? await db.select({ lead: teams.leadId }).from(teams).where(eq(teams.id, ticket.teamId)) : [];
      out.push(...(team?.lead ? [team.lead] : await activeAdmins(db, tenantId)));
    }
    if (target === 'admins') out.push(...await activeAdmins(db, tenantId));
    if (target === 'department_members' && ticket.departmentId) {
      out.push(...(await db.select({ id: users.id }).from(departmentMembers).innerJoin(users, eq(users.id, departmentMembers.userId))
        .where(and(eq(departmentMembers.departmentId, ticket.departmentId), eq(users.status, 'active')))).map((u) => u.id));
    }
  }
  return out;
}

/** Status changes followers hear about. */
const isFollowedStatus = (to: unknown): to is 'resolved' | 'closed' => to === 'resolved' || to === 'closed';

/** Kinds that also go out by email (the others are in-app only). */
const EMAILED = new Set(['assigned', 'escalated', 'customer_reply', 'mention', 'follow_reply', 'follow_status', 'follow_escalated', 'follow_assigned', 'follow_merged']);

/**
 * Who hears about what: the new assignee (not of a live chat: it opens on the agent's chat page); on escalation the assignee and whom the escalation names (an
 * SLA level's notify actions; by hand, the team lead — the administrators when there is none); the assignee on SLA warnings and breaches and on customer replies (not a live chat's turns, which its page shows);
 * colleagues @mentioned in a message; followers on customer replies, resolve/close, escalation,
 * assignment and merge. Never the person who caused it, and one notification per person per event:
 * the first kind that names someone wins (a mentioned follower hears of the mention only).
 * Followers and mentioned colleagues are told only while they may still open the ticket.
 */
export const notificationsSubscriber: Subscriber = {
  name: 'notifications',
  handles: ['ticket.assigned', 'ticket.escalated', 'sla.warning', 'sla.breached', 'message.added', 'ticket.updated', 'ticket.merged'],
  // No job for what tells nobody anything: staff's messages without mentions (every agent chat turn), changes other than resolving or closing.
  wants: (e) => {
    // A visitor's chat turn is in front of the agent already (the live chat page): no notice, no mail.
    if (e.type === 'message.added') return !!e.mentions?.length || (e.authorType === 'customer' && e.channel !== 'webchat');
    if (e.type === 'ticket.updated') return isFollowedStatus(e.changes.status?.[1]);
    return true;
  },
  async handle(stored, rt) {
    const tenantId = stored.tenantId;
    const e = stored.event;
    if (!tenantId || !('ticketId' in e)) return;
    const db = rt.database.db;
    // A merge is news on the ticket that carries on (the source is closed).
    const [ticket] = await db.select().from(tickets).where(and(eq(tickets.id, e.type === 'ticket.merged' ? e.targetId : e.ticketId), eq(tickets.tenantId, tenantId)));
    if (!ticket) return;
    const sys = systemCtx(db, tenantId, 'notifications');
    const followers = async () => whoCanSee(sys, await listFollowers(sys, ticket.id), ticket);
    const plan: Array<[string, Array<string | null>]> = [];
    const extra: Partial<Pick<TicketNotice, 'number' | 'assignee' | 'status' | 'targetNumber' | 'excerpt'>> = {};
    switch (e.type) {
      case 'ticket.assigned': {
        // A chat handed to an agent opens on their live chat page; a mail per chat would be noise.
        if (ticket.channel !== 'webchat') plan.push(['assigned', [e.to]]);
        if (e.to) {
          const [who] = await db.select({ name: users.name }).from(users).where(eq(users.id, e.to));
          extra.assignee = who?.name ?? '';
          plan.push(['follow_assigned', await followers()]);
        }
        break;
      }
      case 'ticket.escalated':
        plan.push(['escalated', [ticket.assigneeId, ...await escalationRecipients(db, tenantId, ticket, e.notify ?? ['team_lead'])]], ['follow_escalated', await followers()]);
        break;
      case 'sla.warning': plan.push(['sla_warning', [ticket.assigneeId]]); break;
      case 'sla.breached': plan.push(['sla_breached', [ticket.assigneeId]]); break;
      case 'message.added': {
        if (e.mentions?.length) {
          const [m] = await db.select({ body: messages.body }).from(messages).where(and(eq(messages.id, e.messageId), eq(messages.tenantId, tenantId)));
          extra.excerpt = excerpt(m?.body ?? '');
          plan.push(['mention', await whoCanSee(sys, e.mentions, ticket)]);
        }
        if (e.authorType === 'customer' && ticket.channel !== 'webchat') plan.push(['customer_reply', [ticket.assigneeId]], ['follow_reply', await followers()]);
        break;
      }
      case 'ticket.updated': {
        const to = e.changes.status?.[1];
        if (!isFollowedStatus(to)) return;
        extra.status = to;
        plan.push(['follow_status', await followers()]);
        break;
      }
      case 'ticket.merged':
        Object.assign(extra, { number: e.sourceNumber, targetNumber: e.targetNumber });
        plan.push(['follow_merged', await followers()]);
        break;
      default: return;
    }
    const actorId = stored.actor && 'id' in stored.actor ? stored.actor.id : null;
    const kindOf = new Map<string, string>();
    for (const [kind, recipients] of plan) {
      for (const u of recipients) if (u && u !== actorId && !kindOf.has(u)) kindOf.set(u, kind);
    }
    if (!kindOf.size) return;
    const data = {
      number: ticket.number, subject: ticket.subject, ...('reason' in e && e.reason ? { reason: e.reason } : {}), ...('metric' in e ? { metric: e.metric, dueAt: e.dueAt } : {}),
      ...('level' in e ? { level: e.level } : {}), ...(stored.actor ? { actor: stored.actor.name } : {}), ...extra,
    };
    const created = await storeNotifications(db, tenantId, [...kindOf].map(([userId, kind]) => ({ userId, kind, ticketId: ticket.id, data, eventId: String(stored.id) })));
    for (const n of created) rt.broadcast(`agent:${n.userId}`, 'notification.created', { id: n.id, kind: n.kind, ticketId: ticket.id, data });
    const mailed = created.filter((n) => EMAILED.has(n.kind));
    if (!mailed.length) return;
    const people = await db.select().from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, mailed.map((n) => n.userId)), eq(users.status, 'active')));
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
    const base = rt.config.publicUrl ?? `http://${tenant.slug}.${rt.config.baseDomain}:${rt.config.port}`;
    const ctx = { db, tenantId, actor: SYSTEM, publicUrl: base };
    for (const person of people) {
      const kind = kindOf.get(person.id)!;
      await enqueueMail(ctx, { purpose: `notify_${kind}`, to: person.email, ...ticketNotificationMail(person.locale, kind, { ...data, link: `${base}/tickets/${ticket.id}` }) });
    }
  },
};
