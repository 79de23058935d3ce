import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/client.ts';
import { SYSTEM } from '../modules/auth/actor.ts';
import { createDepartment } from '../modules/staff/departments.service.ts';
import { createTeam } from '../modules/staff/teams.service.ts';
import { createTenant, findTenantBySlug } from '../modules/tenants/tenants.service.ts';
import { createCategory } from '../modules/kb/kb-categories.service.ts';
import { importArticles } from '../modules/kb/kb-articles.service.ts';
import { DEMO_ARTICLES, DEMO_CATEGORIES } from './demo-articles.ts';

export interface DemoLogin { email: string; password: string | null; created: boolean }

/**
 * The demo company on first start: an administrator with a random password (kept in
 * <dataDir>/admin-login.txt so later starts can print it again), three departments and a team, and a
 * small published knowledge base (demo-articles.ts) for the help center, the widget and the robot.
 */
export async function seedDemo(db: Db, slug: string, dataDir: string): Promise<DemoLogin> {
  const file = path.join(dataDir, 'admin-login.txt');
  const email = `admin@${slug}.kefu.local`;
  if (await findTenantBySlug(db, slug)) {
    const saved = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
    return { email: saved[0] ?? email, password: saved[1] ?? null, created: false };
  }
  const password = crypto.randomBytes(9).toString('base64url');
  const { tenant } = await createTenant(db, { slug, name: '演示公司 Demo Co.', adminEmail: email, adminName: '管理员', adminPassword: password });
  const ctx = { db, tenantId: tenant.id, actor: SYSTEM, publicUrl: '' };
  const root = await createDepartment(ctx, { name: '客户服务中心' });
  const presales = await createDepartment(ctx, { name: '售前咨询', parentId: root.id, sortOrder: 1 });
  await createDepartment(ctx, { name: '售后服务', parentId: root.id, sortOrder: 2 });
  await createDepartment(ctx, { name: '技术支持', parentId: root.id, sortOrder: 3 });
  await createTeam(ctx, { name: '一线客服组', departmentId: presales.id });
  const categories = new Map<string, string>();
  for (const [i, c] of DEMO_CATEGORIES.entries()) categories.set(c.key, (await createCategory(ctx, { name: c.name, sortOrder: i + 1 })).id);
  await importArticles(ctx, DEMO_ARTICLES.map(({ category, ...a }) => ({ ...a, categoryId: categories.get(category)!, visibility: 'public', published: true })));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600 });
  return { email, password, created: true };
}
