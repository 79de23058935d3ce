/**
 * Automation conditions as pure functions: does this rule match these ticket facts?
 * Keywords match Chinese by substring and English by whole word, after NFKC folding
 * (full-width letters and digits become half-width) and lower-casing. `cf.<key>` reads a custom field.
 */
export type ConditionField = 'subject' | 'body' | 'text' | 'channel' | 'priority' | 'status' | 'type' | 'department' | 'tags' | 'customer_email' | 'hours_since_update' | `cf.${string}`;
export type Operator = 'contains_any' | 'contains_all' | 'not_contains' | 'equals' | 'not_equals' | 'in' | 'gte' | 'lte';
export interface Condition { field: ConditionField; op: Operator; value: string | number | string[] }
export interface ConditionSet { all?: Condition[]; any?: Condition[] }

export interface TicketFacts {
  subject: string; body: string; channel: string; priority: string; status: string; type: string | null;
  department: string | null; tags: string[]; customer_email: string | null; hours_since_update: number;
  /** The ticket's custom field values by key (a field without a value is absent). */
  custom: Record<string, string | number>;
}

export const fold = (s: string) => s.normalize('NFKC').toLowerCase();
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

export function containsKeyword(text: string, keyword: string): boolean {
  const t = fold(text);
  const k = fold(keyword).trim();
  if (!k) return false;
  if (CJK.test(k)) return t.includes(k);
  // English words stand alone: next to a Chinese character counts as a boundary ("VPN不能连接").
  const escaped = k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{Script=Latin}\\p{N}])${escaped}($|[^\\p{Script=Latin}\\p{N}])`, 'u').test(t);
}

const list = (v: Condition['value']) => (Array.isArray(v) ? v : [String(v)]);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** gte/lte: dates (YYYY-MM-DD) compare as dates, everything else as numbers; an empty value matches neither. */
function compare(raw: unknown, value: Condition['value']): number | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (typeof raw === 'string' && DAY.test(raw) && DAY.test(String(value))) return raw.localeCompare(String(value));
  const a = Number(raw);
  const b = Number(value);
  return Number.isNaN(a) || Number.isNaN(b) ? null : a - b;
}

function factOf(field: ConditionField, f: TicketFacts): string | number | string[] | null {
  if (field === 'text') return `${f.subject}\n${f.body}`;
  if (field.startsWith('cf.')) {
    const key = field.slice(3);
    return Object.hasOwn(f.custom, key) ? f.custom[key] : null;
  }
  return f[field as Exclude<ConditionField, 'text' | `cf.${string}`>];
}

export function evaluateCondition(c: Condition, f: TicketFacts): boolean {
  const raw = factOf(c.field, f);
  switch (c.op) {
    case 'contains_any': return typeof raw === 'string' ? list(c.value).some((k) => containsKeyword(raw, k)) : Array.isArray(raw) && list(c.value).some((k) => raw.includes(k));
    case 'contains_all': return typeof raw === 'string' ? list(c.value).every((k) => containsKeyword(raw, k)) : Array.isArray(raw) && list(c.value).every((k) => raw.includes(k));
    case 'not_contains': return typeof raw === 'string' ? !list(c.value).some((k) => containsKeyword(raw, k)) : !(Array.isArray(raw) && list(c.value).some((k) => raw.includes(k)));
    case 'equals': return String(raw ?? '') === String(c.value);
    case 'not_equals': return String(raw ?? '') !== String(c.value);
    case 'in': return list(c.value).includes(String(raw ?? ''));
    case 'gte': { const d = compare(raw, c.value); return d !== null && d >= 0; }
    case 'lte': { const d = compare(raw, c.value); return d !== null && d <= 0; }
  }
}

/** All of `all` and at least one of `any` (when given). An empty set matches everything. */
export function evaluateConditions(set: ConditionSet, f: TicketFacts): boolean {
  const all = set.all ?? [];
  const any = set.any ?? [];
  return all.every((c) => evaluateCondition(c, f)) && (!any.length || any.some((c) => evaluateCondition(c, f)));
}
