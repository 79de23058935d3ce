import { MailOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Card, Descriptions, Drawer, Flex, Input, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { adminApi } from '../../shared/endpoints.ts';
import { formatDateTime } from '../../shared/format.ts';
import { hasMessage, useI18n } from '../../shared/i18n.ts';
import type { OutboxMailView } from '../../shared/types.ts';
import { LinkifiedText } from '../components/LinkifiedText.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { useRemote } from '../hooks/useRemote.ts';

const PAGE_SIZE = 25;
const STATUS_COLORS: Record<string, string> = { sent: 'success', stored: 'default', queued: 'processing', failed: 'error' };

/** Every mail Kefu sent or stored. Without SMTP, invitation and reset links are read here. */
export function OutboxPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(1);
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<OutboxMailView | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => { setTo(text.trim()); setPage(1); }, 300);
    return () => clearTimeout(timer);
  }, [text]);
  const list = useRemote(() => adminApi.outbox({ to: to || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), [page, to]);

  const label = (prefix: 'mailPurpose' | 'mailStatus', value: string) => {
    const key = `${prefix}.${value}`;
    return hasMessage(key) ? t(key) : value;
  };

  const columns: TableColumnsType<OutboxMailView> = [
    { title: t('outbox.time'), key: 'time', width: 190, render: (_, m) => <Typography.Text type="secondary">{formatDateTime(m.createdAt, lang)}</Typography.Text> },
    { title: t('outbox.to'), key: 'to', render: (_, m) => m.toAddress },
    { title: t('outbox.subject'), key: 'subject', render: (_, m) => <Typography.Text strong>{m.subject}</Typography.Text> },
    { title: t('outbox.purpose'), key: 'purpose', render: (_, m) => <Tag bordered={false}>{label('mailPurpose', m.purpose)}</Tag> },
    { title: t('field.status'), key: 'status', render: (_, m) => <Tag color={STATUS_COLORS[m.status] ?? 'default'}>{label('mailStatus', m.status)}</Tag> },
  ];

  return (
    <div>
      <PageHeader title={t('nav.outbox')} subtitle={t('outbox.subtitle')} />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} style={{ padding: 16 }}>
          <Input allowClear prefix={<SearchOutlined />} placeholder={t('outbox.filterTo')} style={{ width: 280 }} value={text}
            onChange={(e) => setText(e.target.value)} data-testid="outbox-filter" />
        </Flex>
        <Table<OutboxMailView> rowKey="id" columns={columns} scroll={{ x: 860 }} dataSource={list.data?.items ?? []} loading={list.loading} data-testid="outbox-table"
          rowClassName={() => 'kefu-clickable-row'}
          onRow={(m) => ({ onClick: () => setOpen(m), 'data-testid': `outbox-row-${m.toAddress}` } as HTMLAttributes<HTMLElement>)}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { n }) }} />
      </Card>
      <Drawer open={!!open} onClose={() => setOpen(null)} size={620} title={<span><MailOutlined /> {open?.subject}</span>} data-testid="mail-drawer">
        {open ? (
          <Flex vertical gap={16}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('outbox.to')}>{open.toAddress}</Descriptions.Item>
              <Descriptions.Item label={t('outbox.subject')}>{open.subject}</Descriptions.Item>
              <Descriptions.Item label={t('outbox.purpose')}>{label('mailPurpose', open.purpose)}</Descriptions.Item>
              <Descriptions.Item label={t('field.status')}><Tag color={STATUS_COLORS[open.status] ?? 'default'}>{label('mailStatus', open.status)}</Tag></Descriptions.Item>
              <Descriptions.Item label={t('outbox.time')}>{formatDateTime(open.createdAt, lang)}</Descriptions.Item>
              {open.sentAt ? <Descriptions.Item label={t('outbox.sentAt')}>{formatDateTime(open.sentAt, lang)}</Descriptions.Item> : null}
            </Descriptions>
            {open.lastError ? <Alert type="error" showIcon title={t('outbox.lastError')} description={open.lastError} /> : null}
            {open.status === 'stored' ? <Alert type="info" showIcon title={t('outbox.storedHelp')} /> : null}
            <Card size="small" title={t('outbox.body')}>
              <LinkifiedText text={open.text} linkTestId="mail-link" />
            </Card>
          </Flex>
        ) : null}
      </Drawer>
    </div>
  );
}
