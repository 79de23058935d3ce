import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { TestVisitor } from '../../testing/chat-visitor.ts';
import { chatConversations } from './webchat.schema.ts';
import { chatRobotStates } from './robot.schema.ts';

/**
 * The chat robot over real sockets: it answers above its threshold, offers three articles between,
 * hands over below its floor and on "转人工"; what it could not answer is logged, deduplicated, per
 * company; the thresholds are per widget style and checked.
 */

type Line = { body: string; author?: string; seq: number };
const bot = (v: TestVisitor) => (v.transcript as Line[]).filter((m) => m.author === 'bot');
const status = (v: TestVisitor) => v.lastStatus()?.status as string | undefined;

describe('chat robot', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let acme: TestTenant;
  let url: string;
  let admin: Client;
  const closers: Array<() => void> = [];
  const articles: Record<string, string> = {};

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    url = await srv.kefu.listen();
    admin = await acme.admin();
    const faq = async (title: string, body: string, paraphrases: string[] = []) => {
      const a = (await admin.post('/api/v1/kb/articles', { kind: 'faq', title, body: `<p>${body}</p>`, paraphrases, visibility: 'public' })).json();
      assert.equal((await admin.post(`/api/v1/kb/articles/${a.id}/publish`)).statusCode, 200);
      articles[title] = a.id;
    };
    await faq('宽带怎么续费', '登录网上营业厅，选择“宽带续费”即可。', ['宽带到期了怎么交费']);
    await faq('宽带报修电话是多少', '请拨打 10000 转 2 报修。');
    await faq('宽带怎么改密码', '在营业厅 App 的“我的宽带”里修改。');
    await faq('发票怎么开', '订单完成后在订单详情里申请电子发票。');
  });
  after(async () => {
    for (const c of closers) c();
    await srv.close();
  });

  const visitor = (styleId: string) => {
    const v = new TestVisitor(url, { host: acme.host, styleId, reconnection: false });
    closers.push(() => v.close());
    return v.ready();
  };
  const style = async (name: string, more: Record<string, unknown> = {}) => {
    const r = await admin.post('/api/v1/widget-styles', { name, robotEnabled: true, ...more });
    assert.equal(r.statusCode, 201, r.body);
    return r.json() as { id: string; robotAnswerThreshold: number; robotSuggestThreshold: number; robotHandoverFloor: number };
  };
  const conv = async (id: string) => (await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, id)))[0];
  const unanswered = async (c: Client, q = '') => (await c.get(`/api/v1/kb/unanswered${q}`)).json() as { items: Array<{ id: string; question: string; count: number; reason: string; status: string; ticketNumber: number | null; widgetName: string | null }>; total: number };

  it('answers above its threshold and keeps the chat; "转人工" then hands it to an agent, and the answered question is logged', async () => {
    const agent = await acme.agent('li@acme.test');
    const s = await style('官网机器人', { robotName: '小克', robotGreetingZh: '您好，我是小克', robotGreetingEn: "Hi, I'm Kay" });
    assert.deepEqual([s.robotAnswerThreshold, s.robotSuggestThreshold, s.robotHandoverFloor], [0.6, 0.3, 0.2], 'the defaults chosen on CLINC150');
    const v = await visitor(s.id);
    assert.deepEqual((v.hello!.style as { robot: unknown }).robot, { name: '小克', greetingZh: '您好，我是小克', greetingEn: "Hi, I'm Kay" });
    v.write('宽带怎么续费？');
    const answer = await v.until(() => bot(v)[0], 'the robot\'s answer');
    assert.match(answer.body, /网上营业厅/);
    assert.equal(status(v), 'bot');
    const c = await conv(v.conversationId!);
    assert.equal(c.status, 'bot', 'an agent is online, yet the robot keeps the chat');
    assert.equal(c.agentId, null);

    v.write('转人工');
    await v.until(() => status(v) === 'active', 'an agent to take over');
    assert.match(bot(v).at(-1)!.body, /转接人工/);
    assert.equal((await conv(v.conversationId!)).agentId, agent.userId);
    const ticket = (await admin.get(`/api/v1/tickets/${c.ticketId}`)).json();
    assert.match(JSON.stringify(ticket.history), /robot_handover/);
    const log = await unanswered(admin);
    const row = log.items.find((i) => i.question === '宽带怎么续费？');
    assert.ok(row, JSON.stringify(log));
    assert.equal(row.reason, 'handover_after_answer');
    assert.equal(row.widgetName, '官网机器人');
    assert.equal(row.ticketNumber, ticket.number ?? ticket.ticket?.number);
    await agent.post('/api/v1/chats/end', { conversationId: v.conversationId });
  });

  it('between the thresholds it offers three articles; a pick sends that answer; "none of these" is logged and hands over', async () => {
    // answer threshold 1: nothing is certain enough to answer outright, everything found is offered
    const s = await style('只推荐', { robotAnswerThreshold: 1, robotSuggestThreshold: 0, robotHandoverFloor: 0 });
    const v = await visitor(s.id);
    const offered = new Promise<{ choices: Array<{ articleId: string; title: string }> }>((resolve) => v.socket.once('robot.choices', resolve));
    v.write('宽带');
    const { choices } = await offered;
    assert.equal(choices.length, 3);
    assert.ok(choices.every((ch) => ch.title.includes('宽带')), JSON.stringify(choices));
    await v.until(() => bot(v)[0], 'the list of choices as a message');
    assert.match(bot(v)[0].body, /1\. .*\n2\. .*\n3\. /);

    const foreign = await v.socket.emitWithAck('robot.pick', { conversationId: v.conversationId, articleId: articles['发票怎么开'] });
    assert.deepEqual(foreign, { ok: false, error: 'Not one of the offered articles' });
    const pick = choices.find((ch) => ch.articleId === articles['宽带报修电话是多少'])!;
    assert.deepEqual(await v.socket.emitWithAck('robot.pick', { conversationId: v.conversationId, articleId: pick.articleId }), { ok: true });
    await v.until(() => bot(v).find((m) => m.body.includes('10000')), 'the picked answer');
    const [state] = await srv.database.db.select().from(chatRobotStates).where(eq(chatRobotStates.conversationId, v.conversationId!));
    assert.equal(state.answeredArticleId, pick.articleId);

    // asked again, and none of them fits
    const second = new Promise((resolve) => v.socket.once('robot.choices', resolve));
    v.write('宽带 网速慢');
    await second;
    assert.deepEqual(await v.socket.emitWithAck('robot.pick', { conversationId: v.conversationId, articleId: null }), { ok: true });
    await v.until(() => status(v) === 'active' || status(v) === 'queued', 'the hand-over');
    const row = (await unanswered(admin)).items.find((i) => i.question === '宽带 网速慢');
    assert.equal(row?.reason, 'rejected');
    assert.deepEqual(await v.socket.emitWithAck('robot.pick', { conversationId: v.conversationId, articleId: null }), { ok: false, error: 'The robot no longer serves this chat' });
  });

  it('below its floor it hands over at once (the offline form when nobody is online); the same question again counts up', async () => {
    const s = await style('深夜');
    for (const u of (await admin.get('/api/v1/staff')).json().items as Array<{ id: string }>) await srv.database.db.execute(`update users set presence = 'offline' where id = '${u.id}'`);
    const v = await visitor(s.id);
    assert.equal(v.hello!.online, true, 'with the robot first, the chat opens even with nobody online');
    v.write('火星上今天的天气怎么样？');
    await v.until(() => status(v) === 'offline', 'the offline form');
    assert.match(bot(v)[0].body, /转接人工/);
    const again = await visitor(s.id);
    again.write('火星上今天的天气怎么样');
    await again.until(() => status(again) === 'offline', 'the offline form again');
    const row = (await unanswered(admin)).items.find((i) => i.question.startsWith('火星上今天的天气怎么样'));
    assert.equal(row?.count, 2, 'one row for both wordings');
    assert.equal(row?.reason, 'no_answer');
    // ignore it: out of the open list, still counting
    const ignored = await admin.post(`/api/v1/kb/unanswered/${row!.id}/ignore`);
    assert.equal(ignored.json().status, 'ignored');
    assert.ok(!(await unanswered(admin, '?status=open')).items.some((i) => i.id === row!.id));
    assert.ok((await unanswered(admin, '?status=ignored')).items.some((i) => i.id === row!.id));
    await srv.database.db.execute(`update users set presence = 'online'`);
  });

  it('a weak match asks to rephrase once, a second miss hands over; "human" works in English', async () => {
    // floor 0: nothing found (confidence 0) is still "not sure" rather than "no idea"
    const s = await style('换个说法', { robotAnswerThreshold: 1, robotSuggestThreshold: 1, robotHandoverFloor: 0 });
    const v = await visitor(s.id);
    v.write('木星磁场');
    await v.until(() => bot(v)[0], 'the request to rephrase');
    assert.match(bot(v)[0].body, /换个说法/);
    v.write('土星光环');
    await v.until(() => status(v) === 'active' || status(v) === 'queued', 'the hand-over after a second miss');
    const log = await unanswered(admin);
    assert.ok(log.items.some((i) => i.question === '木星磁场') && log.items.some((i) => i.question === '土星光环'), 'both questions are logged');

    const en = await visitor((await style('English', { language: 'en' })).id);
    en.write('human');
    await en.until(() => status(en) === 'active' || status(en) === 'queued', 'the hand-over');
    assert.match(bot(en)[0].body, /get a person/);
  });

  it('thresholds are checked; the log is per company and needs kb.manage', async () => {
    const bad = await admin.post('/api/v1/widget-styles', { name: 'x', robotAnswerThreshold: 0.2, robotSuggestThreshold: 0.5 });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /suggest threshold cannot be above the answer threshold/);
    const s = await style('可改');
    const patched = await admin.patch(`/api/v1/widget-styles/${s.id}`, { robotHandoverFloor: 0.5 });
    assert.equal(patched.statusCode, 400, 'floor above the stored suggest threshold');
    assert.equal((await admin.patch(`/api/v1/widget-styles/${s.id}`, { robotSuggestThreshold: 0.5, robotHandoverFloor: 0.5 })).statusCode, 200);
    assert.equal((await admin.post('/api/v1/widget-styles', { name: 'y', robotAnswerThreshold: 2 })).statusCode, 400);

    const globex = await srv.tenant('globex');
    const gAdmin = await globex.admin();
    assert.equal((await unanswered(gAdmin)).total, 0, 'another company sees none of acme\'s questions');
    const acmeRow = (await unanswered(admin, '?status=open')).items[0];
    assert.equal((await gAdmin.post(`/api/v1/kb/unanswered/${acmeRow.id}/ignore`)).statusCode, 404);
    const agent = await acme.agent('plain@acme.test');
    assert.equal((await agent.get('/api/v1/kb/unanswered')).statusCode, 403);
    // sorted by count, most asked first
    const counts = (await unanswered(admin)).items.map((i) => i.count);
    assert.ok(counts.length > 1);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most asked first');
    const open = (await unanswered(admin, '?status=open')).items.map((i) => i.count);
    assert.deepEqual(open, [...open].sort((a, b) => b - a));
    // resolve with an article: linked, out of the open list
    const resolved = await admin.post(`/api/v1/kb/unanswered/${acmeRow.id}/resolve`, { articleId: articles['发票怎么开'] });
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.deepEqual([resolved.json().status, resolved.json().articleTitle], ['resolved', '发票怎么开']);
  });
});
