/**
 * The acceptance flow: an administrator switches the language, creates a role, invites an agent with
 * it, reads the invitation in the outbox; the agent activates, signs in and sees only what the role allows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { MeView } from '../src/contracts/auth.ts';
import type { OutboxMailView } from '../src/contracts/admin.ts';
import type { RoleView, StaffView } from '../src/contracts/staff.ts';
import { choose, skipReason, startE2E, TENANT, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const ROLE = { name: '质检专员', permissions: ['audit.view', 'tickets.view_department'] };
const AGENT = { email: 'li.na@e2e.test', name: '李娜', password: 'agent-password-1' };

let e2e: E2E;
before(async () => { if (!skip) e2e = await startE2E('onboarding'); });
after(async () => { await e2e?.close(); });

async function signIn(page: Page, email: string, password: string) {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('workspace').waitFor();
}

/** Waits until the element with this test id shows exactly `text`. */
async function waitForText(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  assert.equal((await page.getByTestId(testId).textContent())?.trim(), text);
}

test('admin creates a role, invites an agent; the agent activates from the outbox link and sees only what the role allows', { skip: skip ?? false }, async () => {
  const admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const { page } = await e2e.newPage();

  // Sign in (the console starts in Chinese).
  await page.goto(`${e2e.baseUrl}/`);
  await page.waitForURL(/\/login$/);
  await waitForText(page, 'auth-title', '登录 Kefu');
  await e2e.shot(page, '01-login');
  await signIn(page, TENANT.adminEmail, TENANT.adminPassword);
  assert.match(await page.getByTestId('greeting').textContent() ?? '', new RegExp(`${TENANT.adminName}$`));
  assert.equal(await page.getByTestId('tenant-name').textContent(), TENANT.name);
  for (const id of ['nav-workspace', 'nav-staff', 'nav-roles', 'nav-departments', 'nav-teams', 'nav-audit', 'nav-outbox']) {
    assert.equal(await page.getByTestId(id).count(), 1, `${id} is in the administrator's menu`);
  }
  await waitForText(page, 'nav-workspace', '工作台');
  await e2e.shot(page, '02-workspace-zh');

  // Switch to English: the text changes, the choice is saved to the profile and survives a reload.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('lang-option-en').click();
  await waitForText(page, 'nav-workspace', 'Workspace');
  await waitForText(page, 'nav-staff', 'Staff');
  await page.waitForFunction(() => localStorage.getItem('kefu.locale') === 'en');
  await page.reload();
  await waitForText(page, 'nav-workspace', 'Workspace');
  assert.match(await page.getByTestId('greeting').textContent() ?? '', /^Good (morning|afternoon|evening), /);
  assert.equal((await admin<MeView>('GET', '/api/v1/auth/me')).body.locale, 'en', 'the profile keeps the language');
  await e2e.shot(page, '03-workspace-en');

  // ...and back to Chinese, again surviving a reload.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('lang-option-zh-CN').click();
  await waitForText(page, 'nav-workspace', '工作台');
  await page.reload();
  await waitForText(page, 'nav-workspace', '工作台');
  assert.equal((await admin<MeView>('GET', '/api/v1/auth/me')).body.locale, 'zh-CN');

  // Create a custom role with two permissions.
  await page.getByTestId('nav-roles').click();
  await waitForText(page, 'page-title', '角色');
  await page.getByTestId('role-create').click();
  await page.getByTestId('role-name').fill(ROLE.name);
  await page.getByTestId('role-description').fill('抽查会话质量');
  for (const p of ROLE.permissions) await page.getByTestId(`perm-${p}`).check();
  await e2e.shot(page, '04-role-form');
  await page.getByTestId('role-submit').click();
  await page.getByTestId('roles-table').getByText(ROLE.name, { exact: true }).waitFor();
  const roles = (await admin<{ items: RoleView[] }>('GET', '/api/v1/roles')).body.items;
  const role = roles.find((r) => r.name === ROLE.name);
  assert.ok(role, 'the role exists');
  assert.deepEqual([...role.permissions].sort(), [...ROLE.permissions].sort());
  await e2e.shot(page, '05-roles');

  // Invite an agent with that role.
  await page.getByTestId('nav-staff').click();
  await page.getByTestId('invite-button').click();
  await page.getByTestId('invite-email').fill(AGENT.email);
  await page.getByTestId('invite-name').fill(AGENT.name);
  await choose(page, 'invite-role', ROLE.name);
  await e2e.shot(page, '06-invite');
  await page.getByTestId('invite-submit').click();
  const row = page.getByTestId(`staff-row-${AGENT.email}`);
  await row.getByText('待激活').waitFor();
  assert.match(await row.textContent() ?? '', new RegExp(ROLE.name));
  const invited = (await admin<{ items: StaffView[] }>('GET', `/api/v1/staff?q=${encodeURIComponent(AGENT.email)}`)).body.items[0];
  assert.equal(invited.status, 'invited');
  assert.equal(invited.role.id, role.id);
  await e2e.shot(page, '07-staff-invited');

  // Read the invitation in the outbox and take the activation link from the mail text.
  await e2e.drain();
  await page.getByTestId('nav-outbox').click();
  await page.getByTestId(`outbox-row-${AGENT.email}`).click();
  const mail = page.getByTestId('mail-text');
  await mail.waitFor();
  assert.match(await mail.textContent() ?? '', new RegExp(`${AGENT.name}，您好`));
  const link = await page.getByTestId('mail-link').first().getAttribute('href');
  assert.ok(link, 'the mail shows a link');
  assert.ok(link.startsWith(`${e2e.baseUrl}/activate?token=`), `activation link: ${link}`);
  const stored = (await admin<{ items: OutboxMailView[] }>('GET', `/api/v1/outbox?to=${encodeURIComponent(AGENT.email)}`)).body.items;
  assert.ok(stored[0].text.includes(link), 'the console shows the stored mail text');
  await e2e.shot(page, '08-outbox-mail');
  await page.keyboard.press('Escape');

  // The admin keeps the staff list open: the activation shows up there live (Socket.IO).
  await page.getByTestId('nav-staff').click();
  await row.getByText('待激活').waitFor();

  // The agent, in their own browser, opens the link and chooses a password.
  const agent = await e2e.newPage();
  await agent.page.goto(link);
  await agent.page.getByTestId('activate-email').waitFor();
  assert.equal(await agent.page.getByTestId('activate-email').inputValue(), AGENT.email);
  await waitForText(agent.page, 'auth-title', `加入 ${TENANT.name}`);
  assert.equal(await agent.page.getByTestId('activate-name').inputValue(), AGENT.name);
  await agent.page.getByTestId('new-password').fill(AGENT.password);
  await agent.page.getByTestId('new-password-confirm').fill(AGENT.password);
  await e2e.shot(agent.page, '09-activate');
  await agent.page.getByTestId('activate-submit').click();
  await agent.page.waitForURL(/\/login$/);
  await agent.page.getByTestId('login-notice').waitFor();
  assert.equal(await agent.page.getByTestId('login-email').inputValue(), AGENT.email, 'the sign-in form is prefilled');

  await e2e.drain(); // deliver staff.activated to the admin's open console
  await row.getByText('已启用').waitFor();
  await e2e.shot(page, '10-staff-activated-live');

  // The agent signs in and lands in the shell with only the menu items the role allows.
  await agent.page.getByTestId('login-password').fill(AGENT.password);
  await agent.page.getByTestId('login-submit').click();
  await agent.page.getByTestId('workspace').waitFor();
  assert.equal(new URL(agent.page.url()).pathname, '/');
  await waitForText(agent.page, 'user-name', AGENT.name);
  for (const id of ['nav-workspace', 'nav-staff', 'nav-audit']) assert.equal(await agent.page.getByTestId(id).count(), 1, `${id} is shown`);
  for (const id of ['nav-roles', 'nav-departments', 'nav-teams', 'nav-outbox']) assert.equal(await agent.page.getByTestId(id).count(), 0, `${id} is hidden`);
  await e2e.shot(agent.page, '11-agent-workspace');

  // A page outside the role says so instead of failing; the audit log (allowed) works.
  await agent.page.goto(`${e2e.baseUrl}/admin/outbox`);
  await agent.page.getByTestId('forbidden').waitFor();
  await agent.page.getByTestId('nav-audit').click();
  await agent.page.getByTestId('audit-table').getByText('staff.activate').first().waitFor();
  await e2e.shot(agent.page, '12-agent-audit');
});
