import { AppError, type LocalizedText } from '../../contracts/errors.ts';
import {
  FIELD_LIMITS, type CustomFieldValues, type CustomFieldsView, type FieldKind, type FieldValidation, type SelectOption,
} from '../../contracts/ticket-fields.ts';

/**
 * Pure rules for admin-defined ticket fields: is a field definition sound, and do the values written to a
 * ticket fit the company's fields? Errors name the field by its label in both languages, so the agent
 * reads "金额：不能大于 100" / "Amount: must be at most 100" in their own.
 */

export interface FieldDef {
  key: string; labelZh: string; labelEn: string; kind: FieldKind; required: boolean; active: boolean;
  options: SelectOption[]; validation: FieldValidation;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD, year 0001 on (2025-02-30 is not). */
export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it reads years 0-99 as 1900-1999
  return y >= 1 && at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

/** A key's own value: field keys such as "constructor" must not read Object.prototype. */
export const own = <T>(o: Record<string, T>, key: string): T | undefined => (Object.hasOwn(o, key) ? o[key] : undefined);

const invalid = (zh: string, en: string) => new AppError('validation', { zh, en });
const clip = (s: string) => ([...s].length > 40 ? `${[...s].slice(0, 40).join('')}…` : s);

const KIND_ZH: Record<FieldKind, string> = { text: '文本', number: '数字', select: '下拉', date: '日期' };

/** Which validation knobs each kind takes. */
const KNOBS: Record<FieldKind, ReadonlyArray<keyof FieldValidation>> = {
  text: ['maxLength'], number: ['min', 'max', 'integer'], select: [], date: ['min', 'max'],
};

/** Checks a definition's options and validation against its kind; throws a 400 saying what is wrong. */
export function checkFieldDefinition(kind: FieldKind, options: SelectOption[], validation: FieldValidation): void {
  if (kind === 'select') {
    if (!options.length) throw invalid('下拉字段至少需要一个选项', 'A select field needs at least one option');
    const seen = new Set<string>();
    for (const o of options) {
      if (!o.value.trim()) throw invalid('选项的值不能为空', 'Option values cannot be blank');
      if (seen.has(o.value)) throw invalid(`选项的值重复：${clip(o.value)}`, `Two options share the value "${clip(o.value)}"`);
      seen.add(o.value);
    }
  } else if (options.length) {
    throw invalid('只有下拉字段可以设置选项', 'Only select fields have options');
  }
  for (const knob of Object.keys(validation) as Array<keyof FieldValidation>) {
    if (validation[knob] !== undefined && !KNOBS[kind].includes(knob)) throw invalid(`${KIND_ZH[kind]}字段不支持 ${knob}`, `${knob} does not apply to ${kind} fields`);
  }
  const { min, max } = validation;
  if (kind === 'number') {
    if ((min !== undefined && typeof min !== 'number') || (max !== undefined && typeof max !== 'number')) throw invalid('数字字段的最小值和最大值应为数字', 'The min and max of a number field are numbers');
    if (validation.integer && ((min !== undefined && !Number.isInteger(min)) || (max !== undefined && !Number.isInteger(max)))) {
      throw invalid('整数字段的最小值和最大值应为整数', 'The min and max of a whole-number field are whole numbers');
    }
  }
  if (kind === 'date') {
    for (const b of [min, max]) {
      if (b !== undefined && (typeof b !== 'string' || !isDate(b))) throw invalid('日期字段的最早和最晚日期应为有效日期（YYYY-MM-DD）', 'The min and max of a date field are valid dates (YYYY-MM-DD)');
    }
  }
  if (min !== undefined && max !== undefined && min > max) throw invalid('最小值不能大于最大值', 'The minimum is above the maximum');
}

/** One value checked against its field: the normalized value, or null when it clears the field. */
function normalizeValue(f: FieldDef, raw: string | number | null, say: (zh: string, en: string) => AppError): string | number | null {
  if (raw === null) return null;
  const v = f.validation;
  switch (f.kind) {
    case 'text': {
      if (typeof raw !== 'string') throw say('应为文本', 'must be text');
      const text = raw.trim();
      if (!text) return null;
      const max = v.maxLength ?? FIELD_LIMITS.textMax;
      if ([...text].length > max) throw say(`不能超过 ${max} 个字符`, `must be at most ${max} characters`);
      return text;
    }
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw say('应为数字', 'must be a number');
      if (v.integer && !Number.isInteger(raw)) throw say('应为整数', 'must be a whole number');
      if (typeof v.min === 'number' && raw < v.min) throw say(`不能小于 ${v.min}`, `must be at least ${v.min}`);
      if (typeof v.max === 'number' && raw > v.max) throw say(`不能大于 ${v.max}`, `must be at most ${v.max}`);
      return raw === 0 ? 0 : raw; // -0 is stored as 0
    }
    case 'select': {
      if (typeof raw !== 'string') throw say('应为选项的值', 'must be one of the option values');
      if (!raw) return null;
      if (!f.options.some((o) => o.value === raw)) throw say(`"${clip(raw)}" 不是可选的选项`, `"${clip(raw)}" is not one of the options`);
      return raw;
    }
    case 'date': {
      if (typeof raw !== 'string') throw say('应为日期（YYYY-MM-DD）', 'must be a date (YYYY-MM-DD)');
      if (!raw) return null;
      if (!isDate(raw)) throw say('应为有效日期（YYYY-MM-DD）', 'must be a valid date (YYYY-MM-DD)');
      if (typeof v.min === 'string' && raw < v.min) throw say(`不能早于 ${v.min}`, `must be on or after ${v.min}`);
      if (typeof v.max === 'string' && raw > v.max) throw say(`不能晚于 ${v.max}`, `must be on or before ${v.max}`);
      return raw;
    }
  }
}

/**
 * The values a write carries, checked against the company's fields: each one normalized (text trimmed,
 * blank → null), null meaning "clear it". Unknown and retired fields are refused, a required field cannot
 * be cleared, and with `requireAll` (a ticket opened by hand) every active required field must be given.
 */
export function normalizeCustomFields(fields: readonly FieldDef[], values: CustomFieldValues, opts: { requireAll: boolean }): CustomFieldValues {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const out: CustomFieldValues = {};
  for (const [key, raw] of Object.entries(values)) {
    const f = byKey.get(key);
    if (!f) throw invalid(`${clip(key)}：没有这个字段`, `${clip(key)}: there is no such field`);
    const say = (zh: string, en: string) => invalid(`${f.labelZh}：${zh}`, `${f.labelEn}: ${en}`);
    if (!f.active) throw say('该字段已停用', 'this field is retired');
    const value = normalizeValue(f, raw, say);
    if (value === null && f.required) throw say('必填', 'is required');
    out[key] = value;
  }
  if (opts.requireAll) {
    for (const f of fields) {
      if (f.active && f.required && (own(out, f.key) ?? null) === null) throw invalid(`${f.labelZh}：必填`, `${f.labelEn}: is required`);
    }
  }
  return out;
}

/** Stored values after a write: null removes a key. Returns the new set and its [before, after] per key as `cf.<key>`. */
export function applyCustomFields(current: CustomFieldsView, normalized: CustomFieldValues): { next: CustomFieldsView; changes: Record<string, [unknown, unknown]> } {
  const next: CustomFieldsView = { ...current };
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [key, value] of Object.entries(normalized)) {
    const before = own(current, key) ?? null;
    if (value === null) delete next[key];
    else next[key] = value;
    if (before !== value) changes[`cf.${key}`] = [before, value];
  }
  return { next, changes };
}
