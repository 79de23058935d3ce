import { MailOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Result } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { authApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const handleFinish = async ({ email }: { email: string }) => {
    setBusy(true);
    setError(null);
    try {
      await authApi.requestReset(email.trim());
      setSentTo(email.trim());
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <AuthLayout title={t('forgot.title')}>
        <Result status="success" style={{ padding: 0 }} title={t('forgot.sentTitle')} data-testid="forgot-sent"
          subTitle={t('forgot.sentText', { email: sentTo })}
          extra={<Link to="/login"><Button type="primary">{t('common.backToLogin')}</Button></Link>} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('forgot.title')} subtitle={t('forgot.subtitle')}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 20 }} data-testid="forgot-error" /> : null}
      <Form layout="vertical" requiredMark={false} onFinish={handleFinish} size="large">
        <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
          <Input prefix={<MailOutlined />} autoComplete="email" data-testid="forgot-email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="forgot-submit">{t('forgot.submit')}</Button>
      </Form>
      <div style={{ marginTop: 20, textAlign: 'center' }}><Link to="/login">{t('common.backToLogin')}</Link></div>
    </AuthLayout>
  );
}
