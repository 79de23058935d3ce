import crypto from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { RuleInput, RuleView } from '../../contracts/automation.ts';
import type { Priority } from '../../contracts/tickets.ts';
import { AppError } from '../../contracts/errors.ts';
import { queryRows } from '../../db/client.ts';
import { schedule } from '../../events/jobs.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import { customers } from '../customers/customers.schema.ts';
import { departments, users } from '../staff/staff.schema.ts';
import { storeNotifications } from '../notifications/notifications.service.ts';
import { findOwned, inTenant } from '../tenant-scope.ts';
import { assignTicket, forwardTicket, updateTicket } from '../tickets/ticket-changes.service.ts';
import { addSystemMessage } from '../tickets/tickets.service.ts';
import { ACTIVE_STATUSES, messages, ticketFields, tickets, ticketTypes, type Ticket } from '../tickets/tickets.schema.ts';
import { automationRules, automationRuns, webhookDeliveries, type AutomationAction, type AutomationRule } from './automation.schema.ts';
import { evaluateConditions, type TicketFacts } from './evaluate.ts';

export const AUTOMATION_ACTOR = { kind: 'system', name: 'automation' } as const;
export type Trigger = 'ticket.created' | 'customer_message' | 'ticket.updated' | 'time';

// ---- rules (admin) ----

const present = (r: AutomationRule): RuleView => ({
  id: r.id, name: r.name, active: r.active, position: r.position, trigger: r.trigger as RuleView['trigger'],
  conditions: r.conditions as RuleView['conditions'], actions: r.actions as RuleView['actions'], createdAt: r.createdAt.toISOString(),
});

export async function listRules(ctx: Ctx) {
  const rows = await ctx.db.select().from(automationRules).where(inTenant(ctx, automationRules)).orderBy(asc(automationRules.position), asc(automationRules.createdAt));
  return { total: rows.length, items: rows.map(present) };
}

async function checkActions(ctx: Ctx, actions: RuleInput['actions']) {
  for (const a of actions) {
    if (a.type === 'route_department') await findOwned(ctx, departments, a.departmentId);
    if (a.type === 'assign') await findOwned(ctx, users, a.userId);
    if (a.type === 'set_type') await findOwned(ctx, ticketTypes, a.typeId);
    if (a.type === 'notify') for (const id of a.userIds) await findOwned(ctx, users, id);
  }
}

/** Conditions on custom fields name fields the company has (retired ones included: their values remain). */
async function checkConditions(ctx: Ctx, conditions: RuleInput['conditions']) {
  const keys = [...new Set([...(conditions?.all ?? []), ...(conditions?.any ?? [])].filter((c) => c.field.startsWith('cf.')).map((c) => c.field.slice(3)))];
  if (!keys.length) return;
  const known = new Set((await ctx.db.select({ key: ticketFields.key }).from(ticketFields).where(inTenant(ctx, ticketFields, inArray(ticketFields.key, keys)))).map((r) => r.key));
  const missing = keys.find((k) => !known.has(k));
  if (missing) throw new AppError('validation', { zh: `条件中的字段 ${missing} 不存在`, en: `A condition names the field ${missing}, which does not exist` });
}

export async function saveRule(ctx: Ctx, id: string | null, input: RuleInput): Promise<RuleView> {
  return ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    await checkActions(c, input.actions);
    await checkConditions(c, input.conditions);
    const values = { name: input.name, active: input.active ?? true, position: input.position ?? 0, trigger: input.trigger, conditions: input.conditions ?? {}, actions: input.actions as AutomationAction[] };
    if (!id) {
      const [row] = await tx.insert(automationRules).values({ tenantId: ctx.tenantId, ...values }).returning();
      await recordAudit(c, { action: 'automation.create', targetType: 'automation_rule', targetId: row.id, after: present(row) });
      return present(row);
    }
    const before = await findOwned(c, automationRules, id);
    const [row] = await tx.update(automationRules).set(values).where(inTenant(c, automationRules, eq(automationRules.id, id))).returning();
    await recordAudit(c, { action: 'automation.update', targetType: 'automation_rule', targetId: id, before: present(before), after: present(row) });
    return present(row);
  });
}

export async function deleteRule(ctx: Ctx, id: string) {
  await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const before = await findOwned(c, automationRules, id);
    await tx.delete(automationRules).where(inTenant(c, automationRules, eq(automationRules.id, id)));
    await recordAudit(c, { action: 'automation.delete', targetType: 'automation_rule', targetId: id, before: present(before) });
  });
}

export async function listDeliveries(ctx: Ctx) {
  const rows = await ctx.db.select().from(webhookDeliveries).where(inTenant(ctx, webhookDeliveries)).orderBy(desc(webhookDeliveries.createdAt)).limit(100);
  return {
    total: rows.length,
    items: rows.map((d) => ({ id: d.id, ruleId: d.ruleId, url: d.url, status: d.status, attempts: d.attempts, lastStatus: d.lastStatus, lastError: d.lastError, createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null })),
  };
}

// ---- running rules ----

async function factsOf(ctx: Ctx, t: Ticket, now: Date): Promise<TicketFacts> {
  const [latest] = await ctx.db.select({ body: messages.body }).from(messages)
    .where(inTenant(ctx, messages, eq(messages.ticketId, t.id), eq(messages.authorType, 'customer'))).orderBy(desc(messages.createdAt)).limit(1);
  const [type] = t.typeId ? await ctx.db.select({ key: ticketTypes.key }).from(ticketTypes).where(eq(ticketTypes.id, t.typeId)) : [];
  const [customer] = t.customerId ? await ctx.db.select({ email: customers.email }).from(customers).where(eq(customers.id, t.customerId)) : [];
  return {
    subject: t.subject, body: latest?.body ?? '', channel: t.channel, priority: t.priority, status: t.status, type: type?.key ?? null,
    department: t.departmentId, tags: t.tags, customer_email: customer?.email ?? null, custom: t.customFields ?? {},
    hours_since_update: Math.max(0, (now.getTime() - t.updatedAt.getTime()) / 3600_000),
  };
}

/** Runs the tenant's active rules of one trigger against one ticket, in position order. Returns the names of the rules that fired. */
export async function runRules(ctx: Ctx, trigger: Trigger, ticketId: string, now: Date): Promise<string[]> {
  const rules = await ctx.db.select().from(automationRules)
    .where(inTenant(ctx, automationRules, eq(automationRules.trigger, trigger), eq(automationRules.active, true))).orderBy(asc(automationRules.position), asc(automationRules.createdAt));
  const fired: string[] = [];
  for (const rule of rules) {
    const [ticket] = await ctx.db.select().from(tickets).where(inTenant(ctx, tickets, eq(tickets.id, ticketId)));
    if (!ticket) break;
    // each rule sees the ticket as the rules before it left it
    if (!evaluateConditions(rule.conditions, await factsOf(ctx, ticket, now))) continue;
    await applyActions(ctx, rule, ticket);
    fired.push(rule.name);
  }
  return fired;
}

async function applyActions(ctx: Ctx, rule: AutomationRule, start: Ticket) {
  const reason = `automation: ${rule.name}`;
  const fresh = async () => (await ctx.db.select().from(tickets).where(eq(tickets.id, start.id)))[0];
  for (const a of rule.actions) {
    const t = await fresh();
    switch (a.type) {
      case 'set_priority': await updateTicket(ctx, t, { priority: a.priority as Priority }); break;
      case 'set_type': await updateTicket(ctx, t, { typeId: a.typeId }); break;
      case 'add_tags': await updateTicket(ctx, t, { tags: [...new Set([...t.tags, ...a.tags])] }); break;
      case 'route_department': if (t.departmentId !== a.departmentId && t.status !== 'closed') await forwardTicket(ctx, t, a.departmentId, reason); break;
      case 'assign': await assignTicket(ctx, t, a.userId, reason).catch((err) => { if (!(err instanceof AppError)) throw err; }); break;
      case 'add_note': await addSystemMessage(ctx, t.id, a.body, 'internal'); break;
      case 'auto_reply': if (t.status !== 'closed') await addSystemMessage(ctx, t.id, render(a.body, t), 'public'); break;
      case 'notify': await storeNotifications(ctx.db, ctx.tenantId, a.userIds.map((userId) => ({ userId, kind: 'automation', ticketId: t.id, data: { rule: rule.name, number: t.number, subject: t.subject }, eventId: `rule:${rule.id}:${t.id}:${t.updatedAt.getTime()}` }))); break;
      case 'webhook': await queueWebhook(ctx, rule, t, a.url, a.secret); break;
    }
  }
}

/** {{number}}, {{subject}} in auto-replies; nothing else is interpreted. */
const render = (body: string, t: Ticket) => body.replaceAll('{{number}}', String(t.number)).replaceAll('{{subject}}', t.subject);

async function queueWebhook(ctx: Ctx, rule: AutomationRule, t: Ticket, url: string, secret?: string) {
  const payload = { rule: { id: rule.id, name: rule.name }, ticket: { id: t.id, number: t.number, subject: t.subject, status: t.status, priority: t.priority, departmentId: t.departmentId, assigneeId: t.assigneeId, tags: t.tags }, sentAt: new Date().toISOString() };
  const [d] = await ctx.db.insert(webhookDeliveries).values({ tenantId: ctx.tenantId, ruleId: rule.id, url, secret: secret ?? null, payload }).returning({ id: webhookDeliveries.id });
  await schedule(ctx.db, { queue: 'webhook:deliver', tenantId: ctx.tenantId, payload: { deliveryId: d.id }, maxAttempts: 8 });
}

/** Time rules: tickets whose state matches, each acted on once per state (its updated_at). */
export async function sweepTimeRules(ctx: Ctx, now: Date): Promise<number> {
  const rules = await ctx.db.select().from(automationRules).where(inTenant(ctx, automationRules, eq(automationRules.trigger, 'time'), eq(automationRules.active, true)));
  let acted = 0;
  for (const rule of rules) {
    const candidates = await ctx.db.select().from(tickets).where(inTenant(ctx, tickets, inArray(tickets.status, [...ACTIVE_STATUSES]))).orderBy(asc(tickets.updatedAt)).limit(500);
    for (const t of candidates) {
      if (!evaluateConditions(rule.conditions, await factsOf(ctx, t, now))) continue;
      const [run] = await ctx.db.insert(automationRuns).values({ ruleId: rule.id, ticketId: t.id, stamp: t.updatedAt.toISOString() }).onConflictDoNothing().returning();
      if (!run) continue;
      await applyActions(ctx, rule, t);
      // The rule's own actions touch the ticket: remember its new state too, so the next sweep does not
      // take that for a fresh state and act again. A real change later (a reply) starts a new state.
      const [after] = await ctx.db.select({ updatedAt: tickets.updatedAt }).from(tickets).where(eq(tickets.id, t.id));
      if (after) await ctx.db.insert(automationRuns).values({ ruleId: rule.id, ticketId: t.id, stamp: after.updatedAt.toISOString() }).onConflictDoNothing();
      acted++;
    }
  }
  return acted;
}

export async function tenantsWithTimeRules(db: Ctx['db']): Promise<string[]> {
  const rows = await queryRows<{ tenant_id: string }>(db, sql`select distinct tenant_id from automation_rules where trigger = 'time' and active`);
  return rows.map((r) => r.tenant_id);
}

/** Sends one webhook: JSON body, HMAC-SHA256 signature of "<timestamp>.<body>" when the rule has a secret. Throws to retry. */
export async function deliverWebhook(db: Ctx['db'], deliveryId: string): Promise<void> {
  const [d] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, deliveryId));
  if (!d || d.status === 'delivered') return;
  const body = JSON.stringify(d.payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Kefu-Webhook/1', 'x-kefu-delivery': d.id, 'x-kefu-timestamp': timestamp };
  if (d.secret) headers['x-kefu-signature'] = `sha256=${crypto.createHmac('sha256', d.secret).update(`${timestamp}.${body}`).digest('hex')}`;
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await fetch(d.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000), redirect: 'manual' });
    status = res.status;
    await res.body?.cancel();
    if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
  } catch (err) {
    error = String((err as Error).message);
  }
  await db.update(webhookDeliveries).set({
    attempts: sql`${webhookDeliveries.attempts} + 1`, lastStatus: status, lastError: error,
    ...(error ? { status: d.attempts + 1 >= 8 ? 'failed' : 'pending' } : { status: 'delivered', deliveredAt: new Date() }),
  }).where(and(eq(webhookDeliveries.id, d.id)));
  if (error) throw new Error(`webhook ${d.url}: ${error}`);
}
