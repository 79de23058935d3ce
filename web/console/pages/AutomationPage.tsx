import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Popconfirm, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { automationApi } from '../../shared/endpoints.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useI18n, type Translate } from '../../shared/i18n.ts';
import type { RuleAction, RuleView, WebhookDeliveryView } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { conditionSummary, RuleEditorDrawer } from '../components/RuleEditorDrawer.tsx';
import { useDirectory, type Directory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';
import { useTicketFields } from '../hooks/useTicketFields.ts';

function actionSummary(a: RuleAction, t: Translate, directory: Directory): string {
  const label = t(`ruleAction.${a.type}`);
  switch (a.type) {
    case 'route_department': return `${label} → ${directory.departmentName(a.departmentId)}`;
    case 'assign': return `${label} → ${directory.staffName(a.userId)}`;
    case 'set_priority': return `${label} → ${t(`priority.${a.priority}`)}`;
    case 'add_tags': return `${label}：${a.tags.join('、')}`;
    case 'notify': return `${label} → ${a.userIds.map((u) => directory.staffName(u)).join('、')}`;
    case 'webhook': return `${label} → ${a.url}`;
    default: return label;
  }
}

/** Automation rules (trigger → conditions → actions) and the webhook calls they made. */
export function AutomationPage() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const directory = useDirectory();
  const rules = useRemote(() => automationApi.list(), []);
  const deliveries = useRemote(() => automationApi.deliveries(), []);
  const fields = useTicketFields();
  const [editing, setEditing] = useState<RuleView | null>(null);
  const [creating, setCreating] = useState(false);

  const toggle = async (r: RuleView, active: boolean) => {
    try {
      await automationApi.update(r.id, { name: r.name, trigger: r.trigger, conditions: r.conditions, actions: r.actions, active, position: r.position });
      await rules.reload();
    } catch (err) { feedback.fail(err); }
  };

  const columns: TableColumnsType<RuleView> = [
    { title: t('field.name'), key: 'name', width: 200, render: (_, r) => <Typography.Text strong>{r.name}</Typography.Text> },
    { title: t('rule.trigger'), key: 'trigger', width: 140, render: (_, r) => <Tag bordered={false} color="purple">{t(`ruleTrigger.${r.trigger}`)}</Tag> },
    {
      title: t('rule.conditions'), key: 'conditions',
      render: (_, r) => {
        const match = r.conditions.all?.length ? 'all' : 'any';
        const list = r.conditions[match] ?? [];
        if (!list.length) return <Typography.Text type="secondary">{t('rule.always')}</Typography.Text>;
        return (
          <Flex vertical gap={2}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{match === 'all' ? t('rule.matchAll') : t('rule.matchAny')}</Typography.Text>
            {list.map((c, i) => <Typography.Text key={i}>{conditionSummary(c, t, fields.all, lang)}</Typography.Text>)}
          </Flex>
        );
      },
    },
    { title: t('rule.actions'), key: 'actions', render: (_, r) => <Flex vertical gap={2}>{r.actions.map((a, i) => <span key={i}>{actionSummary(a, t, directory)}</span>)}</Flex> },
    { title: t('rule.active'), key: 'active', width: 80, render: (_, r) => <Switch size="small" checked={r.active} onChange={(v) => void toggle(r, v)} /> },
    {
      title: t('common.actions'), key: 'ops', width: 150, align: 'right',
      render: (_, r) => (
        <Flex gap={4} justify="flex-end">
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`rule-edit-${r.name}`}>{t('common.edit')}</Button>
          <Popconfirm title={t('rule.deleteConfirm', { name: r.name })} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}
            onConfirm={async () => { try { await automationApi.remove(r.id); await rules.reload(); } catch (err) { feedback.fail(err); } }}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  const deliveryColumns: TableColumnsType<WebhookDeliveryView> = [
    { title: t('field.createdAt'), key: 'at', width: 180, render: (_, d) => formatDateTime(d.createdAt, lang) },
    { title: 'URL', key: 'url', ellipsis: true, render: (_, d) => <Typography.Text code>{d.url}</Typography.Text> },
    { title: t('field.status'), key: 'status', width: 110, render: (_, d) => <Tag bordered={false} color={d.status === 'delivered' ? 'green' : d.status === 'failed' ? 'red' : 'gold'}>{d.status}</Tag> },
    { title: t('webhook.attempts'), key: 'attempts', width: 90, align: 'center', render: (_, d) => d.attempts },
    { title: t('webhook.lastResult'), key: 'last', render: (_, d) => d.lastError ? <Typography.Text type="danger">{d.lastStatus ?? ''} {d.lastError}</Typography.Text> : (d.lastStatus ?? '—') },
  ];

  return (
    <div>
      <PageHeader title={t('nav.automation')} subtitle={t('rule.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="rule-create">{t('rule.create')}</Button>} />
      <Card styles={{ body: { paddingTop: 4 } }}>
        <Tabs items={[
          { key: 'rules', label: t('rule.tab'), children: <Table<RuleView> rowKey="id" columns={columns} dataSource={rules.data?.items ?? []} loading={rules.loading} pagination={false} data-testid="rules-table" /> },
          { key: 'deliveries', label: <span data-testid="tab-deliveries">{t('webhook.tab')}</span>, children: <Table<WebhookDeliveryView> rowKey="id" columns={deliveryColumns} dataSource={deliveries.data?.items ?? []} loading={deliveries.loading} data-testid="deliveries-table" /> },
        ]} onChange={(k) => { if (k === 'deliveries') void deliveries.reload(); }} />
      </Card>
      <RuleEditorDrawer open={creating || !!editing} rule={editing} directory={directory}
        onClose={() => { setCreating(false); setEditing(null); }}
        onSaved={() => { setCreating(false); setEditing(null); void rules.reload(); }} />
    </div>
  );
}
