import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { testServer, type Client, type TestServer, type TestTenant } from '../testing/test-server.ts';
import {
  describeRoute, fillUrl, idForField, isTextSlot, paramNames, queryString, REMOVE, resourceOf, sample, schemaOf, slots, withValue, type JsonSchema, type Slot,
} from '../testing/route-samples.ts';
import { DrizzleQueryError } from 'drizzle-orm';
import type { Route } from './define-route.ts';
import { errorHandler } from './errors.ts';
import { ROUTES } from './routes.ts';

/**
 * Bad input never gives a 500: wrong types, missing fields, oversized and malformed bodies, wrong content
 * types and the Big List of Naughty Strings, sent to every route in ROUTES. A 4xx always carries a readable
 * message; naughty text that is accepted comes back unchanged.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const BLNS_PATH = path.resolve(repoRoot, '../shared/corpora/naughty-strings-blns/strings.json');
const blns: string[] | null = fs.existsSync(BLNS_PATH)
  ? (JSON.parse(fs.readFileSync(BLNS_PATH, 'utf8')) as Array<{ string: string }>).map((e) => e.string)
  : null;
if (!blns) {
  const line = '!'.repeat(78);
  console.log(`\n${line}\n!! SKIPPED: naughty-strings tests: ${BLNS_PATH} is missing\n${line}\n`);
}

/** Hand-made extras the list lacks: text PostgreSQL cannot store, LIKE wildcards, lengths at the edges. */
const EXTRA_STRINGS = [
  '\u0000', 'a\u0000b', '\ud800', 'a\udc00b', '\udbff\udbff', '%', '_', '\\', '%\\', "'; drop table roles; --",
  ' ', '\t', '\u202e', '\ufeff', 'x'.repeat(100), 'x'.repeat(101), '𠜎'.repeat(100), '𠜎'.repeat(101), '👩‍👩‍👧‍👦', 'Ǆ', 'İstanbul',
];

const BODY_LIMIT = 16 * 1024;
/** Text fields a service rewrites on purpose before storing it (so it does not come back unchanged), each with its reason. */
const REWRITTEN_TEXT: Record<string, string> = {
  'POST /api/v1/kb/articles body.body': 'article HTML is sanitized on write (allow-list)',
  'PATCH /api/v1/kb/articles/:id body.body': 'article HTML is sanitized on write (allow-list)',
};
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Runs the jobs in small groups, so a run stays quick without flooding the single PGlite connection. */
async function inGroups<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

const codePoints = (s: string) => [...s].length;
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('bad input never gives a 500', () => {
  let srv: TestServer;
  let acme: TestTenant;
  let admin: Client;
  let bearer: (method: string, url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  /** Exact bytes, for payloads that are not JSON text. */
  let raw: (method: string, url: string, payload: string | Buffer, headers: Record<string, string>) => Promise<LightMyRequestResponse>;
  let ids: Record<string, string>;
  /** Routes whose service wants more than the smallest schema-valid body (e.g. "set at least one target"). */
  const needsFull = new Set<Route>();
  let checked = 0;

  /** The one rule: below 500, and a 4xx is JSON with the usual error fields and a message a person can read. */
  const sane = (res: LightMyRequestResponse, where: string) => {
    checked++;
    assert.ok(res.statusCode < 500, `${where} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) {
      assert.match(String(res.headers['content-type']), /^application\/json/, `${where}: a ${res.statusCode} that is not JSON: ${res.body.slice(0, 200)}`);
      let body: { statusCode?: unknown; code?: unknown; message?: unknown };
      try { body = res.json(); } catch { assert.fail(`${where}: a ${res.statusCode} whose body is not JSON: ${res.body.slice(0, 200)}`); }
      assert.equal(body.statusCode, res.statusCode, `${where}: statusCode field`);
      assert.ok(typeof body.code === 'string' && body.code.length > 0, `${where}: no error code: ${res.body}`);
      assert.ok(typeof body.message === 'string' && body.message.trim().length > 0, `${where}: no readable message: ${res.body}`);
    }
  };

  /** An existing row for each resource, so a request with a good id reaches the service and its SQL. */
  const paramsFor = (r: Route, existing: boolean) => Object.fromEntries(paramNames(r.spec.url).map((p) => {
    const kind = resourceOf(r.spec.url);
    return [p, existing && kind && ids[kind] ? ids[kind] : crypto.randomUUID()];
  }));
  // people a ticket or team points at must be able to take it: the (active) administrator
  const uuidFor = (key: string) => /^(assignee|lead|member|actor|user|author)/.test(key) ? admin.userId : idForField(ids, key);
  /** A valid request for the route: existing ids where it has a body (so the body is really used), random ids otherwise (so deletes find nothing). */
  const validRequest = (r: Route) => {
    const full = needsFull.has(r);
    const params = paramsFor(r, !!r.spec.body);
    // A body naming the very row the path names (link or merge a ticket with itself) is refused for what it
    // says, not for its shape: such a field points at an unknown id instead (a clean 404).
    const bodyUuid = (key: string) => { const v = uuidFor(key); return v && Object.values(params).includes(v) ? crypto.randomUUID() : v; };
    const body = r.spec.body ? sample(schemaOf(r.spec.body)!, { uuid: bodyUuid, full }) as Record<string, unknown> : undefined;
    const query = r.spec.query ? sample(schemaOf(r.spec.query)!, { uuid: uuidFor }) as Record<string, unknown> : undefined;
    return { params, body, query };
  };
  const urlOf = (r: Route, params: Record<string, string>, query?: Record<string, unknown>) => fillUrl(r.spec.url, params) + queryString(query);

  before(async () => {
    srv = await testServer({ bodyLimit: BODY_LIMIT, loginRateLimit: 1_000_000 });
    acme = await srv.tenant('acme');
    admin = await acme.admin();
    // An API token survives the logout routes this walk calls (a session would not).
    const token = (await admin.post('/api/v1/auth/api-tokens', { name: 'bad input' })).json().token;
    bearer = (m, u, b, h = {}) => acme.request(m, u, b, { authorization: `Bearer ${token}`, ...h });
    raw = (method, url, payload, headers) => srv.kefu.app.inject({ method: method as 'GET', url, payload, headers: { host: acme.host, authorization: `Bearer ${token}`, ...headers } });
    const roles = (await admin.get('/api/v1/roles')).json().items as Array<{ id: string; builtin: string | null }>;
    const dept = (await admin.post('/api/v1/departments', { name: 'Support' })).json();
    const team = (await admin.post('/api/v1/teams', { name: 'Tier 1', departmentId: dept.id })).json();
    const role = (await admin.post('/api/v1/roles', { name: 'Editable', permissions: [] })).json();
    const invited = (await admin.post('/api/v1/staff/invitations', { email: 'invited@acme.test', name: 'Invited', roleId: roles.find((r) => r.builtin === 'agent')!.id })).json();
    const spareToken = (await admin.post('/api/v1/auth/api-tokens', { name: 'spare' })).json().apiToken.id;
    ids = { departments: dept.id, teams: team.id, roles: role.id, staff: invited.id, 'api-tokens': spareToken };
    // Resources this file does not know: one made through the collection's POST route with a sample body.
    // Without one, requests aim at a random id (validation is still walked, the service is not).
    for (const r of ROUTES) {
      const kind = resourceOf(r.spec.url);
      if (!kind || ids[kind]) continue;
      const collection = r.spec.url.slice(0, r.spec.url.indexOf('/:'));
      const create = ROUTES.find((c) => c.spec.method === 'POST' && c.spec.url === collection && c.spec.body);
      let res = create ? await bearer('POST', collection, sample(schemaOf(create.spec.body)!, { uuid: uuidFor })) : null;
      if (create && res?.statusCode === 400) {
        needsFull.add(create);
        res = await bearer('POST', collection, sample(schemaOf(create.spec.body)!, { uuid: uuidFor, full: true }));
      }
      if (res && res.statusCode < 300 && typeof res.json().id === 'string') ids[kind] = res.json().id;
      else console.log(`# bad-input: no existing "${kind}" (POST ${collection} → ${res?.statusCode ?? 'no such route'}); ${describeRoute(r)} aims at a random id`);
    }
  });
  after(async () => {
    await srv?.close();
    console.log(`# bad-input: ${checked} responses checked`);
  });

  it('the valid sample request of every route is itself accepted or refused cleanly (the baseline the variants break)', async () => {
    for (const r of ROUTES) {
      let v = validRequest(r);
      let res = await bearer(r.spec.method, urlOf(r, v.params, v.query), v.body);
      if (res.statusCode === 400 && r.spec.body && !needsFull.has(r)) {
        // the service wants more than the smallest valid body: every field from now on
        needsFull.add(r);
        v = validRequest(r);
        res = await bearer(r.spec.method, urlOf(r, v.params, v.query), v.body);
      }
      sane(res, `${describeRoute(r)} (valid sample)`);
      // it may be refused for what it says (a wrong password, an unknown link), never for its shape
      if (res.statusCode >= 400) assert.ok(!['validation', 'bad_json'].includes(res.json().code), `${describeRoute(r)}: the valid sample request was refused as invalid: ${res.body}`);
    }
  });

  it('wrong types in every body field and query parameter, and bodies that are not objects', async () => {
    const wrong: unknown[] = [{ a: { b: 1 } }, [[]], 12345, -1.5, 1e308, true, null, ['a', 'b']];
    const jobs: Array<() => Promise<void>> = [];
    for (const r of ROUTES) {
      const v = validRequest(r);
      if (r.spec.body) {
        for (const body of [[], [v.body], 42, 'a string', null, true]) {
          jobs.push(async () => {
            const res = await bearer(r.spec.method, urlOf(r, v.params, v.query), JSON.stringify(body));
            sane(res, `${describeRoute(r)} with body ${JSON.stringify(body).slice(0, 40)}`);
            assert.equal(res.statusCode, 400, `${describeRoute(r)} accepted the body ${JSON.stringify(body).slice(0, 40)}: ${res.body}`);
          });
        }
        for (const slot of slots(schemaOf(r.spec.body))) {
          for (const value of wrong) {
            jobs.push(async () => {
              const res = await bearer(r.spec.method, urlOf(r, v.params, v.query), withValue(v.body, slot.path, value));
              sane(res, `${describeRoute(r)} body.${slot.path.join('.')} = ${JSON.stringify(value)}`);
            });
          }
        }
      }
      for (const slot of slots(schemaOf(r.spec.query))) {
        for (const value of ['', 'abc', '-1', '1.5', '1e20', '99999999999999999999', 'NaN', 'Infinity', '[]', '{}', 'null', 'true']) {
          jobs.push(async () => {
            const url = fillUrl(r.spec.url, v.params) + queryString({ ...v.query, [slot.path[0]]: value });
            sane(await bearer(r.spec.method, url, v.body), `${r.spec.method} ${url}`);
          });
        }
        jobs.push(async () => {
          const url = `${fillUrl(r.spec.url, v.params)}?${slot.path[0]}=1&${slot.path[0]}=2&${slot.path[0]}[x]=3`;
          sane(await bearer(r.spec.method, url, v.body), `${r.spec.method} ${url}`);
        });
      }
    }
    await inGroups(jobs, 8, (job) => job());
    assert.ok(jobs.length > 100, `only ${jobs.length} variants`);
  });

  it('requests racing for the same unique name or email get one 201 and 409s, never a 500', async () => {
    const agent = ((await bearer('GET', '/api/v1/roles')).json().items as Array<{ id: string; builtin: string | null }>).find((r) => r.builtin === 'agent')!;
    const races: Array<[string, unknown, string]> = [
      ['/api/v1/staff/invitations', { email: 'race@acme.test', name: 'Race', roleId: agent.id }, 'email_taken'],
      ['/api/v1/roles', { name: 'Race role', permissions: [] }, 'name_taken'],
      ['/api/v1/teams', { name: 'Race team' }, 'name_taken'],
    ];
    for (const [url, body, conflict] of races) {
      const res = await Promise.all(Array.from({ length: 8 }, () => bearer('POST', url, body)));
      for (const r of res) sane(r, `POST ${url} (8 at once)`);
      assert.equal(res.filter((r) => r.statusCode === 201).length, 1, `POST ${url} x8: ${res.map((r) => r.statusCode)}`);
      for (const r of res.filter((x) => x.statusCode !== 201)) {
        assert.equal(r.statusCode, 409, `POST ${url}: ${r.body}`);
        assert.equal(r.json().code, conflict);
      }
    }
    // the same, deterministic on every engine: a unique violation drizzle wraps is still recognised
    const cause = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505', constraint: 'users_tenant_email_key' });
    const sent: { status?: number; body?: { code: string } } = {};
    const reply = { code(n: number) { sent.status = n; return reply; }, send(b: { code: string }) { sent.body = b; return reply; } };
    const req = { headers: {}, log: { error() {} } };
    errorHandler(new DrizzleQueryError('insert into "users" …', [], cause) as never, req as never, reply as never);
    assert.deepEqual([sent.status, sent.body?.code], [409, 'email_taken']);
  });

  it('missing required fields and unknown extra fields are a 400 naming the problem', async () => {
    for (const r of ROUTES.filter((x) => x.spec.body)) {
      const v = validRequest(r);
      const url = urlOf(r, v.params, v.query);
      for (const slot of slots(schemaOf(r.spec.body)).filter((s) => s.required)) {
        const res = await bearer(r.spec.method, url, withValue(v.body, slot.path, REMOVE));
        sane(res, `${describeRoute(r)} without ${slot.path.join('.')}`);
        assert.equal(res.statusCode, 400, `${describeRoute(r)} without ${slot.path.join('.')}: ${res.body}`);
        assert.equal(res.json().code, 'validation');
        assert.match(res.json().message, new RegExp(slot.path[slot.path.length - 1]), 'the message names the missing field');
      }
      if ((schemaOf(r.spec.body) as { additionalProperties?: boolean }).additionalProperties === false) {
        const res = await bearer(r.spec.method, url, { ...v.body, isAdmin: true });
        sane(res, `${describeRoute(r)} with an unknown field`);
        assert.equal(res.statusCode, 400, `${describeRoute(r)} accepted an unknown field: ${res.body}`);
      }
      // no body at all
      const none = await bearer(r.spec.method, url);
      sane(none, `${describeRoute(r)} without a body`);
      assert.equal(none.statusCode, 400, `${describeRoute(r)} without a body: ${none.body}`);
    }
    // a required query parameter missing
    for (const r of ROUTES.filter((x) => (schemaOf(x.spec.query)?.required ?? []).length)) {
      const res = await bearer(r.spec.method, fillUrl(r.spec.url, paramsFor(r, false)));
      sane(res, `${describeRoute(r)} without its query`);
      assert.equal(res.statusCode, 400);
    }
  });

  it(`a body above config.bodyLimit (${BODY_LIMIT} B) is a 413 on every route that reads a body`, async () => {
    assert.equal(srv.config.bodyLimit, BODY_LIMIT);
    const big = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT), description: 'y' });
    await inGroups([...ROUTES], 4, async (r) => {
      const v = validRequest(r);
      const res = await bearer(r.spec.method, urlOf(r, v.params, v.query), big);
      sane(res, `${describeRoute(r)} with ${big.length} B`);
      if (WRITE.has(r.spec.method)) {
        assert.equal(res.statusCode, 413, `${describeRoute(r)} with a ${big.length} B body: ${res.statusCode} ${res.body.slice(0, 200)}`);
        assert.equal(res.json().code, 'too_large');
      }
    });
  });

  it('invalid JSON (and JSON text the database cannot store) is a 400 on every route that reads a body', async () => {
    const deep = `{"name":${'['.repeat(4000)}${']'.repeat(4000)}}`;
    // [label, payload, only where the route has a body schema (valid JSON that only a schema refuses)]
    const payloads: Array<[string, string | Buffer, boolean?]> = [
      ['truncated', '{"name":'], ['unquoted keys', '{name: "x"}'], ['single quotes', "{'name':'x'}"], ['trailing comma', '{"name":"x",}'],
      ['two values', '{"a":1}{"b":2}'], ['garbage after', '{"a":1}garbage'], ['empty', ''], ['whitespace', '   '], ['NaN', '{"n":NaN}'],
      ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x7b])], ['a raw NUL', '{"name":"a\u0000b"}'],
      ['__proto__', '{"name":"x","__proto__":{"isAdmin":true}}'], ['constructor.prototype', '{"name":"x","constructor":{"prototype":{"isAdmin":true}}}'],
      ['escaped NUL', '{"name":"a\\u0000b"}'], ['escaped lone surrogate', '{"name":"a\\ud800b"}'], ['deep nesting', deep, true],
    ];
    const jobs: Array<[Route, string, string | Buffer, boolean]> = [];
    for (const r of ROUTES) for (const [label, payload, schemaOnly] of payloads) jobs.push([r, label, payload, !!schemaOnly]);
    await inGroups(jobs, 8, async ([r, label, payload, schemaOnly]) => {
      const v = validRequest(r);
      const res = await raw(r.spec.method, urlOf(r, v.params, v.query), payload, { 'content-type': 'application/json' });
      sane(res, `${describeRoute(r)} with ${label} JSON`);
      if (WRITE.has(r.spec.method) && (!schemaOnly || r.spec.body)) {
        assert.equal(res.statusCode, 400, `${describeRoute(r)} with ${label} JSON: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    });
  });

  it('a body in another content type is refused (415) on every route that reads a body', async () => {
    const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml', 'application/jsonx', 'image/png', 'nonsense', ';;;'];
    const jobs: Array<[Route, string]> = [];
    for (const r of ROUTES) for (const t of types) jobs.push([r, t]);
    await inGroups(jobs, 8, async ([r, type]) => {
      const v = validRequest(r);
      const res = await bearer(r.spec.method, urlOf(r, v.params, v.query), JSON.stringify(v.body ?? {}), { 'content-type': type });
      sane(res, `${describeRoute(r)} as ${type}`);
      // (Fastify also reads text/plain; a route without a body schema ignores such a body, one with a schema refuses it.)
      if (WRITE.has(r.spec.method) && (r.spec.body || type !== 'text/plain')) {
        assert.ok(res.statusCode === 415 || res.statusCode === 400, `${describeRoute(r)} as ${type}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    });
  });

  it('malformed URLs, path parameters and headers', async () => {
    const jobs: Array<() => Promise<void>> = [];
    for (const r of ROUTES.filter((x) => paramNames(x.spec.url).length)) {
      for (const raw of ['%', '%ZZ', '%E0%A4%A', '%00', '%ED%A0%80', '..%2F..%2Fetc%2Fpasswd', 'null', '0', '-1', 'a'.repeat(2000), `${crypto.randomUUID()}%00`, crypto.randomUUID().toUpperCase()]) {
        const url = r.spec.url.replace(/:[A-Za-z_]\w*/g, raw);
        jobs.push(async () => sane(await bearer(r.spec.method, url, r.spec.body ? validRequest(r).body : undefined), `${r.spec.method} ${url.slice(0, 80)}`));
      }
    }
    for (const url of ['/api/v1/roles?%', '/api/v1/staff?q=%E0%A4%A', '/api/v1/%', '/api/v1/nope', '/api/v1/staff/', '//api//v1//staff']) {
      jobs.push(async () => sane(await bearer('GET', url), `GET ${url}`));
    }
    const headerSets: Array<Record<string, string>> = [
      { authorization: 'Bearer' }, { authorization: 'Bearer ' }, { authorization: 'Basic YTpi' }, { authorization: `Bearer ${'k'.repeat(5000)}` },
      { cookie: 'kefu_session=' }, { cookie: 'kefu_session=%' }, { cookie: `kefu_session=${'s'.repeat(4000)}` }, { cookie: ';;;==;' },
      { 'accept-language': '*;q=x, en;;q' }, { 'accept-language': 'x'.repeat(3000) }, { host: 'x'.repeat(300) + '.localhost' }, { host: '.localhost' },
      { host: '[::1]:99999' }, { host: 'acme.localhost:notaport' }, { 'x-forwarded-for': 'not-an-ip, ::::, 999.1.1.1' }, { 'x-csrf-token': 'x'.repeat(3000) },
    ];
    // headers are read the same way by every route: a read, a write and a public route stand for all
    const headerRoutes = ROUTES.filter((r) => ['GET /api/v1/auth/me', 'POST /api/v1/departments', 'PATCH /api/v1/roles/:id', 'POST /api/v1/auth/login', 'GET /readyz'].includes(describeRoute(r)));
    assert.equal(headerRoutes.length, 5);
    for (const r of headerRoutes) {
      for (const h of headerSets) {
        jobs.push(async () => {
          const v = validRequest(r);
          const send = 'authorization' in h || 'cookie' in h ? acme.request : bearer;
          sane(await send(r.spec.method, urlOf(r, { ...paramsFor(r, false) }, v.query), v.body, h), `${describeRoute(r)} with ${JSON.stringify(h).slice(0, 60)}`);
        });
      }
    }
    await inGroups(jobs, 8, (job) => job());
  });

  describe('the Big List of Naughty Strings', { skip: blns ? false : `missing ${BLNS_PATH}` }, () => {
    const all = () => [...new Set([...(blns ?? []), ...EXTRA_STRINGS])];

    it('as department, role and team names: each is stored and returned unchanged, or refused with a 400 for a reason it can state', async () => {
      // every string for departments and roles; a third of them for teams (the same code path, to keep the run short)
      const targets = [
        { url: '/api/v1/departments', body: (s: string) => ({ name: s }), strings: all() },
        { url: '/api/v1/roles', body: (s: string) => ({ name: s, description: s.length <= 500 ? s : '', permissions: [] }), strings: all() },
        { url: '/api/v1/teams', body: (s: string) => ({ name: s }), strings: all().filter((_, i) => i % 3 === 1).concat(EXTRA_STRINGS) },
      ];
      for (const t of targets) {
        const strings = [...new Set(t.strings)];
        const stored = new Map<string, string>(); // id → name sent
        await inGroups(strings, 8, async (s) => {
          const res = await bearer('POST', t.url, t.body(s));
          const where = `POST ${t.url} name=${JSON.stringify(s).slice(0, 60)}`;
          sane(res, where);
          // text the database cannot keep as sent (NUL, an unpaired surrogate, a leading BOM) is refused up front
          const storable = !s.includes('\u0000') && wellFormed(s) && !s.startsWith('\ufeff') && codePoints(s) >= 1 && codePoints(s) <= 100;
          // (roles and teams have unique names: an earlier test may have used this one already)
          if (storable && s.trim() && !(res.statusCode === 409 && res.json().code === 'name_taken')) assert.equal(res.statusCode, 201, `${where} was refused: ${res.body}`);
          if (!storable) assert.equal(res.statusCode, 400, `${where} was accepted: ${res.body}`);
          if (res.statusCode === 201) {
            assert.equal(res.json().name, s, `${where}: the answer changed the name`);
            if (t.url === '/api/v1/roles') assert.equal(res.json().description, (t.body(s) as { description?: string }).description);
            stored.set(res.json().id, s);
          }
        });
        assert.ok(stored.size > strings.length * 0.9, `${t.url}: only ${stored.size} of ${strings.length} names were accepted`);
        // read back: one by one for a sample, and all of them through the list
        const list = (await bearer('GET', t.url)).json().items as Array<{ id: string; name: string }>;
        const byId = new Map(list.map((x) => [x.id, x.name]));
        for (const [id, name] of stored) assert.equal(byId.get(id), name, `${t.url}: ${JSON.stringify(name)} came back as ${JSON.stringify(byId.get(id))}`);
        for (const [id, name] of [...stored].filter((_, i) => i % 10 === 0)) {
          const one = await bearer('GET', `${t.url}/${id}`);
          assert.equal(one.statusCode, 200);
          assert.equal(one.json().name, name);
        }
      }
    });

    it('renaming through PATCH returns every accepted name unchanged', async () => {
      const strings = all().filter((_, i) => i % 6 === 0);
      for (const kind of ['departments', 'roles', 'teams']) {
        for (const s of strings) {
          const url = `/api/v1/${kind}/${ids[kind]}`;
          const res = await bearer('PATCH', url, { name: s });
          sane(res, `PATCH ${url} name=${JSON.stringify(s).slice(0, 60)}`);
          if (res.statusCode === 200) {
            assert.equal(res.json().name, s);
            assert.equal((await bearer('GET', url)).json().name, s);
          }
        }
      }
    });

    it('a sample of them in every other text field, query parameter and path parameter of every route', async () => {
      // Each field gets the text the database finds hardest plus its own slice of the list, the slices
      // rotating from field to field, so the whole list is spread over the routes at a bounded cost.
      const list = all();
      const always = ['\u0000', '\ud800', '\ufeffx', 'x'.repeat(101)];
      let slotNo = 0;
      const PER_SLOT = 5;
      const nextSlice = () => {
        const start = (slotNo++ * PER_SLOT) % list.length;
        return [...always, ...list.slice(start, start + PER_SLOT)];
      };
      const jobs: Array<() => Promise<void>> = [];
      for (const r of ROUTES) {
        const v = validRequest(r);
        const bodySlots: Slot[] = slots(schemaOf(r.spec.body)).filter((s) => isTextSlot(s.schema) || (s.schema.type === 'array' && isTextSlot(s.schema.items as JsonSchema)));
        for (const slot of bodySlots) {
          for (const s of nextSlice()) {
            jobs.push(async () => {
              const value = slot.schema.type === 'array' ? [s] : s;
              const body = withValue(v.body, slot.path, value);
              const url = urlOf(r, v.params, v.query);
              const res = await bearer(r.spec.method, url, body);
              const where = `${describeRoute(r)} body.${slot.path.join('.')}=${JSON.stringify(s).slice(0, 60)}`;
              sane(res, where);
              // accepted free text (not an email, id or password) comes back unchanged where the answer shows it
              if (res.statusCode < 300 && !slot.schema.format && slot.schema.type === 'string' && !/password|token/i.test(slot.path.join('.'))
                && !REWRITTEN_TEXT[`${r.spec.method} ${r.spec.url} body.${slot.path.join('.')}`]) {
                const shown = slot.path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), res.json());
                if (typeof shown === 'string') assert.equal(shown, s, `${where}: came back as ${JSON.stringify(shown)}`);
              }
            });
          }
        }
        // (text with an unpaired surrogate cannot be written in a URL at all: the malformed-URL test sends its bytes)
        for (const slot of slots(schemaOf(r.spec.query))) {
          for (const s of nextSlice().filter(wellFormed)) {
            jobs.push(async () => {
              const url = fillUrl(r.spec.url, paramsFor(r, false)) + queryString({ ...v.query, [slot.path[0]]: s });
              sane(await bearer(r.spec.method, url, v.body), `${describeRoute(r)} ?${slot.path[0]}=${JSON.stringify(s).slice(0, 60)}`);
            });
          }
        }
        for (const p of paramNames(r.spec.url)) {
          for (const s of nextSlice().filter(wellFormed)) {
            jobs.push(async () => {
              const url = fillUrl(r.spec.url, { ...paramsFor(r, false), [p]: s });
              const res = await bearer(r.spec.method, url, v.body);
              sane(res, `${describeRoute(r)} :${p}=${JSON.stringify(s).slice(0, 60)}`);
              // 414: longer than the router's 100-character limit for one path parameter
              assert.ok([400, 404, 414].includes(res.statusCode), `${describeRoute(r)} :${p}=${JSON.stringify(s).slice(0, 60)} → ${res.statusCode}`);
            });
          }
        }
      }
      // and in headers a person can send (Latin-1 only: HTTP headers carry bytes, not text)
      const headerSafe = list.filter((s) => /^[\x20-\x7e]*$/.test(s)).filter((_, i) => i % 3 === 0);
      for (const s of headerSafe) {
        for (const h of [{ authorization: `Bearer ${s}` }, { cookie: `kefu_session=${s}` }, { 'accept-language': s }, { 'x-csrf-token': s }] as Array<Record<string, string>>) {
          jobs.push(async () => sane(await acme.request('GET', '/api/v1/auth/me', undefined, h), `GET /api/v1/auth/me with ${JSON.stringify(h).slice(0, 60)}`));
        }
      }
      await inGroups(jobs, 8, (job) => job());
      assert.ok(slotNo * PER_SLOT >= list.length, `the slices covered only ${slotNo * PER_SLOT} of ${list.length} strings`);
      assert.ok(jobs.length > 500, `only ${jobs.length} requests`);
    });
  });
});
