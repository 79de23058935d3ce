import { EditOutlined, MailOutlined, SearchOutlined, UndoOutlined, UserAddOutlined } from '@ant-design/icons';
import { Avatar, Button, Card, Flex, Input, Popconfirm, Select, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useAuth } from '../../shared/auth.tsx';
import { staffApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import type { StaffStatus, StaffView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { InviteStaffModal } from '../components/InviteStaffModal.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { PresenceBadge } from '../components/PresenceBadge.tsx';
import { StaffEditDrawer } from '../components/StaffEditDrawer.tsx';
import { StaffStatusTag } from '../components/StaffStatusTag.tsx';
import { initials } from '../components/UserMenu.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';

const PAGE_SIZE = 20;

/** The staff directory: everyone may read it; staff.manage invites and edits. */
export function StaffPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const manage = can('staff.manage');
  const feedback = useFeedback();
  const directory = useDirectory();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<StaffStatus | undefined>();
  const [page, setPage] = useState(1);
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<StaffView | null>(null);

  useEffect(() => {
    const timer = setTimeout(() => { setQ(text.trim()); setPage(1); }, 300);
    return () => clearTimeout(timer);
  }, [text]);

  const list = useRemote(() => staffApi.list({ q: q || undefined, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), [q, status, page]);
  useLiveEvents(['staff.invited', 'staff.activated', 'staff.updated', 'staff.presence_changed', 'role.changed'], () => { void list.reload(); });

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      feedback.ok(done);
      await list.reload();
    } catch (err) {
      feedback.fail(err);
    }
  };

  const columns: TableColumnsType<StaffView> = [
    {
      title: t('field.personName'), key: 'name',
      render: (_, s) => (
        <Flex align="center" gap={10}>
          <Avatar style={{ background: '#eef2ff', color: '#4f46e5', flex: 'none' }}>{initials(s.name)}</Avatar>
          <Flex vertical style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis>{s.name}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>{s.email}</Typography.Text>
          </Flex>
        </Flex>
      ),
    },
    { title: t('field.role'), key: 'role', render: (_, s) => roleLabel(s.role, lang) },
    { title: t('field.status'), key: 'status', render: (_, s) => <StaffStatusTag status={s.status} /> },
    { title: t('field.level'), key: 'level', width: 80, render: (_, s) => <Tag bordered={false}>L{s.level}</Tag> },
    {
      title: t('field.departments'), key: 'departments',
      render: (_, s) => s.departmentIds.length
        ? <Flex gap={4} wrap>{s.departmentIds.map((id) => <Tag key={id} color="geekblue" bordered={false}>{directory.departmentName(id)}</Tag>)}</Flex>
        : <Typography.Text type="secondary">—</Typography.Text>,
    },
    { title: t('field.presence'), key: 'presence', render: (_, s) => (s.status === 'active' ? <PresenceBadge presence={s.presence} /> : <Typography.Text type="secondary">—</Typography.Text>) },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'), key: 'actions', align: 'right',
      render: (_, s) => (
        <Flex gap={4} justify="flex-end">
          {s.status === 'invited' ? (
            <>
              <Tooltip title={t('staff.resendHelp')}>
                <Button size="small" type="text" icon={<MailOutlined />} data-testid={`staff-resend-${s.email}`}
                  onClick={() => void act(() => staffApi.resendInvitation(s.id), t('staff.resent', { email: s.email }))}>{t('staff.resend')}</Button>
              </Tooltip>
              <Popconfirm title={t('staff.withdrawConfirm', { email: s.email })} okText={t('staff.withdraw')} okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')} onConfirm={() => act(() => staffApi.withdrawInvitation(s.id), t('staff.withdrawn'))}>
                <Button size="small" type="text" danger icon={<UndoOutlined />} data-testid={`staff-withdraw-${s.email}`}>{t('staff.withdraw')}</Button>
              </Popconfirm>
            </>
          ) : null}
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid={`staff-edit-${s.email}`}>{t('common.edit')}</Button>
        </Flex>
      ),
    });
  }

  return (
    <div>
      <PageHeader title={t('nav.staff')} subtitle={t('staff.subtitle')}
        extra={manage ? <Button type="primary" icon={<UserAddOutlined />} onClick={() => setInviting(true)} data-testid="invite-button">{t('staff.invite')}</Button> : null} />
      <Card styles={{ body: { padding: 0 } }}>
        <Flex gap={12} wrap style={{ padding: 16 }}>
          <Input allowClear prefix={<SearchOutlined />} placeholder={t('staff.searchPlaceholder')} style={{ width: 280 }} data-testid="staff-search"
            value={text} onChange={(e) => setText(e.target.value)} />
          <Select allowClear placeholder={t('staff.filterStatus')} style={{ width: 160 }} value={status} data-testid="staff-status-filter"
            onChange={(v) => { setStatus(v); setPage(1); }}
            options={(['active', 'invited', 'disabled'] as const).map((s) => ({ value: s, label: t(`staffStatus.${s}`) }))} />
        </Flex>
        <Table<StaffView> rowKey="id" columns={columns} scroll={{ x: 960 }} dataSource={list.data?.items ?? []} loading={list.loading} data-testid="staff-table"
          onRow={(s) => ({ 'data-testid': `staff-row-${s.email}` } as HTMLAttributes<HTMLElement>)}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false,
            showTotal: (n) => t('common.total', { n }) }} />
      </Card>
      <InviteStaffModal open={inviting} directory={directory} onClose={() => setInviting(false)}
        onInvited={() => { setInviting(false); void list.reload(); }} />
      <StaffEditDrawer staff={editing} directory={directory} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); void list.reload(); }} />
    </div>
  );
}
