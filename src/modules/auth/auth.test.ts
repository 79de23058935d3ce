import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServer, type TestServer, type TestTenant, ADMIN_PASSWORD } from '../../testing/test-server.ts';

function linkToken(text: string): string {
  const m = text.match(/token=([A-Za-z0-9_%-]+)/);
  assert.ok(m, `no token link in: ${text}`);
  return decodeURIComponent(m[1]);
}

describe('auth: sessions, CSRF, invitations, passwords, API tokens', () => {
  let srv: TestServer;
  let acme: TestTenant;
  before(async () => { srv = await testServer(); acme = await srv.tenant('acme'); });
  after(async () => { await srv.close(); });

  it('signs in with the right password only, and answers unknown emails the same way', async () => {
    const wrong = await acme.request('POST', '/api/v1/auth/login', { email: acme.adminEmail, password: 'nope-nope' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().code, 'bad_credentials');
    const unknown = await acme.request('POST', '/api/v1/auth/login', { email: 'ghost@acme.test', password: 'nope-nope' });
    assert.equal(unknown.statusCode, 401);
    assert.equal(unknown.json().message, wrong.json().message);
    const ok = await acme.request('POST', '/api/v1/auth/login', { email: acme.adminEmail.toUpperCase(), password: ADMIN_PASSWORD });
    assert.equal(ok.statusCode, 200);
    const cookie = ok.headers['set-cookie'] as string;
    assert.match(cookie, /kefu_session=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.equal(ok.json().role.builtin, 'admin');
  });

  it('requires the CSRF token on cookie-authenticated writes but not on reads', async () => {
    const admin = await acme.admin();
    assert.equal((await acme.request('GET', '/api/v1/auth/me', undefined, { cookie: admin.cookie })).statusCode, 200);
    const noCsrf = await acme.request('POST', '/api/v1/roles', { name: 'x', permissions: [] }, { cookie: admin.cookie });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().code, 'csrf');
    const badCsrf = await acme.request('POST', '/api/v1/roles', { name: 'x', permissions: [] }, { cookie: admin.cookie, 'x-csrf-token': 'forged' });
    assert.equal(badCsrf.statusCode, 403);
    assert.equal((await admin.post('/api/v1/roles', { name: 'x', permissions: [] })).statusCode, 201);
  });

  it('a session cookie of one company does not work at another', async () => {
    const other = await srv.tenant('othercorp');
    const admin = await acme.admin();
    const res = await other.request('GET', '/api/v1/auth/me', undefined, { cookie: admin.cookie });
    assert.equal(res.statusCode, 401);
  });

  it('logs out this browser, and everywhere', async () => {
    const a = await acme.admin();
    const b = await acme.admin();
    assert.equal((await a.post('/api/v1/auth/logout')).statusCode, 200);
    assert.equal((await a.get('/api/v1/auth/me')).statusCode, 401);
    assert.equal((await b.get('/api/v1/auth/me')).statusCode, 200);
    const c = await acme.admin();
    assert.equal((await c.post('/api/v1/auth/logout-everywhere')).statusCode, 200);
    assert.equal((await b.get('/api/v1/auth/me')).statusCode, 401);
    assert.equal((await c.get('/api/v1/auth/me')).statusCode, 401);
  });

  it('invites an agent: the activation link arrives in the outbox, works once, and the agent can sign in', async () => {
    const admin = await acme.admin();
    const roles = (await admin.get('/api/v1/roles')).json().items;
    const agentRole = roles.find((r: { builtin: string }) => r.builtin === 'agent');
    const inv = await admin.post('/api/v1/staff/invitations', { email: 'Li.Lei@acme.test', name: '李雷', roleId: agentRole.id });
    assert.equal(inv.statusCode, 201, inv.body);
    assert.equal(inv.json().status, 'invited');
    assert.equal(inv.json().email, 'li.lei@acme.test');
    const dup = await admin.post('/api/v1/staff/invitations', { email: 'li.lei@acme.test', name: 'again', roleId: agentRole.id });
    assert.equal(dup.statusCode, 409);

    await srv.drain();
    const outbox = (await admin.get('/api/v1/outbox?to=li.lei')).json();
    assert.equal(outbox.total, 1);
    assert.equal(outbox.items[0].status, 'stored'); // no SMTP configured: kept for the admin to read
    const token = linkToken(outbox.items[0].text);

    // before activation the account cannot sign in
    assert.equal((await acme.request('POST', '/api/v1/auth/login', { email: 'li.lei@acme.test', password: 'whatever1' })).statusCode, 401);
    const info = await acme.request('GET', `/api/v1/auth/invitation?token=${encodeURIComponent(token)}`);
    assert.equal(info.json().email, 'li.lei@acme.test');
    const act = await acme.request('POST', '/api/v1/auth/activate', { token, password: 'agent-password-1' });
    assert.equal(act.statusCode, 200, act.body);
    const again = await acme.request('POST', '/api/v1/auth/activate', { token, password: 'agent-password-2' });
    assert.equal(again.statusCode, 400);
    assert.equal(again.json().code, 'token_invalid');

    const agent = await acme.login('li.lei@acme.test', 'agent-password-1');
    const me = (await agent.get('/api/v1/auth/me')).json();
    assert.equal(me.name, '李雷');
    assert.deepEqual(me.permissions, ['tickets.view_department']);
    assert.equal((await agent.post('/api/v1/roles', { name: 'sneaky', permissions: [] })).statusCode, 403);
  });

  it('changes a password (other browsers signed out) and resets a forgotten one by mailed link', async () => {
    const admin = await acme.admin();
    const roles = (await admin.get('/api/v1/roles')).json().items;
    const agentRole = roles.find((r: { builtin: string }) => r.builtin === 'agent');
    await admin.post('/api/v1/staff/invitations', { email: 'han@acme.test', name: 'Han', roleId: agentRole.id });
    await srv.drain();
    const mail = (await admin.get('/api/v1/outbox?to=han@')).json().items[0];
    await acme.request('POST', '/api/v1/auth/activate', { token: linkToken(mail.text), password: 'first-password' });

    const here = await acme.login('han@acme.test', 'first-password');
    const elsewhere = await acme.login('han@acme.test', 'first-password');
    const wrong = await here.post('/api/v1/auth/password', { currentPassword: 'bad-guess', newPassword: 'second-password' });
    assert.equal(wrong.json().code, 'wrong_password');
    const short = await here.post('/api/v1/auth/password', { currentPassword: 'first-password', newPassword: 'short' });
    assert.equal(short.statusCode, 400);
    assert.equal((await here.post('/api/v1/auth/password', { currentPassword: 'first-password', newPassword: 'second-password' })).statusCode, 200);
    assert.equal((await here.get('/api/v1/auth/me')).statusCode, 200);
    assert.equal((await elsewhere.get('/api/v1/auth/me')).statusCode, 401);

    const unknown = await acme.request('POST', '/api/v1/auth/password-reset/request', { email: 'nobody@acme.test' });
    assert.equal(unknown.statusCode, 200);
    assert.equal((await acme.request('POST', '/api/v1/auth/password-reset/request', { email: 'han@acme.test' })).statusCode, 200);
    await srv.drain();
    const reset = (await admin.get('/api/v1/outbox?to=han@')).json().items.find((m: { purpose: string }) => m.purpose === 'password_reset');
    assert.ok(reset);
    const res = await acme.request('POST', '/api/v1/auth/password-reset', { token: linkToken(reset.text), newPassword: 'third-password' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await here.get('/api/v1/auth/me')).statusCode, 401, 'a reset signs out every browser');
    await acme.login('han@acme.test', 'third-password');
  });

  it('API tokens act as their owner without CSRF, and stop working when revoked', async () => {
    const admin = await acme.admin();
    const created = await admin.post('/api/v1/auth/api-tokens', { name: 'CRM sync' });
    assert.equal(created.statusCode, 201);
    const { token, apiToken } = created.json();
    assert.match(token, /^kefu_/);
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await acme.request('GET', '/api/v1/staff', undefined, bearer)).statusCode, 200);
    assert.equal((await acme.request('POST', '/api/v1/departments', { name: 'Via API' }, bearer)).statusCode, 201);
    const list = (await admin.get('/api/v1/auth/api-tokens')).json();
    assert.equal(list.items[0].prefix, token.slice(0, 10));
    assert.ok(!JSON.stringify(list).includes(token), 'the token itself is never shown again');
    assert.equal((await admin.del(`/api/v1/auth/api-tokens/${apiToken.id}`)).statusCode, 200);
    assert.equal((await acme.request('GET', '/api/v1/staff', undefined, bearer)).statusCode, 401);
  });

  it('rate-limits repeated login attempts per address', async () => {
    const limited = await testServer({ loginRateLimit: 3 });
    try {
      const t = await limited.tenant('ratelimit');
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await t.request('POST', '/api/v1/auth/login', { email: 'a@b.test', password: 'wrong-one' })).statusCode);
      assert.ok(codes.includes(429), `expected a 429 among ${codes}`);
      const last = await t.request('POST', '/api/v1/auth/login', { email: 'a@b.test', password: 'wrong-one' });
      assert.equal(last.json().code, 'rate_limited');
    } finally {
      await limited.close();
    }
  });
});
