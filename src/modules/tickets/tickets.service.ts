import { eq, inArray, sql } from 'drizzle-orm';
import type { InboundMessage } from '../../channels/adapter.ts';
import { AppError } from '../../contracts/errors.ts';
import type { TicketCreate, TicketStatus } from '../../contracts/tickets.ts';
import { emit } from '../../events/outbox.ts';
import { actorRef, actorUserId } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { findOrCreateCustomer, resolveIdentity } from '../customers/customers.service.ts';
import { customers } from '../customers/customers.schema.ts';
import { departments, users } from '../staff/staff.schema.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { decideThread, statusAfterMessage } from './threading.ts';
import { assertColleaguesCanSee, PURPOSE } from './colleagues.ts';
import { nextTicketNumber } from './numbering.ts';
import { validateCustomFields } from './ticket-fields.service.ts';
import { applyCustomFields } from './custom-fields.ts';
import { messages, ticketHistory, tickets, ticketTypes, type Ticket } from './tickets.schema.ts';
import { attachToMessage, insertInboundAttachments, storeInboundFiles } from '../attachments/attachments.service.ts';
import type { FileStore } from '../attachments/file-store.ts';

export async function writeHistory(ctx: Ctx, ticketId: string, action: string, changes: Record<string, [unknown, unknown]> = {}, reason?: string) {
  await ctx.db.insert(ticketHistory).values({
    tenantId: ctx.tenantId, ticketId, actorId: actorUserId(ctx.actor), actorName: ctx.actor.name, action, changes, reason: reason ?? null,
  });
}

interface NewTicket {
  subject: string; channel: Ticket['channel']; customerId: string | null; departmentId?: string | null; assigneeId?: string | null;
  typeId?: string | null; priority?: string; tags?: string[]; customFields?: Ticket['customFields'];
}

async function insertTicket(ctx: Ctx, t: NewTicket): Promise<Ticket> {
  const number = await nextTicketNumber(ctx.db, ctx.tenantId);
  const [ticket] = await ctx.db.insert(tickets).values({
    tenantId: ctx.tenantId, number, subject: t.subject, channel: t.channel, customerId: t.customerId,
    departmentId: t.departmentId ?? null, assigneeId: t.assigneeId ?? null, typeId: t.typeId ?? null,
    priority: t.priority ?? 'normal', tags: t.tags ?? [], status: t.assigneeId ? 'open' : 'new', customFields: t.customFields ?? {},
  }).returning();
  await writeHistory(ctx, ticket.id, 'created', {
    status: [null, ticket.status], ...(t.assigneeId ? { assigneeId: [null, t.assigneeId] } : {}), ...applyCustomFields({}, t.customFields ?? {}).changes,
  });
  await emit(ctx.db, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.created', ticketId: ticket.id, number, departmentId: ticket.departmentId, channel: ticket.channel });
  if (t.assigneeId) await emit(ctx.db, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'ticket.assigned', ticketId: ticket.id, from: null, to: t.assigneeId });
  return ticket;
}

interface NewMessage {
  channel: string; direction: 'in' | 'out'; authorType: 'customer' | 'agent' | 'bot' | 'system'; authorId: string | null;
  visibility: 'public' | 'internal'; body: string; externalId?: string | null; mentions?: string[];
}

/** Adds a message and moves the ticket's status and clocks accordingly. */
async function appendMessage(ctx: Ctx, ticket: Ticket, m: NewMessage) {
  const [message] = await ctx.db.insert(messages).values({ tenantId: ctx.tenantId, ticketId: ticket.id, ...m, externalId: m.externalId ?? null }).returning();
  const now = new Date();
  const status = statusAfterMessage(ticket.status as TicketStatus, m.authorType, m.visibility);
  const isPublicAgent = m.authorType === 'agent' && m.visibility === 'public';
  await ctx.db.update(tickets).set({
    status, updatedAt: now,
    ...(m.authorType === 'customer' ? { lastCustomerAt: now } : {}),
    ...(isPublicAgent ? { lastAgentAt: now, ...(ticket.firstResponseAt ? {} : { firstResponseAt: now }) } : {}),
    ...(status !== ticket.status && ticket.status === 'resolved' ? { resolvedAt: null } : {}),
  }).where(eq(tickets.id, ticket.id));
  if (status !== ticket.status) await writeHistory(ctx, ticket.id, 'status', { status: [ticket.status, status] });
  await emit(ctx.db, { tenantId: ctx.tenantId, actor: actorRef(ctx.actor) }, { type: 'message.added', ticketId: ticket.id, messageId: message.id, authorType: m.authorType, visibility: m.visibility, channel: m.channel, ...(m.mentions?.length ? { mentions: m.mentions } : {}) });
  return message;
}

export interface IngestResult {
  ticketId: string; messageId: string; created: boolean; duplicate: boolean;
  /** Files left out for being above the install's limit: the channel decides what to tell the sender. */
  attachmentsTooLarge: Array<{ filename: string; size: number }>;
}

/**
 * The one entry point every channel calls: find or create the customer, continue the hinted ticket or
 * open a new one, store the message. A message whose externalId was already stored is not stored twice.
 * Attachments need the install's file store (fileStoreFor(config)).
 */
export async function ingest(ctx: Ctx, inbound: InboundMessage, files?: FileStore): Promise<IngestResult> {
  if (inbound.attachments?.length && !files) throw new Error('ingest: a message with attachments needs the file store');
  // The bytes first, outside the transaction: content-addressed, so a rollback leaves only orphan files.
  const received = files && inbound.attachments?.length ? await storeInboundFiles(files, inbound.attachments) : { stored: [], tooLarge: [] };
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    if (inbound.externalId) {
      const [dup] = await tx.select({ id: messages.id, ticketId: messages.ticketId }).from(messages)
        .where(inTenant(c, messages, eq(messages.channel, inbound.channel), eq(messages.externalId, inbound.externalId)));
      if (dup) return { ticketId: dup.ticketId, messageId: dup.id, created: false, duplicate: true, attachmentsTooLarge: [] };
    }
    const customer = await resolveIdentity(c, inbound.identity);
    let hinted: Ticket | null = null;
    const hints = inbound.threadHints;
    if (hints?.ticketId || hints?.ticketNumber) {
      const [row] = await tx.select().from(tickets).where(inTenant(c, tickets,
        hints.ticketId ? eq(tickets.id, hints.ticketId) : eq(tickets.number, hints.ticketNumber!), eq(tickets.customerId, customer.id)));
      hinted = row ?? null;
    }
    // A reply to a message we stored (theirs or an agent's sent one) continues that message's ticket,
    // whoever of the thread writes it: knowing the Message-ID is the proof. Newest hint first.
    if (!hinted && hints?.messageIds?.length) {
      const found = await tx.select({ ticket: tickets, externalId: messages.externalId }).from(messages).innerJoin(tickets, eq(tickets.id, messages.ticketId))
        .where(inTenant(c, messages, eq(messages.channel, inbound.channel), inArray(messages.externalId, hints.messageIds.slice(0, 20))));
      hinted = hints.messageIds.map((id) => found.find((f) => f.externalId === id)?.ticket).find(Boolean) ?? null;
    }
    let ticket: Ticket;
    let created = false;
    let decision = decideThread(hinted as { status: TicketStatus; mergedIntoId: string | null } | null);
    // A merged ticket's conversation carries on in the ticket it was merged into (following a short chain).
    for (let hops = 0; decision === 'merged' && hops < 5; hops++) {
      const [target] = await tx.select().from(tickets).where(inTenant(c, tickets, eq(tickets.id, hinted!.mergedIntoId!)));
      hinted = target ?? null;
      decision = decideThread(hinted as { status: TicketStatus; mergedIntoId: string | null } | null);
    }
    if (decision === 'continue') {
      ticket = hinted!;
    } else {
      const departmentId = inbound.departmentId ? (await findOwned(c, departments, inbound.departmentId)).id : null;
      ticket = await insertTicket(c, { subject: inbound.subject?.trim() || inbound.body.slice(0, 80), channel: inbound.channel, customerId: customer.id, departmentId });
      created = true;
    }
    const message = await appendMessage(c, ticket, {
      channel: inbound.channel, direction: 'in', authorType: 'customer', authorId: customer.id, visibility: 'public', body: inbound.body, externalId: inbound.externalId,
    });
    await insertInboundAttachments(c, ticket.id, message.id, received.stored);
    return { ticketId: ticket.id, messageId: message.id, created, duplicate: false, attachmentsTooLarge: received.tooLarge };
  });
}

/** An agent opens a ticket by hand (a phone call, a walk-in, an email sent elsewhere). */
export async function createTicket(ctx: Ctx, input: TicketCreate): Promise<Ticket> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    if (input.departmentId) await findOwned(c, departments, input.departmentId);
    if (input.typeId) await findOwned(c, ticketTypes, input.typeId);
    if (input.assigneeId) await assertAssignable(c, input.assigneeId);
    // By hand every required field is asked for; channels (ingest) cannot fill them, so they store none.
    const customFields = applyCustomFields({}, await validateCustomFields(c, input.customFields ?? {}, { requireAll: true })).next;
    let customerId: string | null = null;
    if (input.customerId) customerId = (await findOwned(c, customers, input.customerId)).id;
    else if (input.customer) customerId = (await findOrCreateCustomer(c, input.customer)).id;
    const ticket = await insertTicket(c, {
      subject: input.subject, channel: input.channel ?? 'phone', customerId, departmentId: input.departmentId, assigneeId: input.assigneeId,
      typeId: input.typeId, priority: input.priority, tags: input.tags, customFields,
    });
    // What the customer said, recorded by the agent, is the ticket's first message.
    await appendMessage(c, ticket, { channel: ticket.channel, direction: 'in', authorType: 'customer', authorId: customerId, visibility: 'public', body: input.body });
    const [fresh] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id));
    return fresh;
  });
}

/** An agent's public reply (goes out through the ticket's channel) or internal note; @mentioned colleagues must be able to open the ticket. */
export async function reply(ctx: Ctx, ticket: Ticket, body: string, visibility: 'public' | 'internal', mentions: string[] = [], attachmentIds: readonly string[] = []) {
  if (ticket.status === 'closed' && visibility === 'public') throw new AppError('validation', 'This ticket is closed: open a new ticket to write to the customer again');
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [current] = await tx.select().from(tickets).where(eq(tickets.id, ticket.id)).for('update');
    if (mentions.length) await assertColleaguesCanSee(c, mentions, current, PURPOSE.mention);
    const message = await appendMessage(c, current, { channel: visibility === 'internal' ? 'internal' : current.channel, direction: 'out', authorType: 'agent', authorId: actorUserId(ctx.actor), visibility, body, mentions: [...new Set(mentions)] });
    await attachToMessage(c, current.id, message.id, attachmentIds);
    return message;
  });
}

/** Only active staff of this company can hold tickets. */
export async function assertAssignable(ctx: Ctx, userId: string) {
  const [u] = await ctx.db.select({ status: users.status }).from(users).where(inTenant(ctx, users, eq(users.id, userId)));
  if (!u) throw new AppError('not_found');
  if (u.status !== 'active') throw new AppError('validation', 'Tickets can only be assigned to active staff');
}

/** A message written by Kefu itself (automation notes, auto-replies; the chat robot's answers as "bot"): no staff behind it. */
export async function addSystemMessage(ctx: Ctx, ticketId: string, body: string, visibility: 'public' | 'internal', author: 'system' | 'bot' = 'system') {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const [current] = await tx.select().from(tickets).where(inTenant(c, tickets, eq(tickets.id, ticketId))).for('update');
    if (!current) throw new AppError('not_found');
    return appendMessage(c, current, { channel: visibility === 'internal' ? 'internal' : current.channel, direction: 'out', authorType: author, authorId: null, visibility, body });
  });
}
