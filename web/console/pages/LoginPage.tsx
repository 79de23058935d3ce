import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { useI18n, type MessageKey } from '../../shared/i18n.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';

/** What the page before sign-in may hand over: where to go back to, a notice, an address to prefill. */
export interface LoginState { from?: string; notice?: 'activated' | 'passwordReset' | 'signedOutEverywhere'; email?: string }

/**
 * A notice for the next sign-in page, for when signing out and navigating race: the sign-out sends every
 * protected page to /login on its own (without router state).
 */
let flashNotice: LoginState['notice'] | null = null;
export function setLoginNotice(notice: NonNullable<LoginState['notice']>): void {
  flashNotice = notice;
}

const NOTICES: Record<NonNullable<LoginState['notice']>, MessageKey> = {
  activated: 'login.notice.activated',
  passwordReset: 'login.notice.passwordReset',
  signedOutEverywhere: 'login.notice.signedOutEverywhere',
};

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useAuth();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginState;
  const [flash] = useState(() => flashNotice);
  useEffect(() => { flashNotice = null; }, []);
  const notice = state.notice ?? flash;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const handleFinish = async (values: { email: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.email.trim(), values.password);
      navigate(state.from && state.from.startsWith('/') && !state.from.startsWith('//') ? state.from : '/', { replace: true });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('login.title')} subtitle={t('login.subtitle')}>
      {notice ? <Alert type="success" showIcon title={t(NOTICES[notice])} style={{ marginBottom: 20 }} data-testid="login-notice" /> : null}
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 20 }} data-testid="login-error" /> : null}
      <Form layout="vertical" requiredMark={false} onFinish={handleFinish} initialValues={{ email: state.email ?? '' }} size="large">
        <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
          <Input prefix={<MailOutlined />} autoComplete="username" placeholder="name@company.com" data-testid="login-email" />
        </Form.Item>
        <Form.Item name="password" label={t('field.password')} rules={[{ required: true, message: t('validation.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Flex justify="flex-end" style={{ marginTop: -8, marginBottom: 20 }}>
          <Link to="/forgot-password" data-testid="forgot-password-link">{t('login.forgot')}</Link>
        </Flex>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">{t('login.submit')}</Button>
      </Form>
    </AuthLayout>
  );
}
