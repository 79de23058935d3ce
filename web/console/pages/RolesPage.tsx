import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Popconfirm, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { rolesApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import type { PermissionInfo, RoleView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { RoleFormModal } from '../components/RoleFormModal.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';

export function RolesPage() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const roles = useRemote(() => rolesApi.list(), []);
  const perms = useRemote(() => rolesApi.permissions(), []);
  useLiveEvents(['role.changed', 'staff.updated', 'staff.invited'], () => { void roles.reload(); });
  const [editing, setEditing] = useState<RoleView | null>(null);
  const [creating, setCreating] = useState(false);

  const permissions: PermissionInfo[] = perms.data?.items ?? [];
  const label = (key: string) => {
    const p = permissions.find((x) => x.key === key);
    return p ? (lang === 'en' ? p.en : p.zh) : key;
  };

  const handleDelete = async (role: RoleView) => {
    try {
      await rolesApi.remove(role.id);
      feedback.ok(t('roles.deleted', { name: role.name }));
      await roles.reload();
    } catch (err) {
      feedback.fail(err);
    }
  };

  const columns: TableColumnsType<RoleView> = [
    {
      title: t('field.name'), key: 'name', width: 260,
      render: (_, r) => (
        <Flex vertical>
          <Flex gap={8} align="center">
            <Typography.Text strong>{roleLabel(r, lang)}</Typography.Text>
            {r.builtin ? <Tag color="gold" bordered={false}>{t('roles.builtin')}</Tag> : <Tag bordered={false}>{t('roles.custom')}</Tag>}
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.description || (r.builtin ? t(`roles.builtinDescription.${r.builtin}`) : '')}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('roles.permissions'), key: 'permissions',
      render: (_, r) => (
        <Flex gap={4} wrap>
          {r.permissions.length ? r.permissions.map((p) => <Tag key={p} bordered={false} color="blue">{label(p)}</Tag>) : <Typography.Text type="secondary">{t('roles.noPermissions')}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('roles.staffCount'), key: 'staffCount', width: 110, align: 'center', render: (_, r) => r.staffCount },
    {
      title: t('common.actions'), key: 'actions', width: 180, align: 'right',
      render: (_, r) => (
        <Flex gap={4} justify="flex-end">
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)} data-testid={`role-edit-${r.name}`}>{t('common.edit')}</Button>
          {r.builtin ? (
            <Tooltip title={t('roles.builtinNoDelete')}><Button size="small" type="text" icon={<DeleteOutlined />} disabled>{t('common.delete')}</Button></Tooltip>
          ) : (
            <Popconfirm title={t('roles.deleteConfirm', { name: roleLabel(r, lang) })} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}
              onConfirm={() => handleDelete(r)}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`role-delete-${r.name}`}>{t('common.delete')}</Button>
            </Popconfirm>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <div>
      <PageHeader title={t('nav.roles')} subtitle={t('roles.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="role-create">{t('roles.create')}</Button>} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<RoleView> rowKey="id" columns={columns} dataSource={roles.data?.items ?? []} loading={roles.loading} pagination={false} data-testid="roles-table" />
      </Card>
      <RoleFormModal open={creating || !!editing} role={editing} permissions={permissions}
        onClose={() => { setCreating(false); setEditing(null); }}
        onSaved={() => { setCreating(false); setEditing(null); void roles.reload(); }} />
    </div>
  );
}
