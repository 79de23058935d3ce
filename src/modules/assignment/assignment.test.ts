import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.ts';
import { mondayAhead, plusHours } from '../../testing/clock.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

describe('assignment engine in a running Kefu', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  // The injected clock runs ahead of the real one, so timers it sets are not due until a test fires them.
  const monday = mondayAhead();
  const mondayMorning = plusHours(monday, 2); // Monday 10:00 in Shanghai
  let now = mondayMorning;
  const agents: Record<string, Client> = {};

  async function agent(name: string, departmentIds: string[]): Promise<Client> {
    const c = await acme.agent(`${name}@acme.test`, { departmentIds });
    agents[name] = c;
    return c;
  }
  const dept = async (name: string, settings: Record<string, unknown>) => {
    const d = (await admin.post('/api/v1/departments', { name })).json();
    const s = await admin.put(`/api/v1/departments/${d.id}/assignment`, settings);
    assert.equal(s.statusCode, 200, s.body);
    return d.id as string;
  };
  const ticket = async (departmentId: string, extra: Record<string, unknown> = {}) => {
    const t = (await admin.post('/api/v1/tickets', { subject: 'help', body: 'please', departmentId, ...extra })).json();
    await srv.drain();
    return (await admin.get(`/api/v1/tickets/${t.id}`)).json();
  };

  before(async () => {
    srv = await testServer({}, { clock: () => now });
    acme = await srv.tenant('acme');
    admin = await acme.admin();
  });
  after(async () => { await srv.close(); });

  it('round-robin takes turns among online agents; away agents are skipped', async () => {
    const d = await dept('轮询组', { mode: 'round_robin' });
    const a = await agent('rr-a', [d]);
    const b = await agent('rr-b', [d]);
    const c = await agent('rr-c', [d]);
    await c.put('/api/v1/auth/me/presence', { presence: 'away' });
    const got: string[] = [];
    for (let i = 0; i < 4; i++) got.push((await ticket(d)).ticket.assigneeId);
    assert.deepEqual(got.filter((x) => x === a.userId).length, 2);
    assert.deepEqual(got.filter((x) => x === b.userId).length, 2);
    assert.notEqual(got[0], got[1]);
    assert.ok(!got.includes(c.userId));
    const t = await ticket(d);
    const auto = t.history.find((h: { action: string }) => h.action === 'assigned');
    assert.equal(auto.reason, 'auto: round_robin');
    assert.equal(auto.actorName, 'auto-assignment');
  });

  it('least-loaded respects capacity; with everyone full the ticket waits unassigned', async () => {
    const d = await dept('最少负载组', { mode: 'least_loaded' });
    const a = await agent('ll-a', [d]);
    const b = await agent('ll-b', [d]);
    await admin.put(`/api/v1/staff/${a.userId}/capacity`, { ticketCapacity: 1 });
    await admin.put(`/api/v1/staff/${b.userId}/capacity`, { ticketCapacity: 2 });
    const owners = [];
    for (let i = 0; i < 3; i++) owners.push((await ticket(d)).ticket.assigneeId);
    assert.equal(owners.filter((x) => x === a.userId).length, 1);
    assert.equal(owners.filter((x) => x === b.userId).length, 2);
    const overflow = await ticket(d);
    assert.equal(overflow.ticket.assigneeId, null);
    assert.equal((await admin.get(`/api/v1/staff/${b.userId}/capacity`)).json().openTickets, 2);
  });

  it('sticky: a returning customer gets the agent who served them last', async () => {
    const d = await dept('粘性组', { mode: 'round_robin', sticky: true });
    const a = await agent('st-a', [d]);
    await agent('st-b', [d]);
    const customer = { name: '老客户', email: 'loyal@example.com' };
    const first = (await ticket(d, { customer })).ticket;
    const owner = first.assigneeId;
    for (let i = 0; i < 3; i++) {
      const next = (await ticket(d, { customer })).ticket;
      assert.equal(next.assigneeId, owner, 'round-robin would have alternated');
    }
    assert.ok([a.userId, agents['st-b'].userId].includes(owner));
  });

  it('skills: a tagged ticket goes to the agent with the skill', async () => {
    const d = await dept('技能组', { mode: 'skills' });
    await agent('sk-a', [d]);
    const b = await agent('sk-b', [d]);
    await admin.patch(`/api/v1/staff/${b.userId}`, { skills: ['宽带'] });
    for (let i = 0; i < 2; i++) assert.equal((await ticket(d, { tags: ['宽带'] })).ticket.assigneeId, b.userId);
  });

  it('存单: a ticket created at night in a closed department is held, then assigned when it opens', async () => {
    const cal = await admin.post('/api/v1/business-calendars', { name: '工作日', timezone: 'Asia/Shanghai', slots: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })), holidays: [] });
    assert.equal(cal.statusCode, 201, cal.body);
    const d = await dept('夜间存单', { mode: 'round_robin', deferOutsideHours: true, calendarId: cal.json().id });
    const a = await agent('night-a', [d]);
    now = plusHours(monday, 15); // Monday 23:00 in Shanghai
    const held = await ticket(d);
    assert.equal(held.ticket.assigneeId, null);
    const h = held.history.find((x: { action: string }) => x.action === 'held');
    const opening = plusHours(monday, 25).toISOString(); // Tuesday 09:00 in Shanghai
    assert.ok(h.reason.includes(opening), h.reason);
    const [job] = await queryRows<{ run_at: Date }>(srv.database.db, sql`select run_at from jobs where key = ${`assign-retry:${held.ticket.id}`}`);
    assert.equal(new Date(job.run_at).toISOString(), opening);
    now = new Date(opening);
    await srv.fireTimers('assignment:retry');
    const later = (await admin.get(`/api/v1/tickets/${held.ticket.id}`)).json();
    assert.equal(later.ticket.assigneeId, a.userId);
    now = mondayMorning;
  });

  it('reassigns a ticket its assignee has not touched within the timeout, but not one they answered', async () => {
    const d = await dept('超时改派', { mode: 'round_robin', reassignAfterMinutes: 10 });
    await agent('to-a', [d]);
    await agent('to-b', [d]);
    const idle = (await ticket(d)).ticket;
    const busy = (await ticket(d)).ticket;
    const busyOwner = Object.values(agents).find((c) => c.userId === busy.assigneeId)!;
    await busyOwner.post(`/api/v1/tickets/${busy.id}/messages`, { body: '正在处理' });
    now = new Date(now.getTime() + 11 * 60_000);
    await srv.fireTimers('assignment:timeout');
    const idleAfter = (await admin.get(`/api/v1/tickets/${idle.id}`)).json();
    assert.notEqual(idleAfter.ticket.assigneeId, idle.assigneeId);
    assert.ok(idleAfter.ticket.assigneeId);
    assert.match(idleAfter.history.at(-1).reason, /not handled within 10 min/);
    assert.equal((await admin.get(`/api/v1/tickets/${busy.id}`)).json().ticket.assigneeId, busy.assigneeId);
  });

  it('a forwarded ticket is routed again in its new department', async () => {
    const manual = (await admin.post('/api/v1/departments', { name: '人工分配' })).json().id;
    const auto = await dept('接收部门', { mode: 'least_loaded' });
    const a = await agent('fw-a', [auto]);
    const t = (await ticket(manual)).ticket;
    assert.equal(t.assigneeId, null);
    await admin.post(`/api/v1/tickets/${t.id}/forward`, { departmentId: auto, reason: '专业对口' });
    await srv.drain();
    assert.equal((await admin.get(`/api/v1/tickets/${t.id}`)).json().ticket.assigneeId, a.userId);
  });

  it('refuses settings that cannot work', async () => {
    const d = (await admin.post('/api/v1/departments', { name: 'bad' })).json().id;
    assert.equal((await admin.put(`/api/v1/departments/${d}/assignment`, { mode: 'round_robin', deferOutsideHours: true })).statusCode, 400);
    assert.equal((await admin.put(`/api/v1/departments/${d}/assignment`, { mode: 'telepathy' })).statusCode, 400);
    assert.equal((await admin.post('/api/v1/business-calendars', { name: 'x', timezone: 'Mars/Base', slots: [] })).statusCode, 400);
    assert.equal((await admin.post('/api/v1/business-calendars', { name: 'x', timezone: 'UTC', slots: [{ day: 1, open: '18:00', close: '09:00' }] })).statusCode, 400);
  });
});
