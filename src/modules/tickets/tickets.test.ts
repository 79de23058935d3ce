import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM } from '../auth/actor.ts';
import { ingest } from './tickets.service.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

describe('tickets: the spine', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let sales: string;
  let support: string;
  let billing: string;
  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    sales = (await admin.post('/api/v1/departments', { name: '售前' })).json().id;
    support = (await admin.post('/api/v1/departments', { name: '售后' })).json().id;
    billing = (await admin.post('/api/v1/departments', { name: '账务' })).json().id;
  });
  after(async () => { await srv.close(); });

  const ctxFor = () => ({ db: srv.database.db, tenantId: acme.id, actor: SYSTEM, publicUrl: '' });

  it('numbers tickets per company, in order, starting at 1', async () => {
    const a = (await admin.post('/api/v1/tickets', { subject: '宽带无法上网', body: '从昨晚开始断网', customer: { name: '张三', phone: '13800138000' } })).json();
    const b = (await admin.post('/api/v1/tickets', { subject: 'Invoice copy', body: 'Please resend', customer: { name: 'Ann', email: 'ann@example.com' } })).json();
    assert.equal(a.number, 1);
    assert.equal(b.number, 2);
    const globex = await srv.tenant('globex');
    const other = (await (await globex.admin()).post('/api/v1/tickets', { subject: 'x', body: 'y' })).json();
    assert.equal(other.number, 1, 'another company counts from 1');
    const types = (await admin.get('/api/v1/ticket-types')).json().items.map((t: { nameZh: string }) => t.nameZh);
    assert.deepEqual(types, ['咨询', '查询', '投诉', '建议', '故障申告']);
  });

  it('a ticket made by hand has the customer\'s words as its first message; an agent reply answers it', async () => {
    const created = await admin.post('/api/v1/tickets', { subject: '发票抬头错误', body: '发票抬头写错了，需要重开', customer: { name: '李四', email: 'lisi@example.com' }, departmentId: billing, priority: 'high' });
    assert.equal(created.statusCode, 201, created.body);
    const t = created.json();
    assert.equal(t.status, 'new');
    assert.equal(t.customer.email, 'lisi@example.com');
    const r = await admin.post(`/api/v1/tickets/${t.id}/messages`, { body: '已为您重开发票' });
    assert.equal(r.statusCode, 201);
    await admin.post(`/api/v1/tickets/${t.id}/messages`, { body: '财务确认过了', visibility: 'internal' });
    const d = (await admin.get(`/api/v1/tickets/${t.id}`)).json();
    assert.equal(d.ticket.status, 'pending');
    assert.ok(d.ticket.firstResponseAt);
    assert.deepEqual(d.messages.map((m: { authorType: string; visibility: string }) => `${m.authorType}/${m.visibility}`), ['customer/public', 'agent/public', 'agent/internal']);
    assert.equal(d.messages[0].authorName, '李四');
    assert.equal(d.messages[1].authorName, 'acme admin');
  });

  it('ingest: a customer\'s follow-up continues the ticket and reopens it; after close a new ticket starts; duplicates are dropped', async () => {
    const first = await ingest(ctxFor(), { channel: 'email', externalId: '<m1@example.com>', identity: { kind: 'email', value: 'Wang@Example.com', name: '王五' }, subject: '退货', body: '我要退货', departmentId: support });
    assert.equal(first.created, true);
    const dup = await ingest(ctxFor(), { channel: 'email', externalId: '<m1@example.com>', identity: { kind: 'email', value: 'wang@example.com' }, subject: '退货', body: '我要退货' });
    assert.equal(dup.duplicate, true);
    assert.equal(dup.ticketId, first.ticketId);
    await admin.post(`/api/v1/tickets/${first.ticketId}/messages`, { body: '请提供订单号' });
    await admin.patch(`/api/v1/tickets/${first.ticketId}`, { status: 'resolved' });
    const follow = await ingest(ctxFor(), { channel: 'email', externalId: '<m2@example.com>', identity: { kind: 'email', value: 'wang@example.com' }, body: '订单号 123', threadHints: { ticketId: first.ticketId } });
    assert.equal(follow.ticketId, first.ticketId);
    let d = (await admin.get(`/api/v1/tickets/${first.ticketId}`)).json();
    assert.equal(d.ticket.status, 'open');
    assert.equal(d.ticket.resolvedAt, null);
    assert.equal(d.messages.length, 3);
    await admin.patch(`/api/v1/tickets/${first.ticketId}`, { status: 'closed' });
    const reopenTry = await admin.patch(`/api/v1/tickets/${first.ticketId}`, { status: 'open' });
    assert.equal(reopenTry.statusCode, 400);
    const after = await ingest(ctxFor(), { channel: 'email', externalId: '<m3@example.com>', identity: { kind: 'email', value: 'wang@example.com' }, subject: 'Re: 退货', body: '还有问题', threadHints: { ticketId: first.ticketId } });
    assert.notEqual(after.ticketId, first.ticketId);
    assert.equal(after.created, true);
    d = (await admin.get(`/api/v1/tickets/${after.ticketId}`)).json();
    assert.equal(d.customerTickets.length, 1, 'the customer\'s earlier ticket is listed');
    // a hint pointing at someone else's ticket is ignored: a stranger cannot write into it
    const stranger = await ingest(ctxFor(), { channel: 'email', externalId: '<m4@example.com>', identity: { kind: 'email', value: 'evil@example.com' }, subject: 'hi', body: 'x', threadHints: { ticketId: after.ticketId } });
    assert.notEqual(stranger.ticketId, after.ticketId);
  });

  it('forwards across departments any number of times, keeping every reason in the history', async () => {
    const t = (await admin.post('/api/v1/tickets', { subject: '转来转去', body: '...', departmentId: sales, assigneeId: admin.userId })).json();
    assert.equal(t.status, 'open');
    assert.equal((await admin.post(`/api/v1/tickets/${t.id}/forward`, { departmentId: support, reason: '属于售后问题' })).statusCode, 200);
    const again = await admin.post(`/api/v1/tickets/${t.id}/forward`, { departmentId: billing, reason: '涉及退款' });
    assert.equal(again.json().departmentId, billing);
    assert.equal(again.json().assigneeId, null);
    assert.equal((await admin.post(`/api/v1/tickets/${t.id}/forward`, { departmentId: billing, reason: 'x' })).statusCode, 400);
    assert.equal((await admin.post(`/api/v1/tickets/${t.id}/forward`, { departmentId: support })).statusCode, 400, 'a reason is required');
    const history = (await admin.get(`/api/v1/tickets/${t.id}`)).json().history.filter((h: { action: string }) => h.action === 'forwarded');
    assert.deepEqual(history.map((h: { reason: string }) => h.reason), ['属于售后问题', '涉及退款']);
    assert.deepEqual(history[1].changes.departmentId, [support, billing]);
  });

  it('agents see their departments\' tickets only, contact details masked; taking a ticket is allowed, assigning others is not', async () => {
    const li = await acme.agent('li@acme.test', { departmentIds: [support] });
    const zhao = await acme.agent('zhao@acme.test', { departmentIds: [sales] });
    const t = (await admin.post('/api/v1/tickets', { subject: '屏幕碎了', body: '保修吗', departmentId: support, customer: { name: '钱七', email: 'qian@example.com', phone: '13912345678' } })).json();
    const seen = (await li.get(`/api/v1/tickets/${t.id}`)).json();
    assert.equal(seen.ticket.customer.email, 'q***@example.com');
    assert.equal(seen.ticket.customer.phone, '139****5678');
    assert.equal((await zhao.get(`/api/v1/tickets/${t.id}`)).statusCode, 404);
    assert.equal((await zhao.post(`/api/v1/tickets/${t.id}/messages`, { body: 'hi' })).statusCode, 404);
    assert.ok(!(await zhao.get('/api/v1/tickets?view=all')).json().items.some((x: { id: string }) => x.id === t.id));
    assert.equal((await li.put(`/api/v1/tickets/${t.id}/assignee`, { assigneeId: zhao.userId })).statusCode, 403);
    const taken = await li.put(`/api/v1/tickets/${t.id}/assignee`, { assigneeId: li.userId });
    assert.equal(taken.statusCode, 200, taken.body);
    assert.equal(taken.json().assigneeId, li.userId);
    const mine = (await li.get('/api/v1/tickets?view=mine')).json();
    assert.deepEqual(mine.items.map((x: { id: string }) => x.id), [t.id]);
    const counts = (await li.get('/api/v1/tickets/counts')).json();
    assert.equal(counts.mine, 1);
    // a manager reassigns with a reason
    const re = await admin.put(`/api/v1/tickets/${t.id}/assignee`, { assigneeId: admin.userId, reason: '升级处理' });
    assert.equal(re.json().assigneeId, admin.userId);
    assert.equal((await li.get('/api/v1/tickets/counts')).json().mine, 0);
  });

  it('queue views, search by subject or number, sorting and paging', async () => {
    const all = (await admin.get('/api/v1/tickets?view=all&limit=200')).json();
    assert.ok(all.total >= 5);
    const unassigned = (await admin.get('/api/v1/tickets?view=unassigned')).json();
    assert.ok(unassigned.items.every((t: { assigneeId: string | null; status: string }) => t.assigneeId === null && !['resolved', 'closed'].includes(t.status)));
    const byText = (await admin.get(`/api/v1/tickets?view=all&q=${encodeURIComponent('宽带')}`)).json();
    assert.equal(byText.items[0].subject, '宽带无法上网');
    const byNumber = (await admin.get('/api/v1/tickets?view=all&q=%232')).json();
    assert.equal(byNumber.items[0].number, 2);
    const page1 = (await admin.get('/api/v1/tickets?view=all&limit=2&sort=created')).json();
    const page2 = (await admin.get('/api/v1/tickets?view=all&limit=2&offset=2&sort=created')).json();
    assert.equal(page1.items.length, 2);
    assert.ok(!page2.items.some((t: { id: string }) => page1.items.some((p: { id: string }) => p.id === t.id)));
    const urgent = (await admin.post('/api/v1/tickets', { subject: 'urgent one', body: '!', priority: 'urgent' })).json();
    const byPriority = (await admin.get('/api/v1/tickets?view=open&sort=priority')).json();
    assert.equal(byPriority.items[0].id, urgent.id);
  });
});
