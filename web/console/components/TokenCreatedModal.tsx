import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Typography } from 'antd';
import { useI18n } from '../../shared/i18n.ts';

/** The new API token, shown this once with a copy button. */
export function TokenCreatedModal({ token, onClose }: { token: string | null; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Modal open={!!token} title={<span><KeyOutlined /> {t('tokens.createdTitle')}</span>} onCancel={onClose} closable={false} mask={{ closable: false }}
      footer={<Button type="primary" onClick={onClose} data-testid="token-done">{t('tokens.stored')}</Button>}>
      <Alert type="warning" showIcon title={t('tokens.onceWarning')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph copyable={{ text: token ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
        style={{ background: '#f6f8fb', border: '1px solid #e3e8f0', borderRadius: 6, padding: '10px 12px', fontFamily: 'ui-monospace, Menlo, Consolas, monospace', wordBreak: 'break-all' }}
        data-testid="token-value">
        {token}
      </Typography.Paragraph>
      <Typography.Text type="secondary">{t('tokens.usage')}</Typography.Text>
    </Modal>
  );
}
