import { App as AntApp, Button, Input, Modal, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { LiveVisitorView } from '../../../../src/contracts/chat-live.ts';
import { ApiError, request } from '../../../shared/api.ts';
import { useI18n } from '../../../shared/i18n.ts';

/** "3:05" / "1:02:09" since a moment. */
function since(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * 实时访客: who is on the company's site now, updated live (the server pushes visitors.changed); a new
 * visitor beeps when the agent's switch is on; an agent invites a visitor to chat.
 */
export function LiveVisitorsPanel({ socket, soundOn, beep }: { socket: Socket | null; soundOn: boolean; beep: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<LiveVisitorView[]>([]);
  const [now, setNow] = useState(Date.now());
  const [inviting, setInviting] = useState<LiveVisitorView | null>(null);
  const [text, setText] = useState('');
  const known = useRef<Set<string> | null>(null);
  const sound = useRef(soundOn);
  sound.current = soundOn;

  const load = useCallback(async () => {
    const res = await request<{ items: LiveVisitorView[] }>('GET', '/api/v1/live-visitors');
    // a visitor not seen before beeps (page changes and new tabs of one visitor do not)
    if (known.current && sound.current && res.items.some((v) => !known.current!.has(v.id))) beep();
    known.current = new Set(res.items.map((v) => v.id));
    setItems(res.items);
  }, [beep]);

  useEffect(() => {
    void load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => { clearTimeout(timer); timer = setTimeout(() => void load(), 300); };
    socket?.on('visitors.changed', changed);
    socket?.on('connect', changed);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => { socket?.off('visitors.changed', changed); socket?.off('connect', changed); clearInterval(tick); clearTimeout(timer); };
  }, [socket, load]);

  const invite = async () => {
    if (!inviting || !text.trim()) return;
    try {
      await request('POST', `/api/v1/live-visitors/${inviting.id}/invite`, { message: text.trim() });
      message.success(t('liveVisitors.invited'));
      setInviting(null);
      void load();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };

  const columns: TableColumnsType<LiveVisitorView> = [
    { title: t('liveVisitors.visitor'), key: 'name', render: (_, v) => <span data-testid="live-visitor-name">{v.name}</span> },
    { title: t('liveVisitors.page'), key: 'page', render: (_, v) => <Typography.Text ellipsis style={{ maxWidth: 260 }} title={v.page.url}>{v.page.title || v.page.url}</Typography.Text> },
    { title: t('chat.region'), key: 'region', render: (_, v) => [v.region.province, v.region.city].filter(Boolean).join(' ') || t('chat.unknown') },
    { title: t('chat.device'), key: 'device', render: (_, v) => v.device ?? t('chat.unknown') },
    { title: t('liveVisitors.onSite'), key: 'time', render: (_, v) => since(v.visitStartedAt, now) },
    {
      title: t('liveVisitors.status'), key: 'status', render: (_, v) => v.chatting ? <Tag color="green">{t('liveVisitors.chatting')}</Tag>
        : v.invitation ? <Tag color="blue">{t(`liveVisitors.invitation.${v.invitation.status}` as 'liveVisitors.invitation.pending')}</Tag> : <Tag>{t('liveVisitors.browsing')}</Tag>,
    },
    {
      title: t('common.actions'), key: 'ops', align: 'right', render: (_, v) => (
        <Button size="small" disabled={!v.canInvite} title={v.canInvite ? undefined : t('liveVisitors.cannotInvite')} data-testid={`invite-${v.id}`}
          onClick={() => { setText(t('liveVisitors.defaultInvite')); setInviting(v); }}>{t('liveVisitors.invite')}</Button>
      ),
    },
  ];
  return (
    <>
      <Table rowKey="id" size="small" columns={columns} dataSource={items} pagination={false} data-testid="live-visitors" locale={{ emptyText: t('liveVisitors.none') }} />
      <Modal open={!!inviting} title={t('liveVisitors.invite')} onCancel={() => setInviting(null)} onOk={() => void invite()} okText={t('liveVisitors.send')} okButtonProps={{ id: 'invite-ok', disabled: !text.trim() }}>
        <Input.TextArea rows={3} maxLength={500} value={text} onChange={(e) => setText(e.target.value)} data-testid="invite-message" />
      </Modal>
    </>
  );
}
