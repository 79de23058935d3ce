// kefu-test: postgres only (it starts or uses a PostgreSQL server: the PGlite pass would repeat it)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { findPostgresBin } from '../../testing/postgres-server.ts';
import { testPostgres, type TestPostgres } from '../../testing/spawn-node.ts';
import { batchedNotifyPool } from './notify-batch.ts';

const noPostgres = !process.env.KEFU_TEST_PG_URL && !findPostgresBin()
  ? '!! SKIPPED: NOTIFY batching needs PostgreSQL: KEFU_TEST_PG_URL is unset and no server binaries were found (apt-get install postgresql)'
  : false;

describe('the Socket.IO adapter\'s notifications, batched', { skip: noPostgres, timeout: 60_000 }, () => {
  let server: TestPostgres;
  let db: { url: string; drop(): Promise<void> };
  let pool: pg.Pool;
  let listener: pg.Client;

  before(async () => {
    server = (await testPostgres())!;
    db = await server.createDatabase('kefu_notify_batch');
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    await listener.query('LISTEN "chan#/"');
  });
  after(async () => {
    await listener?.end();
    await pool?.end();
    await db?.drop();
    await server?.stop();
  });

  it('every notification arrives once, in far fewer statements; repeats are not folded; other queries pass through', async () => {
    const got: string[] = [];
    listener.on('notification', (m) => got.push(m.payload!));
    let statements = 0;
    const counted = new Proxy(pool, {
      get(t, p) {
        if (p === 'query') return (...a: unknown[]) => { statements++; return (t.query as (...x: unknown[]) => unknown)(...a); };
        const v = Reflect.get(t, p);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });
    const batched = batchedNotifyPool(counted);
    // what the adapter does for each emit, 500 times at once; every tenth payload is sent twice in a row
    const sent: string[] = [];
    for (let i = 0; i < 500; i++) {
      sent.push(JSON.stringify({ n: i }));
      if (i % 10 === 0) sent.push(JSON.stringify({ n: i }));
    }
    await Promise.all(sent.map((payload) => batched.query('SELECT pg_notify($1, $2)', ['chan#/', payload])));
    const deadline = Date.now() + 10_000;
    while (got.length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([...got].sort(), [...sent].sort(), 'all of them, repeats included');
    assert.ok(statements < 60, `batched into few statements (${statements} for ${sent.length})`);

    const { rows } = await batched.query('select 41 + 1 as n');
    assert.equal(rows[0].n, 42);
    const client = await batched.connect();
    client.release();
  });
});
