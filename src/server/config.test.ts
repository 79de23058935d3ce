import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';
import { linkBase, slugFromHost } from './tenant-resolver.ts';

describe('configuration', () => {
  it('reads and converts environment variables, with defaults', () => {
    const c = loadConfig({ PORT: '8080', KEFU_SECURE_COOKIES: 'true', DATABASE_URL: 'postgres://x@y/z' });
    assert.equal(c.port, 8080);
    assert.equal(c.secureCookies, true);
    assert.equal(c.databaseUrl, 'postgres://x@y/z');
    assert.equal(c.dataDir, './data');
    assert.equal(c.defaultTenant, 'demo');
  });
  it('names every bad variable in one clear error', () => {
    assert.throws(() => loadConfig({ PORT: 'eighty', KEFU_SESSION_DAYS: '0' }), (err: Error) =>
      err instanceof ConfigError && /PORT/.test(err.message) && /KEFU_SESSION_DAYS|sessionDays/.test(err.message));
  });
});

describe('tenant from the Host header', () => {
  const table: Array<[string | undefined, string]> = [
    ['acme.localhost:3000', 'acme'],
    ['ACME.localhost', 'acme'],
    ['localhost:3000', 'demo'],
    ['127.0.0.1:3000', 'demo'],
    ['a.b.localhost', 'demo'], // only one label counts as a tenant
    ['kefu.example.com', 'demo'], // a host outside the base domain is a single-company install
    [undefined, 'demo'],
    ['[::1]:3000', 'demo'],
  ];
  for (const [host, slug] of table) {
    it(`${host} → ${slug}`, () => assert.equal(slugFromHost(host, 'localhost', 'demo'), slug));
  }
  it('works with a real base domain', () => {
    assert.equal(slugFromHost('acme.kefu.example.com', 'kefu.example.com', 'main'), 'acme');
    assert.equal(slugFromHost('kefu.example.com', 'kefu.example.com', 'main'), 'main');
  });
});

describe('links in mail never follow a forged Host', () => {
  const cfg = { baseDomain: 'localhost', port: 3000, defaultTenant: 'demo' };
  const table: Array<[string, string, string]> = [
    ['acme.localhost:3000', 'acme', 'http://acme.localhost:3000'],
    ['localhost:3000', 'demo', 'http://localhost:3000'],
    ['192.168.1.5:3000', 'demo', 'http://192.168.1.5:3000'],
    ['evil.example.net', 'demo', 'http://localhost:3000'],
    ['evil.example.net:3000', 'demo', 'http://localhost:3000'],
  ];
  for (const [host, slug, expected] of table) {
    it(`${host} → ${expected}`, () => assert.equal(linkBase(host, 'http', slug, cfg), expected));
  }
  it('KEFU_PUBLIC_URL wins, with the tenant subdomain', () => {
    const pub = { ...cfg, publicUrl: 'https://kefu.example.com', baseDomain: 'kefu.example.com' };
    assert.equal(linkBase('acme.kefu.example.com', 'http', 'acme', pub), 'https://acme.kefu.example.com');
    assert.equal(linkBase('evil.net', 'http', 'main', pub), 'https://kefu.example.com');
  });
});

describe('README documents every setting', () => {
  it('lists each environment variable of the config schema', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { ConfigSchema } = await import('./config.ts');
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const prop of Object.values(ConfigSchema.properties)) {
      const env = (prop as unknown as { env: string }).env;
      assert.ok(readme.includes(`| \`${env}\` |`), `README is missing ${env}`);
    }
  });
});

describe('every API route declares who may call it', () => {
  it('the server refuses to start with an /api/v1 route added outside defineRoute', async () => {
    const { buildApp } = await import('./app.ts');
    const { createTestDatabase } = await import('../testing/test-db.ts');
    const database = await createTestDatabase();
    try {
      const app = await buildApp({ config: loadConfig({}, { logLevel: 'silent' }), database, nodeId: 't', logger: false });
      assert.throws(() => app.get('/api/v1/sneaky', async () => ({ secret: true })), /declares no access rule/);
      await app.close();
    } finally {
      await database.close();
    }
  });
});
