import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testServer, type TestServer } from '../testing/test-server.ts';
import { describeRoute, paramNames, schemaOf, type JsonSchema } from '../testing/route-samples.ts';
import { ROUTES } from './routes.ts';

/** The API documentation is generated from the same route list the server runs, so it cannot drift. */

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  security?: unknown[];
}
interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

const openApiPath = (url: string) => url.replace(/:([A-Za-z_]\w*)/g, '{$1}');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

describe('OpenAPI document and docs UI', () => {
  let srv: TestServer;
  let doc: OpenApiDoc;

  before(async () => {
    srv = await testServer();
    const res = await srv.kefu.app.inject({ method: 'GET', url: '/api/docs/json', headers: { host: 'acme.localhost' } });
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.match(String(res.headers['content-type']), /application\/json/);
    doc = res.json();
  });
  after(async () => { await srv?.close(); });

  it('is an OpenAPI 3 document with the two ways to authenticate', () => {
    assert.match(doc.openapi, /^3\./);
    assert.equal(doc.info.title, 'Kefu API');
    assert.ok(doc.components?.securitySchemes?.cookie, 'cookie scheme');
    assert.ok(doc.components?.securitySchemes?.bearer, 'bearer scheme');
  });

  it('lists every route in ROUTES (path and method), and nothing else', () => {
    const expected = ROUTES.map((r) => `${r.spec.method.toLowerCase()} ${openApiPath(r.spec.url)}`).sort();
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m} ${p}`)).sort();
    const missing = expected.filter((e) => !listed.includes(e));
    const extra = listed.filter((l) => !expected.includes(l));
    assert.deepEqual(missing, [], 'routes missing from the document');
    assert.deepEqual(extra, [], 'operations in the document that are not in ROUTES');
    assert.equal(listed.length, ROUTES.length);
  });

  it('each operation carries its summary, tags, request schemas, response and security as declared', () => {
    for (const r of ROUTES) {
      const { spec } = r;
      const name = describeRoute(r);
      const op = doc.paths[openApiPath(spec.url)][spec.method.toLowerCase()];
      assert.equal(op.summary, spec.summary, `${name}: summary`);
      assert.deepEqual(op.tags, spec.tags, `${name}: tags`);

      const body = schemaOf(spec.body);
      if (body) {
        assert.ok(op.requestBody, `${name}: no request body in the document`);
        const documented = op.requestBody.content['application/json']?.schema;
        assert.ok(documented, `${name}: the request body is not documented as JSON`);
        assert.equal(documented.type, body.type, `${name}: body type`);
        assert.deepEqual(Object.keys(documented.properties ?? {}).sort(), Object.keys(body.properties ?? {}).sort(), `${name}: body properties`);
        assert.deepEqual([...(documented.required ?? [])].sort(), [...(body.required ?? [])].sort(), `${name}: required body properties`);
        for (const [prop, s] of Object.entries(body.properties ?? {})) {
          for (const k of ['maxLength', 'minLength', 'minimum', 'maximum', 'format'] as const) {
            if (s[k] !== undefined) assert.equal(documented.properties![prop][k], s[k], `${name}: body.${prop}.${k}`);
          }
        }
      } else if (spec.files) {
        const documented = op.requestBody?.content['multipart/form-data']?.schema;
        assert.ok(documented, `${name}: takes files, but no multipart/form-data body is documented`);
        assert.equal(documented.properties?.file?.items?.format, 'binary', `${name}: the file parts are not documented as binary`);
      } else {
        assert.equal(op.requestBody, undefined, `${name}: documents a body it does not take`);
      }

      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(pathParams, paramNames(spec.url).sort(), `${name}: path parameters`);
      for (const p of params.filter((x) => x.in === 'path')) assert.equal(p.required, true, `${name}: path parameter ${p.name} is required`);
      const query = schemaOf(spec.query);
      const queryParams = params.filter((p) => p.in === 'query');
      assert.deepEqual(queryParams.map((p) => p.name).sort(), Object.keys(query?.properties ?? {}).sort(), `${name}: query parameters`);
      for (const p of queryParams) {
        assert.equal(!!p.required, (query?.required ?? []).includes(p.name), `${name}: query parameter ${p.name} required`);
      }

      assert.ok(op.responses[String(spec.status ?? 200)], `${name}: no ${spec.status ?? 200} response documented`);
      assert.ok(op.responses['4XX'] ?? op.responses['4xx'], `${name}: the error body is not documented`);
      const isPublic = typeof spec.access === 'object' && 'public' in spec.access;
      if (isPublic) assert.equal(op.security, undefined, `${name}: a public route documents a credential`);
      else assert.deepEqual(op.security, [{ cookie: [] }, { bearer: [] }], `${name}: security`);
    }
  });

  it('serves the docs UI as an HTML page, with or without the trailing slash, at any company host', async () => {
    for (const [url, host] of [['/api/docs', 'acme.localhost'], ['/api/docs/', 'localhost'], ['/api/docs', '127.0.0.1:3000']]) {
      const res = await srv.kefu.app.inject({ method: 'GET', url, headers: { host, accept: 'text/html' } });
      assert.equal(res.statusCode, 200, `${url} at ${host}: ${res.statusCode}`);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /<html/i);
      assert.match(res.body, /swagger-ui/i);
    }
    // the page's own script and styles load too
    const page = (await srv.kefu.app.inject({ method: 'GET', url: '/api/docs/' })).body;
    const assets = [...page.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    assert.ok(assets.length > 0, 'the page references no script or stylesheet');
    for (const a of assets) {
      const url = a.startsWith('/') ? a : `/api/docs/${a}`;
      const res = await srv.kefu.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, `${url}: ${res.statusCode}`);
    }
  });
});
