/**
 * Signing in and getting back in: a wrong password shows the server's message (in the UI language),
 * and "forgot password" → the reset link from the outbox → a new password that works.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { OutboxMailView } from '../src/contracts/admin.ts';
import { linkIn, skipReason, startE2E, TENANT, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

let e2e: E2E;
before(async () => { if (!skip) e2e = await startE2E('recovery'); });
after(async () => { await e2e?.close(); });

async function submitLogin(page: Page, email: string, password: string) {
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

test('a wrong password shows the error message, in the language of the page', { skip: skip ?? false }, async () => {
  const { page } = await e2e.newPage();
  await page.goto(`${e2e.baseUrl}/login`);
  await submitLogin(page, TENANT.adminEmail, 'not-the-password');
  const error = page.getByTestId('login-error');
  await error.getByText('邮箱或密码错误').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  await e2e.shot(page, '01-wrong-password-zh');

  // On the sign-in page the language switch changes the page and the server's messages.
  await page.getByTestId('language-switch').click();
  await page.getByTestId('lang-option-en').click();
  await page.getByTestId('auth-title').getByText('Sign in to Kefu').waitFor();
  await submitLogin(page, TENANT.adminEmail, 'still-not-the-password');
  await error.getByText('Wrong email or password').waitFor();
  await e2e.shot(page, '02-wrong-password-en');

  // The choice made before signing in is saved to the profile at sign-in.
  await submitLogin(page, TENANT.adminEmail, TENANT.adminPassword);
  await page.getByTestId('workspace').waitFor();
  await page.getByTestId('nav-workspace').getByText('Workspace').waitFor();
  const admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  assert.equal((await admin<{ locale: string }>('GET', '/api/v1/auth/me')).body.locale, 'en');
});

test('forgot password: the reset link from the outbox sets a new password that works, the old one stops working', { skip: skip ?? false }, async () => {
  const newPassword = 'brand-new-password-2';
  const { page } = await e2e.newPage();
  await page.goto(`${e2e.baseUrl}/login`);
  await page.getByTestId('forgot-password-link').click();
  await page.waitForURL(/\/forgot-password$/);
  await page.getByTestId('forgot-email').fill(TENANT.adminEmail);
  await page.getByTestId('forgot-submit').click();
  await page.getByTestId('forgot-sent').waitFor();
  assert.match(await page.getByTestId('forgot-sent').textContent() ?? '', new RegExp(TENANT.adminEmail.replace('.', '\\.')));
  await e2e.shot(page, '03-forgot-sent');

  // The mail is stored in the outbox (no SMTP here); read it through the outbox API.
  await e2e.drain();
  const admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const mails = (await admin<{ items: OutboxMailView[] }>('GET', `/api/v1/outbox?to=${encodeURIComponent(TENANT.adminEmail)}`)).body.items;
  const mail = mails.find((m) => m.purpose === 'password_reset');
  assert.ok(mail, 'a password-reset mail is in the outbox');
  const link = linkIn(mail.text);
  assert.ok(link.startsWith(`${e2e.baseUrl}/reset-password?token=`), `reset link: ${link}`);

  // A made-up token is refused with the server's message.
  await page.goto(`${e2e.baseUrl}/reset-password?token=not-a-real-token-123`);
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('new-password-confirm').fill(newPassword);
  await page.getByTestId('reset-submit').click();
  await page.getByTestId('reset-error').getByText(/链接无效或已过期|invalid or has expired/).waitFor();

  // The real link works.
  await page.goto(link);
  await page.getByTestId('new-password').fill(newPassword);
  await page.getByTestId('new-password-confirm').fill('a-different-password');
  await page.getByTestId('reset-submit').click();
  await page.getByText(/两次输入的密码不一致|The two passwords differ/).waitFor(); // checked before anything is sent
  await page.getByTestId('new-password-confirm').fill(newPassword);
  await e2e.shot(page, '04-reset-form');
  await page.getByTestId('reset-submit').click();
  await page.waitForURL(/\/login$/);
  await page.getByTestId('login-notice').waitFor();
  await e2e.shot(page, '05-reset-done');

  // The old password is refused, the new one signs in.
  await submitLogin(page, TENANT.adminEmail, TENANT.adminPassword);
  await page.getByTestId('login-error').waitFor();
  await submitLogin(page, TENANT.adminEmail, newPassword);
  await page.getByTestId('workspace').waitFor();
  assert.equal(new URL(page.url()).pathname, '/');

  // The link works once.
  const again = await e2e.api(TENANT.adminEmail, newPassword);
  const reuse = await again('POST', '/api/v1/auth/password-reset', { token: new URL(link).searchParams.get('token'), newPassword: 'yet-another-password-3' });
  assert.equal(reuse.status, 400);
  await e2e.shot(page, '06-signed-in-with-new-password');
});

test('a made-up invitation link says it does not work (server message), and offers the way back', { skip: skip ?? false }, async () => {
  const { page } = await e2e.newPage();
  await page.goto(`${e2e.baseUrl}/activate?token=made-up-invitation-token`);
  const invalid = page.getByTestId('activate-invalid');
  await invalid.getByText('链接无效或已过期').waitFor();
  await e2e.shot(page, '07-invalid-invitation');
  await invalid.getByRole('button').click();
  await page.waitForURL(/\/login$/);
});
