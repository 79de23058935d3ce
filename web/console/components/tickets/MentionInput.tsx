import { Mentions } from 'antd';
import type { CSSProperties, KeyboardEvent } from 'react';
import { useI18n } from '../../../shared/i18n.ts';
import type { Person } from './mentions.ts';

/**
 * The composer's text box: typing "@" suggests colleagues by name. The text stays plain; who was
 * mentioned is read back from it with findMentions() when the message is sent.
 */
export function MentionInput({ value, onChange, people, placeholder, style, onKeyDown, testId }: {
  value: string; onChange(v: string): void; people: Person[]; placeholder?: string; style?: CSSProperties;
  onKeyDown?(e: KeyboardEvent<HTMLTextAreaElement>): void; testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Mentions value={value} onChange={onChange} autoSize={{ minRows: 4, maxRows: 12 }} placeholder={placeholder} style={style} onKeyDown={onKeyDown}
      data-testid={testId} notFoundContent={t('collab.mentionNone')} popupClassName="kefu-mention-popup"
      options={people.map((p) => ({ key: p.id, value: p.name, label: <span data-testid={`mention-option-${p.id}`}>{p.name}</span> }))} />
  );
}
