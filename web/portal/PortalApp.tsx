import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import { BrowserRouter, Link, Route, Routes } from 'react-router';
import { ANTD_LOCALES } from '../console/antdLocales.ts';
import { theme } from '../console/theme.ts';
import { setPortalLanguage, usePortalI18n } from './portal-i18n.ts';
import { ArticlePage } from './pages/ArticlePage.tsx';
import { CategoryPage } from './pages/CategoryPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { NewRequestPage } from './pages/NewRequestPage.tsx';
import { SearchPage } from './pages/SearchPage.tsx';

/**
 * The customer portal (help center), served at /help: no sign-in, the company from the address like
 * every public route. Home with search and categories, search results, articles, categories, and the
 * request form with self-service suggestions.
 */
export function PortalApp() {
  const { lang } = usePortalI18n();
  return (
    <ConfigProvider locale={ANTD_LOCALES[lang]} theme={theme}>
      <AntApp>
        <BrowserRouter basename="/help">
          <Header />
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/search" element={<Main><SearchPage /></Main>} />
            <Route path="/articles/:id" element={<Main><ArticlePage /></Main>} />
            <Route path="/categories/:id" element={<Main><CategoryPage /></Main>} />
            <Route path="/new" element={<Main><NewRequestPage /></Main>} />
            <Route path="*" element={<Main><NotFound /></Main>} />
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

function Header() {
  const { t, lang } = usePortalI18n();
  return (
    <header className="portal-header">
      <div className="portal-header-inner">
        <Link to="/" className="portal-brand" data-testid="portal-home"><span className="portal-brand-mark" />{t('brand')}</Link>
        <span style={{ display: 'flex', gap: 8 }}>
          <Link to="/new"><Button type="primary" data-testid="portal-new-request">{t('submitRequest')}</Button></Link>
          <Button type="text" data-testid="portal-language" onClick={() => setPortalLanguage(lang === 'en' ? 'zh-CN' : 'en')}>{t('language')}</Button>
        </span>
      </div>
    </header>
  );
}

function Main({ children }: { children: React.ReactNode }) {
  return <main className="portal-main">{children}</main>;
}

export function NotFound() {
  const { t } = usePortalI18n();
  return <Result status="404" title="404" subTitle={t('notFound')} extra={<Link to="/"><Button type="primary">{t('backHome')}</Button></Link>} data-testid="portal-not-found" />;
}
