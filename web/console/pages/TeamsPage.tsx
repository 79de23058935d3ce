import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Avatar, Button, Card, Flex, Popconfirm, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { teamsApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { TeamView } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { TeamFormModal } from '../components/TeamFormModal.tsx';
import { initials } from '../components/UserMenu.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';

export function TeamsPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const directory = useDirectory();
  const [editing, setEditing] = useState<TeamView | null>(null);
  const [creating, setCreating] = useState(false);

  const handleDelete = async (team: TeamView) => {
    try {
      await teamsApi.remove(team.id);
      feedback.ok(t('teams.deleted', { name: team.name }));
      await directory.reload();
    } catch (err) {
      feedback.fail(err);
    }
  };

  const columns: TableColumnsType<TeamView> = [
    { title: t('field.name'), key: 'name', render: (_, team) => <Typography.Text strong>{team.name}</Typography.Text> },
    { title: t('field.department'), key: 'department', render: (_, team) => (team.departmentId ? directory.departmentName(team.departmentId) : '—') },
    { title: t('field.lead'), key: 'lead', render: (_, team) => (team.leadId ? directory.staffName(team.leadId) : '—') },
    {
      title: t('field.members'), key: 'members',
      render: (_, team) => team.memberIds.length ? (
        <Flex align="center" gap={8}>
          <Avatar.Group max={{ count: 5 }} size="small">
            {team.memberIds.map((id) => (
              <Tooltip key={id} title={directory.staffName(id)}>
                <Avatar style={{ background: '#eef2ff', color: '#4f46e5', fontSize: 11 }}>{initials(directory.staffName(id))}</Avatar>
              </Tooltip>
            ))}
          </Avatar.Group>
          <Typography.Text type="secondary">{t('teams.memberCount', { n: team.memberIds.length })}</Typography.Text>
        </Flex>
      ) : <Typography.Text type="secondary">{t('teams.noMembers')}</Typography.Text>,
    },
    {
      title: t('common.actions'), key: 'actions', align: 'right', width: 180,
      render: (_, team) => (
        <Flex gap={4} justify="flex-end">
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(team)} data-testid={`team-edit-${team.name}`}>{t('common.edit')}</Button>
          <Popconfirm title={t('teams.deleteConfirm', { name: team.name })} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}
            onConfirm={() => handleDelete(team)}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`team-delete-${team.name}`}>{t('common.delete')}</Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <div>
      <PageHeader title={t('nav.teams')} subtitle={t('teams.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="team-create">{t('teams.create')}</Button>} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<TeamView> rowKey="id" columns={columns} dataSource={directory.teams} loading={directory.loading} pagination={false} data-testid="teams-table" />
      </Card>
      <TeamFormModal open={creating || !!editing} team={editing} directory={directory}
        onClose={() => { setCreating(false); setEditing(null); }}
        onSaved={() => { setCreating(false); setEditing(null); void directory.reload(); }} />
    </div>
  );
}
