import { CloseOutlined, LinkOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Input, List, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ticketCollabApi, ticketsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { LinkedTicket } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { StatusTag } from './TicketTags.tsx';

/** Related tickets, both ways: add one by its number, open or unlink the others. */
export function LinkedTicketsCard({ ticketId, ticketNumber, links, onChanged }: {
  ticketId: string; ticketNumber: number; links: LinkedTicket[]; onChanged(): Promise<void>;
}) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [text, setText] = useState('');
  // "12", "#12" or "＃12": the digits are the number
  const typed = /^\s*[#＃]?\s*(\d{1,9})\s*$/.exec(text);
  const number = typed ? Number(typed[1]) : null;
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<string | null>) => {
    setBusy(true);
    try {
      const done = await work();
      if (done) { feedback.ok(done); await onChanged(); }
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  /** The number is looked up through the queue search, so only a ticket the agent may see is found. */
  const add = () => run(async () => {
    if (!number || number === ticketNumber) return null;
    const found = (await ticketsApi.list({ view: 'all', q: `#${number}`, limit: 5 })).items.find((x) => x.number === number);
    if (!found) { feedback.fail(new Error(t('collab.linkNotFound', { number }))); return null; }
    await ticketCollabApi.link(ticketId, found.id);
    setText('');
    return t('collab.linked', { number });
  });

  return (
    <Card title={t('collab.links')} size="small" style={{ marginBottom: 16 }} data-testid="links-card">
      {links.length ? (
        <List size="small" dataSource={links} renderItem={(x) => (
          <List.Item style={{ paddingInline: 0 }} data-testid={`link-${x.number}`} extra={
            <Flex gap={4} align="center">
              <StatusTag status={x.status} />
              <Tooltip title={t('collab.unlink', { number: x.number })}>
                <Button type="text" size="small" icon={<CloseOutlined />} aria-label={t('collab.unlink', { number: x.number })} disabled={busy}
                  data-testid={`link-remove-${x.number}`} onClick={() => void run(async () => { await ticketCollabApi.unlink(ticketId, x.id); return t('collab.unlinked'); })} />
              </Tooltip>
            </Flex>
          }>
            <Link to={`/tickets/${x.id}`} style={{ minWidth: 0 }}>
              <Typography.Text type="secondary">#{x.number}</Typography.Text> <Typography.Text ellipsis style={{ maxWidth: 150 }}>{x.subject}</Typography.Text>
            </Link>
          </List.Item>
        )} />
      ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('collab.noLinks')} style={{ margin: '4px 0' }} />}
      <Flex gap={8} style={{ marginTop: 8 }}>
        <Input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('collab.linkPlaceholder')} maxLength={12}
          style={{ flex: 1 }} data-testid="link-number" onPressEnter={() => void add()} status={text.trim() && !number ? 'error' : undefined} />
        <Button icon={<LinkOutlined />} loading={busy} disabled={!number} onClick={() => void add()} data-testid="link-add">{t('collab.link')}</Button>
      </Flex>
    </Card>
  );
}
