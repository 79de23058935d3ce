import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../testing/test-db.ts';
import type { Database } from '../db/client.ts';
import { findTenantBySlug } from '../modules/tenants/tenants.service.ts';
import { searchArticles } from '../modules/kb/search/search.ts';
import { kbArticles } from '../modules/kb/kb.schema.ts';
import { seedDemo } from './seed.ts';
import { DEMO_ARTICLES } from './demo-articles.ts';

/** The demo company npm start creates: its login is kept, and its help center answers from the start. */
describe('demo company', () => {
  let database: Database;
  let dataDir: string;
  before(async () => {
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-seed-'));
  });
  after(async () => {
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('first start: the admin login and a published knowledge base the help center finds by a paraphrase; a restart adds nothing', async () => {
    const first = await seedDemo(database.db, 'demo', dataDir);
    assert.equal(first.created, true);
    assert.match(first.password!, /^[\w-]{12}$/);
    const tenant = (await findTenantBySlug(database.db, 'demo'))!;
    const published = { where: undefined, limit: 5, offset: 0, tenantId: tenant.id } as const;
    const zh = await searchArticles(database.db, { ...published, q: '钱什么时候能退回来', mode: 'fuzzy' });
    assert.equal(zh.hits[0]?.article.title, '退款多久到账？');
    const en = await searchArticles(database.db, { ...published, q: 'forgot pasword', mode: 'fuzzy' });
    assert.equal(en.hits[0]?.article.title, 'How do I reset my password?');

    const again = await seedDemo(database.db, 'demo', dataDir);
    assert.deepEqual(again, { email: first.email, password: first.password, created: false }, 'the login is printed again from the data dir');
    const rows = await database.db.select({ status: kbArticles.status, visibility: kbArticles.visibility }).from(kbArticles);
    assert.equal(rows.length, DEMO_ARTICLES.length, 'nothing seeded twice');
    assert.ok(rows.every((r) => r.status === 'published' && r.visibility === 'public'));
  });
});
