import { DeleteOutlined, EditOutlined, PlusOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import {
  Button, Card, Col, DatePicker, Flex, Form, Input, InputNumber, Modal, Row, Select, Space, Switch, Table, Tag, Typography, type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { FIELD_KINDS, FIELD_LIMITS } from '../../../src/contracts/ticket-field-limits.ts';
import { ticketFieldsApi } from '../../shared/endpoints.ts';
import { useI18n, type Translate } from '../../shared/i18n.ts';
import type { FieldKind, FieldValidation, SelectOption, TicketFieldView } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { fieldLabel } from '../components/tickets/CustomFieldWidget.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useTicketFields } from '../hooks/useTicketFields.ts';

interface Values {
  key: string; labelZh: string; labelEn: string; kind: FieldKind; required: boolean; sortOrder: number; active: boolean;
  options: SelectOption[]; maxLength?: number | null; minNumber?: number | null; maxNumber?: number | null; integer?: boolean;
  minDate?: string | null; maxDate?: string | null;
}

const KEY_RULE = new RegExp(`^[a-z][a-z0-9_]{0,${FIELD_LIMITS.keyMax - 1}}$`);
const given = <T,>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** The validation knobs of the form, as the API stores them for this kind. */
function validationOf(v: Values): FieldValidation {
  switch (v.kind) {
    case 'text': return given(v.maxLength) ? { maxLength: v.maxLength } : {};
    case 'number': return { ...(given(v.minNumber) ? { min: v.minNumber } : {}), ...(given(v.maxNumber) ? { max: v.maxNumber } : {}), ...(v.integer ? { integer: true } : {}) };
    case 'date': return { ...(v.minDate ? { min: v.minDate } : {}), ...(v.maxDate ? { max: v.maxDate } : {}) };
    case 'select': return {};
  }
}

/** "0 – 5000, whole numbers", "≤ 200 characters", "3 options" … */
function rulesText(f: TicketFieldView, t: Translate, lang: 'zh-CN' | 'en'): string {
  const v = f.validation;
  const parts: string[] = [];
  if (f.kind === 'select') parts.push(f.options.map((o) => (lang === 'en' ? o.labelEn : o.labelZh)).join(' / '));
  if (f.kind === 'text' && v.maxLength) parts.push(t('ticketFields.maxLengthText', { n: v.maxLength }));
  if (f.kind === 'number' || f.kind === 'date') {
    if (v.min !== undefined || v.max !== undefined) parts.push(`${v.min ?? '…'} – ${v.max ?? '…'}`);
    if (v.integer) parts.push(t('ticketFields.integer'));
  }
  return parts.join('；');
}

function DateText({ value, onChange, testId }: { value?: string | null; onChange?(v: string | null): void; testId: string }) {
  return <DatePicker style={{ width: '100%' }} data-testid={testId} format="YYYY-MM-DD" value={value ? dayjs(value) : null} onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : null)} />;
}

/** Custom ticket fields: add, relabel, edit options and validation, mark required, reorder, retire. */
export function TicketFieldsPage() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const fields = useTicketFields();
  const [editing, setEditing] = useState<TicketFieldView | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (editing === 'new') {
      form.resetFields();
      form.setFieldsValue({ key: '', labelZh: '', labelEn: '', kind: 'text', required: false, sortOrder: (fields.all.at(-1)?.sortOrder ?? 0) + 10, active: true, options: [] });
    } else if (editing) {
      const v = editing.validation;
      form.resetFields();
      form.setFieldsValue({
        key: editing.key, labelZh: editing.labelZh, labelEn: editing.labelEn, kind: editing.kind, required: editing.required, sortOrder: editing.sortOrder,
        active: editing.active, options: editing.options, maxLength: v.maxLength ?? null, integer: !!v.integer,
        minNumber: typeof v.min === 'number' ? v.min : null, maxNumber: typeof v.max === 'number' ? v.max : null,
        minDate: typeof v.min === 'string' ? v.min : null, maxDate: typeof v.max === 'string' ? v.max : null,
      });
    }
  }, [editing, form, fields.all]);

  const save = async () => {
    const v = await form.validateFields();
    const options = v.kind === 'select' ? (v.options ?? []).map((o) => ({ value: o.value.trim(), labelZh: o.labelZh, labelEn: o.labelEn })) : [];
    setBusy(true);
    try {
      if (editing === 'new') {
        await ticketFieldsApi.create({
          key: v.key, labelZh: v.labelZh, labelEn: v.labelEn, kind: v.kind, required: v.required, sortOrder: v.sortOrder, active: v.active,
          ...(v.kind === 'select' ? { options } : {}), validation: validationOf(v),
        });
      } else if (editing) {
        await ticketFieldsApi.update(editing.id, {
          labelZh: v.labelZh, labelEn: v.labelEn, required: v.required, sortOrder: v.sortOrder, active: v.active,
          ...(editing.kind === 'select' ? { options } : {}), validation: validationOf({ ...v, kind: editing.kind }),
        });
      }
      feedback.ok(t('common.saved'));
      setEditing(null);
      await fields.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };

  const toggle = async (f: TicketFieldView) => {
    try {
      await ticketFieldsApi.update(f.id, { active: !f.active });
      feedback.ok(f.active ? t('ticketFields.retiredDone') : t('ticketFields.restoredDone'));
      await fields.reload();
    } catch (err) { feedback.fail(err); }
  };

  const columns: TableColumnsType<TicketFieldView> = [
    { title: t('ticketFields.label'), key: 'label', render: (_, r) => <Flex vertical><Typography.Text strong>{fieldLabel(r, lang)}</Typography.Text><Typography.Text type="secondary" style={{ fontSize: 12 }}>{lang === 'en' ? r.labelZh : r.labelEn}</Typography.Text></Flex> },
    { title: t('ticketFields.key'), key: 'key', render: (_, r) => <Typography.Text code>{r.key}</Typography.Text> },
    { title: t('ticketFields.kind'), key: 'kind', width: 100, render: (_, r) => <Tag bordered={false}>{t(`fieldKind.${r.kind}`)}</Tag> },
    { title: t('ticketFields.rules'), key: 'rules', render: (_, r) => <Typography.Text type="secondary" ellipsis style={{ maxWidth: 280 }}>{rulesText(r, t, lang)}</Typography.Text> },
    { title: t('ticketFields.required'), key: 'required', width: 80, render: (_, r) => (r.required ? <Tag color="red" bordered={false}>{t('ticketFields.requiredYes')}</Tag> : null) },
    { title: t('field.sortOrder'), key: 'sort', width: 80, render: (_, r) => r.sortOrder },
    { title: t('field.status'), key: 'active', width: 90, render: (_, r) => (r.active ? <Tag color="green" bordered={false}>{t('ticketType.active')}</Tag> : <Tag bordered={false}>{t('ticketType.retired')}</Tag>) },
    {
      title: t('common.actions'), key: 'ops', width: 180, align: 'right', render: (_, r) => (
        <Space size={0}>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`field-edit-${r.key}`}>{t('common.edit')}</Button>
          <Button size="small" type="text" icon={r.active ? <StopOutlined /> : <UndoOutlined />} onClick={() => void toggle(r)} data-testid={`field-toggle-${r.key}`}>
            {r.active ? t('ticketFields.retire') : t('ticketFields.restore')}
          </Button>
        </Space>
      ),
    },
  ];

  const isNew = editing === 'new';
  return (
    <div>
      <PageHeader title={t('nav.ticketFields')} subtitle={t('ticketFields.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="field-create">{t('ticketFields.create')}</Button>} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<TicketFieldView> rowKey="id" columns={columns} dataSource={fields.all} loading={fields.loading && !fields.all.length} pagination={false} data-testid="fields-table"
          onRow={(r) => ({ 'data-testid': `field-row-${r.key}` }) as React.HTMLAttributes<HTMLElement>} locale={{ emptyText: t('ticketFields.empty') }} />
      </Card>
      <Modal open={!!editing} title={isNew ? t('ticketFields.create') : t('ticketFields.editTitle', { label: editing ? fieldLabel(editing, lang) : '' })} onCancel={() => setEditing(null)}
        onOk={() => void save()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} forceRender destroyOnHidden width={680}
        okButtonProps={{ 'data-testid': 'field-save' }}>
        <Form form={form} layout="vertical" requiredMark={false}>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="labelZh" label={t('ticketFields.labelZh')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}><Input data-testid="field-label-zh" /></Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="labelEn" label={t('ticketFields.labelEn')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}><Input data-testid="field-label-en" /></Form.Item>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="key" label={t('ticketFields.key')} extra={t('ticketFields.keyHelp')} rules={[{ required: true, pattern: KEY_RULE, message: t('ticketFields.keyHelp') }]}>
                <Input disabled={!isNew} data-testid="field-key" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="kind" label={t('ticketFields.kind')} extra={isNew ? t('ticketFields.kindHelp') : undefined}>
                <Select disabled={!isNew} data-testid="field-kind" options={FIELD_KINDS.map((k) => ({ value: k, label: t(`fieldKind.${k}`) }))} />
              </Form.Item>
            </Col>
          </Row>

          {kind === 'text' ? (
            <Form.Item name="maxLength" label={t('ticketFields.maxLength')} extra={t('ticketFields.maxLengthHelp', { n: FIELD_LIMITS.textMax })}>
              <InputNumber min={1} max={FIELD_LIMITS.textMax} precision={0} style={{ width: 200 }} data-testid="field-maxlength" />
            </Form.Item>
          ) : null}
          {kind === 'number' ? (
            <Row gutter={16}>
              <Col span={8}><Form.Item name="minNumber" label={t('ticketFields.min')}><InputNumber style={{ width: '100%' }} data-testid="field-min" /></Form.Item></Col>
              <Col span={8}><Form.Item name="maxNumber" label={t('ticketFields.max')}><InputNumber style={{ width: '100%' }} data-testid="field-max" /></Form.Item></Col>
              <Col span={8}><Form.Item name="integer" label={t('ticketFields.integer')} valuePropName="checked"><Switch data-testid="field-integer" /></Form.Item></Col>
            </Row>
          ) : null}
          {kind === 'date' ? (
            <Row gutter={16}>
              <Col span={12}><Form.Item name="minDate" label={t('ticketFields.minDate')}><DateText testId="field-min-date" /></Form.Item></Col>
              <Col span={12}><Form.Item name="maxDate" label={t('ticketFields.maxDate')}><DateText testId="field-max-date" /></Form.Item></Col>
            </Row>
          ) : null}
          {kind === 'select' ? (
            <Form.Item label={t('ticketFields.options')} required>
              <Form.List name="options" rules={[{ validator: async (_, v: unknown[] | undefined) => { if (!v?.length) throw new Error(t('ticketFields.optionsRequired')); } }]}>
                {(items, { add, remove }, { errors }) => (
                  <Flex vertical gap={8}>
                    {items.map((item, i) => (
                      <Flex key={item.key} gap={8} align="flex-start">
                        <Form.Item name={[item.name, 'value']} style={{ marginBottom: 0, flex: 1 }} rules={[{ required: true, whitespace: true, max: FIELD_LIMITS.optionValueMax, message: t('ticketFields.optionValueRule') }]}>
                          <Input placeholder={t('ticketFields.optionValue')} data-testid={`field-option-value-${i}`} />
                        </Form.Item>
                        <Form.Item name={[item.name, 'labelZh']} style={{ marginBottom: 0, flex: 1 }} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
                          <Input placeholder={t('ticketFields.labelZh')} data-testid={`field-option-zh-${i}`} />
                        </Form.Item>
                        <Form.Item name={[item.name, 'labelEn']} style={{ marginBottom: 0, flex: 1 }} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
                          <Input placeholder={t('ticketFields.labelEn')} data-testid={`field-option-en-${i}`} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(item.name)} aria-label={t('common.delete')} data-testid={`field-option-remove-${i}`} />
                      </Flex>
                    ))}
                    <Button type="dashed" icon={<PlusOutlined />} disabled={items.length >= FIELD_LIMITS.optionsMax} onClick={() => add({ value: '', labelZh: '', labelEn: '' })} data-testid="field-option-add">
                      {t('ticketFields.addOption')}
                    </Button>
                    <Form.ErrorList errors={errors} />
                  </Flex>
                )}
              </Form.List>
            </Form.Item>
          ) : null}

          <Row gutter={16}>
            <Col span={8}><Form.Item name="required" label={t('ticketFields.required')} valuePropName="checked" extra={t('ticketFields.requiredHelp')}><Switch data-testid="field-required" /></Form.Item></Col>
            <Col span={8}><Form.Item name="sortOrder" label={t('field.sortOrder')}><InputNumber min={-1000} max={1000} precision={0} data-testid="field-sort" /></Form.Item></Col>
            <Col span={8}><Form.Item name="active" label={t('ticketType.active')} valuePropName="checked" extra={t('ticketFields.activeHelp')}><Switch data-testid="field-active" /></Form.Item></Col>
          </Row>
        </Form>
      </Modal>
    </div>
  );
}
