import { Button, Empty, Flex, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../../../shared/format.ts';
import { useI18n } from '../../../shared/i18n.ts';
import { kbFeedbackApi, type UnansweredView } from '../../../shared/kbFeedbackApi.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { useRemote } from '../../hooks/useRemote.ts';

type Status = UnansweredView['status'];

/**
 * Questions the chat robot could not answer, most asked first (or newest): knowledge-base owners write
 * an article from one (the editor opens with the question as its title) or ignore it.
 */
export function KbUnansweredTab({ onWrite, version }: { onWrite(item: UnansweredView): void; version: number }) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const [status, setStatus] = useState<Status>('open');
  const [sort, setSort] = useState<'count' | 'last_seen'>('count');
  const [page, setPage] = useState(1);
  const list = useRemote(() => kbFeedbackApi.unanswered({ status, sort, limit: 20, offset: (page - 1) * 20 }), [status, sort, page, version]);

  const act = async (work: () => Promise<unknown>) => {
    try { await work(); await list.reload(); } catch (err) { feedback.fail(err); }
  };

  const columns: TableColumnsType<UnansweredView> = [
    { title: t('unanswered.question'), dataIndex: 'question', render: (q: string) => <Typography.Text data-testid="unanswered-question">{q}</Typography.Text> },
    {
      title: t('unanswered.count'), dataIndex: 'count', width: 90, align: 'right', sorter: true, sortOrder: sort === 'count' ? 'descend' : null,
      sortDirections: ['descend'], render: (n: number) => <Typography.Text strong data-testid="unanswered-count">{n}</Typography.Text>,
    },
    { title: t('unanswered.reason'), dataIndex: 'reason', width: 150, render: (r: UnansweredView['reason']) => <Tag>{t(`unanswered.reason.${r}`)}</Tag> },
    {
      title: t('unanswered.source'), key: 'source', width: 170,
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          {r.widgetName ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.widgetName}</Typography.Text> : null}
          {r.ticketId && r.ticketNumber != null ? <Link to={`/tickets/${r.ticketId}`}>#{r.ticketNumber}</Link> : null}
        </Space>
      ),
    },
    {
      title: t('unanswered.lastSeen'), dataIndex: 'lastSeenAt', width: 170, sorter: true, sortOrder: sort === 'last_seen' ? 'descend' : null, sortDirections: ['descend'],
      render: (v: string, r) => <span title={`${t('unanswered.firstSeen')} ${formatDateTime(r.firstSeenAt, lang)}`}>{formatDateTime(v, lang)}</span>,
    },
    {
      title: t('common.actions'), key: 'ops', width: 230, align: 'right',
      render: (_, r) => (
        <Space>
          {r.status === 'resolved' && r.articleTitle ? <Tag color="green">{r.articleTitle}</Tag> : null}
          {r.status === 'open' ? <Button size="small" type="primary" data-testid="unanswered-write" onClick={() => onWrite(r)}>{t('unanswered.write')}</Button> : null}
          {r.status === 'open' ? <Button size="small" data-testid="unanswered-ignore" onClick={() => void act(() => kbFeedbackApi.ignore(r.id))}>{t('unanswered.ignore')}</Button> : null}
          {r.status !== 'open' ? <Button size="small" data-testid="unanswered-reopen" onClick={() => void act(() => kbFeedbackApi.reopen(r.id))}>{t('unanswered.reopen')}</Button> : null}
        </Space>
      ),
    },
  ];

  return (
    <div data-testid="kb-unanswered">
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }} wrap gap={8}>
        <Typography.Text type="secondary">{t('unanswered.help')}</Typography.Text>
        <Segmented<Status> value={status} data-testid="unanswered-status" onChange={(s) => { setStatus(s); setPage(1); }}
          options={(['open', 'resolved', 'ignored'] as const).map((s) => ({ value: s, label: t(`unanswered.status.${s}`) }))} />
      </Flex>
      <Table rowKey="id" size="middle" columns={columns} dataSource={list.data?.items ?? []} loading={list.loading} data-testid="unanswered-table"
        locale={{ emptyText: <Empty description={t('unanswered.none')} /> }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setSort(s?.field === 'lastSeenAt' ? 'last_seen' : 'count');
        }}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { n }) }} />
    </div>
  );
}
