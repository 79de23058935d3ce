import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { io as connect } from 'socket.io-client';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';
import { TestVisitor } from '../../testing/chat-visitor.ts';
import { waitFor } from '../../testing/chat-sockets.ts';
import { messages } from '../../modules/tickets/tickets.schema.ts';
import { events } from '../../events/events.schema.ts';
import { chatConversations, chatMessageSeqs } from './webchat.schema.ts';
import type { Ack } from './delivery.ts';
import { storeVisitorLine, storeVisitorLines } from './chat-line.ts';

/**
 * The light path of chat lines (chat-line.ts: one statement per line, no domain event while a turn goes
 * on) keeps every guarantee of the full path: stored before the ack, one message per client id, seqs in
 * order without gaps, the ticket's timeline complete, SLA first and next response timed by the turns.
 */


describe('chat lines on the light path', { timeout: 120_000 }, () => {
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

  /** A department with one online agent (with their console socket), a style for it, and a visitor whose chat that agent serves. */
  async function chatWithAgent(name: string) {
    const d = (await admin.post('/api/v1/departments', { name })).json().id as string;
    const style = (await admin.post('/api/v1/widget-styles', { name, designatedDepartmentIds: [d] })).json();
    const agent = await acme.agent(`${crypto.randomUUID().slice(0, 8)}@acme.test`, { departmentIds: [d] });
    const sock = connect(url, { transports: ['websocket'], extraHeaders: { host: acme.host, cookie: agent.cookie }, reconnection: false });
    const pushed: Array<{ body: string; seq: number }> = [];
    sock.on('chat.message', (l: { body: string; seq: number }) => pushed.push(l));
    await new Promise<void>((resolve, reject) => { sock.once('connect', () => resolve()); sock.once('connect_error', reject); });
    const v = new TestVisitor(url, { host: acme.host, styleId: style.id, reconnection: false });
    closers.push(() => v.close(), () => sock.close());
    await v.ready();
    v.write('你好');
    await v.until(() => v.lastStatus()?.status === 'active', 'assignment');
    await v.until(() => v.transcript.length === 1, 'the first ack');
    const [conv] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, v.conversationId!));
    const say = async (body: string) => {
      const r = await agent.post('/api/v1/chats/messages', { conversationId: conv.id, clientId: crypto.randomUUID(), body });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().line as { seq: number; messageId: string };
    };
    // a frame straight on the visitor's socket; its ack carries the stored line, as the widget takes it
    const send = async (body: string, clientId: string = crypto.randomUUID()) => {
      const ack = await v.socket.timeout(10_000).emitWithAck('message', { conversationId: conv.id, clientId, body }) as Ack;
      if (ack.ok) v.receive([ack.message]);
      return ack;
    };
    return { v, agent, conv, pushed, say, send };
  }

  const messageAdded = async (ticketId: string, authorType: string) => (await srv.database.db.select({ id: events.id }).from(events)
    .where(and(eq(events.type, 'message.added'), sql`${events.payload}->>'ticketId' = ${ticketId}`, sql`${events.payload}->>'authorType' = ${authorType}`))).length;

  it('a turn of lines sent at once: each stored before its ack, resends stored once, seqs in order without gaps, every line pushed once', async () => {
    const { v, conv, pushed, say, send } = await chatWithAgent('一轮');
    // a console of the company: the ticket's lines come as message.added once a second, not once a line
    const consoleSock = connect(url, { transports: ['websocket'], extraHeaders: { host: acme.host, cookie: admin.cookie }, reconnection: false });
    closers.push(() => consoleSock.close());
    const signals: Array<{ ticketId?: string; ticketIds?: string[]; eventId?: number }> = [];
    consoleSock.on('message.added', (p: { ticketId?: string; ticketIds?: string[]; eventId?: number }) => signals.push(p));
    await new Promise<void>((resolve, reject) => { consoleSock.once('connect', () => resolve()); consoleSock.once('connect_error', reject); });
    await say('请说');
    await srv.drain();
    const before = await messageAdded(conv.ticketId, 'customer');
    const first = await send('第一句'); // opens the visitor's turn (the full path: it starts the next-response clock)
    assert.ok(first.ok);

    const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
    // every line at once, and the first three sent twice more (a lost ack, a second tab)
    const frames = [...ids.map((id, i) => [id, `第${i + 2}句`] as const), ...ids.slice(0, 3).flatMap((id) => [[id, 'x'] as const, [id, 'x'] as const])];
    const acks = await Promise.all(frames.map(async ([id, body]) => {
      const ack = await send(body, id);
      assert.ok(ack.ok, JSON.stringify(ack));
      // acknowledged means stored: the row is there with its seq
      const [row] = await srv.database.db.select({ seq: chatMessageSeqs.seq }).from(chatMessageSeqs).where(eq(chatMessageSeqs.messageId, ack.message.messageId));
      assert.equal(row?.seq, ack.message.seq, 'the acknowledged line is stored with its seq');
      return { id, ack };
    }));
    for (const id of ids) {
      const mine = acks.filter((a) => a.id === id).map((a) => a.ack);
      assert.equal(new Set(mine.map((a) => a.ok && a.message.messageId)).size, 1, 'one message per client id');
      assert.equal(mine.filter((a) => a.ok && !a.duplicate).length, 1, 'stored once, the resends answered as duplicates');
    }
    const seqs = ids.map((id) => acks.find((a) => a.id === id && a.ack.ok && !a.ack.duplicate)!.ack).map((a) => (a.ok ? a.message.seq : 0)).sort((a, b) => a - b);
    assert.deepEqual(seqs, [4, 5, 6, 7, 8, 9]);

    const stored = await srv.database.db.select({ seq: chatMessageSeqs.seq, body: messages.body }).from(chatMessageSeqs)
      .innerJoin(messages, eq(messages.id, chatMessageSeqs.messageId)).where(eq(chatMessageSeqs.conversationId, conv.id)).orderBy(asc(chatMessageSeqs.seq));
    assert.deepEqual(stored.map((s) => s.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'no gaps');
    assert.equal((await srv.database.db.select().from(messages).where(eq(messages.ticketId, conv.ticketId))).length, 9, 'nothing stored twice');
    const [row] = await srv.database.db.select().from(chatConversations).where(eq(chatConversations.id, conv.id));
    assert.equal(row.lastSeq, 9);

    await waitFor(() => pushed.length === 8, 'every line at the agent');
    assert.equal(new Set(pushed.map((p) => p.seq)).size, 8, 'each pushed once');
    await v.until(() => v.transcript.length === 9, 'the visitor\'s transcript');
    assert.deepEqual(v.transcript.map((m) => m.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await srv.drain();
    assert.equal(await messageAdded(conv.ticketId, 'customer') - before, 1, 'one message.added for the whole turn (its first line)');
    const names = (p: { ticketId?: string; ticketIds?: string[] }) => p.ticketId === conv.ticketId || !!p.ticketIds?.includes(conv.ticketId);
    const light = () => signals.filter((p) => p.eventId === undefined && names(p)); // the hub's (events carry their id)
    await waitFor(() => light().length >= 1, 'the consoles told of the light lines');
    assert.ok(light().length <= 2, `one push for lines within a second, not one per line (${light().length})`);
  });

  it('SLA first and next response follow the turns of a chat; the ticket\'s timeline has every line in order', async () => {
    const policy = await admin.post('/api/v1/sla-policies', { name: '在线咨询', position: 0, conditions: { channels: ['webchat'] }, targets: { firstResponseMinutes: 60, nextResponseMinutes: 30 } });
    assert.equal(policy.statusCode, 201, policy.body);
    try {
      const { conv, say, send } = await chatWithAgent('时效');
      const sla = async () => { await srv.drain(); return (await admin.get(`/api/v1/tickets/${conv.ticketId}/sla`)).json(); };
      const ticket = async () => (await admin.get(`/api/v1/tickets/${conv.ticketId}`)).json();

      const opened = await sla();
      assert.ok(opened.firstResponseDue, 'first response is due');
      assert.ok((await send('在吗')).ok);
      assert.ok((await send('有人吗')).ok);
      assert.equal((await sla()).firstResponseDue, opened.firstResponseDue, 'more lines before the answer move nothing');

      await say('您好，请讲');
      const answered = await ticket();
      assert.ok(answered.ticket.firstResponseAt, 'first response recorded');
      let due = await sla();
      assert.deepEqual([due.firstResponseDue, due.nextResponseDue], [null, null]);
      await say('我是客服小王'); // the agent again: the light path

      const v1 = await send('我的快递丢了');
      assert.ok(v1.ok);
      assert.ok((await send('单号是 SF123')).ok);
      assert.ok((await send('麻烦尽快')).ok);
      due = await sla();
      const [firstUnanswered] = await srv.database.db.select({ at: messages.createdAt }).from(messages).where(eq(messages.id, v1.ok ? v1.message.messageId : ''));
      assert.ok(due.nextResponseDue, 'the customer waits: next response is due');
      const minutes = (new Date(due.nextResponseDue).getTime() - firstUnanswered.at.getTime()) / 60_000;
      assert.ok(Math.abs(minutes - 30) < 0.1, `next response is timed from the first unanswered line (${minutes} min)`);

      await say('已为您催件');
      due = await sla();
      assert.equal(due.nextResponseDue, null, 'answered: nothing due');

      const detail = await ticket();
      const bodies = (detail.messages as Array<{ body: string }>).map((m) => m.body);
      assert.deepEqual(bodies, ['你好', '在吗', '有人吗', '您好，请讲', '我是客服小王', '我的快递丢了', '单号是 SF123', '麻烦尽快', '已为您催件']);
      const seqRows = await srv.database.db.select({ seq: chatMessageSeqs.seq }).from(chatMessageSeqs).where(inArray(chatMessageSeqs.conversationId, [conv.id]));
      assert.equal(seqRows.length, 9, 'every line numbered');
    } finally {
      await admin.del(`/api/v1/sla-policies/${policy.json().id}`);
    }
  });

  it('lines arriving together share statements (group commit): every line stored once, each chat\'s seqs in the order sent; a key clash stores neither twice', async () => {
    // more chats than statements may be out at once (2): lines queue, and a freed slot takes the next
    // line of every chat not in a statement, so after the first two each statement carries several
    const chats: Array<Awaited<ReturnType<typeof chatWithAgent>>> = [];
    for (const name of ['批量甲', '批量乙', '批量丙', '批量丁', '批量戊', '批量己', '批量庚', '批量辛']) chats.push(await chatWithAgent(name));
    // the statements this database handle is sent
    let statements = 0;
    const db = srv.database.db;
    const counted = new Proxy(db, {
      get(t, p) {
        if (p === 'execute') return (...a: unknown[]) => { statements++; return (t.execute as (...x: unknown[]) => unknown).apply(t, a); };
        return Reflect.get(t, p);
      },
    });
    const line = (c: (typeof chats)[number], body: string, externalId = `${c.conv.id}:${crypto.randomUUID()}`) =>
      ({ tenantId: acme.id, visitorId: c.conv.visitorId, conversationId: c.conv.id, externalId, body });
    const sent = Array.from({ length: 5 }, (_, i) => chats.map((c, k) => line(c, `第${k}-${i}句`))).flat();
    const results = await Promise.all(sent.map((l) => storeVisitorLine(counted, l)));
    assert.ok(results.every(Boolean), 'every line stored');
    assert.ok(statements <= 30, `40 lines of 8 chats in ${statements} statements (one each without grouping)`);
    for (const c of chats) {
      const mine = results.filter((r) => r!.conversation.id === c.conv.id).map((r) => r!);
      assert.deepEqual(mine.map((r) => r.seq), mine.map((_, i) => mine[0].seq + i), 'consecutive seqs, in the order sent');
      const rows = await srv.database.db.select({ body: messages.body }).from(chatMessageSeqs).innerJoin(messages, eq(messages.id, chatMessageSeqs.messageId))
        .where(inArray(chatMessageSeqs.messageId, mine.map((r) => r.messageId))).orderBy(asc(chatMessageSeqs.seq));
      assert.deepEqual(rows.map((r) => r.body), sent.filter((l) => l.conversationId === c.conv.id).map((l) => l.body));
    }

    // two lines of different chats under one key in one statement: the statement fails on the key and
    // each line is tried alone; the first is stored, the other goes to the full path (null), its seq not used
    const [a, b] = chats;
    const key = `${a.conv.id}:${crypto.randomUUID()}`;
    const before = await srv.database.db.select({ lastSeq: chatConversations.lastSeq }).from(chatConversations).where(eq(chatConversations.id, b.conv.id));
    const [first, clash] = await storeVisitorLines(db, [line(a, '甲的', key), line(b, '乙的', key)]);
    assert.ok(first.ok && first.stored, 'the first line is stored');
    assert.deepEqual(clash, { ok: true, stored: null }, 'the clashing one is left to the full path');
    // a line the database refuses fails alone, not the lines it shared a statement with
    const c = chats[2];
    const [bad, good] = await storeVisitorLines(db, [{ ...line(b, '坏的'), conversationId: 'not-a-uuid' }, line(c, '好的')]);
    assert.equal(bad.ok, false);
    assert.ok(good.ok && good.stored?.conversation.id === c.conv.id, 'the other line is stored');
    const next = await storeVisitorLine(db, line(b, '乙的下一句'));
    assert.equal(next!.seq, before[0].lastSeq + 1, 'no seq lost to the failed statement');
  });
});
