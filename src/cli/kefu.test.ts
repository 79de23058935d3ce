// kefu-test: pglite only (the embedded database's own behaviour: a PostgreSQL pass would repeat it)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { login } from '../modules/auth/auth.service.ts';
import { findTenantBySlug } from '../modules/tenants/tenants.service.ts';

const run = promisify(execFile);
const bin = path.resolve(import.meta.dirname, '../../bin/kefu.mjs');

describe('kefu CLI (embedded database)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-cli-'));
  const env = { ...process.env, KEFU_DATA_DIR: dir, DATABASE_URL: '' };
  const kefu = (...args: string[]) => run(process.execPath, [bin, ...args], { env }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a company with an admin, lists it, resets a password, and refuses bad input with exit code 2', async () => {
    assert.equal((await kefu('migrate')).code, 0);
    const created = await kefu('tenant', 'create', '--slug', 'acme', '--name', '阿克米', '--admin-email', 'Boss@Acme.com', '--admin-password', 'first-pass-1');
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /boss@acme\.com \/ first-pass-1/);
    assert.match((await kefu('tenant', 'list')).out, /^acme\t阿克米/m);

    const dup = await kefu('tenant', 'create', '--slug', 'acme', '--name', 'x', '--admin-email', 'y@z.com');
    assert.equal(dup.code, 2);
    assert.match(dup.err, /already in use/);
    const badSlug = await kefu('tenant', 'create', '--slug', 'Not A Slug!', '--name', 'x', '--admin-email', 'y@z.com');
    assert.equal(badSlug.code, 2);
    const missing = await kefu('tenant', 'create', '--slug', 'b');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /Missing --name/);

    const reset = await kefu('reset-password', '--tenant', 'acme', '--email', 'boss@acme.com');
    assert.equal(reset.code, 0, reset.err);
    const newPassword = reset.out.trim().split(': ').pop()!;
    assert.ok(newPassword.length >= 8);
    assert.equal((await kefu('reset-password', '--tenant', 'nope', '--email', 'boss@acme.com')).code, 2);

    const database = await openDatabase({ dataDir: path.join(dir, 'pglite') });
    try {
      const tenant = (await findTenantBySlug(database.db, 'acme'))!;
      await assert.rejects(login(database.db, tenant.id, 'boss@acme.com', 'first-pass-1', { sessionDays: 1 }), /Wrong email or password/);
      const s = await login(database.db, tenant.id, 'boss@acme.com', newPassword, { sessionDays: 1 });
      assert.ok(s.token);
    } finally {
      await database.close();
    }
  });
});
