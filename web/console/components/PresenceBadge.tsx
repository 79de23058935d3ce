import { Badge } from 'antd';
import { useI18n, type MessageKey } from '../../shared/i18n.ts';

export const PRESENCE_COLORS: Record<string, string> = { online: '#22c55e', away: '#f59e0b', offline: '#a3a9b7' };
const LABELS: Record<string, MessageKey> = { online: 'presence.online', away: 'presence.away', offline: 'presence.offline' };

export function PresenceBadge({ presence, showText = true }: { presence: string; showText?: boolean }) {
  const { t } = useI18n();
  return <Badge color={PRESENCE_COLORS[presence] ?? PRESENCE_COLORS.offline} text={showText ? t(LABELS[presence] ?? 'presence.offline') : undefined} />;
}
