import { Alert, Button } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n.ts';
import type { HistoryView } from '../../../shared/types.ts';

/** On a ticket merged into another: where the conversation went, with a link there. */
export function MergedBanner({ mergedIntoId, history }: { mergedIntoId: string | null; history: HistoryView[] }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  if (!mergedIntoId) return null;
  // The target's number as the merge recorded it (the target itself may be out of this agent's sight).
  const entry = [...history].reverse().find((h) => h.action === 'merged_into');
  const number = (entry?.changes.mergedInto as [unknown, unknown] | undefined)?.[1];
  return (
    <Alert type="info" showIcon style={{ marginBottom: 16 }} data-testid="merged-banner"
      title={typeof number === 'number' ? t('collab.mergedBanner', { number }) : t('collab.mergedBannerNoNumber')}
      action={<Button size="small" type="primary" data-testid="merged-target-link" onClick={() => navigate(`/tickets/${mergedIntoId}`)}>{t('collab.openTarget')}</Button>} />
  );
}
