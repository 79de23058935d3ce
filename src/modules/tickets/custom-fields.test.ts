import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, type LocalizedText } from '../../contracts/errors.ts';
import type { CustomFieldValues, FieldValidation, SelectOption } from '../../contracts/ticket-fields.ts';
import { applyCustomFields, checkFieldDefinition, isDate, normalizeCustomFields, type FieldDef } from './custom-fields.ts';

const field = (f: Partial<FieldDef> & Pick<FieldDef, 'key' | 'kind'>): FieldDef => ({
  labelZh: f.key, labelEn: f.key, required: false, active: true, options: [], validation: {}, ...f,
});

const FIELDS: FieldDef[] = [
  field({ key: 'plan', labelZh: '套餐', labelEn: 'Plan', kind: 'select', options: [{ value: 'gold', labelZh: '金卡', labelEn: 'Gold' }, { value: 'silver', labelZh: '银卡', labelEn: 'Silver' }] }),
  field({ key: 'amount', labelZh: '金额', labelEn: 'Amount', kind: 'number', validation: { min: 0, max: 100 } }),
  field({ key: 'units', labelZh: '数量', labelEn: 'Units', kind: 'number', validation: { integer: true } }),
  field({ key: 'note', labelZh: '备注', labelEn: 'Note', kind: 'text', validation: { maxLength: 5 } }),
  field({ key: 'memo', labelZh: '说明', labelEn: 'Memo', kind: 'text' }),
  field({ key: 'visit', labelZh: '上门日期', labelEn: 'Visit date', kind: 'date', validation: { min: '2026-01-01', max: '2026-12-31' } }),
  field({ key: 'contract', labelZh: '合同号', labelEn: 'Contract', kind: 'text', required: true }),
  field({ key: 'legacy', labelZh: '旧字段', labelEn: 'Legacy', kind: 'text', active: false }),
  field({ key: 'old_required', labelZh: '旧必填', labelEn: 'Old required', kind: 'text', required: true, active: false }),
  field({ key: 'constructor', labelZh: '构造', labelEn: 'Constructor', kind: 'text' }),
];

/** The 400's text in both languages, or the normalized values. */
function run(values: CustomFieldValues, requireAll = false): CustomFieldValues | LocalizedText {
  try {
    return normalizeCustomFields(FIELDS, values, { requireAll });
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, 'validation');
    assert.equal(typeof err.detail, 'object');
    return err.detail as LocalizedText;
  }
}

const ok = (v: CustomFieldValues) => v;
const bad = (zh: string, en: string): LocalizedText => ({ zh, en });

describe('custom field values: checked against the company\'s fields', () => {
  const table: Array<[string, CustomFieldValues, boolean, CustomFieldValues | LocalizedText]> = [
    ['nothing written, nothing required', {}, false, ok({})],
    ['a select value that is an option', { plan: 'gold' }, false, ok({ plan: 'gold' })],
    ['a select value that is not an option', { plan: 'platinum' }, false, bad('套餐："platinum" 不是可选的选项', 'Plan: "platinum" is not one of the options')],
    ['an option label is not its value', { plan: 'Gold' }, false, bad('套餐："Gold" 不是可选的选项', 'Plan: "Gold" is not one of the options')],
    ['a select value of the wrong type', { plan: 1 }, false, bad('套餐：应为选项的值', 'Plan: must be one of the option values')],
    ['a number in range', { amount: 99.5 }, false, ok({ amount: 99.5 })],
    ['a number at both bounds', { amount: 0, units: -3 }, false, ok({ amount: 0, units: -3 })],
    ['a number above the maximum', { amount: 101 }, false, bad('金额：不能大于 100', 'Amount: must be at most 100')],
    ['a number below the minimum', { amount: -0.01 }, false, bad('金额：不能小于 0', 'Amount: must be at least 0')],
    ['a number as text', { amount: '5' }, false, bad('金额：应为数字', 'Amount: must be a number')],
    ['a fraction where whole numbers are asked', { units: 1.5 }, false, bad('数量：应为整数', 'Units: must be a whole number')],
    ['-0 is stored as 0', { amount: -0 }, false, ok({ amount: 0 })],
    ['text is trimmed', { note: '  上门  ' }, false, ok({ note: '上门' })],
    ['text at its limit, counted in characters not UTF-16 units', { note: '𠜎𠜎𠜎𠜎𠜎' }, false, ok({ note: '𠜎𠜎𠜎𠜎𠜎' })],
    ['text over its limit', { note: '123456' }, false, bad('备注：不能超过 5 个字符', 'Note: must be at most 5 characters')],
    ['text without a limit stops at 10,000 characters', { memo: 'x'.repeat(10_001) }, false, bad('说明：不能超过 10000 个字符', 'Memo: must be at most 10000 characters')],
    ['blank text clears the field', { memo: '   ' }, false, ok({ memo: null })],
    ['a number where text is asked', { memo: 42 }, false, bad('说明：应为文本', 'Memo: must be text')],
    ['a date in range', { visit: '2026-02-28' }, false, ok({ visit: '2026-02-28' })],
    ['a date that does not exist', { visit: '2026-02-30' }, false, bad('上门日期：应为有效日期（YYYY-MM-DD）', 'Visit date: must be a valid date (YYYY-MM-DD)')],
    ['a date in another format', { visit: '2026/03/01' }, false, bad('上门日期：应为有效日期（YYYY-MM-DD）', 'Visit date: must be a valid date (YYYY-MM-DD)')],
    ['a date before the earliest', { visit: '2025-12-31' }, false, bad('上门日期：不能早于 2026-01-01', 'Visit date: must be on or after 2026-01-01')],
    ['a date after the latest', { visit: '2027-01-01' }, false, bad('上门日期：不能晚于 2026-12-31', 'Visit date: must be on or before 2026-12-31')],
    ['null clears an optional field', { plan: null, amount: null, visit: null }, false, ok({ plan: null, amount: null, visit: null })],
    ['null cannot clear a required field', { contract: null }, false, bad('合同号：必填', 'Contract: is required')],
    ['blank text cannot clear a required field', { contract: ' ' }, false, bad('合同号：必填', 'Contract: is required')],
    ['an unknown key', { colour: 'red' }, false, bad('colour：没有这个字段', 'colour: there is no such field')],
    ['a key of Object.prototype that is not a field', { toString: 'x' }, false, bad('toString：没有这个字段', 'toString: there is no such field')],
    ['a field whose key is an Object.prototype name', { constructor: 'ok' }, false, ok({ constructor: 'ok' })],
    ['a retired field cannot be written', { legacy: 'x' }, false, bad('旧字段：该字段已停用', 'Legacy: this field is retired')],
    ['on create, a required field must be given', { plan: 'gold' }, true, bad('合同号：必填', 'Contract: is required')],
    ['on create, with the required field', { contract: 'HT-2026-001' }, true, ok({ contract: 'HT-2026-001' })],
    ['on create, a retired required field is not asked for', { contract: 'A1', memo: 'x' }, true, ok({ contract: 'A1', memo: 'x' })],
    ['on update, required fields left out stay as they are', { plan: 'silver' }, false, ok({ plan: 'silver' })],
  ];
  for (const [name, values, requireAll, expected] of table) it(name, () => assert.deepEqual(run(values, requireAll), expected));
});

describe('custom field values: stored and diffed', () => {
  const table: Array<[string, Record<string, string | number>, CustomFieldValues, Record<string, string | number>, Record<string, [unknown, unknown]>]> = [
    ['a new value', {}, { plan: 'gold' }, { plan: 'gold' }, { 'cf.plan': [null, 'gold'] }],
    ['a changed value', { plan: 'gold', amount: 5 }, { amount: 7 }, { plan: 'gold', amount: 7 }, { 'cf.amount': [5, 7] }],
    ['the same value is no change', { amount: 5 }, { amount: 5 }, { amount: 5 }, {}],
    ['null removes the key', { plan: 'gold', amount: 5 }, { plan: null }, { amount: 5 }, { 'cf.plan': ['gold', null] }],
    ['clearing what is not set is no change', {}, { plan: null }, {}, {}],
    ['a key named like Object.prototype starts empty', {}, { constructor: 'x' }, { constructor: 'x' }, { 'cf.constructor': [null, 'x'] }],
  ];
  for (const [name, current, written, next, changes] of table) {
    it(name, () => assert.deepEqual(applyCustomFields(current, written), { next, changes }));
  }
});

describe('custom field definitions', () => {
  const opts = (...values: string[]): SelectOption[] => values.map((value) => ({ value, labelZh: value, labelEn: value }));
  const table: Array<[string, FieldDef['kind'], SelectOption[], FieldValidation, string | null]> = [
    ['a plain text field', 'text', [], {}, null],
    ['text with a length limit', 'text', [], { maxLength: 200 }, null],
    ['a select with options', 'select', opts('a', 'b'), {}, null],
    ['a select without options', 'select', [], {}, 'A select field needs at least one option'],
    ['a select with a repeated value', 'select', opts('a', 'a'), {}, 'Two options share the value "a"'],
    ['a select with a blank value', 'select', opts(' '), {}, 'Option values cannot be blank'],
    ['options on a text field', 'text', opts('a'), {}, 'Only select fields have options'],
    ['a number range', 'number', [], { min: -5, max: 5, integer: true }, null],
    ['a number range upside down', 'number', [], { min: 5, max: -5 }, 'The minimum is above the maximum'],
    ['a number bound written as a date', 'number', [], { min: '2026-01-01' }, 'The min and max of a number field are numbers'],
    ['a fractional bound on a whole-number field', 'number', [], { max: 2.5, integer: true }, 'The min and max of a whole-number field are whole numbers'],
    ['maxLength on a number field', 'number', [], { maxLength: 3 }, 'maxLength does not apply to number fields'],
    ['min on a text field', 'text', [], { min: 1 }, 'min does not apply to text fields'],
    ['integer on a date field', 'date', [], { integer: true }, 'integer does not apply to date fields'],
    ['validation on a select field', 'select', opts('a'), { maxLength: 3 }, 'maxLength does not apply to select fields'],
    ['a date range', 'date', [], { min: '2026-01-01', max: '2026-12-31' }, null],
    ['a date range upside down', 'date', [], { min: '2026-12-31', max: '2026-01-01' }, 'The minimum is above the maximum'],
    ['a date bound that is not a date', 'date', [], { max: '2026-13-01' }, 'The min and max of a date field are valid dates (YYYY-MM-DD)'],
    ['a date bound written as a number', 'date', [], { min: 20260101 }, 'The min and max of a date field are valid dates (YYYY-MM-DD)'],
  ];
  for (const [name, kind, options, validation, error] of table) {
    it(name, () => {
      if (error === null) return assert.doesNotThrow(() => checkFieldDefinition(kind, options, validation));
      assert.throws(() => checkFieldDefinition(kind, options, validation), (e: unknown) => e instanceof AppError && e.code === 'validation' && e.message === error);
    });
  }

  it('isDate knows the calendar', () => {
    for (const [s, expected] of [['2024-02-29', true], ['2025-02-29', false], ['2026-04-31', false], ['2026-12-31', true], ['0000-01-01', false], ['0099-03-01', true], ['26-1-1', false], ['2026-01-01T00:00', false]] as const) {
      assert.equal(isDate(s), expected, s);
    }
  });
});
