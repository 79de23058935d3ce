import { CheckCircleFilled, InboxOutlined, RightOutlined } from '@ant-design/icons';
import { Avatar, Card, Col, Descriptions, Flex, Row, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { partOfDay } from '../../shared/format.ts';
import { useI18n, type MessageKey } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import type { Permission, StaffView } from '../../shared/types.ts';
import { PresenceBadge } from '../components/PresenceBadge.tsx';
import { PresenceSwitch } from '../components/PresenceSwitch.tsx';
import { initials } from '../components/UserMenu.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { ticketsApi } from '../../shared/endpoints.ts';
import { TICKET_EVENTS } from '../../shared/socket.ts';
import { useRemote } from '../hooks/useRemote.ts';

const PRESENCE_ORDER: Record<string, number> = { online: 0, away: 1, offline: 2 };

export function WorkspacePage() {
  const { t, lang } = useI18n();
  const { me, can } = useAuth();
  const directory = useDirectory();
  useLiveEvents(['staff.presence_changed'], () => { void directory.reload(); });
  const counts = useRemote(() => ticketsApi.counts(), []);
  useLiveEvents(TICKET_EVENTS, () => { void counts.reload(); });
  if (!me) return null;

  const self = directory.staff.find((s) => s.id === me.id);
  const colleagues = directory.staff
    .filter((s) => s.status === 'active')
    .sort((a, b) => (PRESENCE_ORDER[a.presence] ?? 3) - (PRESENCE_ORDER[b.presence] ?? 3) || a.name.localeCompare(b.name));
  const onlineCount = colleagues.filter((s) => s.presence === 'online').length;

  const steps: { key: MessageKey; done: boolean; path: string; permission: Permission }[] = [
    { key: 'workspace.step.roles', done: directory.roles.some((r) => !r.builtin), path: '/admin/roles', permission: 'roles.manage' },
    { key: 'workspace.step.departments', done: directory.departments.length > 0, path: '/admin/departments', permission: 'departments.manage' },
    { key: 'workspace.step.invite', done: directory.staff.length > 1, path: '/admin/staff', permission: 'staff.manage' },
    { key: 'workspace.step.teams', done: directory.teams.length > 0, path: '/admin/teams', permission: 'departments.manage' },
  ];
  const mySteps = steps.filter((s) => can(s.permission));

  return (
    <div data-testid="workspace">
      <Flex vertical gap={4} style={{ marginBottom: 20 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="greeting">
          {t(`workspace.greeting.${partOfDay()}`, { name: me.name })}
        </Typography.Title>
        <Typography.Text type="secondary">{t('workspace.subtitle', { company: me.tenant.name, role: roleLabel(me.role, lang) })}</Typography.Text>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            <Card title={<span><InboxOutlined /> {t('workspace.myTickets')}</span>} data-testid="my-tickets-card"
              extra={<Link to="/tickets">{t('workspace.openQueue')} <RightOutlined /></Link>}>
              <Row gutter={16}>
                {(['mine', 'unassigned', 'overdue', 'escalated'] as const).map((v) => (
                  <Col span={6} key={v}>
                    <Link to={`/tickets?view=${v}`} data-testid={`workspace-count-${v}`}>
                      <Flex vertical>
                        <Typography.Text type="secondary">{t(`queueView.${v}`)}</Typography.Text>
                        <Typography.Text strong style={{ fontSize: 26, color: v === 'overdue' && counts.data?.[v] ? '#f5222d' : undefined }}>{counts.data?.[v] ?? '–'}</Typography.Text>
                      </Flex>
                    </Link>
                  </Col>
                ))}
              </Row>
            </Card>
            {mySteps.length ? (
              <Card title={t('workspace.setupTitle')} data-testid="setup-card">
                <Flex vertical>
                  {mySteps.map((s, i) => (
                    <Link key={s.key} to={s.path}>
                      <Flex align="center" justify="space-between" style={{ padding: '12px 4px', borderTop: i ? '1px solid #f0f0f0' : undefined }}>
                        <Flex align="center" gap={12}>
                          {s.done
                            ? <CheckCircleFilled style={{ color: '#22c55e', fontSize: 18 }} />
                            : <span style={{ width: 18, height: 18, borderRadius: 9, border: '2px solid #c9cfdb', display: 'inline-block' }} />}
                          <Typography.Text delete={s.done} type={s.done ? 'secondary' : undefined}>{t(s.key)}</Typography.Text>
                        </Flex>
                        <RightOutlined style={{ color: '#a3a9b7' }} />
                      </Flex>
                    </Link>
                  ))}
                </Flex>
              </Card>
            ) : null}
            <Card title={t('workspace.aboutMe')}>
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('field.email')}>{me.email}</Descriptions.Item>
                <Descriptions.Item label={t('field.role')}>{roleLabel(me.role, lang)}</Descriptions.Item>
                <Descriptions.Item label={t('field.level')}>L{me.level}</Descriptions.Item>
                <Descriptions.Item label={t('field.skills')}>{tagsOrDash(self?.skills ?? [])}</Descriptions.Item>
                <Descriptions.Item label={t('field.departments')}>{tagsOrDash((self?.departmentIds ?? []).map(directory.departmentName))}</Descriptions.Item>
                <Descriptions.Item label={t('field.teams')}>{tagsOrDash((self?.teamIds ?? []).map(directory.teamName))}</Descriptions.Item>
              </Descriptions>
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            <Card title={t('workspace.myStatus')}>
              <Flex vertical gap={12}>
                <PresenceSwitch />
                <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t('workspace.presenceHelp')}</Typography.Text>
              </Flex>
            </Card>
            <Card title={t('workspace.team')} extra={<Typography.Text type="secondary">{t('workspace.onlineCount', { n: onlineCount })}</Typography.Text>}
              loading={directory.loading && !directory.staff.length} data-testid="team-presence">
              <Flex vertical gap={12}>
                {colleagues.slice(0, 12).map((s) => <ColleagueRow key={s.id} person={s} isMe={s.id === me.id} />)}
                {colleagues.length > 12 ? <Link to="/admin/staff">{t('workspace.seeAll', { n: colleagues.length })}</Link> : null}
              </Flex>
            </Card>
          </Flex>
        </Col>
      </Row>
    </div>
  );
}

function ColleagueRow({ person, isMe }: { person: StaffView; isMe: boolean }) {
  const { t } = useI18n();
  return (
    <Flex align="center" justify="space-between">
      <Flex align="center" gap={10}>
        <Avatar size="small" style={{ background: '#eef2ff', color: '#4f46e5', fontSize: 12 }}>{initials(person.name)}</Avatar>
        <Typography.Text>{person.name}{isMe ? <Typography.Text type="secondary"> ({t('common.me')})</Typography.Text> : null}</Typography.Text>
      </Flex>
      <PresenceBadge presence={person.presence} />
    </Flex>
  );
}

function tagsOrDash(names: string[]) {
  return names.length ? <Flex gap={4} wrap>{names.map((n) => <Tag key={n}>{n}</Tag>)}</Flex> : '—';
}
