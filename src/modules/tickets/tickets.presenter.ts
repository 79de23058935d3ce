import { inArray } from 'drizzle-orm';
import type { HistoryView, MessageView, TicketView } from '../../contracts/tickets.ts';
import { can } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { customers } from '../customers/customers.schema.ts';
import { maskEmail, maskPhone } from '../customers/customers.service.ts';
import { users } from '../staff/staff.schema.ts';
import { inTenant } from '../tenant-scope.ts';
import { attachmentsOfMessages } from '../attachments/attachments.presenter.ts';
import { ticketTypes, type Message, type Ticket } from './tickets.schema.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Tickets as the API shows them; contact details are masked for staff without customers.view_contact. */
export async function presentTickets(ctx: Ctx, rows: Ticket[]): Promise<TicketView[]> {
  if (!rows.length) return [];
  const customerIds = [...new Set(rows.map((r) => r.customerId).filter((x): x is string => !!x))];
  const typeIds = [...new Set(rows.map((r) => r.typeId).filter((x): x is string => !!x))];
  const cs = customerIds.length ? await ctx.db.select().from(customers).where(inTenant(ctx, customers, inArray(customers.id, customerIds))) : [];
  const ts = typeIds.length ? await ctx.db.select().from(ticketTypes).where(inTenant(ctx, ticketTypes, inArray(ticketTypes.id, typeIds))) : [];
  const showContact = can(ctx.actor, 'customers.view_contact');
  const customerById = new Map(cs.map((c) => [c.id, {
    id: c.id, name: c.name,
    email: showContact ? c.email : maskEmail(c.email),
    phone: showContact ? c.phone : maskPhone(c.phone),
  }]));
  const typeById = new Map(ts.map((t) => [t.id, { id: t.id, key: t.key, nameZh: t.nameZh, nameEn: t.nameEn }]));
  return rows.map((t) => ({
    id: t.id, number: t.number, subject: t.subject, type: t.typeId ? typeById.get(t.typeId) ?? null : null,
    priority: t.priority as TicketView['priority'], severity: t.severity, status: t.status as TicketView['status'], channel: t.channel as TicketView['channel'],
    customer: t.customerId ? customerById.get(t.customerId) ?? null : null,
    departmentId: t.departmentId, teamId: t.teamId, assigneeId: t.assigneeId, tags: t.tags, escalationLevel: t.escalationLevel,
    createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
    firstResponseAt: iso(t.firstResponseAt), resolvedAt: iso(t.resolvedAt), closedAt: iso(t.closedAt),
    mergedIntoId: t.mergedIntoId,
    customFields: t.customFields ?? {},
  }));
}

export async function presentMessages(ctx: Ctx, rows: Message[], customerName: string | null): Promise<MessageView[]> {
  const staffIds = [...new Set(rows.filter((m) => m.authorType === 'agent' && m.authorId).map((m) => m.authorId!))];
  const staff = staffIds.length ? await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inTenant(ctx, users, inArray(users.id, staffIds))) : [];
  const nameOf = new Map(staff.map((s) => [s.id, s.name]));
  const files = await attachmentsOfMessages(ctx, rows.map((m) => m.id));
  return rows.map((m) => ({
    id: m.id, channel: m.channel as MessageView['channel'], direction: m.direction as MessageView['direction'],
    authorType: m.authorType as MessageView['authorType'], authorId: m.authorId,
    authorName: m.authorType === 'customer' ? customerName ?? '' : m.authorType === 'agent' ? nameOf.get(m.authorId ?? '') ?? '' : m.authorType,
    visibility: m.visibility as MessageView['visibility'], body: m.body, createdAt: m.createdAt.toISOString(),
    mentions: m.mentions,
    attachments: files.get(m.id) ?? [],
  }));
}

export function presentHistory(h: { id: number; actorId: string | null; actorName: string; action: string; changes: Record<string, [unknown, unknown]>; reason: string | null; createdAt: Date }): HistoryView {
  return { ...h, id: Number(h.id), createdAt: h.createdAt.toISOString() };
}
