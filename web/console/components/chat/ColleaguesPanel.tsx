import { App as AntApp, Badge, Button, Card, Empty, Flex, Input, List, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Socket } from 'socket.io-client';
import type { AgentMessageView, ColleagueList } from '../../../../src/contracts/chat-live.ts';
import { ApiError, request } from '../../../shared/api.ts';
import { useI18n } from '../../../shared/i18n.ts';
import { keepPushed } from './keep-pushed.ts';

type Colleague = ColleagueList['items'][number];

/** 内部交流: direct messages between colleagues (never shown to customers), live and kept. */
export function ColleaguesPanel({ socket, me }: { socket: Socket | null; me: string | undefined }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [people, setPeople] = useState<Colleague[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [thread, setThread] = useState<AgentMessageView[]>([]);
  const [draft, setDraft] = useState('');
  const openRef = useRef(open);
  openRef.current = open;

  const loadPeople = useCallback(async () => setPeople((await request<ColleagueList>('GET', '/api/v1/colleagues')).items), []);
  const loadThread = useCallback(async (id: string) => {
    const fresh = (await request<{ items: AgentMessageView[] }>('GET', '/api/v1/agent-messages', undefined, { with: id })).items;
    if (openRef.current !== id) return; // another colleague was picked meanwhile
    setThread((shown) => keepPushed(shown.filter((m) => m.fromId === id || m.toId === id), fresh));
    void loadPeople();
  }, [loadPeople]);

  useEffect(() => {
    void loadPeople();
    const onMessage = (m: AgentMessageView) => {
      const other = m.fromId === me ? m.toId : m.fromId;
      if (other === openRef.current) {
        setThread((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]));
        if (m.fromId !== me) void loadThread(other); // read now
      } else void loadPeople();
    };
    socket?.on('agent.message', onMessage);
    socket?.on('staff.presence_changed', loadPeople);
    return () => { socket?.off('agent.message', onMessage); socket?.off('staff.presence_changed', loadPeople); };
  }, [socket, me, loadPeople, loadThread]);

  const pick = (id: string) => { setOpen(id); openRef.current = id; void loadThread(id); };
  const send = async () => {
    const body = draft.trim();
    if (!open || !body) return;
    try {
      const m = await request<AgentMessageView>('POST', '/api/v1/agent-messages', { toId: open, body });
      setDraft('');
      setThread((list) => (list.some((x) => x.id === m.id) ? list : [...list, m]));
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };
  const other = people.find((p) => p.id === open);
  return (
    <Flex gap={16} align="flex-start" wrap>
      <Card style={{ flex: '0 1 260px' }} title={t('colleagues.title')} size="small">
        <List size="small" dataSource={people} data-testid="colleagues" renderItem={(p) => (
          <List.Item onClick={() => pick(p.id)} style={{ cursor: 'pointer', background: p.id === open ? '#e6f4ff' : undefined }} data-testid={`colleague-${p.name}`}>
            <Badge status={p.presence === 'online' ? 'success' : p.presence === 'away' ? 'warning' : 'default'} text={p.name} />
            {p.unread ? <Badge count={p.unread} data-testid="colleague-unread" /> : null}
          </List.Item>
        )} />
      </Card>
      <Card style={{ flex: '1 1 380px' }} size="small" title={other?.name ?? t('colleagues.pick')}>
        {!open ? <Empty description={t('colleagues.pick')} /> : (
          <Flex vertical gap={8}>
            <div data-testid="colleague-thread" style={{ maxHeight: 360, overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: 6 }}>
              {thread.map((m) => (
                <div key={m.id} style={{ alignSelf: m.fromId === me ? 'flex-end' : 'flex-start', maxWidth: '80%' }}>
                  <div style={{ whiteSpace: 'pre-wrap', background: m.fromId === me ? '#e6f4ff' : '#f5f5f5', padding: '6px 10px', borderRadius: 8 }}>{m.body}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 11 }}>{new Date(m.createdAt).toLocaleTimeString()}</Typography.Text>
                </div>
              ))}
            </div>
            <Flex gap={8}>
              <Input.TextArea value={draft} onChange={(e) => setDraft(e.target.value)} autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} data-testid="colleague-input"
                onPressEnter={(e) => { if (!e.shiftKey) { e.preventDefault(); void send(); } }} />
              <Button type="primary" onClick={() => void send()} data-testid="colleague-send">{t('chat.send')}</Button>
            </Flex>
          </Flex>
        )}
      </Card>
    </Flex>
  );
}
