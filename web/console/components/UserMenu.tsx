import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Dropdown, Flex, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useAuth } from '../../shared/auth.tsx';
import { useI18n } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { PRESENCE_COLORS } from './PresenceBadge.tsx';

export function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  if (/^[\u3400-\u9fff]/.test(trimmed)) return trimmed[0]!; // Chinese names: the first character
  return trimmed.split(/\s+/).slice(0, 2).map((w) => w[0]!.toUpperCase()).join('');
}

/** The avatar in the header: profile and sign-out. */
export function UserMenu() {
  const { me, logout } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const feedback = useFeedback();
  if (!me) return null;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'who', type: 'group', label: <Typography.Text type="secondary" style={{ fontSize: 12 }}>{me.email}</Typography.Text> },
          { type: 'divider' },
          { key: 'profile', icon: <UserOutlined />, label: <span data-testid="menu-profile">{t('nav.profile')}</span> },
          { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="menu-logout">{t('nav.logout')}</span> },
        ],
        onClick: ({ key }) => {
          if (key === 'profile') navigate('/profile');
          if (key === 'logout') logout().catch(feedback.fail); // the sign-in guard then shows /login
        },
      }}
    >
      <Flex align="center" gap={10} style={{ cursor: 'pointer' }} data-testid="user-menu">
        <span style={{ position: 'relative', display: 'inline-flex' }}>
          <Avatar style={{ background: '#e8efff', color: '#2f6bff', fontWeight: 600 }}>{initials(me.name)}</Avatar>
          <span data-testid="my-presence-dot" style={{
            position: 'absolute', right: -1, bottom: -1, width: 10, height: 10, borderRadius: 5, border: '2px solid #fff',
            background: PRESENCE_COLORS[me.presence] ?? PRESENCE_COLORS.offline,
          }} />
        </span>
        <Flex vertical style={{ lineHeight: 1.25 }}>
          <Typography.Text strong data-testid="user-name">{me.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{roleLabel(me.role, lang)}</Typography.Text>
        </Flex>
      </Flex>
    </Dropdown>
  );
}
