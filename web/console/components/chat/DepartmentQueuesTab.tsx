import { Card, InputNumber, Table, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { DepartmentQueueView } from '../../../../src/contracts/chat-live.ts';
import { request } from '../../../shared/api.ts';
import { useI18n } from '../../../shared/i18n.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';

interface Row { id: string; name: string; max: number }

/** 排队上限 per department: beyond it, a visitor whose chat can only go there gets the offline form. */
export function DepartmentQueuesTab() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [rows, setRows] = useState<Row[]>([]);
  const load = useCallback(async () => {
    const [deps, limits] = await Promise.all([
      request<{ items: Array<{ id: string; name: string }> }>('GET', '/api/v1/departments'),
      request<{ items: DepartmentQueueView[] }>('GET', '/api/v1/chats/department-queues'),
    ]);
    setRows(deps.items.map((d) => ({ id: d.id, name: d.name, max: limits.items.find((l) => l.departmentId === d.id)?.maxQueueLength ?? 0 })));
  }, []);
  useEffect(() => { void load(); }, [load]);
  const save = async (r: Row, max: number) => {
    try {
      await request('PUT', '/api/v1/chats/department-queues', { departmentId: r.id, maxQueueLength: max });
      setRows((list) => list.map((x) => (x.id === r.id ? { ...x, max } : x)));
      feedback.ok(t('common.saved'));
    } catch (err) { feedback.fail(err); }
  };
  const columns: TableColumnsType<Row> = [
    { title: t('chatAdmin.departments'), key: 'name', render: (_, r) => r.name },
    {
      title: t('chatAdmin.maxQueue'), key: 'max', width: 200, render: (_, r) => (
        <InputNumber min={0} max={10000} defaultValue={r.max} data-testid={`dept-queue-${r.name}`}
          onBlur={(e) => { const v = Number(e.target.value || 0); if (Number.isInteger(v) && v !== r.max) void save(r, v); }} />
      ),
    },
  ];
  return (
    <Card styles={{ body: { padding: 0 } }} title={t('chatAdmin.queues')}>
      <Typography.Paragraph type="secondary" style={{ padding: '12px 24px 0' }}>{t('chatAdmin.queuesHelp')}</Typography.Paragraph>
      <Table rowKey="id" columns={columns} dataSource={rows} pagination={false} data-testid="dept-queues" />
    </Card>
  );
}
