import { Breadcrumb, Card, Empty, List, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { portalApi } from '../portal-api.ts';
import { usePortalI18n } from '../portal-i18n.ts';
import { useLoad } from '../useLoad.ts';
import { NotFound } from '../PortalApp.tsx';
import { StillNeedHelp } from './HomePage.tsx';

const PAGE = 20;

export function CategoryPage() {
  const { id = '' } = useParams();
  const { t } = usePortalI18n();
  const [page, setPage] = useState(1);
  const category = useLoad(() => portalApi.category(id), [id]);
  const all = useLoad(() => portalApi.categories(), []);
  const articles = useLoad(() => portalApi.categoryArticles(id, (page - 1) * PAGE), [id, page]);
  if (category.error?.status === 404 || category.error?.status === 400) return <NotFound />;
  if (category.loading) return <Skeleton active />;
  const c = category.data;
  if (!c) return <Typography.Text type="danger">{category.error?.message ?? t('loadFailed')}</Typography.Text>;
  const parent = all.data?.items.find((p) => p.id === c.parentId);
  const children = (all.data?.items ?? []).filter((s) => s.parentId === c.id);
  return (
    <>
      <Breadcrumb style={{ marginBottom: 12 }} items={[
        { title: <Link to="/">{t('home')}</Link> },
        ...(parent ? [{ title: <Link to={`/categories/${parent.id}`}>{parent.name}</Link> }] : []),
        { title: c.name },
      ]} />
      <Typography.Title level={2} data-testid="portal-category-name">{c.name}</Typography.Title>
      {c.description ? <Typography.Paragraph type="secondary">{c.description}</Typography.Paragraph> : null}
      {children.length ? (
        <Card size="small" style={{ marginBottom: 16 }}>
          {children.map((s) => <Link key={s.id} to={`/categories/${s.id}`} style={{ marginRight: 16 }}>{s.name} ({s.articleCount})</Link>)}
        </Card>
      ) : null}
      <Card>
        <List data-testid="portal-category-articles" loading={articles.loading} dataSource={articles.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('noCategories')} /> }}
          pagination={articles.data && articles.data.total > PAGE ? { current: page, pageSize: PAGE, total: articles.data.total, onChange: setPage } : false}
          renderItem={(a) => <List.Item><Link to={`/articles/${a.id}`}>{a.title}</Link></List.Item>} />
      </Card>
      <StillNeedHelp />
    </>
  );
}
