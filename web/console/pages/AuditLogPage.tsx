import { Card, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { adminApi } from '../../shared/endpoints.ts';
import { formatDateTime } from '../../shared/format.ts';
import { hasMessage, messageKeysWithPrefix, useI18n } from '../../shared/i18n.ts';
import type { AuditView } from '../../shared/types.ts';
import { JsonDiff } from '../components/JsonDiff.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useRemote } from '../hooks/useRemote.ts';

const PAGE_SIZE = 25;
/** The actions the server records (the ones this console has words for). */
const ACTIONS = messageKeysWithPrefix('auditAction.').map((k) => k.slice('auditAction.'.length));
const ACTION_COLORS: Record<string, string> = { create: 'green', invite: 'green', activate: 'green', update: 'blue', delete: 'red', revoke: 'red', uninvite: 'orange' };

/** What a human-readable name of the target is, when the recorded values carry one. */
function targetLabel(row: AuditView): string {
  for (const v of [row.after, row.before]) {
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of ['name', 'email', 'slug']) if (typeof o[k] === 'string' && o[k]) return o[k] as string;
    }
  }
  return row.targetId ? row.targetId.slice(0, 8) : '—';
}

export function AuditLogPage() {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const [page, setPage] = useState(1);
  const [action, setAction] = useState<string | undefined>();
  const list = useRemote(() => adminApi.auditLog({ action: action || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), [page, action]);

  const actionLabel = (a: string) => {
    const key = `auditAction.${a}`;
    return hasMessage(key) ? t(key) : a;
  };
  const targetType = (type: string) => {
    const key = `auditTarget.${type}`;
    return hasMessage(key) ? t(key) : type;
  };

  const columns: TableColumnsType<AuditView> = [
    { title: t('audit.time'), key: 'time', width: 190, render: (_, r) => <Typography.Text type="secondary">{formatDateTime(r.createdAt, lang)}</Typography.Text> },
    {
      title: t('audit.action'), key: 'action',
      render: (_, r) => (
        <Flex gap={6} align="center">
          <Tag bordered={false} color={ACTION_COLORS[r.action.split('.').pop() ?? ''] ?? 'default'}>{actionLabel(r.action)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.action}</Typography.Text>
        </Flex>
      ),
    },
    { title: t('audit.actor'), key: 'actor', render: (_, r) => (!r.actorId && r.actorName === 'system' ? t('audit.system') : r.actorName || '—') },
    {
      title: t('audit.target'), key: 'target',
      render: (_, r) => <span><Typography.Text type="secondary">{targetType(r.targetType)} · </Typography.Text>{targetLabel(r)}</span>,
    },
    { title: 'IP', key: 'ip', width: 140, render: (_, r) => <Typography.Text type="secondary">{r.ip ?? '—'}</Typography.Text> },
  ];

  return (
    <div>
      <PageHeader title={t('nav.audit')} subtitle={t('audit.subtitle')} />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} style={{ padding: 16 }}>
          <Select allowClear showSearch optionFilterProp="label" placeholder={t('audit.filterAction')} style={{ width: 320 }} value={action}
            onChange={(v) => { setAction(v); setPage(1); }} data-testid="audit-filter"
            options={ACTIONS.map((a) => ({ value: a, label: `${actionLabel(a)} · ${a}` }))} />
        </Flex>
        <Table<AuditView> rowKey="id" columns={columns} scroll={{ x: 900 }} dataSource={list.data?.items ?? []} loading={list.loading} data-testid="audit-table"
          expandable={{ expandedRowRender: (r) => <JsonDiff before={r.before} after={r.after} nameOf={directory.nameOf} />, rowExpandable: (r) => r.before !== null || r.after !== null }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }} />
      </Card>
    </div>
  );
}
