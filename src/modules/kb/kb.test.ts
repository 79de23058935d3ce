import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { executableVectors } from '../../testing/executable-html.ts';
import { corpus } from '../../channels/email/test-corpora.ts';
import { SYSTEM } from '../auth/actor.ts';
import { cleanBody, importArticles } from './kb-articles.service.ts';
import { searchArticles } from './search/search.ts';

/** Knowledge base through the HTTP API: categories, articles, versions, publishing, visibility, isolation, sanitizing. */

describe('knowledge base: categories, articles, versions, visibility', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let globex: TestTenant;
  let admin: Client;
  let agent: Client;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    globex = await srv.tenant('globex');
    admin = await acme.admin();
    agent = await acme.agent('li@acme.test');
  });
  after(async () => { await srv?.close(); });

  it('categories form a tree: names unique per level, no cycles, no deleting a parent', async () => {
    const top = await admin.post('/api/v1/kb/categories', { name: '宽带' });
    assert.equal(top.statusCode, 201, top.body);
    const sub = await admin.post('/api/v1/kb/categories', { name: '故障', parentId: top.json().id });
    assert.equal(sub.statusCode, 201);
    assert.equal((await admin.post('/api/v1/kb/categories', { name: '故障', parentId: top.json().id })).statusCode, 409, 'same name, same level');
    assert.equal((await admin.post('/api/v1/kb/categories', { name: '故障' })).statusCode, 201, 'same name, another level');
    const cycle = await admin.patch(`/api/v1/kb/categories/${top.json().id}`, { parentId: sub.json().id });
    assert.equal(cycle.statusCode, 409);
    assert.equal(cycle.json().code, 'kb_category_cycle');
    const del = await admin.del(`/api/v1/kb/categories/${top.json().id}`);
    assert.equal(del.statusCode, 409);
    assert.equal(del.json().code, 'kb_category_not_empty');
    const list = (await agent.get('/api/v1/kb/categories')).json();
    assert.ok(list.items.some((c: { id: string; parentId: string }) => c.id === sub.json().id && c.parentId === top.json().id));
    assert.equal((await agent.post('/api/v1/kb/categories', { name: 'x' })).statusCode, 403, 'writing needs kb.manage');
    assert.equal((await admin.post('/api/v1/kb/categories', { name: '   ' })).statusCode, 400);
  });

  it('an article is a draft until published; every save is a version', async () => {
    const created = await admin.post('/api/v1/kb/articles', { kind: 'faq', title: '宽带怎么续费', body: '<p>登录营业厅</p>', paraphrases: ['宽带到期了怎么办', ' 宽带到期了怎么办 ', ''] .filter(Boolean) });
    assert.equal(created.statusCode, 201, created.body);
    const a = created.json();
    assert.equal(a.status, 'draft');
    assert.deepEqual(a.paraphrases, ['宽带到期了怎么办'], 'trimmed, duplicates dropped');
    assert.equal(a.version, 1);
    const edited = (await admin.patch(`/api/v1/kb/articles/${a.id}`, { body: '<p>登录<b>网上营业厅</b></p>', keywords: ['续费'] })).json();
    assert.equal(edited.version, 2);
    assert.equal(edited.bodyText, '登录网上营业厅');
    const published = (await admin.post(`/api/v1/kb/articles/${a.id}/publish`)).json();
    assert.equal(published.status, 'published');
    assert.ok(published.publishedAt);
    const versions = (await agent.get(`/api/v1/kb/articles/${a.id}/versions`)).json();
    assert.deepEqual(versions.items.map((v: { version: number; action: string }) => [v.version, v.action]), [[3, 'publish'], [2, 'update'], [1, 'create']]);
    assert.equal(versions.items[2].body, '<p>登录营业厅</p>', 'the first version keeps the first text');
    assert.equal(versions.items[0].authorName, 'acme admin');
    const back = (await admin.post(`/api/v1/kb/articles/${a.id}/unpublish`)).json();
    assert.equal(back.status, 'draft');
    assert.equal((await admin.patch(`/api/v1/kb/articles/${a.id}`, {})).statusCode, 400, 'an empty change is refused');
    assert.equal((await agent.patch(`/api/v1/kb/articles/${a.id}`, { title: 'x' })).statusCode, 403);
    assert.equal((await agent.get(`/api/v1/kb/articles/${a.id}`)).statusCode, 200, 'staff read the knowledge base');
  });

  it('the help center only ever sees published public articles', async () => {
    const make = async (title: string, extra: Record<string, unknown>, publish: boolean) => {
      const a = (await admin.post('/api/v1/kb/articles', { title, body: '光猫重启方法', ...extra })).json();
      if (publish) await admin.post(`/api/v1/kb/articles/${a.id}/publish`);
      return a.id as string;
    };
    const pub = await make('光猫怎么重启（公开）', {}, true);
    const internal = await make('光猫怎么重启（内部）', { visibility: 'internal' }, true);
    const draft = await make('光猫怎么重启（草稿）', {}, false);
    for (const mode of ['exact', 'any', 'fuzzy']) {
      const res = await acme.request('GET', `/api/v1/kb/public/search?q=${encodeURIComponent('光猫重启')}&mode=${mode}`);
      assert.equal(res.statusCode, 200, res.body);
      const ids = res.json().items.map((h: { article: { id: string } }) => h.article.id);
      assert.deepEqual(ids, [pub], `${mode}: public search finds the published public article only`);
      assert.equal(res.json().items[0].article.status, undefined, 'no internal fields in the public shape');
    }
    // even asking for them by id
    assert.equal((await acme.request('GET', `/api/v1/kb/public/articles/${internal}`)).statusCode, 404);
    assert.equal((await acme.request('GET', `/api/v1/kb/public/articles/${draft}`)).statusCode, 404);
    assert.equal((await acme.request('POST', `/api/v1/kb/articles/${draft}/vote`, { helpful: true })).statusCode, 404);
    // staff see all three
    const staff = (await agent.get(`/api/v1/kb/search?q=${encodeURIComponent('光猫重启')}&mode=any`)).json();
    assert.deepEqual(new Set(staff.items.map((h: { article: { id: string } }) => h.article.id)), new Set([pub, internal, draft]));
  });

  it('views and helpful votes count on published public articles', async () => {
    const a = (await admin.post('/api/v1/kb/articles', { title: '发票怎么开', body: '在订单页申请' })).json();
    await admin.post(`/api/v1/kb/articles/${a.id}/publish`);
    const opened = await acme.request('GET', `/api/v1/kb/public/articles/${a.id}`);
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.json().body, '在订单页申请');
    await acme.request('GET', `/api/v1/kb/public/articles/${a.id}`);
    assert.deepEqual((await acme.request('POST', `/api/v1/kb/articles/${a.id}/vote`, { helpful: true })).json(), { helpfulYes: 1, helpfulNo: 0 });
    assert.deepEqual((await acme.request('POST', `/api/v1/kb/articles/${a.id}/vote`, { helpful: false })).json(), { helpfulYes: 1, helpfulNo: 1 });
    assert.equal((await acme.request('POST', `/api/v1/kb/articles/${a.id}/vote`, { helpful: 'yes' })).statusCode, 400);
    const seen = (await agent.get(`/api/v1/kb/articles/${a.id}`)).json();
    assert.equal(seen.views, 2, 'staff reads do not count as views');
    assert.equal(seen.helpfulYes, 1);
  });

  it("a company never sees another's articles, categories or search results", async () => {
    const a = (await admin.post('/api/v1/kb/articles', { title: '独家秘方：极藻', body: '只属于 acme' })).json();
    await admin.post(`/api/v1/kb/articles/${a.id}/publish`);
    const cat = (await admin.post('/api/v1/kb/categories', { name: 'acme 专属' })).json();
    const g = await globex.admin();
    assert.equal((await g.get(`/api/v1/kb/articles/${a.id}`)).statusCode, 404);
    assert.equal((await g.patch(`/api/v1/kb/articles/${a.id}`, { title: 'x' })).statusCode, 404);
    assert.equal((await g.post(`/api/v1/kb/articles/${a.id}/publish`)).statusCode, 404);
    assert.equal((await g.del(`/api/v1/kb/articles/${a.id}`)).statusCode, 404);
    assert.equal((await g.get(`/api/v1/kb/articles/${a.id}/versions`)).statusCode, 404);
    assert.equal((await globex.request('GET', `/api/v1/kb/public/articles/${a.id}`)).statusCode, 404);
    assert.equal((await globex.request('POST', `/api/v1/kb/articles/${a.id}/vote`, { helpful: true })).statusCode, 404);
    assert.equal((await g.patch(`/api/v1/kb/categories/${cat.id}`, { name: 'x' })).statusCode, 404);
    assert.equal((await g.post('/api/v1/kb/articles', { title: 'x', categoryId: cat.id })).statusCode, 404, "another company's category");
    assert.equal((await g.get(`/api/v1/kb/search?q=x&categoryId=${cat.id}`)).statusCode, 404);
    assert.deepEqual((await g.get(`/api/v1/kb/search?q=${encodeURIComponent('极藻')}&mode=fuzzy`)).json().items, []);
    assert.deepEqual((await globex.request('GET', `/api/v1/kb/public/search?q=${encodeURIComponent('极藻 秘方')}`)).json().items, []);
    assert.ok(!(await g.get('/api/v1/kb/categories')).json().items.some((c: { id: string }) => c.id === cat.id));
  });

  it('deleting an article takes it out of search and the term counts', async () => {
    const a = (await admin.post('/api/v1/kb/articles', { title: '独一无二的测试词汇甲乙丙', keywords: ['甲乙丙'] })).json();
    const found = async () => (await admin.get(`/api/v1/kb/search?q=${encodeURIComponent('甲乙丙')}`)).json().items.length;
    assert.equal(await found(), 1);
    assert.equal((await admin.del(`/api/v1/kb/articles/${a.id}`)).statusCode, 200);
    assert.equal(await found(), 0);
    assert.equal((await admin.get(`/api/v1/kb/articles/${a.id}`)).statusCode, 404);
    const audit = (await admin.get('/api/v1/audit-log?limit=50')).json();
    assert.ok(audit.items.some((e: { action: string; targetId: string }) => e.action === 'kb_article.delete' && e.targetId === a.id));
  });

  it('bad input is refused with a clear 400 and nothing is saved', async () => {
    const before = (await admin.get('/api/v1/kb/articles?limit=200')).json().total;
    const bad: Array<Record<string, unknown>> = [
      {}, { title: '' }, { title: '  ' }, { title: 'x'.repeat(201) }, { title: 'x', kind: 'blog' }, { title: 'x', locale: 'fr' },
      { title: 'x', visibility: 'secret' }, { title: 'x', keywords: [{}] }, { title: 'x', keywords: Array(51).fill('k') },
      { title: 'x', paraphrases: ['p'.repeat(301)] }, { title: 'x', status: 'published' }, { title: 'x', body: 'b'.repeat(200_001) },
    ];
    for (const body of bad) {
      const res = await admin.post('/api/v1/kb/articles', body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body).slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      assert.ok(res.json().message, 'with a message');
    }
    assert.equal((await admin.get('/api/v1/kb/articles?limit=200')).json().total, before);
  });
});

describe('knowledge base: article bodies are sanitized (XSS corpora)', () => {
  const sets = ['xss-dompurify-fixtures', 'xss-html5sec-h5sc', 'xss-payloadsallthethings'] as const;
  const load = (dir: string): string[] => {
    const out: string[] = [];
    const json = (f: string) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Array<Record<string, string>> : []);
    out.push(...json('fixtures.json').map((f) => f.payload), ...json('items.json').map((f) => f.vector), ...json('vectors.json').map((f) => f.vector));
    const payloads = path.join(dir, 'payloads');
    if (fs.existsSync(payloads)) {
      for (const f of fs.readdirSync(payloads, { recursive: true }) as string[]) {
        const p = path.join(payloads, f);
        if (f.endsWith('.txt') && fs.statSync(p).isFile()) out.push(...fs.readFileSync(p, 'utf8').split('\n').filter((l) => l.trim()));
      }
    }
    return out.filter((p) => typeof p === 'string');
  };

  for (const name of sets) {
    const { dir, skip } = corpus(name);
    it(`${name}: no executable vector survives in a stored body`, { skip }, () => {
      const list = load(dir);
      const bad: string[] = [];
      for (const payload of list) {
        const { body, bodyText } = cleanBody(payload);
        const v = executableVectors(body);
        if (v.length) bad.push(`${payload.slice(0, 60)} → ${v.join(', ')}`);
        assert.equal(typeof bodyText, 'string');
      }
      console.log(`${name}: ${list.length} payloads, ${bad.length} with an executable vector after sanitizing`);
      assert.ok(list.length > 100, `only ${list.length} payloads`);
      assert.deepEqual(bad, []);
    });
  }

  it('through the API and search: stored bodies are inert, snippets are text', { skip: corpus('xss-dompurify-fixtures').skip }, async () => {
    const srv = await testServer();
    try {
      const t = await srv.tenant('xss');
      const admin = await t.admin();
      const payloads = load(corpus('xss-dompurify-fixtures').dir).slice(0, 40);
      for (const [i, payload] of payloads.entries()) {
        const res = await admin.post('/api/v1/kb/articles', { title: `攻击样本 ${i}`, body: payload });
        assert.equal(res.statusCode, 201, res.body);
        const stored = (await admin.get(`/api/v1/kb/articles/${res.json().id}`)).json();
        assert.deepEqual(executableVectors(stored.body), [], payload);
      }
      // the import path sanitizes the same way; what search shows of a body is its text
      const ctx = { db: srv.database.db, tenantId: t.id, actor: SYSTEM, publicUrl: '' };
      await importArticles(ctx, payloads.map((p, i) => ({ title: `导入样本 ${i}`, body: `样本 ${p}`, published: true })));
      const r = await searchArticles(srv.database.db, { tenantId: t.id, q: '样本', mode: 'any', limit: 50, offset: 0 });
      assert.ok(r.hits.length >= 40, `${r.hits.length} hits`);
      const flat = (s: string) => s.replace(/…/g, '').replace(/\s+/g, ' ').trim();
      for (const h of r.hits) {
        const stored = (await admin.get(`/api/v1/kb/articles/${h.article.id}`)).json();
        assert.deepEqual(executableVectors(stored.body), []);
        assert.ok(flat(stored.bodyText).includes(flat(h.snippet.text)), `the snippet is a piece of the body's text: ${h.snippet.text}`);
      }
    } finally {
      await srv.close();
    }
  });
});
