import { DatePicker, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import type { Locale, TicketFieldView } from '../../../shared/types.ts';

export type CustomValue = string | number | null;

/** A field's label in the UI language. */
export const fieldLabel = (f: Pick<TicketFieldView, 'labelZh' | 'labelEn'>, lang: Locale) => (lang === 'en' ? f.labelEn : f.labelZh);

/** How a stored value reads: a select shows its option's label (or the raw value if the option is gone). */
export function fieldValueText(f: TicketFieldView | undefined, v: unknown, lang: Locale): string {
  if (v === null || v === undefined || v === '') return '';
  if (f?.kind === 'select') {
    const o = f.options.find((x) => x.value === v);
    if (o) return lang === 'en' ? o.labelEn : o.labelZh;
  }
  return String(v);
}

/**
 * The input for one custom field (Input, InputNumber, Select, DatePicker); values go in and out as the API
 * writes them (text, number, option value, YYYY-MM-DD; null when empty), so it works inside a Form.Item too.
 * Limits are left to the server, whose message names what is wrong.
 */
export function CustomFieldWidget({ field, value, onChange, onCommit, lang, testId, status, placeholder }: {
  field: TicketFieldView; value?: CustomValue; onChange?(v: CustomValue): void;
  /** Text and numbers: typing is done (blur or Enter). */
  onCommit?(): void;
  lang: Locale; testId: string; status?: 'error'; placeholder?: string;
}) {
  switch (field.kind) {
    case 'text':
      return <Input value={typeof value === 'string' ? value : value == null ? '' : String(value)} status={status} data-testid={testId} placeholder={placeholder}
        onChange={(e) => onChange?.(e.target.value === '' ? null : e.target.value)} onBlur={onCommit} onPressEnter={onCommit} />;
    case 'number':
      return <InputNumber<number> value={typeof value === 'number' ? value : null} status={status} data-testid={testId} placeholder={placeholder} style={{ width: '100%' }}
        onChange={(v) => onChange?.(typeof v === 'number' ? v : null)} onBlur={onCommit} onPressEnter={onCommit} />;
    case 'select':
      return <Select allowClear value={typeof value === 'string' ? value : undefined} status={status} data-testid={testId} placeholder={placeholder} style={{ width: '100%' }}
        onChange={(v: string | undefined) => onChange?.(v ?? null)}
        options={field.options.map((o) => ({ value: o.value, label: lang === 'en' ? o.labelEn : o.labelZh }))} />;
    case 'date':
      return <DatePicker value={typeof value === 'string' && value ? dayjs(value) : null} status={status} data-testid={testId} placeholder={placeholder} style={{ width: '100%' }}
        format="YYYY-MM-DD" onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : null)} />;
  }
}
