import { CheckCircleFilled } from '@ant-design/icons';
import { Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../../shared/i18n.ts';
import { BRAND } from '../theme.ts';
import { BrandMark } from './BrandMark.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

/** The frame of the signed-out pages: a brand panel on the left, the form on the right. */
export function AuthLayout({ title, subtitle, children }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode }) {
  const { t } = useI18n();
  const points = [t('auth.point1'), t('auth.point2'), t('auth.point3')];
  return (
    <Flex style={{ minHeight: '100vh', background: '#f3f5f9' }}>
      <Flex vertical justify="space-between" style={{
        flex: '0 0 42%', maxWidth: 560, padding: '40px 48px', color: '#fff',
        background: `radial-gradient(circle at 20% 20%, ${BRAND.navyLight} 0%, ${BRAND.navy} 55%), ${BRAND.navy}`,
      }} className="kefu-auth-brand">
        <Flex align="center" gap={12}>
          <BrandMark size={36} />
          <span style={{ fontSize: 22, fontWeight: 600, letterSpacing: 0.5 }}>Kefu</span>
        </Flex>
        <div>
          <Typography.Title level={2} style={{ color: '#fff', marginBottom: 16, lineHeight: 1.35 }}>{t('auth.tagline')}</Typography.Title>
          <Typography.Paragraph style={{ color: 'rgba(255,255,255,0.7)', fontSize: 15, marginBottom: 28 }}>{t('auth.lead')}</Typography.Paragraph>
          <Flex vertical gap={14}>
            {points.map((p) => (
              <Flex key={p} gap={10} align="center" style={{ color: 'rgba(255,255,255,0.88)', fontSize: 15 }}>
                <CheckCircleFilled style={{ color: '#5b8cff' }} /> {p}
              </Flex>
            ))}
          </Flex>
        </div>
        <Typography.Text style={{ color: 'rgba(255,255,255,0.45)' }}>{t('auth.footer')}</Typography.Text>
      </Flex>
      <Flex vertical style={{ flex: 1, padding: '24px 32px' }}>
        <Flex justify="flex-end"><LanguageSwitch /></Flex>
        <Flex flex={1} align="center" justify="center">
          <Card variant="borderless" style={{ width: '100%', maxWidth: 420, boxShadow: '0 8px 30px rgba(15, 27, 61, 0.08)' }} styles={{ body: { padding: 36 } }}>
            <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="auth-title">{title}</Typography.Title>
            {subtitle ? <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>{subtitle}</Typography.Paragraph> : <div style={{ height: 20 }} />}
            {children}
          </Card>
        </Flex>
      </Flex>
    </Flex>
  );
}
