import { BookOutlined, LinkOutlined, SaveOutlined, SnippetsOutlined } from '@ant-design/icons';
import { Button, Card, Empty, List, Space, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n.ts';
import { kbApi } from '../../../shared/kbApi.ts';
import { kbFeedbackApi } from '../../../shared/kbFeedbackApi.ts';
import type { TicketView } from '../../../shared/types.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { useRemote } from '../../hooks/useRemote.ts';
import { HighlightedText } from '../kb/HighlightedText.tsx';

/**
 * The ticket page's knowledge-base card: articles for the ticket's subject and first message (published,
 * internal ones too), each insertable into the reply as text or as a help-center link; and, once the
 * ticket is resolved, "save answer as article" (a draft FAQ; the agent lands in it).
 */
export function TicketKbCard({ ticket, done, onInsert }: { ticket: TicketView; done: boolean; onInsert(text: string): void }) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const navigate = useNavigate();
  const [saving, setSaving] = useState(false);
  const suggestions = useRemote(() => kbFeedbackApi.ticketSuggestions(ticket.id), [ticket.id, ticket.subject]);

  const insertText = async (articleId: string) => {
    try {
      const a = await kbApi.article(articleId);
      onInsert(a.bodyText.trim() || a.title);
    } catch (err) { feedback.fail(err); }
  };
  const save = async () => {
    setSaving(true);
    try {
      const saved = await kbFeedbackApi.saveTicketAnswer(ticket.id);
      feedback.ok(saved.existing ? t('ticketKb.alreadySaved') : t('ticketKb.saved'));
      navigate(`/kb?article=${encodeURIComponent(saved.articleId)}`);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={<Space><BookOutlined />{t('ticketKb.title')}</Space>} size="small" style={{ marginBottom: 16 }} data-testid="ticket-kb-card"
      extra={done ? <Button size="small" icon={<SaveOutlined />} loading={saving} onClick={() => void save()} data-testid="ticket-save-article">{t('ticketKb.save')}</Button> : null}>
      <List size="small" dataSource={suggestions.data?.items ?? []} loading={suggestions.loading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticketKb.none')} /> }}
        renderItem={(hit) => (
          <List.Item data-testid="ticket-kb-suggestion" style={{ display: 'block' }}>
            <Space size={4} wrap>
              <Typography.Text strong><HighlightedText value={hit.title} /></Typography.Text>
              {hit.article.visibility === 'internal' ? <Tag color="orange">{t('kb.visibility.internal')}</Tag> : null}
            </Space>
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ fontSize: 12, margin: '2px 0 4px' }}><HighlightedText value={hit.snippet} /></Typography.Paragraph>
            <Space size={4}>
              <Tooltip title={t('ticketKb.insertTextHelp')}>
                <Button size="small" icon={<SnippetsOutlined />} onClick={() => void insertText(hit.article.id)} data-testid="ticket-kb-insert-text">{t('ticketKb.insertText')}</Button>
              </Tooltip>
              {hit.article.visibility === 'public' ? (
                <Button size="small" icon={<LinkOutlined />} data-testid="ticket-kb-insert-link"
                  onClick={() => onInsert(`${hit.article.title}: ${window.location.origin}/help/articles/${hit.article.id}`)}>{t('ticketKb.insertLink')}</Button>
              ) : null}
            </Space>
          </List.Item>
        )} />
    </Card>
  );
}
