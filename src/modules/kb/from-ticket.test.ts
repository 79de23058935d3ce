import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

/** Answers flowing back: a resolved ticket's answer saved as a draft FAQ article; articles suggested for a ticket. */

describe('ticket → knowledge base', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let globex: TestTenant;
  let admin: Client;
  let agent: Client;
  let billing: string;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    globex = await srv.tenant('globex');
    admin = await acme.admin();
    billing = (await admin.post('/api/v1/departments', { name: '财务' })).json().id;
    agent = await acme.agent('li@acme.test', { departmentIds: [billing] });
  });
  after(async () => { await srv?.close(); });

  const resolvedTicket = async (by: Client, subject: string, asked: string, answer: string, departmentId = billing) => {
    const t = (await by.post('/api/v1/tickets', { subject, body: asked, customer: { name: '张三', email: 'zhang@example.com' }, departmentId })).json();
    assert.equal((await by.post(`/api/v1/tickets/${t.id}/messages`, { body: '内部备注：先查订单', visibility: 'internal' })).statusCode, 201);
    assert.equal((await by.post(`/api/v1/tickets/${t.id}/messages`, { body: '第一次回复', visibility: 'public' })).statusCode, 201);
    assert.equal((await by.post(`/api/v1/tickets/${t.id}/messages`, { body: answer, visibility: 'public' })).statusCode, 201);
    assert.equal((await by.patch(`/api/v1/tickets/${t.id}`, { status: 'resolved' })).statusCode, 200);
    return t.id as string;
  };

  it('saves the request and the last public reply as a draft FAQ linked to the ticket, once; the history records it', async () => {
    const id = await resolvedTicket(agent, '发票抬头开错了怎么办', '我的发票抬头写错了，能重开吗？', '可以重开：在订单详情点“申请换开”，<script>alert(1)</script>填写正确抬头即可。\n\n3 个工作日内发出。');
    const saved = await agent.post(`/api/v1/tickets/${id}/kb-article`);
    assert.equal(saved.statusCode, 201, saved.body);
    assert.deepEqual([saved.json().status, saved.json().existing, saved.json().title], ['draft', false, '发票抬头开错了怎么办']);
    const article = (await admin.get(`/api/v1/kb/articles/${saved.json().articleId}`)).json();
    assert.equal(article.kind, 'faq');
    assert.equal(article.status, 'draft');
    assert.equal(article.sourceTicketId, id);
    assert.deepEqual(article.paraphrases, ['我的发票抬头写错了，能重开吗？']);
    assert.match(article.bodyText, /申请换开/);
    assert.match(article.bodyText, /3 个工作日内发出/);
    assert.doesNotMatch(article.body, /<script/i, 'the reply is escaped, never markup');
    assert.doesNotMatch(article.bodyText, /内部备注|第一次回复/, 'the last public reply only');
    assert.equal(article.locale, 'zh-CN');
    // a draft: not in the help center
    assert.equal((await acme.request('GET', `/api/v1/kb/public/search?q=${encodeURIComponent('发票抬头')}`)).json().total, 0);
    const again = await agent.post(`/api/v1/tickets/${id}/kb-article`);
    assert.deepEqual([again.json().articleId, again.json().existing], [saved.json().articleId, true], 'saving twice gives the same draft');
    const detail = (await admin.get(`/api/v1/tickets/${id}`)).json();
    assert.match(JSON.stringify(detail.history), /kb_article_saved/);
  });

  it('refuses an unresolved ticket, a ticket without a public reply, and tickets one may not see or of another company', async () => {
    const open = (await admin.post('/api/v1/tickets', { subject: '未解决', body: '还在处理', departmentId: billing })).json();
    const r1 = await admin.post(`/api/v1/tickets/${open.id}/kb-article`);
    assert.equal(r1.statusCode, 400);
    assert.match(r1.json().message, /resolved/);
    const silent = (await admin.post('/api/v1/tickets', { subject: '无回复', body: '问题', departmentId: billing })).json();
    await admin.patch(`/api/v1/tickets/${silent.id}`, { status: 'resolved' });
    const r2 = await admin.post(`/api/v1/tickets/${silent.id}/kb-article`);
    assert.equal(r2.statusCode, 400);
    assert.match(r2.json().message, /no public reply/);

    // another department's ticket: the agent cannot see it, so cannot save it (404, like reading it)
    const other = (await admin.post('/api/v1/departments', { name: '售后' })).json().id;
    const hidden = await resolvedTicket(admin, '售后问题', '坏了', '换新', other);
    assert.equal((await agent.get(`/api/v1/tickets/${hidden}`)).statusCode, 404);
    assert.equal((await agent.post(`/api/v1/tickets/${hidden}/kb-article`)).statusCode, 404);
    assert.equal((await agent.get(`/api/v1/tickets/${hidden}/kb-suggestions`)).statusCode, 404);
    const gAdmin = await globex.admin();
    assert.equal((await gAdmin.post(`/api/v1/tickets/${hidden}/kb-article`)).statusCode, 404, 'another company');
    assert.equal((await acme.request('POST', `/api/v1/tickets/${hidden}/kb-article`)).statusCode, 401, 'signed out');
  });

  it('suggests published articles (internal ones too) for the ticket\'s subject and first message', async () => {
    const mk = async (title: string, visibility: 'public' | 'internal', publish: boolean) => {
      const a = (await admin.post('/api/v1/kb/articles', { kind: 'faq', title, body: `<p>${title}的答案</p>`, visibility })).json();
      if (publish) await admin.post(`/api/v1/kb/articles/${a.id}/publish`);
      return a.id as string;
    };
    const pub = await mk('退款多久到账', 'public', true);
    const internal = await mk('退款审批流程', 'internal', true);
    const draft = await mk('退款草稿', 'public', false);
    const t = (await agent.post('/api/v1/tickets', { subject: '退款', body: '我申请的退款多久到账？', departmentId: billing })).json();
    const r = await agent.get(`/api/v1/tickets/${t.id}/kb-suggestions`);
    assert.equal(r.statusCode, 200, r.body);
    const ids = r.json().items.map((h: { article: { id: string } }) => h.article.id);
    assert.equal(ids[0], pub, 'the best match first');
    assert.ok(ids.includes(internal), 'internal articles are for agents too');
    assert.ok(!ids.includes(draft), 'never a draft');
    assert.match(r.json().query, /退款.*多久到账/);
  });
});
