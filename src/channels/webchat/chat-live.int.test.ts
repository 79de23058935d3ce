import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { TestVisitor } from '../../testing/chat-visitor.ts';
import { agentSocket, connected, waitFor } from '../../testing/chat-sockets.ts';
import { multipart } from '../../testing/multipart.ts';

/**
 * The live-chat features beyond a plain conversation, over real sockets and HTTP: widget logos, files
 * both ways, the live visitors list with invitations, colleagues in a chat, agent-to-agent messages,
 * the widget's switches, queue overflow and the visitor sockets' flood limits.
 */

/** The smallest valid PNG (1×1 transparent pixel). */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');




describe('live chat features over sockets', { timeout: 180_000 }, () => {
  let srv: TestServer;
  let acme: TestTenant;
  let url: string;
  let admin: Client;
  const closers: Array<() => void> = [];

  before(async () => {
    srv = await testServer({ visitorConnectionRateLimit: 40 });
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
  const sock = async (c: Client) => {
    const a = agentSocket(url, acme, c);
    closers.push(() => a.s.close());
    await connected(a.s);
    return a;
  };
  const sendFile = (v: TestVisitor, styleId: string, file: { filename: string; content: Buffer | string; contentType: string }, conversationId?: string) => {
    const { payload, headers } = multipart([file]);
    const q = new URLSearchParams({ t: v.hello!.fileToken as string, conversationId: conversationId ?? v.conversationId ?? (v.newConversationId as string), clientId: crypto.randomUUID(), styleId });
    return acme.request('POST', `/api/v1/visitor-files?${q}`, payload, headers);
  };

  it('logo upload: an image of at most 200 KiB, sniffed from its bytes, served publicly; too big or SVG is refused with a clear message', async () => {
    const style = (await admin.post('/api/v1/widget-styles', { name: 'Logo 风格' })).json();
    const upload = (content: Buffer | string, filename: string, contentType: string, lang = 'en') => {
      const { payload, headers } = multipart([{ filename, content, contentType }]);
      return admin.request('POST', `/api/v1/widget-styles/${style.id}/logo`, payload, { ...headers, 'accept-language': lang });
    };
    let res = await upload(PNG, 'logo.bin', 'application/octet-stream');
    assert.equal(res.statusCode, 201, res.body);
    const logoUrl = res.json().logoUrl as string;
    assert.match(logoUrl, new RegExp(`^/api/v1/widget-logos/${style.id}\\?v=`));
    const got = await acme.request('GET', logoUrl);
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers['content-type'], 'image/png', 'the type comes from the bytes');
    assert.equal(got.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(got.rawPayload, PNG);

    const big = Buffer.concat([PNG, Buffer.alloc(210 * 1024)]);
    res = await upload(big, 'big.png', 'image/png', 'zh-CN');
    assert.equal(res.statusCode, 413);
    assert.match(res.json().message, /Logo 图片不能超过 200 KiB/, 'the admin reads zh-CN');
    res = await upload('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.svg', 'image/svg+xml');
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /PNG、JPEG、WebP 或 GIF/);
    assert.equal((await acme.request('GET', logoUrl)).statusCode, 200, 'a refused upload keeps the old logo');

    const v = await visitor({ styleId: style.id });
    assert.equal((v.hello!.style as { logoUrl: string }).logoUrl, logoUrl, 'the widget learns the logo in its hello');
    const removed = await admin.del(`/api/v1/widget-styles/${style.id}/logo`);
    assert.equal(removed.json().logoUrl, null);
    assert.equal((await acme.request('GET', `/api/v1/widget-logos/${style.id}`)).statusCode, 404);
  });

  it('files both ways: the visitor\'s image reaches the agent and the ticket keeps it; the agent\'s file reaches the visitor; downloads stay downloads', async () => {
    const files = await dept('文件 Files');
    const style = (await admin.post('/api/v1/widget-styles', { name: '文件', designatedDepartmentIds: [files] })).json();
    const li = await acme.agent('li.files@acme.test', { departmentIds: [files] });
    const liSock = await sock(li);
    const v = await visitor({ styleId: style.id });
    assert.match(v.hello!.fileToken as string, /^[A-Za-z0-9_-]{20,}$/);

    let res = await sendFile(v, style.id, { filename: '截图.png', content: PNG, contentType: 'image/png' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['access-control-allow-origin'], '*', 'the widget on the company\'s site reads the answer');
    const line = res.json().line;
    assert.equal(line.body, '📎 截图.png');
    assert.equal(line.attachments[0].contentType, 'image/png');
    v.conversationId = line.conversationId;
    await v.until(() => v.lastStatus()?.status === 'active', 'the chat to be assigned');
    await waitFor(() => liSock.events.find((e) => e.event === 'chat.assigned'), 'the chat at the agent');

    const [chat] = (await li.get('/api/v1/chats')).json().items;
    const image = chat.lines[0].attachments[0];
    const shown = await li.get(`/api/v1/attachments/${image.id}?inline=1`);
    assert.equal(shown.headers['content-type'], 'image/png');
    assert.match(String(shown.headers['content-disposition']), /^inline/);
    const ticket = (await li.get(`/api/v1/tickets/${chat.ticketId}`)).json();
    assert.ok(JSON.stringify(ticket).includes(image.id), 'the ticket keeps the visitor\'s file');

    // a script named like an image is kept as opaque bytes, and its download is never shown in place
    res = await sendFile(v, style.id, { filename: 'photo.png', content: '<script>alert(1)</script>', contentType: 'image/png' });
    assert.equal(res.statusCode, 201, res.body);
    const fake = res.json().line.attachments[0];
    const atAgent = await waitFor(() => liSock.events.find((e) => e.event === 'chat.message' && e.payload.body === '📎 photo.png'), 'the file line live at the agent');
    assert.equal((atAgent.payload.attachments as Array<{ id: string }>)[0].id, fake.id);
    assert.equal(fake.contentType, 'application/octet-stream');
    const dl = await acme.request('GET', `/api/v1/visitor-files/${fake.id}?t=${v.hello!.fileToken}&inline=1`);
    assert.equal(dl.headers['content-type'], 'application/octet-stream');
    assert.match(String(dl.headers['content-disposition']), /^attachment/);
    assert.equal(dl.headers['x-content-type-options'], 'nosniff');

    // the agent attaches a file from the console composer: uploaded to the chat's ticket, sent with the message
    const up = multipart([{ filename: '报价单.pdf', content: '%PDF-1.4 quote', contentType: 'application/pdf' }]);
    const uploaded = await li.request('POST', `/api/v1/tickets/${chat.ticketId}/attachments`, up.payload, up.headers);
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const pdfId = uploaded.json().items[0].id;
    const sent = await li.post('/api/v1/chats/messages', { conversationId: chat.id, clientId: crypto.randomUUID(), body: '报价单.pdf', attachmentIds: [pdfId] });
    assert.equal(sent.statusCode, 201, sent.body);
    assert.equal(sent.json().line.attachments[0].id, pdfId);
    const resumed = await v.socket.emitWithAck('resume', { conversationId: chat.id, afterSeq: 0 });
    const pdfLine = resumed.lines.find((l: { body: string }) => l.body === '报价单.pdf');
    assert.equal(pdfLine.attachments[0].filename, '报价单.pdf');
    const pdf = await acme.request('GET', `/api/v1/visitor-files/${pdfId}?t=${v.hello!.fileToken}`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.body, '%PDF-1.4 quote');
    assert.match(String(pdf.headers['content-disposition']), /^attachment/);

    // another visitor's token cannot read it; a wrong token cannot send
    const other = await visitor({ styleId: style.id });
    assert.equal((await acme.request('GET', `/api/v1/visitor-files/${pdfId}?t=${other.hello!.fileToken}`)).statusCode, 404);
    const q = new URLSearchParams({ t: 'x'.repeat(32), conversationId: chat.id, clientId: crypto.randomUUID() });
    const bad = multipart([{ filename: 'a.png', content: PNG, contentType: 'image/png' }]);
    assert.equal((await acme.request('POST', `/api/v1/visitor-files?${q}`, bad.payload, bad.headers)).statusCode, 404);
    // another visitor cannot write into this chat with their own token
    const into = await sendFile(other, style.id, { filename: 'x.png', content: PNG, contentType: 'image/png' }, chat.id);
    assert.equal(into.statusCode, 400);
  });

  it('live visitors list, updated live; an invitation opens the widget and the accepted chat goes to the inviting agent; the style switch turns invitations off', async () => {
    const sales = await dept('邀请 Sales');
    const other = await dept('其他 Other');
    // the ACD would give this style's chats to zhao; the invitation gives it to qian
    const style = (await admin.post('/api/v1/widget-styles', { name: '邀请', designatedDepartmentIds: [other] })).json();
    const closed = (await admin.post('/api/v1/widget-styles', { name: '不邀请', proactiveInvite: false })).json();
    await acme.agent('zhao@acme.test', { departmentIds: [other] });
    const qian = await acme.agent('qian@acme.test', { departmentIds: [sales] });
    const qianSock = await sock(qian);
    assert.deepEqual((await qian.get('/api/v1/chats/my-settings')).json(), { visitorSound: true });
    assert.deepEqual((await qian.put('/api/v1/chats/my-settings', { visitorSound: false })).json(), { visitorSound: false });
    assert.deepEqual((await qian.get('/api/v1/chats/my-settings')).json(), { visitorSound: false }, 'the sound switch is stored per agent');

    const v = await visitor({ styleId: style.id, pageUrl: 'https://shop.example/pricing', ip: '218.0.0.1' });
    v.page('https://shop.example/pricing', '价格');
    await waitFor(() => qianSock.events.find((e) => e.event === 'visitors.changed' && e.payload.visitorId === v.hello!.visitorId), 'the arrival pushed to agents');
    const row = await waitFor(async () => (await qian.get('/api/v1/live-visitors')).json().items.find((x: { id: string; page: { title: string } }) => x.id === v.hello!.visitorId && x.page.title === '价格'), 'the visitor in the list');
    assert.equal(row.page.url, 'https://shop.example/pricing');
    assert.equal(row.chatting, false);
    assert.equal(row.canInvite, true);
    assert.equal(row.region.province, '浙江');
    assert.ok(Date.parse(row.visitStartedAt) <= Date.now());

    // Another company's visitor on its own site: never in this company's list, never invitable from here.
    const globex = await srv.tenant('globex');
    const stranger = new TestVisitor(url, { host: globex.host, reconnection: false });
    closers.push(() => stranger.close());
    await stranger.ready();
    const theirs = await globex.admin();
    await waitFor(async () => (await theirs.get('/api/v1/live-visitors')).json().items.some((x: { id: string }) => x.id === stranger.hello!.visitorId), 'the other company sees its own visitor');
    const ours = (await qian.get('/api/v1/live-visitors')).json().items as Array<{ id: string }>;
    assert.ok(ours.some((x) => x.id === v.hello!.visitorId) && !ours.some((x) => x.id === stranger.hello!.visitorId), 'only this company\'s visitors are listed');
    assert.equal((await qian.post(`/api/v1/live-visitors/${stranger.hello!.visitorId}/invite`, { message: 'hi' })).statusCode, 404);

    const invites: Array<{ id: string; agentName: string; message: string }> = [];
    v.socket.on('invite', (i) => invites.push(i));
    const inv = await qian.post(`/api/v1/live-visitors/${v.hello!.visitorId}/invite`, { message: '您好，需要帮您看看价格吗？' });
    assert.equal(inv.statusCode, 201, inv.body);
    await waitFor(() => invites[0], 'the invitation at the widget');
    assert.deepEqual([invites[0].agentName, invites[0].message], ['qian', '您好，需要帮您看看价格吗？']);
    const answered = await v.socket.emitWithAck('invite.answer', { invitationId: invites[0].id, accept: true });
    assert.equal(answered.status, 'accepted');
    v.write('好的，请问企业版多少钱？');
    await v.until(() => v.lastStatus()?.status === 'active' && v.lastStatus(), 'the chat with the inviter');
    assert.equal(v.lastStatus()!.agentName, 'qian');
    const [chat] = (await qian.get('/api/v1/chats')).json().items;
    assert.equal(chat.lines[0].body, '好的，请问企业版多少钱？');
    const listed = (await qian.get('/api/v1/live-visitors')).json().items.find((x: { id: string }) => x.id === v.hello!.visitorId);
    assert.equal(listed.chatting, true);
    assert.equal(listed.canInvite, false);
    assert.equal((await qian.post(`/api/v1/live-visitors/${v.hello!.visitorId}/invite`, { message: 'again' })).statusCode, 400, 'no invitation into a running chat');

    const w = await visitor({ styleId: closed.id });
    const off = await qian.post(`/api/v1/live-visitors/${w.hello!.visitorId}/invite`, { message: 'hi' });
    assert.equal(off.statusCode, 400);
    assert.match(off.json().message, /已关闭主动邀请/);
    w.close();
    await waitFor(async () => !(await qian.get('/api/v1/live-visitors')).json().items.some((x: { id: string }) => x.id === w.hello!.visitorId), 'a visitor who left to drop off the list');
    await qian.post('/api/v1/chats/end', { conversationId: chat.id });
  });

  it('a colleague invited into a chat sees and writes in it; the visitor sees both names; agents write to each other directly', async () => {
    const team = await dept('协作 Team');
    const style = (await admin.post('/api/v1/widget-styles', { name: '协作', designatedDepartmentIds: [team] })).json();
    const sun = await acme.agent('sun@acme.test', { departmentIds: [team] });
    const zhou = await acme.agent('zhou@acme.test', { departmentIds: [], presence: 'away' });
    const sunSock = await sock(sun);
    const zhouSock = await sock(zhou);
    const v = await visitor({ styleId: style.id });
    v.write('我的订单有问题');
    await v.until(() => v.lastStatus()?.agentName === 'sun', 'sun to take the chat');
    const [chat] = (await sun.get('/api/v1/chats')).json().items;
    assert.equal((await zhou.get('/api/v1/chats')).json().items.length, 0);

    const added = await sun.post('/api/v1/chats/collaborators', { conversationId: chat.id, agentId: zhou.userId });
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(added.json().collaborators.map((c: { name: string }) => c.name), ['zhou']);
    assert.equal((await sun.post('/api/v1/chats/collaborators', { conversationId: chat.id, agentId: zhou.userId })).statusCode, 400, 'not twice');
    await waitFor(() => zhouSock.events.find((e) => e.event === 'chat.assigned'), 'zhou to be told');
    await v.until(() => v.lastStatus()?.agentName === 'sun、zhou', 'the visitor to see both names');
    const zhouChats = (await zhou.get('/api/v1/chats')).json().items;
    assert.equal(zhouChats[0].id, chat.id);
    assert.deepEqual(zhouChats[0].collaborators.map((c: { name: string }) => c.name), ['zhou']);
    const wrote = await zhou.post('/api/v1/chats/messages', { conversationId: chat.id, clientId: crypto.randomUUID(), body: '我是物流组的，帮您查一下' });
    assert.equal(wrote.statusCode, 201, wrote.body);
    await v.until(() => v.transcript.find((m) => m.body === '我是物流组的，帮您查一下'), 'the colleague\'s line at the visitor');
    const line = v.transcript.find((m) => m.body === '我是物流组的，帮您查一下') as unknown as { authorName: string };
    assert.equal(line.authorName, 'zhou');
    await waitFor(() => sunSock.events.find((e) => e.event === 'chat.message' && e.payload.body === '我是物流组的，帮您查一下'), 'the agent to see the colleague\'s line');
    v.write('谢谢');
    await waitFor(() => zhouSock.events.find((e) => e.event === 'chat.message' && e.payload.body === '谢谢'), 'the colleague to see the visitor\'s line');
    assert.equal((await zhou.post('/api/v1/chats/leave', { conversationId: chat.id })).statusCode, 200);
    assert.equal((await zhou.get('/api/v1/chats')).json().items.length, 0);

    // internal chat between agents, persisted and live
    const dm = await sun.post('/api/v1/agent-messages', { toId: zhou.userId, body: '这个客户是 VIP，注意一下' });
    assert.equal(dm.statusCode, 201, dm.body);
    await waitFor(() => zhouSock.events.find((e) => e.event === 'agent.message' && e.payload.body === '这个客户是 VIP，注意一下'), 'the message live at zhou');
    const colleagues = (await zhou.get('/api/v1/colleagues')).json().items;
    assert.equal(colleagues.find((c: { id: string }) => c.id === sun.userId).unread, 1);
    const thread = (await zhou.get(`/api/v1/agent-messages?with=${sun.userId}`)).json().items;
    assert.deepEqual(thread.map((m: { body: string }) => m.body), ['这个客户是 VIP，注意一下']);
    assert.equal((await zhou.get('/api/v1/colleagues')).json().items.find((c: { id: string }) => c.id === sun.userId).unread, 0, 'read once opened');
    assert.equal((await zhou.post('/api/v1/agent-messages', { toId: zhou.userId, body: 'me' })).statusCode, 400);
  });

  it('switches: the last conversation is shown to a returning visitor, choice lists hide department names and offline agents, and the visitor\'s choice routes the chat', async () => {
    const a = await dept('甲部门');
    const b = await dept('乙部门');
    const wu = await acme.agent('wu@acme.test', { departmentIds: [b] });
    const zheng = await acme.agent('zheng@acme.test', { departmentIds: [], presence: 'offline' });
    const style = (await admin.post('/api/v1/widget-styles', {
      name: '开关', designatedDepartmentIds: [a, b], designatedAgentIds: [wu.userId, zheng.userId], hideDepartmentNames: true, hideOfflineAgents: true, showLastConversation: true,
    })).json();
    assert.equal(style.showLastConversation, true);
    const key = crypto.randomUUID();
    const v = await visitor({ styleId: style.id, visitorKey: key });
    const choices = v.hello!.targets as { departments: Array<{ id: string; name: string | null }>; agents: Array<{ id: string; name: string }> };
    assert.deepEqual(choices.departments, [{ id: a, name: null }, { id: b, name: null }], 'department names hidden');
    assert.deepEqual(choices.agents.map((x) => x.name), ['wu'], 'the offline agent is hidden');
    await admin.patch(`/api/v1/widget-styles/${style.id}`, { hideDepartmentNames: false, hideOfflineAgents: false });
    const v2 = await visitor({ styleId: style.id });
    const shown = v2.hello!.targets as typeof choices;
    assert.deepEqual(shown.departments.map((d) => d.name), ['甲部门', '乙部门']);
    assert.deepEqual(shown.agents.map((x) => x.name).sort(), ['wu', 'zheng']);
    v2.close();

    // the visitor picks department 乙: wu (its member) takes it
    v.conversationId = v.newConversationId;
    const ack = await v.socket.emitWithAck('message', { conversationId: v.conversationId, clientId: crypto.randomUUID(), body: '上次的问题', target: { departmentId: b } });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    await v.until(() => v.lastStatus()?.agentName === 'wu' && v.lastStatus(), 'wu to take the chosen department\'s chat');
    const [chat] = (await wu.get('/api/v1/chats')).json().items;
    await wu.post('/api/v1/chats/messages', { conversationId: chat.id, clientId: crypto.randomUUID(), body: '已为您处理' });
    await wu.post('/api/v1/chats/end', { conversationId: chat.id });
    v.close();

    const back = await visitor({ styleId: style.id, visitorKey: key });
    const previous = back.hello!.previous as { conversationId: string; lines: Array<{ body: string }> };
    assert.equal(previous.conversationId, chat.id);
    assert.deepEqual(previous.lines.map((l) => l.body), ['上次的问题', '已为您处理']);
    await admin.patch(`/api/v1/widget-styles/${style.id}`, { showLastConversation: false });
    back.close();
    const again = await visitor({ styleId: style.id, visitorKey: key });
    assert.equal(again.hello!.previous, null, 'switched off: no previous chat');
  });

  it('queue overflow: beyond the style\'s longest line the visitor gets the offline form', async () => {
    const q = await dept('排队 Queue');
    const style = (await admin.post('/api/v1/widget-styles', { name: '排队', designatedDepartmentIds: [q], maxQueueLength: 1 })).json();
    assert.equal(style.maxQueueLength, 1);
    const feng = await acme.agent('feng@acme.test', { departmentIds: [q] });
    await admin.put('/api/v1/chats/capacity', { userId: feng.userId, capacity: 1 });
    const first = await visitor({ styleId: style.id });
    first.write('一');
    await first.until(() => first.lastStatus()?.status === 'active', 'the first chat served');
    const second = await visitor({ styleId: style.id });
    second.write('二');
    await second.until(() => second.lastStatus()?.status === 'queued', 'the second chat in line');
    const third = await visitor({ styleId: style.id });
    third.write('三');
    const status = await third.until(() => third.lastStatus()?.status === 'offline' && third.lastStatus(), 'the third to get the offline form');
    assert.equal((status as { reason?: string }).reason, 'queue_full');
    assert.equal(second.lastStatus()!.status, 'queued', 'the one in line keeps its place');
  });

  it('queue overflow per department: when every department a chat may go to has its longest line, the visitor gets the offline form', async () => {
    const d = await dept('部门排队 DeptQueue');
    const style = (await admin.post('/api/v1/widget-styles', { name: '部门排队', designatedDepartmentIds: [d] })).json();
    const set = await admin.put('/api/v1/chats/department-queues', { departmentId: d, maxQueueLength: 1 });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual((await admin.get('/api/v1/chats/department-queues')).json().items.find((x: { departmentId: string }) => x.departmentId === d), { departmentId: d, maxQueueLength: 1 });
    const chen = await acme.agent('chen@acme.test', { departmentIds: [d] });
    await admin.put('/api/v1/chats/capacity', { userId: chen.userId, capacity: 1 });
    const first = await visitor({ styleId: style.id });
    first.write('甲');
    await first.until(() => first.lastStatus()?.status === 'active', 'the first chat served');
    const second = await visitor({ styleId: style.id });
    second.write('乙');
    await second.until(() => second.lastStatus()?.status === 'queued', 'the second chat in line');
    const third = await visitor({ styleId: style.id });
    third.write('丙');
    const status = await third.until(() => third.lastStatus()?.status === 'offline' && third.lastStatus(), 'the third to get the offline form');
    assert.equal((status as { reason?: string }).reason, 'queue_full');
    // no limit: a fourth waits in line again
    await admin.put('/api/v1/chats/department-queues', { departmentId: d, maxQueueLength: 0 });
    const fourth = await visitor({ styleId: style.id });
    fourth.write('丁');
    await fourth.until(() => fourth.lastStatus()?.status === 'queued', 'the fourth in line once the limit is lifted');
    const foreign = await admin.put('/api/v1/chats/department-queues', { departmentId: crypto.randomUUID(), maxQueueLength: 1 });
    assert.equal(foreign.statusCode, 404);
  });

  it('flood limits: a socket over its event rate gets error frames and stays up; connections over the per-IP limit are refused', async () => {
    const style = (await admin.post('/api/v1/widget-styles', { name: '限流' })).json();
    await acme.agent('flood@acme.test');
    const v = await visitor({ styleId: style.id, ip: '10.9.9.9' });
    const frames: unknown[] = [];
    v.socket.on('rate_limited', (f) => frames.push(f));
    const conversationId = v.newConversationId!;
    assert.equal((await v.socket.emitWithAck('message', { conversationId, clientId: crypto.randomUUID(), body: '开始' })).ok, true);
    await new Promise((r) => setTimeout(r, 1100)); // the bucket refills
    const acks = await Promise.all(Array.from({ length: 80 }, (_, i) => v.socket.emitWithAck('message', { conversationId, clientId: crypto.randomUUID(), body: `刷屏 ${i}` })));
    const limited = acks.filter((a) => a.code === 'rate_limited');
    // a burst of 20, then 5 a second while the rest arrive (the node is busy storing the accepted ones)
    assert.ok(limited.length >= 20, `of 80 messages at once many are refused (${limited.length})`);
    assert.ok(limited.every((a) => a.retry === true), 'a refused message may be sent again later');
    assert.ok(acks.filter((a) => a.code !== 'rate_limited').length >= 20, 'the burst passes the limit');
    assert.equal(frames.length, limited.length, 'an error frame per refused event');
    await new Promise((r) => setTimeout(r, 1100));
    const later = await v.socket.emitWithAck('message', { conversationId, clientId: crypto.randomUUID(), body: '过一会儿再发' });
    assert.equal(later.ok, true, 'the socket survives and sends again after a pause');

    // 40 connections a minute per IP in this server: the 41st from one address is refused before any work
    const refused: string[] = [];
    const sockets: Socket[] = [];
    for (let i = 0; i < 42; i++) {
      const s = connect(`${url}/visitor`, { transports: ['websocket'], reconnection: false, extraHeaders: { host: acme.host, 'x-forwarded-for': '10.7.7.7' }, auth: { styleId: style.id, visitorKey: crypto.randomUUID() } });
      sockets.push(s);
      closers.push(() => s.close());
      await new Promise<void>((resolve) => { s.on('connect', () => resolve()); s.on('connect_error', (e) => { refused.push(e.message); resolve(); }); });
    }
    assert.deepEqual(refused, ['rate_limited', 'rate_limited']);
    const elsewhere = await visitor({ styleId: style.id, ip: '10.7.7.8' });
    assert.ok(elsewhere.hello, 'another address still connects');
    for (const s of sockets) s.close();
  });
});
