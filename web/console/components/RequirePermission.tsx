import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { useI18n } from '../../shared/i18n.ts';
import type { Permission } from '../../shared/types.ts';

/** The page only for holders of `permission` (the API checks again: this only spares a useless screen). */
export function RequirePermission({ permission, children }: { permission: Permission | null; children: ReactNode }) {
  const { can } = useAuth();
  const { t } = useI18n();
  if (permission && !can(permission)) {
    return (
      <Result status="403" title={t('forbidden.title')} subTitle={t('forbidden.text')} data-testid="forbidden"
        extra={<Link to="/"><Button type="primary">{t('common.backHome')}</Button></Link>} />
    );
  }
  return <>{children}</>;
}
