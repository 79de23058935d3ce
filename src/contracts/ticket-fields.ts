import { Type, type Static } from 'typebox';
import { Name, Timestamp, Uuid, listOf, oneOf } from './common.ts';
import { FIELD_KINDS, FIELD_LIMITS } from './ticket-field-limits.ts';

/**
 * Admin-defined ticket fields (text, number, select, date) and the values tickets hold for them.
 * Validation is a fixed set of knobs per kind: no user-supplied regular expressions (one bad pattern
 * could pin a CPU on every ticket write).
 */

export { FIELD_KINDS, FIELD_LIMITS } from './ticket-field-limits.ts';
export const FieldKind = oneOf(FIELD_KINDS);
export type FieldKind = (typeof FIELD_KINDS)[number];

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const DateText = Type.String({ pattern: DATE_PATTERN, description: 'A calendar date, YYYY-MM-DD' });

export const FieldKey = Type.String({ minLength: 1, maxLength: FIELD_LIMITS.keyMax, pattern: FIELD_LIMITS.keyPattern, description: 'Lower-case letters, digits and _, starting with a letter; fixed once created' });

export const SelectOption = Type.Object({
  value: Type.String({ minLength: 1, maxLength: FIELD_LIMITS.optionValueMax }),
  labelZh: Name,
  labelEn: Name,
}, { additionalProperties: false });
export type SelectOption = Static<typeof SelectOption>;

const Bound = Type.Union([Type.Number(), DateText], { description: 'A number (number fields) or YYYY-MM-DD (date fields)' });
/** Which knobs apply depends on the kind: text maxLength; number min, max, integer; date min, max. */
export const FieldValidation = Type.Object({
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: FIELD_LIMITS.textMax })),
  min: Type.Optional(Bound),
  max: Type.Optional(Bound),
  integer: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type FieldValidation = Static<typeof FieldValidation>;

const SortOrder = Type.Integer({ minimum: -1000, maximum: 1000 });
const Options = Type.Array(SelectOption, { maxItems: FIELD_LIMITS.optionsMax, description: 'Select fields only: 1 to 200 options with distinct values' });

export const TicketFieldView = Type.Object({
  id: Uuid, key: Type.String(), labelZh: Type.String(), labelEn: Type.String(), kind: FieldKind, required: Type.Boolean(),
  options: Type.Array(SelectOption), validation: FieldValidation, sortOrder: Type.Integer(), active: Type.Boolean(), createdAt: Timestamp,
});
export type TicketFieldView = Static<typeof TicketFieldView>;
export const TicketFieldList = listOf(TicketFieldView);

export const TicketFieldInput = Type.Object({
  key: FieldKey, labelZh: Name, labelEn: Name, kind: FieldKind,
  required: Type.Optional(Type.Boolean()), options: Type.Optional(Options), validation: Type.Optional(FieldValidation),
  sortOrder: Type.Optional(SortOrder), active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type TicketFieldInput = Static<typeof TicketFieldInput>;

/**
 * The key never changes; neither does the kind (stored values would stop fitting it). `kind` is accepted
 * only so a client that sends the whole field back gets a clear answer when it differs.
 */
export const TicketFieldPatch = Type.Object({
  labelZh: Type.Optional(Name), labelEn: Type.Optional(Name), kind: Type.Optional(FieldKind),
  required: Type.Optional(Type.Boolean()), options: Type.Optional(Options), validation: Type.Optional(FieldValidation),
  sortOrder: Type.Optional(SortOrder), active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });
export type TicketFieldPatch = Static<typeof TicketFieldPatch>;

/**
 * One value as written: text, select value or YYYY-MM-DD as a string, a number as a number, null to clear.
 * A type list, not anyOf: ajv's type coercion would turn a number into a string in an anyOf's first branch.
 */
const CustomFieldValue = Type.Unsafe<string | number | null>({ type: ['string', 'number', 'null'] });
export const CustomFieldValues = Type.Record(Type.String(), CustomFieldValue, {
  maxProperties: FIELD_LIMITS.valuesMax, description: 'Values of the company\'s ticket fields by key; null clears one',
});
export type CustomFieldValues = Record<string, string | number | null>;

/** Stored values as tickets show them (a cleared field is absent). */
export const CustomFieldsView = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]));
export type CustomFieldsView = Record<string, string | number>;
