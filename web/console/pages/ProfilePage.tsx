import { DeleteOutlined, KeyOutlined, LaptopOutlined, LogoutOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Flex, Form, Input, Popconfirm, Row, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../shared/auth.tsx';
import { authApi } from '../../shared/endpoints.ts';
import { formatDateTime, formatRelative } from '../../shared/format.ts';
import { LANGUAGES, useI18n } from '../../shared/i18n.ts';
import type { ApiTokenView, Locale, SessionView } from '../../shared/types.ts';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { TokenCreatedModal } from '../components/TokenCreatedModal.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';
import { setLoginNotice } from './LoginPage.tsx';

/** My name and language, password, signed-in browsers and API tokens. */
export function ProfilePage() {
  const { t } = useI18n();
  return (
    <div>
      <PageHeader title={t('nav.profile')} subtitle={t('profile.subtitle')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}><BasicsCard /></Col>
        <Col xs={24} xl={12}><PasswordCard /></Col>
        <Col span={24}><SessionsCard /></Col>
        <Col span={24}><ApiTokensCard /></Col>
      </Row>
    </div>
  );
}

function BasicsCard() {
  const { t } = useI18n();
  const { me, update, changeLanguage } = useAuth();
  const feedback = useFeedback();
  const [busy, setBusy] = useState(false);
  if (!me) return null;

  const handleFinish = async (v: { name: string; locale: Locale }) => {
    setBusy(true);
    try {
      const name = v.name.trim();
      await authApi.updateProfile({ name });
      update({ name });
      if (v.locale !== me.locale) await changeLanguage(v.locale);
      feedback.ok(t('common.saved'));
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('profile.basics')} style={{ height: '100%' }}>
      <Form layout="vertical" requiredMark={false} initialValues={{ name: me.name, locale: me.locale }} onFinish={handleFinish} key={`${me.name}|${me.locale}`}>
        <Form.Item label={t('field.email')}><Input value={me.email} disabled /></Form.Item>
        <Form.Item name="name" label={t('field.personName')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
          <Input data-testid="profile-name" />
        </Form.Item>
        <Form.Item name="locale" label={t('common.language')}>
          <Select options={LANGUAGES} data-testid="profile-locale" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="profile-save">{t('common.save')}</Button>
      </Form>
    </Card>
  );
}

function PasswordCard() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);

  const handleFinish = async (v: { currentPassword: string; password: string }) => {
    setBusy(true);
    try {
      await authApi.changePassword({ currentPassword: v.currentPassword, newPassword: v.password });
      form.resetFields();
      feedback.ok(t('profile.passwordChanged'));
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('profile.password')} style={{ height: '100%' }}>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={handleFinish}>
        <Form.Item name="currentPassword" label={t('field.currentPassword')} rules={[{ required: true, message: t('validation.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <NewPasswordFields />
        <Flex align="center" gap={12}>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="password-save">{t('profile.changePassword')}</Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('profile.passwordOtherSessions')}</Typography.Text>
        </Flex>
      </Form>
    </Card>
  );
}

function SessionsCard() {
  const { t, lang } = useI18n();
  const { forget } = useAuth();
  const feedback = useFeedback();
  const sessions = useRemote(() => authApi.sessions(), []);

  const handleEverywhere = async () => {
    try {
      await authApi.logoutEverywhere();
      setLoginNotice('signedOutEverywhere');
      forget(true); // the sign-in guard now sends this page to /login, where the notice shows
    } catch (err) {
      feedback.fail(err);
    }
  };

  return (
    <Card title={<span><LaptopOutlined /> {t('profile.sessions')}</span>}
      extra={
        <Popconfirm title={t('profile.everywhereConfirm')} okText={t('profile.everywhere')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={handleEverywhere}>
          <Button danger icon={<LogoutOutlined />} data-testid="logout-everywhere">{t('profile.everywhere')}</Button>
        </Popconfirm>
      }>
      <Table<SessionView> rowKey="id" size="small" pagination={false} loading={sessions.loading} dataSource={sessions.data?.items ?? []} data-testid="sessions-table"
        columns={[
          {
            title: t('profile.browser'), key: 'ua',
            render: (_, s) => (
              <Flex gap={8} align="center">
                <Typography.Text ellipsis style={{ maxWidth: 520 }}>{describeAgent(s.userAgent) ?? t('profile.unknownBrowser')}</Typography.Text>
                {s.current ? <Tag color="green" bordered={false}>{t('profile.thisBrowser')}</Tag> : null}
              </Flex>
            ),
          },
          { title: 'IP', key: 'ip', render: (_, s) => s.ip ?? '—' },
          { title: t('profile.signedInAt'), key: 'created', render: (_, s) => formatDateTime(s.createdAt, lang) },
          { title: t('profile.lastSeen'), key: 'seen', render: (_, s) => formatRelative(s.lastSeenAt, lang) },
        ]} />
    </Card>
  );
}

/** "Chrome on Linux" from a user-agent string, or null. */
function describeAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : null;
  const os = /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Linux/.test(ua) ? 'Linux' : null;
  return browser && os ? `${browser} · ${os}` : ua;
}

function ApiTokensCard() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const tokens = useRemote(() => authApi.apiTokens(), []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);

  const handleCreate = async () => {
    if (!name.trim()) return;
    setBusy(true);
    try {
      const res = await authApi.createApiToken(name.trim());
      setCreated(res.token);
      setName('');
      await tokens.reload();
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const handleRevoke = async (tok: ApiTokenView) => {
    try {
      await authApi.revokeApiToken(tok.id);
      feedback.ok(t('tokens.revoked', { name: tok.name }));
      await tokens.reload();
    } catch (err) {
      feedback.fail(err);
    }
  };

  return (
    <Card title={<span><KeyOutlined /> {t('tokens.title')}</span>}>
      <Typography.Paragraph type="secondary">{t('tokens.help')}</Typography.Paragraph>
      <Flex gap={8} style={{ marginBottom: 16, maxWidth: 520 }}>
        <Input placeholder={t('tokens.namePlaceholder')} value={name} maxLength={100} onChange={(e) => setName(e.target.value)}
          onPressEnter={() => void handleCreate()} data-testid="token-name" />
        <Button type="primary" icon={<PlusOutlined />} loading={busy} disabled={!name.trim()} onClick={() => void handleCreate()} data-testid="token-create">
          {t('tokens.create')}
        </Button>
      </Flex>
      <Table<ApiTokenView> rowKey="id" size="small" pagination={false} loading={tokens.loading} dataSource={tokens.data?.items ?? []} data-testid="tokens-table"
        locale={{ emptyText: t('tokens.empty') }}
        columns={[
          { title: t('field.name'), key: 'name', render: (_, k) => <Typography.Text strong>{k.name}</Typography.Text> },
          { title: t('tokens.prefix'), key: 'prefix', render: (_, k) => <Typography.Text code>{k.prefix}…</Typography.Text> },
          { title: t('field.createdAt'), key: 'created', render: (_, k) => formatDateTime(k.createdAt, lang) },
          { title: t('tokens.lastUsed'), key: 'used', render: (_, k) => (k.lastUsedAt ? formatRelative(k.lastUsedAt, lang) : t('tokens.neverUsed')) },
          { title: t('field.status'), key: 'status', render: (_, k) => (k.revokedAt ? <Tag>{t('tokens.statusRevoked')}</Tag> : <Tag color="green">{t('tokens.statusActive')}</Tag>) },
          {
            title: t('common.actions'), key: 'actions', align: 'right',
            render: (_, k) => (k.revokedAt ? null : (
              <Popconfirm title={t('tokens.revokeConfirm', { name: k.name })} okText={t('tokens.revoke')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}
                onConfirm={() => handleRevoke(k)}>
                <Button size="small" type="text" danger icon={<DeleteOutlined />} data-testid={`token-revoke-${k.name}`}>{t('tokens.revoke')}</Button>
              </Popconfirm>
            )),
          },
        ]} />
      <TokenCreatedModal token={created} onClose={() => setCreated(null)} />
    </Card>
  );
}
