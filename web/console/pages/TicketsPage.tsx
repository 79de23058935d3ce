import {
  AlertOutlined, ApartmentOutlined, ClockCircleOutlined, InboxOutlined, PlusOutlined, ProfileOutlined, RiseOutlined, SaveOutlined, UserOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { Avatar, Badge, Button, Card, Flex, Select, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useMemo, useState, type HTMLAttributes, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { queueApi, ticketsApi } from '../../shared/endpoints.ts';
import { formatDateTime, formatRelative } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import { TICKET_EVENTS } from '../../shared/socket.ts';
import type { QueueQuery, QueueView, SavedViewView, TicketFilters, TicketView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { BulkActionBar } from '../components/tickets/BulkActionBar.tsx';
import { NewTicketModal } from '../components/tickets/NewTicketModal.tsx';
import { QueueFilterBar } from '../components/tickets/QueueFilterBar.tsx';
import { compactFilters, filtersOfView, mergeFilters, sameFilters } from '../components/tickets/queueFilters.ts';
import { SavedViewList, SaveViewModal } from '../components/tickets/SavedViews.tsx';
import { EscalationTag, PriorityTag, StatusTag } from '../components/tickets/TicketTags.tsx';
import { initials } from '../components/UserMenu.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useRemote } from '../hooks/useRemote.ts';
import { useTicketTypes } from '../hooks/useTicketTypes.ts';

const PAGE_SIZE = 20;
/** Live refreshes wait for a burst of ticket events (a bulk change sends one per ticket) to settle. */
const LIVE_QUIET_MS = 300;
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
  const { me, can } = useAuth();
  const types = useTicketTypes();
  const savedViews = useRemote(() => queueApi.savedViews(), []);
  const savedId = params.get('saved');
  const saved = savedViews.data?.items.find((v) => v.id === savedId) ?? null;
  const view: QueueView = isView(params.get('view')) ? params.get('view') as QueueView : 'mine';
  // The filter bar belongs to the view on screen: on a built-in view it narrows the view, on a saved view
  // it starts as the view's own filters (changing them shows "modified").
  const owner = savedId ? `saved:${savedId}` : `view:${view}`;
  const [bar, setBar] = useState<{ owner: string; filters: TicketFilters }>({ owner, filters: {} });
  const filters = bar.owner === owner ? bar.filters : saved?.filters ?? {};
  const [sort, setSort] = useState<Sort>('updated');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [saving, setSaving] = useState<{ editing: SavedViewView | null; filters: TicketFilters } | null>(null);
  const [selected, setSelected] = useState<Map<string, TicketView>>(new Map());

  const modified = saved ? !sameFilters(filters, saved.filters) : false;
  const query: QueueQuery = saved
    ? (modified ? { view: 'all', ...compactFilters(filters) } : { savedViewId: saved.id })
    : { view, ...compactFilters(filters) };
  const queryKey = savedId && !saved ? null : JSON.stringify(query);
  const list = useRemote(async () => (queryKey ? ticketsApi.list({ ...query, sort, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }) : undefined), [queryKey, sort, page]);
  const counts = useRemote(() => ticketsApi.counts(), []);
  useLiveEvents(TICKET_EVENTS, () => { void list.reload(); void counts.reload(); }, { quietMs: LIVE_QUIET_MS });

  const chooseView = (v: QueueView) => { setParams({ view: v }); setBar({ owner: `view:${v}`, filters: {} }); setPage(1); setSelected(new Map()); };
  const chooseSaved = (v: SavedViewView) => { setParams({ saved: v.id }); setBar({ owner: `saved:${v.id}`, filters: v.filters }); setPage(1); setSelected(new Map()); };
  const changeFilters = (f: TicketFilters) => { setBar({ owner, filters: f }); setPage(1); };
  // A saved view that is gone (deleted here or elsewhere): back to the default view.
  useEffect(() => { if (savedId && savedViews.data && !saved) setParams({ view: 'mine' }); }, [savedId, savedViews.data, saved, setParams]);
  // "Save as view" keeps what the current built-in view means (mine, unresolved …) plus the filter bar.
  const myDepartments = useMemo(() => directory.departments.filter((d) => me && d.memberIds.includes(me.id)).map((d) => d.id), [directory.departments, me]);
  const filtersToSave = saved ? compactFilters(filters) : mergeFilters(filtersOfView(view, myDepartments), filters);
  const afterSave = async (v: SavedViewView) => {
    setSaving(null);
    await savedViews.reload();
    void counts.reload();
    chooseSaved(v);
  };
  const afterBulk = (results: { id: string; ok: boolean }[]) => {
    const done = new Set(results.filter((r) => r.ok).map((r) => r.id));
    setSelected((m) => new Map([...m].filter(([id]) => !done.has(id))));
    void list.reload();
    void counts.reload();
  };

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
            const active = !savedId && v === view;
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
          <SavedViewList views={savedViews.data?.items ?? []} counts={counts.data} activeId={saved?.id ?? null} onChoose={chooseSaved}
            onEdit={(v) => setSaving({ editing: v, filters: v.filters })}
            onDeleted={() => { void savedViews.reload(); void counts.reload(); }} />
        </Card>
        <Card styles={{ body: { padding: 0 } }} style={{ flex: 1, minWidth: 0 }}>
          <Flex gap={12} wrap align="center" style={{ padding: '16px 16px 8px' }}>
            <Typography.Text strong style={{ fontSize: 16, marginRight: 8 }} data-testid="queue-title">{saved ? saved.name : t(`queueView.${view}`)}</Typography.Text>
            {modified && <Tag color="orange" data-testid="queue-modified">{t('queue.modified')}</Tag>}
            <Flex gap={8} style={{ marginInlineStart: 'auto' }}>
              {saved?.canEdit && modified && (
                <Button onClick={() => setSaving({ editing: saved, filters: compactFilters(filters) })} data-testid="save-view-changes">{t('queue.saveChanges')}</Button>
              )}
              {(!saved || modified) && (
                <Button icon={<SaveOutlined />} onClick={() => setSaving({ editing: null, filters: filtersToSave })} data-testid="save-view">{t('queue.saveAsView')}</Button>
              )}
              <Select<Sort> style={{ width: 170 }} value={sort} data-testid="ticket-sort" onChange={(v) => { setSort(v); setPage(1); }}
                options={(['updated', 'created', 'priority'] as const).map((s) => ({ value: s, label: t(`tickets.sort.${s}`) }))} />
            </Flex>
          </Flex>
          <div style={{ padding: '0 16px 12px' }}>
            <QueueFilterBar value={filters} onChange={changeFilters} directory={directory} types={types.all} />
          </div>
          <BulkActionBar selected={[...selected.values()]} directory={directory} onClear={() => setSelected(new Map())} onFinished={afterBulk} />
          <Table<TicketView> rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.loading && !list.data} data-testid="tickets-table"
            scroll={{ x: 960 }} rowClassName={() => 'kefu-clickable-row'}
            locale={{ emptyText: t('tickets.empty') }}
            rowSelection={{
              columnWidth: 40, preserveSelectedRowKeys: true, selectedRowKeys: [...selected.keys()],
              onChange: (keys, rows) => setSelected((m) => new Map(keys.map((k) => [String(k), rows.find((r) => r?.id === k) ?? m.get(String(k))!]).filter(([, r]) => r) as [string, TicketView][])),
              getCheckboxProps: (r) => ({ 'data-testid': `ticket-select-${r.number}` }) as object,
            }}
            onRow={(r) => ({
              // the checkbox cell selects; the rest of the row opens the ticket
              onClick: (e) => { if (!(e.target as HTMLElement).closest('.ant-table-selection-column')) navigate(`/tickets/${r.id}`); },
              'data-testid': `ticket-row-${r.number}`,
            } as HTMLAttributes<HTMLElement>)}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false,
              showTotal: (n) => t('common.total', { n }) }} />
        </Card>
      </Flex>
      <SaveViewModal open={!!saving} editing={saving?.editing ?? null} filters={saving?.filters ?? {}} canShare={can('settings.manage')}
        directory={directory} types={types.all} onClose={() => setSaving(null)} onSaved={(v) => void afterSave(v)} />
      <NewTicketModal open={creating} directory={directory} onClose={() => setCreating(false)}
        onCreated={(ticket) => { setCreating(false); navigate(`/tickets/${ticket.id}`); }} />
    </div>
  );
}
