import { Input } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { KbSearchMode } from '../portal-api.ts';
import { usePortalI18n } from '../portal-i18n.ts';

/** The search box: Enter opens the results page (the query and mode live in the address, so results can be shared). */
export function SearchBox({ initial = '', mode = 'fuzzy', size = 'large' }: { initial?: string; mode?: KbSearchMode; size?: 'large' | 'middle' }) {
  const { t } = usePortalI18n();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial);
  return (
    <Input.Search className="portal-search" size={size} enterButton={t('search')} allowClear value={value} maxLength={200}
      placeholder={t('searchPlaceholder')} data-testid="portal-search" onChange={(e) => setValue(e.target.value)}
      onSearch={(q) => { if (q.trim()) navigate(`/search?${new URLSearchParams({ q: q.trim(), mode })}`); }} />
  );
}
