import { FileTextOutlined } from '@ant-design/icons';
import { Typography } from 'antd';
import { useAuth } from '../../../shared/auth.tsx';
import { mailboxesApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { MessageView } from '../../../shared/types.ts';

/**
 * "View original" on an email a customer sent: the raw source as a download. Shown only to staff who
 * may see contact details (the source carries the sender's address; the server refuses everyone else).
 */
export function MessageSourceLink({ ticketId, message }: { ticketId: string; message: MessageView }) {
  const { t } = useI18n();
  const { can } = useAuth();
  if (message.channel !== 'email' || message.direction !== 'in' || message.authorType !== 'customer' || !can('customers.view_contact')) return null;
  return (
    <Typography.Link href={mailboxesApi.rawUrl(ticketId, message.id)} download style={{ fontSize: 12 }} data-testid="message-view-original">
      <FileTextOutlined /> {t('message.viewOriginal')}
    </Typography.Link>
  );
}
