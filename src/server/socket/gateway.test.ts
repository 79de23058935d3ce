import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as connect, type Socket } from 'socket.io-client';
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
});
