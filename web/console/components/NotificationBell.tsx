import {
  BellOutlined, CheckCircleOutlined, CheckOutlined, ClockCircleOutlined, ExclamationCircleOutlined, EyeOutlined, MergeOutlined, MessageOutlined, RiseOutlined,
  RobotOutlined, UserAddOutlined,
} from '@ant-design/icons';
import { Badge, Button, Empty, Flex, Popover, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { notificationsApi } from '../../shared/endpoints.ts';
import { formatRelative } from '../../shared/format.ts';
import { hasMessage, useI18n, type Translate } from '../../shared/i18n.ts';
import type { NotificationView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { useRemote } from '../hooks/useRemote.ts';

const ICONS: Record<string, ReactNode> = {
  assigned: <UserAddOutlined style={{ color: '#2f6bff' }} />,
  escalated: <RiseOutlined style={{ color: '#fa541c' }} />,
  sla_warning: <ClockCircleOutlined style={{ color: '#faad14' }} />,
  sla_breached: <ExclamationCircleOutlined style={{ color: '#f5222d' }} />,
  customer_reply: <MessageOutlined style={{ color: '#13c2c2' }} />,
  automation: <RobotOutlined style={{ color: '#722ed1' }} />,
  mention: <span style={{ color: '#2f54eb', fontWeight: 600 }}>@</span>,
  follow_reply: <MessageOutlined style={{ color: '#13c2c2' }} />,
  follow_status: <CheckCircleOutlined style={{ color: '#52c41a' }} />,
  follow_escalated: <RiseOutlined style={{ color: '#fa541c' }} />,
  follow_assigned: <EyeOutlined style={{ color: '#2f6bff' }} />,
  follow_merged: <MergeOutlined style={{ color: '#2f6bff' }} />,
};

/** The notification's sentence in the UI language. */
export function notificationText(n: NotificationView, t: Translate): string {
  const metricKey = `slaMetric.${String(n.data.metric ?? '')}`;
  const vars = {
    number: n.data.number ?? '', subject: n.data.subject ?? '',
    metric: hasMessage(metricKey) ? t(metricKey) : String(n.data.metric ?? ''),
    actor: String(n.data.actor ?? ''), assignee: String(n.data.assignee ?? ''), targetNumber: String(n.data.targetNumber ?? ''),
    status: hasMessage(`ticketStatus.${String(n.data.status ?? '')}`) ? t(`ticketStatus.${String(n.data.status)}` as 'ticketStatus.resolved') : String(n.data.status ?? ''),
  };
  const key = `notification.${n.kind}`;
  return hasMessage(key) ? t(key, vars) : t('notification.other', vars);
}

/** The bell in the header: unread count, the latest notifications, live. */
export function NotificationBell() {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const list = useRemote(() => notificationsApi.list(), []);
  useLiveEvents(['notification.created'], () => { void list.reload(); });
  const unread = list.data?.unread ?? 0;
  const items = list.data?.items.slice(0, 30) ?? [];

  const openOne = async (n: NotificationView) => {
    setOpen(false);
    if (!n.readAt) await notificationsApi.read([n.id]).catch(() => undefined);
    void list.reload();
    if (n.ticketId) navigate(`/tickets/${n.ticketId}`);
  };

  const content = (
    <div style={{ width: 380 }} data-testid="notification-list">
      <Flex justify="space-between" align="center" style={{ padding: '4px 4px 8px', borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong>{t('notification.title')}</Typography.Text>
        <Button size="small" type="link" icon={<CheckOutlined />} disabled={!unread} data-testid="notification-read-all"
          onClick={async () => { await notificationsApi.readAll().catch(() => undefined); void list.reload(); }}>{t('notification.readAll')}</Button>
      </Flex>
      <div style={{ maxHeight: 420, overflow: 'auto' }}>
        {items.length ? items.map((n) => (
          <div key={n.id} role="button" tabIndex={0} className={`kefu-notification${n.readAt ? '' : ' kefu-notification-unread'}`}
            data-testid={`notification-${n.kind}`} data-unread={n.readAt ? 'false' : 'true'}
            onClick={() => void openOne(n)} onKeyDown={(e) => { if (e.key === 'Enter') void openOne(n); }}>
            <span style={{ fontSize: 16, flex: 'none', marginTop: 2 }}>{ICONS[n.kind] ?? <BellOutlined />}</span>
            <Flex vertical style={{ minWidth: 0, flex: 1 }}>
              <Typography.Text strong={!n.readAt} data-testid="notification-text">{notificationText(n, t)}</Typography.Text>
              {n.data.subject ? <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>{String(n.data.subject)}</Typography.Text> : null}
              {n.data.excerpt ? <Typography.Text ellipsis style={{ fontSize: 12 }} data-testid="notification-excerpt">“{String(n.data.excerpt)}”</Typography.Text> : null}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatRelative(n.createdAt, lang)}</Typography.Text>
            </Flex>
            {n.readAt ? null : <Badge status="processing" />}
          </div>
        )) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notification.empty')} style={{ padding: 24 }} />}
      </div>
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false}>
      <Badge count={unread} size="small" overflowCount={99} data-testid="notification-count">
        <Button type="text" shape="circle" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label={t('notification.title')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
