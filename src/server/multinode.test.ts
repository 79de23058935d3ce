// kefu-test: postgres only (it starts or uses a PostgreSQL server: the PGlite pass would repeat it)
/**
 * Two Kefu processes on one PostgreSQL database, as a load-balanced install runs them:
 * realtime events reach sockets on either node (Socket.IO's PostgreSQL adapter), and the durable jobs
 * both nodes' workers compete for run exactly once (FOR UPDATE SKIP LOCKED).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { openDatabase, queryRows, type Database } from '../db/client.ts';
import { createTenant } from '../modules/tenants/tenants.service.ts';
import { findPostgresBin } from '../testing/postgres-server.ts';
import {
  signIn, spawnNode, startSmtpSink, testPostgres, waitFor,
  type HttpSession, type SmtpSink, type SpawnedNode, type TestPostgres,
} from '../testing/spawn-node.ts';

const SLUG = 'multi';
const ADMIN = { email: 'admin@multi.test', password: 'multi-admin-password' };

const noPostgres = !process.env.KEFU_TEST_PG_URL && !findPostgresBin()
  ? '!! SKIPPED: two nodes need PostgreSQL: KEFU_TEST_PG_URL is unset and no server binaries were found (apt-get install postgresql)'
  : false;

describe('two Kefu processes on one PostgreSQL', { skip: noPostgres, timeout: 150_000 }, () => {
  let server: TestPostgres;
  let dropDb: (() => Promise<void>) | undefined;
  let database: Database; // the test's own connection, for looking at jobs and the outbox
  let sink: SmtpSink;
  let a: SpawnedNode;
  let b: SpawnedNode;
  const sockets: Socket[] = [];

  before(async () => {
    server = (await testPostgres())!;
    const created = await server.createDatabase('kefu_multi');
    dropDb = created.drop;
    database = await openDatabase({ url: created.url, poolSize: 2 });
    await createTenant(database.db, { slug: SLUG, name: 'Multi Co.', adminEmail: ADMIN.email, adminName: 'Admin', adminPassword: ADMIN.password, locale: 'en' });
    // A relay that takes a moment per mail, so a backlog builds up for both workers to compete over.
    sink = await startSmtpSink({ delayMs: 40 });
    const env = { DATABASE_URL: created.url, KEFU_DEFAULT_TENANT: SLUG, KEFU_SMTP_URL: sink.url };
    // Started together, as an orchestrator does.
    [a, b] = await Promise.all([
      spawnNode({ ...env, KEFU_NODE_ID: 'node-a' }),
      spawnNode({ ...env, KEFU_NODE_ID: 'node-b' }),
    ]);
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.close();
    await dropDb?.();
    await server?.stop();
    await sink?.close();
  });

  it('each node listens on its own port (PORT=0 prints the bound URL)', async () => {
    for (const node of [a, b]) {
      assert.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(new URL(node.url).port, '0');
      const ready = await fetch(`${node.url}/readyz`);
      assert.equal(ready.status, 200);
    }
    assert.notEqual(a.url, b.url);
    assert.equal((await (await fetch(`${a.url}/readyz`)).json()).node, 'node-a');
    assert.equal((await (await fetch(`${b.url}/readyz`)).json()).node, 'node-b');
  });

  async function connect(url: string, session: HttpSession): Promise<{ socket: Socket; seen: Map<string, number> }> {
    const socket = connectSocket(url, { transports: ['websocket'], extraHeaders: { cookie: session.cookie }, reconnection: false, timeout: 10_000 });
    sockets.push(socket);
    const seen = new Map<string, number>(); // department id → times received
    socket.on('department.changed', (p: { departmentId: string }) => seen.set(p.departmentId, (seen.get(p.departmentId) ?? 0) + 1));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`socket to ${url} refused: ${err.message}`)));
    });
    return { socket, seen };
  }

  it('a realtime event caused through node A reaches sockets on both nodes once each, pushed by node A after the commit', async (t) => {
    const onA = await signIn(a.url, ADMIN.email, ADMIN.password);
    const onB = await signIn(b.url, ADMIN.email, ADMIN.password);
    const clientB = await connect(b.url, onB);
    const clientA = await connect(a.url, onA);

    // An unauthenticated socket is refused on either node.
    const anon = connectSocket(b.url, { transports: ['websocket'], reconnection: false, timeout: 10_000 });
    sockets.push(anon);
    const refused = await new Promise<string>((resolve) => {
      anon.once('connect', () => resolve('connected'));
      anon.once('connect_error', (err) => resolve(err.message));
    });
    assert.equal(refused, 'unauthenticated');

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await onA.request('POST', '/api/v1/departments', { name: `Realtime ${i}` });
      assert.equal(res.status, 201, res.text);
      ids.push(res.json.id);
    }
    await waitFor(() => ids.every((id) => clientB.seen.has(id) && clientA.seen.has(id)), {
      timeoutMs: 20_000,
      message: () => `department.changed not received on both nodes: B got ${[...clientB.seen.keys()].length}/6, A got ${[...clientA.seen.keys()].length}/6`,
    });
    // Exactly once per socket: the adapter does not echo a node's own emit back to it.
    assert.deepEqual(ids.map((id) => [clientA.seen.get(id), clientB.seen.get(id)]), ids.map(() => [1, 1]));

    // Pushed by the node that committed the change, right after the commit: no delivery job at all.
    const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from jobs where queue = 'event:realtime'`);
    assert.equal(n, 0);
  });

  it('signing out on node A ends the session on node B too, though B had it cached', async () => {
    const admin = await signIn(a.url, ADMIN.email, ADMIN.password);
    const onB = async () => (await fetch(`${b.url}/api/v1/auth/me`, { headers: { cookie: admin.cookie } })).status;
    assert.equal(await onB(), 200);
    assert.equal(await onB(), 200, 'served again (from B\'s cache)');
    assert.equal((await admin.request('POST', '/api/v1/auth/logout')).status, 200);
    await waitFor(async () => (await onB()) === 401, { timeoutMs: 5000, intervalMs: 20, message: 'node B still accepted the signed-out session' });
  });

  it('20 invitations through node A: both workers compete, the relay gets each mail exactly once', async (t) => {
    const admin = await signIn(a.url, ADMIN.email, ADMIN.password);
    const roles = await admin.request('GET', '/api/v1/roles');
    const agentRoleId: string = roles.json.items.find((r: { builtin: string }) => r.builtin === 'agent').id;
    const emails = Array.from({ length: 20 }, (_, i) => `invitee${i}@multi.test`);
    const before = sink.messages.length;

    // Five requests in flight at a time: jobs keep arriving while both workers are busy.
    const queue = [...emails];
    await Promise.all(Array.from({ length: 5 }, async () => {
      for (let email = queue.shift(); email; email = queue.shift()) {
        const res = await admin.request('POST', '/api/v1/staff/invitations', { email, name: email.split('@')[0], roleId: agentRoleId });
        assert.equal(res.status, 201, res.text);
      }
    }));

    // Done means every mail job is finished; a job cannot run again after that (claims need status pending).
    await waitFor(async () => {
      const [row] = await queryRows<{ open: number; done: number }>(database.db, sql`
        select count(*) filter (where j.status <> 'done')::int as open, count(*) filter (where j.status = 'done')::int as done
        from jobs j join events e on e.id = (j.payload->>'eventId')::bigint
        where j.queue = 'event:mail' and e.type = 'mail.queued'`);
      return row.open === 0 && row.done === emails.length;
    }, { timeoutMs: 40_000, intervalMs: 200, message: 'mail jobs did not all finish' });

    const counts = sink.countsByRecipient();
    assert.deepEqual(emails.filter((e) => counts.get(e) !== 1).map((e) => `${e}×${counts.get(e) ?? 0}`), [], 'each invitation mailed exactly once');
    assert.equal(sink.messages.length - before, emails.length, 'no other mail than the invitations');

    const outbox = await queryRows<{ to_address: string; status: string; attempts: number }>(database.db, sql`
      select to_address, status, attempts from mail_outbox where purpose = 'invitation'`);
    assert.equal(outbox.length, emails.length);
    assert.deepEqual(outbox.filter((m) => m.status !== 'sent' || m.attempts !== 1), [], 'outbox rows not sent, or sent more than once');

    const byNode = await queryRows<{ locked_by: string; n: number }>(database.db, sql`
      select locked_by, count(*)::int as n from jobs where queue = 'event:mail' group by locked_by order by locked_by`);
    t.diagnostic(`mail deliveries by worker: ${JSON.stringify(Object.fromEntries(byNode.map((d) => [d.locked_by, d.n])))}`);
    assert.ok(byNode.every((d) => d.locked_by === 'node-a' || d.locked_by === 'node-b'));
    // Both workers took part (over every job of this database: realtime pushes and mail).
    const workers = await queryRows<{ locked_by: string }>(database.db, sql`select distinct locked_by from jobs where status = 'done' order by locked_by`);
    assert.deepEqual(workers.map((w) => w.locked_by), ['node-a', 'node-b'], 'both nodes\' workers should have run jobs');
  });
});
