import { App as AntApp, Badge, Button, Card, Descriptions, Empty, Flex, Input, List, Modal, Select, Space, Switch, Tabs, Tag, Tree, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { io, type Socket } from 'socket.io-client';
import type { CannedReplyView, ChatLineView, ChatView, TransferTargets } from '../../../src/contracts/chat.ts';
import type { AttachmentView } from '../../../src/contracts/attachments.ts';
import { ApiError, request, upload } from '../../shared/api.ts';
import { useAuth } from '../../shared/auth.tsx';
import { useI18n } from '../../shared/i18n.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { AttachButton, ChatFiles, lineText } from '../components/chat/ChatFiles.tsx';
import { ColleaguesPanel } from '../components/chat/ColleaguesPanel.tsx';
import { RecentLines, withLines } from '../components/chat/keep-pushed.ts';
import { LiveVisitorsPanel } from '../components/chat/LiveVisitorsPanel.tsx';

interface Pending { clientId: string; body: string; failed: boolean }

/** A short beep for a new chat (no audio file to ship). */
function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.15);
  } catch { /* no audio: nothing to do */ }
}

/** 在线会话: a tab per chat I serve, live; the visitor's details beside the conversation; the site's live visitors; colleagues. */
export function LiveChatPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [view, setView] = useState('chats');
  const [socket, setSocket] = useState<Socket | null>(null);
  const [visitorSound, setVisitorSound] = useState(true);
  const [colleagueOpen, setColleagueOpen] = useState(false);
  const { message } = AntApp.useApp();
  const [chats, setChats] = useState<ChatView[]>([]);
  const [active, setActive] = useState<string | undefined>();
  const [typing, setTyping] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<Record<string, Pending[]>>({});
  const [sound, setSound] = useState(() => localStorage.getItem('kefu-chat-sound') !== 'off');
  const [canned, setCanned] = useState<CannedReplyView[]>([]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [transferOpen, setTransferOpen] = useState(false);
  const soundRef = useRef(sound);
  soundRef.current = sound;

  const recent = useRef(new RecentLines());
  const chatsRef = useRef(chats);
  chatsRef.current = chats;
  const load = useCallback(async () => {
    const n = recent.current.fetching();
    const res = await request<{ items: ChatView[] }>('GET', '/api/v1/chats');
    const items = recent.current.apply(n, res.items);
    if (!items) return;
    setChats(items);
    setActive((cur) => (cur && res.items.some((c) => c.id === cur) ? cur : res.items[0]?.id));
  }, []);

  useEffect(() => {
    void load();
    void request<{ items: CannedReplyView[] }>('GET', '/api/v1/canned-replies').then((r) => setCanned(r.items));
    void request<{ visitorSound: boolean }>('GET', '/api/v1/chats/my-settings').then((s) => setVisitorSound(s.visitorSound));
    const socket: Socket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    setSocket(socket);
    socket.on('chat.assigned', () => { if (soundRef.current) beep(); void load(); });
    socket.on('chat.transferred', () => void load());
    socket.on('chat.ended', () => void load());
    socket.on('connect', () => void load()); // after a reconnect: whatever was missed
    socket.on('chat.message', (line: ChatLineView) => {
      recent.current.remember(line);
      setChats((list) => withLines(list, [line]));
      if (!chatsRef.current.some((c) => c.id === line.conversationId)) void load(); // a chat new to this console
      if (line.author === 'visitor') setTyping((m) => ({ ...m, [line.conversationId]: '' }));
    });
    socket.on('chat.typing', (p: { conversationId: string; text: string }) => setTyping((m) => ({ ...m, [p.conversationId]: p.text })));
    return () => { socket.close(); };
  }, [load]);

  const toggleSound = (on: boolean) => { setSound(on); localStorage.setItem('kefu-chat-sound', on ? 'on' : 'off'); };
  const toggleVisitorSound = async (on: boolean) => {
    setVisitorSound(on);
    try { await request('PUT', '/api/v1/chats/my-settings', { visitorSound: on }); } catch (err) { message.error(err instanceof ApiError ? err.message : String(err)); }
  };

  const send = async (chat: ChatView, body: string, clientId: string = crypto.randomUUID(), attachmentIds?: string[]) => {
    setPending((p) => ({ ...p, [chat.id]: [...(p[chat.id] ?? []).filter((x) => x.clientId !== clientId), { clientId, body, failed: false }] }));
    try {
      const res = await request<{ line: ChatLineView }>('POST', '/api/v1/chats/messages', { conversationId: chat.id, clientId, body, ...(attachmentIds ? { attachmentIds } : {}) });
      recent.current.remember(res.line);
      setChats((list) => withLines(list, [res.line]));
      setPending((p) => ({ ...p, [chat.id]: (p[chat.id] ?? []).filter((x) => x.clientId !== clientId) }));
    } catch (err) {
      setPending((p) => ({ ...p, [chat.id]: (p[chat.id] ?? []).map((x) => (x.clientId === clientId ? { ...x, failed: true } : x)) }));
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };

  /** A file from the composer: uploaded to the chat's ticket, then sent as a message naming it. */
  const sendFile = async (chat: ChatView, file: File) => {
    try {
      const res = await upload<{ items: AttachmentView[] }>(`/api/v1/tickets/${chat.ticketId}/attachments`, [file]);
      await send(chat, file.name.slice(0, 200) || 'file', crypto.randomUUID(), res.items.map((a) => a.id));
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };

  const leave = async (chat: ChatView) => {
    await request('POST', '/api/v1/chats/leave', { conversationId: chat.id });
    await load();
  };

  const end = async (chat: ChatView) => {
    await request('POST', '/api/v1/chats/end', { conversationId: chat.id });
    await load();
  };

  const current = chats.find((c) => c.id === active);

  return (
    <>
      <PageHeader title={t('chat.title')} extra={(
        <Space wrap>
          <span>{t('chat.sound')}</span>
          <Switch checked={sound} onChange={toggleSound} data-testid="chat-sound" />
          <span>{t('liveVisitors.sound')}</span>
          <Switch checked={visitorSound} onChange={(on) => void toggleVisitorSound(on)} data-testid="visitor-sound" />
        </Space>
      )} />
      <Tabs activeKey={view} onChange={setView} data-testid="chat-views" items={[
        { key: 'chats', label: <span data-testid="view-chats">{t('chat.myChats')}{chats.length ? ` (${chats.length})` : ''}</span> },
        { key: 'visitors', label: <span data-testid="view-visitors">{t('liveVisitors.title')}</span> },
        { key: 'colleagues', label: <span data-testid="view-colleagues">{t('colleagues.title')}</span> },
      ]} />
      {/* always mounted: it keeps track of who is on the site, so a new visitor beeps whichever tab is open */}
      <div hidden={view !== 'visitors'}><LiveVisitorsPanel socket={socket} soundOn={visitorSound} beep={beep} /></div>
      {view === 'colleagues' ? <ColleaguesPanel socket={socket} me={me?.id} /> : null}
      {view !== 'chats' ? null : chats.length === 0 ? <Empty description={t('chat.none')} data-testid="chat-empty" /> : (
        <Tabs
          activeKey={active}
          onChange={setActive}
          data-testid="chat-tabs"
          items={chats.map((c) => ({
            key: c.id,
            label: <span data-testid={`chat-tab-${c.id}`}>{c.visitor.name}</span>,
          }))}
        />
      )}
      {current && view === 'chats' ? (
        <Flex gap={16} align="flex-start" wrap>
          <Card style={{ flex: '2 1 420px' }} title={<Space wrap>{current.visitor.name}<Link to={`/tickets/${current.ticketId}`}>#{current.ticketNumber}</Link>
            {(current.collaborators ?? []).map((c) => <Tag key={c.id} color="purple" data-testid="chat-collaborator">{c.name}</Tag>)}</Space>}
            extra={<Space>
              {current.agentId === me?.id ? <>
                <Button onClick={() => setColleagueOpen(true)} data-testid="chat-invite-colleague">{t('chat.inviteColleague')}</Button>
                <Button onClick={() => setTransferOpen(true)} data-testid="chat-transfer">{t('chat.transfer')}</Button>
                <Button danger onClick={() => void end(current)} data-testid="chat-end">{t('chat.end')}</Button>
              </> : <Button onClick={() => void leave(current)} data-testid="chat-leave">{t('chat.leave')}</Button>}
            </Space>}>
            <div data-testid="chat-lines" style={{ maxHeight: 420, overflowY: 'auto', display: 'flex', flexDirection: 'column', gap: 8 }}>
              {current.lines.map((l) => (
                <div key={l.seq} data-testid="chat-line" style={{ alignSelf: l.author === 'visitor' ? 'flex-start' : 'flex-end', maxWidth: '80%' }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{l.author === 'visitor' ? current.visitor.name : l.author === 'bot' ? t('chat.robot') : l.authorName ?? t('chat.system')}</Typography.Text>
                  {lineText(l.body, l.attachments) !== null
                    ? <div style={{ whiteSpace: 'pre-wrap', background: l.author === 'visitor' ? '#f5f5f5' : '#e6f4ff', padding: '6px 10px', borderRadius: 8 }}>{l.body}</div> : null}
                  <ChatFiles files={l.attachments ?? []} />
                </div>
              ))}
              {(pending[current.id] ?? []).map((p) => (
                <div key={p.clientId} style={{ alignSelf: 'flex-end', opacity: 0.6 }} data-testid="chat-pending">
                  <div style={{ whiteSpace: 'pre-wrap', background: '#e6f4ff', padding: '6px 10px', borderRadius: 8 }}>{p.body}</div>
                  {p.failed
                    ? <Button size="small" type="link" onClick={() => void send(current, p.body, p.clientId)}>{t('chat.retry')}</Button>
                    : <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('chat.sending')}</Typography.Text>}
                </div>
              ))}
            </div>
            <Typography.Paragraph type="secondary" style={{ minHeight: 22, margin: '8px 0' }} data-testid="chat-typing">
              {typing[current.id] ? `${t('chat.typing')}${typing[current.id]}` : ''}
            </Typography.Paragraph>
            <Composer
              value={drafts[current.id] ?? ''}
              onChange={(v) => setDrafts((d) => ({ ...d, [current.id]: v }))}
              canned={canned}
              onSend={(body) => { setDrafts((d) => ({ ...d, [current.id]: '' })); void send(current, body); }}
              onFile={(f) => void sendFile(current, f)}
            />
          </Card>
          <VisitorCard chat={current} />
        </Flex>
      ) : null}
      {current && colleagueOpen ? <ColleagueModal chat={current} onClose={() => setColleagueOpen(false)} onDone={() => { setColleagueOpen(false); void load(); }} /> : null}
      {current && transferOpen ? <TransferModal chat={current} onClose={() => setTransferOpen(false)} onDone={() => { setTransferOpen(false); void load(); }} /> : null}
    </>
  );
}

function Composer({ value, onChange, onSend, onFile, canned }: { value: string; onChange: (v: string) => void; onSend: (body: string) => void; onFile: (f: File) => void; canned: CannedReplyView[] }) {
  const { t } = useI18n();
  const submit = () => { const body = value.trim(); if (body) onSend(body); };
  const options = useMemo(() => {
    const groups = new Map<string, CannedReplyView[]>();
    for (const c of canned) groups.set(c.category || t('chat.uncategorized'), [...(groups.get(c.category || t('chat.uncategorized')) ?? []), c]);
    return [...groups].map(([label, items]) => ({ label, options: items.map((c) => ({ value: c.id, label: `${c.title}${c.scope === 'personal' ? ` (${t('chat.personal')})` : ''}` })) }));
  }, [canned, t]);
  return (
    <Flex vertical gap={8}>
      <Select placeholder={t('chat.canned')} options={options} value={null} style={{ maxWidth: 320 }} data-testid="chat-canned"
        onChange={(id) => { const c = canned.find((x) => x.id === id); if (c) onChange(value ? `${value}\n${c.body}` : c.body); }} />
      <Flex gap={8}>
        <AttachButton onFile={onFile} label={t('chat.attach')} />
        <Input.TextArea value={value} onChange={(e) => onChange(e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} data-testid="chat-input"
          onPressEnter={(e) => { if (!e.shiftKey) { e.preventDefault(); submit(); } }} />
        <Button type="primary" onClick={submit} data-testid="chat-send">{t('chat.send')}</Button>
      </Flex>
    </Flex>
  );
}

function VisitorCard({ chat }: { chat: ChatView }) {
  const { t } = useI18n();
  const v = chat.visitor;
  const region = [v.region.province, v.region.city].filter(Boolean).join(' ') || t('chat.unknown');
  return (
    <Card style={{ flex: '1 1 280px' }} title={t('chat.visitor')} data-testid="chat-visitor">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('chat.region')}>{region}{v.region.isp ? ` · ${v.region.isp}` : ''}</Descriptions.Item>
        <Descriptions.Item label={t('chat.device')}>{v.device ?? t('chat.unknown')}</Descriptions.Item>
        <Descriptions.Item label={t('chat.visits')}>{v.visits} {v.returning ? <Tag color="blue">{t('chat.returning')}</Tag> : <Tag>{t('chat.new')}</Tag>}</Descriptions.Item>
        <Descriptions.Item label={t('chat.referrer')}>{v.referrer.engine ? `${v.referrer.engine}: ${v.referrer.keyword ?? ''}` : v.referrer.host ?? t('chat.direct')}</Descriptions.Item>
        <Descriptions.Item label={t('chat.pastChats')}>{v.pastChats}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5}>{t('chat.trail')}</Typography.Title>
      <List size="small" data-testid="chat-trail" dataSource={v.trail} renderItem={(p) => (
        <List.Item>
          <Typography.Text ellipsis style={{ maxWidth: 200 }} title={p.url}>{p.title || p.url}</Typography.Text>
          <Typography.Text type="secondary">{t('chat.seconds', { n: p.seconds })}</Typography.Text>
        </List.Item>
      )} />
    </Card>
  );
}

function TransferModal({ chat, onClose, onDone }: { chat: ChatView; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [targets, setTargets] = useState<TransferTargets | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => { void request<TransferTargets>('GET', '/api/v1/chats/transfer-targets').then(setTargets); }, []);
  const tree = useMemo(() => {
    if (!targets) return [];
    type Node = { key: string; title: ReactNode; children: Node[] };
    const node = (d: TransferTargets['departments'][number]): Node => ({
      key: `department:${d.id}`,
      title: <span data-testid={`transfer-dept-${d.name}`}>{d.name}</span>,
      children: [
        ...targets.departments.filter((x) => x.parentId === d.id).map(node),
        ...targets.agents.filter((a) => a.departmentIds.includes(d.id) && a.id !== chat.agentId).map((a) => ({
          key: `agent:${a.id}:${d.id}`,
          title: <Space data-testid={`transfer-agent-${a.name}`}><Badge status={a.presence === 'online' ? 'success' : a.presence === 'away' ? 'warning' : 'default'} />{a.name}<Typography.Text type="secondary">{t('chat.load', { n: a.activeChats, max: a.capacity })}</Typography.Text></Space>,
          children: [],
        })),
      ],
    });
    return targets.departments.filter((d) => !d.parentId || !targets.departments.some((x) => x.id === d.parentId)).map(node);
  }, [targets, chat.agentId, t]);
  const nameOf = (r: { kind: string; id: string }) => (r.kind === 'agent' ? targets?.agents.find((a) => a.id === r.id)?.name : targets?.departments.find((d) => d.id === r.id)?.name) ?? r.id;
  const submit = async () => {
    if (!picked) return;
    const [kind, id] = picked.split(':');
    try {
      await request('POST', '/api/v1/chats/transfer', { conversationId: chat.id, ...(kind === 'agent' ? { agentId: id } : { departmentId: id }) });
      message.success(t('chat.transferred'));
      onDone();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <Modal open title={t('chat.transfer')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ disabled: !picked, id: 'transfer-ok' }} okText={t('chat.transfer')}>
      {targets?.recent.length ? (
        <Space wrap style={{ marginBottom: 12 }}>
          {t('chat.recent')}
          {targets.recent.map((r) => <Tag.CheckableTag key={r.id} checked={picked?.startsWith(`${r.kind}:${r.id}`) ?? false} onChange={() => setPicked(`${r.kind}:${r.id}`)}>{nameOf(r)}</Tag.CheckableTag>)}
        </Space>
      ) : null}
      {targets ? <Tree treeData={tree} defaultExpandAll selectedKeys={picked ? [picked] : []} onSelect={(keys) => setPicked((keys[0] as string) ?? null)} /> : null}
    </Modal>
  );
}

/** 邀请同事: pick an online colleague to join the chat beside me. */
function ColleagueModal({ chat, onClose, onDone }: { chat: ChatView; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [targets, setTargets] = useState<TransferTargets | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => { void request<TransferTargets>('GET', '/api/v1/chats/transfer-targets').then(setTargets); }, []);
  const inChat = new Set([chat.agentId, ...(chat.collaborators ?? []).map((c) => c.id)]);
  const submit = async () => {
    if (!picked) return;
    try {
      await request('POST', '/api/v1/chats/collaborators', { conversationId: chat.id, agentId: picked });
      message.success(t('chat.colleagueInvited'));
      onDone();
    } catch (err) {
      message.error(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <Modal open title={t('chat.inviteColleague')} onCancel={onClose} onOk={() => void submit()} okButtonProps={{ disabled: !picked, id: 'colleague-ok' }} okText={t('chat.inviteColleague')}>
      <Select style={{ width: '100%' }} placeholder={t('chat.pickColleague')} value={picked} onChange={setPicked} data-testid="colleague-pick" showSearch optionFilterProp="label"
        options={(targets?.agents ?? []).filter((a) => !inChat.has(a.id)).map((a) => ({
          value: a.id, label: `${a.name} · ${t(`presence.${a.presence}` as 'presence.online')} · ${t('chat.load', { n: a.activeChats, max: a.capacity })}`,
        }))} />
    </Modal>
  );
}
