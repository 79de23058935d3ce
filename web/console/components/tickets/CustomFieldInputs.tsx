import { Col, Divider, Form, Row } from 'antd';
import { useI18n } from '../../../shared/i18n.ts';
import type { CustomFieldValues } from '../../../shared/types.ts';
import { useTicketFields } from '../../hooks/useTicketFields.ts';
import { CustomFieldWidget, fieldLabel } from './CustomFieldWidget.tsx';

/** The values of a form's `customFields` that were filled in, as TicketCreate takes them (nothing when none). */
export function filledCustomFields(values: Record<string, string | number | null | undefined> | undefined): { customFields?: CustomFieldValues } {
  const filled = Object.entries(values ?? {}).filter((e): e is [string, string | number] => e[1] !== null && e[1] !== undefined && e[1] !== '');
  return filled.length ? { customFields: Object.fromEntries(filled) } : {};
}

/**
 * The company's active custom fields inside a ticket form (under `customFields.<key>`); required ones are
 * marked and asked for before sending. The server checks the values again and names what is wrong.
 */
export function CustomFieldInputs() {
  const { t, lang } = useI18n();
  const fields = useTicketFields();
  if (!fields.active.length) return null;
  return (
    <>
      <Divider titlePlacement="start" plain style={{ marginTop: 0 }}>{t('ticketFields.cardTitle')}</Divider>
      <Row gutter={16} data-testid="new-ticket-custom-fields">
        {fields.active.map((f) => (
          <Col span={12} key={f.key}>
            <Form.Item name={['customFields', f.key]} data-testid={`new-ticket-cf-item-${f.key}`}
              label={<span>{fieldLabel(f, lang)}{f.required ? <span style={{ color: '#ff4d4f', marginInlineStart: 4 }} data-testid={`new-ticket-cf-required-${f.key}`}>*</span> : null}</span>}
              rules={f.required ? [{ validator: async (_, v: unknown) => { if (v === null || v === undefined || (typeof v === 'string' && !v.trim())) throw new Error(t('ticketFields.requiredMessage', { label: fieldLabel(f, lang) })); } }] : []}>
              <CustomFieldWidget field={f} lang={lang} testId={`new-ticket-cf-${f.key}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
    </>
  );
}
