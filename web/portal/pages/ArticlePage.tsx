import { DislikeOutlined, FileOutlined, LikeOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Col, Flex, List, Row, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ArticleBody } from '../ArticleBody.tsx';
import { portalApi, PortalError } from '../portal-api.ts';
import { usePortalI18n } from '../portal-i18n.ts';
import { useLoad } from '../useLoad.ts';
import { NotFound } from '../PortalApp.tsx';
import { StillNeedHelp } from './HomePage.tsx';

/** "12.5 KB": a file size as people read it. */
export function fileSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}

export function ArticlePage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const { t, lang } = usePortalI18n();
  const { message } = App.useApp();
  const query = params.get('q') ?? '';
  const article = useLoad(() => portalApi.article(id), [id]);
  const files = useLoad(() => portalApi.attachments(id).catch(() => ({ items: [] })), [id]);
  const related = useLoad(() => portalApi.related(id).catch(() => ({ items: [] })), [id]);
  const categoryId = article.data?.categoryId;
  const category = useLoad(() => (categoryId ? portalApi.category(categoryId).catch(() => null) : Promise.resolve(null)), [categoryId]);
  const [voted, setVoted] = useState<string | null>(null);

  if (article.loading) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (article.error?.status === 404 || article.error?.status === 400) return <NotFound />;
  if (!article.data) return <Typography.Text type="danger">{article.error?.message ?? t('loadFailed')}</Typography.Text>;
  const a = article.data;

  const vote = async (helpful: boolean) => {
    try {
      await portalApi.vote(a.id, helpful);
      // "it solved my problem" is self-service that worked: counted as a deflection for the admins
      if (helpful) await portalApi.deflect(a.id, query, 'portal');
      setVoted(a.id);
    } catch (err) {
      void message.error(err instanceof PortalError ? err.message : t('loadFailed'));
    }
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={17}>
        <Breadcrumb style={{ marginBottom: 12 }} items={[
          { title: <Link to="/">{t('home')}</Link> },
          ...(category.data ? [{ title: <Link to={`/categories/${category.data.id}`}>{category.data.name}</Link> }] : []),
        ]} />
        <Card>
          <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="portal-article-title">{a.title}</Typography.Title>
          <Typography.Text type="secondary">{t('updatedAt', { date: new Date(a.updatedAt).toLocaleDateString(lang) })}</Typography.Text>
          <div style={{ marginTop: 16 }}><ArticleBody html={a.body} /></div>
          {files.data?.items.length ? (
            <div style={{ marginTop: 24 }} data-testid="portal-attachments">
              <Typography.Title level={5}>{t('attachments')}</Typography.Title>
              <List size="small" bordered dataSource={files.data.items} renderItem={(f) => (
                <List.Item>
                  <a href={portalApi.attachmentUrl(f.id)} download={f.filename} data-testid="portal-attachment"><FileOutlined /> {f.filename}</a>
                  <Typography.Text type="secondary">{fileSize(f.size)}</Typography.Text>
                </List.Item>
              )} />
            </div>
          ) : null}
          <Flex vertical align="center" gap={8} style={{ marginTop: 32, paddingTop: 16, borderTop: '1px solid #f0f0f0' }} data-testid="portal-helpful">
            {voted === a.id ? <Typography.Text type="success" data-testid="portal-helpful-thanks">{t('helpfulThanks')}</Typography.Text> : (
              <>
                <Typography.Text>{t('helpfulQuestion')}</Typography.Text>
                <Flex gap={8} wrap justify="center">
                  <Button icon={<LikeOutlined />} data-testid="portal-helpful-yes" onClick={() => void vote(true)}>{t('helpfulYes')}</Button>
                  <Button icon={<DislikeOutlined />} data-testid="portal-helpful-no" onClick={() => void vote(false)}>{t('helpfulNo')}</Button>
                </Flex>
              </>
            )}
          </Flex>
        </Card>
      </Col>
      <Col xs={24} lg={7}>
        {related.data?.items.length ? (
          <Card size="small" title={t('related')} data-testid="portal-related">
            <List size="small" dataSource={related.data.items} renderItem={(r) => (
              <List.Item><Link to={`/articles/${r.id}`}>{r.title}</Link></List.Item>
            )} />
          </Card>
        ) : null}
        <StillNeedHelp />
      </Col>
    </Row>
  );
}
