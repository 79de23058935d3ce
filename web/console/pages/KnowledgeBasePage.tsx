import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Input, List, Row, Select, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { kbFeedbackApi, type UnansweredView } from '../../shared/kbFeedbackApi.ts';
import { KbUnansweredTab } from '../components/kb/KbUnansweredTab.tsx';
import { useAuth } from '../../shared/auth.tsx';
import { formatDateTime } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import { kbApi, type KbArticleSummary, type KbSearchMode, type KbSearchResult } from '../../shared/kbApi.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { HighlightedText } from '../components/kb/HighlightedText.tsx';
import { KbArticleEditor } from '../components/kb/KbArticleEditor.tsx';
import { KbDeflectionCard } from '../components/kb/KbDeflectionCard.tsx';
import { ALL, KbCategoryTree } from '../components/kb/KbCategoryTree.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';

/**
 * The knowledge base: categories on the left; on the right the articles of the chosen category, or,
 * when a search is typed, what the search module finds (the same search the help center and the robot
 * use), with the matched words marked.
 */
export function KnowledgeBasePage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const feedback = useFeedback();
  const canManage = can('kb.manage');
  const [category, setCategory] = useState(ALL);
  const [page, setPage] = useState(1);
  const [query, setQuery] = useState('');
  const [mode, setMode] = useState<KbSearchMode>('fuzzy');
  const [results, setResults] = useState<KbSearchResult | null>(null);
  const [searching, setSearching] = useState(false);
  const [editing, setEditing] = useState<{ id: string | null; from?: UnansweredView } | null>(null);
  const [unansweredVersion, setUnansweredVersion] = useState(0);
  // ?article=<id> opens that article (a draft saved from a ticket links here)
  const [params, setParams] = useSearchParams();
  useEffect(() => {
    const linked = params.get('article');
    if (linked) { setEditing({ id: linked }); setParams({}, { replace: true }); }
  }, [params]);

  const categories = useRemote(() => kbApi.categories(), []);
  const articles = useRemote(() => kbApi.articles({ categoryId: category === ALL ? undefined : category, limit: 20, offset: (page - 1) * 20 }), [category, page]);
  const categoryId = category === ALL ? undefined : category;

  const search = async (q = query, m = mode) => {
    if (!q.trim()) { setResults(null); return; }
    setSearching(true);
    try { setResults(await kbApi.search({ q, mode: m, categoryId, limit: 20 })); } catch (err) { feedback.fail(err); } finally { setSearching(false); }
  };
  const changed = async () => {
    await Promise.all([categories.reload(), articles.reload()]);
    if (results) await search();
  };

  const tags = (a: KbArticleSummary) => (
    <Flex gap={4} wrap>
      <Tag>{t(`kb.kind.${a.kind}`)}</Tag>
      <Tag color={a.status === 'published' ? 'green' : 'default'}>{t(`kb.status.${a.status}`)}</Tag>
      {a.visibility === 'internal' ? <Tag color="orange">{t('kb.visibility.internal')}</Tag> : null}
      <Tag>{t(`kb.locale.${a.locale}`)}</Tag>
    </Flex>
  );

  const columns: TableColumnsType<KbArticleSummary> = [
    { title: t('kb.col.title'), dataIndex: 'title', render: (title: string, a) => <Typography.Link data-testid="kb-article-title" onClick={() => setEditing({ id: a.id })}>{title}</Typography.Link> },
    { title: t('kb.col.status'), key: 'tags', width: 280, render: (_, a) => tags(a) },
    { title: t('kb.col.feedback'), key: 'feedback', width: 120, render: (_, a) => `${a.views} / ${a.helpfulYes}:${a.helpfulNo}` },
    { title: t('kb.col.updated'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatDateTime(v, lang) },
  ];

  return (
    <div data-testid="kb-page">
      <PageHeader title={t('nav.knowledgeBase')} subtitle={t('kb.subtitle')}
        extra={canManage ? <Button type="primary" icon={<PlusOutlined />} data-testid="kb-new" onClick={() => setEditing({ id: null })}>{t('kb.newArticle')}</Button> : null} />
      {canManage ? <KbDeflectionCard /> : null}
      <Tabs data-testid="kb-tabs" items={[{ key: 'articles', label: t('kb.tab.articles'), children: (
      <Row gutter={16}>
        <Col xs={24} md={7} lg={6}>
          <Card size="small">
            <KbCategoryTree categories={categories.data?.items ?? []} selected={category} canManage={canManage} onChanged={changed}
              onSelect={(id) => { setCategory(id); setPage(1); if (results) setResults(null); }} />
          </Card>
        </Col>
        <Col xs={24} md={17} lg={18}>
          <Card size="small">
            <Flex gap={8} style={{ marginBottom: 12 }}>
              <Select value={mode} style={{ width: 130 }} data-testid="kb-search-mode" onChange={(m) => { setMode(m); void search(query, m); }}
                options={(['fuzzy', 'any', 'exact'] as const).map((m) => ({ value: m, label: t(`kb.mode.${m}`) }))} />
              <Input.Search allowClear value={query} placeholder={t('kb.searchPlaceholder')} loading={searching} data-testid="kb-search"
                onChange={(e) => { setQuery(e.target.value); if (!e.target.value) setResults(null); }} onSearch={(q) => void search(q)} enterButton />
            </Flex>
            {results ? (
              <div data-testid="kb-results">
                <Flex justify="space-between" style={{ marginBottom: 8 }}>
                  <Typography.Text type="secondary" data-testid="kb-searched-for">{t('kb.results', { n: results.total })} · {t('kb.searchedFor', { terms: results.terms.join(' / ') || '—' })}</Typography.Text>
                  <Typography.Link onClick={() => { setQuery(''); setResults(null); }}>{t('kb.clearSearch')}</Typography.Link>
                </Flex>
                <List dataSource={results.items} locale={{ emptyText: <Empty description={t('kb.noResults')} /> }}
                  renderItem={(hit) => (
                    <List.Item data-testid="kb-hit" onClick={() => setEditing({ id: hit.article.id })} style={{ cursor: 'pointer' }}>
                      <List.Item.Meta
                        title={<Flex justify="space-between" gap={8}><Typography.Text strong><HighlightedText value={hit.title} testId="kb-hit-title" /></Typography.Text>{tags(hit.article)}</Flex>}
                        description={<HighlightedText value={hit.snippet} testId="kb-hit-snippet" />} />
                    </List.Item>
                  )} />
              </div>
            ) : (
              <Table rowKey="id" size="middle" columns={columns} dataSource={articles.data?.items ?? []} loading={articles.loading} data-testid="kb-articles"
                locale={{ emptyText: <Empty description={t('kb.noArticles')} /> }}
                pagination={{ current: page, pageSize: 20, total: articles.data?.total ?? 0, onChange: setPage, showTotal: (n) => t('common.total', { n }) }} />
            )}
          </Card>
        </Col>
      </Row>
      ) }, ...(canManage ? [{
        key: 'unanswered', label: <span data-testid="kb-tab-unanswered">{t('kb.tab.unanswered')}</span>,
        children: <KbUnansweredTab version={unansweredVersion} onWrite={(from) => setEditing({ id: null, from })} />,
      }] : [])]} />
      <KbArticleEditor open={!!editing} articleId={editing?.id ?? null} categories={categories.data?.items ?? []} canManage={canManage}
        defaultCategoryId={categoryId ?? null} onClose={() => setEditing(null)} onChanged={changed} prefillTitle={editing?.from?.question ?? null}
        onCreated={async (a) => {
          // written from an unanswered question: that question is answered now
          if (!editing?.from) return;
          try { await kbFeedbackApi.resolve(editing.from.id, a.id); } catch (err) { feedback.fail(err); }
          setUnansweredVersion((n) => n + 1);
        }} />
    </div>
  );
}
