import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { TestVisitor } from '../../testing/chat-visitor.ts';
import { agentSocket, connected, waitFor } from '../../testing/chat-sockets.ts';
import { startKefu, type Kefu } from '../../server/kefu.ts';
import { messages, tickets } from '../../modules/tickets/tickets.schema.ts';
import { chatConversations } from './webchat.schema.ts';
import { freePort } from '../../testing/free-port.ts';

/** Live chat end to end over real sockets: a visitor in /visitor, agents in the console's namespace, the REST actions. */




describe('live chat over sockets', { timeout: 120_000 }, () => {
  let srv: TestServer;
  let acme: TestTenant;
  let url: string;
  let admin: Client;
  const closers: Array<() => void> = [];

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    url = await srv.kefu.listen();
    admin = await acme.admin();
  });
  after(async () => {
    for (const c of closers) c();
    await srv.close();
  });

  const dept = async (name: string) => (await admin.post('/api/v1/departments', { name })).json().id as string;
  const visitor = (opts: Partial<ConstructorParameters<typeof TestVisitor>[1]> = {}) => {
    const v = new TestVisitor(url, { host: acme.host, reconnection: false, ...opts });
    closers.push(() => v.close());
    return v.ready();
  };

  it('visitor and agent chat both ways; typing preview and trail reach the agent; transfer to another department; rating; the ticket keeps it all', async () => {
    const sales = await dept('售前 Sales');
    const support = await dept('售后 Support');
    const style = (await admin.post('/api/v1/widget-styles', { name: '官网', designatedDepartmentIds: [sales] })).json();
    assert.match(style.snippet, new RegExp(`/widget.js" data-style="${style.id}"`));
    const li = await acme.agent('li@acme.test', { departmentIds: [sales] });
    const wang = await acme.agent('wang@acme.test', { departmentIds: [support] });
    const liSock = agentSocket(url, acme, li);
    const wangSock = agentSocket(url, acme, wang);
    closers.push(() => liSock.s.close(), () => wangSock.s.close());
    await Promise.all([connected(liSock.s), connected(wangSock.s)]);

    const v = await visitor({ styleId: style.id, pageUrl: 'https://shop.example/', referrer: 'https://www.baidu.com/s?wd=%E5%AE%A2%E6%9C%8D%E7%B3%BB%E7%BB%9F' });
    assert.equal(v.hello!.online, true);
    v.page('https://shop.example/pricing', '价格');
    v.write('你好，我想问一下价格');
    await v.until(() => v.lastStatus()?.status === 'active' && v.lastStatus(), 'the chat to be assigned');
    assert.equal(v.lastStatus()!.agentName, 'li');
    await waitFor(() => liSock.events.find((e) => e.event === 'chat.assigned'), 'li to be told');
    assert.equal(v.transcript.length, 1);
    assert.equal(v.transcript[0].seq, 1);

    v.typing('我们公司有 20 个');
    const typing = await waitFor(() => liSock.events.find((e) => e.event === 'chat.typing'), 'typing preview');
    assert.equal(typing.payload.text, '我们公司有 20 个');
    assert.ok(!wangSock.events.some((e) => e.event === 'chat.typing'), 'only the chat\'s agent sees the typing preview');

    const [chat] = (await li.get('/api/v1/chats')).json().items;
    assert.equal(chat.visitor.referrer.engine, 'baidu');
    assert.equal(chat.visitor.referrer.keyword, '客服系统');
    assert.deepEqual(chat.visitor.trail.map((p: { title: string }) => p.title), ['价格']);
    assert.equal(chat.lines[0].body, '你好，我想问一下价格');

    const clientId = crypto.randomUUID();
    const sent = await li.post('/api/v1/chats/messages', { conversationId: chat.id, clientId, body: '您好，请问有多少坐席？' });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().line.seq, 2);
    const again = await li.post('/api/v1/chats/messages', { conversationId: chat.id, clientId, body: '您好，请问有多少坐席？' });
    assert.equal(again.json().duplicate, true, 'a resend by the agent is not stored twice');
    await v.until(() => v.transcript.find((m) => m.body === '您好，请问有多少坐席？'), 'the agent\'s reply');
    v.write('20 个坐席');
    await waitFor(() => liSock.events.find((e) => e.event === 'chat.message' && e.payload.body === '20 个坐席'), 'the visitor\'s message at the agent');

    // transfer to the support department: wang is the one online there
    const targets = (await li.get('/api/v1/chats/transfer-targets')).json();
    assert.equal(targets.agents.find((a: { id: string }) => a.id === li.userId).activeChats, 1);
    const moved = await li.post('/api/v1/chats/transfer', { conversationId: chat.id, departmentId: support, reason: '售后问题' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual([moved.json().status, moved.json().agentId], ['active', wang.userId]);
    assert.equal((await li.get('/api/v1/chats/transfer-targets')).json().recent[0].id, support, 'the last target is a shortcut');
    await waitFor(() => wangSock.events.find((e) => e.event === 'chat.assigned'), 'wang to be told');
    const [wangChat] = (await wang.get('/api/v1/chats')).json().items;
    assert.deepEqual(wangChat.lines.map((l: { body: string }) => l.body), ['你好，我想问一下价格', '您好，请问有多少坐席？', '20 个坐席'], 'the new agent sees the history');
    assert.equal((await li.get('/api/v1/chats')).json().items.length, 0);
    await wang.post('/api/v1/chats/messages', { conversationId: chat.id, clientId: crypto.randomUUID(), body: '我是售后，为您处理' });
    await v.until(() => v.transcript.find((m) => m.body === '我是售后，为您处理'), 'the new agent\'s answer');

    const ended = await wang.post('/api/v1/chats/end', { conversationId: chat.id });
    assert.equal(ended.json().status, 'ended');
    await v.until(() => v.lastStatus()?.status === 'ended', 'the end');
    const rated = await v.socket.emitWithAck('rate', { conversationId: chat.id, rating: 5, comment: '很好' });
    assert.equal(rated.ok, true);
    const bad = await v.socket.emitWithAck('rate', { conversationId: chat.id, rating: 9 });
    assert.equal(bad.ok, false);

    const ticket = (await admin.get(`/api/v1/tickets/${chat.ticketId}`)).json();
    assert.equal(ticket.ticket?.channel ?? ticket.channel, 'webchat');
    const bodies = (ticket.messages as Array<{ body: string }>).map((m) => m.body);
    assert.deepEqual(bodies, ['你好，我想问一下价格', '您好，请问有多少坐席？', '20 个坐席', '我是售后，为您处理']);
    const history = JSON.stringify(ticket.history);
    assert.match(history, /forwarded/);
    assert.match(history, /售后问题/);
    assert.match(history, /chat_rated/);
    const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, chat.id));
    assert.deepEqual([row.rating, row.ratingComment, row.lastSeq], [5, '很好', 4]);
    // The chat opened on the agents' chat pages: no bell or mail for being handed it or for the visitor's turns.
    await srv.drain();
    for (const agent of [li, wang]) assert.deepEqual((await agent.get('/api/v1/notifications')).json().items, [], 'no notification for a live chat');
  });

  it('a 宁波 visitor is routed by the 浙江 and 宁波 strategies merged, over the designated department', async () => {
    const designated = await dept('指定部门');
    const zj = await dept('浙江组');
    const nb = await dept('宁波组');
    const style = (await admin.post('/api/v1/widget-styles', { name: '区域', designatedDepartmentIds: [designated], robotEnabled: true })).json();
    assert.equal(style.robotEnabled, true);
    const article = (await admin.post('/api/v1/kb/articles', { title: '宽带怎么续费', body: '<p>登录网上营业厅，选择“宽带续费”即可。</p>', visibility: 'public' })).json();
    assert.equal((await admin.post(`/api/v1/kb/articles/${article.id}/publish`)).statusCode, 200);
    assert.equal((await admin.post('/api/v1/region-strategies', { name: '浙江', regions: [{ province: '浙江省' }], departmentIds: [zj], priority: 2 })).statusCode, 201);
    assert.equal((await admin.post('/api/v1/region-strategies', { name: '宁波', regions: [{ province: '浙江', city: '宁波市' }], departmentIds: [nb], priority: 1 })).statusCode, 201);
    await acme.agent('designated@acme.test', { departmentIds: [designated] });
    const zjAgent = await acme.agent('zj@acme.test', { departmentIds: [zj] });
    const v = await visitor({ styleId: style.id, ip: '218.0.0.1' });
    v.write('宽带怎么续费？');
    // robot first: the knowledge base answers; asking for a person hands the chat to the ACD
    const answer = await v.until(() => v.transcript.find((m) => (m as { author?: string }).author === 'bot'), 'the robot\'s answer');
    assert.equal(answer.seq, 2);
    assert.match(answer.body, /网上营业厅/);
    v.write('转人工');
    await v.until(() => v.lastStatus()?.status === 'active', 'assignment');
    const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, v.conversationId!));
    assert.deepEqual(row.scope, { source: 'region', departmentIds: [nb, zj], agentIds: [] }, '宁波 first (priority 1), then 浙江');
    assert.equal(row.agentId, zjAgent.userId, 'nobody is online in 宁波组, so 浙江组 serves; never the designated department');
    const [t] = await srv.database.db.select().from(tickets).where(eq(tickets.id, row.ticketId));
    assert.equal(t.assigneeId, zjAgent.userId);
    await zjAgent.post('/api/v1/chats/end', { conversationId: row.id });
  });

  it('waits in the queue with its position when every agent is full, and is served when one frees up', async () => {
    const q = await dept('排队组');
    const style = (await admin.post('/api/v1/widget-styles', { name: '排队', designatedDepartmentIds: [q] })).json();
    const solo = await acme.agent('solo@acme.test', { departmentIds: [q] });
    assert.equal((await admin.put('/api/v1/chats/capacity', { userId: solo.userId, capacity: 1 })).statusCode, 200);
    const first = await visitor({ styleId: style.id });
    first.write('第一位');
    await first.until(() => first.lastStatus()?.status === 'active', 'first served');
    const second = await visitor({ styleId: style.id });
    second.write('第二位');
    const third = await visitor({ styleId: style.id });
    third.write('第三位');
    await second.until(() => second.lastStatus()?.status === 'queued' && second.lastStatus(), 'second queued');
    await third.until(() => third.lastStatus()?.position === 2, 'third second in line');
    assert.equal(second.lastStatus()!.position, 1);
    await solo.post('/api/v1/chats/end', { conversationId: first.conversationId });
    await second.until(() => second.lastStatus()?.status === 'active', 'second served after the first ended');
    await third.until(() => third.lastStatus()?.position === 1, 'third moves up');
    for (const v of [second, third]) {
      const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, v.conversationId!));
      await solo.post('/api/v1/chats/end', { conversationId: row.id });
    }
  });

  it('a waiting chat goes to a colleague who comes online (presence drives routing)', async () => {
    const d = await dept('上线组');
    const style = (await admin.post('/api/v1/widget-styles', { name: '上线', designatedDepartmentIds: [d] })).json();
    const busy = await acme.agent('busy@acme.test', { departmentIds: [d] });
    await admin.put('/api/v1/chats/capacity', { userId: busy.userId, capacity: 1 });
    const later = await acme.agent('later@acme.test', { departmentIds: [d], presence: 'offline' });
    const first = await visitor({ styleId: style.id });
    first.write('占线');
    await first.until(() => first.lastStatus()?.status === 'active', 'first served');
    const waiting = await visitor({ styleId: style.id });
    waiting.write('等待中');
    await waiting.until(() => waiting.lastStatus()?.status === 'queued', 'queued');
    assert.equal((await later.put('/api/v1/auth/me/presence', { presence: 'online' })).statusCode, 200);
    await srv.drain();
    await waiting.until(() => waiting.lastStatus()?.status === 'active', 'served by the colleague who came online');
    const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, waiting.conversationId!));
    assert.equal(row.agentId, later.userId);
    await later.post('/api/v1/chats/end', { conversationId: row.id });
    await busy.post('/api/v1/chats/end', { conversationId: first.conversationId });
  });

  it('nobody online: the visitor gets the offline form, and the form becomes a ticket with the contact on the card', async () => {
    const empty = await dept('无人部门');
    const style = (await admin.post('/api/v1/widget-styles', {
      name: '留言', designatedDepartmentIds: [empty],
      preChatFields: [{ key: 'name', labelZh: '姓名', labelEn: 'Name', kind: 'text', required: true }, { key: 'email', labelZh: '邮箱', labelEn: 'Email', kind: 'email', required: true }],
    })).json();
    const v = await visitor({ styleId: style.id });
    assert.equal(v.hello!.online, false);
    const missing = await v.socket.emitWithAck('offline', { clientId: crypto.randomUUID(), answers: { name: '赵六' }, body: '请回电' });
    assert.equal(missing.ok, false);
    assert.match(missing.error, /Email/);
    const done = await v.socket.emitWithAck('offline', { clientId: crypto.randomUUID(), answers: { name: '赵六', email: 'Zhao@Example.com' }, body: '请回电' });
    assert.equal(done.ok, true, JSON.stringify(done));
    const ticket = (await admin.get(`/api/v1/tickets/${done.ticketId}`)).json();
    assert.equal(ticket.messages[0].body, '请回电');
    assert.match(JSON.stringify(ticket), /赵六/);
  });

  it('a public reply written on the chat\'s ticket page reaches the visitor, numbered like a console line; an internal note does not; after the chat ends nothing more goes out', async () => {
    const d = await dept('工单页回复');
    const style = (await admin.post('/api/v1/widget-styles', { name: '工单页', designatedDepartmentIds: [d] })).json();
    const zhao = await acme.agent('zhao@acme.test', { departmentIds: [d] });
    const zhaoSock = agentSocket(url, acme, zhao);
    closers.push(() => zhaoSock.s.close());
    await connected(zhaoSock.s);
    const v = await visitor({ styleId: style.id });
    v.write('我的订单还没到');
    await v.until(() => v.lastStatus()?.status === 'active', 'assignment');
    const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, v.conversationId!));

    const note = await zhao.post(`/api/v1/tickets/${row.ticketId}/messages`, { body: '内部备注：查一下物流', visibility: 'internal' });
    assert.equal(note.statusCode, 201, note.body);
    const replied = await zhao.post(`/api/v1/tickets/${row.ticketId}/messages`, { body: '已为您查询，明天送达', visibility: 'public' });
    assert.equal(replied.statusCode, 201, replied.body);
    await srv.drain();
    const got = await v.until(() => v.transcript.find((m) => m.body === '已为您查询，明天送达'), 'the ticket-page reply in the widget');
    assert.equal(got.seq, 2);
    assert.equal(got.messageId, replied.json().id);
    const atAgent = await waitFor(() => zhaoSock.events.find((e) => e.event === 'chat.message' && e.payload.body === '已为您查询，明天送达'), 'the reply in the agent\'s chat window');
    assert.deepEqual([atAgent.payload.author, atAgent.payload.authorName], ['agent', 'zhao']);
    // the console's next line follows it; the visitor's history after a reconnect has it once, in order
    const sent = await zhao.post('/api/v1/chats/messages', { conversationId: row.id, clientId: crypto.randomUUID(), body: '还有其他问题吗？' });
    assert.equal(sent.json().line.seq, 3);
    await srv.drain(); // a repeated delivery of the events numbers nothing twice
    const resume = await v.socket.emitWithAck('resume', { conversationId: row.id, afterSeq: 0 });
    assert.deepEqual(resume.lines.map((l: { body: string }) => l.body), ['我的订单还没到', '已为您查询，明天送达', '还有其他问题吗？']);
    assert.ok(!v.transcript.some((m) => m.body.startsWith('内部备注')), 'an internal note never reaches the visitor');

    assert.equal((await zhao.post('/api/v1/chats/end', { conversationId: row.id })).statusCode, 200);
    const late = await zhao.post(`/api/v1/tickets/${row.ticketId}/messages`, { body: '结束后的回复（邮件等其他途径）', visibility: 'public' });
    assert.equal(late.statusCode, 201, late.body);
    await srv.drain();
    const [after] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, row.id));
    assert.equal(after.lastSeq, 3, 'an ended chat is not numbered into');
  });

  it('a visitor\'s line reaches their other tab and the agent as a push; the tab that sent it has it from its ack, not pushed again', async () => {
    const d = await dept('两个标签页');
    const style = (await admin.post('/api/v1/widget-styles', { name: '双标签', designatedDepartmentIds: [d] })).json();
    const qian = await acme.agent('qian@acme.test', { departmentIds: [d] });
    const qianSock = agentSocket(url, acme, qian);
    closers.push(() => qianSock.s.close());
    await connected(qianSock.s);
    const visitorKey = crypto.randomUUID();
    // both tabs open before the chat does: the one that did not write follows it from its first line
    const tab1 = await visitor({ styleId: style.id, visitorKey });
    const tab2 = await visitor({ styleId: style.id, visitorKey });
    const pushedToTab1: string[] = [];
    tab1.socket.on('message', (m: { body: string }) => pushedToTab1.push(m.body));
    tab1.write('第一句');
    await tab1.until(() => tab1.lastStatus()?.status === 'active', 'assignment');
    await tab2.until(() => tab2.transcript.some((m) => m.body === '第一句'), 'the chat\'s first line in the other tab');

    tab1.write('第二句');
    await tab2.until(() => tab2.transcript.some((m) => m.body === '第二句'), 'the line pushed to the other tab');
    await waitFor(() => qianSock.events.find((e) => e.event === 'chat.message' && e.payload.body === '第二句'), 'the line at the agent');
    const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, tab1.conversationId!));
    const reply = await qian.post('/api/v1/chats/messages', { conversationId: row.id, clientId: crypto.randomUUID(), body: '您好' });
    assert.equal(reply.statusCode, 201, reply.body);
    // pushes reach a socket in the order they were sent: once the agent's reply is there, the tab's own lines would have been too
    await tab1.until(() => pushedToTab1.includes('您好'), 'the agent\'s reply in the first tab');
    assert.deepEqual(pushedToTab1, ['您好'], 'the sending tab is not sent its own lines again');
    assert.deepEqual(tab1.transcript.map((m) => [m.seq, m.body]), [[1, '第一句'], [2, '第二句'], [3, '您好']]);
    await tab2.until(() => tab2.transcript.length === 3, 'the reply in the second tab');
    assert.deepEqual(tab2.transcript.map((m) => [m.seq, m.body]), [[1, '第一句'], [2, '第二句'], [3, '您好']]);
  });

  it('another company\'s visitor cannot reach this company\'s chat, and a bad frame is refused without storing anything', async () => {
    const globex = await srv.tenant('globex');
    const theirs = new TestVisitor(url, { host: globex.host, reconnection: false });
    closers.push(() => theirs.close());
    await theirs.ready();
    const [someChat] = await srv.database.db.select().from(chatConversations).limit(1);
    const resume = await theirs.socket.emitWithAck('resume', { conversationId: someChat.id, afterSeq: 0 });
    assert.equal(resume.ok, false);
    const ack = await theirs.socket.emitWithAck('message', { conversationId: someChat.id, clientId: crypto.randomUUID(), body: '偷看' });
    assert.deepEqual([ack.ok, ack.code], [false, 'bad_conversation']);
    // 36 characters of the right alphabet but no UUID: refused as such, not sent to the database (which
    // would refuse it with an error the widget is told to retry)
    const malformed = await theirs.socket.emitWithAck('message', { conversationId: '-'.repeat(36), clientId: crypto.randomUUID(), body: '你好' });
    assert.deepEqual([malformed.ok, malformed.code, malformed.retry], [false, 'bad_conversation', false]);
    const empty = await theirs.socket.emitWithAck('message', { conversationId: crypto.randomUUID(), clientId: crypto.randomUUID(), body: '   ' });
    assert.deepEqual([empty.ok, empty.code, empty.retry], [false, 'empty', false]);
    const rows = await srv.database.db.select().from(messages).where(eq(messages.body, '偷看'));
    assert.equal(rows.length, 0);
    const unknownStyle = new TestVisitor(url, { host: acme.host, styleId: crypto.randomUUID(), reconnection: false });
    closers.push(() => unknownStyle.close());
    const err = await new Promise<Error>((resolve) => unknownStyle.socket.on('connect_error', resolve));
    assert.equal(err.message, 'unknown_widget');
  });
});

describe('live chat survives a server restart', { timeout: 120_000 }, () => {
  it('the network drops mid-conversation (the server restarts): after the reconnect nothing is lost or doubled', async () => {
    const port = await freePort();
    const srv = await testServer({ port });
    let second: Kefu | null = null;
    const v: TestVisitor[] = [];
    try {
      const acme = await srv.tenant('acme');
      const url = await srv.kefu.listen();
      const agent = await acme.agent('restart@acme.test');
      const visitor = new TestVisitor(url, { host: acme.host });
      v.push(visitor);
      await visitor.ready();
      visitor.write('一');
      await visitor.until(() => visitor.lastStatus()?.status === 'active', 'assignment');
      await visitor.until(() => visitor.transcript.length === 1, 'first ack');
      const conversationId = visitor.conversationId!;

      await srv.kefu.close(); // the network drops: the server is gone
      await waitFor(() => !visitor.socket.connected, 'the disconnect');
      visitor.write('二');
      visitor.write('三');
      // the same frame a lost ack would make the widget send again
      const twice = visitor.outbox.pending()[0];

      second = await startKefu({ config: srv.config, database: srv.database, logger: false, pollMs: 60_000 });
      await second.listen();
      const agentReply = await second.app.inject({
        method: 'POST', url: '/api/v1/chats/messages', headers: { host: acme.host, cookie: agent.cookie, 'x-csrf-token': agent.csrf, 'content-type': 'application/json' },
        payload: JSON.stringify({ conversationId, clientId: crypto.randomUUID(), body: '重启后客服回复' }),
      });
      assert.equal(agentReply.statusCode, 201, agentReply.body);
      await visitor.until(() => visitor.transcript.length === 4 && visitor.outbox.size === 0, 'everything after the reconnect');
      const dup = await visitor.socket.emitWithAck('message', { conversationId, clientId: twice.clientId, body: twice.body });
      assert.equal(dup.duplicate, true);

      assert.deepEqual(visitor.transcript.map((m) => m.seq), [1, 2, 3, 4]);
      assert.deepEqual([...visitor.transcript].map((m) => m.body).sort(), ['一', '三', '二', '重启后客服回复'].sort());
      const [conv] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, conversationId));
      const stored = await srv.database.db.select().from(messages).where(eq(messages.ticketId, conv.ticketId));
      assert.equal(stored.length, 4, 'each message stored once');
      assert.equal(conv.lastSeq, 4);
    } finally {
      for (const x of v) x.close();
      await second?.close();
      await srv.close();
    }
  });
});
