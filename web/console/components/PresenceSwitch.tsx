import { Segmented } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../shared/auth.tsx';
import { authApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { Presence } from '../../shared/types.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { PRESENCE_COLORS } from './PresenceBadge.tsx';

const OPTIONS: Presence[] = ['online', 'away', 'offline'];

/** Online / away / offline for the signed-in person (PUT /api/v1/auth/me/presence). */
export function PresenceSwitch() {
  const { t } = useI18n();
  const { me, update } = useAuth();
  const feedback = useFeedback();
  const [saving, setSaving] = useState(false);
  if (!me) return null;

  const handleChange = async (value: Presence) => {
    const before = me.presence;
    update({ presence: value });
    setSaving(true);
    try {
      await authApi.setPresence(value);
    } catch (err) {
      update({ presence: before });
      feedback.fail(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Segmented<Presence>
      data-testid="presence-switch"
      disabled={saving}
      value={me.presence as Presence}
      onChange={(v) => void handleChange(v)}
      options={OPTIONS.map((p) => ({
        value: p,
        label: (
          <span data-testid={`presence-${p}`} style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
            <span style={{ width: 8, height: 8, borderRadius: 4, background: PRESENCE_COLORS[p], display: 'inline-block' }} />
            {t(`presence.${p}`)}
          </span>
        ),
      }))}
    />
  );
}
