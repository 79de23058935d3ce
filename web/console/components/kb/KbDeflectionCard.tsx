import { Card, Empty, Flex, Segmented, Statistic, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { DeflectionStats } from '../../../../src/contracts/portal.ts';
import { http } from '../../../shared/api.ts';
import { useI18n } from '../../../shared/i18n.ts';
import { useRemote } from '../../hooks/useRemote.ts';

const DAY = 86_400_000;
const PERIODS = [7, 30, 90] as const;

/**
 * Self-service deflection: how often a help-center or widget reader said an article solved their
 * problem (no request, no chat), over the chosen period: totals, a bar per day, the top articles.
 */
export function KbDeflectionCard() {
  const { t } = useI18n();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(30);
  const stats = useRemote(() => {
    const to = new Date();
    return http.get<DeflectionStats>('/api/v1/kb/deflections', { from: new Date(to.getTime() - days * DAY).toISOString(), to: to.toISOString() });
  }, [days]);
  const s = stats.data;
  const max = Math.max(1, ...(s?.byDay.map((d) => d.count) ?? []));
  // every day of the period, the quiet ones as empty bars
  const counts = new Map(s?.byDay.map((d) => [d.day, d.count]) ?? []);
  const bars: Array<{ day: string; count: number }> = [];
  if (s) for (let at = Math.floor(new Date(s.from).getTime() / DAY) * DAY; at < new Date(s.to).getTime() && bars.length < 400; at += DAY) {
    const day = new Date(at).toISOString().slice(0, 10);
    bars.push({ day, count: counts.get(day) ?? 0 });
  }
  return (
    <Card size="small" title={t('kb.deflection.title')} data-testid="kb-deflections" style={{ marginBottom: 16 }}
      extra={<Segmented size="small" value={days} onChange={(v) => setDays(v as typeof days)} options={PERIODS.map((d) => ({ value: d, label: t('kb.deflection.days', { n: d }) }))} />}>
      <Flex gap={32} wrap align="flex-end">
        <Statistic title={t('kb.deflection.total')} value={s?.total ?? 0} loading={stats.loading && !s} valueRender={(v) => <span data-testid="kb-deflections-total">{v}</span>} />
        <Statistic title={t('kb.deflection.portal')} value={s?.portal ?? 0} />
        <Statistic title={t('kb.deflection.widget')} value={s?.widget ?? 0} />
        <Flex align="flex-end" gap={2} style={{ height: 48, flex: 1, minWidth: 160 }} aria-label={t('kb.deflection.perDay')}>
          {bars.map((d) => (
            <Tooltip key={d.day} title={`${d.day}: ${d.count}`}>
              <div style={{ flex: 1, maxWidth: 10, minWidth: 2, height: d.count ? Math.max(3, Math.round((d.count / max) * 48)) : 1, background: d.count ? '#2f6bff' : '#d9d9d9', borderRadius: 1 }} />
            </Tooltip>
          ))}
        </Flex>
      </Flex>
      {s && s.articles.length ? (
        <div style={{ marginTop: 12 }} data-testid="kb-deflections-articles">
          <Typography.Text type="secondary">{t('kb.deflection.topArticles')}</Typography.Text>
          {s.articles.slice(0, 5).map((a) => (
            <Flex key={a.articleId ?? 'deleted'} justify="space-between" gap={8} data-testid="kb-deflections-article">
              <Typography.Text ellipsis>{a.title ?? t('kb.deflection.deleted')}</Typography.Text>
              <Typography.Text strong>{a.count}</Typography.Text>
            </Flex>
          ))}
        </div>
      ) : s ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('kb.deflection.none')} /> : null}
    </Card>
  );
}
