import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { ALL_PERMISSIONS, type Permission } from '../contracts/permissions.ts';
import { AppError } from '../contracts/errors.ts';
import type { SessionAuth } from '../modules/auth/sessions.ts';
import { testServer, type Client, type TestServer, type TestTenant } from '../testing/test-server.ts';
import {
  describeRoute, fillUrl, idForField, paramNames, queryString, resourceOf, sample, sampleUpload, schemaOf, slots, withValue, type JsonSchema, type SampleOptions,
} from '../testing/route-samples.ts';
import { checkAccess, type Route } from './define-route.ts';
import { eq } from 'drizzle-orm';
import { recordUnanswered } from '../modules/kb/unanswered.service.ts';
import { kbUnansweredQuestions } from '../modules/kb/unanswered.schema.ts';
import { ROUTES } from './routes.ts';
import { touchVisitor } from '../channels/webchat/visitors.service.ts';

/**
 * Every route is declared with its access, and no route lets one company see or touch another's rows.
 * The walks are built from ROUTES, so a new route is covered the day it is added.
 */

/** Public routes, each added knowingly. A new public route fails here until it is listed. */
const PUBLIC_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password-reset/request',
  'POST /api/v1/auth/password-reset',
  'GET /api/v1/auth/invitation',
  'POST /api/v1/auth/activate',
  'GET /api/v1/kb/public/search',
  'GET /api/v1/kb/public/articles/:id',
  'POST /api/v1/kb/articles/:id/vote',
  'GET /api/v1/kb/public/categories',
  'GET /api/v1/kb/public/categories/:id',
  'GET /api/v1/kb/public/categories/:id/articles',
  'GET /api/v1/kb/public/articles/:id/related',
  'GET /api/v1/kb/public/articles/:id/attachments',
  'GET /api/v1/kb/public/attachments/:id',
  'POST /api/v1/kb/public/deflections',
  'GET /api/v1/kb/public/suggestions',
  'POST /api/v1/kb/public/widget-deflections',
  'POST /api/v1/portal/requests',
  'POST /api/v1/portal/uploads',
  'GET /api/v1/widget-logos/:id',
  'POST /api/v1/visitor-files',
  'GET /api/v1/visitor-files/:id',
  'GET /widget-demo',
].sort();

/**
 * Writes that take a list of ids and act on the caller's own rows among them, ignoring the rest (so a
 * foreign id changes nothing and answers 2xx instead of 404). Each is listed knowingly, with its reason.
 */
const IGNORES_FOREIGN_IDS: Record<string, string> = {
  'POST /api/v1/tickets/bulk': 'answers per ticket: a foreign or invisible ticket is reported as not_found in its own result (echoing only the id sent), the others still change',
};

const isPublic = (r: Route) => typeof r.spec.access === 'object' && 'public' in r.spec.access;
const permissionOf = (r: Route): Permission | null => typeof r.spec.access === 'object' && 'permission' in r.spec.access ? r.spec.access.permission : null;
const idRoutes = ROUTES.filter((r) => paramNames(r.spec.url).length > 0);
/** Reads of a signed-in company member without an id: lists, `me`, settings. (Public GETs take a credential of their own.) */
const listRoutes = ROUTES.filter((r) => r.spec.method === 'GET' && paramNames(r.spec.url).length === 0 && !isPublic(r));
const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Send = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;

function requestFor(route: Route, params: Record<string, string>, opts: SampleOptions & { query?: Record<string, unknown> } = {}) {
  const { spec } = route;
  const query = opts.query ?? (spec.query ? sample(schemaOf(spec.query)!, opts) as Record<string, unknown> : undefined);
  const url = fillUrl(spec.url, params) + queryString(query);
  // a route that takes files gets a sample upload (multipart/form-data, with its own Content-Type)
  const upload = spec.files ? sampleUpload() : undefined;
  const body = upload ? upload.body : spec.body ? sample(schemaOf(spec.body)!, opts) : undefined;
  return { method: spec.method, url, body, headers: upload?.headers };
}

async function call(send: Send, req: { method: string; url: string; body?: unknown; headers?: Record<string, string> }) {
  return send(req.method, req.url, req.body, req.headers);
}

describe('routes: every route declares its access', () => {
  it('each access is a known permission, "staff", or public with a written reason', () => {
    assert.ok(ROUTES.length > 10, 'ROUTES looks empty');
    for (const r of ROUTES) {
      const a = r.spec.access as unknown;
      const name = describeRoute(r);
      if (a === 'staff') continue;
      assert.ok(a && typeof a === 'object', `${name}: access missing`);
      const keys = Object.keys(a);
      assert.equal(keys.length, 1, `${name}: access must be exactly one of { permission } | 'staff' | { public }`);
      if ('permission' in a) assert.ok(ALL_PERMISSIONS.includes((a as { permission: Permission }).permission), `${name}: unknown permission ${JSON.stringify(a)}`);
      else if ('public' in a) {
        const why = (a as { public: unknown }).public;
        assert.ok(typeof why === 'string' && why.trim().length >= 5, `${name}: a public route must say why it is public`);
      } else assert.fail(`${name}: access ${JSON.stringify(a)} is not valid`);
    }
  });

  it('public routes are exactly the allow-list', () => {
    const actual = ROUTES.filter(isPublic).map(describeRoute).sort();
    assert.deepEqual(actual, PUBLIC_ROUTES, 'a route became public (or stopped being public): review it, then update PUBLIC_ROUTES');
  });

  it('the routes excused from 404 on foreign ids exist and say why', () => {
    for (const [name, why] of Object.entries(IGNORES_FOREIGN_IDS)) {
      assert.ok(ROUTES.some((r) => describeRoute(r) === name), `IGNORES_FOREIGN_IDS names ${name}, which is not a route`);
      assert.ok(why.length > 10);
    }
  });

  it('no two routes share a method and URL, and only health checks skip tenant resolution', () => {
    const names = ROUTES.map(describeRoute);
    assert.equal(new Set(names).size, names.length, `duplicates: ${names.filter((n, i) => names.indexOf(n) !== i)}`);
    for (const r of ROUTES.filter((x) => x.spec.tenantless)) {
      assert.ok(isPublic(r), `${describeRoute(r)} is tenantless, so it can only be public`);
      assert.ok(!r.spec.url.startsWith('/api/'), `${describeRoute(r)}: API routes always belong to a company`);
    }
    for (const r of idRoutes) {
      const props = (schemaOf(r.spec.params)?.properties ?? {}) as Record<string, JsonSchema>;
      for (const p of paramNames(r.spec.url)) assert.ok(props[p], `${describeRoute(r)}: path parameter :${p} has no schema`);
    }
  });

  it('checkAccess: public passes, staff needs a session, a permission needs that permission', () => {
    const auth = (perms: Permission[]) => ({ actor: { kind: 'staff', permissions: new Set(perms) } }) as unknown as SessionAuth;
    const code = (fn: () => void) => { try { fn(); return 'ok'; } catch (e) { return (e as AppError).code; } };
    assert.equal(code(() => checkAccess({ public: 'x' }, null)), 'ok');
    assert.equal(code(() => checkAccess('staff', null)), 'unauthenticated');
    assert.equal(code(() => checkAccess('staff', auth([]))), 'ok');
    assert.equal(code(() => checkAccess({ permission: 'roles.manage' }, null)), 'unauthenticated');
    assert.equal(code(() => checkAccess({ permission: 'roles.manage' }, auth(['staff.manage']))), 'forbidden');
    assert.equal(code(() => checkAccess({ permission: 'roles.manage' }, auth(['roles.manage']))), 'ok');
  });
});

/** One of every resource in a company, made through the API as its administrator. */
interface Fixtures {
  admin: Client;
  token: string;
  /** resource segment (as in `/api/v1/<segment>/:id`) → ids of that company's rows, the first one "its own" for writes */
  ids: Record<string, string[]>;
  all: string[];
}

async function createFixtures(t: TestTenant, srv: TestServer): Promise<Fixtures> {
  const admin = await t.admin();
  const ok = async (res: Promise<LightMyRequestResponse>, what: string) => {
    const r = await res;
    assert.ok(r.statusCode < 300, `creating ${what} in ${t.slug}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const roles = (await admin.get('/api/v1/roles')).json().items as Array<{ id: string; builtin: string | null }>;
  const role = await ok(admin.post('/api/v1/roles', { name: `${t.slug} secret role`, description: `${t.slug} role description`, permissions: ['audit.view'] }), 'a role');
  const parent = await ok(admin.post('/api/v1/departments', { name: `${t.slug} parent department`, memberIds: [admin.userId] }), 'a department');
  const child = await ok(admin.post('/api/v1/departments', { name: `${t.slug} child department`, parentId: parent.id }), 'a sub-department');
  const team = await ok(admin.post('/api/v1/teams', { name: `${t.slug} team`, departmentId: parent.id, leadId: admin.userId, memberIds: [admin.userId] }), 'a team');
  const agentRole = roles.find((r) => r.builtin === 'agent')!;
  const invited = await ok(admin.post('/api/v1/staff/invitations', {
    email: `agent@${t.slug}.test`, name: `${t.slug} invited agent`, roleId: agentRole.id, departmentIds: [child.id], teamIds: [team.id],
  }), 'an invitation');
  const created = await ok(admin.post('/api/v1/auth/api-tokens', { name: `${t.slug} api token` }), 'an API token');
  await srv.drain();
  const ids: Record<string, string[]> = {
    roles: [role.id, ...roles.map((r) => r.id)],
    departments: [child.id, parent.id],
    teams: [team.id],
    staff: [invited.id, admin.userId],
    'api-tokens': [created.apiToken.id],
  };
  // the chat robot writes unanswered questions (no POST route makes one)
  await recordUnanswered(srv.database.db, t.id, { question: `${t.slug} unanswered question`, reason: 'no_answer' });
  ids.unanswered = [(await srv.database.db.select({ id: kbUnansweredQuestions.id }).from(kbUnansweredQuestions).where(eq(kbUnansweredQuestions.tenantId, t.id)))[0].id];
  // Live chat: a widget style (its logo route takes the style's id) and a website visitor (invitations take the visitor's id);
  // a visitor's chat file is read with the visitor's file token, so no id of this company opens one without it.
  const style = await ok(admin.post('/api/v1/widget-styles', { name: `${t.slug} widget style` }), 'a widget style');
  ids['widget-styles'] = [style.id];
  ids['widget-logos'] = [style.id];
  ids['live-visitors'] = [(await touchVisitor(srv.database.db, { tenantId: t.id, visitorKey: crypto.randomUUID(), ip: null, userAgent: null })).id];
  ids['visitor-files'] = [crypto.randomUUID()];
  // A resource this walk does not know yet: make one through its collection's POST route with a sample body.
  for (const r of idRoutes) {
    const kind = resourceOf(r.spec.url);
    if (!kind || ids[kind]) continue;
    // Files uploaded under a parent row (POST /tickets/:id/attachments makes attachments): one sample upload.
    const upload = ROUTES.find((c) => c.spec.files && c.spec.url.endsWith(`/:id/${kind}`));
    if (upload) {
      const parent = ids[resourceOf(upload.spec.url)!]?.[0];
      assert.ok(parent, `${describeRoute(upload)}: no ${resourceOf(upload.spec.url)} to upload to yet (list its routes first)`);
      const file = sampleUpload();
      const made = await ok(admin.request('POST', fillUrl(upload.spec.url, { id: parent }), file.body, file.headers), `a ${kind} through ${describeRoute(upload)}`);
      ids[kind] = [made.items[0].id];
      continue;
    }
    const collection = r.spec.url.slice(0, r.spec.url.indexOf('/:'));
    const create = ROUTES.find((c) => c.spec.method === 'POST' && c.spec.url === collection);
    assert.ok(create, `${describeRoute(r)}: the tenant walk does not know how to create a "${kind}"; add it to createFixtures() in routes.test.ts`);
    // the smallest valid body first; when the service wants more than the schema says, every field
    let res = await admin.request('POST', collection, sample(schemaOf(create.spec.body)!, { uuid: (k) => idForField(ids, k) }));
    if (res.statusCode === 400) res = await admin.request('POST', collection, sample(schemaOf(create.spec.body)!, { full: true, uuid: (k) => idForField(ids, k) }));
    const made = await ok(Promise.resolve(res), `a ${kind} through POST ${collection} (teach createFixtures() if the sample body is not enough)`);
    assert.ok(typeof made.id === 'string', `POST ${collection} did not answer with an id`);
    ids[kind] = [made.id];
  }
  return { admin, token: created.token, ids, all: [...new Set(Object.values(ids).flat())] };
}

/** Body fields that take ids: the uuid strings, uuid arrays and nullable uuids of a schema. */
function uuidSlots(schema: JsonSchema | undefined) {
  const isUuid = (s: JsonSchema | undefined): boolean => !!s && (s.format === 'uuid' || !!s.anyOf?.some(isUuid));
  return slots(schema).filter((s) => isUuid(s.schema) || (s.schema.type === 'array' && isUuid(s.schema.items)));
}

/** A response body without fields that move on their own (touch timestamps). */
function stable(body: string): unknown {
  return JSON.parse(body, (k, v) => (k === 'lastSeenAt' || k === 'lastUsedAt' ? undefined : v));
}

describe('routes: one company never sees or changes another company\'s rows', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let globex: TestTenant;
  let a: Fixtures;
  let g: Fixtures;
  let leaks: (res: LightMyRequestResponse) => string[];
  let globexSnapshot: () => Promise<Map<string, unknown>>;
  let globexBefore: Map<string, unknown>;

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    globex = await srv.tenant('globex');
    a = await createFixtures(acme, srv);
    g = await createFixtures(globex, srv);
    const secrets = ['globex', ...g.all, g.token, g.admin.csrf, g.admin.cookie.split('=')[1]].map((s) => s.toLowerCase());
    leaks = (res) => {
      const text = res.body.toLowerCase();
      return secrets.filter((s) => text.includes(s));
    };
    // Everything globex's administrator can read: every list, and every one of its rows by id.
    globexSnapshot = async () => {
      const snap = new Map<string, unknown>();
      for (const r of listRoutes) {
        const req = requestFor(r, {});
        const res = await call(g.admin.request, req);
        snap.set(r.spec.url, { status: res.statusCode, body: stable(res.body) });
      }
      for (const r of idRoutes.filter((x) => x.spec.method === 'GET')) {
        for (const id of g.ids[resourceOf(r.spec.url)!] ?? []) {
          // every path parameter names the row (`/tickets/:id/messages/:messageId/raw` too)
          const res = await g.admin.get(fillUrl(r.spec.url, Object.fromEntries(paramNames(r.spec.url).map((p) => [p, id]))));
          snap.set(`${r.spec.url} ${id}`, { status: res.statusCode, body: stable(res.body) });
        }
      }
      return snap;
    };
    globexBefore = await globexSnapshot();
  });
  after(async () => { await srv?.close(); });

  it('the fixtures cover every resource an :id route names', () => {
    for (const r of idRoutes) {
      const kind = resourceOf(r.spec.url);
      assert.ok(kind && g.ids[kind]?.length && a.ids[kind]?.length, `${describeRoute(r)}: no fixture for "${kind}"`);
    }
    // sanity: globex really has the data the walk looks for
    assert.equal((globexBefore.get('/api/v1/departments') as { status: number }).status, 200);
    assert.ok(JSON.stringify(globexBefore.get('/api/v1/departments')).includes('globex parent department'));
  });

  it('every :id route answers 404 to another company\'s ids, through a session or an API token, and shows none of its data', async () => {
    const bearer: Send = (m, u, b, h) => acme.request(m, u, b, { ...h, authorization: `Bearer ${a.token}` });
    let calls = 0;
    for (const r of idRoutes) {
      const kind = resourceOf(r.spec.url)!;
      // the matching rows first, then every other globex id: an id of the wrong kind must not work either
      const ids = [...new Set([...g.ids[kind], ...g.all])];
      for (const id of ids) {
        // every path parameter names the globex row (`/tickets/:id/links/:linkedId` too)
        const params = Object.fromEntries(paramNames(r.spec.url).map((p) => [p, id]));
        const variants = [
          { via: 'session', send: a.admin.request, req: requestFor(r, params) },
          // a full body whose own references point into globex too
          { via: 'session, full body', send: a.admin.request, req: requestFor(r, params, { full: true, uuid: (k) => idForField(g.ids, k) }) },
          ...(g.ids[kind].includes(id) ? [{ via: 'API token', send: bearer, req: requestFor(r, params) }] : []),
        ];
        // A body may be refused for its content before any row is looked up (a 400 that reveals nothing),
        // but at least one of the bodies must reach the lookup and get the 404.
        let reached = false;
        for (const v of variants) {
          const res = await call(v.send, v.req);
          calls++;
          const where = `${v.req.method} ${v.req.url} (${v.via}, globex ${kind} ${id})`;
          assert.deepEqual(leaks(res), [], `${where} leaked globex data: ${res.body}`);
          if (res.statusCode === 400 && res.json().code === 'validation') continue;
          assert.equal(res.statusCode, 404, `${where} → ${res.statusCode} ${res.body}`);
          assert.equal(res.json().code, 'not_found', where);
          reached = true;
        }
        assert.ok(reached, `${describeRoute(r)} with globex ${kind} ${id}: no sample body got past validation, so the lookup was never tried`);
      }
    }
    assert.ok(calls >= idRoutes.length * 2, `only ${calls} calls`);
  });

  it('a write naming another company\'s row in its body is a 404, and changes nothing here', async () => {
    // First a valid body per write route, on acme's own rows: the smallest one, or every field when the
    // service wants more than the schema says (these probes are ordinary writes to acme's fixtures).
    const plans: Array<{ route: Route; url: string; base: unknown; slots: ReturnType<typeof uuidSlots> }> = [];
    for (const r of ROUTES.filter((x) => writeMethods.has(x.spec.method) && x.spec.body)) {
      const slotsWithIds = uuidSlots(schemaOf(r.spec.body));
      if (!slotsWithIds.length) continue;
      const kind = resourceOf(r.spec.url);
      const url = fillUrl(r.spec.url, Object.fromEntries(paramNames(r.spec.url).map((p) => [p, kind ? a.ids[kind][0] : crypto.randomUUID()])));
      let base = sample(schemaOf(r.spec.body)!, { uuid: (k) => idForField(a.ids, k) });
      const probe = await a.admin.request(r.spec.method, url, base);
      if (probe.statusCode === 400) base = sample(schemaOf(r.spec.body)!, { full: true, uuid: (k) => idForField(a.ids, k) });
      plans.push({ route: r, url, base, slots: slotsWithIds });
    }
    assert.ok(plans.length > 0, 'no write route takes an id in its body: this walk checks nothing');
    await srv.drain(); // let the probes' events settle before the snapshot
    const acmeBefore = await Promise.all(listRoutes.map((r) => call(a.admin.request, requestFor(r, {}))));
    let calls = 0;
    for (const { route: r, url, base, slots: slotsWithIds } of plans) {
      for (const slot of slotsWithIds) {
        for (const id of g.all) {
          const body = withValue(base, slot.path, slot.schema.type === 'array' ? [id] : id);
          const res = await a.admin.request(r.spec.method, url, body);
          calls++;
          const where = `${r.spec.method} ${url} with ${slot.path.join('.')} = globex ${id}`;
          // a route answering per id may name the id the caller sent; that reveals nothing
          const echoed = IGNORES_FOREIGN_IDS[describeRoute(r)] ? [id.toLowerCase()] : [];
          assert.deepEqual(leaks(res).filter((s) => !echoed.includes(s)), [], `${where} leaked globex data: ${res.body}`);
          if (IGNORES_FOREIGN_IDS[describeRoute(r)]) {
            assert.ok(res.statusCode < 300, `${where} → ${res.statusCode} ${res.body}`);
            continue;
          }
          assert.equal(res.statusCode, 404, `${where} → ${res.statusCode} ${res.body} (a route that ignores ids it does not own? list it in IGNORES_FOREIGN_IDS)`);
        }
      }
    }
    assert.ok(calls > 0);
    const acmeAfter = await Promise.all(listRoutes.map((r) => call(a.admin.request, requestFor(r, {}))));
    for (let i = 0; i < listRoutes.length; i++) {
      assert.deepEqual(stable(acmeAfter[i].body), stable(acmeBefore[i].body), `${describeRoute(listRoutes[i])} changed after refused writes`);
    }
  });

  it('list routes show this company\'s rows and never another\'s, whatever the filters name', async () => {
    for (const r of listRoutes) {
      const res = await call(a.admin.request, requestFor(r, {}));
      assert.equal(res.statusCode, 200, `${describeRoute(r)} → ${res.statusCode} ${res.body}`);
      assert.deepEqual(leaks(res), [], `${describeRoute(r)} leaked globex data: ${res.body}`);
      // filters that name globex rows find nothing of globex either
      for (const slot of uuidSlots(schemaOf(r.spec.query))) {
        for (const id of g.all) {
          const req = requestFor(r, {}, { query: withValue(sample(schemaOf(r.spec.query)!) as Record<string, unknown>, slot.path, id) });
          const filtered = await call(a.admin.request, req);
          assert.ok(filtered.statusCode === 200 || filtered.statusCode === 404, `${req.url} → ${filtered.statusCode} ${filtered.body}`);
          assert.deepEqual(leaks(filtered), [], `${req.url} leaked globex data: ${filtered.body}`);
          if (filtered.statusCode === 200 && 'total' in filtered.json()) assert.equal(filtered.json().total, 0, `${req.url} found rows for a globex id`);
        }
      }
    }
    // not a vacuous check: acme's own rows are there
    for (const [kind, ids] of Object.entries(a.ids)) {
      // listed only while the visitor's widget is connected (a socket, not a row): chat-live.int.test.ts
      // checks that list with real widgets of two companies
      if (kind === 'live-visitors') continue;
      const idRoute = idRoutes.find((r) => resourceOf(r.spec.url) === kind)!;
      const collection = idRoute.spec.url.slice(0, idRoute.spec.url.indexOf('/:'));
      const list = listRoutes.find((r) => r.spec.url === collection);
      if (!list) continue;
      const res = await call(a.admin.request, requestFor(list, {}));
      assert.ok(res.body.includes(ids[0]), `GET ${collection} does not show acme's own ${kind}`);
    }
    const audit = await a.admin.get('/api/v1/audit-log?limit=200');
    assert.ok(audit.json().total > 5, 'acme has an audit trail of its own');
  });

  it('another company\'s API token and session cookie are refused here', async () => {
    for (const url of ['/api/v1/auth/me', '/api/v1/departments', '/api/v1/staff']) {
      const viaToken = await acme.request('GET', url, undefined, { authorization: `Bearer ${g.token}` });
      assert.equal(viaToken.statusCode, 401, `${url} with globex's API token → ${viaToken.statusCode}`);
      const viaCookie = await acme.request('GET', url, undefined, { cookie: g.admin.cookie });
      assert.equal(viaCookie.statusCode, 401, `${url} with globex's session → ${viaCookie.statusCode}`);
      assert.deepEqual(leaks(viaToken), []);
      assert.deepEqual(leaks(viaCookie), []);
    }
  });

  it('afterwards globex\'s administrator finds every list and row of globex exactly as before', async () => {
    const now = await globexSnapshot();
    assert.deepEqual([...now.keys()], [...globexBefore.keys()]);
    for (const [key, was] of globexBefore) assert.deepEqual(now.get(key), was, `globex ${key} changed`);
    const audit = now.get('/api/v1/audit-log') as { body: { items: Array<{ actorName: string }> } };
    assert.ok(audit.body.items.every((e) => !e.actorName.includes('acme')), 'an acme actor appears in globex\'s audit log');
  });
});

describe('routes: permission matrix (each route needs exactly its permission)', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let probeRoleId: string;
  let probe: Send;
  const permissionRoutes = ROUTES.filter((r) => permissionOf(r));
  const used = [...new Set(permissionRoutes.map((r) => permissionOf(r)!))];
  const staffRoutes = ROUTES.filter((r) => r.spec.access === 'staff');

  before(async () => {
    srv = await testServer();
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    const role = await admin.post('/api/v1/roles', { name: 'probe', permissions: [] });
    probeRoleId = role.json().id;
    const inv = await admin.post('/api/v1/staff/invitations', { email: 'probe@acme.test', name: 'Probe', roleId: probeRoleId });
    assert.equal(inv.statusCode, 201, inv.body);
    await srv.drain();
    const mail = (await admin.get('/api/v1/outbox?to=probe@')).json().items[0];
    const token = decodeURIComponent(mail.text.match(/token=([A-Za-z0-9_%-]+)/)[1]);
    assert.equal((await acme.request('POST', '/api/v1/auth/activate', { token, password: 'probe-password-1' })).statusCode, 200);
    const session = await acme.login('probe@acme.test', 'probe-password-1');
    // An API token acts with the same role and survives the logout routes the matrix calls.
    const apiToken = (await session.post('/api/v1/auth/api-tokens', { name: 'matrix' })).json().token;
    probe = (m, u, b, h) => acme.request(m, u, b, { ...h, authorization: `Bearer ${apiToken}` });
  });
  after(async () => { await srv?.close(); });

  const setProbePermissions = async (permissions: Permission[]) => {
    const res = await admin.patch(`/api/v1/roles/${probeRoleId}`, { permissions });
    assert.equal(res.statusCode, 200, res.body);
  };
  /** A schema-valid request for the route, on ids that exist nowhere: the handler may 404, authorization must speak first. */
  const probeRequest = (r: Route) => requestFor(r, Object.fromEntries(paramNames(r.spec.url).map((p) => [p, crypto.randomUUID()])));

  it('routes use the permissions the matrix walks', () => {
    assert.ok(permissionRoutes.length > 0 && used.length > 1, `permission routes: ${permissionRoutes.length}`);
  });

  for (const p of used) {
    it(`a role with only ${p} passes exactly the routes needing ${p}; a role with everything but ${p} is refused exactly those`, async () => {
      await setProbePermissions([p]);
      for (const r of permissionRoutes) {
        const res = await call(probe, probeRequest(r));
        const where = `${describeRoute(r)} (needs ${permissionOf(r)}) as a role holding only ${p}`;
        if (permissionOf(r) === p) assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${where} → ${res.statusCode} ${res.body}`);
        else assert.equal(res.statusCode, 403, `${where} → ${res.statusCode} ${res.body}`);
      }
      await setProbePermissions(ALL_PERMISSIONS.filter((x) => x !== p));
      for (const r of permissionRoutes) {
        const res = await call(probe, probeRequest(r));
        const where = `${describeRoute(r)} (needs ${permissionOf(r)}) as a role holding all but ${p}`;
        if (permissionOf(r) === p) {
          assert.equal(res.statusCode, 403, `${where} → ${res.statusCode} ${res.body}`);
          assert.equal(res.json().code, 'forbidden');
        } else assert.ok(res.statusCode !== 401 && res.statusCode !== 403, `${where} → ${res.statusCode} ${res.body}`);
      }
    });
  }

  it('routes needing a permission or a session answer 401 without one (no cookie, a forged cookie, an unknown token)', async () => {
    const forged: Array<[string, Record<string, string>]> = [
      ['no credentials', {}],
      ['a forged session cookie', { cookie: 'kefu_session=forged-session-value', 'x-csrf-token': 'forged' }],
      ['an unknown API token', { authorization: 'Bearer kefu_not-a-real-token' }],
    ];
    for (const r of [...staffRoutes, ...permissionRoutes]) {
      for (const [label, headers] of forged) {
        const req = probeRequest(r);
        const res = await acme.request(req.method, req.url, req.body, { ...req.headers, ...headers });
        assert.equal(res.statusCode, 401, `${describeRoute(r)} with ${label} → ${res.statusCode} ${res.body}`);
        assert.equal(res.json().code, 'unauthenticated');
      }
    }
  });

  it('"staff" routes let in any signed-in staff member, even one whose role holds no permission (policies aside)', async () => {
    await setProbePermissions([]);
    for (const r of staffRoutes) {
      const res = await call(probe, probeRequest(r));
      // signed in is enough to get past the route's access rule (a resource policy may still say 403 later)
      assert.notEqual(res.statusCode, 401, `${describeRoute(r)} as a role without permissions → ${res.statusCode} ${res.body}`);
      if (res.statusCode === 403) assert.equal(res.json().code, 'forbidden', `${describeRoute(r)}: ${res.body}`);
    }
  });

  it('public routes answer without credentials (at most a 4xx about the input, never an access refusal)', async () => {
    for (const r of ROUTES.filter(isPublic)) {
      const req = probeRequest(r);
      const res = await acme.request(req.method, req.url, req.body, req.headers);
      // the sample login is refused for its credentials (bad_credentials), never for the lack of a session
      assert.ok(res.statusCode < 500, `${describeRoute(r)} → ${res.statusCode} ${res.body}`);
      // a public page (the widget demo) answers HTML, not a JSON error
      const code = String(res.headers['content-type']).includes('json') ? res.json().code : null;
      assert.ok(!['unauthenticated', 'forbidden', 'csrf'].includes(code), `${describeRoute(r)} → ${res.statusCode} ${res.body}`);
    }
  });
});
