import { ApiOutlined, EditOutlined, PlusOutlined, SendOutlined, SyncOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { mailboxesApi } from '../../shared/endpoints.ts';
import { formatDateTime, formatRelative } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { MailboxInput, MailboxPatch, MailboxProtocol, MailboxView, TlsMode } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { MailboxOutboundDrawer } from '../components/mail/MailboxOutboundDrawer.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';

type Values = {
  name: string; address: string; protocol: MailboxProtocol; host?: string; port?: number | null; tls: TlsMode; username?: string;
  password?: string; folder: string; departmentId: string | null; pollIntervalSeconds: number; deleteAfterFetch: boolean; active: boolean;
};

const PROTOCOLS: MailboxProtocol[] = ['imap', 'pop3', 'smtp_receiver'];
const TLS: TlsMode[] = ['tls', 'starttls', 'none'];

/** A notice under the header: what "test connection" or "sync now" answered. */
type Notice = { ok: boolean; text: string };

/** Mailboxes customer mail comes in through: add, change, test the connection, fetch now, see how the last sync went. */
export function MailboxesPage() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const directory = useDirectory();
  const list = useRemote(() => mailboxesApi.list(), []);
  const [editing, setEditing] = useState<MailboxView | 'new' | null>(null);
  const [outbound, setOutbound] = useState<MailboxView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [form] = Form.useForm<Values>();
  const protocol = Form.useWatch('protocol', form);

  useEffect(() => {
    if (editing === 'new') {
      form.setFieldsValue({ name: '', address: '', protocol: 'imap', host: '', port: null, tls: 'tls', username: '', password: '', folder: 'INBOX', departmentId: null, pollIntervalSeconds: 60, deleteAfterFetch: false, active: true });
    } else if (editing) {
      form.setFieldsValue({ ...editing, host: editing.host ?? '', username: editing.username ?? '', password: '' });
    }
  }, [editing, form]);

  const save = async () => {
    const v = await form.validateFields();
    setBusy('save');
    try {
      const fetched = v.protocol !== 'smtp_receiver';
      if (editing === 'new') {
        const input: MailboxInput = {
          name: v.name.trim(), address: v.address.trim(), protocol: v.protocol, departmentId: v.departmentId ?? null, active: v.active,
          ...(fetched ? {
            host: v.host?.trim(), tls: v.tls, folder: v.folder || 'INBOX', pollIntervalSeconds: v.pollIntervalSeconds, deleteAfterFetch: v.deleteAfterFetch,
            ...(v.port ? { port: v.port } : {}), ...(v.username?.trim() ? { username: v.username.trim() } : {}), ...(v.password ? { password: v.password } : {}),
          } : {}),
        };
        await mailboxesApi.create(input);
      } else if (editing) {
        const patch: MailboxPatch = {
          name: v.name.trim(), address: v.address.trim(), departmentId: v.departmentId ?? null, active: v.active,
          ...(fetched ? {
            host: v.host?.trim(), port: v.port || null, tls: v.tls, folder: v.folder || 'INBOX', pollIntervalSeconds: v.pollIntervalSeconds,
            deleteAfterFetch: v.deleteAfterFetch, username: v.username?.trim() || null, ...(v.password ? { password: v.password } : {}),
          } : {}),
        };
        await mailboxesApi.update(editing.id, patch);
      }
      feedback.ok(t('common.saved'));
      setEditing(null);
      await list.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(null); }
  };

  const test = async (m: MailboxView) => {
    setBusy(`test-${m.id}`);
    try {
      const r = await mailboxesApi.test(m.id);
      const smtp = r.smtp ? ` · ${t('mailbox.smtpResult', { message: r.smtp.message })}` : '';
      setNotice({ ok: r.ok && (r.smtp?.ok ?? true), text: `${t('mailbox.testResult', { name: m.name, message: r.message })}${smtp}` });
    } catch (err) { feedback.fail(err); } finally { setBusy(null); }
  };

  const sync = async (m: MailboxView) => {
    setBusy(`sync-${m.id}`);
    try {
      const r = await mailboxesApi.sync(m.id);
      if (!r.done) setNotice({ ok: true, text: t('mailbox.syncRequested') });
      else if (r.mailbox.lastSyncState === 'error') setNotice({ ok: false, text: `${m.name}: ${r.mailbox.lastError ?? t('mailbox.syncError')}` });
      else setNotice({ ok: true, text: t('mailbox.synced', { name: m.name, n: r.stored }) });
      await list.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(null); }
  };

  const columns: TableColumnsType<MailboxView> = [
    {
      title: t('mailbox.name'), key: 'name', render: (_, m) => (
        <Flex vertical>
          <Typography.Text strong>{m.name}</Typography.Text>
          <Typography.Text type="secondary">{m.address}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('mailbox.protocol'), key: 'protocol', render: (_, m) => (
        <Flex vertical gap={2}>
          <span><Tag bordered={false}>{t(`mailbox.protocol.${m.protocol}`)}</Tag>{m.active ? null : <Tag color="default">{t('mailbox.inactive')}</Tag>}</span>
          {m.protocol === 'smtp_receiver' ? null : <Typography.Text type="secondary" style={{ fontSize: 12 }}>{m.host}{m.port ? `:${m.port}` : ''} · {t(`mailbox.tls.${m.tls}`)}</Typography.Text>}
        </Flex>
      ),
    },
    { title: t('mailbox.department'), key: 'dept', render: (_, m) => (m.departmentId ? directory.departmentName(m.departmentId) : <Typography.Text type="secondary">—</Typography.Text>) },
    {
      title: t('mailbox.lastSync'), key: 'sync', render: (_, m) => (
        <Flex vertical gap={2} data-testid={`mailbox-sync-${m.address}`}>
          {m.lastSyncAt ? (
            <span>
              <Tag color={m.lastSyncState === 'ok' ? 'success' : 'error'}>{m.lastSyncState === 'ok' ? t('mailbox.syncOk') : t('mailbox.syncError')}</Tag>
              <Tooltip title={formatDateTime(m.lastSyncAt, lang)}><Typography.Text type="secondary">{formatRelative(m.lastSyncAt, lang)}</Typography.Text></Tooltip>
              {m.lastSyncState === 'ok' ? <Typography.Text type="secondary"> · {t('mailbox.fetched', { n: m.lastFetched })}</Typography.Text> : null}
            </span>
          ) : <Typography.Text type="secondary">{m.protocol === 'smtp_receiver' ? t('mailbox.receiverNote') : t('mailbox.never')}</Typography.Text>}
          {/* The server's own words, as text. */}
          {m.lastSyncState === 'error' && m.lastError ? <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="mailbox-error">{m.lastError}</Typography.Text> : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('mailbox.counts', { ingested: m.counts.ingested, duplicate: m.counts.duplicate, ignored: m.counts.ignoredAuto, rejected: m.counts.rejected, pending: m.counts.pending })}
          </Typography.Text>
          <span data-testid={`mailbox-send-${m.address}`}>
            {m.lastSendAt ? (
              <Tooltip title={formatDateTime(m.lastSendAt, lang)}>
                <Tag color={m.lastSendState === 'ok' ? 'success' : 'error'} bordered={false}>{t('mailbox.lastSend')}：{m.lastSendState === 'ok' ? t('mailbox.sendOk') : t('mailbox.sendError')}</Tag>
              </Tooltip>
            ) : null}
            {m.autoReplyEnabled ? <Tag bordered={false} color="blue">{t('mailbox.autoReplyOn')}</Tag> : null}
            {m.hasDkimKey && m.dkimDomain ? <Tag bordered={false}>{t('mailbox.dkimOn')} {m.dkimDomain}</Tag> : null}
          </span>
          {m.lastSendState === 'error' && m.lastSendError ? <Typography.Text type="danger" style={{ fontSize: 12 }} data-testid="mailbox-send-error">{m.lastSendError}</Typography.Text> : null}
        </Flex>
      ),
    },
    {
      title: t('common.actions'), key: 'ops', align: 'right', width: 340, render: (_, m) => (
        <Space size={4} wrap>
          <Button size="small" icon={<ApiOutlined />} loading={busy === `test-${m.id}`} onClick={() => void test(m)} data-testid={`mailbox-test-${m.address}`}>{t('mailbox.test')}</Button>
          {m.protocol === 'smtp_receiver' ? null : (
            <Button size="small" icon={<SyncOutlined />} disabled={!m.active} loading={busy === `sync-${m.id}`} onClick={() => void sync(m)} data-testid={`mailbox-sync-now-${m.address}`}>{t('mailbox.sync')}</Button>
          )}
          <Button size="small" icon={<SendOutlined />} onClick={() => setOutbound(m)} data-testid={`mailbox-outbound-${m.address}`}>{t('mailbox.outbound')}</Button>
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(m)} data-testid={`mailbox-edit-${m.address}`}>{t('common.edit')}</Button>
        </Space>
      ),
    },
  ];

  const fetched = protocol !== 'smtp_receiver';
  return (
    <div>
      <PageHeader title={t('nav.mailboxes')} subtitle={t('mailbox.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="mailbox-create">{t('mailbox.create')}</Button>} />
      {notice ? <Alert style={{ marginBottom: 16 }} type={notice.ok ? 'success' : 'error'} showIcon closable onClose={() => setNotice(null)} title={notice.text} data-testid="mailbox-notice" /> : null}
      <Card styles={{ body: { padding: 0 } }}>
        <Table<MailboxView> rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.loading} pagination={false} scroll={{ x: 900 }}
          locale={{ emptyText: t('mailbox.empty') }} data-testid="mailboxes-table" />
      </Card>
      <Modal open={!!editing} title={editing === 'new' ? t('mailbox.create') : t('mailbox.edit')} onCancel={() => setEditing(null)} onOk={() => void save()}
        confirmLoading={busy === 'save'} okText={t('common.save')} cancelText={t('common.cancel')} forceRender destroyOnHidden width={620} okButtonProps={{ 'data-testid': 'mailbox-save' }}>
        <Form form={form} layout="vertical" requiredMark={false}>
          <Flex gap={12}>
            <Form.Item name="name" label={t('mailbox.name')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, max: 100, message: t('mailbox.nameRequired') }]}>
              <Input data-testid="mailbox-name" />
            </Form.Item>
            <Form.Item name="address" label={t('mailbox.address')} style={{ flex: 1 }} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
              <Input data-testid="mailbox-address" />
            </Form.Item>
          </Flex>
          <Form.Item name="protocol" label={t('mailbox.protocol')}>
            <Select disabled={editing !== 'new'} options={PROTOCOLS.map((p) => ({ value: p, label: t(`mailbox.protocol.${p}`) }))} data-testid="mailbox-protocol" />
          </Form.Item>
          {fetched ? (
            <>
              <Flex gap={12}>
                <Form.Item name="host" label={t('mailbox.host')} style={{ flex: 2 }} rules={[{ required: true, whitespace: true, message: t('mailbox.hostRequired') }]}>
                  <Input placeholder="imap.example.com" data-testid="mailbox-host" />
                </Form.Item>
                <Form.Item name="port" label={t('mailbox.port')} style={{ flex: 1 }} tooltip={t('mailbox.portHelp')}>
                  <InputNumber min={1} max={65535} style={{ width: '100%' }} data-testid="mailbox-port" />
                </Form.Item>
                <Form.Item name="tls" label={t('mailbox.tls')} style={{ flex: 1 }}>
                  <Select options={TLS.map((x) => ({ value: x, label: t(`mailbox.tls.${x}`) }))} data-testid="mailbox-tls" />
                </Form.Item>
              </Flex>
              <Flex gap={12}>
                <Form.Item name="username" label={t('mailbox.username')} style={{ flex: 1 }} extra={t('mailbox.usernameHelp')}>
                  <Input autoComplete="off" data-testid="mailbox-username" />
                </Form.Item>
                <Form.Item name="password" label={t('mailbox.password')} style={{ flex: 1 }}
                  extra={editing !== 'new' && editing?.hasPassword ? t('mailbox.passwordKeep') : undefined}
                  rules={editing === 'new' || !editing?.hasPassword ? [{ required: true, message: t('mailbox.passwordRequired') }] : []}>
                  <Input.Password autoComplete="new-password" data-testid="mailbox-password" />
                </Form.Item>
              </Flex>
              <Flex gap={12}>
                {protocol === 'imap' ? (
                  <Form.Item name="folder" label={t('mailbox.folder')} style={{ flex: 1 }}><Input data-testid="mailbox-folder" /></Form.Item>
                ) : null}
                <Form.Item name="pollIntervalSeconds" label={t('mailbox.pollInterval')} style={{ flex: 1 }} tooltip={t('mailbox.pollHelp')}>
                  <InputNumber min={10} max={86_400} style={{ width: '100%' }} />
                </Form.Item>
              </Flex>
              {protocol === 'pop3' ? (
                <Form.Item name="deleteAfterFetch" label={t('mailbox.deleteAfterFetch')} valuePropName="checked"><Switch /></Form.Item>
              ) : null}
            </>
          ) : <Alert type="info" showIcon title={t('mailbox.receiverNote')} style={{ marginBottom: 16 }} />}
          <Form.Item name="departmentId" label={t('mailbox.department')} extra={t('mailbox.departmentHelp')}>
            <Select allowClear placeholder={t('mailbox.noDepartment')} options={directory.departments.map((d) => ({ value: d.id, label: d.name }))} />
          </Form.Item>
          <Form.Item name="active" label={t('mailbox.active')} valuePropName="checked"><Switch data-testid="mailbox-active" /></Form.Item>
        </Form>
      </Modal>
      <MailboxOutboundDrawer mailbox={outbound} onClose={() => setOutbound(null)} onSaved={() => { setOutbound(null); void list.reload(); }} />
    </div>
  );
}
