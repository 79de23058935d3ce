// kefu-test: postgres only (it starts or uses a PostgreSQL server: the PGlite pass would repeat it)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { createAdapter } from '@socket.io/postgres-adapter';
import { findPostgresBin } from '../../testing/postgres-server.ts';
import { testPostgres, type TestPostgres } from '../../testing/spawn-node.ts';
import { BROADCAST, localFirst } from './local-first.ts';

const noPostgres = !process.env.KEFU_TEST_PG_URL && !findPostgresBin()
  ? '!! SKIPPED: cross-node broadcasts need PostgreSQL: KEFU_TEST_PG_URL is unset and no server binaries were found (apt-get install postgresql)'
  : false;

/** A pool whose NOTIFY statements wait until `open()`: a PostgreSQL that is slow to answer them. */
function gatedPool(pool: pg.Pool) {
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const proxy = new Proxy(pool, {
    get(t, p) {
      if (p === 'query') {
        return async (...a: unknown[]) => {
          if (typeof a[0] === 'string' && a[0].includes('pg_notify')) await gate;
          return (t.query as (...x: unknown[]) => unknown)(...a);
        };
      }
      const v = Reflect.get(t, p);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
  return { pool: proxy, close: () => { gate = new Promise((r) => { open = r; }); }, open: () => open() };
}

interface Node { http: HttpServer; io: Server; pool: pg.Pool; url: string }

async function startNode(url: string, wrap: (p: pg.Pool) => pg.Pool = (p) => p): Promise<Node> {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const http = createServer();
  const io = new Server(http);
  io.adapter(localFirst(createAdapter(wrap(pool), { errorHandler: () => {} })));
  io.on('connection', (s) => { void s.join('room'); });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { http, io, pool, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

async function client(url: string): Promise<Socket> {
  const s = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  await new Promise<void>((resolve, reject) => { s.once('connect', resolve); s.once('connect_error', reject); });
  await new Promise((r) => setTimeout(r, 50)); // the server-side join
  return s;
}

const until = async (what: string, done: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The other nodes this node's adapter has heard from. */
const nodesOf = (n: Node) => (n.io.of('/').adapter as unknown as { nodesMap: Map<string, number> }).nodesMap;

/** Counts the broadcasts a node's adapter publishes to PostgreSQL. */
function countBroadcasts(n: Node): () => number {
  const adapter = n.io.of('/').adapter as unknown as { publish(m: { type: number }): unknown };
  const publish = adapter.publish.bind(adapter);
  let count = 0;
  adapter.publish = (m) => { if (m.type === BROADCAST) count++; return publish(m); };
  return () => count;
}

/**
 * Two nodes on one throwaway database for the tests of a describe block: node A's NOTIFY statements
 * wait while its gate is closed (a PostgreSQL slow to answer them), node B's go straight through.
 */
function twoNodes(database: string) {
  let server: TestPostgres;
  let db: { url: string; drop(): Promise<void> };
  const nodes = { a: undefined as unknown as Node, b: undefined as unknown as Node, gate: { close: () => {}, open: () => {} } };
  before(async () => {
    server = (await testPostgres())!;
    db = await server.createDatabase(database);
    nodes.a = await startNode(db.url, (p) => { const g = gatedPool(p); Object.assign(nodes.gate, { close: g.close, open: g.open }); return g.pool; });
    nodes.b = await startNode(db.url);
  });
  after(async () => {
    nodes.gate.open();
    for (const n of [nodes.a, nodes.b]) {
      if (!n) continue;
      n.io.close();
      await n.pool.end();
    }
    await db?.drop();
    await server?.stop();
  });
  return nodes;
}

describe('broadcasts reach this node\'s sockets before the other nodes are told', { skip: noPostgres, timeout: 60_000 }, () => {
  const nodes = twoNodes('kefu_local_first');

  it('a push waits for no NOTIFY on its own node, comes in emit order, and still reaches the other node', async () => {
    const { a, b, gate } = nodes;
    await until('node A to hear of node B', () => nodesOf(a).size === 1);
    const here = await client(a.url);
    const there = await client(b.url);
    const gotHere: number[] = [];
    const gotThere: number[] = [];
    here.on('n', (i: number) => gotHere.push(i));
    there.on('n', (i: number) => gotThere.push(i));

    gate.close(); // PostgreSQL does not answer node A's NOTIFYs for now
    for (let i = 0; i < 50; i++) a.io.to('room').emit('n', i);
    await until('node A\'s own socket', () => gotHere.length === 50);
    assert.deepEqual(gotHere, [...Array(50).keys()], 'all of them, in emit order, with every NOTIFY still held back');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(gotThere.length, 0, 'node B hears of them only through PostgreSQL');

    gate.open();
    await until('node B\'s socket', () => gotThere.length === 50);
    assert.deepEqual([...gotThere].sort((x, y) => x - y), [...Array(50).keys()]);

    // the other way round is the adapter's usual path; a local-only emit stays on its node
    b.io.to('room').emit('n', 100);
    a.io.local.to('room').emit('n', 200);
    await until('the cross-node push', () => gotHere.includes(100) && gotThere.includes(100));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(gotThere.includes(200), false, 'a local emit is not sent to other nodes');
    assert.ok(gotHere.includes(200));
    here.disconnect();
    there.disconnect();
  });
});

describe('room joins apply on this node at once', { skip: noPostgres, timeout: 60_000 }, () => {
  const nodes = twoNodes('kefu_local_join');

  it('a push right after socketsJoin reaches the sockets just joined here; the other node\'s sockets join once told; socketsLeave likewise', async () => {
    const { a, b, gate } = nodes;
    await until('node A to hear of node B', () => nodesOf(a).size === 1);
    const here = await client(a.url);
    const there = await client(b.url);
    const gotHere: string[] = [];
    const gotThere: string[] = [];
    here.on('n', (x: string) => gotHere.push(x));
    there.on('n', (x: string) => gotThere.push(x));

    gate.close(); // PostgreSQL does not answer node A's NOTIFYs for now
    a.io.in('room').socketsJoin('chat');
    a.io.to('chat').emit('n', 'first');
    await until('node A\'s own socket', () => gotHere.includes('first'));
    gate.open();
    await until('node B\'s socket to join', () => b.io.of('/').adapter.rooms.get('chat')?.size === 1);
    a.io.to('chat').emit('n', 'second');
    await until('node B\'s socket', () => gotThere.includes('second'));

    gate.close();
    a.io.in('room').socketsLeave('chat');
    a.io.to('chat').emit('n', 'after leaving');
    gate.open();
    await until('node B\'s socket to leave', () => !b.io.of('/').adapter.rooms.get('chat'));
    a.io.to('room').emit('n', 'marker');
    await until('the marker on both', () => gotHere.includes('marker') && gotThere.includes('marker'));
    assert.deepEqual(gotHere, ['first', 'second', 'marker'], 'left the room before the push, on this node');
    here.disconnect();
    there.disconnect();
  });
});

describe('a node alone publishes no broadcast', { skip: noPostgres, timeout: 60_000 }, () => {
  let server: TestPostgres;
  let db: { url: string; drop(): Promise<void> };
  const nodes: Node[] = [];

  before(async () => {
    server = (await testPostgres())!;
    db = await server.createDatabase('kefu_alone');
  });
  after(async () => {
    for (const n of nodes) { n.io.close(); await n.pool.end(); }
    await db?.drop();
    await server?.stop();
  });

  it('no NOTIFY for a push while no other node is known; a node that starts later is told of the next ones', async () => {
    const lone = await startNode(db.url);
    nodes.push(lone);
    const published = countBroadcasts(lone);
    const here = await client(lone.url);
    const got: number[] = [];
    here.on('n', (i: number) => got.push(i));
    for (let i = 0; i < 20; i++) lone.io.to('room').emit('n', i);
    await until('its own socket', () => got.length === 20);
    assert.equal(published(), 0, 'nothing published with no other node');

    const later = await startNode(db.url);
    nodes.push(later);
    await until('the first node to hear of the new one', () => nodesOf(lone).size === 1);
    const there = await client(later.url);
    const gotThere: number[] = [];
    there.on('n', (i: number) => gotThere.push(i));
    lone.io.to('room').emit('n', 99);
    await until('the new node\'s socket', () => gotThere.includes(99));
    assert.equal(published(), 1);
    here.disconnect();
    there.disconnect();
  });
});
