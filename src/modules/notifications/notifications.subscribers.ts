import { and, eq, inArray } from 'drizzle-orm';
import type { Subscriber } from '../../events/subscriber.ts';
import { SYSTEM } from '../auth/actor.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { ticketNotificationMail } from '../mail/templates.ts';
import { roles, teams, users } from '../staff/staff.schema.ts';
import { tenants } from '../tenants/tenants.schema.ts';
import { tickets } from '../tickets/tickets.schema.ts';
import { storeNotifications } from './notifications.service.ts';

/** Kinds that also go out by email (the others are in-app only). */
const EMAILED = new Set(['assigned', 'escalated', 'customer_reply']);

/**
 * Who hears about what: the new assignee; the assignee and the team lead (or, without a team, the
 * administrators) on escalation; the assignee on SLA warnings and breaches and on customer replies.
 * Never the person who caused it.
 */
export const notificationsSubscriber: Subscriber = {
  name: 'notifications',
  handles: ['ticket.assigned', 'ticket.escalated', 'sla.warning', 'sla.breached', 'message.added'],
  async handle(stored, rt) {
    const tenantId = stored.tenantId;
    const e = stored.event;
    if (!tenantId || !('ticketId' in e)) return;
    const db = rt.database.db;
    const [ticket] = await db.select().from(tickets).where(and(eq(tickets.id, e.ticketId), eq(tickets.tenantId, tenantId)));
    if (!ticket) return;
    let kind: string;
    let recipients: Array<string | null> = [];
    switch (e.type) {
      case 'ticket.assigned': kind = 'assigned'; recipients = [e.to]; break;
      case 'ticket.escalated': {
        kind = 'escalated';
        const [team] = ticket.teamId ? await db.select({ lead: teams.leadId }).from(teams).where(eq(teams.id, ticket.teamId)) : [];
        const leads = team?.lead ? [team.lead] : (await db.select({ id: users.id }).from(users).innerJoin(roles, eq(roles.id, users.roleId))
          .where(and(eq(users.tenantId, tenantId), eq(roles.builtin, 'admin'), eq(users.status, 'active')))).map((u) => u.id);
        recipients = [ticket.assigneeId, ...leads];
        break;
      }
      case 'sla.warning': kind = 'sla_warning'; recipients = [ticket.assigneeId]; break;
      case 'sla.breached': kind = 'sla_breached'; recipients = [ticket.assigneeId]; break;
      case 'message.added':
        if (e.authorType !== 'customer') return;
        kind = 'customer_reply'; recipients = [ticket.assigneeId]; break;
      default: return;
    }
    const actorId = stored.actor && 'id' in stored.actor ? stored.actor.id : null;
    const userIds = [...new Set(recipients.filter((u): u is string => !!u && u !== actorId))];
    if (!userIds.length) return;
    const data = { number: ticket.number, subject: ticket.subject, ...('reason' in e ? { reason: e.reason } : {}), ...('metric' in e ? { metric: e.metric, dueAt: e.dueAt } : {}), ...('level' in e ? { level: e.level } : {}) };
    const created = await storeNotifications(db, tenantId, userIds.map((userId) => ({ userId, kind, ticketId: ticket.id, data, eventId: String(stored.id) })));
    for (const n of created) rt.broadcast(`agent:${n.userId}`, 'notification.created', { id: n.id, kind, ticketId: ticket.id, data });
    if (!EMAILED.has(kind) || !created.length) return;
    const people = await db.select().from(users).where(and(eq(users.tenantId, tenantId), inArray(users.id, created.map((n) => n.userId)), eq(users.status, 'active')));
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
    const base = rt.config.publicUrl ?? `http://${tenant.slug}.${rt.config.baseDomain}:${rt.config.port}`;
    const ctx = { db, tenantId, actor: SYSTEM, publicUrl: base };
    for (const person of people) {
      await enqueueMail(ctx, { purpose: `notify_${kind}`, to: person.email, ...ticketNotificationMail(person.locale, kind, { ...data, link: `${base}/tickets/${ticket.id}` }) });
    }
  },
};
