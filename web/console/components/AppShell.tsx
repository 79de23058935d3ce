import {
  ApartmentOutlined, AuditOutlined, BankOutlined, BranchesOutlined, CalendarOutlined, CustomerServiceOutlined, DashboardOutlined, DesktopOutlined,
  FormOutlined, InboxOutlined, MailOutlined, MessageOutlined, SafetyCertificateOutlined, TagsOutlined, TeamOutlined, ThunderboltOutlined, UserOutlined,
  ReadOutlined,
} from '@ant-design/icons';
import { Divider, Flex, Layout, Menu, Typography, type MenuProps } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { useI18n } from '../../shared/i18n.ts';
import { ADMIN_NAV } from '../navigation.ts';
import { BRAND } from '../theme.ts';
import { BrandMark } from './BrandMark.tsx';
import { FullPageSpin } from './FullPageSpin.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { NotificationBell } from './NotificationBell.tsx';
import { UserMenu } from './UserMenu.tsx';

const ICONS: Record<string, ReactNode> = {
  '/admin/staff': <UserOutlined />,
  '/admin/roles': <SafetyCertificateOutlined />,
  '/admin/departments': <ApartmentOutlined />,
  '/admin/teams': <TeamOutlined />,
  '/admin/audit-log': <AuditOutlined />,
  '/admin/outbox': <MailOutlined />,
  '/admin/ticket-types': <TagsOutlined />,
  '/admin/ticket-fields': <FormOutlined />,
  '/admin/routing': <BranchesOutlined />,
  '/admin/business-hours': <CalendarOutlined />,
  '/admin/sla': <DashboardOutlined />,
  '/admin/automation': <ThunderboltOutlined />,
  '/admin/mailboxes': <InboxOutlined />,
  '/admin/live-chat': <MessageOutlined />,
};

/** The signed-in frame: navigation on the left (only what the person may open), header on top. */
export function AppShell() {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const [narrow, setNarrow] = useState(false);
  if (!me) return null;

  const admin = ADMIN_NAV.filter((n) => !n.permission || can(n.permission));
  const items: MenuProps['items'] = [
    { key: '/tickets', icon: <CustomerServiceOutlined />, label: <span data-testid="nav-tickets">{t('nav.tickets')}</span> },
    { key: '/chat', icon: <MessageOutlined />, label: <span data-testid="nav-live-chat">{t('nav.liveChat')}</span> },
    { key: '/kb', icon: <ReadOutlined />, label: <span data-testid="nav-kb">{t('nav.knowledgeBase')}</span> },
    { key: '/', icon: <DesktopOutlined />, label: <span data-testid="nav-workspace">{t('nav.workspace')}</span> },
    ...(admin.length ? [{
      key: 'admin', type: 'group' as const, label: t('nav.adminGroup'),
      children: admin.map((n) => ({ key: n.path, icon: ICONS[n.path], label: <span data-testid={n.testId}>{t(n.label)}</span> })),
    }] : []),
  ];
  const selected = ADMIN_NAV.find((n) => location.pathname.startsWith(n.path))?.path ?? (location.pathname === '/' ? '/' : location.pathname.startsWith('/tickets') ? '/tickets' : location.pathname.startsWith('/chat') ? '/chat' : location.pathname.startsWith('/kb') ? '/kb' : '');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={228} breakpoint="lg" collapsedWidth={64} collapsed={narrow} onBreakpoint={setNarrow} trigger={null} style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
        <Flex align="center" gap={10} style={{ height: 56, padding: '0 20px', color: '#fff' }}>
          <BrandMark size={28} />
          {narrow ? null : <span style={{ fontSize: 18, fontWeight: 600, letterSpacing: 0.3 }}>Kefu</span>}
        </Flex>
        <Divider style={{ margin: '0 0 8px', borderColor: 'rgba(255,255,255,0.08)' }} />
        <Menu theme="dark" mode="inline" items={items} selectedKeys={[selected]} data-testid="sider-menu"
          onClick={({ key }) => navigate(key)} style={{ borderInlineEnd: 0, padding: '0 8px' }} />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ position: 'sticky', top: 0, zIndex: 10, borderBottom: '1px solid #e8ebf2', display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
          <Flex align="center" gap={8}>
            <BankOutlined style={{ color: BRAND.primary }} />
            <Typography.Text strong data-testid="tenant-name">{me.tenant.name}</Typography.Text>
          </Flex>
          <Flex align="center" gap={16}>
            <NotificationBell />
            <LanguageSwitch />
            <UserMenu />
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
          <Suspense fallback={<FullPageSpin />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
