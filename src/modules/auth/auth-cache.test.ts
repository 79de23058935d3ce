import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { AuthCache } from './auth-cache.ts';
import type { SessionAuth } from './sessions.ts';
import { waitFor } from '../../testing/spawn-node.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../../testing/test-server.ts';

const fake = (name: string) => ({ actor: { name } }) as unknown as SessionAuth;

describe('the per-node login cache', () => {
  it('forgets entries after the TTL, at the session\'s expiry, per company on request, and oldest first when full', () => {
    const cache = new AuthCache(1000, 3);
    cache.set('a', 't1', fake('a'), null, 0);
    cache.set('b', 't1', fake('b'), new Date(500), 0);
    cache.set('c', 't2', fake('c'), null, 0);
    assert.equal(cache.get('a', 999)?.actor.name, 'a');
    assert.equal(cache.get('a', 1001), null, 'past the TTL');
    assert.equal(cache.get('b', 500), null, 'past the session expiry');
    cache.set('d', 't2', fake('d'), null, 0);
    cache.set('e', 't2', fake('e'), null, 0);
    cache.set('f', 't1', fake('f'), null, 0);
    assert.equal(cache.get('c', 1), null, 'the oldest went when full');
    cache.forgetTenant('t2');
    assert.deepEqual(['d', 'e', 'f'].map((k) => cache.get(k, 1)?.actor.name ?? null), [null, null, 'f']);
  });
});

describe('logins stay correct with the cache: any change to people, roles, sessions or tokens applies at once', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
  });
  after(async () => { await srv.close(); });

  it('signing out ends the session on the very next request', async () => {
    const agent = await acme.agent('out@acme.test');
    assert.equal((await agent.get('/api/v1/auth/me')).statusCode, 200);
    assert.equal((await agent.post('/api/v1/auth/logout')).statusCode, 200);
    assert.equal((await agent.get('/api/v1/auth/me')).statusCode, 401);
  });

  it('a change made outside the API (SQL, the CLI) reaches a cached login through the table triggers', async () => {
    const agent = await acme.agent('sql@acme.test');
    assert.equal((await agent.get('/api/v1/auth/me')).statusCode, 200, 'now cached');
    await srv.database.db.execute(sql`update users set status = 'disabled' where id = ${agent.userId}`);
    await waitFor(async () => (await agent.get('/api/v1/auth/me')).statusCode === 401, { timeoutMs: 5000, intervalMs: 20, message: 'the disabled account still signed in' });
  });

  it('a role losing a permission applies to its holders\' cached logins', async () => {
    const role = (await admin.post('/api/v1/roles', { name: '审计员', permissions: ['audit.view'] })).json();
    const auditor = await acme.agent('audit@acme.test', { roleId: role.id });
    assert.equal((await auditor.get('/api/v1/audit-log')).statusCode, 200);
    assert.equal((await admin.patch(`/api/v1/roles/${role.id}`, { permissions: [] })).statusCode, 200);
    assert.equal((await auditor.get('/api/v1/audit-log')).statusCode, 403);
  });

  it('a revoked API token stops working at once', async () => {
    const created = (await admin.post('/api/v1/auth/api-tokens', { name: 'ci' })).json();
    const bearer = { authorization: `Bearer ${created.token}` };
    assert.equal((await acme.request('GET', '/api/v1/auth/me', undefined, bearer)).statusCode, 200);
    assert.equal((await admin.del(`/api/v1/auth/api-tokens/${created.apiToken.id}`)).statusCode, 200);
    assert.equal((await acme.request('GET', '/api/v1/auth/me', undefined, bearer)).statusCode, 401);
  });
});
