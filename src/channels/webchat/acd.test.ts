import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { admitChat, ChatQueue, decideChatAgent, drainQueue, scopeKey, type AcdDecision, type ChatAgent, type ChatNeeds, type ChatScope, type QueuedChat } from './acd.ts';

const t = (min: number) => new Date(Date.UTC(2026, 10, 23, 9, min));
const agent = (userId: string, o: Partial<ChatAgent> = {}): ChatAgent => ({
  userId, presence: 'online', departmentIds: ['d-sales'], skills: [], activeChats: 0, capacity: 5, lastChatAt: t(0), ...o,
});
const COMPANY: ChatScope = { source: 'company', departmentIds: [], agentIds: [] };
const SALES: ChatScope = { source: 'designated', departmentIds: ['d-sales'], agentIds: [] };
const SUPPORT: ChatScope = { source: 'region', departmentIds: ['d-support'], agentIds: [] };
const needs = (o: Partial<ChatNeeds> = {}): ChatNeeds => ({ scope: COMPANY, skills: [], ...o });
const assign = (userId: string): AcdDecision => ({ kind: 'assign', userId });

describe('decideChatAgent', () => {
  const cases: Array<[string, ChatNeeds, ChatAgent[], AcdDecision]> = [
    // least busy, then longest idle
    ['fewest chats now', needs(), [agent('a', { activeChats: 3 }), agent('b', { activeChats: 1 }), agent('c', { activeChats: 2 })], assign('b')],
    ['least busy by count, not by share of capacity', needs(), [agent('a', { activeChats: 2, capacity: 10 }), agent('b', { activeChats: 1, capacity: 2 })], assign('b')],
    ['tie → the longest idle', needs(), [agent('a', { activeChats: 1, lastChatAt: t(30) }), agent('b', { activeChats: 1, lastChatAt: t(10) }), agent('c', { activeChats: 1, lastChatAt: t(20) })], assign('b')],
    ['tie → never had a chat counts as idle longest', needs(), [agent('a', { lastChatAt: t(1) }), agent('b', { lastChatAt: null })], assign('b')],
    ['full tie → by id, the same on every node', needs(), [agent('b'), agent('a')], assign('a')],
    // capacity
    ['an agent at capacity is skipped', needs(), [agent('a', { activeChats: 2, capacity: 2 }), agent('b', { activeChats: 4, capacity: 5 })], assign('b')],
    ['over capacity (capacity lowered while chatting) is skipped', needs(), [agent('a', { activeChats: 6, capacity: 3 }), agent('b', { activeChats: 4 })], assign('b')],
    ['capacity 0 takes no chats from the ACD', needs(), [agent('a', { capacity: 0 }), agent('b', { activeChats: 4 })], assign('b')],
    ['everyone in scope full → wait', needs(), [agent('a', { activeChats: 5 }), agent('b', { activeChats: 5 })], { kind: 'wait' }],
    // presence
    ['away and offline agents are skipped', needs(), [agent('a', { presence: 'away' }), agent('b', { presence: 'offline' }), agent('c', { activeChats: 4 })], assign('c')],
    ['only away agents → offline form (nobody will answer soon)', needs(), [agent('a', { presence: 'away' }), agent('b', { presence: 'offline' })], { kind: 'offline', reason: 'no_agent_online' }],
    ['only capacity-0 agents online → offline form', needs(), [agent('a', { capacity: 0 })], { kind: 'offline', reason: 'no_agent_online' }],
    ['no agents at all → offline form', needs(), [], { kind: 'offline', reason: 'no_agent_online' }],
    // skills
    ['skills: must hold every required skill', needs({ skills: ['english', 'billing'] }), [agent('a', { skills: ['english'] }), agent('b', { skills: ['billing', 'english'], activeChats: 3 })], assign('b')],
    ['skills: least busy among the skilled', needs({ skills: ['english'] }), [agent('a', { skills: ['english'], activeChats: 2 }), agent('b', { skills: ['english'], activeChats: 1 }), agent('c')], assign('b')],
    ['skills: skilled agent full → wait, even with unskilled ones free', needs({ skills: ['english'] }), [agent('a', { skills: ['english'], activeChats: 5 }), agent('b')], { kind: 'wait' }],
    ['skills: skilled agent away → offline form', needs({ skills: ['english'] }), [agent('a', { skills: ['english'], presence: 'away' }), agent('b')], { kind: 'offline', reason: 'no_skilled_agent' }],
    ['no skills required: anyone', needs({ skills: [] }), [agent('a', { skills: ['english'], activeChats: 1 }), agent('b', { activeChats: 0 })], assign('b')],
    // departments and designated agents
    ['department scope: members only', needs({ scope: SUPPORT }), [agent('a'), agent('b', { departmentIds: ['d-support'], activeChats: 4 })], assign('b')],
    ['department scope: member of several departments', needs({ scope: SUPPORT }), [agent('a', { departmentIds: ['d-sales', 'd-support'] })], assign('a')],
    ['department scope: nobody of it online → offline form even if others are free', needs({ scope: SUPPORT }), [agent('a'), agent('b', { departmentIds: ['d-support'], presence: 'offline' })], { kind: 'offline', reason: 'no_agent_online' }],
    ['merged departments: one pool, least busy across them', needs({ scope: { source: 'region', departmentIds: ['d-nb', 'd-zj'], agentIds: [] } }),
      [agent('a', { departmentIds: ['d-nb'], activeChats: 2 }), agent('b', { departmentIds: ['d-zj'], activeChats: 1 }), agent('c', { activeChats: 0 })], assign('b')],
    ['designated agent outside the designated department', needs({ scope: { source: 'designated', departmentIds: ['d-support'], agentIds: ['a'] } }), [agent('a', { activeChats: 1 }), agent('b')], assign('a')],
    ['company scope: everyone', needs({ scope: COMPANY }), [agent('a', { departmentIds: [] })], assign('a')],
    // exclusions (transfer away)
    ['excluded agent is never picked', needs({ exclude: ['a'] }), [agent('a'), agent('b', { activeChats: 4 })], assign('b')],
    ['only the excluded agent → offline form', needs({ exclude: ['a'] }), [agent('a')], { kind: 'offline', reason: 'no_agent_online' }],
  ];
  for (const [name, n, agents, expected] of cases) it(name, () => assert.deepEqual(decideChatAgent(n, agents), expected));
});

const chat = (chatId: string, o: Partial<QueuedChat> = {}): QueuedChat => ({ chatId, scope: SALES, skills: [], priority: 0, enqueuedAt: 1000, ...o });

describe('ChatQueue', () => {
  it('FIFO: positions in arrival order', () => {
    const q = new ChatQueue();
    assert.deepEqual(q.enqueue(chat('c1', { enqueuedAt: 1 })), { position: 1 });
    assert.deepEqual(q.enqueue(chat('c2', { enqueuedAt: 2 })), { position: 2 });
    assert.deepEqual(q.enqueue(chat('c3', { enqueuedAt: 3 })), { position: 3 });
    assert.equal(q.positionOf('c3'), 3);
    assert.equal(q.size, 3);
    assert.equal(q.dequeueFor(agent('a'))?.chatId, 'c1');
    assert.equal(q.positionOf('c3'), 2);
    assert.equal(q.positionOf('c1'), undefined);
  });

  it('one line per scope: a position counts only chats waiting for the same people', () => {
    const q = new ChatQueue();
    q.enqueue(chat('s1', { enqueuedAt: 1 }));
    q.enqueue(chat('p1', { scope: SUPPORT, enqueuedAt: 2 }));
    q.enqueue(chat('s2', { enqueuedAt: 3 }));
    assert.deepEqual([...q.positions()].sort(), [['p1', 1], ['s1', 1], ['s2', 2]]);
    // the same departments in another order are the same line
    q.enqueue(chat('m1', { scope: { source: 'region', departmentIds: ['d-a', 'd-b'], agentIds: [] }, enqueuedAt: 4 }));
    assert.deepEqual(q.enqueue(chat('m2', { scope: { source: 'designated', departmentIds: ['d-b', 'd-a'], agentIds: [] }, enqueuedAt: 5 })), { position: 2 });
    assert.equal(scopeKey(COMPANY), '*');
  });

  it('a higher priority (returning visitor) goes ahead; FIFO within a priority', () => {
    const q = new ChatQueue();
    q.enqueue(chat('new1', { enqueuedAt: 1 }));
    q.enqueue(chat('new2', { enqueuedAt: 2 }));
    assert.deepEqual(q.enqueue(chat('vip1', { enqueuedAt: 3, priority: 1 })), { position: 1 });
    assert.deepEqual(q.enqueue(chat('vip2', { enqueuedAt: 4, priority: 1 })), { position: 2 });
    assert.deepEqual(q.list().map((c) => c.chatId), ['vip1', 'vip2', 'new1', 'new2']);
    assert.equal(q.positionOf('new1'), 3);
  });

  it('dequeueFor: the oldest chat across the lines the agent serves', () => {
    const q = new ChatQueue();
    q.enqueue(chat('sales-late', { enqueuedAt: 5 }));
    q.enqueue(chat('support-early', { scope: SUPPORT, enqueuedAt: 2 }));
    q.enqueue(chat('company-mid', { scope: COMPANY, enqueuedAt: 3 }));
    const both = agent('a', { departmentIds: ['d-sales', 'd-support'] });
    assert.equal(q.dequeueFor(both)?.chatId, 'support-early');
    assert.equal(q.dequeueFor(both)?.chatId, 'company-mid');
    assert.equal(q.dequeueFor(agent('x', { departmentIds: ['d-other'] })), undefined); // sales-late is not theirs
    assert.equal(q.dequeueFor(both)?.chatId, 'sales-late');
    assert.equal(q.dequeueFor(both), undefined);
  });

  it('dequeueFor: skips chats needing skills the agent lacks, and chats that excluded them', () => {
    const q = new ChatQueue();
    q.enqueue(chat('english', { skills: ['english'], enqueuedAt: 1 }));
    q.enqueue(chat('not-for-a', { exclude: ['a'], enqueuedAt: 2 }));
    q.enqueue(chat('plain', { enqueuedAt: 3 }));
    assert.equal(q.dequeueFor(agent('a'))?.chatId, 'plain');
    assert.equal(q.dequeueFor(agent('a')), undefined);
    assert.equal(q.dequeueFor(agent('b', { skills: ['english'] }))?.chatId, 'english');
    assert.equal(q.dequeueFor(agent('b'))?.chatId, 'not-for-a');
  });

  it('overflow: a full line refuses, other lines are not affected; re-queueing a member never overflows', () => {
    const q = new ChatQueue();
    q.enqueue(chat('c1', { enqueuedAt: 1 }), { maxWaiting: 2 });
    q.enqueue(chat('c2', { enqueuedAt: 2 }), { maxWaiting: 2 });
    assert.deepEqual(q.enqueue(chat('c3', { enqueuedAt: 3 }), { maxWaiting: 2 }), { overflow: true });
    assert.equal(q.has('c3'), false);
    assert.deepEqual(q.enqueue(chat('p1', { scope: SUPPORT }), { maxWaiting: 2 }), { position: 1 });
    assert.deepEqual(q.enqueue(chat('c2', { enqueuedAt: 2, priority: 1 }), { maxWaiting: 2 }), { position: 1 }); // moved, not lost
    assert.equal(q.size, 3);
    assert.deepEqual(q.enqueue(chat('c3', { enqueuedAt: 3 }), { maxWaiting: 0 }), { overflow: true });
  });

  it('remove: a visitor who leaves the queue', () => {
    const q = new ChatQueue();
    q.enqueue(chat('c1', { enqueuedAt: 1 }));
    q.enqueue(chat('c2', { enqueuedAt: 2 }));
    assert.equal(q.remove('c1'), true);
    assert.equal(q.remove('c1'), false);
    assert.equal(q.positionOf('c2'), 1);
    q.remove('c2');
    assert.equal(q.size, 0);
    assert.deepEqual(q.list(), []);
  });

  it('from(rows): the same order whatever order the rows arrive in (every node agrees)', () => {
    const rows = [chat('c3', { enqueuedAt: 3 }), chat('c1', { enqueuedAt: 1 }), chat('v', { enqueuedAt: 9, priority: 1 }), chat('c2', { enqueuedAt: 1 })];
    const a = ChatQueue.from(rows).list().map((c) => c.chatId);
    const b = ChatQueue.from([...rows].reverse()).list().map((c) => c.chatId);
    assert.deepEqual(a, ['v', 'c1', 'c2', 'c3']);
    assert.deepEqual(b, a);
  });

  it('takeExpired: chats that waited too long leave for the offline-message path', () => {
    const q = ChatQueue.from([chat('old', { enqueuedAt: 0 }), chat('mid', { enqueuedAt: 50_000 }), chat('new', { enqueuedAt: 100_000 })]);
    assert.deepEqual(q.takeExpired(120_000, 60_000).map((c) => c.chatId), ['old', 'mid']);
    assert.deepEqual(q.list().map((c) => c.chatId), ['new']);
    assert.equal(q.positionOf('new'), 1);
  });
});

describe('admitChat', () => {
  const now = t(30);
  it('a free agent in scope takes it now', () => {
    const q = new ChatQueue();
    const r = admitChat(q, chat('c1'), [agent('a', { activeChats: 2 }), agent('b', { activeChats: 1 })], { now });
    assert.deepEqual(r, { admission: { kind: 'assign', userId: 'b' }, assignments: [{ chatId: 'c1', userId: 'b' }] });
    assert.equal(q.size, 0);
  });

  it('everyone busy → queued with its position', () => {
    const q = ChatQueue.from([chat('c0', { enqueuedAt: 1 })]);
    const r = admitChat(q, chat('c1', { enqueuedAt: 2 }), [agent('a', { activeChats: 5 })], { now });
    assert.deepEqual(r, { admission: { kind: 'queued', position: 2 }, assignments: [] });
  });

  it('the line is full → overflow, and the chat is not queued', () => {
    const q = ChatQueue.from([chat('c0', { enqueuedAt: 1 })]);
    const r = admitChat(q, chat('c1', { enqueuedAt: 2 }), [agent('a', { activeChats: 5 })], { now, maxWaiting: 1 });
    assert.deepEqual(r.admission, { kind: 'overflow' });
    assert.equal(q.has('c1'), false);
  });

  it('nobody online → offline form, not queued', () => {
    const q = new ChatQueue();
    assert.deepEqual(admitChat(q, chat('c1'), [agent('a', { presence: 'offline' })], { now }).admission, { kind: 'offline', reason: 'no_agent_online' });
    assert.equal(q.size, 0);
  });

  it('a newcomer does not jump an earlier waiting chat the free agent could serve', () => {
    const q = ChatQueue.from([chat('waiting', { enqueuedAt: 1 })]); // left over: no drain ran since the agent freed up
    const r = admitChat(q, chat('newcomer', { enqueuedAt: 2 }), [agent('a', { activeChats: 4 })], { now });
    assert.deepEqual(r, { admission: { kind: 'queued', position: 1 }, assignments: [{ chatId: 'waiting', userId: 'a' }] });
  });

  it('a returning visitor with priority goes ahead of the waiting chat', () => {
    const q = ChatQueue.from([chat('waiting', { enqueuedAt: 1 })]);
    const r = admitChat(q, chat('vip', { enqueuedAt: 2, priority: 1 }), [agent('a', { activeChats: 4 })], { now });
    assert.deepEqual(r, { admission: { kind: 'assign', userId: 'a' }, assignments: [{ chatId: 'vip', userId: 'a' }] });
    assert.equal(q.positionOf('waiting'), 1);
  });

  it('an earlier chat for other people does not hold up a newcomer', () => {
    const q = ChatQueue.from([chat('support', { scope: SUPPORT, enqueuedAt: 1 })]);
    const r = admitChat(q, chat('sales', { enqueuedAt: 2 }), [agent('a'), agent('s', { departmentIds: ['d-support'], activeChats: 5 })], { now });
    assert.deepEqual(r.admission, { kind: 'assign', userId: 'a' });
    assert.equal(q.positionOf('support'), 1);
  });
});

describe('drainQueue', () => {
  const now = t(45);
  it('hands waiting chats out in queue order up to each agent\'s capacity, least busy first', () => {
    const q = ChatQueue.from([1, 2, 3, 4, 5].map((i) => chat(`c${i}`, { enqueuedAt: i })));
    const out = drainQueue(q, [agent('a', { activeChats: 3, capacity: 4 }), agent('b', { activeChats: 1, capacity: 3 })], now);
    // c1 → b (1 chat), c2 → b (2 < 3) and b is full, c3 → a (3 of 4) and a is full; c4, c5 wait
    assert.deepEqual(out, [{ chatId: 'c1', userId: 'b' }, { chatId: 'c2', userId: 'b' }, { chatId: 'c3', userId: 'a' }]);
    assert.deepEqual(q.list().map((c) => c.chatId), ['c4', 'c5']);
  });

  it('a chat nobody free can serve stays and does not block the ones behind it', () => {
    const q = ChatQueue.from([chat('english', { skills: ['english'], enqueuedAt: 1 }), chat('plain', { enqueuedAt: 2 })]);
    const out = drainQueue(q, [agent('a')], now);
    assert.deepEqual(out, [{ chatId: 'plain', userId: 'a' }]);
    assert.deepEqual(q.list().map((c) => c.chatId), ['english']);
    assert.equal(q.positionOf('english'), 1);
  });

  it('nothing changes when nobody has room', () => {
    const q = ChatQueue.from([chat('c1')]);
    assert.deepEqual(drainQueue(q, [agent('a', { activeChats: 5 }), agent('b', { presence: 'away' })], now), []);
    assert.equal(q.size, 1);
  });

  it('does not modify the agents it was given', () => {
    const agents = [agent('a')];
    drainQueue(ChatQueue.from([chat('c1')]), agents, now);
    assert.equal(agents[0].activeChats, 0);
  });
});
