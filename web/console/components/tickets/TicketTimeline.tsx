import {
  ArrowRightOutlined, CheckCircleOutlined, ClockCircleOutlined, DisconnectOutlined, EditOutlined, EyeOutlined, LinkOutlined, LockOutlined, MergeOutlined,
  PauseCircleOutlined, PlusCircleOutlined, RiseOutlined, RobotOutlined, SwapOutlined, UserOutlined,
} from '@ant-design/icons';
import { Avatar, Flex, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatDateTime, formatRelative } from '../../../shared/format.ts';
import { hasMessage, useI18n, type Translate } from '../../../shared/i18n.ts';
import type { HistoryView, Locale, MessageView, Priority, TicketFieldView, TicketStatus, TicketTypeView } from '../../../shared/types.ts';
import type { Directory } from '../../hooks/useDirectory.ts';
import { initials } from '../UserMenu.tsx';
import { MentionText } from './MentionText.tsx';
import { MessageAttachments } from './MessageAttachments.tsx';
import { MessageSourceLink } from './MessageSourceLink.tsx';
import { fieldLabel, fieldValueText } from './CustomFieldWidget.tsx';
import { MessageDelivery } from '../mail/MessageDelivery.tsx';
import { MessageFormatted } from '../mail/MessageFormatted.tsx';
import { useTicketDeliveries } from '../mail/useTicketDeliveries.ts';
import type { DeliveryView } from '../../../shared/types.ts';

type Entry = { at: string; kind: 'message'; message: MessageView } | { at: string; kind: 'history'; history: HistoryView };

/** Messages and history in one time-ordered stream (history first when both happen at the same moment). */
export function mergeTimeline(messages: MessageView[], history: HistoryView[]): Entry[] {
  const entries: Entry[] = [
    ...history.map((h) => ({ at: h.createdAt, kind: 'history' as const, history: h })),
    ...messages.map((m) => ({ at: m.createdAt, kind: 'message' as const, message: m })),
  ];
  return entries.sort((a, b) => a.at.localeCompare(b.at) || (a.kind === b.kind ? 0 : a.kind === 'history' ? -1 : 1));
}

/** The actor's name as shown: system actors ("sla", "automation" …) in the UI language. */
export function actorLabel(name: string, id: string | null, t: Translate): string {
  const key = `actor.${name}`;
  if (!id && hasMessage(key)) return t(key);
  return name;
}

/** "agent: 客户情绪激动" → source label + text; other reasons as they are. */
function reasonText(reason: string, t: Translate, lang: Locale): string {
  const m = /^(agent|customer|sla|auto|automation): ?(.*)$/s.exec(reason);
  const held = /^business hours: until (\S+)$/.exec(reason);
  if (held) return t('history.heldUntil', { time: formatDateTime(held[1], lang) });
  if (!m) return reason;
  const breach = /^SLA (\w+) breached: level (\d+)$/.exec(m[2] ?? '');
  if (breach && hasMessage(`slaMetric.${breach[1]}`)) {
    return t('history.slaBreachReason', { metric: t(`slaMetric.${breach[1]}` as 'slaMetric.resolution'), level: breach[2]! });
  }
  const key = `reasonSource.${m[1]}`;
  return hasMessage(key) ? `${t(key)}：${m[2]}` : reason;
}

function valueText(field: string, v: unknown, ctx: { t: Translate; lang: Locale; directory: Directory; types: TicketTypeView[]; fields: TicketFieldView[] }): string {
  const { t, lang, directory, types } = ctx;
  if (v === null || v === undefined || v === '') return t('history.none');
  if (field.startsWith('cf.')) return fieldValueText(ctx.fields.find((f) => f.key === field.slice(3)), v, lang);
  if (field === 'status' && hasMessage(`ticketStatus.${String(v)}`)) return t(`ticketStatus.${v as TicketStatus}`);
  if (field === 'priority' && hasMessage(`priority.${String(v)}`)) return t(`priority.${v as Priority}`);
  if (field === 'severity') return t('ticket.severityShort', { n: Number(v) });
  if (field === 'assigneeId') return directory.staffName(String(v));
  if (field === 'departmentId') return directory.departmentName(String(v));
  if (field === 'teamId') return directory.teamName(String(v));
  if (field === 'typeId') { const x = types.find((y) => y.id === v); return x ? (lang === 'en' ? x.nameEn : x.nameZh) : String(v); }
  if (Array.isArray(v)) return v.length ? v.join('、') : t('history.none');
  return String(v);
}

const HISTORY_ICON: Record<string, ReactNode> = {
  created: <PlusCircleOutlined />, assigned: <UserOutlined />, forwarded: <SwapOutlined />, escalated: <RiseOutlined style={{ color: '#fa541c' }} />,
  status: <CheckCircleOutlined />, updated: <EditOutlined />, held: <PauseCircleOutlined />,
  merged_into: <MergeOutlined />, merged_from: <MergeOutlined />, follower_added: <EyeOutlined />, follower_removed: <EyeOutlined />,
  linked: <LinkOutlined />, unlinked: <DisconnectOutlined />,
};

function HistoryLine({ h, directory, types, fields }: { h: HistoryView; directory: Directory; types: TicketTypeView[]; fields: TicketFieldView[] }) {
  const { t, lang } = useI18n();
  const actor = actorLabel(h.actorName, h.actorId, t);
  const change = (f: string) => (h.changes[f] as [unknown, unknown] | undefined) ?? [null, null];
  const show = (f: string, v: unknown) => valueText(f, v, { t, lang, directory, types, fields });
  let text: string;
  switch (h.action) {
    case 'created': text = t('history.created', { actor }); break;
    case 'assigned': {
      const to = change('assigneeId')[1] as string | null;
      text = !to ? t('history.unassigned', { actor })
        : to === h.actorId ? t('history.took', { actor })
          : t('history.assigned', { actor, to: show('assigneeId', to) });
      break;
    }
    case 'forwarded': text = t('history.forwarded', { actor, from: show('departmentId', change('departmentId')[0]), to: show('departmentId', change('departmentId')[1]) }); break;
    case 'escalated': text = t('history.escalated', { actor, level: Number(change('escalationLevel')[1] ?? 0) || '' }); break;
    case 'status': text = t('history.status', { actor, from: show('status', change('status')[0]), to: show('status', change('status')[1]) }); break;
    case 'held': text = t('history.held'); break;
    case 'updated': {
      if (Object.keys(h.changes).length === 1 && 'status' in h.changes) {
        text = t('history.status', { actor, from: show('status', change('status')[0]), to: show('status', change('status')[1]) });
        break;
      }
      const parts = Object.entries(h.changes).map(([f, v]) => {
        const [from, to] = v as [unknown, unknown];
        const custom = f.startsWith('cf.') ? fields.find((x) => x.key === f.slice(3)) : undefined;
        const label = custom ? fieldLabel(custom, lang) : hasMessage(`ticketField.${f}`) ? t(`ticketField.${f}` as 'ticketField.status') : f;
        return `${label}：${show(f, from)} → ${show(f, to)}`;
      });
      text = t('history.updated', { actor, changes: parts.join('；') });
      break;
    }
    case 'merged_into': text = t('history.mergedInto', { actor, number: String(change('mergedInto')[1] ?? '') }); break;
    case 'merged_from': text = t('history.mergedFrom', { actor, number: String(change('mergedFrom')[1] ?? '') }); break;
    case 'follower_added': text = t('history.followerAdded', { actor, name: show('assigneeId', change('follower')[1]) }); break;
    case 'follower_removed': text = t('history.followerRemoved', { actor, name: show('assigneeId', change('follower')[0]) }); break;
    case 'linked': text = t('history.linked', { actor, number: String(change('linked')[1] ?? '') }); break;
    case 'unlinked': text = t('history.unlinked', { actor, number: String(change('linked')[0] ?? '') }); break;
    case 'kb_article_saved': text = t('history.kbArticleSaved', { actor }); break;
    case 'robot_handover': text = t('history.robotHandover'); break;
    default: text = `${actor} ${h.action}`;
  }
  return (
    <Flex gap={10} align="flex-start" className="kefu-history" data-testid={`history-${h.action}`}>
      <span style={{ width: 32, textAlign: 'center', flex: 'none' }}>{HISTORY_ICON[h.action] ?? <ClockCircleOutlined />}</span>
      <Flex vertical style={{ minWidth: 0 }}>
        <span>
          <span data-testid="history-text">{text}</span>
          <Tooltip title={formatDateTime(h.createdAt, lang)}><span style={{ marginLeft: 8, color: '#a0a7b8', fontSize: 12 }}>{formatRelative(h.createdAt, lang)}</span></Tooltip>
        </span>
        {h.reason ? <span data-testid="history-reason" style={{ color: '#4a5470' }}><ArrowRightOutlined style={{ fontSize: 11 }} /> {reasonText(h.reason, t, lang)}</span> : null}
      </Flex>
    </Flex>
  );
}

function MessageBubble({ m, directory, ticketId, delivery, onDelivery }: { m: MessageView; directory: Directory; ticketId?: string; delivery?: DeliveryView; onDelivery?(): void }) {
  const { t, lang } = useI18n();
  const internal = m.visibility === 'internal';
  const cls = internal ? 'kefu-msg kefu-msg-internal' : m.authorType === 'agent' ? 'kefu-msg kefu-msg-agent' : m.authorType === 'customer' ? 'kefu-msg' : 'kefu-msg kefu-msg-system';
  const avatarStyle = m.authorType === 'customer' ? { background: '#fff1e6', color: '#d4380d' } : m.authorType === 'agent' ? { background: '#eef2ff', color: '#4f46e5' } : { background: '#f0f0f0', color: '#595959' };
  const name = m.authorType === 'agent' || m.authorType === 'customer' ? (m.authorName || t(`author.${m.authorType}`)) : t(`author.${m.authorType}`);
  return (
    <Flex gap={10} align="flex-start" data-testid={internal ? 'message-internal' : `message-${m.authorType}`}>
      <Avatar style={{ ...avatarStyle, flex: 'none' }} icon={m.authorType === 'bot' || m.authorType === 'system' ? <RobotOutlined /> : undefined}>
        {m.authorType === 'agent' || m.authorType === 'customer' ? initials(name) : null}
      </Avatar>
      <div className={cls} style={{ flex: 1, minWidth: 0 }}>
        <Flex justify="space-between" align="center" gap={8} style={{ marginBottom: 6 }}>
          <Flex gap={8} align="center" wrap>
            <Typography.Text strong>{name}</Typography.Text>
            {internal ? <Tag color="gold" icon={<LockOutlined />} bordered={false}>{t('message.internal')}</Tag>
              : <Tag bordered={false}>{m.authorType === 'customer' ? t('author.customer') : m.authorType === 'agent' ? t('message.replyToCustomer') : t(`author.${m.authorType}`)}</Tag>}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(`channel.${m.channel}`)}</Typography.Text>
            {ticketId ? <MessageSourceLink ticketId={ticketId} message={m} /> : null}
          </Flex>
          <Tooltip title={formatDateTime(m.createdAt, lang)}>
            <Typography.Text type="secondary" style={{ fontSize: 12, flex: 'none' }}>{formatRelative(m.createdAt, lang)}</Typography.Text>
          </Tooltip>
        </Flex>
        {/* Plain text, as the API asks: never interpreted as HTML. */}
        <p className="kefu-msg-body" data-testid="message-body"><MentionText body={m.body} mentioned={m.mentions.map((id) => ({ id, name: directory.nameOf(id) ?? '' }))} /></p>
        <MessageAttachments items={m.attachments} />
        {ticketId ? <MessageFormatted ticketId={ticketId} message={m} /> : null}
        {delivery && ticketId ? <MessageDelivery ticketId={ticketId} delivery={delivery} onChanged={() => onDelivery?.()} /> : null}
      </div>
    </Flex>
  );
}

export function TicketTimeline({ messages, history, directory, types, fields = [], ticketId }: {
  messages: MessageView[]; history: HistoryView[]; directory: Directory; types: TicketTypeView[];
  /** Custom ticket fields: their changes read with the field's label and option labels. */
  fields?: TicketFieldView[];
  /** The ticket shown: email messages then link to their original source. */
  ticketId?: string;
}) {
  const entries = mergeTimeline(messages, history);
  // outgoing emails show their send state (queued, sent, failed, bounced), kept live
  const deliveries = useTicketDeliveries(ticketId, messages.filter((m) => m.channel === 'email' && m.direction === 'out' && m.visibility === 'public').length);
  return (
    <Flex vertical gap={12} data-testid="timeline">
      {entries.map((e) => (e.kind === 'message'
        ? <MessageBubble key={`m-${e.message.id}`} m={e.message} directory={directory} ticketId={ticketId} delivery={deliveries.byMessage.get(e.message.id)} onDelivery={() => void deliveries.reload()} />
        : <HistoryLine key={`h-${e.history.id}`} h={e.history} directory={directory} types={types} fields={fields} />))}
    </Flex>
  );
}
