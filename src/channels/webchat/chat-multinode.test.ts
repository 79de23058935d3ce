// kefu-test: postgres only (it starts or uses a PostgreSQL server: the PGlite pass would repeat it)
/**
 * Live chat across two Kefu processes on one PostgreSQL, as a load-balanced install runs them: the
 * visitor's socket is on node A, the agent's on node B, and the chat works both ways (Socket.IO's
 * PostgreSQL adapter carries the /visitor namespace too).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { openDatabase, type Database } from '../../db/client.ts';
import { createTenant } from '../../modules/tenants/tenants.service.ts';
import { findPostgresBin } from '../../testing/postgres-server.ts';
import { signIn, spawnNode, testPostgres, waitFor, type SpawnedNode, type TestPostgres } from '../../testing/spawn-node.ts';
import { TestVisitor } from '../../testing/chat-visitor.ts';

const ADMIN = { email: 'admin@chat2.test', password: 'chat-admin-password' };
const noPostgres = !process.env.KEFU_TEST_PG_URL && !findPostgresBin()
  ? '!! SKIPPED: two nodes need PostgreSQL: KEFU_TEST_PG_URL is unset and no server binaries were found (apt-get install postgresql)'
  : false;

describe('live chat on two Kefu nodes sharing one PostgreSQL', { skip: noPostgres, timeout: 150_000 }, () => {
  let server: TestPostgres;
  let dropDb: (() => Promise<void>) | undefined;
  let database: Database;
  let a: SpawnedNode;
  let b: SpawnedNode;
  let agentSocket: Socket | undefined;
  let visitor: TestVisitor | undefined;

  before(async () => {
    server = (await testPostgres())!;
    const created = await server.createDatabase('kefu_chat_multi');
    dropDb = created.drop;
    database = await openDatabase({ url: created.url, poolSize: 2 });
    await createTenant(database.db, { slug: 'chat2', name: 'Chat Co.', adminEmail: ADMIN.email, adminName: '管理员', adminPassword: ADMIN.password, locale: 'zh-CN' });
    const env = { DATABASE_URL: created.url, KEFU_DEFAULT_TENANT: 'chat2' };
    [a, b] = await Promise.all([spawnNode({ ...env, KEFU_NODE_ID: 'chat-a' }), spawnNode({ ...env, KEFU_NODE_ID: 'chat-b' })]);
  });
  after(async () => {
    visitor?.close();
    agentSocket?.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
    await dropDb?.();
    await server?.stop();
  });

  it('a visitor on node A and an agent on node B chat both ways', async () => {
    const agent = await signIn(b.url, ADMIN.email, ADMIN.password);
    assert.equal((await agent.request('PUT', '/api/v1/auth/me/presence', { presence: 'online' })).status, 200);
    agentSocket = connectSocket(b.url, { transports: ['websocket'], extraHeaders: { cookie: agent.cookie }, reconnection: false });
    const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
    agentSocket.onAny((event: string, payload: Record<string, unknown>) => events.push({ event, payload }));
    await new Promise<void>((resolve, reject) => { agentSocket!.once('connect', () => resolve()); agentSocket!.once('connect_error', reject); });

    visitor = new TestVisitor(a.url, { host: new URL(a.url).host });
    await visitor.ready();
    visitor.write('来自 A 节点的访客');
    await visitor.until(() => visitor!.lastStatus()?.status === 'active', 'assignment across nodes', 20_000);
    await waitFor(() => events.some((e) => e.event === 'chat.assigned'), { timeoutMs: 20_000, message: 'chat.assigned on node B' });
    const [chat] = (await agent.request('GET', '/api/v1/chats')).json.items;
    assert.equal(chat.lines[0].body, '来自 A 节点的访客');

    visitor.typing('正在输入');
    await waitFor(() => events.some((e) => e.event === 'chat.typing' && e.payload.text === '正在输入'), { timeoutMs: 20_000, message: 'typing preview across nodes' });
    visitor.write('第二条');
    await waitFor(() => events.some((e) => e.event === 'chat.message' && e.payload.body === '第二条'), { timeoutMs: 20_000, message: 'visitor message on node B' });

    const sent = await agent.request('POST', '/api/v1/chats/messages', { conversationId: chat.id, clientId: crypto.randomUUID(), body: 'B 节点客服回复' });
    assert.equal(sent.status, 201, sent.text);
    await visitor.until(() => visitor!.transcript.find((m) => m.body === 'B 节点客服回复'), 'the agent\'s reply on node A', 20_000);
    assert.deepEqual(visitor.transcript.map((m) => m.seq), [1, 2, 3]);
    assert.equal(events.filter((e) => e.event === 'chat.message' && e.payload.body === '第二条').length, 1, 'delivered once');

    // the live visitors list on node B holds the visitors whose widgets are open on node A; an invitation reaches them there
    const browsing = new TestVisitor(a.url, { host: new URL(a.url).host });
    try {
      await browsing.ready();
      const invites: Array<{ message: string }> = [];
      browsing.socket.on('invite', (i) => invites.push(i));
      const listed = (await waitFor(async () => {
        const items = (await agent.request('GET', '/api/v1/live-visitors')).json.items as Array<{ id: string; chatting: boolean }>;
        return items.length >= 2 ? items : null;
      }, { timeoutMs: 20_000, message: 'both visitors of node A in node B\'s list' }))!;
      assert.equal(listed.find((v) => v.id === visitor!.hello!.visitorId)?.chatting, true);
      assert.equal(listed.find((v) => v.id === browsing.hello!.visitorId)?.chatting, false);
      const inv = await agent.request('POST', `/api/v1/live-visitors/${browsing.hello!.visitorId}/invite`, { message: '来自 B 节点的邀请' });
      assert.equal(inv.status, 201, inv.text);
      await waitFor(() => invites.some((i) => i.message === '来自 B 节点的邀请'), { timeoutMs: 20_000, message: 'the invitation on node A' });
    } finally {
      browsing.close();
    }
  });
});
