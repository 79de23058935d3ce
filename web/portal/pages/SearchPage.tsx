import { Empty, Flex, List, Segmented, Skeleton, Typography } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Highlighted } from '../components/Highlighted.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { portalApi, type KbSearchMode } from '../portal-api.ts';
import { usePortalI18n } from '../portal-i18n.ts';
import { useLoad } from '../useLoad.ts';
import { StillNeedHelp } from './HomePage.tsx';

const MODES: KbSearchMode[] = ['fuzzy', 'any', 'exact'];

export function SearchPage() {
  const { t } = usePortalI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const mode = (MODES as string[]).includes(params.get('mode') ?? '') ? params.get('mode') as KbSearchMode : 'fuzzy';
  const results = useLoad(() => (q.trim() ? portalApi.search(q, mode, 20) : Promise.resolve(null)), [q, mode]);
  return (
    <>
      <SearchBox key={q} initial={q} mode={mode} size="middle" />
      <Flex justify="space-between" align="center" wrap gap={8} style={{ margin: '16px 0' }}>
        <Typography.Text type="secondary" data-testid="portal-results-count">{results.data ? t('results', { n: results.data.total }) : ''}</Typography.Text>
        <Segmented value={mode} data-testid="portal-search-mode" options={MODES.map((m) => ({ value: m, label: t(`mode.${m}`) }))}
          onChange={(m) => navigate(`/search?${new URLSearchParams({ q, mode: String(m) })}`, { replace: true })} />
      </Flex>
      {results.data?.byCharacters ? <Typography.Paragraph type="secondary" data-testid="portal-by-characters">{t('byCharacters')}</Typography.Paragraph> : null}
      {results.loading ? <Skeleton active /> : (
        <List data-testid="portal-results" dataSource={results.data?.items ?? []}
          locale={{ emptyText: <Empty description={results.error ? results.error.message : t('noResults')} /> }}
          renderItem={(hit) => (
            <List.Item data-testid="portal-hit">
              <List.Item.Meta
                title={<Link to={`/articles/${hit.article.id}?${new URLSearchParams({ q })}`} data-testid="portal-hit-link"><Highlighted value={hit.title} testId="portal-hit-title" /></Link>}
                description={<span className="portal-snippet"><Highlighted value={hit.snippet} /></span>} />
            </List.Item>
          )} />
      )}
      <StillNeedHelp />
    </>
  );
}
