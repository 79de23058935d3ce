import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { multipart, type Part } from '../../testing/multipart.ts';
import { sweepAttachments } from '../attachments/attachments.service.ts';
import { fileStoreFor } from '../attachments/file-store.ts';

/**
 * The customer portal through the HTTP API: filing a request (a portal ticket, the customer found or
 * created by email), browsing public categories, related articles, deflections counted per company,
 * and the visibility rules of articles' files.
 */

describe('portal: requests, browsing, deflection, article files', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let globex: TestTenant;
  let admin: Client;
  let agent: Client;
  let globexAdmin: Client;

  const article = async (client: Client, title: string, extra: Record<string, unknown> = {}, publish = true): Promise<string> => {
    const res = await client.post('/api/v1/kb/articles', { title, body: `<p>${title}：详细步骤</p>`, ...extra });
    assert.equal(res.statusCode, 201, res.body);
    if (publish) assert.equal((await client.post(`/api/v1/kb/articles/${res.json().id}/publish`)).statusCode, 200);
    return res.json().id as string;
  };
  const upload = (client: Client, articleId: string, parts: Part[]): Promise<LightMyRequestResponse> => {
    const { payload, headers } = multipart(parts);
    return client.request('POST', `/api/v1/kb/articles/${articleId}/attachments`, payload, headers);
  };

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    globex = await srv.tenant('globex');
    admin = await acme.admin();
    agent = await acme.agent('li@acme.test');
    globexAdmin = await globex.admin();
  });
  after(async () => { await srv?.close(); });

  it('a request from the help center becomes a portal ticket of the customer found or created by email', async () => {
    const formId = crypto.randomUUID();
    const input = { name: '王小明', email: 'Wang@Example.com', subject: '宽带无法连接', description: '从昨晚开始宽带连不上，光猫红灯闪烁。', formId };
    const res = await acme.request('POST', '/api/v1/portal/requests', input);
    assert.equal(res.statusCode, 201, res.body);
    const { number, duplicate } = res.json();
    assert.equal(duplicate, false);
    assert.ok(Number.isInteger(number) && number > 0);

    // the same form sent again (a retry) is the same request
    const again = await acme.request('POST', '/api/v1/portal/requests', input);
    assert.equal(again.statusCode, 201);
    assert.deepEqual(again.json(), { number, duplicate: true });

    // in the agents' queue, on the portal channel, with the customer and the description as first message
    const queue = (await admin.get(`/api/v1/tickets?view=all&q=%23${number}`)).json();
    assert.equal(queue.items.length, 1, JSON.stringify(queue));
    const ticket = (await admin.get(`/api/v1/tickets/${queue.items[0].id}`)).json();
    assert.equal(ticket.ticket?.channel ?? ticket.channel, 'portal');
    const t = ticket.ticket ?? ticket;
    assert.equal(t.subject, '宽带无法连接');
    assert.equal(t.customer.name, '王小明');
    assert.equal(t.customer.email, 'wang@example.com', 'the address is normalized');
    const messages = ticket.messages as Array<{ body: string; authorType: string; channel: string }>;
    assert.equal(messages.length, 1);
    assert.equal(messages[0].body, '从昨晚开始宽带连不上，光猫红灯闪烁。');
    assert.equal(messages[0].authorType, 'customer');

    // a second request by the same address is a new ticket of the same customer
    const second = await acme.request('POST', '/api/v1/portal/requests', { ...input, formId: crypto.randomUUID(), subject: '发票怎么开', email: 'wang@example.com' });
    assert.equal(second.statusCode, 201);
    assert.equal(second.json().number, number + 1);
    const t2 = (await admin.get(`/api/v1/tickets?view=all&q=%23${second.json().number}`)).json().items[0];
    assert.equal(t2.customer.id, t.customer.id, 'one customer per email address');

    // the other company never sees it
    const theirs = (await globexAdmin.get(`/api/v1/tickets?view=all`)).json();
    assert.equal(theirs.items.length, 0);
  });

  it('files uploaded with a request become its first message\'s attachments; unclaimed or foreign ones are refused', async () => {
    const send = (tenant: TestTenant, parts: Part[]) => { const { payload, headers } = multipart(parts); return tenant.request('POST', '/api/v1/portal/uploads', payload, headers); };
    const up = await send(acme, [{ filename: '截图.png', content: 'png-bytes', contentType: 'image/png' }, { filename: '日志.txt', content: 'log line' }]);
    assert.equal(up.statusCode, 201, up.body);
    const ids = up.json().items.map((i: { id: string }) => i.id);
    // nobody reads an unclaimed upload: not staff (no ticket yet), not the public
    assert.equal((await admin.get(`/api/v1/attachments/${ids[0]}`)).statusCode, 404);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/attachments/${ids[0]}`)).statusCode, 404);
    // another company cannot name them
    const foreign = await globex.request('POST', '/api/v1/portal/requests', { name: 'x', email: 'x@example.com', subject: 's', description: 'd', attachmentIds: ids });
    assert.equal(foreign.statusCode, 404);

    const res = await acme.request('POST', '/api/v1/portal/requests', { name: '赵六', email: 'zhao@example.com', subject: '路由器报错', description: '见截图', attachmentIds: ids, formId: crypto.randomUUID() });
    assert.equal(res.statusCode, 201, res.body);
    const t = (await admin.get(`/api/v1/tickets?view=all&q=%23${res.json().number}`)).json().items[0];
    const detail = (await admin.get(`/api/v1/tickets/${t.id}`)).json();
    const files = detail.messages[0].attachments as Array<{ id: string; filename: string }>;
    assert.deepEqual(files.map((f) => f.filename).sort(), ['日志.txt', '截图.png'].sort());
    assert.equal((await admin.get(`/api/v1/attachments/${ids[1]}`)).body, 'log line');

    // claimed once: a second request cannot take them; a failed request creates no ticket
    const before = (await admin.get('/api/v1/tickets?view=all')).json().total;
    const again = await acme.request('POST', '/api/v1/portal/requests', { name: '赵六', email: 'zhao@example.com', subject: '再来', description: 'd', attachmentIds: [ids[0]] });
    assert.equal(again.statusCode, 404);
    assert.equal((await admin.get('/api/v1/tickets?view=all')).json().total, before, 'nothing was filed');
    assert.equal((await send(acme, [{ filename: 'empty.txt', content: '' }])).statusCode, 400);
    assert.equal((await send(acme, Array.from({ length: 6 }, (_, i) => ({ filename: `${i}.txt`, content: 'x' })))).statusCode, 413);
  });

  it('bad requests are refused with a clear 400', async () => {
    const good = { name: '张三', email: 'zhang@example.com', subject: '问题', description: '描述' };
    for (const [change, field] of [
      [{ email: 'not-an-address' }, 'email'], [{ subject: '   ' }, 'subject'], [{ description: '' }, 'description'],
      [{ name: 'x'.repeat(101) }, 'name'], [{ formId: 'abc' }, 'formId'], [{ extra: 1 }, 'extra'],
    ] as const) {
      const res = await acme.request('POST', '/api/v1/portal/requests', { ...good, ...change });
      assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
      assert.ok(res.json().message.length > 0);
    }
    const missing = await acme.request('POST', '/api/v1/portal/requests', { name: '张三', email: 'zhang@example.com' });
    assert.equal(missing.statusCode, 400);
    const unknown = await srv.kefu.app.inject({ method: 'POST', url: '/api/v1/portal/requests', headers: { host: 'nosuch.localhost', 'content-type': 'application/json' }, payload: JSON.stringify(good) });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'tenant_unknown');
  });

  it('filing requests is rate limited per address', async () => {
    const limited = await testServer({ helpCenterRateLimit: 24 }); // two requests a minute
    try {
      const t = await limited.tenant('tiny');
      const body = { name: 'A', email: 'a@example.com', subject: 's', description: 'd' };
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await t.request('POST', '/api/v1/portal/requests', body)).statusCode);
      assert.deepEqual(codes, [201, 201, 429]);
    } finally { await limited.close(); }
  });

  it('the help center browses categories holding public articles, and related articles', async () => {
    const top = (await admin.post('/api/v1/kb/categories', { name: '宽带业务' })).json().id;
    const sub = (await admin.post('/api/v1/kb/categories', { name: '宽带故障', parentId: top })).json().id;
    const empty = (await admin.post('/api/v1/kb/categories', { name: '只有内部文章' })).json().id;
    const renew = await article(admin, '宽带怎么续费', { categoryId: top, keywords: ['宽带'] });
    const down = await article(admin, '宽带断网怎么办', { categoryId: sub, keywords: ['宽带'] });
    await article(admin, '宽带内部排障手册', { categoryId: empty, visibility: 'internal' });
    const draft = await article(admin, '宽带草稿', { categoryId: top }, false);

    const cats = (await acme.request('GET', '/api/v1/kb/public/categories')).json();
    const byId = new Map(cats.items.map((c: { id: string; articleCount: number }) => [c.id, c.articleCount]));
    assert.equal(byId.get(top), 2, 'its own and its sub-category\'s public article');
    assert.equal(byId.get(sub), 1);
    assert.ok(!byId.has(empty), 'a category with nothing public is not shown');

    const list = (await acme.request('GET', `/api/v1/kb/public/categories/${top}/articles`)).json();
    assert.deepEqual(new Set(list.items.map((a: { id: string }) => a.id)), new Set([renew, down]));
    assert.ok(!list.items.some((a: { id: string }) => a.id === draft));
    assert.equal((await acme.request('GET', `/api/v1/kb/public/categories/${top}`)).json().name, '宽带业务');

    const related = (await acme.request('GET', `/api/v1/kb/public/articles/${renew}/related`)).json();
    assert.ok(related.items.some((a: { id: string }) => a.id === down), JSON.stringify(related));
    assert.ok(!related.items.some((a: { id: string }) => a.id === renew || a.id === draft), 'never itself, never a draft');
    assert.equal((await acme.request('GET', `/api/v1/kb/public/articles/${draft}/related`)).statusCode, 404);

    // another company's ids are unknown here
    assert.equal((await globex.request('GET', `/api/v1/kb/public/categories/${top}/articles`)).statusCode, 404);
    assert.equal((await globex.request('GET', `/api/v1/kb/public/articles/${renew}/related`)).statusCode, 404);
    assert.equal((await globex.request('GET', '/api/v1/kb/public/categories')).json().total, 0);
  });

  it('deflections are recorded for readable articles, once per visit, and counted per company', async () => {
    const solved = await article(admin, '发票怎么开');
    const other = await article(admin, '怎么修改密码');
    const draft = await article(admin, '未发布的答案', {}, false);
    const visit = crypto.randomUUID();
    const deflect = (tenant: TestTenant, body: Record<string, unknown>) => tenant.request('POST', '/api/v1/kb/public/deflections', body);

    let res = await deflect(acme, { articleId: solved, query: '发票  在哪里开', source: 'portal', visitId: visit });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().recorded, true);
    res = await deflect(acme, { articleId: solved, query: '发票', source: 'portal', visitId: visit });
    assert.equal(res.json().recorded, false, 'pressed twice in one visit: counted once');
    assert.equal((await deflect(acme, { articleId: solved, source: 'widget', visitId: crypto.randomUUID() })).json().recorded, true);
    assert.equal((await deflect(acme, { articleId: other, source: 'portal' })).json().recorded, true);

    assert.equal((await deflect(acme, { articleId: draft, source: 'portal' })).statusCode, 404, 'a draft cannot have solved anything');
    assert.equal((await deflect(globex, { articleId: solved, source: 'portal' })).statusCode, 404, 'another company\'s article');
    assert.equal((await deflect(acme, { articleId: solved, source: 'email' })).statusCode, 400);
    assert.equal((await deflect(acme, { articleId: 'nope', source: 'portal' })).statusCode, 400);

    const stats = (await admin.get('/api/v1/kb/deflections')).json();
    assert.equal(stats.total, 3);
    assert.equal(stats.portal, 2);
    assert.equal(stats.widget, 1);
    assert.deepEqual(stats.articles.map((a: { articleId: string; count: number }) => [a.articleId, a.count]), [[solved, 2], [other, 1]]);
    assert.equal(stats.articles[0].title, '发票怎么开');
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(stats.byDay, [{ day: today, count: 3 }]);

    // a period without them; a bad period
    const past = (await admin.get('/api/v1/kb/deflections?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z')).json();
    assert.equal(past.total, 0);
    assert.equal((await admin.get('/api/v1/kb/deflections?from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z')).statusCode, 400);
    assert.equal((await admin.get('/api/v1/kb/deflections?from=2020-01-01T00:00:00Z&to=2022-01-01T00:00:00Z')).statusCode, 400, 'more than a year');

    // per company, and only for those who manage the knowledge base
    assert.equal((await globexAdmin.get('/api/v1/kb/deflections')).json().total, 0);
    assert.equal((await agent.get('/api/v1/kb/deflections')).statusCode, 403);
    assert.equal((await acme.request('GET', '/api/v1/kb/deflections')).statusCode, 401);

    // the article deleted: its deflections still count, without a title
    assert.equal((await admin.del(`/api/v1/kb/articles/${other}`)).statusCode, 200);
    const later = (await admin.get('/api/v1/kb/deflections')).json();
    assert.equal(later.total, 3);
    assert.ok(later.articles.some((a: { articleId: string | null; title: string | null; count: number }) => a.articleId === null && a.title === null && a.count === 1));
  });

  it('suggestions leave out weak matches and answer the widget cross-origin; the widget\'s "solved" counts as widget', async () => {
    const renew = await article(admin, '宽带怎么续费', { kind: 'faq', paraphrases: ['宽带到期了怎么办'], keywords: ['宽带续费'] });
    await article(admin, '光猫红灯闪烁怎么办');
    await article(admin, '宽带续费内部流程', { visibility: 'internal' });
    const res = await acme.request('GET', `/api/v1/kb/public/suggestions?q=${encodeURIComponent('宽带到期了怎么续费')}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const titles = res.json().items.map((i: { title: { text: string } }) => i.title.text);
    assert.equal(titles[0], '宽带怎么续费');
    assert.ok(!titles.includes('光猫红灯闪烁怎么办'), `matched only on 怎么/办: ${titles}`);
    assert.ok(!titles.includes('宽带续费内部流程'), 'internal articles are never suggested');
    assert.ok(res.json().items[0].snippet.ranges.length >= 0);
    assert.equal((await acme.request('GET', '/api/v1/kb/public/suggestions?q=%20')).statusCode, 400);
    assert.equal((await globex.request('GET', `/api/v1/kb/public/suggestions?q=${encodeURIComponent('宽带到期了怎么续费')}`)).json().items.length, 0);

    const before = (await admin.get('/api/v1/kb/deflections')).json();
    // a bodiless POST with the fields in the query: a simple cross-origin request from the company's site
    const visit = crypto.randomUUID();
    const url = `/api/v1/kb/public/widget-deflections?articleId=${renew}&q=${encodeURIComponent('宽带到期了怎么续费')}&visitId=${visit}`;
    const solved = await srv.kefu.app.inject({ method: 'POST', url, headers: { host: acme.host, origin: 'https://shop.example' } });
    assert.equal(solved.statusCode, 201, solved.body);
    assert.equal(solved.headers['access-control-allow-origin'], '*');
    assert.equal(solved.json().recorded, true);
    assert.equal((await srv.kefu.app.inject({ method: 'POST', url, headers: { host: acme.host } })).json().recorded, false);
    const after = (await admin.get('/api/v1/kb/deflections')).json();
    assert.equal(after.widget, before.widget + 1);
    assert.equal(after.portal, before.portal);
    assert.equal((await srv.kefu.app.inject({ method: 'POST', url: `/api/v1/kb/public/widget-deflections?articleId=${renew}`, headers: { host: globex.host } })).statusCode, 404);
  });

  it('an article\'s files are public only while it is published and public', async () => {
    const id = await article(admin, '路由器设置说明书');
    const up = await upload(admin, id, [{ filename: '说明书.pdf', content: '%PDF-1.4 manual', contentType: 'application/pdf' }, { filename: 'x.html', content: '<script>alert(1)</script>', contentType: 'text/html' }]);
    assert.equal(up.statusCode, 201, up.body);
    const [pdf, html] = up.json().items as Array<{ id: string; filename: string }>;
    assert.equal(pdf.filename, '说明书.pdf');

    assert.equal((await upload(agent, id, [{ filename: 'a.txt', content: 'a' }])).statusCode, 403, 'attaching needs kb.manage');
    assert.equal((await upload(globexAdmin, id, [{ filename: 'a.txt', content: 'a' }])).statusCode, 404);

    // staff see and download them
    assert.equal((await agent.get(`/api/v1/kb/articles/${id}/attachments`)).json().items.length, 2);
    const staffDownload = await agent.get(`/api/v1/attachments/${pdf.id}`);
    assert.equal(staffDownload.statusCode, 200);
    assert.equal(staffDownload.body, '%PDF-1.4 manual');

    // the public, while published and public
    const list = await acme.request('GET', `/api/v1/kb/public/articles/${id}/attachments`);
    assert.equal(list.json().items.length, 2);
    const dl = await acme.request('GET', `/api/v1/kb/public/attachments/${html.id}`);
    assert.equal(dl.statusCode, 200);
    assert.equal(dl.headers['content-type'], 'application/octet-stream', 'HTML is never served as a page');
    assert.match(String(dl.headers['content-disposition']), /^attachment;/);
    assert.equal(dl.headers['content-security-policy'], 'sandbox');

    // another company's host, or a ticket's file through the public route: not found
    assert.equal((await globex.request('GET', `/api/v1/kb/public/attachments/${pdf.id}`)).statusCode, 404);
    assert.equal((await globex.request('GET', `/api/v1/kb/public/articles/${id}/attachments`)).statusCode, 404);

    // unpublished: gone for the public, still there for staff
    await admin.post(`/api/v1/kb/articles/${id}/unpublish`);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/attachments/${pdf.id}`)).statusCode, 404);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/articles/${id}/attachments`)).statusCode, 404);
    assert.equal((await agent.get(`/api/v1/attachments/${pdf.id}`)).statusCode, 200);
    // published again but internal: still not public
    await admin.patch(`/api/v1/kb/articles/${id}`, { visibility: 'internal' });
    await admin.post(`/api/v1/kb/articles/${id}/publish`);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/attachments/${pdf.id}`)).statusCode, 404);
    await admin.patch(`/api/v1/kb/articles/${id}`, { visibility: 'public' });
    assert.equal((await acme.request('GET', `/api/v1/kb/public/attachments/${pdf.id}`)).statusCode, 200);

    // the hourly sweep keeps article files (they have no message), even when old
    const swept = await sweepAttachments(srv.database.db, fileStoreFor(srv.config), new Date(Date.now() + 7 * 86_400_000));
    assert.equal(swept.uploads, 0);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/attachments/${pdf.id}`)).statusCode, 200);

    // removed by an administrator
    assert.equal((await agent.del(`/api/v1/kb/articles/${id}/attachments/${html.id}`)).statusCode, 403);
    assert.equal((await admin.del(`/api/v1/kb/articles/${id}/attachments/${html.id}`)).statusCode, 200);
    assert.equal((await admin.del(`/api/v1/kb/articles/${id}/attachments/${html.id}`)).statusCode, 404);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/attachments/${html.id}`)).statusCode, 404);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/articles/${id}/attachments`)).json().items.length, 1);
  });
});
