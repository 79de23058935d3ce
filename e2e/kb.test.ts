/**
 * Knowledge base in the console: an administrator files a category, writes an FAQ entry (with an HTML
 * body carrying a script vector), publishes it, and then finds it by one of its paraphrases typed with
 * a typo, the match marked in the results; the help center's public search finds it the same way.
 * Bodies from the XSS corpus, opened in the console (preview and search results), never run script.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { KbArticleView, KbPublicSearchResult } from '../src/contracts/kb.ts';
import { signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);
const XSS = path.resolve(import.meta.dirname, '../../shared/corpora/xss-dompurify-fixtures/fixtures.json');

let e2e: E2E;
let admin: Api;
let page: Page;
const dialogs: string[] = [];

before(async () => {
  if (skip) return;
  e2e = await startE2E('kb');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  page = (await e2e.newPage()).page;
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn(page, e2e.baseUrl, TENANT.adminEmail, TENANT.adminPassword);
});
after(async () => { await e2e?.close(); });

async function search(q: string) {
  const box = page.getByTestId('kb-search').locator('input');
  await box.fill(q);
  await box.press('Enter');
  await page.getByTestId('kb-results').waitFor();
}

test('an administrator publishes an FAQ and finds it by a paraphrase with a typo', { skip: skip ?? false }, async () => {
  await page.getByTestId('nav-kb').click();
  await page.getByTestId('page-title').filter({ hasText: '知识库' }).waitFor();

  // a category
  await page.getByTestId('kb-category-add').click();
  await page.getByTestId('kb-category-name').fill('宽带业务');
  await page.getByTestId('kb-category-save').click();
  await page.getByTestId('kb-categories').getByText('宽带业务').click();

  // the FAQ entry, written in the editor
  await page.getByTestId('kb-new').click();
  await page.getByTestId('kb-title').fill('宽带怎么续费');
  await page.getByTestId('kb-paraphrases').fill('宽带到期了怎么办\n怎么交宽带费');
  await page.getByTestId('kb-body').fill('<p>登录<b>网上营业厅</b>，选择宽带续费。</p><img src="x" onerror="window.__kbXss = 1; alert(1)"><script>window.__kbXss = 2</script>');
  const keywords = page.getByTestId('kb-keywords').locator('input');
  await keywords.fill('宽带续费');
  await keywords.press('Enter');
  await page.getByTestId('kb-publish').click();
  await page.getByTestId('kb-status').filter({ hasText: '已发布' }).waitFor();

  // stored sanitized, shown in a sandboxed frame
  const [stored] = (await admin<{ items: KbArticleView[] }>('GET', '/api/v1/kb/articles')).body.items;
  const full = (await admin<KbArticleView>('GET', `/api/v1/kb/articles/${stored.id}`)).body;
  assert.equal(full.status, 'published');
  assert.deepEqual(full.paraphrases, ['宽带到期了怎么办', '怎么交宽带费']);
  assert.deepEqual(full.keywords, ['宽带续费']);
  assert.ok(!/onerror|<script/i.test(full.body), full.body);
  assert.ok(full.body.includes('<b>网上营业厅</b>'));
  await page.getByTestId('kb-preview-tab').click();
  const frame = page.frameLocator('[data-testid="kb-preview"]');
  await frame.getByText('网上营业厅').waitFor();
  assert.equal(await page.getByTestId('kb-preview').getAttribute('sandbox'), '', 'the preview frame has no permissions');
  await page.getByTestId('kb-versions-tab').click();
  await page.getByTestId('kb-versions').getByText('第 2 版').waitFor();
  await e2e.shot(page, 'editor');
  await page.keyboard.press('Escape');

  // found by a paraphrase with a typo (带 → 代), the match marked
  await search('宽代到期了怎么办');
  const first = page.getByTestId('kb-hit').first();
  await first.getByTestId('kb-hit-title').filter({ hasText: '宽带怎么续费' }).waitFor();
  const marked = await first.locator('mark').allInnerTexts();
  assert.ok(marked.length > 0, 'the match is marked');
  await e2e.shot(page, 'search');

  // exact mode is strict: the typo finds nothing there
  await page.getByTestId('kb-search-mode').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle('全部匹配', { exact: true }).click();
  await page.getByTestId('kb-results').getByText('没有找到相关文章').waitFor();

  // the help center finds it too, without signing in (the browser's request, no cookies)
  const pub = await page.evaluate(async (q) => {
    const res = await fetch(`/api/v1/kb/public/search?q=${encodeURIComponent(q)}`, { credentials: 'omit' });
    return { status: res.status, ...(await res.json()) } as { status: number } & KbPublicSearchResult;
  }, '宽代到期了怎么办');
  assert.equal(pub.status, 200);
  assert.equal(pub.items[0]?.article.title, '宽带怎么续费');
  assert.equal(await page.evaluate(() => (window as unknown as { __kbXss?: number }).__kbXss), undefined);
  assert.deepEqual(dialogs, []);
});

test('bodies from the XSS corpus never run script in the console', { skip: skip ?? (fs.existsSync(XSS) ? false : `corpus missing: ${XSS}`) }, async () => {
  const fixtures = JSON.parse(fs.readFileSync(XSS, 'utf8')) as Array<{ payload: string }>;
  // every payload, also made to flag itself if it ever runs
  const payloads = fixtures.map((f) => f.payload.replace(/alert\(([^)]*)\)/g, 'window.__kbXss=1'));
  for (const [i, body] of payloads.entries()) {
    const created = await admin<KbArticleView>('POST', '/api/v1/kb/articles', { title: `攻击样本 ${i}`, body: `样本 ${body}` });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  }
  await page.reload();
  await page.getByTestId('page-title').filter({ hasText: '知识库' }).waitFor();
  await search('攻击样本');
  assert.ok(await page.getByTestId('kb-hit').count() >= 10);
  // open a handful in the editor: the preview renders the stored body
  for (let i = 0; i < 5; i++) {
    await page.getByTestId('kb-hit').nth(i).click();
    await page.getByTestId('kb-preview-tab').click();
    await page.getByTestId('kb-preview').waitFor();
    await page.waitForTimeout(100);
    await page.keyboard.press('Escape');
  }
  await e2e.shot(page, 'xss');
  assert.equal(await page.evaluate(() => (window as unknown as { __kbXss?: number }).__kbXss), undefined);
  assert.deepEqual(dialogs, [], 'no alert() ever opened');
});
