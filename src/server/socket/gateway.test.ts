import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { queryRows } from '../../db/client.ts';
import { testServer, type TestServer, type TestTenant } from '../../testing/test-server.ts';

describe('Socket.IO gateway', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let url: string;
  const sockets: Socket[] = [];
  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    url = await srv.kefu.listen();
  });
  after(async () => {
    for (const s of sockets) s.close();
    await srv.close();
  });

  const open = (cookie: string | null, host: string) => {
    const s = connect(url, { transports: ['websocket'], extraHeaders: { host, ...(cookie ? { cookie } : {}) }, reconnection: false });
    sockets.push(s);
    return s;
  };

  it('refuses a connection without a valid session', async () => {
    const s = open(null, acme.host);
    const err = await new Promise<Error>((resolve) => s.on('connect_error', resolve));
    assert.equal(err.message, 'unauthenticated');
  });

  it('delivers a domain event to the company room, and nothing to another company', async () => {
    const admin = await acme.admin();
    const globex = await srv.tenant('globex');
    const globexAdmin = await globex.admin();
    const mine = open(admin.cookie, acme.host);
    const theirs = open(globexAdmin.cookie, globex.host);
    await Promise.all([mine, theirs].map((s) => new Promise<void>((r) => s.on('connect', () => r()))));
    const leaked: unknown[] = [];
    theirs.on('department.changed', (p) => leaked.push(p));
    const received = new Promise<{ departmentId: string; change: string }>((resolve) => mine.on('department.changed', resolve));
    const dept = (await admin.post('/api/v1/departments', { name: '实时部门' })).json();
    await srv.drain();
    const payload = await received;
    assert.equal(payload.departmentId, dept.id);
    assert.equal(payload.change, 'created');
    // globex's socket got its own tenant's events only: make one and see it arrive after nothing leaked
    const own = new Promise((resolve) => theirs.on('department.changed', resolve));
    await globexAdmin.post('/api/v1/departments', { name: 'Globex dept' });
    await srv.drain();
    await own;
    assert.equal(leaked.length, 1);
    assert.notEqual((leaked[0] as { departmentId: string }).departmentId, dept.id);
  });

  it('pushes right after the commit, not through the job queue: a stopped worker does not hold it back', async () => {
    const admin = await acme.admin();
    const s = open(admin.cookie, acme.host);
    await new Promise<void>((r) => s.on('connect', () => r()));
    await srv.kefu.worker.stop(); // the last test: nothing runs jobs from here on
    const received = new Promise<{ ticketId: string }>((resolve) => s.on('ticket.created', resolve));
    const ticket = (await admin.post('/api/v1/tickets', { subject: '推送不排队', body: 'push me' })).json();
    assert.equal((await received).ticketId, ticket.id);
    const [{ n }] = await queryRows<{ n: number }>(srv.database.db, sql`select count(*)::int as n from jobs where queue = 'event:realtime'`);
    assert.equal(n, 0, 'no delivery job for the push');
  });
});
