import { EyeInvisibleOutlined, Html5Outlined } from '@ant-design/icons';
import { Typography } from 'antd';
import { useState } from 'react';
import { mailboxesApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { MessageView } from '../../../shared/types.ts';

/**
 * A customer's email as it was formatted (tables, images, the quoted history folded), on request: the
 * server's sanitized page in a frame that may run nothing and reach nothing (sandbox without any
 * allowance; the page's own CSP says the same).
 */
export function MessageFormatted({ ticketId, message }: { ticketId: string; message: MessageView }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  if (message.channel !== 'email' || message.direction !== 'in' || message.authorType !== 'customer') return null;
  return (
    <div data-testid="message-formatted">
      <Typography.Link style={{ fontSize: 12 }} onClick={() => setOpen(!open)} data-testid="message-formatted-toggle">
        {open ? <><EyeInvisibleOutlined /> {t('message.hideFormatted')}</> : <><Html5Outlined /> {t('message.showFormatted')}</>}
      </Typography.Link>
      {open ? (
        <iframe title={t('message.showFormatted')} sandbox="" src={mailboxesApi.htmlUrl(ticketId, message.id)} data-testid="message-formatted-frame"
          style={{ display: 'block', width: '100%', height: 360, marginTop: 8, border: '1px solid #eef0f4', borderRadius: 6, background: '#fff', resize: 'vertical' }} />
      ) : null}
    </div>
  );
}
