import { App as AntApp, ConfigProvider } from 'antd';
import { lazy, type ComponentType, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from '../shared/auth.tsx';
import { useI18n } from '../shared/i18n.ts';
import { AppShell } from './components/AppShell.tsx';
import { FullPageSpin } from './components/FullPageSpin.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { RequirePermission } from './components/RequirePermission.tsx';
import { ANTD_LOCALES } from './antdLocales.ts';
import { ADMIN_NAV } from './navigation.ts';
import { ActivatePage } from './pages/ActivatePage.tsx';
import { ForgotPasswordPage } from './pages/ForgotPasswordPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { ResetPasswordPage } from './pages/ResetPasswordPage.tsx';
import { theme } from './theme.ts';

/** Pages behind sign-in load on first visit, so the sign-in page stays light. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const WorkspacePage = page(() => import('./pages/WorkspacePage.tsx'), 'WorkspacePage');
const ProfilePage = page(() => import('./pages/ProfilePage.tsx'), 'ProfilePage');
const TicketsPage = page(() => import('./pages/TicketsPage.tsx'), 'TicketsPage');
const TicketPage = page(() => import('./pages/TicketPage.tsx'), 'TicketPage');
const LiveChatPage = page(() => import('./pages/LiveChatPage.tsx'), 'LiveChatPage');
const KnowledgeBasePage = page(() => import('./pages/KnowledgeBasePage.tsx'), 'KnowledgeBasePage');
const ADMIN_PAGES: Record<string, ComponentType> = {
  '/admin/staff': page(() => import('./pages/StaffPage.tsx'), 'StaffPage'),
  '/admin/roles': page(() => import('./pages/RolesPage.tsx'), 'RolesPage'),
  '/admin/departments': page(() => import('./pages/DepartmentsPage.tsx'), 'DepartmentsPage'),
  '/admin/teams': page(() => import('./pages/TeamsPage.tsx'), 'TeamsPage'),
  '/admin/audit-log': page(() => import('./pages/AuditLogPage.tsx'), 'AuditLogPage'),
  '/admin/ticket-types': page(() => import('./pages/TicketTypesPage.tsx'), 'TicketTypesPage'),
  '/admin/ticket-fields': page(() => import('./pages/TicketFieldsPage.tsx'), 'TicketFieldsPage'),
  '/admin/routing': page(() => import('./pages/RoutingPage.tsx'), 'RoutingPage'),
  '/admin/business-hours': page(() => import('./pages/BusinessHoursPage.tsx'), 'BusinessHoursPage'),
  '/admin/sla': page(() => import('./pages/SlaPoliciesPage.tsx'), 'SlaPoliciesPage'),
  '/admin/automation': page(() => import('./pages/AutomationPage.tsx'), 'AutomationPage'),
  '/admin/mailboxes': page(() => import('./pages/MailboxesPage.tsx'), 'MailboxesPage'),
  '/admin/live-chat': page(() => import('./pages/LiveChatSettingsPage.tsx'), 'LiveChatSettingsPage'),
  '/admin/outbox': page(() => import('./pages/OutboxPage.tsx'), 'OutboxPage'),
};

function SignedOutOnly({ children }: { children: ReactNode }) {
  const { status } = useAuth();
  if (status === 'loading') return <FullPageSpin />;
  if (status === 'signed-in') return <Navigate to="/" replace />;
  return <>{children}</>;
}

function ConsoleRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<SignedOutOnly><LoginPage /></SignedOutOnly>} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password" element={<ResetPasswordPage />} />
      <Route path="/activate" element={<ActivatePage />} />
      <Route element={<RequireAuth><AppShell /></RequireAuth>}>
        <Route index element={<WorkspacePage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="tickets" element={<TicketsPage />} />
        <Route path="tickets/:id" element={<TicketPage />} />
        <Route path="chat" element={<LiveChatPage />} />
        <Route path="kb" element={<KnowledgeBasePage />} />
        {ADMIN_NAV.map((n) => {
          const Page = ADMIN_PAGES[n.path]!;
          return <Route key={n.path} path={n.path} element={<RequirePermission permission={n.permission}><Page /></RequirePermission>} />;
        })}
        <Route path="admin" element={<Navigate to="/admin/staff" replace />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={ANTD_LOCALES[lang]} theme={theme}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <ConsoleRoutes />
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
