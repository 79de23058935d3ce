import { Tag } from 'antd';
import { useI18n } from '../../shared/i18n.ts';
import type { StaffStatus } from '../../shared/types.ts';

const COLORS: Record<StaffStatus, string> = { active: 'success', invited: 'processing', disabled: 'default' };

export function StaffStatusTag({ status }: { status: StaffStatus }) {
  const { t } = useI18n();
  return <Tag color={COLORS[status]} data-testid={`status-${status}`}>{t(`staffStatus.${status}`)}</Tag>;
}
