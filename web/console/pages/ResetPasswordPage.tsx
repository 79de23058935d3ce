import { Alert, Button, Form, Result } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import type { LoginState } from './LoginPage.tsx';

export function ResetPasswordPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (token.length < 10) {
    return (
      <AuthLayout title={t('reset.title')}>
        <Result status="warning" style={{ padding: 0 }} title={t('link.invalidTitle')} subTitle={t('link.invalidText')}
          extra={<Link to="/forgot-password"><Button type="primary">{t('reset.requestAgain')}</Button></Link>} />
      </AuthLayout>
    );
  }

  const handleFinish = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await authApi.resetPassword({ token, newPassword: password });
      navigate('/login', { replace: true, state: { notice: 'passwordReset' } satisfies LoginState });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('reset.title')} subtitle={t('reset.subtitle')}>
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 20 }} data-testid="reset-error"
          action={<Link to="/forgot-password">{t('reset.requestAgain')}</Link>} />
      ) : null}
      <Form layout="vertical" requiredMark={false} onFinish={handleFinish} size="large">
        <NewPasswordFields />
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="reset-submit">{t('reset.submit')}</Button>
      </Form>
    </AuthLayout>
  );
}
