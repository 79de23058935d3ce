import { FireFilled, RiseOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useI18n } from '../../../shared/i18n.ts';
import type { ChannelKind, Priority, TicketStatus } from '../../../shared/types.ts';

const STATUS_COLOR: Record<TicketStatus, string> = {
  new: 'blue', open: 'geekblue', pending: 'gold', on_hold: 'purple', resolved: 'green', closed: 'default',
};
const PRIORITY_COLOR: Record<Priority, string> = { low: 'default', normal: 'cyan', high: 'orange', urgent: 'red' };
const SEVERITY_COLOR = ['default', 'default', 'blue', 'orange', 'red'];

export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]} bordered={false} data-testid="status-tag">{t(`ticketStatus.${status}`)}</Tag>;
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useI18n();
  return (
    <Tag color={PRIORITY_COLOR[priority]} bordered={false} icon={priority === 'urgent' ? <FireFilled /> : undefined} data-testid="priority-tag">
      {t(`priority.${priority}`)}
    </Tag>
  );
}

export function SeverityTag({ severity }: { severity: number }) {
  const { t } = useI18n();
  return (
    <Tooltip title={t('ticket.severityHelp')}>
      <Tag color={SEVERITY_COLOR[severity] ?? 'default'} bordered={false} data-testid="severity-tag">{t('ticket.severityShort', { n: severity })}</Tag>
    </Tooltip>
  );
}

export function EscalationTag({ level }: { level: number }) {
  const { t } = useI18n();
  if (level <= 0) return null;
  return <Tag color="volcano" icon={<RiseOutlined />} data-testid="escalation-tag">{t('ticket.escalatedLevel', { n: level })}</Tag>;
}

export function ChannelLabel({ channel }: { channel: ChannelKind }) {
  const { t } = useI18n();
  return <>{t(`channel.${channel}`)}</>;
}
