import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { SYSTEM } from '../auth/actor.ts';
import type { Ctx } from '../context.ts';
import { ingest } from '../tickets/tickets.service.ts';
import { queryRows } from '../../db/client.ts';
import { startKefu } from '../../server/kefu.ts';
import { multipart, type Part } from '../../testing/multipart.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { attachments } from './attachments.schema.ts';
import { fileStoreFor, type FileStore } from './file-store.ts';

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
/** The smallest valid PNG (1×1 transparent pixel). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>';
const HTML = '<!doctype html><script>alert(document.cookie)</script>';

async function upload(client: Client, ticketId: string, parts: Part[]): Promise<LightMyRequestResponse> {
  const { payload, headers } = multipart(parts);
  return client.request('POST', `/api/v1/tickets/${ticketId}/attachments`, payload, headers);
}

/** Every file in the store, as sha256 → path (temporary files under "tmp:"). */
async function filesOnDisk(store: FileStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const f of store.list()) out.set(f.sha256 ?? `tmp:${f.path}`, f.path);
  return out;
}

describe('attachments: upload, send, download', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let store: FileStore;
  let support: string;
  let billing: string;
  let ticket: { id: string };
  const ctxFor = (): Ctx => ({ db: srv.database.db, tenantId: acme.id, actor: SYSTEM, publicUrl: '' });

  before(async () => {
    srv = await testServer({ attachmentMaxBytes: 64 * 1024 });
    store = fileStoreFor(srv.config);
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    support = (await admin.post('/api/v1/departments', { name: '售后' })).json().id;
    billing = (await admin.post('/api/v1/departments', { name: '账务' })).json().id;
    ticket = (await admin.post('/api/v1/tickets', { subject: '发票有误', body: '请看附件', departmentId: support, customer: { name: '李四', email: 'lisi@example.com' } })).json();
  });
  after(async () => { await srv?.close(); });

  it('an upload waits unsent, goes out with a reply, is listed on the message, and downloads as the same bytes', async () => {
    const pdf = crypto.randomBytes(20_000);
    const up = await upload(admin, ticket.id, [
      { filename: '发票 (修正版)\'s.pdf', content: pdf, contentType: 'application/pdf' },
      { filename: 'screenshot.png', content: PNG, contentType: 'image/png' },
    ]);
    assert.equal(up.statusCode, 201, up.body);
    const items = up.json().items as Array<{ id: string; filename: string; contentType: string; size: number }>;
    assert.deepEqual(items.map((i) => [i.filename, i.contentType, i.size]), [['发票 (修正版)\'s.pdf', 'application/pdf', 20_000], ['screenshot.png', 'image/png', PNG.length]]);
    // not on any message yet
    let detail = (await admin.get(`/api/v1/tickets/${ticket.id}`)).json();
    assert.deepEqual(detail.messages.flatMap((m: { attachments: unknown[] }) => m.attachments), []);

    const sent = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: '已修正，请查收', attachmentIds: items.map((i) => i.id) });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.deepEqual(sent.json().attachments.map((a: { id: string }) => a.id).sort(), items.map((i) => i.id).sort());
    detail = (await admin.get(`/api/v1/tickets/${ticket.id}`)).json();
    const reply = detail.messages.find((m: { id: string }) => m.id === sent.json().id);
    assert.deepEqual(reply.attachments.map((a: { filename: string }) => a.filename).sort(), ['screenshot.png', '发票 (修正版)\'s.pdf'].sort());
    assert.deepEqual(detail.messages[0].attachments, [], 'the customer\'s first message has none');

    const pdfId = items[0].id;
    const res = await admin.get(`/api/v1/attachments/${pdfId}`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.rawPayload.equals(pdf), 'the download is the same bytes');
    assert.equal(res.headers['content-type'], 'application/octet-stream');
    assert.equal(res.headers['content-disposition'], `attachment; filename="__ (___)'s.pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%28%E4%BF%AE%E6%AD%A3%E7%89%88%29%27s.pdf`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['content-security-policy'], 'sandbox');
    assert.equal(res.headers['content-length'], String(pdf.length));
    // the RFC 5987 name decodes back to the original
    const star = /filename\*=UTF-8''(.+)$/.exec(String(res.headers['content-disposition']))![1];
    assert.equal(decodeURIComponent(star), '发票 (修正版)\'s.pdf');
    // asking for a PDF inline still downloads it
    assert.match(String((await admin.get(`/api/v1/attachments/${pdfId}?inline=1`)).headers['content-disposition']), /^attachment;/);
  });

  it('only PNG, JPEG, GIF and WebP are ever shown inline; SVG and HTML always download as opaque bytes', async () => {
    const up = (await upload(admin, ticket.id, [
      { filename: 'pixel.png', content: PNG, contentType: 'image/png' },
      { filename: 'logo.svg', content: SVG, contentType: 'image/svg+xml' },
      { filename: 'page.html', content: HTML, contentType: 'text/html; charset=utf-8' },
      // a PNG name on HTML bytes: the declared type decides, and the browser is told not to sniff
      { filename: 'fake.png', content: HTML, contentType: 'text/html' },
    ])).json().items as Array<{ id: string; contentType: string }>;
    assert.deepEqual(up.map((u) => u.contentType), ['image/png', 'image/svg+xml', 'text/html', 'text/html']);
    const png = await admin.get(`/api/v1/attachments/${up[0].id}?inline=1`);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.match(String(png.headers['content-disposition']), /^inline; filename="pixel.png"/);
    assert.equal(png.headers['content-security-policy'], 'sandbox');
    assert.ok(png.rawPayload.equals(PNG));
    for (const u of up.slice(1)) {
      for (const q of ['', '?inline=1']) {
        const res = await admin.get(`/api/v1/attachments/${u.id}${q}`);
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['content-type'], 'application/octet-stream', `${u.contentType}${q}`);
        assert.match(String(res.headers['content-disposition']), /^attachment;/, `${u.contentType}${q}`);
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['content-security-policy'], 'sandbox');
      }
    }
    assert.equal((await admin.get(`/api/v1/attachments/${up[0].id}?inline=2`)).statusCode, 400);
  });

  it('filenames lose paths and control characters but keep Chinese; an odd type becomes application/octet-stream', async () => {
    const up = await upload(admin, ticket.id, [
      { filename: '../../etc/passwd', content: 'a' },
      { filename: 'C:\\Users\\王五\\合同.docx', content: 'b' },
      { filename: 'invoice\u202efdp.exe', content: 'c' },
      { filename: '...', content: 'd', contentType: 'not a type' },
    ]);
    assert.equal(up.statusCode, 201, up.body);
    assert.deepEqual(up.json().items.map((i: { filename: string; contentType: string }) => [i.filename, i.contentType]), [
      ['passwd', 'application/octet-stream'], ['合同.docx', 'application/octet-stream'], ['invoicefdp.exe', 'application/octet-stream'], ['file', 'application/octet-stream'],
    ]);
  });

  it('the same bytes uploaded twice are two attachments and one file on disk', async () => {
    const content = `report ${crypto.randomUUID()}`;
    const a = (await upload(admin, ticket.id, [{ filename: 'a.txt', content }])).json().items[0];
    const b = (await upload(admin, ticket.id, [{ filename: 'b.txt', content }])).json().items[0];
    assert.notEqual(a.id, b.id);
    const rows = await srv.database.db.select().from(attachments).where(eq(attachments.sha256, sha(content)));
    assert.equal(rows.length, 2);
    const hash = sha(content);
    const dir = path.join(store.root, hash.slice(0, 2));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f === hash), [hash], 'one file, named by its sha256');
    assert.equal(fs.readFileSync(path.join(dir, hash), 'utf8'), content);
    assert.equal([...(await filesOnDisk(store)).keys()].filter((k) => k.startsWith('tmp:')).length, 0, 'no temporary files left');
  });

  it('a file above the limit is a 413 naming the limit, and nothing of it is kept', async () => {
    const before = await srv.database.db.select().from(attachments);
    const diskBefore = await filesOnDisk(store);
    const res = await upload(admin, ticket.id, [{ filename: 'ok.txt', content: 'fine' }, { filename: 'huge.bin', content: crypto.randomBytes(64 * 1024 + 1) }]);
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().code, 'too_large');
    assert.equal(res.json().message, '请求体过大: 单个文件不能超过 64 KiB');
    // in the caller's language
    await admin.patch('/api/v1/auth/me', { locale: 'en' });
    const en = await upload(admin, ticket.id, [{ filename: 'huge.bin', content: crypto.randomBytes(64 * 1024 + 1) }]);
    await admin.patch('/api/v1/auth/me', { locale: 'zh-CN' });
    assert.equal(en.json().message, 'The request body is too large: A file may be at most 64 KiB');
    assert.equal((await srv.database.db.select().from(attachments)).length, before.length, 'no row for either file');
    const diskAfter = await filesOnDisk(store);
    assert.ok([...diskAfter.keys()].every((k) => !k.startsWith('tmp:')), 'the partial file was removed');
    // exactly at the limit is fine
    const exact = await upload(admin, ticket.id, [{ filename: 'exact.bin', content: crypto.randomBytes(64 * 1024) }]);
    assert.equal(exact.statusCode, 201, exact.body);
    assert.ok(diskAfter.size >= diskBefore.size);
  });

  it('no files is a 400, a body that is not multipart a 415, more than 20 files a 413; other routes still refuse multipart', async () => {
    const onlyField = `--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b--\r\n`;
    let res = await admin.request('POST', `/api/v1/tickets/${ticket.id}/attachments`, onlyField, { 'content-type': 'multipart/form-data; boundary=b' });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /没有收到文件/);
    res = await admin.request('POST', `/api/v1/tickets/${ticket.id}/attachments`, '--b\r\nContent-Disposition: form-data; name="file"; filename="x"\r\n\r\ntrunc', { 'content-type': 'multipart/form-data; boundary=b' });
    assert.equal(res.statusCode, 400, res.body);
    res = await admin.post(`/api/v1/tickets/${ticket.id}/attachments`, { file: 'x' });
    assert.equal(res.statusCode, 415, res.body);
    res = await upload(admin, ticket.id, Array.from({ length: 21 }, (_, i) => ({ filename: `f${i}.txt`, content: `${i}` })));
    assert.equal(res.statusCode, 413, res.body);
    assert.match(res.json().message, /20/);
    res = await admin.request('POST', '/api/v1/departments', onlyField, { 'content-type': 'multipart/form-data; boundary=b' });
    assert.equal(res.statusCode, 415, 'a route without files does not parse multipart');
  });

  it('an agent who cannot see the ticket gets 404 for its files and cannot upload to it; one who can, can', async () => {
    const outsider = await acme.agent('outsider@acme.test', { departmentIds: [billing] });
    const insider = await acme.agent('insider@acme.test', { departmentIds: [support] });
    const up = (await upload(admin, ticket.id, [{ filename: 'secret.txt', content: 'internal figures' }])).json().items[0];
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: '内部备注', visibility: 'internal', attachmentIds: [up.id] });
    const seen = await insider.get(`/api/v1/attachments/${up.id}`);
    assert.equal(seen.statusCode, 200, 'an internal note\'s file follows the note: staff who see the ticket see it');
    assert.equal(seen.body, 'internal figures');
    const hidden = await outsider.get(`/api/v1/attachments/${up.id}`);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().code, 'not_found');
    assert.doesNotMatch(hidden.body, /secret|internal figures/);
    const refused = await upload(outsider, ticket.id, [{ filename: 'x.txt', content: 'x' }]);
    assert.equal(refused.statusCode, 404);
    // an upload not sent yet is its uploader's alone
    const draft = (await upload(insider, ticket.id, [{ filename: 'draft.txt', content: 'draft' }])).json().items[0];
    assert.equal((await insider.get(`/api/v1/attachments/${draft.id}`)).statusCode, 200);
    assert.equal((await admin.get(`/api/v1/attachments/${draft.id}`)).statusCode, 404);
    const stolen = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: [draft.id] });
    assert.equal(stolen.statusCode, 404, 'nobody else can send someone\'s draft');
  });

  it('a reply refuses files of another ticket, files already sent, unknown ids and another company\'s, and then writes nothing', async () => {
    const other = (await admin.post('/api/v1/tickets', { subject: '另一个工单', body: 'x', departmentId: support })).json();
    const elsewhere = (await upload(admin, other.id, [{ filename: 'other.txt', content: 'o' }])).json().items[0];
    const mine = (await upload(admin, ticket.id, [{ filename: 'mine.txt', content: 'm' }])).json().items[0];
    const globex = await srv.tenant('globex');
    const gAdmin = await globex.admin();
    const gTicket = (await gAdmin.post('/api/v1/tickets', { subject: 'g', body: 'g' })).json();
    const foreign = (await upload(gAdmin, gTicket.id, [{ filename: 'globex.txt', content: 'g' }])).json().items[0];
    const count = async () => (await admin.get(`/api/v1/tickets/${ticket.id}`)).json().messages.length;
    const before = await count();

    let res = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: [mine.id, elsewhere.id] });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().message, /另一个工单/);
    res = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: [foreign.id] });
    assert.equal(res.statusCode, 404, res.body);
    assert.doesNotMatch(res.body, /globex/);
    res = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: [crypto.randomUUID()] });
    assert.equal(res.statusCode, 404);
    res = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'x', attachmentIds: Array.from({ length: 21 }, () => crypto.randomUUID()) });
    assert.equal(res.statusCode, 400, 'at most 20 per message');
    assert.equal(await count(), before, 'no message was written by a refused reply');
    const [row] = await srv.database.db.select().from(attachments).where(eq(attachments.id, mine.id));
    assert.equal(row.messageId, null, 'the upload is still unsent');

    assert.equal((await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'ok', attachmentIds: [mine.id] })).statusCode, 201);
    res = await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'again', attachmentIds: [mine.id] });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /已经发送过了/);
    // another company's file and ticket are 404s everywhere
    assert.equal((await admin.get(`/api/v1/attachments/${foreign.id}`)).statusCode, 404);
    assert.equal((await upload(admin, gTicket.id, [{ filename: 'x.txt', content: 'x' }])).statusCode, 404);
    assert.equal((await gAdmin.get(`/api/v1/attachments/${foreign.id}`)).statusCode, 200, 'its own company still gets it');
  });

  it('ingest stores a received message\'s files with it; a duplicate delivery adds none; files above the limit are left out and reported', async () => {
    const scan = crypto.randomBytes(3000);
    const inbound = {
      channel: 'email' as const, externalId: `<${crypto.randomUUID()}@example.com>`, identity: { kind: 'email' as const, value: 'wang@example.com', name: '王五' },
      subject: '扫描件', body: '见附件', departmentId: support,
      attachments: [
        { filename: '扫描件.pdf', contentType: 'application/pdf', content: scan },
        { filename: 'logo.png', contentType: 'image/png', content: PNG, contentId: '<logo@example.com>' },
        { filename: 'huge.zip', contentType: 'application/zip', content: Buffer.alloc(64 * 1024 + 1) },
      ],
    };
    await assert.rejects(ingest(ctxFor(), inbound), /file store/);
    const first = await ingest(ctxFor(), inbound, store);
    assert.equal(first.created, true);
    assert.deepEqual(first.attachmentsTooLarge, [{ filename: 'huge.zip', size: 64 * 1024 + 1 }]);
    const again = await ingest(ctxFor(), inbound, store);
    assert.equal(again.duplicate, true);
    const rows = await srv.database.db.select().from(attachments).where(eq(attachments.messageId, first.messageId));
    assert.deepEqual(rows.map((r) => [r.filename, r.contentId, r.ticketId]).sort(), [['logo.png', 'logo@example.com', first.ticketId], ['扫描件.pdf', null, first.ticketId]]);
    const detail = (await admin.get(`/api/v1/tickets/${first.ticketId}`)).json();
    assert.deepEqual(detail.messages[0].attachments.map((a: { filename: string; size: number }) => [a.filename, a.size]), [['logo.png', PNG.length], ['扫描件.pdf', 3000]]);
    const pdf = detail.messages[0].attachments.find((a: { filename: string }) => a.filename === '扫描件.pdf');
    assert.ok((await admin.get(`/api/v1/attachments/${pdf.id}`)).rawPayload.equals(scan));
  });

  it('the sweep deletes uploads never sent after a day and files nothing references, and keeps everything else', async () => {
    const keep = `kept ${crypto.randomUUID()}`;
    const shared = `shared ${crypto.randomUUID()}`;
    const stale = `stale ${crypto.randomUUID()}`;
    const fresh = `fresh ${crypto.randomUUID()}`;
    const sent = (await upload(admin, ticket.id, [{ filename: 'sent.txt', content: keep }, { filename: 'shared-sent.txt', content: shared }])).json().items;
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'with files', attachmentIds: sent.map((s: { id: string }) => s.id) });
    const old = (await upload(admin, ticket.id, [{ filename: 'stale.txt', content: stale }, { filename: 'shared-stale.txt', content: shared }])).json().items;
    const recent = (await upload(admin, ticket.id, [{ filename: 'fresh.txt', content: fresh }])).json().items[0];
    // An orphan: bytes stored by an ingest whose transaction never wrote its row; and a leftover temporary file.
    const orphan = await store.put(Buffer.from(`orphan ${crypto.randomUUID()}`));
    const tmp = path.join(store.root, 'tmp', 'interrupted.part');
    fs.writeFileSync(tmp, 'half an upload');
    const newOrphan = await store.put(Buffer.from(`new orphan ${crypto.randomUUID()}`));

    // a day and more passes for the old uploads, hours for every file on disk but the newest orphan
    await srv.database.db.execute(sql`update attachments set created_at = now() - interval '25 hours' where id in (${sql.join(old.map((o: { id: string }) => sql`${o.id}`), sql`, `)})`);
    const hoursAgo = new Date(Date.now() - 2 * 3600_000);
    for await (const f of store.list()) if (f.sha256 !== newOrphan.sha256) fs.utimesSync(f.path, hoursAgo, hoursAgo);

    await srv.fireTimers('attachments:sweep');

    const ids = new Set((await srv.database.db.select({ id: attachments.id }).from(attachments)).map((r) => r.id));
    assert.ok(old.every((o: { id: string }) => !ids.has(o.id)), 'stale unsent uploads are deleted');
    assert.ok(ids.has(recent.id) && sent.every((s: { id: string }) => ids.has(s.id)), 'sent files and recent uploads stay');
    const disk = await filesOnDisk(store);
    assert.ok(!disk.has(sha(stale)), 'the stale upload\'s file is removed');
    assert.ok(!disk.has(orphan.sha256), 'a file no row references is removed');
    assert.ok(!fs.existsSync(tmp), 'a leftover temporary file is removed');
    assert.ok(disk.has(sha(keep)) && disk.has(sha(fresh)), 'files in use stay');
    assert.ok(disk.has(sha(shared)), 'bytes still used by a sent message stay though a stale upload of them went');
    assert.ok(disk.has(newOrphan.sha256), 'a file written within the grace period stays (its row may be on the way)');
    assert.equal((await admin.get(`/api/v1/attachments/${sent[1].id}`)).body, shared);
    // the sweep keeps itself scheduled
    const [job] = await queryRows<{ status: string; run_at: Date }>(srv.database.db, sql`select status, run_at from jobs where key = 'attachments:sweep'`);
    assert.equal(job.status, 'pending');
    assert.ok(new Date(job.run_at).getTime() > Date.now() + 30 * 60_000);
  });

  it('files and their rows survive a restart of the node', async () => {
    const content = crypto.randomBytes(5000);
    const item = (await upload(admin, ticket.id, [{ filename: '重启后.bin', content }])).json().items[0];
    await admin.post(`/api/v1/tickets/${ticket.id}/messages`, { body: 'before restart', attachmentIds: [item.id] });
    await srv.kefu.close();
    const again = await startKefu({ config: srv.config, database: srv.database, logger: false, pollMs: 60_000 });
    try {
      const res = await again.app.inject({ method: 'GET', url: `/api/v1/attachments/${item.id}`, headers: { host: acme.host, cookie: admin.cookie } });
      assert.equal(res.statusCode, 200);
      assert.ok(res.rawPayload.equals(content));
      const detail = await again.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: { host: acme.host, cookie: admin.cookie } });
      assert.ok(detail.json().messages.some((m: { attachments: Array<{ id: string }> }) => m.attachments.some((a) => a.id === item.id)));
    } finally {
      await again.close();
    }
  });
});
