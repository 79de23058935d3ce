/**
 * The customer portal (help center at /help) in a real browser, without signing in:
 * - a customer searches a paraphrase with a typo, opens the article (its file attached in the console's
 *   editor is listed and downloads), says it solved the problem, and the administrator's knowledge-base
 *   page counts the deflection;
 * - another customer types a request, sees the matching article suggested beside the form, files the
 *   request anyway (with a file) and gets its number; the ticket is in the agents' queue on the portal channel;
 * - a visitor of the company's site types a first question in the chat widget, sees the article
 *   suggested and says it solved the problem (a widget deflection);
 * - bodies from the XSS corpus, opened as help-center articles, never run script.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { KbArticleView, KbCategoryView } from '../src/contracts/kb.ts';
import type { DeflectionStats } from '../src/contracts/portal.ts';
import { signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);
const XSS = path.resolve(import.meta.dirname, '../../shared/corpora/xss-dompurify-fixtures/fixtures.json');

let e2e: E2E;
let admin: Api;
let staff: Page;
let articleId: string;
const dialogs: string[] = [];

before(async () => {
  if (skip) return;
  e2e = await startE2E('portal', { config: { helpCenterRateLimit: 2000 } }); // the XSS flow opens 156 articles in a minute
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const category = (await admin<KbCategoryView>('POST', '/api/v1/kb/categories', { name: '宽带业务', description: '续费、报修、提速' })).body;
  const created = await admin<KbArticleView>('POST', '/api/v1/kb/articles', {
    kind: 'faq', title: '宽带怎么续费', categoryId: category.id, keywords: ['宽带续费'],
    paraphrases: ['宽带到期了怎么办', '怎么交宽带费'], body: '<p>登录<b>网上营业厅</b>，选择“宽带续费”，按提示付款即可。</p>',
  });
  articleId = created.body.id;
  await admin('POST', `/api/v1/kb/articles/${articleId}/publish`);
  await admin<KbArticleView>('POST', '/api/v1/kb/articles', { title: '光猫红灯闪烁怎么办', categoryId: category.id, body: '<p>重启光猫</p>' })
    .then((r) => admin('POST', `/api/v1/kb/articles/${r.body.id}/publish`));
  staff = (await e2e.newPage()).page;
  await signIn(staff, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
});
after(async () => { await e2e?.close(); });

async function customerPage(): Promise<Page> {
  const { page } = await e2e.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  return page;
}

test('a customer finds an answer by a paraphrase with a typo, and the deflection is counted for the administrator', { skip: skip ?? false }, async () => {
  // the administrator attaches a manual in the console's editor
  await staff.getByTestId('nav-kb').click();
  await staff.getByTestId('kb-article-title').filter({ hasText: '宽带怎么续费' }).click();
  await staff.getByTestId('kb-files-tab').click();
  await staff.getByTestId('kb-files').locator('input[type=file]').setInputFiles({ name: '续费指南.txt', mimeType: 'text/plain', buffer: Buffer.from('续费步骤：登录营业厅') });
  await staff.getByTestId('kb-file').filter({ hasText: '续费指南.txt' }).waitFor();
  await staff.keyboard.press('Escape');

  const page = await customerPage();
  const res = await page.goto(`${e2e.baseUrl}/help`);
  assert.match(res!.headers()['content-security-policy'] ?? '', /script-src 'self'/);
  await page.getByTestId('portal-category').filter({ hasText: '宽带业务' }).waitFor();
  await e2e.shot(page, 'home');

  // a paraphrase with a typo (带 → 代)
  const box = page.getByTestId('portal-search').locator('input');
  await box.fill('宽代到期了怎么办');
  await box.press('Enter');
  const hit = page.getByTestId('portal-hit').first();
  await hit.getByTestId('portal-hit-title').filter({ hasText: '宽带怎么续费' }).waitFor();
  assert.ok((await hit.locator('mark').count()) > 0, 'the match is marked');
  await e2e.shot(page, 'search');
  await hit.getByTestId('portal-hit-link').click();

  await page.getByTestId('portal-article-title').filter({ hasText: '宽带怎么续费' }).waitFor();
  await page.getByTestId('portal-article-body').locator('b', { hasText: '网上营业厅' }).waitFor();
  assert.match(page.url(), new RegExp(`/help/articles/${articleId}`));
  const file = page.getByTestId('portal-attachment').filter({ hasText: '续费指南.txt' });
  await file.waitFor();
  const href = await file.getAttribute('href');
  const download = await page.evaluate(async (url) => { const r = await fetch(url!, { credentials: 'omit' }); return { status: r.status, text: await r.text() }; }, href);
  assert.deepEqual(download, { status: 200, text: '续费步骤：登录营业厅' });
  await e2e.shot(page, 'article');

  await page.getByTestId('portal-helpful-yes').click();
  await page.getByTestId('portal-helpful-thanks').waitFor();

  // the same page in English
  await page.getByTestId('portal-language').click();
  await page.getByTestId('portal-home').filter({ hasText: 'Help center' }).waitFor();

  const stats = (await admin<DeflectionStats>('GET', '/api/v1/kb/deflections')).body;
  assert.equal(stats.total, 1);
  assert.equal(stats.articles[0].articleId, articleId);
  await staff.reload();
  await staff.getByTestId('kb-deflections-total').filter({ hasText: /^1$/ }).waitFor();
  await staff.getByTestId('kb-deflections-article').filter({ hasText: '宽带怎么续费' }).waitFor();
  await e2e.shot(staff, 'admin-deflections');

  // no article has the word 续订: the ones sharing its characters (续费) are offered, and the page says so
  await page.goto(`${e2e.baseUrl}/help/search?${new URLSearchParams({ q: '续订' })}`);
  await page.getByTestId('portal-by-characters').waitFor();
  await page.getByTestId('portal-hit-title').filter({ hasText: '宽带怎么续费' }).first().waitFor();
  await e2e.shot(page, 'search-by-characters');
});

test('a customer sees suggestions while typing a request, files it anyway, and agents find the ticket', { skip: skip ?? false }, async () => {
  const page = await customerPage();
  await page.setViewportSize({ width: 390, height: 844 }); // a phone
  await page.goto(`${e2e.baseUrl}/help/new`);
  await page.getByTestId('portal-field-subject').fill('宽带到期');
  await page.getByTestId('portal-field-description').fill('宽带到期了，想知道怎么续费，另外发票怎么开？');
  const suggestion = page.getByTestId('portal-suggestion').filter({ hasText: '宽带怎么续费' });
  await suggestion.waitFor();
  await suggestion.click();
  await page.getByTestId('portal-suggestion-drawer').getByText('网上营业厅').waitFor();
  await page.getByTestId('portal-not-solved').click();

  await page.getByTestId('portal-field-name').fill('李四');
  await page.getByTestId('portal-field-email').fill('lisi@example.com');
  await page.locator('input[type=file]').setInputFiles({ name: '宽带账单.txt', mimeType: 'text/plain', buffer: Buffer.from('账单：2026 年 3 月') });
  await page.locator('.ant-upload-list-item').filter({ hasText: '宽带账单.txt' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('.ant-upload-list-item-uploading'));
  await e2e.shot(page, 'request-form-phone');
  await page.getByTestId('portal-request-submit').click();
  const numberText = await page.getByTestId('portal-request-number').innerText();
  const number = Number(/#(\d+)/.exec(numberText)?.[1]);
  assert.ok(number > 0, numberText);
  await e2e.shot(page, 'request-filed');

  // reading a suggestion without pressing "solved" counted nothing
  assert.equal((await admin<DeflectionStats>('GET', '/api/v1/kb/deflections')).body.total, 1);

  await staff.getByTestId('nav-tickets').click();
  await staff.getByTestId('view-all').click();
  const row = staff.getByTestId(`ticket-row-${number}`);
  await row.getByText('宽带到期').waitFor();
  await row.click();
  await staff.getByText('宽带到期了，想知道怎么续费，另外发票怎么开？').first().waitFor();
  const tickets = (await admin<{ items: Array<{ number: number; channel: string; customer: { name: string } | null }> }>('GET', `/api/v1/tickets?view=all&q=%23${number}`)).body.items;
  assert.equal(tickets[0].channel, 'portal');
  assert.equal(tickets[0].customer?.name, '李四');
  const detail = (await admin<{ messages: Array<{ attachments: Array<{ filename: string }> }> }>('GET', `/api/v1/tickets/${(tickets[0] as unknown as { id: string }).id}`)).body;
  assert.deepEqual(detail.messages[0].attachments.map((a) => a.filename), ['宽带账单.txt'], 'the file came with the request');
  assert.deepEqual(dialogs, []);
});

test('the chat widget on the company\'s own site suggests the article for the first question; "solved" counts for the widget', { skip: skip ?? false }, async () => {
  const style = await admin<{ id: string }>('POST', '/api/v1/widget-styles', { name: '官网', greetingZh: '您好', greetingEn: 'Hello' });
  assert.equal(style.status, 201, JSON.stringify(style.body));
  await admin('PUT', '/api/v1/auth/me/presence', { presence: 'online' });
  const page = await customerPage();
  // the company's own site on another origin (a server of its own, on loopback like Kefu here: Chromium
  // forbids a public page to call a loopback server): the widget's calls are cross-origin, as in real life
  const shop = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><body><h1>示例商城</h1><script src="${e2e.baseUrl}/widget.js" data-style="${style.body.id}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  after(() => { shop.close(); });
  await page.goto(`http://shop.localhost:${(shop.address() as AddressInfo).port}/`);
  await page.getByTestId('kefu-open').click();
  await page.getByTestId('kefu-input').pressSequentially('宽带到期了怎么续费', { delay: 30 });
  const suggestion = page.getByTestId('kefu-suggestion').filter({ hasText: '宽带怎么续费' });
  await suggestion.waitFor();
  assert.match(await suggestion.locator('a').getAttribute('href') ?? '', new RegExp(`/help/articles/${articleId}$`));
  await e2e.shot(page, 'widget-suggestions');
  await suggestion.getByTestId('kefu-solved').click();
  await page.getByTestId('kefu-solved-thanks').waitFor();
  const stats = (await admin<DeflectionStats>('GET', '/api/v1/kb/deflections')).body;
  assert.equal(stats.widget, 1);
  assert.equal(stats.portal, 1);
});

test('bodies from the XSS corpus never run script in the help center', { skip: skip ?? (fs.existsSync(XSS) ? false : `corpus missing: ${XSS}`) }, async () => {
  const fixtures = JSON.parse(fs.readFileSync(XSS, 'utf8')) as Array<{ payload: string }>;
  const payloads = fixtures.map((f) => f.payload.replace(/alert\(([^)]*)\)/g, 'window.__xss=1'));
  const ids: string[] = [];
  for (const [i, body] of payloads.entries()) {
    const created = await admin<KbArticleView>('POST', '/api/v1/kb/articles', { title: `攻击样本 ${i}`, body: `样本 ${body}` });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await admin('POST', `/api/v1/kb/articles/${created.body.id}/publish`);
    ids.push(created.body.id);
  }
  const page = await customerPage();
  await page.goto(`${e2e.baseUrl}/help/search?q=${encodeURIComponent('攻击样本')}&mode=any`);
  await page.getByTestId('portal-hit').nth(9).waitFor();
  for (const [i, id] of ids.entries()) {
    // in-app navigation: the React router reads the new address on popstate
    await page.evaluate((to) => { history.pushState(null, '', to); dispatchEvent(new PopStateEvent('popstate')); }, `/help/articles/${id}`);
    await page.getByTestId('portal-article-title').filter({ hasText: new RegExp(`^攻击样本 ${i}$`) }).waitFor();
    await page.getByTestId('portal-article-body').waitFor();
  }
  await page.waitForTimeout(300);
  await e2e.shot(page, 'xss');
  assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  assert.deepEqual(dialogs, [], 'no alert() ever opened');
});
