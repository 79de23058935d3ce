import { FolderOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Row, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { SearchBox } from '../components/SearchBox.tsx';
import { portalApi } from '../portal-api.ts';
import { usePortalI18n } from '../portal-i18n.ts';
import { useLoad } from '../useLoad.ts';

export function HomePage() {
  const { t } = usePortalI18n();
  const categories = useLoad(() => portalApi.categories(), []);
  const top = (categories.data?.items ?? []).filter((c) => !c.parentId || !categories.data!.items.some((p) => p.id === c.parentId));
  return (
    <>
      <section className="portal-hero">
        <h1>{t('homeTitle')}</h1>
        <p>{t('homeSubtitle')}</p>
        <SearchBox />
      </section>
      <main className="portal-main">
        <Typography.Title level={4}>{t('categories')}</Typography.Title>
        {categories.loading ? <Skeleton active /> : top.length ? (
          <Row gutter={[16, 16]} data-testid="portal-categories">
            {top.map((c) => (
              <Col key={c.id} xs={24} sm={12} md={8}>
                <Link to={`/categories/${c.id}`} data-testid="portal-category">
                  <Card hoverable size="small">
                    <Card.Meta avatar={<FolderOutlined style={{ fontSize: 22, color: '#2f6bff' }} />} title={c.name}
                      description={<>{c.description ? <div>{c.description}</div> : null}<Typography.Text type="secondary">{t('articlesCount', { n: c.articleCount })}</Typography.Text></>} />
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        ) : <Empty description={categories.error ? t('loadFailed') : t('noCategories')} />}
        <StillNeedHelp />
      </main>
    </>
  );
}

export function StillNeedHelp() {
  const { t } = usePortalI18n();
  return (
    <Card style={{ marginTop: 32, textAlign: 'center' }}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>{t('stillNeedHelp')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('stillNeedHelpText')}</Typography.Paragraph>
      <Link to="/new"><Button type="primary">{t('submitRequest')}</Button></Link>
    </Card>
  );
}
