/**
 * Attachments in the browser: an agent attaches files (a Chinese filename, a picture) to a reply, sees
 * them in the timeline and downloads the same bytes; a malicious HTML or SVG file only ever downloads,
 * never renders or runs in the console's origin.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import type { TicketDetail, TicketView } from '../src/contracts/tickets.ts';
import { createAgent, signIn, skipReason, startE2E, TENANT, type Api, type E2E } from './helpers.ts';

const skip = skipReason();
if (skip) console.log(`\n${skip}\n`);

const AGENT = { email: 'li.na@e2e.test', name: '李娜', password: 'agent-password-1' };
const CORPORA = path.resolve(import.meta.dirname, '../../shared/corpora');
/** A 24×24 solid PNG, so the thumbnail really loads (and shows). */
function solidPng(size: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 2; // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = solidPng(24, [22, 119, 255]);

/** An HTML page and an SVG built from the XSS corpora; each would raise a dialog if it ever ran. */
function maliciousFiles(): { html: Buffer; svg: Buffer } {
  const polyglots = fs.readFileSync(path.join(CORPORA, 'xss-payloadsallthethings/payloads/XSS_Polyglots.txt'), 'utf8').split('\n').filter(Boolean);
  const vectors = JSON.parse(fs.readFileSync(path.join(CORPORA, 'xss-html5sec-h5sc/items.json'), 'utf8')) as Array<{ category: string; vector: string }>;
  const svgVector = vectors.find((v) => v.category === 'svg' && v.vector.includes('<svg'))?.vector ?? '';
  const html = `<!doctype html><meta charset="utf-8"><title>invoice</title>\n<script>alert('xss-html')</script>\n<img src=x onerror="alert('xss-img')">\n${polyglots.join('\n')}\n`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert('xss-svg')"><script>alert('xss-svg-script')</script></svg>\n<!-- ${svgVector.replace(/--/g, '- -')} -->\n`;
  return { html: Buffer.from(html), svg: Buffer.from(svg) };
}

let e2e: E2E;
let admin: Api;
let agent: { id: string; api: Api };
let page: Page;
let ticket: TicketView;
const dialogs: string[] = [];

before(async () => {
  if (skip) return;
  e2e = await startE2E('attachments');
  admin = await e2e.api(TENANT.adminEmail, TENANT.adminPassword);
  const departmentId = (await admin<{ id: string }>('POST', '/api/v1/departments', { name: '客户服务部' })).body.id;
  agent = await createAgent(e2e, admin, { ...AGENT, departmentIds: [departmentId] });
  const created = await admin<TicketView>('POST', '/api/v1/tickets', {
    subject: '合同附件需要更新', channel: 'email', departmentId, customer: { name: '周先生', email: 'zhou@example.com' }, body: '请把修订后的合同发给我。',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  ticket = created.body;
  page = (await e2e.newPage()).page;
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await signIn(page, e2e.baseUrl, AGENT.email, AGENT.password);
});
after(async () => { await e2e?.close(); });

const detail = async () => (await agent.api<TicketDetail>('GET', `/api/v1/tickets/${ticket.id}`)).body;

async function attach(files: Array<{ name: string; mimeType: string; buffer: Buffer }>) {
  await page.getByTestId('composer').locator('input[type=file]').setInputFiles(files);
}

test('an agent attaches files to a reply; the timeline lists them and the download is the same bytes', { skip: skip ?? false }, async () => {
  await page.goto(`${e2e.baseUrl}/tickets/${ticket.id}`);
  await page.getByTestId('ticket-subject').filter({ hasText: '合同附件需要更新' }).waitFor();

  const contract = crypto.randomBytes(200 * 1024);
  const name = '购销合同（修订版）2024.pdf';
  await page.getByTestId('composer-input').fill('周先生您好，修订后的合同和截图见附件。');
  await attach([{ name, mimeType: 'application/pdf', buffer: contract }, { name: '截图.png', mimeType: 'image/png', buffer: PNG }]);
  const chips = page.getByTestId('composer-attachment');
  await chips.filter({ hasText: name }).and(page.locator('[data-status="done"]')).waitFor();
  await chips.filter({ hasText: '截图.png' }).and(page.locator('[data-status="done"]')).waitFor();
  assert.equal(await chips.count(), 2);
  await e2e.shot(page, '01-composer-with-files');

  // A chip can be dropped before sending: it is not sent.
  await attach([{ name: '草稿.txt', mimeType: 'text/plain', buffer: Buffer.from('不要发送') }]);
  await chips.filter({ hasText: '草稿.txt' }).and(page.locator('[data-status="done"]')).waitFor();
  await chips.filter({ hasText: '草稿.txt' }).getByTestId('composer-attachment-remove').click();
  await chips.filter({ hasText: '草稿.txt' }).waitFor({ state: 'detached' });

  await page.getByTestId('composer-send').click();
  const message = page.getByTestId('message-agent').filter({ hasText: '修订后的合同和截图见附件' });
  await message.waitFor();
  await chips.first().waitFor({ state: 'detached' });
  const files = message.getByTestId('attachment');
  await files.filter({ hasText: name }).waitFor();
  assert.equal(await files.count(), 2);
  assert.match(await files.filter({ hasText: name }).getByTestId('attachment-size').textContent() ?? '', /^200 KB$/);

  // The API agrees: two files on the reply, the draft left out.
  const reply = (await detail()).messages.find((m) => m.authorType === 'agent' && m.body.includes('修订后的合同'))!;
  assert.deepEqual(reply.attachments.map((a) => a.filename).sort(), [name, '截图.png'].sort());

  // The picture shows as a loaded thumbnail (served inline: it is a PNG).
  const thumb = files.filter({ hasText: '截图.png' }).locator('img');
  await thumb.waitFor();
  await page.waitForFunction((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth === 24, await thumb.elementHandle());
  await e2e.shot(page, '02-timeline-with-files');

  // Downloading gives the same bytes under the Chinese name.
  const [download] = await Promise.all([page.waitForEvent('download'), files.filter({ hasText: name }).getByTestId('attachment-link').click()]);
  assert.equal(download.suggestedFilename(), name);
  const saved = fs.readFileSync((await download.path())!);
  assert.ok(saved.equals(contract), 'the downloaded file is byte for byte what was attached');
});

test('a malicious HTML or SVG attachment downloads as a file and never renders or runs', { skip: skip ?? false }, async () => {
  const { html, svg } = maliciousFiles();
  await page.goto(`${e2e.baseUrl}/tickets/${ticket.id}`);
  await page.getByTestId('composer-tab-internal').click();
  await page.getByTestId('composer-input').fill('客户发来的可疑文件，勿打开');
  await attach([{ name: 'invoice.html', mimeType: 'text/html', buffer: html }, { name: 'logo.svg', mimeType: 'image/svg+xml', buffer: svg }]);
  const chips = page.getByTestId('composer-attachment');
  for (const n of ['invoice.html', 'logo.svg']) await chips.filter({ hasText: n }).and(page.locator('[data-status="done"]')).waitFor();
  await page.getByTestId('composer-send').click();
  const note = page.getByTestId('message-internal').filter({ hasText: '可疑文件' });
  await note.getByTestId('attachment').filter({ hasText: 'logo.svg' }).waitFor();

  // No thumbnail for SVG: only PNG, JPEG, GIF and WebP are ever shown in place.
  assert.equal(await note.locator('img').count(), 0, 'an SVG is never shown as an image');
  await e2e.shot(page, '03-malicious-files-listed');

  const noteView = (await detail()).messages.find((m) => m.body.includes('可疑文件'))!;
  for (const a of noteView.attachments) {
    // Clicking the link downloads the file, byte for byte.
    const [download] = await Promise.all([page.waitForEvent('download'), note.getByTestId('attachment').filter({ hasText: a.filename }).getByTestId('attachment-link').click()]);
    assert.equal(download.suggestedFilename(), a.filename);
    assert.ok(fs.readFileSync((await download.path())!).equals(a.filename.endsWith('.html') ? html : svg));

    // Opened directly, even asking for inline, the browser is handed a download, not a page.
    for (const url of [`${e2e.baseUrl}/api/v1/attachments/${a.id}`, `${e2e.baseUrl}/api/v1/attachments/${a.id}?inline=1`]) {
      // (read by the page itself: same origin, its session)
      const res = await page.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, headers: Object.fromEntries(r.headers.entries()) };
      }, url);
      assert.equal(res.status, 200);
      const h = res.headers;
      assert.match(h['content-disposition'], /^attachment;/, url);
      assert.equal(h['content-type'], 'application/octet-stream', url);
      assert.equal(h['x-content-type-options'], 'nosniff');
      assert.equal(h['content-security-policy'], 'sandbox');
      const tab = await page.context().newPage();
      const downloaded = tab.waitForEvent('download', { timeout: 10_000 });
      await tab.goto(url).catch(() => { /* navigation becomes a download: goto reports it as aborted */ });
      assert.equal((await downloaded).suggestedFilename(), a.filename);
      assert.notEqual(await tab.title().catch(() => ''), 'invoice', 'the HTML never became a page');
      await tab.close();
    }
  }
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no script from an attachment ever ran');
});
