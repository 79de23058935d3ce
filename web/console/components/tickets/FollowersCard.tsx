import { CloseOutlined, EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { Avatar, Button, Card, Empty, Flex, List, Select, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { ticketCollabApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { StaffView } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { initials } from '../UserMenu.tsx';

/**
 * Who follows the ticket: follow or unfollow it yourself, add a colleague (the server checks they could
 * open it and says so if not), remove a follower.
 */
export function FollowersCard({ ticketId, followers, staff, meId, onChanged }: {
  ticketId: string; followers: string[]; staff: StaffView[]; meId: string | undefined; onChanged(): Promise<void>;
}) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [busy, setBusy] = useState(false);
  const [pickerKey, setPickerKey] = useState(0); // a fresh picker after each attempt
  const following = !!meId && followers.includes(meId);
  const byId = new Map(staff.map((s) => [s.id, s]));
  const candidates = staff.filter((s) => s.status === 'active' && !followers.includes(s.id) && s.id !== meId);

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      feedback.ok(done);
      await onChanged();
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const toggle = meId ? (
    following
      ? <Button size="small" icon={<EyeInvisibleOutlined />} loading={busy} data-testid="ticket-unfollow"
        onClick={() => void run(() => ticketCollabApi.unfollow(ticketId, meId), t('collab.unfollowed'))}>{t('collab.unfollow')}</Button>
      : <Button size="small" type="primary" ghost icon={<EyeOutlined />} loading={busy} data-testid="ticket-follow"
        onClick={() => void run(() => ticketCollabApi.follow(ticketId, meId), t('collab.followed'))}>{t('collab.follow')}</Button>
  ) : null;

  return (
    <Card title={t('collab.followers')} size="small" style={{ marginBottom: 16 }} extra={toggle} data-testid="followers-card">
      {followers.length ? (
        <List size="small" dataSource={followers} renderItem={(userId) => {
          const name = byId.get(userId)?.name ?? '—';
          return (
            <List.Item style={{ paddingInline: 0 }} data-testid={`follower-${userId}`} extra={
              <Tooltip title={t('collab.removeFollower', { name })}>
                <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('collab.removeFollower', { name })} disabled={busy}
                  data-testid={`follower-remove-${userId}`} onClick={() => void run(() => ticketCollabApi.unfollow(ticketId, userId), t('collab.followerRemoved'))} />
              </Tooltip>
            }>
              <Flex align="center" gap={8} style={{ minWidth: 0 }}>
                <Avatar size="small" style={{ background: '#eef2ff', color: '#4f46e5', flex: 'none' }}>{initials(name)}</Avatar>
                <Typography.Text ellipsis>{userId === meId ? `${name}（${t('common.me')}）` : name}</Typography.Text>
              </Flex>
            </List.Item>
          );
        }} />
      ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collab.noFollowers')} style={{ margin: '4px 0' }} />}
      <Select key={pickerKey} showSearch optionFilterProp="label" placeholder={t('collab.addFollower')} disabled={busy} style={{ width: '100%', marginTop: 8 }}
        data-testid="follower-add" onChange={(userId: string) => { setPickerKey((k) => k + 1); void run(() => ticketCollabApi.follow(ticketId, userId), t('collab.followerAdded')); }}
        options={candidates.map((s) => ({ value: s.id, label: s.name }))} />
    </Card>
  );
}
