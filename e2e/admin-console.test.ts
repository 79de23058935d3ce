/**
 * The rest of the admin center and the profile, driven through the UI and checked through the API:
 * the department tree, teams, editing an account, the audit diff, presence, API tokens, sign-out.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { AuditView } from '../src/contracts/admin.ts';
import type { MeView } from '../src/contracts/auth.ts';
import type { DepartmentView, StaffView, TeamView } from '../src/contracts/staff.ts';
import { choose, skipReason, startE2E, TENANT, type ApiResponse, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

let e2e: E2E;
let page: Page;
let admin: <T = unknown>(method: string, url: string, body?: unknown) => Promise<ApiResponse<T>>;

before(async () => {
  if (skip) return;
  e2e = await startE2E('admin');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  page = (await e2e.newPage()).page;
  await page.goto(`${e2e.baseUrl}/login`);
  await page.getByTestId('login-email').fill(TENANT.adminEmail);
  await page.getByTestId('login-password').fill(TENANT.adminPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('workspace').waitFor();
});
after(async () => { await e2e?.close(); });

const departments = async () => (await admin<{ items: DepartmentView[] }>('GET', '/api/v1/departments')).body.items;
const byName = (list: DepartmentView[], name: string) => list.find((d) => d.name === name);


async function createDepartment(name: string) {
  await page.getByTestId('department-create').click();
  await page.getByTestId('department-create-name').fill(name);
  await page.getByTestId('department-create-submit').click();
  await page.getByTestId(`department-node-${name}`).waitFor();
}

test('departments: create, nest, rename, move, set members, delete; the audit log shows the change', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-departments').click();
  await createDepartment('华东大区');
  await createDepartment('华南大区');

  // A new department goes under the selected one.
  await page.getByTestId('department-node-华东大区').click();
  await createDepartment('一线客服');
  let list = await departments();
  assert.equal(byName(list, '一线客服')?.parentId, byName(list, '华东大区')!.id);

  // Rename it, move it under the other region and make the admin a member, in one save.
  await page.getByTestId('department-node-一线客服').click();
  await page.getByTestId('department-name').fill('一线客服组');
  await choose(page, 'department-parent', '华南大区');
  await choose(page, 'department-members', `${TENANT.adminName} · ${TENANT.adminEmail}`, { multiple: true });
  await page.getByTestId('department-save').click();
  await page.getByTestId('department-node-一线客服组').waitFor();
  list = await departments();
  const moved = byName(list, '一线客服组');
  assert.ok(moved, 'renamed');
  assert.equal(moved.parentId, byName(list, '华南大区')!.id, 'moved under 华南大区');
  assert.equal(moved.memberIds.length, 1);
  await page.getByTestId('department-node-一线客服组').getByText('1 人').waitFor();
  await e2e.shot(page, '01-departments');

  // A department with sub-departments cannot be deleted: the server's message is shown.
  await page.getByTestId('department-node-华南大区').click();
  await page.getByTestId('department-delete').click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /删\s*除/ }).click();
  await page.locator('.ant-message').getByText('部门下还有子部门，无法删除').waitFor();
  assert.ok(byName(await departments(), '华南大区'), 'still there');

  // An empty one can.
  await page.getByTestId('department-node-华东大区').click();
  await page.getByTestId('department-delete').click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /删\s*除/ }).click();
  await page.getByTestId('department-node-华东大区').waitFor({ state: 'detached' });
  assert.equal(byName(await departments(), '华东大区'), undefined);

  // The audit log lists the rename with its values before and after.
  const audit = (await admin<{ items: AuditView[] }>('GET', '/api/v1/audit-log?action=department.update')).body.items;
  assert.ok(audit.length >= 1);
  await page.getByTestId('nav-audit').click();
  await choose(page, 'audit-filter', '修改部门 · department.update');
  const firstRow = page.getByTestId('audit-table').locator('tr.ant-table-row').first();
  await firstRow.getByText('department.update').waitFor();
  await firstRow.locator('.ant-table-row-expand-icon').click();
  const diff = page.getByTestId('audit-diff').first();
  await diff.getByText('一线客服组').waitFor();
  await diff.getByText('一线客服', { exact: true }).waitFor();
  await e2e.shot(page, '02-audit-diff');
});

test('teams: create one with a department, a lead and members', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-teams').click();
  await page.getByTestId('team-create').click();
  await page.getByTestId('team-name').fill('夜班组');
  await choose(page, 'team-department', '华南大区');
  await choose(page, 'team-lead', `${TENANT.adminName} · ${TENANT.adminEmail}`);
  await choose(page, 'team-members', `${TENANT.adminName} · ${TENANT.adminEmail}`, { multiple: true });
  await page.getByTestId('team-submit').click();
  await page.getByTestId('teams-table').getByText('夜班组').waitFor();
  const teams = (await admin<{ items: TeamView[] }>('GET', '/api/v1/teams')).body.items;
  const team = teams.find((x) => x.name === '夜班组');
  assert.ok(team);
  const me = (await admin<MeView>('GET', '/api/v1/auth/me')).body;
  assert.equal(team.leadId, me.id);
  assert.deepEqual(team.memberIds, [me.id]);
  assert.equal(team.departmentId, byName(await departments(), '华南大区')!.id);
  await e2e.shot(page, '03-teams');
});

test('staff: edit level and skills in the drawer', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-staff').click();
  await page.getByTestId(`staff-edit-${TENANT.adminEmail}`).click();
  const drawer = page.getByTestId('staff-drawer');
  await drawer.locator('.ant-slider-mark-text', { hasText: 'L4' }).click();
  await page.getByTestId('staff-skills').click();
  await page.keyboard.type('退款');
  await page.keyboard.press('Enter');
  await page.keyboard.type('English');
  await page.keyboard.press('Enter');
  await e2e.shot(page, '04-staff-drawer');
  await page.getByTestId('staff-save').click();
  await drawer.waitFor({ state: 'hidden' });
  const staff = (await admin<{ items: StaffView[] }>('GET', `/api/v1/staff?q=${encodeURIComponent(TENANT.adminEmail)}`)).body.items[0];
  assert.equal(staff.level, 4);
  assert.deepEqual(staff.skills, ['退款', 'English']);
  await page.getByTestId(`staff-row-${TENANT.adminEmail}`).getByText('L4').waitFor();
});

test('workspace presence switch and profile API tokens', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-workspace').click();
  await page.getByTestId('presence-online').click();
  await page.getByTestId('team-presence').getByText('1 人在线').waitFor();
  assert.equal((await admin<MeView>('GET', '/api/v1/auth/me')).body.presence, 'online');
  await e2e.shot(page, '05-workspace-online');

  await page.getByTestId('user-menu').click();
  await page.getByTestId('menu-profile').click();
  await page.getByTestId('sessions-table').getByText('当前设备').waitFor();
  await page.getByTestId('token-name').fill('CRM 同步');
  await page.getByTestId('token-create').click();
  const value = page.getByTestId('token-value');
  await value.waitFor();
  const token = (await value.textContent())?.trim() ?? '';
  assert.ok(token.length > 20, `token shown once: ${token}`);
  await e2e.shot(page, '06-token-created');
  await page.getByTestId('token-done').click();

  const call = async () => (await e2e.kefu.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { host: new URL(e2e.baseUrl).host, authorization: `Bearer ${token}` } })).statusCode;
  assert.equal(await call(), 200, 'the token works');
  await page.getByTestId('token-revoke-CRM 同步').click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /吊\s*销/ }).click();
  await page.getByTestId('tokens-table').getByText('已吊销').waitFor();
  assert.equal(await call(), 401, 'the revoked token is refused');
  await e2e.shot(page, '07-profile');
});

test('invitations: resend sends a fresh link, withdraw removes the account; built-in roles are read-only', { skip: skip ?? false }, async () => {
  const email = 'zhao.lei@e2e.test';
  const roles = (await admin<{ items: { id: string; builtin: string | null }[] }>('GET', '/api/v1/roles')).body.items;
  const agentRole = roles.find((r) => r.builtin === 'agent')!;
  assert.equal((await admin('POST', '/api/v1/staff/invitations', { email, name: '赵磊', roleId: agentRole.id })).status, 201);
  const mailsTo = async () => (await admin<{ items: { purpose: string }[] }>('GET', `/api/v1/outbox?to=${encodeURIComponent(email)}`)).body.items;
  assert.equal((await mailsTo()).length, 1);

  await page.getByTestId('nav-staff').click();
  const row = page.getByTestId(`staff-row-${email}`);
  await row.getByText('待激活').waitFor(); // the invitation made by another client shows up (live or on load)
  await page.getByTestId(`staff-resend-${email}`).click();
  await page.locator('.ant-message').getByText(`已向 ${email} 重新发送邀请`).waitFor();
  assert.equal((await mailsTo()).length, 2, 'a second invitation mail');

  await page.getByTestId(`staff-withdraw-${email}`).click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: /撤\s*回/ }).click();
  await row.waitFor({ state: 'detached' });
  const left = (await admin<{ items: StaffView[] }>('GET', `/api/v1/staff?q=${encodeURIComponent(email)}`)).body.items;
  assert.equal(left.length, 0, 'the invited account is gone');

  // The built-in agent role: its permissions are shown but cannot be changed, and it cannot be deleted.
  await page.getByTestId('nav-roles').click();
  const edit = page.getByTestId('role-edit-客服'); // the built-in agent role, named in the company's language
  const agentRow = edit.locator('xpath=ancestor::tr');
  assert.ok(await agentRow.getByRole('button', { name: /删\s*除/ }).isDisabled(), 'no delete for a built-in role');
  await edit.click();
  await page.getByTestId('role-name').waitFor();
  assert.equal(await page.getByTestId('role-name').inputValue(), '客服');
  const held = page.getByTestId('perm-tickets.view_department');
  const notHeld = page.getByTestId('perm-audit.view');
  assert.ok(await held.isChecked(), 'its permission is shown');
  assert.ok(!(await notHeld.isChecked()));
  assert.ok(await held.isDisabled() && await notHeld.isDisabled(), 'read-only');
  await e2e.shot(page, '08-builtin-role');
  await page.keyboard.press('Escape');
});

test('profile: change the password (the new one signs in), then sign out everywhere', { skip: skip ?? false }, async () => {
  const newPassword = 'changed-password-9';
  await page.getByTestId('user-menu').click();
  await page.getByTestId('menu-profile').click();
  await page.getByTestId('current-password').fill('wrong-current-password');
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('new-password-confirm').fill(newPassword);
  await page.getByTestId('password-save').click();
  await page.locator('.ant-message').getByText('当前密码不正确').waitFor();
  await page.getByTestId('current-password').fill(TENANT.adminPassword);
  await page.getByTestId('password-save').click();
  await page.locator('.ant-message').getByText('密码已修改，其他设备已退出登录').waitFor();
  // The API client signed in earlier with the old password was one of the "other devices".
  assert.equal((await admin('GET', '/api/v1/auth/me')).status, 401);
  admin = await e2e.api(TENANT.adminEmail, newPassword);

  await page.getByTestId('logout-everywhere').click();
  await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '退出所有设备' }).click();
  await page.waitForURL(/\/login$/);
  await page.getByTestId('login-notice').waitFor();
  assert.equal((await admin('GET', '/api/v1/auth/me')).status, 401, 'every session ended');

  await page.getByTestId('login-email').fill(TENANT.adminEmail);
  await page.getByTestId('login-password').fill(newPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('workspace').waitFor();
});

test('sign out from the user menu', { skip: skip ?? false }, async () => {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('menu-logout').click();
  await page.waitForURL(/\/login$/);
  await page.goto(`${e2e.baseUrl}/profile`);
  await page.waitForURL(/\/login$/);
  await page.getByTestId('login-email').waitFor();
});
