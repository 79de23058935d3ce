import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { SAVED_VIEW_LIMIT } from '../../contracts/saved-views.ts';
import { COUNT_CAP } from './tickets.queries.ts';

/** Saved queue views (filters, sharing, counts) and bulk changes, through the HTTP API on a real database. */

type T = { id: string; number: number; subject: string; status: string; tags: string[]; assigneeId: string | null; departmentId: string | null; priority: string };
type Result = { id: string; ok: boolean; code?: string; error?: string };

const qs = (params: Record<string, string | string[] | boolean | undefined>) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) sp.append(k, String(one));
  return sp.toString();
};

describe('saved views and bulk actions in the work queue', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let li: Client; // support
  let zhao: Client; // sales
  let support: string;
  let sales: string;
  let billing: string;
  let complaint: string;
  const t: Record<string, T> = {};

  const make = async (key: string, body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/tickets', { body: '…', channel: 'email', ...body, subject: `${key} ${body.subject ?? ''}`.trim() });
    assert.equal(res.statusCode, 201, res.body);
    t[key] = res.json();
    return t[key];
  };
  /** The keys of the tickets a queue request finds, among those this file made (sorted). */
  const found = async (who: Client, params: Record<string, string | string[] | boolean | undefined>) => {
    const res = await who.get(`/api/v1/tickets?${qs({ limit: '200', ...params })}`);
    assert.equal(res.statusCode, 200, res.body);
    const ids = new Set((res.json().items as T[]).map((x) => x.id));
    return Object.keys(t).filter((k) => ids.has(t[k].id)).sort();
  };
  const ticket = async (key: string) => (await admin.get(`/api/v1/tickets/${t[key].id}`)).json().ticket as T;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    support = (await admin.post('/api/v1/departments', { name: '售后' })).json().id;
    sales = (await admin.post('/api/v1/departments', { name: '售前' })).json().id;
    billing = (await admin.post('/api/v1/departments', { name: '账务' })).json().id;
    complaint = (await admin.get('/api/v1/ticket-types')).json().items.find((x: { key: string }) => x.key === 'complaint').id;
    li = await acme.agent('li@acme.test', { departmentIds: [support] });
    zhao = await acme.agent('zhao@acme.test', { departmentIds: [sales] });
    await make('a', { subject: '退款未到账', departmentId: support, priority: 'urgent', tags: ['vip', 'refund'], typeId: complaint, assigneeId: li.userId });
    await make('b', { subject: '屏幕碎了', departmentId: support, priority: 'high', tags: ['vip'], channel: 'phone' });
    await make('c', { subject: 'Price list', departmentId: sales, priority: 'urgent', channel: 'phone', assigneeId: zhao.userId });
    await make('d', { subject: '发票重开', departmentId: billing, priority: 'low', tags: ['refund'] });
    await make('e', { subject: '无部门的来信', priority: 'normal', channel: 'portal' });
    assert.equal((await admin.patch(`/api/v1/tickets/${t.d.id}`, { status: 'resolved' })).statusCode, 200);
    assert.equal((await admin.post(`/api/v1/tickets/${t.e.id}/escalate`, { reason: '客户要求升级' })).statusCode, 200);
    await srv.drain();
  });
  after(async () => { await srv?.close(); });

  it('filters narrow the queue: statuses, priorities, departments, type, channel, tags (any of), assignee me / none / someone, escalated, overdue, text', async () => {
    assert.deepEqual(await found(admin, { view: 'all' }), ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(await found(admin, { view: 'all', priorities: ['urgent', 'high'] }), ['a', 'b', 'c']);
    assert.deepEqual(await found(admin, { view: 'all', priorities: 'urgent', departmentIds: [support, sales] }), ['a', 'c']);
    assert.deepEqual(await found(admin, { view: 'all', statuses: 'resolved' }), ['d']);
    assert.deepEqual(await found(admin, { view: 'all', statuses: ['new', 'open'], departmentIds: support }), ['a', 'b']);
    assert.deepEqual(await found(admin, { view: 'all', tags: 'refund' }), ['a', 'd']);
    assert.deepEqual(await found(admin, { view: 'all', tags: ['vip', 'refund'] }), ['a', 'b', 'd'], 'tags match any of them');
    assert.deepEqual(await found(admin, { view: 'all', typeIds: complaint }), ['a']);
    assert.deepEqual(await found(admin, { view: 'all', channels: ['phone', 'portal'] }), ['b', 'c', 'e']);
    assert.deepEqual(await found(admin, { view: 'all', assignee: 'none' }), ['b', 'd', 'e']);
    assert.deepEqual(await found(admin, { view: 'all', assignee: zhao.userId }), ['c']);
    assert.deepEqual(await found(li, { view: 'all', assignee: 'me' }), ['a'], "'me' is whoever asks");
    assert.deepEqual(await found(zhao, { view: 'all', assignee: 'me' }), ['c']);
    assert.deepEqual(await found(admin, { view: 'all', escalated: true }), ['e']);
    assert.deepEqual(await found(admin, { view: 'all', escalated: false, departmentIds: support }), ['a', 'b']);
    assert.deepEqual(await found(admin, { view: 'all', q: '屏幕' }), ['b']);
    assert.deepEqual(await found(admin, { view: 'all', q: `#${t.c.number}` }), ['c']);
    // the view still applies: "open" leaves the resolved ticket out
    assert.deepEqual(await found(admin, { tags: 'refund' }), ['a']);
    // overdue: a breached SLA target
    await srv.database.db.execute(sql`insert into ticket_sla (ticket_id, tenant_id, breached_at) values (${t.b.id}, ${acme.id}, now())
      on conflict (ticket_id) do update set breached_at = now()`);
    assert.deepEqual(await found(admin, { view: 'all', overdue: true }), ['b']);
    assert.deepEqual(await found(admin, { view: 'all', overdue: false, departmentIds: support }), ['a']);
    // a filter that names nothing matches nothing (another company's department, say)
    assert.deepEqual(await found(admin, { view: 'all', departmentIds: crypto.randomUUID() }), []);
    // filters the schema does not know, or values out of range, are a 400 that says which
    for (const bad of ['priorities=critical', 'assignee=someone', 'statuses=open&statuses=open', 'escalated=maybe', `departmentIds=${'x'.repeat(10)}`]) {
      const res = await admin.get(`/api/v1/tickets?${bad}`);
      assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
      assert.ok(res.json().message.includes(`/${bad.split('=')[0]}`), `${bad}: ${res.json().message}`);
    }
  });

  it('an agent never sees more than the policy allows, whatever the filter or saved view says', async () => {
    // zhao (sales) asks for support's tickets, by filter and by a saved view: nothing
    assert.deepEqual(await found(zhao, { view: 'all', departmentIds: support }), []);
    assert.deepEqual(await found(zhao, { view: 'all', assignee: li.userId }), []);
    assert.deepEqual(await found(zhao, { view: 'all' }), ['c', 'e'], 'own department, and tickets no department owns yet');
    const view = await zhao.post('/api/v1/saved-views', { name: '售后紧急', filters: { departmentIds: [support], priorities: ['urgent', 'high'] } });
    assert.equal(view.statusCode, 201, view.body);
    assert.deepEqual(await found(zhao, { savedViewId: view.json().id }), []);
    assert.equal((await zhao.get('/api/v1/tickets/counts')).json()[`saved:${view.json().id}`], 0);
    // a role without tickets.view_department sees only what it holds
    const role = (await admin.post('/api/v1/roles', { name: '只看自己', permissions: [] })).json();
    const wang = await acme.agent('wang@acme.test', { departmentIds: [support], roleId: role.id });
    assert.equal((await admin.put(`/api/v1/tickets/${t.b.id}/assignee`, { assigneeId: wang.userId })).statusCode, 200);
    assert.deepEqual(await found(wang, { view: 'all', departmentIds: support }), ['b']);
    assert.deepEqual(await found(wang, { view: 'all', assignee: 'none' }), []);
    assert.equal((await admin.put(`/api/v1/tickets/${t.b.id}/assignee`, { assigneeId: null })).statusCode, 200);
    assert.deepEqual(await found(li, { view: 'all', departmentIds: support }), ['a', 'b']);
    assert.equal((await zhao.del(`/api/v1/saved-views/${view.json().id}`)).statusCode, 200);
  });

  it('personal views are their owner\'s alone; shared views need settings.manage to make, change or delete; everyone uses them', async () => {
    const mine = await li.post('/api/v1/saved-views', { name: '我的紧急', filters: { priorities: ['urgent'], assignee: 'me', statuses: ['new', 'open', 'pending', 'on_hold'] } });
    assert.equal(mine.statusCode, 201, mine.body);
    const v = mine.json();
    assert.deepEqual({ shared: v.shared, ownerId: v.ownerId, canEdit: v.canEdit }, { shared: false, ownerId: li.userId, canEdit: true });
    assert.deepEqual(v.filters, { priorities: ['urgent'], assignee: 'me', statuses: ['new', 'open', 'pending', 'on_hold'] });
    assert.deepEqual(await found(li, { savedViewId: v.id }), ['a']);
    // another person cannot see, use, change or delete it: 404, as if it did not exist
    assert.ok(!(await zhao.get('/api/v1/saved-views')).json().items.some((x: { id: string }) => x.id === v.id));
    assert.ok(!(await admin.get('/api/v1/saved-views')).json().items.some((x: { id: string }) => x.id === v.id), 'not even an administrator');
    assert.equal((await zhao.get(`/api/v1/tickets?savedViewId=${v.id}`)).statusCode, 404);
    assert.equal((await zhao.patch(`/api/v1/saved-views/${v.id}`, { name: 'mine now' })).statusCode, 404);
    assert.equal((await admin.del(`/api/v1/saved-views/${v.id}`)).statusCode, 404);
    assert.equal((await li.get('/api/v1/tickets/counts')).json()[`saved:${v.id}`], 1);
    assert.equal((await zhao.get('/api/v1/tickets/counts')).json()[`saved:${v.id}`], undefined);

    // sharing needs settings.manage
    const refused = await li.post('/api/v1/saved-views', { name: '全公司 VIP', filters: { tags: ['vip'] }, shared: true });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal((await li.patch(`/api/v1/saved-views/${v.id}`, { shared: true })).statusCode, 403);
    const shared = await admin.post('/api/v1/saved-views', { name: '全公司 VIP', filters: { tags: ['vip'] }, shared: true });
    assert.equal(shared.statusCode, 201, shared.body);
    const s = shared.json();
    assert.deepEqual({ shared: s.shared, ownerId: s.ownerId }, { shared: true, ownerId: null });
    const seenByLi = (await li.get('/api/v1/saved-views')).json().items;
    assert.deepEqual(seenByLi.map((x: { name: string }) => x.name), ['全公司 VIP', '我的紧急'], 'shared views first, then mine');
    assert.equal(seenByLi[0].canEdit, false);
    assert.equal((await li.patch(`/api/v1/saved-views/${s.id}`, { name: '改名' })).statusCode, 403);
    assert.equal((await li.del(`/api/v1/saved-views/${s.id}`)).statusCode, 403);
    // everyone uses it, each within what they may see
    assert.deepEqual(await found(li, { savedViewId: s.id }), ['a', 'b']);
    assert.deepEqual(await found(zhao, { savedViewId: s.id }), []);
    const counts = { li: (await li.get('/api/v1/tickets/counts')).json(), zhao: (await zhao.get('/api/v1/tickets/counts')).json() };
    assert.equal(counts.li[`saved:${s.id}`], 2);
    assert.equal(counts.zhao[`saved:${s.id}`], 0);
    // the request's own filters narrow a saved view further
    assert.deepEqual(await found(li, { savedViewId: s.id, priorities: 'high' }), ['b']);

    // names are unique per owner and among shared views; a personal view may share a shared view's name
    assert.equal((await admin.post('/api/v1/saved-views', { name: '全公司 VIP', filters: {}, shared: true })).json().code, 'name_taken');
    assert.equal((await li.post('/api/v1/saved-views', { name: '全公司 VIP', filters: {} })).statusCode, 201);
    assert.equal((await li.patch(`/api/v1/saved-views/${v.id}`, { name: '全公司 VIP' })).statusCode, 409);

    // change and delete
    const changed = await li.patch(`/api/v1/saved-views/${v.id}`, { name: '紧急和高', filters: { priorities: ['urgent', 'high'] }, sortOrder: 5 });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(await found(li, { savedViewId: v.id }), ['a', 'b'], 'now every urgent or high ticket li may see (not sales\' urgent one)');
    const patched = await admin.patch(`/api/v1/saved-views/${s.id}`, { filters: { tags: ['vip'], departmentIds: [support] } });
    assert.equal(patched.statusCode, 200, patched.body);
    const audit = (await admin.get('/api/v1/audit-log?limit=50')).json().items.map((e: { action: string }) => e.action);
    assert.ok(audit.includes('saved_view.create') && audit.includes('saved_view.update'), `shared views are audited: ${audit}`);
    assert.equal((await admin.del(`/api/v1/saved-views/${s.id}`)).statusCode, 200);
    assert.equal((await li.get(`/api/v1/tickets?savedViewId=${s.id}`)).statusCode, 404);
    assert.equal((await admin.patch(`/api/v1/saved-views/${s.id}`, { name: 'x' })).statusCode, 404);
    assert.ok((await admin.get('/api/v1/audit-log?limit=50')).json().items.some((e: { action: string }) => e.action === 'saved_view.delete'));
    // an administrator can take a shared view back as their own
    const temp = (await admin.post('/api/v1/saved-views', { name: '临时', filters: {}, shared: true })).json();
    const taken = (await admin.patch(`/api/v1/saved-views/${temp.id}`, { shared: false })).json();
    assert.deepEqual({ shared: taken.shared, ownerId: taken.ownerId }, { shared: false, ownerId: admin.userId });
    assert.ok(!(await li.get('/api/v1/saved-views')).json().items.some((x: { id: string }) => x.id === temp.id));
  });

  it('bad filters are a 400 saying what is wrong; ids of another company or of nothing are a 404; a person keeps a bounded number of views', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ priorities: ['critical'] }, /priorities/],
      [{ colour: 'red' }, /additional|colour/],
      [{ assignee: 'someone' }, /assignee/],
      [{ statuses: ['open', 'done'] }, /statuses/],
      [{ tags: [''] }, /tags/],
      [{ escalated: 'yes' }, /escalated/],
      ['urgent', /filters/],
    ];
    for (const [filters, why] of cases) {
      const res = await li.post('/api/v1/saved-views', { name: 'bad', filters });
      assert.equal(res.statusCode, 400, `${JSON.stringify(filters)}: ${res.body}`);
      assert.equal(res.json().code, 'validation');
      assert.match(res.json().message, why);
    }
    assert.equal((await li.post('/api/v1/saved-views', { name: '', filters: {} })).statusCode, 400);
    const globex = await srv.tenant('globex');
    const foreignDept = (await (await globex.admin()).post('/api/v1/departments', { name: 'Globex support' })).json().id;
    for (const filters of [{ departmentIds: [foreignDept] }, { typeIds: [crypto.randomUUID()] }, { assignee: (await globex.admin()).userId }]) {
      const res = await li.post('/api/v1/saved-views', { name: 'foreign', filters });
      assert.equal(res.statusCode, 404, `${JSON.stringify(filters)}: ${res.body}`);
    }
    // nothing was stored by the refused requests
    assert.ok(!(await li.get('/api/v1/saved-views')).json().items.some((x: { name: string }) => x.name === 'bad' || x.name === 'foreign'));
    const have = (await li.get('/api/v1/saved-views')).json().items.filter((x: { shared: boolean }) => !x.shared).length;
    for (let i = have; i < SAVED_VIEW_LIMIT; i++) assert.equal((await li.post('/api/v1/saved-views', { name: `v${i}`, filters: {} })).statusCode, 201);
    const over = await li.post('/api/v1/saved-views', { name: 'one too many', filters: {} });
    assert.equal(over.statusCode, 400);
    assert.match(over.json().message, new RegExp(String(SAVED_VIEW_LIMIT)));
    for (const x of (await li.get('/api/v1/saved-views')).json().items.filter((y: { name: string }) => /^v\d+$/.test(y.name))) await li.del(`/api/v1/saved-views/${x.id}`);
  });

  it('counts: every usable saved view gets a capped count beside the built-in views, and follows ticket changes', async () => {
    const view = (await li.post('/api/v1/saved-views', { name: '售后紧急高', filters: { departmentIds: [support], priorities: ['urgent', 'high'], statuses: ['new', 'open', 'pending', 'on_hold'] } })).json();
    const count = async () => (await li.get('/api/v1/tickets/counts')).json()[`saved:${view.id}`];
    assert.equal(await count(), 2);
    await make('f', { subject: '又一个紧急', departmentId: support, priority: 'urgent' });
    assert.equal(await count(), 3);
    await make('g', { subject: '不紧急', departmentId: support, priority: 'low' });
    assert.equal(await count(), 3);
    await admin.patch(`/api/v1/tickets/${t.f.id}`, { status: 'resolved' });
    assert.equal(await count(), 2);
    const counts = (await li.get('/api/v1/tickets/counts')).json();
    for (const k of ['mine', 'unassigned', 'department', 'open', 'all', 'escalated', 'overdue']) assert.equal(typeof counts[k], 'number', k);

    // the same cap as the built-in views
    const big = await srv.tenant('big');
    const bigAdmin = await big.admin();
    const bulkView = (await bigAdmin.post('/api/v1/saved-views', { name: 'all urgent', filters: { priorities: ['urgent'] }, shared: true })).json();
    await srv.database.db.execute(sql`insert into tickets (tenant_id, number, subject, channel, priority)
      select ${big.id}, g, 'load ' || g, 'email', 'urgent' from generate_series(1, ${COUNT_CAP + 5}) g`);
    const bigCounts = (await bigAdmin.get('/api/v1/tickets/counts')).json();
    assert.equal(bigCounts.all, COUNT_CAP);
    assert.equal(bigCounts[`saved:${bulkView.id}`], COUNT_CAP);
  });

  it('bulk: each ticket goes through its own checks; invisible and missing tickets answer not_found, the others still change', async () => {
    await make('h', { subject: '已关闭', departmentId: support });
    await admin.patch(`/api/v1/tickets/${t.h.id}`, { status: 'closed' });
    const missing = crypto.randomUUID();
    const res = await li.post('/api/v1/tickets/bulk', { ticketIds: [t.a.id, t.b.id, t.c.id, missing, t.h.id], action: { type: 'status', status: 'resolved' } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json() as { results: Result[]; succeeded: number; failed: number };
    assert.deepEqual(body.results.map((r) => [r.id, r.ok, r.code ?? null]), [
      [t.a.id, true, null], [t.b.id, true, null], [t.c.id, false, 'not_found'], [missing, false, 'not_found'], [t.h.id, false, 'validation'],
    ]);
    assert.deepEqual([body.succeeded, body.failed], [2, 3]);
    assert.match(body.results[4].error!, /closed/i, 'the reason is given');
    assert.equal(body.results[2].error, '找不到该资源', 'in the caller\'s language');
    assert.deepEqual([(await ticket('a')).status, (await ticket('b')).status, (await ticket('c')).status], ['resolved', 'resolved', 'open'], 'a ticket li may not see was not touched');
    const history = (await admin.get(`/api/v1/tickets/${t.a.id}`)).json().history;
    assert.ok(history.some((h: { actorId: string; changes: { status?: unknown } }) => h.actorId === li.userId && JSON.stringify(h.changes.status) === '["open","resolved"]'), JSON.stringify(history));
  });

  it('bulk assign: taking tickets needs nothing, assigning others needs tickets.assign (per ticket)', async () => {
    await make('i', { subject: '待领取 1', departmentId: support });
    await make('j', { subject: '待领取 2', departmentId: support });
    await make('k', { subject: '别人的', departmentId: support, assigneeId: admin.userId });
    const toZhao = (await li.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.j.id], action: { type: 'assign', assigneeId: zhao.userId } })).json();
    assert.deepEqual(toZhao.results.map((r: Result) => r.code), ['forbidden', 'forbidden']);
    assert.equal((await ticket('i')).assigneeId, null);
    const take = (await li.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.j.id, t.k.id], action: { type: 'assign', assigneeId: li.userId } })).json();
    assert.deepEqual(take.results.map((r: Result) => r.ok), [true, true, false], 'taking someone else\'s ticket is reassigning');
    assert.equal(take.results[2].code, 'forbidden');
    assert.deepEqual([(await ticket('i')).assigneeId, (await ticket('j')).assigneeId, (await ticket('k')).assigneeId], [li.userId, li.userId, admin.userId]);
    const byAdmin = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.k.id], action: { type: 'assign', assigneeId: zhao.userId } })).json();
    assert.equal(byAdmin.succeeded, 2);
    const unassign = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id], action: { type: 'assign', assigneeId: null } })).json();
    assert.equal(unassign.succeeded, 1);
    assert.equal((await ticket('i')).assigneeId, null);
    const nobody = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id], action: { type: 'assign', assigneeId: crypto.randomUUID() } })).json();
    assert.equal(nobody.results[0].code, 'not_found');
  });

  it('bulk forward, priority and tags', async () => {
    const fwd = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.j.id, t.c.id], action: { type: 'forward', departmentId: billing, reason: '涉及退款' } })).json();
    assert.equal(fwd.succeeded, 3, JSON.stringify(fwd));
    assert.equal((await ticket('j')).departmentId, billing);
    assert.equal((await ticket('j')).assigneeId, null, 'forwarding leaves the assignee, as for one ticket');
    const again = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.j.id], action: { type: 'forward', departmentId: billing, reason: 'x' } })).json();
    assert.equal(again.results[0].code, 'validation');
    const history = (await admin.get(`/api/v1/tickets/${t.j.id}`)).json().history.filter((h: { action: string }) => h.action === 'forwarded');
    assert.equal(history[0].reason, '涉及退款');
    const foreign = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.j.id], action: { type: 'forward', departmentId: crypto.randomUUID(), reason: 'x' } })).json();
    assert.equal(foreign.results[0].code, 'not_found');

    assert.equal((await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.j.id], action: { type: 'priority', priority: 'urgent' } })).json().succeeded, 2);
    assert.equal((await ticket('i')).priority, 'urgent');

    await admin.patch(`/api/v1/tickets/${t.i.id}`, { tags: ['vip'] });
    const added = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.j.id], action: { type: 'add_tags', tags: ['refund', 'vip'] } })).json();
    assert.equal(added.succeeded, 2);
    assert.deepEqual((await ticket('i')).tags, ['vip', 'refund'], 'tags already there stay once');
    assert.deepEqual((await ticket('j')).tags, ['refund', 'vip']);
    const removed = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id, t.j.id], action: { type: 'remove_tags', tags: ['vip'] } })).json();
    assert.equal(removed.succeeded, 2);
    assert.deepEqual([(await ticket('i')).tags, (await ticket('j')).tags], [['refund'], ['refund']]);
    const many = Array.from({ length: 30 }, (_, n) => `t${n}`);
    const tooMany = (await admin.post('/api/v1/tickets/bulk', { ticketIds: [t.i.id], action: { type: 'add_tags', tags: many } })).json();
    assert.equal(tooMany.results[0].code, 'validation');
    assert.deepEqual((await ticket('i')).tags, ['refund'], 'refused whole, not cut');
  });

  it('bulk input is checked up front: 1 to 200 distinct ids and a known action, else a 400 that says why', async () => {
    const ids = Array.from({ length: 201 }, () => crypto.randomUUID());
    const cases: Array<[unknown, RegExp]> = [
      [{ ticketIds: [], action: { type: 'status', status: 'open' } }, /ticketIds/],
      [{ ticketIds: ids, action: { type: 'status', status: 'open' } }, /ticketIds/],
      [{ ticketIds: [t.a.id, t.a.id], action: { type: 'status', status: 'open' } }, /ticketIds/],
      [{ ticketIds: [t.a.id], action: { type: 'explode' } }, /action/],
      [{ ticketIds: [t.a.id], action: { type: 'forward', departmentId: billing } }, /action/],
      [{ ticketIds: [t.a.id], action: { type: 'status', status: 'gone' } }, /action/],
      [{ ticketIds: [t.a.id] }, /action/],
    ];
    for (const [body, why] of cases) {
      const res = await admin.post('/api/v1/tickets/bulk', body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`);
      assert.match(res.json().message, why);
    }
    assert.equal((await ticket('a')).status, 'resolved', 'nothing changed');
  });
});
