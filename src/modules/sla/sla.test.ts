import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

describe('SLA, escalation and notifications', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let agentA: Client;
  let agentB: Client;
  let dept: string;
  // The injected clock runs two hours ahead: deadlines (set from database time) have passed by it,
  // while their timers, due by database time, wait until the test fires them.
  let offset = 2 * 3600_000;
  before(async () => {
    srv = await testServer({}, { clock: () => new Date(Date.now() + offset) });
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    dept = (await admin.post('/api/v1/departments', { name: '售后' })).json().id;
    await admin.put(`/api/v1/departments/${dept}/assignment`, { mode: 'round_robin' });
    agentA = await acme.agent('sla-a@acme.test', { departmentIds: [dept] });
    agentB = await acme.agent('sla-b@acme.test', { departmentIds: [dept] });
    const policy = await admin.post('/api/v1/sla-policies', {
      name: '标准 SLA', position: 1, targets: { firstResponseMinutes: 60, resolutionMinutes: 480 }, warnBeforeMinutes: 10,
      escalation: [
        { afterMinutes: 0, actions: [{ type: 'raise_severity' }, { type: 'notify', to: 'team_lead' }] },
        { afterMinutes: 30, actions: [{ type: 'set_priority', priority: 'urgent' }, { type: 'reassign' }] },
      ],
    });
    assert.equal(policy.statusCode, 201, policy.body);
  });
  after(async () => { await srv.close(); });

  it('sets deadlines from the matching policy; an answered ticket never breaches its first-response target', async () => {
    const t = (await admin.post('/api/v1/tickets', { subject: '已回复', body: 'q', departmentId: dept })).json();
    await srv.drain();
    const sla = (await admin.get(`/api/v1/tickets/${t.id}/sla`)).json();
    assert.equal(sla.policyName, '标准 SLA');
    assert.equal(new Date(sla.firstResponseDue).getTime() - new Date(t.createdAt).getTime(), 60 * 60_000);
    assert.equal(new Date(sla.resolutionDue).getTime() - new Date(t.createdAt).getTime(), 480 * 60_000);
    const owner = (await admin.get(`/api/v1/tickets/${t.id}`)).json().ticket.assigneeId;
    const ownerClient = owner === agentA.userId ? agentA : agentB;
    await ownerClient.post(`/api/v1/tickets/${t.id}/messages`, { body: '您好，已收到' });
    await srv.drain();
    assert.equal((await admin.get(`/api/v1/tickets/${t.id}/sla`)).json().firstResponseDue, null);
    await srv.fireTimers('sla:due');
    const after = (await admin.get(`/api/v1/tickets/${t.id}/sla`)).json();
    assert.deepEqual(after.breaches, []);
  });

  it('an unanswered ticket breaches, warns first, escalates level by level, and notifies', async () => {
    const t = (await admin.post('/api/v1/tickets', { subject: '没人理我', body: 'help', departmentId: dept })).json();
    await srv.drain();
    const assignee = (await admin.get(`/api/v1/tickets/${t.id}`)).json().ticket.assigneeId;
    const owner = assignee === agentA.userId ? agentA : agentB;
    const ownerInbox = (await owner.get('/api/v1/notifications')).json();
    assert.ok(ownerInbox.items.some((n: { kind: string; ticketId: string }) => n.kind === 'assigned' && n.ticketId === t.id));
    const assignedMail = (await admin.get(`/api/v1/outbox?to=${owner === agentA ? 'sla-a' : 'sla-b'}@`)).json().items.find((m: { purpose: string; subject: string }) => m.purpose === 'notify_assigned' && m.subject.includes(`#${t.number}`));
    assert.ok(assignedMail, 'the assignee is told by email too');

    await srv.fireTimers('sla:warn');
    assert.ok((await owner.get('/api/v1/notifications')).json().items.some((n: { kind: string }) => n.kind === 'sla_warning'));

    await srv.fireTimers('sla:due');
    const sla = (await admin.get(`/api/v1/tickets/${t.id}/sla`)).json();
    assert.ok(sla.breaches.includes('first_response'));
    assert.ok((await owner.get('/api/v1/notifications')).json().items.some((n: { kind: string; data: { metric: string } }) => n.kind === 'sla_breached' && n.data.metric === 'first_response'));
    assert.ok((await admin.get('/api/v1/tickets?view=overdue')).json().items.some((x: { id: string }) => x.id === t.id));

    await srv.fireTimers('sla:escalate'); // level 1: severity up, team lead (here: the administrators) told
    let d = (await admin.get(`/api/v1/tickets/${t.id}`)).json();
    assert.equal(d.ticket.escalationLevel, 1);
    assert.equal(d.ticket.severity, 3);
    assert.match(d.history.at(-1).reason, /^sla: SLA first_response breached: level 1/);
    assert.ok((await admin.get('/api/v1/notifications')).json().items.some((n: { kind: string; ticketId: string }) => n.kind === 'escalated' && n.ticketId === t.id));
    assert.ok((await admin.get('/api/v1/tickets?view=escalated')).json().items.some((x: { id: string }) => x.id === t.id));

    await srv.fireTimers('sla:escalate'); // level 2: priority urgent, reassigned away from the idle agent
    d = (await admin.get(`/api/v1/tickets/${t.id}`)).json();
    assert.equal(d.ticket.escalationLevel, 2);
    assert.equal(d.ticket.priority, 'urgent');
    assert.notEqual(d.ticket.assigneeId, assignee);
    assert.ok(d.ticket.assigneeId);

    await srv.fireTimers('sla:escalate'); // no level 3: nothing more happens
    assert.equal((await admin.get(`/api/v1/tickets/${t.id}`)).json().ticket.escalationLevel, 2);
  });

  it('an escalation level tells exactly whom it names: here the department\'s members, not the administrators', async () => {
    const policy = await admin.post('/api/v1/sla-policies', {
      name: '低优先级 SLA', position: 0, conditions: { priorities: ['low'] }, targets: { firstResponseMinutes: 60 },
      escalation: [{ afterMinutes: 0, actions: [{ type: 'notify', to: 'department_members' }] }],
    });
    assert.equal(policy.statusCode, 201, policy.body);
    const t = (await admin.post('/api/v1/tickets', { subject: '不急的问题', body: 'q', departmentId: dept, priority: 'low' })).json();
    await srv.drain();
    const assignee = (await admin.get(`/api/v1/tickets/${t.id}`)).json().ticket.assigneeId;
    const colleague = assignee === agentA.userId ? agentB : agentA;
    await srv.fireTimers('sla:due');
    await srv.fireTimers('sla:escalate');
    const escalatedFor = async (c: Client) => (await c.get('/api/v1/notifications')).json().items.some((n: { kind: string; ticketId: string }) => n.kind === 'escalated' && n.ticketId === t.id);
    assert.equal(await escalatedFor(colleague), true, 'a member of the department');
    assert.equal(await escalatedFor(assignee === agentA.userId ? agentA : agentB), true, 'the assignee always hears');
    assert.equal(await escalatedFor(admin), false, 'the administrators are not named by this level');
    assert.ok([200, 204].includes((await admin.del(`/api/v1/sla-policies/${policy.json().id}`)).statusCode));
  });

  it('agents escalate by hand, also on the customer\'s request; a closed ticket cannot be escalated', async () => {
    const t = (await admin.post('/api/v1/tickets', { subject: '要求升级', body: '找你们领导', departmentId: dept })).json();
    const byAgent = await admin.post(`/api/v1/tickets/${t.id}/escalate`, { reason: '客户情绪激动' });
    assert.equal(byAgent.statusCode, 200, byAgent.body);
    assert.equal(byAgent.json().escalationLevel, 1);
    const byCustomer = await admin.post(`/api/v1/tickets/${t.id}/escalate`, { reason: '客户要求主管处理', source: 'customer' });
    assert.equal(byCustomer.json().escalationLevel, 2);
    assert.equal(byCustomer.json().severity, 4);
    const history = (await admin.get(`/api/v1/tickets/${t.id}`)).json().history.filter((h: { action: string }) => h.action === 'escalated');
    assert.deepEqual(history.map((h: { reason: string }) => h.reason), ['agent: 客户情绪激动', 'customer: 客户要求主管处理']);
    assert.equal((await admin.post(`/api/v1/tickets/${t.id}/escalate`, {})).statusCode, 400, 'a reason is required');
    await admin.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' });
    assert.equal((await admin.post(`/api/v1/tickets/${t.id}/escalate`, { reason: 'again' })).statusCode, 400);
  });

  it('notifications can be read and marked read', async () => {
    const before = (await admin.get('/api/v1/notifications')).json();
    assert.ok(before.unread > 0);
    assert.equal((await admin.post('/api/v1/notifications/read', { all: true })).statusCode, 200);
    const after = (await admin.get('/api/v1/notifications?unread=true')).json();
    assert.equal(after.unread, 0);
    assert.equal(after.items.length, 0);
  });

  it('refuses a policy without targets or with a foreign calendar', async () => {
    assert.equal((await admin.post('/api/v1/sla-policies', { name: 'empty', targets: {} })).statusCode, 400);
    assert.equal((await admin.post('/api/v1/sla-policies', { name: 'x', targets: { resolutionMinutes: 5 }, calendarId: '00000000-0000-4000-8000-000000000000' })).statusCode, 404);
    offset = 2 * 3600_000;
  });
});
