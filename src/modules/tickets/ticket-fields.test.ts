import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM } from '../auth/actor.ts';
import { ingest } from './tickets.service.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

type Field = { id: string; key: string; kind: string; required: boolean; active: boolean; options: unknown[]; validation: Record<string, unknown>; sortOrder: number };

describe('custom ticket fields', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let agent: Client;
  let enAdmin: Client;
  let plan: Field;
  let amount: Field;
  let visit: Field;
  let contract: Field;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    agent = await acme.agent('agent@acme.test');
    // A second administrator who reads English: the signed-in person's language decides the messages.
    const adminRole = (await admin.get('/api/v1/roles')).json().items.find((r: { builtin: string | null }) => r.builtin === 'admin').id;
    enAdmin = await acme.agent('en.admin@acme.test', { roleId: adminRole });
    assert.equal((await enAdmin.patch('/api/v1/auth/me', { locale: 'en' })).statusCode, 200);
  });
  after(async () => { await srv.close(); });

  const create = async (body: Record<string, unknown>) => {
    const res = await admin.post('/api/v1/ticket-fields', body);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Field;
  };
  /** A ticket opened by the admin with these custom values (201 expected). */
  const ticket = async (customFields: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const res = await admin.post('/api/v1/tickets', { subject: '报修', body: '路由器坏了', customFields, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; customFields: Record<string, unknown> };
  };
  const detail = async (id: string) => (await admin.get(`/api/v1/tickets/${id}`)).json();

  it('an administrator defines fields of each kind; everyone on staff reads them in order; agents cannot define them', async () => {
    plan = await create({ key: 'plan', labelZh: '套餐', labelEn: 'Plan', kind: 'select', sortOrder: 1,
      options: [{ value: 'gold', labelZh: '金卡', labelEn: 'Gold' }, { value: 'silver', labelZh: '银卡', labelEn: 'Silver' }] });
    amount = await create({ key: 'amount', labelZh: '金额', labelEn: 'Amount', kind: 'number', sortOrder: 2, validation: { min: 0, max: 5000, integer: true } });
    visit = await create({ key: 'visit_date', labelZh: '上门日期', labelEn: 'Visit date', kind: 'date', sortOrder: 3, validation: { min: '2026-01-01' } });
    assert.deepEqual(plan.options.length, 2);
    assert.deepEqual(amount.validation, { min: 0, max: 5000, integer: true });
    assert.equal(visit.active, true);
    assert.equal(visit.required, false);

    const list = await agent.get('/api/v1/ticket-fields');
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().items.map((f: Field) => f.key), ['plan', 'amount', 'visit_date']);

    const denied = await agent.post('/api/v1/ticket-fields', { key: 'x', labelZh: 'x', labelEn: 'x', kind: 'text' });
    assert.equal(denied.statusCode, 403);
    assert.equal((await agent.patch(`/api/v1/ticket-fields/${plan.id}`, { labelZh: '改' })).statusCode, 403);

    const audit = (await admin.get('/api/v1/audit-log?action=ticket_field.create')).json().items;
    assert.equal(audit.length, 3);
    assert.equal(audit.find((a: { targetId: string }) => a.targetId === amount.id).after.key, 'amount');
  });

  it('refuses unsound definitions with a clear 4xx: duplicate key, bad key, options off a select, ranges upside down, kind changes', async () => {
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ key: 'plan', labelZh: '重复', labelEn: 'Dup', kind: 'text' }, 409, /plan/],
      [{ key: 'Plan', labelZh: 'x', labelEn: 'x', kind: 'text' }, 400, /key/],
      [{ key: '1plan', labelZh: 'x', labelEn: 'x', kind: 'text' }, 400, /key/],
      [{ key: 'k'.repeat(41), labelZh: 'x', labelEn: 'x', kind: 'text' }, 400, /key/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'select' }, 400, /at least one option/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'select', options: [{ value: 'a', labelZh: 'a', labelEn: 'a' }, { value: 'a', labelZh: 'b', labelEn: 'b' }] }, 400, /share the value "a"/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'text', options: [{ value: 'a', labelZh: 'a', labelEn: 'a' }] }, 400, /Only select fields/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'number', validation: { min: 10, max: 1 } }, 400, /minimum is above the maximum/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'text', validation: { pattern: '^(a+)+$' } }, 400, /pattern|additional/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'text', validation: { maxLength: 10_001 } }, 400, /maxLength/],
      [{ key: 'colour', labelZh: 'x', labelEn: 'x', kind: 'select', options: Array.from({ length: 201 }, (_, i) => ({ value: `v${i}`, labelZh: 'x', labelEn: 'x' })) }, 400, /options/],
    ];
    for (const [body, status, message] of cases) {
      const res = await enAdmin.request('POST', '/api/v1/ticket-fields', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 80)} → ${res.body}`);
      assert.match(res.json().message, message);
    }
    const kind = await enAdmin.request('PATCH', `/api/v1/ticket-fields/${amount.id}`, { kind: 'text' });
    assert.equal(kind.statusCode, 400);
    assert.match(kind.json().message, /kind cannot change/);
    const zh = await admin.patch(`/api/v1/ticket-fields/${amount.id}`, { kind: 'text' });
    assert.match(zh.json().message, /不能更改类型/, 'the message follows the caller\'s language');
    const key = await admin.patch(`/api/v1/ticket-fields/${amount.id}`, { key: 'other' });
    assert.equal(key.statusCode, 400, 'the key is fixed');
    const bounds = await enAdmin.request('PATCH', `/api/v1/ticket-fields/${visit.id}`, { validation: { min: 5 } });
    assert.equal(bounds.statusCode, 400);
    assert.match(bounds.json().message, /valid dates/);
    assert.equal((await admin.get('/api/v1/ticket-fields')).json().total, 3, 'nothing was stored by the refused writes');
  });

  it('tickets store valid values, numbers as numbers; invalid ones are refused with the field\'s label, in the caller\'s language', async () => {
    const t = await ticket({ plan: 'gold', amount: 120, visit_date: '2026-05-04' });
    assert.deepEqual(t.customFields, { plan: 'gold', amount: 120, visit_date: '2026-05-04' });
    const stored = (await detail(t.id)).ticket.customFields;
    assert.deepEqual(stored, { plan: 'gold', amount: 120, visit_date: '2026-05-04' });
    assert.equal(typeof stored.amount, 'number');

    const refused: Array<[Record<string, unknown>, string, string]> = [
      [{ amount: 5001 }, '金额：不能大于 5000', 'Amount: must be at most 5000'],
      [{ amount: -1 }, '金额：不能小于 0', 'Amount: must be at least 0'],
      [{ amount: 1.5 }, '金额：应为整数', 'Amount: must be a whole number'],
      [{ amount: '12' }, '金额：应为数字', 'Amount: must be a number'],
      [{ plan: 'bronze' }, '套餐："bronze" 不是可选的选项', 'Plan: "bronze" is not one of the options'],
      [{ visit_date: '2026-02-30' }, '上门日期：应为有效日期（YYYY-MM-DD）', 'Visit date: must be a valid date (YYYY-MM-DD)'],
      [{ visit_date: '2025-12-31' }, '上门日期：不能早于 2026-01-01', 'Visit date: must be on or after 2026-01-01'],
      [{ colour: 'red' }, 'colour：没有这个字段', 'colour: there is no such field'],
    ];
    for (const [values, zh, en] of refused) {
      const inZh = await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: values });
      assert.equal(inZh.statusCode, 400, JSON.stringify(values));
      assert.equal(inZh.json().message, `请求参数不正确: ${zh}`);
      const inEn = await enAdmin.request('POST', '/api/v1/tickets', { subject: 's', body: 'b', customFields: values });
      assert.equal(inEn.statusCode, 400, JSON.stringify(values));
      assert.equal(inEn.json().message, `The request is not valid: ${en}`);
    }
    assert.deepEqual((await detail(t.id)).ticket.customFields, { plan: 'gold', amount: 120, visit_date: '2026-05-04' }, 'refused writes changed nothing');
    const tooMany = await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 1])) });
    assert.equal(tooMany.statusCode, 400);
    const nested = await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: { plan: ['gold'] } });
    assert.equal(nested.statusCode, 400);
  });

  it('a change is kept key by key: null clears, the history holds cf.<key>: [before, after]', async () => {
    const t = await ticket({ plan: 'gold', amount: 10 });
    const created = (await detail(t.id)).history.find((h: { action: string }) => h.action === 'created');
    assert.deepEqual(created.changes['cf.plan'], [null, 'gold']);
    assert.deepEqual(created.changes['cf.amount'], [null, 10]);

    // an agent (no settings permission) fills fields in like any other ticket property
    const patched = await agent.patch(`/api/v1/tickets/${t.id}`, { customFields: { amount: 20, plan: null, visit_date: '2026-06-01' } });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json().customFields, { amount: 20, visit_date: '2026-06-01' });
    const d = await detail(t.id);
    const updated = d.history.filter((h: { action: string }) => h.action === 'updated').at(-1);
    assert.deepEqual(updated.changes, { 'cf.amount': [10, 20], 'cf.plan': ['gold', null], 'cf.visit_date': [null, '2026-06-01'] });

    // the same values again: no change, no history line
    const again = await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: { amount: 20 } });
    assert.equal(again.statusCode, 200);
    assert.equal((await detail(t.id)).history.length, d.history.length);

    // other fields and custom fields in one write: one history line with both
    await admin.patch(`/api/v1/tickets/${t.id}`, { priority: 'urgent', customFields: { amount: 30 } });
    const both = (await detail(t.id)).history.at(-1);
    assert.deepEqual(both.changes, { priority: ['normal', 'urgent'], 'cf.amount': [20, 30] });
  });

  it('required fields: asked for on tickets opened by hand, never cleared, not asked of channels (ingest)', async () => {
    contract = await create({ key: 'contract_no', labelZh: '合同号', labelEn: 'Contract no.', kind: 'text', required: true, validation: { maxLength: 20 }, sortOrder: 0 });
    const missing = await enAdmin.request('POST', '/api/v1/tickets', { subject: 's', body: 'b' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().message, 'The request is not valid: Contract no.: is required');
    const blank = await admin.post('/api/v1/tickets', { subject: 's', body: 'b', customFields: { contract_no: '   ' } });
    assert.equal(blank.statusCode, 400);
    assert.match(blank.json().message, /合同号：必填/);
    const t = await ticket({ contract_no: '  HT-001  ' });
    assert.equal(t.customFields.contract_no, 'HT-001', 'text is trimmed');
    const cleared = await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: { contract_no: null } });
    assert.equal(cleared.statusCode, 400);
    assert.match(cleared.json().message, /合同号：必填/);
    // updates of other fields do not ask for it on tickets that predate it
    const older = (await admin.get('/api/v1/tickets?view=all&limit=200')).json().items.find((x: { customFields: Record<string, unknown> }) => !('contract_no' in x.customFields));
    assert.ok(older);
    assert.equal((await admin.patch(`/api/v1/tickets/${older.id}`, { customFields: { amount: 1 } })).statusCode, 200);
    // a channel cannot fill the field, so an inbound email still becomes a ticket, with no values
    const inbound = await ingest({ db: srv.database.db, tenantId: acme.id, actor: SYSTEM, publicUrl: '' },
      { channel: 'email', externalId: '<cf-1@example.com>', identity: { kind: 'email', value: 'cf@example.com' }, subject: '来信', body: '你好' });
    assert.equal(inbound.created, true);
    assert.deepEqual((await detail(inbound.ticketId)).ticket.customFields, {});
  });

  it('retiring a field hides it from writes but keeps stored values; restoring it makes it writable again', async () => {
    const t = await ticket({ contract_no: 'HT-2', plan: 'silver' });
    const retired = await admin.patch(`/api/v1/ticket-fields/${plan.id}`, { active: false });
    assert.equal(retired.statusCode, 200);
    assert.equal(retired.json().active, false);
    assert.equal((await detail(t.id)).ticket.customFields.plan, 'silver', 'the stored value stays');
    const write = await enAdmin.request('PATCH', `/api/v1/tickets/${t.id}`, { customFields: { plan: 'gold' } });
    assert.equal(write.statusCode, 400);
    assert.match(write.json().message, /Plan: this field is retired/);
    assert.equal((await agent.get('/api/v1/ticket-fields')).json().items.find((f: Field) => f.key === 'plan').active, false, 'listed, marked retired');
    // a retired required field is not asked for
    await admin.patch(`/api/v1/ticket-fields/${contract.id}`, { active: false });
    await ticket({});
    await admin.patch(`/api/v1/ticket-fields/${contract.id}`, { active: true });
    const restored = await admin.patch(`/api/v1/ticket-fields/${plan.id}`, { active: true, labelEn: 'Service plan', options: [{ value: 'gold', labelZh: '金卡', labelEn: 'Gold' }] });
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal((await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: { plan: 'gold' } })).statusCode, 200);
    const update = (await admin.get('/api/v1/audit-log?action=ticket_field.update')).json().items[0];
    assert.equal(update.before.labelEn, 'Plan');
    assert.equal(update.after.labelEn, 'Service plan');
  });

  it('automation rules match custom field values (select, number range) and refuse unknown fields', async () => {
    const unknown = await enAdmin.request('POST', '/api/v1/automation-rules', {
      name: 'bad', trigger: 'ticket.created', conditions: { all: [{ field: 'cf.nope', op: 'equals', value: 'x' }] }, actions: [{ type: 'add_tags', tags: ['x'] }],
    });
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().message, /nope/);
    const rule = await admin.post('/api/v1/automation-rules', {
      name: '大额金卡', trigger: 'ticket.updated',
      conditions: { all: [{ field: 'cf.plan', op: 'in', value: ['gold'] }, { field: 'cf.amount', op: 'gte', value: 1000 }] },
      actions: [{ type: 'add_tags', tags: ['大额'] }],
    });
    assert.equal(rule.statusCode, 201, rule.body);
    assert.equal(rule.json().conditions.all[1].value, 1000, 'a number stays a number (not coerced to text)');
    const t = await ticket({ contract_no: 'HT-3', plan: 'gold', amount: 999 });
    await admin.patch(`/api/v1/tickets/${t.id}`, { subject: '报修（已联系）' });
    await srv.drain();
    assert.deepEqual((await detail(t.id)).ticket.tags, [], '999 is below the rule\'s 1000');
    await admin.patch(`/api/v1/tickets/${t.id}`, { customFields: { amount: 1000 } });
    await srv.drain();
    assert.deepEqual((await detail(t.id)).ticket.tags, ['大额']);
  });

  it('one company never sees or writes another\'s fields', async () => {
    const globex = await srv.tenant('globex');
    const gAdmin = await globex.admin();
    await gAdmin.patch('/api/v1/auth/me', { locale: 'en' });
    assert.deepEqual((await gAdmin.get('/api/v1/ticket-fields')).json().items, []);
    const patch = await gAdmin.patch(`/api/v1/ticket-fields/${amount.id}`, { labelZh: '偷改' });
    assert.equal(patch.statusCode, 404);
    // acme's keys mean nothing in globex
    const write = await gAdmin.request('POST', '/api/v1/tickets', { subject: 's', body: 'b', customFields: { amount: 1 } });
    assert.equal(write.statusCode, 400);
    assert.match(write.json().message, /amount: there is no such field/);
    // the same key may exist in both companies, each with its own rules
    const own = await gAdmin.post('/api/v1/ticket-fields', { key: 'amount', labelZh: '数额', labelEn: 'Sum', kind: 'text' });
    assert.equal(own.statusCode, 201);
    const gt = await gAdmin.post('/api/v1/tickets', { subject: 's', body: 'b', customFields: { amount: '一百' } });
    assert.equal(gt.statusCode, 201, gt.body);
    assert.equal((await admin.get('/api/v1/ticket-fields')).json().items.find((f: Field) => f.key === 'amount').labelZh, '金额');
  });
});
