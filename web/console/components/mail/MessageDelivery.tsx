import { CheckCircleOutlined, ClockCircleOutlined, CloseCircleOutlined, ExclamationCircleOutlined, RedoOutlined, SyncOutlined } from '@ant-design/icons';
import { Button, Flex, Tag, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { mailboxesApi } from '../../../shared/endpoints.ts';
import { formatDateTime } from '../../../shared/format.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { DeliveryState, DeliveryView } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';

const LOOK: Record<DeliveryState, { color: string; icon: ReactNode }> = {
  queued: { color: 'default', icon: <ClockCircleOutlined /> },
  sending: { color: 'processing', icon: <SyncOutlined spin /> },
  sent: { color: 'success', icon: <CheckCircleOutlined /> },
  failed: { color: 'error', icon: <CloseCircleOutlined /> },
  bounced: { color: 'warning', icon: <ExclamationCircleOutlined /> },
};

/** The send state of one outgoing email on the timeline, its error or bounce reason, and "retry" when it failed. */
export function MessageDelivery({ ticketId, delivery, onChanged }: { ticketId: string; delivery: DeliveryView; onChanged(): void }) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const [busy, setBusy] = useState(false);
  const d = delivery;
  const detail = [
    d.status === 'sent' && d.toAddress ? t('delivery.sentTo', { address: d.toAddress }) : null,
    d.sentAt ? formatDateTime(d.sentAt, lang) : null,
    d.attempts > 1 ? t('delivery.attempts', { n: d.attempts }) : null,
    d.nextAttemptAt && d.status === 'failed' ? t('delivery.nextAttempt', { time: formatDateTime(d.nextAttemptAt, lang) }) : null,
  ].filter(Boolean).join(' · ');
  const retry = async () => {
    setBusy(true);
    try {
      await mailboxesApi.retrySend(ticketId, d.messageId);
      feedback.ok(t('delivery.retried'));
      onChanged();
    } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };
  const problem = d.status === 'failed' ? d.lastError : d.status === 'bounced' ? d.bounceReason : null;
  return (
    <Flex vertical gap={2} data-testid="message-delivery" data-status={d.status}>
      <Flex gap={6} align="center" wrap>
        <Tooltip title={detail || undefined}>
          <Tag color={LOOK[d.status].color} icon={LOOK[d.status].icon} bordered={false} data-testid="delivery-status">{t(`delivery.${d.status}`)}</Tag>
        </Tooltip>
        {d.kind === 'auto_reply' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('delivery.autoReply')}</Typography.Text> : null}
        {d.status === 'failed' ? (
          <Button size="small" type="link" icon={<RedoOutlined />} loading={busy} onClick={() => void retry()} data-testid="delivery-retry">{t('delivery.retry')}</Button>
        ) : null}
      </Flex>
      {/* the server's own words, as text */}
      {problem ? <Typography.Text type={d.status === 'failed' ? 'danger' : 'warning'} style={{ fontSize: 12 }} data-testid="delivery-error">{problem}</Typography.Text> : null}
    </Flex>
  );
}
