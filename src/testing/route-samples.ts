import crypto from 'node:crypto';
import type { Route } from '../server/define-route.ts';
import { multipart } from './multipart.ts';

/**
 * Schema-valid sample requests built from a route's own typebox schemas, so the route-walking tests
 * (routes.test.ts, bad-input.test.ts) cover a new route without anyone writing its body by hand.
 * Only the schema kinds the contracts use are understood; anything else throws, loudly, so a new kind
 * of schema is taught here instead of silently producing an invalid body.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

export interface SampleOptions {
  /** Include optional properties too (default: required ones only, the smallest valid request). */
  full?: boolean;
  /** A value for a uuid field, by property name (e.g. roleId → a role that exists); else a random uuid. */
  uuid?: (key: string) => string | undefined;
}

let counter = 0;
/** A short unique text, so names that must be unique stay unique across calls. */
export function uniqueText(prefix = 'sample'): string {
  return `${prefix}-${process.pid.toString(36)}-${(++counter).toString(36)}`;
}

/** A schema-valid value for `schema`; `key` is the property name it sits under. */
export function sample(schema: JsonSchema, opts: SampleOptions = {}, key = ''): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  // a union (anyOf), or a oneOf told apart by a discriminator: the first branch that is not null
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    const branch = branches.find((s) => s.type !== 'null') ?? branches[0];
    return sample(branch, opts, key);
  }
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      const minProps = (schema as { minProperties?: number }).minProperties ?? 0;
      for (const [name, prop] of Object.entries(schema.properties ?? {})) {
        if (required.has(name) || opts.full || Object.keys(out).length < minProps) out[name] = sample(prop, opts, name);
      }
      return out;
    }
    case 'array': {
      if (!schema.items) throw new Error(`sample(): array without items at "${key}"`);
      const n = Math.max(schema.minItems ?? 0, opts.full ? 1 : 0);
      // one item per distinct key, so uniqueItems holds
      return Array.from({ length: n }, (_, i) => sample(schema.items!, opts, i === 0 ? singular(key) : `${singular(key)}#${i}`));
    }
    case 'string': return sampleString(schema, opts, key);
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? Math.min(0, schema.maximum ?? 0);
      return Math.min(Math.max(min, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    }
    case 'boolean': return true;
    case 'null': return null;
    case undefined:
      if (Object.keys(schema).every((k) => k === 'description' || k === 'title')) return null; // Type.Unknown
  }
  throw new Error(`sample(): schema kind not understood at "${key}": ${JSON.stringify(schema).slice(0, 200)}`);
}

function singular(key: string): string {
  return key.endsWith('Ids') ? key.slice(0, -1) : key;
}

/** Candidates tried against a `pattern` (phone numbers, times, dates, URLs); extend when a new pattern needs one. */
const PATTERN_CANDIDATES = ['+86 138 0013 8000', '13800138000', '09:00', '2026-01-01', 'https://example.test/hook', 'sample', 'sample-1', 'SAMPLE_1', 'a1', '1', 'a'];

/** Free text a service checks beyond its schema, by property name. */
const TEXT_HINTS: Record<string, string> = {
  timezone: 'Asia/Shanghai', timeZone: 'Asia/Shanghai', open: '09:00', close: '18:00',
  // a mailbox's DKIM key must be a readable RSA key: a throwaway one made for the samples
  dkimPrivateKey: crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

function sampleString(schema: JsonSchema & { examples?: unknown[] }, opts: SampleOptions, key: string): string {
  const fits = (s: string) => (!schema.pattern || new RegExp(schema.pattern, 'u').test(s))
    && [...s].length >= (schema.minLength ?? 0) && [...s].length <= (schema.maxLength ?? Infinity);
  const example = schema.examples?.find((e): e is string => typeof e === 'string' && fits(e));
  if (example) return example;
  let text: string;
  switch (schema.format) {
    case 'uuid': text = opts.uuid?.(key) ?? crypto.randomUUID(); break;
    case 'email': text = `${uniqueText('sample').replace(/[^a-z0-9-]/g, '')}@example.test`; break;
    case 'date-time': text = new Date().toISOString(); break;
    case 'date': text = new Date().toISOString().slice(0, 10); break;
    case 'uri': text = 'https://example.test/sample'; break;
    case undefined: {
      text = TEXT_HINTS[key] ?? uniqueText(key ? key.replace(/\W/g, '') || 's' : 's');
      const min = schema.minLength ?? 0;
      if (text.length < min) text = text.padEnd(min, 'x');
      if (schema.maxLength !== undefined && text.length > schema.maxLength) text = text.slice(text.length - schema.maxLength);
      break;
    }
    default: throw new Error(`sample(): teach sampleString() the format "${schema.format}" of "${key}"`);
  }
  if (fits(text)) return text;
  const found = PATTERN_CANDIDATES.find(fits);
  if (!found) throw new Error(`sample(): no candidate fits "${key}": ${JSON.stringify(schema)} (add one to PATTERN_CANDIDATES)`);
  return found;
}

/**
 * The sample request of a route that takes files (spec.files): one small text file as multipart/form-data.
 * Its content is JSON text, so walks that read answers as JSON can read its download too.
 */
export function sampleUpload(): { body: Buffer; headers: Record<string, string> } {
  const { payload, headers } = multipart([{ filename: 'sample.json', content: '{"sample":true}\n', contentType: 'application/json' }]);
  return { body: payload, headers };
}

export interface Slot {
  /** Property names from the top of the body or query down to the field. */
  path: string[];
  schema: JsonSchema;
  required: boolean;
}

/** Every property of an object schema, nested objects included (arrays are slots themselves). */
export function slots(schema: JsonSchema | undefined, prefix: string[] = []): Slot[] {
  if (!schema?.properties) return [];
  const required = new Set(schema.required ?? []);
  const out: Slot[] = [];
  for (const [name, prop] of Object.entries(schema.properties)) {
    const path = [...prefix, name];
    out.push({ path, schema: prop, required: required.has(name) });
    if (prop.type === 'object') out.push(...slots(prop, path));
  }
  return out;
}

/** Whether a slot takes free text (a plain or formatted string, not one of a few literals). */
export function isTextSlot(schema: JsonSchema): boolean {
  if (schema.type === 'string' && schema.const === undefined && !schema.enum) return true;
  return !!schema.anyOf?.some((s) => s.type === 'string' && s.const === undefined && !s.enum);
}

/** A copy of `obj` with the value at `path` replaced (or removed when `value` is REMOVE). */
export const REMOVE = Symbol('remove');
export function withValue<T>(obj: T, path: string[], value: unknown): T {
  const copy = structuredClone(obj) as Record<string, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === REMOVE) delete cur[last];
  else cur[last] = value;
  return copy as T;
}

/** Names of a route's path parameters, in order (`/a/:id/b` → ['id']). */
export function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]);
}

/** The URL with its path parameters filled in (values are URL-encoded). */
export function fillUrl(url: string, params: Record<string, string>): string {
  return url.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`fillUrl(): no value for :${name} in ${url}`);
    return encodeURIComponent(params[name]);
  });
}

/** `?a=1&b=x` from a flat object; arrays repeat the key. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) sp.append(k, typeof one === 'string' ? one : JSON.stringify(one));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** The resource a route's `:id` names: the path segment before it (`/api/v1/staff/:id/invitation` → 'staff'). */
export function resourceOf(url: string): string | null {
  const m = url.match(/\/([^/:]+)\/:id(?:\/|$)/);
  return m ? m[1] : null;
}

export function describeRoute(r: Route): string {
  return `${r.spec.method} ${r.spec.url}`;
}

export function schemaOf(s: unknown): JsonSchema | undefined {
  return s as JsonSchema | undefined;
}

/** Field names whose ids point at a resource other than the one the name spells. */
const ID_ALIASES: Record<string, string> = {
  parent: 'departments', lead: 'staff', member: 'staff', assignee: 'staff', actor: 'staff', user: 'staff', author: 'staff', type: 'ticket-types',
};

/**
 * An existing id for a uuid field, by the field's name: `roleId` → ids.roles, `departmentIds` → ids.departments,
 * `leadId` → ids.staff. `ids` maps a resource (the URL segment before `:id`) to existing ids, the preferred first.
 */
export function idForField(ids: Record<string, string[] | string>, key: string): string | undefined {
  const base = key.replace(/#\d+$/, '').replace(/Ids?$/, '');
  if (!base) return undefined;
  const kebab = base.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const plural = kebab.endsWith('y') ? `${kebab.slice(0, -1)}ies` : kebab.endsWith('s') ? kebab : `${kebab}s`;
  const suffix = Object.keys(ids).find((k) => k.endsWith(`-${plural}`)); // calendarId → business-calendars
  for (const kind of [ID_ALIASES[base], plural, kebab, suffix]) {
    const v = kind ? ids[kind] : undefined;
    if (v?.length) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
