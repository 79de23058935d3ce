import { CheckOutlined, GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useAuth } from '../../shared/auth.tsx';
import { LANGUAGES, useI18n } from '../../shared/i18n.ts';
import { useFeedback } from '../hooks/useFeedback.ts';

/** 简体中文 / English; signed in, the choice is also saved to the profile. */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { lang, t } = useI18n();
  const auth = useAuth();
  const feedback = useFeedback();
  const current = LANGUAGES.find((l) => l.value === lang) ?? LANGUAGES[0];
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectedKeys: [lang],
        items: LANGUAGES.map((l) => ({
          key: l.value,
          label: <span data-testid={`lang-option-${l.value}`}>{l.label}</span>,
          extra: l.value === lang ? <CheckOutlined /> : null,
        })),
        onClick: ({ key }) => { auth.changeLanguage(key as typeof lang).catch(feedback.fail); },
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="language-switch" aria-label={t('common.language')}
        style={dark ? { color: 'rgba(255,255,255,0.85)' } : undefined}>
        {current.label}
      </Button>
    </Dropdown>
  );
}
