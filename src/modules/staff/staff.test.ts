import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

describe('staff, roles, departments and teams', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let agentRoleId: string;
  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    agentRoleId = (await admin.get('/api/v1/roles')).json().items.find((r: { builtin: string }) => r.builtin === 'agent').id;
  });
  after(async () => { await srv.close(); });

  it('custom roles: create, rename, change permissions, refuse duplicates and unknown permissions, delete when unused', async () => {
    const created = await admin.post('/api/v1/roles', { name: '质检员', description: 'QA', permissions: ['reports.view', 'audit.view'] });
    assert.equal(created.statusCode, 201, created.body);
    const role = created.json();
    assert.deepEqual(role.permissions, ['reports.view', 'audit.view']);
    assert.equal((await admin.post('/api/v1/roles', { name: '质检员', permissions: [] })).statusCode, 409);
    const unknown = await admin.post('/api/v1/roles', { name: 'x2', permissions: ['tickets.destroy_everything'] });
    assert.equal(unknown.statusCode, 400);
    const patched = await admin.patch(`/api/v1/roles/${role.id}`, { name: '质检主管', permissions: ['reports.view'] });
    assert.equal(patched.json().name, '质检主管');
    assert.deepEqual(patched.json().permissions, ['reports.view']);

    await admin.post('/api/v1/staff/invitations', { email: 'qa@acme.test', name: 'QA', roleId: role.id });
    const inUse = await admin.del(`/api/v1/roles/${role.id}`);
    assert.equal(inUse.statusCode, 409);
    assert.equal(inUse.json().code, 'role_in_use');
    const qa = (await admin.get('/api/v1/staff?q=qa@')).json().items[0];
    assert.equal((await admin.del(`/api/v1/staff/${qa.id}/invitation`)).statusCode, 200);
    assert.equal((await admin.del(`/api/v1/roles/${role.id}`)).statusCode, 200);
    assert.equal((await admin.get(`/api/v1/roles/${role.id}`)).statusCode, 404);
  });

  it('built-in roles keep their permissions and cannot be deleted', async () => {
    const roles = (await admin.get('/api/v1/roles')).json().items;
    const adminRole = roles.find((r: { builtin: string }) => r.builtin === 'admin');
    assert.equal((await admin.patch(`/api/v1/roles/${adminRole.id}`, { permissions: [] })).json().code, 'builtin_role');
    assert.equal((await admin.del(`/api/v1/roles/${agentRoleId}`)).json().code, 'builtin_role');
    assert.equal((await admin.patch(`/api/v1/roles/${agentRoleId}`, { description: '一线客服' })).statusCode, 200);
  });

  it('the department tree: nest, move, refuse loops, refuse deleting a parent, members', async () => {
    const staff = (await admin.get('/api/v1/staff')).json().items;
    const root = (await admin.post('/api/v1/departments', { name: '客服中心' })).json();
    const child = (await admin.post('/api/v1/departments', { name: '售后', parentId: root.id, memberIds: [staff[0].id] })).json();
    const grandchild = (await admin.post('/api/v1/departments', { name: '退换货', parentId: child.id })).json();
    assert.deepEqual(child.memberIds, [staff[0].id]);
    const loop = await admin.patch(`/api/v1/departments/${root.id}`, { parentId: grandchild.id });
    assert.equal(loop.json().code, 'department_cycle');
    assert.equal((await admin.patch(`/api/v1/departments/${root.id}`, { parentId: root.id })).json().code, 'department_cycle');
    assert.equal((await admin.del(`/api/v1/departments/${child.id}`)).json().code, 'department_not_empty');
    const moved = await admin.patch(`/api/v1/departments/${grandchild.id}`, { parentId: root.id });
    assert.equal(moved.json().parentId, root.id);
    const toTop = await admin.patch(`/api/v1/departments/${grandchild.id}`, { parentId: null });
    assert.equal(toTop.json().parentId, null);
    assert.equal((await admin.del(`/api/v1/departments/${child.id}`)).statusCode, 200);
    const me = (await admin.get(`/api/v1/staff/${staff[0].id}`)).json();
    assert.ok(!me.departmentIds.includes(child.id), 'membership goes with the department');
  });

  it('teams with a lead and members; staff edits of role, level, skills, departments and teams', async () => {
    const dept = (await admin.post('/api/v1/departments', { name: '技术支持' })).json();
    const inv = (await admin.post('/api/v1/staff/invitations', { email: 'wang@acme.test', name: '王五', roleId: agentRoleId, departmentIds: [dept.id], level: 2 })).json();
    assert.deepEqual(inv.departmentIds, [dept.id]);
    assert.equal(inv.level, 2);
    const team = await admin.post('/api/v1/teams', { name: '夜班', departmentId: dept.id, leadId: admin.userId, memberIds: [admin.userId, inv.id] });
    assert.equal(team.statusCode, 201, team.body);
    assert.equal((await admin.post('/api/v1/teams', { name: '夜班' })).statusCode, 409);
    const edited = await admin.patch(`/api/v1/staff/${inv.id}`, { level: 4, skills: ['宽带', 'billing'], teamIds: [] });
    assert.equal(edited.statusCode, 200, edited.body);
    assert.equal(edited.json().level, 4);
    assert.deepEqual(edited.json().skills, ['宽带', 'billing']);
    assert.deepEqual(edited.json().teamIds, []);
    assert.deepEqual((await admin.get(`/api/v1/teams/${team.json().id}`)).json().memberIds, [admin.userId]);
    assert.equal((await admin.patch(`/api/v1/staff/${inv.id}`, { level: 9 })).statusCode, 400);
  });

  it('never lets a company lock itself out: the last admin cannot be demoted, nobody disables themselves', async () => {
    const self = await admin.patch(`/api/v1/staff/${admin.userId}`, { status: 'disabled' });
    assert.equal(self.json().code, 'self_action');
    const demote = await admin.patch(`/api/v1/staff/${admin.userId}`, { roleId: agentRoleId });
    assert.equal(demote.statusCode, 409);
    assert.equal(demote.json().code, 'last_admin');
    const me = (await admin.get('/api/v1/auth/me')).json();
    assert.equal(me.role.builtin, 'admin', 'the refused change left nothing behind');
  });

  it('disabling an account ends its sessions at once', async () => {
    await admin.post('/api/v1/staff/invitations', { email: 'temp@acme.test', name: 'Temp', roleId: agentRoleId });
    await srv.drain();
    const mail = (await admin.get('/api/v1/outbox?to=temp@')).json().items[0];
    const token = decodeURIComponent(mail.text.match(/token=([^\s]+)/)[1]);
    await acme.request('POST', '/api/v1/auth/activate', { token, password: 'temp-password' });
    const temp = await acme.login('temp@acme.test', 'temp-password');
    assert.equal((await admin.patch(`/api/v1/staff/${temp.userId}`, { status: 'disabled' })).statusCode, 200);
    assert.equal((await temp.get('/api/v1/auth/me')).statusCode, 401);
    const again = await acme.request('POST', '/api/v1/auth/login', { email: 'temp@acme.test', password: 'temp-password' });
    assert.equal(again.json().code, 'account_disabled');
  });

  it('every admin change is in the audit log with who, what, before and after', async () => {
    const role = (await admin.post('/api/v1/roles', { name: 'Auditor', permissions: ['audit.view'] })).json();
    await admin.patch(`/api/v1/roles/${role.id}`, { permissions: ['audit.view', 'reports.view'] });
    const log = (await admin.get('/api/v1/audit-log?action=role.update')).json();
    const entry = log.items.find((e: { targetId: string }) => e.targetId === role.id);
    assert.ok(entry);
    assert.equal(entry.actorId, admin.userId);
    assert.equal(entry.actorName, 'acme admin');
    assert.deepEqual(entry.before.permissions, ['audit.view']);
    assert.deepEqual(entry.after.permissions, ['audit.view', 'reports.view']);
    const all = (await admin.get('/api/v1/audit-log?limit=200')).json();
    const actions = new Set(all.items.map((e: { action: string }) => e.action));
    for (const a of ['tenant.create', 'role.create', 'staff.invite', 'department.create', 'team.create', 'staff.update']) assert.ok(actions.has(a), `audit has ${a}`);
    assert.ok(!JSON.stringify(all).includes('scrypt$'), 'no password hash ever reaches the log');
  });
});
