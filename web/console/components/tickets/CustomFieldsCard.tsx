import { Card, Form, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ticketsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { TicketFieldView, TicketView } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { CustomFieldWidget, fieldLabel, fieldValueText, type CustomValue } from './CustomFieldWidget.tsx';

function without<T>(o: Record<string, T>, key: string): Record<string, T> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}

/**
 * The ticket's custom fields in the sidebar: each active field with its widget, saved on its own through
 * PATCH (selects and dates on change, text and numbers on blur or Enter). A refused value stays in the box
 * with the server's message under it. Retired fields with a stored value are shown read-only.
 */
export function CustomFieldsCard({ ticket, fields, onSaved }: { ticket: TicketView; fields: TicketFieldView[]; onSaved(): Promise<void> | void }) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  // What the agent typed but has not saved yet, and the server's answer when a save was refused.
  const drafts = useRef<Record<string, CustomValue>>({});
  const [, rerender] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState<string | null>(null);
  // The value last refused per field: blurring after Enter does not send it a second time.
  const refused = useRef<Record<string, CustomValue>>({});

  useEffect(() => { drafts.current = {}; refused.current = {}; setErrors({}); }, [ticket.id]);

  const stored = (key: string): CustomValue => (Object.hasOwn(ticket.customFields, key) ? ticket.customFields[key]! : null);
  const shown = (key: string): CustomValue => (Object.hasOwn(drafts.current, key) ? drafts.current[key]! : stored(key));
  const setDraft = (key: string, v: CustomValue) => { drafts.current = { ...drafts.current, [key]: v }; rerender((n) => n + 1); };

  const settle = (key: string) => {
    drafts.current = without(drafts.current, key);
    refused.current = without(refused.current, key);
    setErrors((e) => without(e, key));
  };

  const save = async (f: TicketFieldView, value: CustomValue) => {
    if (value === stored(f.key)) { settle(f.key); return; }
    setSaving(f.key);
    try {
      await ticketsApi.update(ticket.id, { customFields: { [f.key]: value } });
      await onSaved(); // the draft stays on screen until the saved ticket replaces it
      settle(f.key);
      feedback.ok(t('common.saved'));
    } catch (err) {
      refused.current = { ...refused.current, [f.key]: value };
      setErrors((e) => ({ ...e, [f.key]: err instanceof Error ? err.message : String(err) }));
    } finally {
      setSaving(null);
    }
  };

  const active = fields.filter((f) => f.active);
  const retired = fields.filter((f) => !f.active && stored(f.key) !== null);
  if (!active.length && !retired.length) return null;

  return (
    <Card title={t('ticketFields.cardTitle')} size="small" style={{ marginBottom: 16 }} data-testid="custom-fields">
      <Form layout="vertical" requiredMark={false} style={{ marginBottom: -12 }}>
        {active.map((f) => (
          <Form.Item key={f.key} data-testid={`cf-item-${f.key}`}
            label={<span>{fieldLabel(f, lang)}{f.required ? <span style={{ color: '#ff4d4f', marginInlineStart: 4 }}>*</span> : null}</span>}
            validateStatus={errors[f.key] ? 'error' : saving === f.key ? 'validating' : undefined}
            help={errors[f.key] ? <span data-testid={`cf-error-${f.key}`}>{errors[f.key]}</span> : undefined}>
            <CustomFieldWidget field={f} lang={lang} testId={`cf-${f.key}`} status={errors[f.key] ? 'error' : undefined} value={shown(f.key)}
              onChange={(v) => {
                setDraft(f.key, v);
                if (f.kind === 'select' || f.kind === 'date') void save(f, v);
              }}
              onCommit={() => {
                if (!Object.hasOwn(drafts.current, f.key)) return;
                const v = drafts.current[f.key]!;
                if (Object.hasOwn(refused.current, f.key) && refused.current[f.key] === v) return;
                void save(f, v);
              }} />
          </Form.Item>
        ))}
        {retired.map((f) => (
          <Form.Item key={f.key} label={<span>{fieldLabel(f, lang)} <Tag bordered={false}>{t('ticketFields.retired')}</Tag></span>} data-testid={`cf-retired-${f.key}`}>
            <Typography.Text>{fieldValueText(f, stored(f.key), lang)}</Typography.Text>
          </Form.Item>
        ))}
      </Form>
    </Card>
  );
}
