import { ClearOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select } from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useAuth } from '../../../shared/auth.tsx';
import { useI18n } from '../../../shared/i18n.ts';
import type { ChannelKind, Priority, TicketFilters, TicketStatus, TicketTypeView } from '../../../shared/types.ts';
import type { Directory } from '../../hooks/useDirectory.ts';
import { hasFilters } from './queueFilters.ts';

const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'];
const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
const CHANNELS: ChannelKind[] = ['email', 'webchat', 'portal', 'phone', 'wechat', 'api', 'internal'];
const ME = 'me';
const NONE = 'none';

/**
 * The queue's filter bar: statuses, priorities, departments, assignee, type, channel, tags and text.
 * Text waits for a pause in typing; every other change applies at once.
 */
export function QueueFilterBar({ value, onChange, directory, types, extra }: {
  value: TicketFilters; onChange(next: TicketFilters): void; directory: Directory; types: TicketTypeView[]; extra?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const [text, setText] = useState(value.q ?? '');
  const latest = useRef(value);
  latest.current = value;

  // Another view chosen, or the filters cleared: show their text (not while it is the one being typed).
  useEffect(() => { if ((value.q ?? '') !== text.trim()) setText(value.q ?? ''); }, [value.q]);
  useEffect(() => {
    if (text.trim() === (latest.current.q ?? '').trim()) return;
    const timer = setTimeout(() => onChange({ ...latest.current, q: text.trim() || undefined }), 300);
    return () => clearTimeout(timer);
  }, [text]);

  const set = <K extends keyof TicketFilters>(key: K, v: TicketFilters[K]) => onChange({ ...value, [key]: v });
  const list = <T,>(v: T[] | undefined) => (v?.length ? v : undefined);
  const select = { allowClear: true, maxTagCount: 'responsive' as const, showSearch: true, optionFilterProp: 'label', style: { width: 150 } };

  return (
    <Flex gap={8} wrap align="center" data-testid="queue-filter-bar">
      <Input allowClear prefix={<SearchOutlined />} placeholder={t('tickets.searchPlaceholder')} style={{ width: 220 }} data-testid="ticket-search"
        value={text} onChange={(e) => setText(e.target.value)} />
      <Select {...select} mode="multiple" placeholder={t('filter.status')} data-testid="filter-statuses" value={value.statuses ?? []}
        onChange={(v: TicketStatus[]) => set('statuses', list(v))} options={STATUSES.map((s) => ({ value: s, label: t(`ticketStatus.${s}`) }))} />
      <Select {...select} mode="multiple" placeholder={t('filter.priority')} data-testid="filter-priorities" value={value.priorities ?? []}
        onChange={(v: Priority[]) => set('priorities', list(v))} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
      <Select {...select} mode="multiple" placeholder={t('filter.department')} data-testid="filter-departments" value={value.departmentIds ?? []}
        onChange={(v: string[]) => set('departmentIds', list(v))} options={directory.departments.map((d) => ({ value: d.id, label: d.name }))} />
      <Select {...select} placeholder={t('filter.assignee')} data-testid="filter-assignee" value={value.assignee}
        onChange={(v: string | undefined) => set('assignee', v)}
        options={[
          { value: ME, label: t('filter.assigneeMe') },
          { value: NONE, label: t('ticket.unassigned') },
          ...directory.staff.filter((s) => s.id !== me?.id && s.status !== 'invited').map((s) => ({ value: s.id, label: s.name })),
        ]} />
      <Select {...select} mode="multiple" placeholder={t('filter.type')} data-testid="filter-types" value={value.typeIds ?? []}
        onChange={(v: string[]) => set('typeIds', list(v))} options={types.map((x) => ({ value: x.id, label: lang === 'en' ? x.nameEn : x.nameZh }))} />
      <Select {...select} mode="multiple" placeholder={t('filter.channel')} data-testid="filter-channels" value={value.channels ?? []}
        onChange={(v: ChannelKind[]) => set('channels', list(v))} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
      <Select {...select} mode="tags" placeholder={t('filter.tags')} data-testid="filter-tags" value={value.tags ?? []} tokenSeparators={[',', '，']}
        open={false} suffixIcon={null} onChange={(v: string[]) => set('tags', list(v.map((x) => x.trim()).filter((x) => x && x.length <= 50)))} />
      {hasFilters(value) && (
        <Button type="text" icon={<ClearOutlined />} data-testid="filter-clear" onClick={() => { setText(''); onChange({}); }}>{t('filter.clear')}</Button>
      )}
      {extra}
    </Flex>
  );
}
