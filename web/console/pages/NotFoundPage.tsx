import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../../shared/i18n.ts';

export function NotFoundPage() {
  const { t } = useI18n();
  return <Result status="404" title={t('notFound.title')} subTitle={t('notFound.text')}
    extra={<Link to="/"><Button type="primary">{t('common.backHome')}</Button></Link>} />;
}
