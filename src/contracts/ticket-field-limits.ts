/**
 * Limits of custom ticket fields, written once for the server's schemas and the console's forms
 * (no TypeBox here, so the console can import it without bundling the schema library).
 */
export const FIELD_KINDS = ['text', 'number', 'select', 'date'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const FIELD_LIMITS = {
  keyPattern: '^[a-z][a-z0-9_]*$',
  keyMax: 40,
  /** The longest text value, and the largest maxLength an admin may set. */
  textMax: 10_000,
  optionsMax: 200,
  optionValueMax: 100,
  /** How many values one write may carry, and so how many fields may be active at once. */
  valuesMax: 100,
} as const;
