import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, InputNumber, Modal, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { ticketsApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { TicketTypeView } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useTicketTypes } from '../hooks/useTicketTypes.ts';

type Values = { key: string; nameZh: string; nameEn: string; sortOrder: number; active: boolean };

/** Ticket types (咨询, 投诉, 故障申告 …): add, rename, reorder, retire. */
export function TicketTypesPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const types = useTicketTypes();
  const [editing, setEditing] = useState<TicketTypeView | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (editing === 'new') form.setFieldsValue({ key: '', nameZh: '', nameEn: '', sortOrder: (types.all.at(-1)?.sortOrder ?? 0) + 10, active: true });
    else if (editing) form.setFieldsValue(editing);
  }, [editing, form, types.all]);

  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      if (editing === 'new') await ticketsApi.createType(v);
      else if (editing) await ticketsApi.updateType(editing.id, { nameZh: v.nameZh, nameEn: v.nameEn, sortOrder: v.sortOrder, active: v.active });
      feedback.ok(t('common.saved'));
      setEditing(null);
      await types.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };

  const columns: TableColumnsType<TicketTypeView> = [
    { title: t('ticketType.nameZh'), key: 'zh', render: (_, r) => <Typography.Text strong>{r.nameZh}</Typography.Text> },
    { title: t('ticketType.nameEn'), key: 'en', render: (_, r) => r.nameEn },
    { title: t('ticketType.key'), key: 'key', render: (_, r) => <Typography.Text code>{r.key}</Typography.Text> },
    { title: t('field.sortOrder'), key: 'sort', width: 90, render: (_, r) => r.sortOrder },
    { title: t('field.status'), key: 'active', width: 100, render: (_, r) => (r.active ? <Tag color="green" bordered={false}>{t('ticketType.active')}</Tag> : <Tag bordered={false}>{t('ticketType.retired')}</Tag>) },
    { title: t('common.actions'), key: 'ops', width: 100, align: 'right', render: (_, r) => <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`type-edit-${r.key}`}>{t('common.edit')}</Button> },
  ];

  return (
    <div>
      <PageHeader title={t('nav.ticketTypes')} subtitle={t('ticketType.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="type-create">{t('ticketType.create')}</Button>} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<TicketTypeView> rowKey="id" columns={columns} dataSource={types.all} pagination={false} data-testid="types-table" />
      </Card>
      <Modal open={!!editing} title={editing === 'new' ? t('ticketType.create') : t('common.edit')} onCancel={() => setEditing(null)} onOk={() => void save()}
        confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} forceRender destroyOnHidden okButtonProps={{ 'data-testid': 'type-save' }}>
        <Form form={form} layout="vertical" requiredMark={false}>
          <Form.Item name="key" label={t('ticketType.key')} extra={t('ticketType.keyHelp')} rules={[{ required: true, pattern: /^[a-z0-9_]{1,40}$/, message: t('ticketType.keyHelp') }]}>
            <Input disabled={editing !== 'new'} data-testid="type-key" />
          </Form.Item>
          <Form.Item name="nameZh" label={t('ticketType.nameZh')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}><Input data-testid="type-name-zh" /></Form.Item>
          <Form.Item name="nameEn" label={t('ticketType.nameEn')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}><Input data-testid="type-name-en" /></Form.Item>
          <Form.Item name="sortOrder" label={t('field.sortOrder')}><InputNumber min={-1000} max={1000} /></Form.Item>
          <Form.Item name="active" label={t('ticketType.active')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
