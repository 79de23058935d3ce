/**
 * Flows that wait for time, with the server's clock injected (it runs ahead of the database clock, so
 * timers wait until a test makes them due): 存单, a ticket held overnight in a closed department and
 * assigned at opening time; an SLA breach that escalates and rings the notification bell.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { TicketDetail, TicketView } from '../src/contracts/tickets.ts';
import { mondayAhead, plusHours } from '../src/testing/clock.ts';
import { createAgent, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const AGENT = { email: 'night.owl@e2e.test', name: '夜班小李', password: 'agent-password-1' };
/** The server's "now": a fixed moment, or (null) two hours ahead of the real time. */
// A Monday well ahead of the real clock, so the timers the fixed clock sets are not due until fired.
const monday = mondayAhead();
let fixedNow: Date | null = plusHours(monday, 2); // Monday 10:00 in Shanghai
const clock = () => fixedNow ?? new Date(Date.now() + 2 * 3600_000);

let e2e: E2E;
let admin: Api;

before(async () => {
  if (skip) return;
  e2e = await startE2E('timers', { clock });
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
});
after(async () => { await e2e?.close(); });

const detail = async (id: string) => (await admin<TicketDetail>('GET', `/api/v1/tickets/${id}`)).body;
const countIs = (page: Page, view: string, n: number) => page.getByTestId(`view-count-${view}`).filter({ hasText: new RegExp(`^${n}$`) }).waitFor();

test('a ticket created at night in a closed department waits, then goes to the agent at opening time', { skip: skip ?? false }, async () => {
  const calendar = await admin<{ id: string }>('POST', '/api/v1/business-calendars', {
    name: '工作日 9:00–18:00', timezone: 'Asia/Shanghai', slots: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })), holidays: [],
  });
  assert.equal(calendar.status, 201, JSON.stringify(calendar.body));
  const departmentId = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '夜间存单组' })).body.id;
  const settings = await admin('PUT', `/api/v1/departments/${departmentId}/assignment`, { mode: 'round_robin', deferOutsideHours: true, calendarId: calendar.body.id });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const agent = await createAgent(e2e, admin, { ...AGENT, departmentIds: [departmentId] });

  // The administrator sees the department's rule on the routing page.
  const { page: adminPage } = await e2e.newPage();
  await signIn(adminPage, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
  await adminPage.getByTestId('nav-routing').click();
  await adminPage.getByTestId('routing-mode-夜间存单组').filter({ hasText: '轮流分配' }).waitFor();
  await adminPage.getByTestId('routing-table').getByText('存单 · 工作日 9:00–18:00').waitFor();
  await e2e.shot(adminPage, '01-routing');
  await adminPage.getByTestId('nav-business-hours').click();
  await adminPage.getByTestId('calendar-工作日 9:00–18:00').getByText('Asia/Shanghai').waitFor();
  await e2e.shot(adminPage, '02-business-hours');

  const { page } = await e2e.newPage();
  await signIn(page, e2e.baseUrl, AGENT.email, AGENT.password);
  await page.getByTestId('nav-tickets').click();
  await countIs(page, 'mine', 0);

  fixedNow = plusHours(monday, 15); // Monday 23:00 in Shanghai
  const created = await admin<TicketView>('POST', '/api/v1/tickets', { subject: '深夜报修：整栋楼断网', body: '现在整栋楼都没网了', departmentId, customer: { name: '赵先生' } });
  assert.equal(created.status, 201);
  await e2e.drain();
  const held = await detail(created.body.id);
  assert.equal(held.ticket.assigneeId, null, 'nobody gets it at night');
  assert.ok(held.history.some((h) => h.action === 'held'));
  await countIs(page, 'unassigned', 1);
  await page.getByTestId('view-unassigned').click();
  await page.getByTestId(`ticket-row-${created.body.number}`).click();
  await page.getByTestId('history-held').getByText('部门当前不在工作时间，工单暂存待分配').waitFor();
  assert.match(await page.getByTestId('history-held').getByTestId('history-reason').textContent() ?? '', new RegExp(`将在 ${plusHours(monday, 25).toISOString().slice(0, 10).replaceAll('-', '/')} .*开始分配`));
  await e2e.shot(page, '03-held-at-night');

  // Tuesday 09:00: the retry timer fires and the ticket goes to the (only) agent, live.
  fixedNow = plusHours(monday, 25);
  await e2e.fireTimers('assignment:retry');
  assert.equal((await detail(created.body.id)).ticket.assigneeId, agent.id);
  await page.getByTestId('history-assigned').getByText(`自动分配 将工单分配给 ${AGENT.name}`).waitFor();
  await page.getByTestId('nav-tickets').click();
  await countIs(page, 'mine', 1);
  await page.getByTestId('view-mine').click();
  await page.getByTestId(`ticket-row-${created.body.number}`).getByText(AGENT.name).waitFor();
  await e2e.shot(page, '04-mine-at-opening');
});

test('an SLA breach escalates the ticket, raises its severity and rings the bell', { skip: skip ?? false }, async () => {
  fixedNow = null; // two hours ahead of the real time from here on
  const policy = await admin('POST', '/api/v1/sla-policies', {
    name: '紧急工单 SLA', position: 1, conditions: { priorities: ['urgent'] }, targets: { firstResponseMinutes: 15, resolutionMinutes: 240 }, warnBeforeMinutes: 5,
    escalation: [{ afterMinutes: 0, actions: [{ type: 'raise_severity' }, { type: 'notify', to: 'admins' }] }],
  });
  assert.equal(policy.status, 201, JSON.stringify(policy.body));
  const departmentId = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '大客户部' })).body.id;
  const created = await admin<TicketView>('POST', '/api/v1/tickets', { subject: '专线中断，影响全公司业务', body: '请立即处理', priority: 'urgent', departmentId, customer: { name: '某银行 IT 部' } });
  assert.equal(created.status, 201);
  await e2e.drain();
  const ticket = created.body;

  const { page } = await e2e.newPage();
  await signIn(page, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
  await page.goto(`${e2e.baseUrl}/tickets/${ticket.id}`);
  await page.getByTestId('sla-panel').getByText('紧急工单 SLA').waitFor();
  await page.getByTestId('severity-tag').filter({ hasText: 'S2' }).waitFor();
  const unreadBefore = (await admin<{ unread: number }>('GET', '/api/v1/notifications')).body.unread;

  // The first-response deadline passes: breach, then escalation level 1.
  await e2e.fireTimers('sla:due');
  await e2e.fireTimers('sla:escalate');
  const after = await detail(ticket.id);
  assert.equal(after.ticket.escalationLevel, 1);
  assert.equal(after.ticket.severity, 3);
  const sla = (await admin<{ breaches: string[] }>('GET', `/api/v1/tickets/${ticket.id}/sla`)).body;
  assert.ok(sla.breaches.includes('first_response'));

  // The open ticket page follows live: escalation badge, severity, the breached deadline, the history line.
  await page.getByTestId('escalation-tag').filter({ hasText: '已升级 · 1 级' }).waitFor();
  await page.getByTestId('severity-tag').filter({ hasText: 'S3' }).waitFor();
  await page.getByTestId('sla-first_response').and(page.locator('[data-breached="true"]')).waitFor();
  assert.match(await page.getByTestId('sla-first_response').textContent() ?? '', /首次响应 已超时/);
  await page.getByTestId('history-escalated').getByText('SLA 升级了工单（第 1 级）').waitFor();
  assert.match(await page.getByTestId('history-escalated').getByTestId('history-reason').textContent() ?? '', /SLA 首次响应超时，执行第 1 级升级/);

  // The bell: one more unread, the escalation in the list; a click opens the ticket and marks it read.
  const notes = (await admin<{ unread: number; items: { id: string; kind: string; ticketId: string }[] }>('GET', '/api/v1/notifications')).body;
  assert.ok(notes.unread > unreadBefore);
  const escalated = notes.items.find((n) => n.kind === 'escalated' && n.ticketId === ticket.id);
  assert.ok(escalated, 'the administrators are told about the escalation');
  await page.getByTestId('notification-count').locator('.ant-badge-count').filter({ hasText: String(notes.unread) }).waitFor();
  await e2e.shot(page, '05-sla-escalated');
  await page.getByTestId('notification-bell').click();
  const item = page.getByTestId('notification-escalated').filter({ hasText: `工单 #${ticket.number} 已升级` });
  await item.waitFor();
  await e2e.shot(page, '06-bell');
  await page.goto(`${e2e.baseUrl}/tickets`);
  await page.getByTestId('notification-bell').click();
  await item.click();
  await page.waitForURL(new RegExp(`/tickets/${ticket.id}$`));
  await page.getByTestId('ticket-subject').filter({ hasText: '专线中断' }).waitFor();
  const read = (await admin<{ items: { id: string; readAt: string | null }[] }>('GET', '/api/v1/notifications')).body.items.find((n) => n.id === escalated.id);
  assert.ok(read?.readAt, 'opening it marks it read');

  // The overdue and escalated views list it.
  await page.getByTestId('nav-tickets').click();
  await page.getByTestId('view-escalated').click();
  await page.getByTestId(`ticket-row-${ticket.number}`).waitFor();
  await page.getByTestId('view-overdue').click();
  await page.getByTestId(`ticket-row-${ticket.number}`).waitFor();
  await e2e.shot(page, '07-overdue-view');
});
