/**
 * The work queue at scale: loads N tickets (default 1,000,000) into a throwaway PostgreSQL and prints
 * p50/p95 of each main queue view, of a saved view (urgent + high unresolved tickets of two departments)
 * and of the view counts (the built-in views plus that saved view), as an administrator and as an agent.
 *
 *   node --import tsx bench/queue.ts                 # 1,000,000 tickets
 *   node --import tsx bench/queue.ts --tickets 100000 --runs 30
 *
 * Baseline in the same run: the same page read as a bare indexed SQL query (no visibility rules,
 * no presenter), so the ratio shows what Kefu's own layers cost. For scale (from the issue):
 * osTicket's open queue took 27.8 s at 10,000 tickets on this machine kind.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../src/db/client.ts';
import { startPostgres } from '../src/testing/postgres-server.ts';
import { createTenant } from '../src/modules/tenants/tenants.service.ts';
import { SYSTEM } from '../src/modules/auth/actor.ts';
import { staffActor } from '../src/modules/auth/sessions.ts';
import { createDepartment } from '../src/modules/staff/departments.service.ts';
import { listQueue, queueCounts } from '../src/modules/tickets/tickets.queries.ts';
import { createSavedView } from '../src/modules/tickets/saved-views.service.ts';
import { QUEUE_VIEWS, type QueueView } from '../src/contracts/tickets.ts';
import { roles, users, departmentMembers } from '../src/db/schema.ts';
import { eq } from 'drizzle-orm';

const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
const N = opt('--tickets', 1_000_000);
const RUNS = opt('--runs', 40);

function pct(xs: number[], p: number) { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; }
async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm caches and plans
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) { const t0 = performance.now(); await fn(); xs.push(performance.now() - t0); }
  return { p50: pct(xs, 0.5), p95: pct(xs, 0.95) };
}
const bar = (done: number, total: number) => `[${'#'.repeat(Math.round((done / total) * 30)).padEnd(30, '.')}] ${Math.round((done / total) * 100)}%`;

async function main() {
  const pg = await startPostgres();
  const database = await openDatabase({ url: pg.url, poolSize: 4 });
  try {
    const { db } = database;
    const { tenant, adminId } = await createTenant(db, { slug: 'big', name: 'Big', adminEmail: 'admin@big.test', adminName: 'Admin', adminPassword: 'bench-password-1' });
    const sys = { db, tenantId: tenant.id, actor: SYSTEM, publicUrl: '' };
    const depts: string[] = [];
    for (let i = 0; i < 20; i++) depts.push((await createDepartment(sys, { name: `部门 ${i}` })).id);
    const agentRole = (await db.select().from(roles).where(eq(roles.tenantId, tenant.id))).find((r) => r.builtin === 'agent')!;
    const agents: string[] = [];
    for (let i = 0; i < 200; i++) {
      const [u] = await db.insert(users).values({ tenantId: tenant.id, email: `a${i}@big.test`, name: `坐席${i}`, roleId: agentRole.id, status: 'active' }).returning();
      agents.push(u.id);
      await db.insert(departmentMembers).values({ tenantId: tenant.id, departmentId: depts[i % 20], userId: u.id });
    }
    // Bulk load in chunks with generate_series: 70% resolved/closed history, 30% active work; department,
    // assignee and status vary independently (different strides), so every agent has active work to see.
    const chunk = 100_000;
    const t0 = Date.now();
    for (let from = 1; from <= N; from += chunk) {
      const to = Math.min(N, from + chunk - 1);
      await db.execute(sql`
        insert into tickets (tenant_id, number, subject, channel, status, priority, department_id, assignee_id, created_at, updated_at)
        select ${tenant.id}, g, '工单 ' || g || ' 宽带无法上网', (array['email','webchat','phone','portal'])[1 + g % 4],
          (array['closed','closed','resolved','closed','resolved','closed','resolved','open','pending','new'])[1 + g % 10],
          (array['low','normal','normal','high','urgent'])[1 + g % 5],
          (${sql.raw(`array[${depts.map((d) => `'${d}'::uuid`).join(',')}]`)})[1 + (g / 7) % 20],
          case when g % 13 = 0 then null else (${sql.raw(`array[${agents.map((a) => `'${a}'::uuid`).join(',')}]`)})[1 + (g * 31 / 3) % 200] end,
          now() - (g || ' minutes')::interval, now() - ((g % 100000) || ' seconds')::interval
        from generate_series(${from}::int, ${to}::int) g`);
      process.stdout.write(`\rloading ${N.toLocaleString()} tickets ${bar(to, N)}`);
    }
    await db.execute(sql`select setval(${`ticket_no_${tenant.id.replaceAll('-', '')}`}, ${N})`);
    await db.execute(sql`analyze tickets`);
    console.log(`\nloaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const [adminUser] = await db.select().from(users).where(eq(users.id, adminId));
    const adminRole = (await db.select().from(roles).where(eq(roles.id, adminUser.roleId)))[0];
    const [agentUser] = await db.select().from(users).where(eq(users.id, agents[3]));
    const asAdmin = { ...sys, actor: staffActor(adminUser, adminRole, null, 'session') };
    const asAgent = { ...sys, actor: staffActor(agentUser, agentRole, null, 'session') };

    const rows: string[][] = [];
    const views: QueueView[] = [...QUEUE_VIEWS];
    const who = [['admin', asAdmin], ['agent', asAgent]] as const;
    for (const [name, ctx] of who) {
      for (const view of views) {
        if (name === 'admin' && view === 'department') continue;
        const r = await time(() => listQueue(ctx, { view, limit: 50 }));
        rows.push([name, `list ${view}`, r.p50.toFixed(1), r.p95.toFixed(1)]);
        process.stdout.write('.');
      }
      const c = await time(() => queueCounts(ctx));
      rows.push([name, 'counts (built-in views)', c.p50.toFixed(1), c.p95.toFixed(1)]);
    }
    // A shared saved view: urgent and high unresolved tickets of two departments (the agent is in the second).
    // Its page, and the counts again now that they include it: the difference is what one saved view costs.
    const saved = await createSavedView(asAdmin, {
      name: '紧急和高 · 两个部门', shared: true,
      filters: { priorities: ['urgent', 'high'], departmentIds: [depts[2], depts[3]], statuses: ['new', 'open', 'pending', 'on_hold'] },
    });
    for (const [name, ctx] of who) {
      const s = await time(() => listQueue(ctx, { savedViewId: saved.id, limit: 50 }));
      rows.push([name, 'list saved view', s.p50.toFixed(1), s.p95.toFixed(1)]);
      const c = await time(() => queueCounts(ctx));
      rows.push([name, 'counts (built-in + 1 saved)', c.p50.toFixed(1), c.p95.toFixed(1)]);
    }
    const bare = await time(() => queryRows(db, sql`select * from tickets where tenant_id = ${tenant.id} and status in ('new','open','pending','on_hold') order by updated_at desc limit 50`));
    rows.push(['baseline', 'bare SQL: open page', bare.p50.toFixed(1), bare.p95.toFixed(1)]);
    const bareSaved = await time(() => queryRows(db, sql`select * from tickets where tenant_id = ${tenant.id} and status in ('new','open','pending','on_hold')
      and priority in ('urgent','high') and department_id in (${depts[2]}, ${depts[3]}) order by updated_at desc limit 50`));
    rows.push(['baseline', 'bare SQL: saved view page', bareSaved.p50.toFixed(1), bareSaved.p95.toFixed(1)]);
    const head = ['as', 'query', 'p50 ms', 'p95 ms'];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    console.log(`\n\n${N.toLocaleString()} tickets, ${RUNS} runs each (aim: p95 < 50 ms)\n${head.map((h, i) => h.padEnd(w[i])).join('  ')}`);
    for (const r of rows) console.log(r.map((c, i) => (i >= 2 ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  '));
    const open = rows.find((r) => r[0] === 'admin' && r[1] === 'list open')!;
    const savedRow = rows.find((r) => r[0] === 'admin' && r[1] === 'list saved view')!;
    console.log(`\nratio Kefu open view / bare SQL (p50): ${(Number(open[2]) / bare.p50).toFixed(1)}×; saved view / bare SQL (p50): ${(Number(savedRow[2]) / bareSaved.p50).toFixed(1)}×; memory ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await database.close();
    await pg.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
