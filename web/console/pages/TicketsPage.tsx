import {
  AlertOutlined, ApartmentOutlined, ClockCircleOutlined, InboxOutlined, PlusOutlined, ProfileOutlined, RiseOutlined, SearchOutlined, UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Avatar, Badge, Button, Card, Flex, Input, Select, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type HTMLAttributes, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ticketsApi } from '../../shared/endpoints.ts';
import { formatDateTime, formatRelative } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import { TICKET_EVENTS } from '../../shared/socket.ts';
import type { QueueView, TicketStatus, TicketView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { NewTicketModal } from '../components/tickets/NewTicketModal.tsx';
import { EscalationTag, PriorityTag, StatusTag } from '../components/tickets/TicketTags.tsx';
import { initials } from '../components/UserMenu.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useRemote } from '../hooks/useRemote.ts';

const PAGE_SIZE = 20;
const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'];
/** The queue's views, in the order agents work them. */
const VIEWS: { view: QueueView; icon: ReactNode }[] = [
  { view: 'mine', icon: <UserOutlined /> },
  { view: 'unassigned', icon: <InboxOutlined /> },
  { view: 'department', icon: <ApartmentOutlined /> },
  { view: 'open', icon: <ProfileOutlined /> },
  { view: 'overdue', icon: <ClockCircleOutlined /> },
  { view: 'escalated', icon: <RiseOutlined /> },
  { view: 'all', icon: <AlertOutlined /> },
];
const isView = (v: string | null): v is QueueView => VIEWS.some((x) => x.view === v);
type Sort = 'updated' | 'created' | 'priority';

/** 统一工作台: every ticket the agent may see, by view, with live counts. */
export function TicketsPage() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  const view: QueueView = isView(params.get('view')) ? params.get('view') as QueueView : 'mine';
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<TicketStatus | undefined>();
  const [sort, setSort] = useState<Sort>('updated');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    const timer = setTimeout(() => { setQ(text.trim()); setPage(1); }, 300);
    return () => clearTimeout(timer);
  }, [text]);

  const list = useRemote(() => ticketsApi.list({ view, q: q || undefined, status, sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), [view, q, status, sort, page]);
  const counts = useRemote(() => ticketsApi.counts(), []);
  useLiveEvents(TICKET_EVENTS, () => { void list.reload(); void counts.reload(); });

  const chooseView = (v: QueueView) => { setParams({ view: v }); setPage(1); };

  const columns: TableColumnsType<TicketView> = [
    {
      title: '#', key: 'number', width: 68,
      render: (_, r) => <Typography.Text type="secondary" data-testid="ticket-number">#{r.number}</Typography.Text>,
    },
    {
      title: t('ticket.subject'), key: 'subject', ellipsis: true,
      render: (_, r) => (
        <Flex vertical style={{ minWidth: 0 }}>
          <Flex gap={6} align="center" style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis data-testid="ticket-subject">{r.subject}</Typography.Text>
            <EscalationTag level={r.escalationLevel} />
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`channel.${r.channel}`)}{r.type ? ` · ${lang === 'en' ? r.type.nameEn : r.type.nameZh}` : ''}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('ticket.customer'), key: 'customer', width: 110, ellipsis: true, render: (_, r) => r.customer?.name ?? <Typography.Text type="secondary">—</Typography.Text> },
    { title: t('field.status'), key: 'status', width: 100, render: (_, r) => <StatusTag status={r.status} /> },
    { title: t('ticket.priority'), key: 'priority', width: 84, render: (_, r) => <PriorityTag priority={r.priority} /> },
    {
      title: t('ticket.department'), key: 'department', width: 110, ellipsis: true,
      render: (_, r) => (r.departmentId ? directory.departmentName(r.departmentId) : <Typography.Text type="secondary">—</Typography.Text>),
    },
    {
      title: t('ticket.assignee'), key: 'assignee', width: 120,
      render: (_, r) => (r.assigneeId ? (
        <Flex align="center" gap={6} data-testid="ticket-assignee">
          <Avatar size={22} style={{ background: '#eef2ff', color: '#4f46e5', fontSize: 11, flex: 'none' }}>{initials(directory.staffName(r.assigneeId))}</Avatar>
          <Typography.Text ellipsis>{directory.staffName(r.assigneeId)}</Typography.Text>
        </Flex>
      ) : <Typography.Text type="secondary" data-testid="ticket-assignee"><UserSwitchOutlined /> {t('ticket.unassigned')}</Typography.Text>),
    },
    {
      title: t('ticket.updatedAt'), key: 'updated', width: 100,
      render: (_, r) => <Tooltip title={formatDateTime(r.updatedAt, lang)}><Typography.Text type="secondary">{formatRelative(r.updatedAt, lang)}</Typography.Text></Tooltip>,
    },
  ];

  return (
    <div data-testid="tickets-page">
      <PageHeader title={t('nav.tickets')} subtitle={t('tickets.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="ticket-new">{t('tickets.new')}</Button>} />
      <Flex gap={16} align="flex-start">
        <Card styles={{ body: { padding: 8 } }} style={{ width: 196, flex: 'none' }} data-testid="queue-views">
          {VIEWS.map(({ view: v, icon }) => {
            const active = v === view;
            const n = counts.data?.[v];
            return (
              <div key={v} role="button" tabIndex={0} data-testid={`view-${v}`} aria-current={active ? 'page' : undefined}
                onClick={() => chooseView(v)} onKeyDown={(e) => { if (e.key === 'Enter') chooseView(v); }}
                className={`kefu-queue-view${active ? ' kefu-queue-view-active' : ''}`}>
                <Flex align="center" gap={10}>
                  <span className="kefu-queue-view-icon">{icon}</span>
                  <span>{t(`queueView.${v}`)}</span>
                </Flex>
                <Badge count={n ?? 0} showZero overflowCount={9999} data-testid={`view-count-${v}`}
                  color={active ? '#2f6bff' : v === 'overdue' && n ? '#ff4d4f' : '#e6e9f0'}
                  style={{ color: active || (v === 'overdue' && n) ? '#fff' : '#4a5470', boxShadow: 'none' }} />
              </div>
            );
          })}
        </Card>
        <Card styles={{ body: { padding: 0 } }} style={{ flex: 1, minWidth: 0 }}>
          <Flex gap={12} wrap align="center" style={{ padding: 16 }}>
            <Typography.Text strong style={{ fontSize: 16, marginRight: 8 }} data-testid="queue-title">{t(`queueView.${view}`)}</Typography.Text>
            <Input allowClear prefix={<SearchOutlined />} placeholder={t('tickets.searchPlaceholder')} style={{ width: 260 }} data-testid="ticket-search"
              value={text} onChange={(e) => setText(e.target.value)} />
            <Select allowClear placeholder={t('tickets.filterStatus')} style={{ width: 150 }} value={status} data-testid="ticket-status-filter"
              onChange={(v) => { setStatus(v); setPage(1); }} options={STATUSES.map((s) => ({ value: s, label: t(`ticketStatus.${s}`) }))} />
            <Select<Sort> style={{ width: 170 }} value={sort} data-testid="ticket-sort" onChange={(v) => { setSort(v); setPage(1); }}
              options={(['updated', 'created', 'priority'] as const).map((s) => ({ value: s, label: t(`tickets.sort.${s}`) }))} />
          </Flex>
          <Table<TicketView> rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.loading && !list.data} data-testid="tickets-table"
            scroll={{ x: 920 }} rowClassName={() => 'kefu-clickable-row'}
            locale={{ emptyText: t('tickets.empty') }}
            onRow={(r) => ({ onClick: () => navigate(`/tickets/${r.id}`), 'data-testid': `ticket-row-${r.number}` } as HTMLAttributes<HTMLElement>)}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false,
              showTotal: (n) => t('common.total', { n }) }} />
        </Card>
      </Flex>
      <NewTicketModal open={creating} directory={directory} onClose={() => setCreating(false)}
        onCreated={(ticket) => { setCreating(false); navigate(`/tickets/${ticket.id}`); }} />
    </div>
  );
}
