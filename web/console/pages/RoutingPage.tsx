import { EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, InputNumber, Modal, Radio, Select, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { assignmentApi, departmentsApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { AssignmentMode, AssignmentSettingsInput, AssignmentSettingsView, DepartmentView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';

const MODES: AssignmentMode[] = ['manual', 'round_robin', 'least_loaded', 'skills'];
type Row = DepartmentView & { settings: AssignmentSettingsView };
type Values = { mode: AssignmentMode; sticky: boolean; deferOutsideHours: boolean; calendarId?: string | null; reassign: boolean; reassignAfterMinutes?: number | null };

/** 分配规则: how each department's new tickets find an agent. */
export function RoutingPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const rows = useRemote(async () => {
    const departments = (await departmentsApi.list()).items;
    return Promise.all(departments.map(async (d) => ({ ...d, settings: await assignmentApi.get(d.id) })));
  }, []);
  const calendars = useRemote(() => assignmentApi.calendars(), []);
  useLiveEvents(['department.changed'], () => { void rows.reload(); });
  const [editing, setEditing] = useState<Row | null>(null);
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const defer = Form.useWatch('deferOutsideHours', form);
  const reassign = Form.useWatch('reassign', form);

  useEffect(() => {
    if (editing) {
      const s = editing.settings;
      form.setFieldsValue({ mode: s.mode, sticky: s.sticky, deferOutsideHours: s.deferOutsideHours, calendarId: s.calendarId, reassign: s.reassignAfterMinutes !== null, reassignAfterMinutes: s.reassignAfterMinutes ?? 30 });
    }
  }, [editing, form]);

  const calendarName = (id: string | null) => calendars.data?.items.find((c) => c.id === id)?.name ?? '—';

  const save = async () => {
    if (!editing) return;
    const v = await form.validateFields();
    const input: AssignmentSettingsInput = {
      mode: v.mode, sticky: v.sticky, deferOutsideHours: v.deferOutsideHours, calendarId: v.calendarId ?? null,
      reassignAfterMinutes: v.reassign ? v.reassignAfterMinutes ?? 30 : null,
    };
    setBusy(true);
    try {
      await assignmentApi.set(editing.id, input);
      feedback.ok(t('common.saved'));
      setEditing(null);
      await rows.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };

  const columns: TableColumnsType<Row> = [
    { title: t('ticket.department'), key: 'name', render: (_, r) => <Typography.Text strong>{r.name}</Typography.Text> },
    { title: t('routing.mode'), key: 'mode', render: (_, r) => <Tag color={r.settings.mode === 'manual' ? 'default' : 'blue'} bordered={false} data-testid={`routing-mode-${r.name}`}>{t(`assignmentMode.${r.settings.mode}`)}</Tag> },
    { title: t('routing.sticky'), key: 'sticky', render: (_, r) => (r.settings.sticky ? t('routing.yes') : t('routing.no')) },
    { title: t('routing.businessHours'), key: 'hours', render: (_, r) => (r.settings.deferOutsideHours ? t('routing.deferWith', { calendar: calendarName(r.settings.calendarId) }) : t('routing.always')) },
    { title: t('routing.reassign'), key: 'reassign', render: (_, r) => (r.settings.reassignAfterMinutes ? t('routing.reassignAfter', { n: r.settings.reassignAfterMinutes }) : t('routing.no')) },
    { title: t('common.actions'), key: 'ops', width: 100, align: 'right', render: (_, r) => <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`routing-edit-${r.name}`}>{t('common.edit')}</Button> },
  ];

  return (
    <div>
      <PageHeader title={t('nav.routing')} subtitle={t('routing.subtitle')} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<Row> rowKey="id" columns={columns} dataSource={rows.data ?? []} loading={rows.loading} pagination={false} data-testid="routing-table" />
      </Card>
      <Modal open={!!editing} width={600} title={editing ? t('routing.editTitle', { name: editing.name }) : ''} onCancel={() => setEditing(null)} onOk={() => void save()}
        confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} forceRender destroyOnHidden okButtonProps={{ 'data-testid': 'routing-save' }}>
        <Form form={form} layout="vertical" requiredMark={false}>
          <Form.Item name="mode" label={t('routing.mode')}>
            <Radio.Group data-testid="routing-mode" options={MODES.map((m) => ({ value: m, label: t(`assignmentMode.${m}`) }))} />
          </Form.Item>
          <Form.Item name="sticky" label={t('routing.sticky')} valuePropName="checked" extra={t('routing.stickyHelp')}><Switch data-testid="routing-sticky" /></Form.Item>
          <Form.Item name="deferOutsideHours" label={t('routing.defer')} valuePropName="checked" extra={t('routing.deferHelp')}><Switch data-testid="routing-defer" /></Form.Item>
          {defer ? (
            <Form.Item name="calendarId" label={t('routing.calendar')} rules={[{ required: true, message: t('routing.calendarRequired') }]}>
              <Select data-testid="routing-calendar" options={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} · ${c.timezone}` }))} />
            </Form.Item>
          ) : null}
          {defer && !calendars.data?.items.length ? <Alert type="info" showIcon message={t('routing.noCalendars')} style={{ marginBottom: 16 }} /> : null}
          <Form.Item name="reassign" label={t('routing.reassign')} valuePropName="checked" extra={t('routing.reassignHelp')}><Switch data-testid="routing-reassign" /></Form.Item>
          {reassign ? (
            <Form.Item name="reassignAfterMinutes" label={t('routing.reassignMinutes')} rules={[{ required: true }]}>
              <InputNumber min={1} max={10080} addonAfter={t('rule.minutes')} data-testid="routing-reassign-minutes" />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </div>
  );
}
