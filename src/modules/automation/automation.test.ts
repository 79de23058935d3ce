import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SYSTEM } from '../auth/actor.ts';
import { ingest } from '../tickets/tickets.service.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

describe('automation rules', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let broadband: string;
  let billing: string;
  let offset = 0;
  const hook = { calls: [] as Array<{ headers: http.IncomingHttpHeaders; body: string }>, failNext: 1, url: '' };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      hook.calls.push({ headers: req.headers, body });
      if (hook.failNext > 0) { hook.failNext--; res.writeHead(500).end('busy'); } else res.writeHead(204).end();
    });
  });
  const ctx = () => ({ db: srv.database.db, tenantId: acme.id, actor: SYSTEM, publicUrl: '' });
  const mail = (externalId: string, subject: string, body: string, from = 'c@example.com') =>
    ingest(ctx(), { channel: 'email', externalId, identity: { kind: 'email', value: from }, subject, body });

  before(async () => {
    srv = await testServer({}, { clock: () => new Date(Date.now() + offset) });
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    broadband = (await admin.post('/api/v1/departments', { name: '宽带业务部' })).json().id;
    billing = (await admin.post('/api/v1/departments', { name: 'Billing' })).json().id;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hook.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kefu`;
  });
  after(async () => { await srv.close(); server.close(); });

  it('routes keyword-matched tickets to their departments, in Chinese and in English', async () => {
    const zh = await admin.post('/api/v1/automation-rules', { name: '宽带关键词', trigger: 'ticket.created', position: 1,
      conditions: { any: [{ field: 'text', op: 'contains_any', value: ['宽带', '断网', '光猫'] }] }, actions: [{ type: 'route_department', departmentId: broadband }, { type: 'add_tags', tags: ['宽带'] }] });
    assert.equal(zh.statusCode, 201, zh.body);
    const stored = (await admin.get('/api/v1/automation-rules')).json().items.find((r: { id: string }) => r.id === zh.json().id);
    assert.deepEqual(stored.conditions.any[0].value, ['宽带', '断网', '光猫'], 'a keyword list reads back as a list');
    await admin.post('/api/v1/automation-rules', { name: 'Billing words', trigger: 'ticket.created', position: 2,
      conditions: { all: [{ field: 'text', op: 'contains_any', value: ['invoice', 'refund'] }] }, actions: [{ type: 'route_department', departmentId: billing }, { type: 'set_priority', priority: 'high' }] });
    const a = await mail('<a@x>', '光猫一直闪红灯', '家里断网两天了');
    const b = await mail('<b@x>', 'Question about my INVOICE', 'Please send a copy');
    const c = await mail('<c@x>', 'Refunded?', 'Was my order refunded'); // "refunded" is not the word "refund"
    await srv.drain();
    const get = async (id: string) => (await admin.get(`/api/v1/tickets/${id}`)).json();
    const ta = await get(a.ticketId);
    assert.equal(ta.ticket.departmentId, broadband);
    assert.deepEqual(ta.ticket.tags, ['宽带']);
    assert.equal(ta.history.find((h: { action: string }) => h.action === 'forwarded').reason, 'automation: 宽带关键词');
    const tb = await get(b.ticketId);
    assert.equal(tb.ticket.departmentId, billing);
    assert.equal(tb.ticket.priority, 'high');
    assert.equal((await get(c.ticketId)).ticket.departmentId, null);
  });

  it('auto-replies and notes on a customer message; its own changes do not trigger rules again', async () => {
    const rule = await admin.post('/api/v1/automation-rules', { name: '夜间自动回复', trigger: 'customer_message',
      conditions: { all: [{ field: 'channel', op: 'equals', value: 'email' }] },
      actions: [{ type: 'auto_reply', body: '您好，您的工单 #{{number}}「{{subject}}」已收到。' }, { type: 'add_note', body: '已自动回复' }] });
    assert.equal(rule.statusCode, 201);
    const t = await mail('<d@x>', '发票问题', '请问发票怎么开', 'd@example.com');
    await srv.drain();
    const d = (await admin.get(`/api/v1/tickets/${t.ticketId}`)).json();
    const auto = d.messages.filter((m: { authorType: string }) => m.authorType === 'system');
    assert.equal(auto.length, 2, 'one reply and one note, not a loop');
    assert.equal(auto[0].body, `您好，您的工单 #${d.ticket.number}「发票问题」已收到。`);
    assert.equal(auto[0].visibility, 'public');
    assert.equal(auto[1].visibility, 'internal');
    await admin.del(`/api/v1/automation-rules/${rule.json().id}`);
  });

  it('time rules: a ticket pending for 3 days gets a reminder, once', async () => {
    await admin.post('/api/v1/automation-rules', { name: '待客户回复3天', trigger: 'time',
      conditions: { all: [{ field: 'status', op: 'equals', value: 'pending' }, { field: 'hours_since_update', op: 'gte', value: 72 }] },
      actions: [{ type: 'add_note', body: '客户 3 天未回复，请跟进' }, { type: 'add_tags', tags: ['待跟进'] }] });
    const timeRule = (await admin.get('/api/v1/automation-rules')).json().items.find((r: { name: string }) => r.name === '待客户回复3天');
    assert.deepEqual(timeRule.conditions.all.map((c: { value: unknown }) => c.value), ['pending', 72], 'text stays text, numbers stay numbers');
    const t = (await admin.post('/api/v1/tickets', { subject: '等待客户', body: '...' })).json();
    await admin.post(`/api/v1/tickets/${t.id}/messages`, { body: '请提供截图' }); // → pending
    const sweep = () => srv.fireTimers('automation:sweep');
    await sweep();
    let d = (await admin.get(`/api/v1/tickets/${t.id}`)).json();
    assert.ok(!d.ticket.tags.includes('待跟进'), 'not yet: only minutes have passed');
    offset = 73 * 3600_000;
    await sweep();
    await sweep();
    d = (await admin.get(`/api/v1/tickets/${t.id}`)).json();
    assert.ok(d.ticket.tags.includes('待跟进'));
    assert.equal(d.messages.filter((m: { body: string }) => m.body === '客户 3 天未回复，请跟进').length, 1);
    offset = 0;
  });

  it('calls a webhook with an HMAC signature and retries until it is accepted', async () => {
    await admin.post('/api/v1/automation-rules', { name: 'CRM hook', trigger: 'ticket.created',
      conditions: { all: [{ field: 'subject', op: 'contains_any', value: ['VIP'] }] }, actions: [{ type: 'webhook', url: hook.url, secret: 'hook-secret-123' }] });
    const t = await mail('<v@x>', 'VIP 客户投诉', '...');
    await srv.drain();
    let deliveries = (await admin.get('/api/v1/webhook-deliveries')).json().items;
    assert.equal(deliveries[0].status, 'pending');
    assert.equal(deliveries[0].lastStatus, 500);
    await srv.fireTimers('webhook:deliver');
    deliveries = (await admin.get('/api/v1/webhook-deliveries')).json().items;
    assert.equal(deliveries[0].status, 'delivered');
    assert.equal(deliveries[0].attempts, 2);
    assert.equal(hook.calls.length, 2);
    const last = hook.calls[1];
    const payload = JSON.parse(last.body);
    assert.equal(payload.ticket.id, t.ticketId);
    const expected = crypto.createHmac('sha256', 'hook-secret-123').update(`${last.headers['x-kefu-timestamp']}.${last.body}`).digest('hex');
    assert.equal(last.headers['x-kefu-signature'], `sha256=${expected}`);
  });

  it('refuses rules naming another company\'s department, unknown fields, or no actions', async () => {
    const globex = await srv.tenant('globex');
    const foreign = (await (await globex.admin()).post('/api/v1/departments', { name: 'G' })).json().id;
    assert.equal((await admin.post('/api/v1/automation-rules', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'route_department', departmentId: foreign }] })).statusCode, 404);
    assert.equal((await admin.post('/api/v1/automation-rules', { name: 'x', trigger: 'ticket.created', conditions: { all: [{ field: 'mood', op: 'equals', value: 'x' }] }, actions: [{ type: 'add_note', body: 'x' }] })).statusCode, 400);
    assert.equal((await admin.post('/api/v1/automation-rules', { name: 'x', trigger: 'ticket.created', actions: [] })).statusCode, 400);
    assert.equal((await admin.post('/api/v1/automation-rules', { name: 'x', trigger: 'ticket.created', actions: [{ type: 'webhook', url: 'file:///etc/passwd' }] })).statusCode, 400);
  });
});
