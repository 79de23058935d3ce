import { Alert, Button, Checkbox, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Space, Switch, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { mailboxesApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { MailboxPatch, MailboxView, TlsMode } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';

type Values = {
  smtpMode: 'system' | 'custom'; smtpHost: string; smtpPort: number | null; smtpTls: TlsMode; smtpUsername: string; smtpPassword: string;
  removeSmtpPassword: boolean; senderName: string; signatureZh: string; signatureEn: string;
  autoReplyEnabled: boolean; autoReplyHourlyLimit: number; autoReplySubjectZh: string; autoReplyBodyZh: string; autoReplySubjectEn: string; autoReplyBodyEn: string;
  dkimDomain: string; dkimSelector: string; dkimPrivateKey: string; removeDkimKey: boolean;
};

const TLS: TlsMode[] = ['starttls', 'tls', 'none'];
const orNull = (v: string | undefined) => (v?.trim() ? v.trim() : null);

/**
 * A mailbox's outgoing side: the SMTP server replies leave through, the sender name, signatures, the
 * auto-reply templates and DKIM signing. Secrets (SMTP password, DKIM key) are never shown: only
 * whether they are set; an empty field keeps them.
 */
export function MailboxOutboundDrawer({ mailbox, onClose, onSaved }: { mailbox: MailboxView | null; onClose(): void; onSaved(m: MailboxView): void }) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const mode = Form.useWatch('smtpMode', form);

  useEffect(() => {
    if (!mailbox) return;
    form.setFieldsValue({
      smtpMode: mailbox.smtpMode, smtpHost: mailbox.smtpHost ?? '', smtpPort: mailbox.smtpPort, smtpTls: mailbox.smtpTls, smtpUsername: mailbox.smtpUsername ?? '',
      smtpPassword: '', removeSmtpPassword: false, senderName: mailbox.senderName ?? '', signatureZh: mailbox.signatureZh ?? '', signatureEn: mailbox.signatureEn ?? '',
      autoReplyEnabled: mailbox.autoReplyEnabled, autoReplyHourlyLimit: mailbox.autoReplyHourlyLimit,
      autoReplySubjectZh: mailbox.autoReplySubjectZh ?? '', autoReplyBodyZh: mailbox.autoReplyBodyZh ?? '',
      autoReplySubjectEn: mailbox.autoReplySubjectEn ?? '', autoReplyBodyEn: mailbox.autoReplyBodyEn ?? '',
      dkimDomain: mailbox.dkimDomain ?? '', dkimSelector: mailbox.dkimSelector ?? '', dkimPrivateKey: '', removeDkimKey: false,
    });
  }, [mailbox, form]);

  const save = async () => {
    if (!mailbox) return;
    const v = await form.validateFields();
    const patch: MailboxPatch = {
      smtpMode: v.smtpMode, senderName: orNull(v.senderName),
      ...(v.smtpMode === 'custom' ? {
        smtpHost: orNull(v.smtpHost), smtpPort: v.smtpPort || null, smtpTls: v.smtpTls, smtpUsername: orNull(v.smtpUsername),
        ...(v.smtpPassword ? { smtpPassword: v.smtpPassword } : v.removeSmtpPassword ? { smtpPassword: null } : {}),
      } : {}),
      signatureZh: orNull(v.signatureZh), signatureEn: orNull(v.signatureEn),
      autoReplyEnabled: v.autoReplyEnabled, autoReplyHourlyLimit: v.autoReplyHourlyLimit,
      autoReplySubjectZh: orNull(v.autoReplySubjectZh), autoReplyBodyZh: orNull(v.autoReplyBodyZh),
      autoReplySubjectEn: orNull(v.autoReplySubjectEn), autoReplyBodyEn: orNull(v.autoReplyBodyEn),
      dkimDomain: orNull(v.dkimDomain), dkimSelector: orNull(v.dkimSelector),
      ...(v.dkimPrivateKey.trim() ? { dkimPrivateKey: v.dkimPrivateKey.trim() } : v.removeDkimKey ? { dkimPrivateKey: null } : {}),
    };
    setSaving(true);
    try {
      const saved = await mailboxesApi.update(mailbox.id, patch);
      feedback.ok(t('common.saved'));
      onSaved(saved);
    } catch (err) { feedback.fail(err); } finally { setSaving(false); }
  };

  const needsBody = ({ getFieldValue }: { getFieldValue(name: string): unknown }) => ({
    validator: async () => {
      if (!getFieldValue('autoReplyEnabled')) return;
      if (!String(getFieldValue('autoReplyBodyZh') ?? '').trim() && !String(getFieldValue('autoReplyBodyEn') ?? '').trim()) throw new Error(t('mailbox.autoReplyBodyRequired'));
    },
  });

  return (
    <Drawer open={!!mailbox} onClose={onClose} size={680} destroyOnHidden forceRender data-testid="mailbox-outbound"
      title={mailbox ? t('mailbox.outboundTitle', { name: mailbox.name }) : ''}
      extra={<Space><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={saving} onClick={() => void save()} data-testid="outbound-save">{t('common.save')}</Button></Space>}>
      {mailbox ? <Typography.Paragraph type="secondary">{t('mailbox.outboundHelp', { address: mailbox.address })}</Typography.Paragraph> : null}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Tabs items={[
          {
            key: 'smtp', label: <span data-testid="outbound-tab-smtp">{t('mailbox.tab.smtp')}</span>, forceRender: true, children: (
              <>
                <Form.Item name="smtpMode" label={t('mailbox.smtpMode')}>
                  <Radio.Group data-testid="outbound-smtp-mode" options={[
                    { value: 'system', label: t('mailbox.smtpMode.system') }, { value: 'custom', label: t('mailbox.smtpMode.custom') },
                  ]} />
                </Form.Item>
                {mode === 'custom' ? (
                  <>
                    <Flex gap={12}>
                      <Form.Item name="smtpHost" label={t('mailbox.smtpHost')} style={{ flex: 2 }} rules={[{ required: true, whitespace: true, message: t('mailbox.smtpHostRequired') }]}>
                        <Input placeholder="smtp.example.com" data-testid="outbound-smtp-host" />
                      </Form.Item>
                      <Form.Item name="smtpPort" label={t('mailbox.port')} style={{ flex: 1 }} tooltip={t('mailbox.smtpPortHelp')}>
                        <InputNumber min={1} max={65535} style={{ width: '100%' }} data-testid="outbound-smtp-port" />
                      </Form.Item>
                      <Form.Item name="smtpTls" label={t('mailbox.tls')} style={{ flex: 1 }}>
                        <Select options={TLS.map((x) => ({ value: x, label: t(`mailbox.tls.${x}`) }))} data-testid="outbound-smtp-tls" />
                      </Form.Item>
                    </Flex>
                    <Flex gap={12}>
                      <Form.Item name="smtpUsername" label={t('mailbox.username')} style={{ flex: 1 }}>
                        <Input autoComplete="off" data-testid="outbound-smtp-username" />
                      </Form.Item>
                      <Form.Item name="smtpPassword" label={t('mailbox.password')} style={{ flex: 1 }} extra={mailbox?.hasSmtpPassword ? t('mailbox.secretKeep') : undefined}>
                        <Input.Password autoComplete="new-password" data-testid="outbound-smtp-password" />
                      </Form.Item>
                    </Flex>
                    {mailbox?.hasSmtpPassword ? <Form.Item name="removeSmtpPassword" valuePropName="checked"><Checkbox>{t('mailbox.secretRemove')}</Checkbox></Form.Item> : null}
                  </>
                ) : <Alert type="info" showIcon title={t('mailbox.smtpSystemHelp')} style={{ marginBottom: 16 }} />}
                <Form.Item name="senderName" label={t('mailbox.senderName')} extra={t('mailbox.senderNameHelp')} rules={[{ max: 100 }]}>
                  <Input data-testid="outbound-sender-name" />
                </Form.Item>
              </>
            ),
          },
          {
            key: 'signature', label: <span data-testid="outbound-tab-signature">{t('mailbox.tab.signature')}</span>, forceRender: true, children: (
              <>
                <Typography.Paragraph type="secondary">{t('mailbox.signatureHelp')}</Typography.Paragraph>
                <Form.Item name="signatureZh" label={t('mailbox.signatureZh')} rules={[{ max: 2000 }]}><Input.TextArea rows={4} data-testid="outbound-signature-zh" /></Form.Item>
                <Form.Item name="signatureEn" label={t('mailbox.signatureEn')} rules={[{ max: 2000 }]}><Input.TextArea rows={4} data-testid="outbound-signature-en" /></Form.Item>
              </>
            ),
          },
          {
            key: 'autoReply', label: <span data-testid="outbound-tab-auto-reply">{t('mailbox.tab.autoReply')}</span>, forceRender: true, children: (
              <>
                <Flex gap={16} align="center" wrap>
                  <Form.Item name="autoReplyEnabled" valuePropName="checked" label={t('mailbox.autoReplyEnabled')}><Switch data-testid="outbound-auto-reply-enabled" /></Form.Item>
                  <Form.Item name="autoReplyHourlyLimit" label={t('mailbox.autoReplyLimit')}><InputNumber min={1} max={100} data-testid="outbound-auto-reply-limit" /></Form.Item>
                </Flex>
                <Typography.Paragraph type="secondary">{t('mailbox.autoReplyHelp')}</Typography.Paragraph>
                <Form.Item name="autoReplySubjectZh" label={t('mailbox.autoReplySubjectZh')} rules={[{ max: 300 }]}><Input data-testid="outbound-auto-subject-zh" placeholder="已收到您的请求 [#{{number}}]" /></Form.Item>
                <Form.Item name="autoReplyBodyZh" label={t('mailbox.autoReplyBodyZh')} dependencies={['autoReplyEnabled', 'autoReplyBodyEn']} rules={[{ max: 5000 }, needsBody]}>
                  <Input.TextArea rows={4} data-testid="outbound-auto-body-zh" />
                </Form.Item>
                <Form.Item name="autoReplySubjectEn" label={t('mailbox.autoReplySubjectEn')} rules={[{ max: 300 }]}><Input data-testid="outbound-auto-subject-en" placeholder="We received your request [#{{number}}]" /></Form.Item>
                <Form.Item name="autoReplyBodyEn" label={t('mailbox.autoReplyBodyEn')} dependencies={['autoReplyEnabled', 'autoReplyBodyZh']} rules={[{ max: 5000 }, needsBody]}>
                  <Input.TextArea rows={4} data-testid="outbound-auto-body-en" />
                </Form.Item>
              </>
            ),
          },
          {
            key: 'dkim', label: <span data-testid="outbound-tab-dkim">{t('mailbox.tab.dkim')}</span>, forceRender: true, children: (
              <>
                <Typography.Paragraph type="secondary">{t('mailbox.dkimHelp')}</Typography.Paragraph>
                <Flex gap={12}>
                  <Form.Item name="dkimDomain" label={t('mailbox.dkimDomain')} style={{ flex: 1 }}><Input placeholder="example.com" data-testid="outbound-dkim-domain" /></Form.Item>
                  <Form.Item name="dkimSelector" label={t('mailbox.dkimSelector')} style={{ flex: 1 }}><Input placeholder="kefu" data-testid="outbound-dkim-selector" /></Form.Item>
                </Flex>
                <Form.Item name="dkimPrivateKey" label={t('mailbox.dkimKey')} extra={mailbox?.hasDkimKey ? t('mailbox.secretKeep') : undefined}>
                  <Input.TextArea rows={6} autoComplete="off" spellCheck={false} placeholder="-----BEGIN PRIVATE KEY-----" data-testid="outbound-dkim-key" style={{ fontFamily: 'monospace' }} />
                </Form.Item>
                {mailbox?.hasDkimKey ? <Form.Item name="removeDkimKey" valuePropName="checked"><Checkbox>{t('mailbox.secretRemove')}</Checkbox></Form.Item> : null}
              </>
            ),
          },
        ]} />
      </Form>
    </Drawer>
  );
}
