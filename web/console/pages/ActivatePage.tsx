import { UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Result, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { authApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { InvitationView } from '../../shared/types.ts';
import { AuthLayout } from '../components/AuthLayout.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import type { LoginState } from './LoginPage.tsx';

/** The invitation link from the mail: shows whom it is for, then sets a password and activates. */
export function ActivatePage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const [invitation, setInvitation] = useState<InvitationView | null>(null);
  const malformed = token.length < 10;
  const [loadError, setLoadError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (malformed) return;
    let live = true;
    authApi.invitation(token).then(
      (inv) => { if (live) setInvitation(inv); },
      (err: Error) => { if (live) setLoadError(err.message); },
    );
    return () => { live = false; };
  }, [token, malformed]);

  if (loadError || malformed) {
    return (
      <AuthLayout title={t('activate.title')}>
        <Result status="warning" style={{ padding: 0 }} title={t('link.invalidTitle')} subTitle={loadError ?? t('link.invalidText')} data-testid="activate-invalid"
          extra={<Link to="/login"><Button type="primary">{t('common.backToLogin')}</Button></Link>} />
      </AuthLayout>
    );
  }
  if (!invitation) {
    return <AuthLayout title={t('activate.title')}><Skeleton active /></AuthLayout>;
  }

  const handleFinish = async (values: { name: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const name = values.name.trim();
      await authApi.activate({ token, password: values.password, ...(name && name !== invitation.name ? { name } : {}) });
      navigate('/login', { replace: true, state: { notice: 'activated', email: invitation.email } satisfies LoginState });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('activate.joinTitle', { company: invitation.tenantName })} subtitle={t('activate.subtitle')}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 20 }} data-testid="activate-error" /> : null}
      <Form layout="vertical" requiredMark={false} onFinish={handleFinish} size="large" initialValues={{ name: invitation.name }}>
        <Form.Item label={t('field.email')}>
          <Input value={invitation.email} disabled data-testid="activate-email" />
        </Form.Item>
        <Form.Item name="name" label={t('field.personName')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
          <Input prefix={<UserOutlined />} autoComplete="name" data-testid="activate-name" />
        </Form.Item>
        <NewPasswordFields />
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="activate-submit">{t('activate.submit')}</Button>
      </Form>
    </AuthLayout>
  );
}
