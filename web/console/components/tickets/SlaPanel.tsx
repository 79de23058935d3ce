import { ClockCircleOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import { Flex, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../../shared/format.ts';
import { useI18n, type Translate } from '../../../shared/i18n.ts';
import type { TicketSlaView } from '../../../shared/types.ts';

const METRICS = [
  { metric: 'first_response', due: 'firstResponseDue' },
  { metric: 'next_response', due: 'nextResponseDue' },
  { metric: 'resolution', due: 'resolutionDue' },
] as const;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** 2h 05m / 2 小时 5 分 */
export function duration(ms: number, t: Translate): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return t('duration.dh', { d, h });
  if (h) return t('duration.hm', { h, m });
  if (minutes) return t('duration.m', { m });
  return t('duration.lessThanMinute');
}

/** The ticket's SLA deadlines, counting down; breached or passed ones in red. */
export function SlaPanel({ sla, done }: { sla: TicketSlaView | undefined; done: boolean }) {
  const { t, lang } = useI18n();
  const now = useNow(15_000);
  if (!sla?.policyId) return <Typography.Text type="secondary" data-testid="sla-none">{t('sla.noPolicy')}</Typography.Text>;
  const shown = METRICS.filter((x) => sla[x.due] || sla.breaches.includes(x.metric));
  return (
    <Flex gap={8} wrap align="center" data-testid="sla-panel">
      <Typography.Text type="secondary"><ClockCircleOutlined /> {sla.policyName}</Typography.Text>
      {shown.map(({ metric, due }) => {
        const at = sla[due];
        const breached = sla.breaches.includes(metric);
        const left = at ? new Date(at).getTime() - now : 0;
        const over = breached || (!!at && left < 0);
        const label = t(`slaMetric.${metric}`);
        const text = over
          ? t('sla.overdue', { metric: label, time: at ? duration(-left, t) : '' })
          : t('sla.dueIn', { metric: label, time: duration(left, t) });
        return (
          <Tooltip key={metric} title={at ? t('sla.dueAt', { time: formatDateTime(at, lang) }) : undefined}>
            <Tag color={done ? 'default' : over ? 'red' : left < 30 * 60_000 ? 'orange' : 'blue'} data-testid={`sla-${metric}`}
              icon={over ? <ExclamationCircleFilled /> : <ClockCircleOutlined />} data-breached={breached ? 'true' : 'false'}>
              {breached && (!at || left >= 0) ? t('sla.breached', { metric: label }) : text}
            </Tag>
          </Tooltip>
        );
      })}
    </Flex>
  );
}
