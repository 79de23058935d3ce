import {
  ArrowLeftOutlined, LockOutlined, MailOutlined, MergeOutlined, PhoneOutlined, RiseOutlined, SendOutlined, SwapOutlined, UserAddOutlined, UserOutlined,
} from '@ant-design/icons';
import {
  Avatar, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Modal, Radio, Result, Row, Select, Skeleton, Tabs, Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../shared/api.ts';
import { useAuth } from '../../shared/auth.tsx';
import { ticketsApi } from '../../shared/endpoints.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import { TICKET_EVENTS } from '../../shared/socket.ts';
import type { Priority, TicketDetail, TicketPatch, TicketStatus, TicketView } from '../../shared/types.ts';
import { useLiveEvents } from '../../shared/useLiveEvents.ts';
import { CustomFieldsCard } from '../components/tickets/CustomFieldsCard.tsx';
import { SlaPanel } from '../components/tickets/SlaPanel.tsx';
import { AttachButton, PendingUploadList, usePendingUploads } from '../components/tickets/ComposerAttachments.tsx';
import { FollowersCard } from '../components/tickets/FollowersCard.tsx';
import { LinkedTicketsCard } from '../components/tickets/LinkedTicketsCard.tsx';
import { TicketKbCard } from '../components/tickets/TicketKbCard.tsx';
import { MentionInput } from '../components/tickets/MentionInput.tsx';
import { findMentions } from '../components/tickets/mentions.ts';
import { MergedBanner } from '../components/tickets/MergedBanner.tsx';
import { MergeTicketModal } from '../components/tickets/MergeTicketModal.tsx';
import { ChannelLabel, EscalationTag, PriorityTag, SeverityTag, StatusTag } from '../components/tickets/TicketTags.tsx';
import { TicketTimeline } from '../components/tickets/TicketTimeline.tsx';
import { initials } from '../components/UserMenu.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';
import { useTicketFields } from '../hooks/useTicketFields.ts';
import { useTicketTypes } from '../hooks/useTicketTypes.ts';

const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'];
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** One ticket: the conversation and its history, the reply box, and everything an agent changes on the side. */
export function TicketPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const feedback = useFeedback();
  const directory = useDirectory();
  const types = useTicketTypes();
  const fields = useTicketFields();
  const detail = useRemote(() => ticketsApi.get(id), [id]);
  const sla = useRemote(() => ticketsApi.sla(id), [id]);
  // chat lines come as one message.added a second naming several tickets (ticketIds)
  useLiveEvents(TICKET_EVENTS, (p) => {
    const named = p.ticketId ? [p.ticketId] : Array.isArray(p.ticketIds) ? p.ticketIds : null;
    if (!named || named.includes(id)) { void detail.reload(); void sla.reload(); }
  });

  const [tab, setTab] = useState<'public' | 'internal'>('public');
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [forwarding, setForwarding] = useState(false);
  const [escalating, setEscalating] = useState(false);
  const [merging, setMerging] = useState(false);
  const uploads = usePendingUploads(id);

  if (detail.error instanceof ApiError && detail.error.status === 404) {
    return <Result status="404" title={t('ticket.notFound')} extra={<Link to="/tickets"><Button type="primary">{t('ticket.backToQueue')}</Button></Link>} />;
  }
  const data: TicketDetail | undefined = detail.data;
  if (!data) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;
  const ticket = data.ticket;
  const done = ticket.status === 'resolved' || ticket.status === 'closed';

  const run = async (work: () => Promise<unknown>, done?: string) => {
    try {
      await work();
      if (done) feedback.ok(done);
      await Promise.all([detail.reload(), sla.reload()]);
      return true;
    } catch (err) {
      feedback.fail(err);
      return false;
    }
  };
  const patch = (p: TicketPatch) => run(() => ticketsApi.update(ticket.id, p), t('common.saved'));

  const send = async () => {
    if (!draft.trim() || uploads.busy) return;
    setSending(true);
    const ok = await run(() => ticketsApi.reply(ticket.id, draft, tab, findMentions(draft, mentionable), uploads.ids), tab === 'internal' ? t('ticket.noteAdded') : t('ticket.replySent'));
    setSending(false);
    if (ok) { setDraft(''); uploads.clear(); }
  };

  const people = directory.staff.filter((s) => s.status === 'active');
  const mentionable = people.filter((s) => s.id !== me?.id);
  const assignedToMe = ticket.assigneeId === me?.id;

  return (
    <div data-testid="ticket-page">
      <Card style={{ marginBottom: 16 }} styles={{ body: { padding: '16px 20px' } }}>
        <Flex justify="space-between" align="flex-start" gap={16} wrap>
          <Flex vertical gap={8} style={{ minWidth: 0, flex: 1 }}>
            <Flex align="center" gap={10} style={{ minWidth: 0 }}>
              <Button type="text" size="small" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} data-testid="ticket-back" aria-label={t('ticket.backToQueue')} />
              <Typography.Text type="secondary" style={{ fontSize: 18 }} data-testid="ticket-number">#{ticket.number}</Typography.Text>
              <Typography.Title level={4} style={{ margin: 0 }} ellipsis data-testid="ticket-subject">{ticket.subject}</Typography.Title>
            </Flex>
            <Flex gap={6} wrap align="center" data-testid="ticket-badges">
              <StatusTag status={ticket.status} />
              <PriorityTag priority={ticket.priority} />
              <SeverityTag severity={ticket.severity} />
              <EscalationTag level={ticket.escalationLevel} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <ChannelLabel channel={ticket.channel} /> · {t('ticket.createdAtText', { time: formatDateTime(ticket.createdAt, lang) })}
              </Typography.Text>
            </Flex>
            <SlaPanel sla={sla.data} done={done} />
          </Flex>
          <Flex gap={8} wrap>
            {!assignedToMe ? <Button type="primary" icon={<UserAddOutlined />} onClick={() => void run(() => ticketsApi.assign(ticket.id, me!.id), t('ticket.taken'))} data-testid="ticket-take">{t('ticket.take')}</Button> : null}
            <Button icon={<SwapOutlined />} onClick={() => setForwarding(true)} data-testid="ticket-forward">{t('ticket.forward')}</Button>
            <Button danger icon={<RiseOutlined />} onClick={() => setEscalating(true)} disabled={done} data-testid="ticket-escalate">{t('ticket.escalate')}</Button>
            <Button icon={<MergeOutlined />} onClick={() => setMerging(true)} disabled={ticket.status === 'closed'} data-testid="ticket-merge">{t('collab.merge')}</Button>
          </Flex>
        </Flex>
      </Card>

      <MergedBanner mergedIntoId={ticket.mergedIntoId} history={data.history} />
      <Row gutter={16}>
        <Col xs={24} xl={17}>
          <Card title={t('ticket.conversation')} style={{ marginBottom: 16 }} styles={{ body: { padding: 20 } }}>
            <TicketTimeline messages={data.messages} history={data.history} directory={directory} types={types.all} fields={fields.all} ticketId={data.ticket.id} />
          </Card>
          <Card styles={{ body: { padding: '0 16px 16px' } }} data-testid="composer" className={tab === 'internal' ? 'kefu-composer-internal' : undefined}>
            <Tabs activeKey={tab} onChange={(k) => setTab(k as 'public' | 'internal')} items={[
              { key: 'public', label: <span data-testid="composer-tab-public"><SendOutlined /> {t('ticket.reply')}</span> },
              { key: 'internal', label: <span data-testid="composer-tab-internal"><LockOutlined /> {t('ticket.internalNote')}</span> },
            ]} />
            <MentionInput value={draft} onChange={setDraft} people={mentionable} testId="composer-input"
              style={tab === 'internal' ? { background: '#fffbe6', borderColor: '#ffe58f' } : undefined}
              placeholder={tab === 'internal' ? t('ticket.notePlaceholder') : t('ticket.replyPlaceholder', { name: ticket.customer?.name ?? t('author.customer') })}
              onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void send(); }} />
            <PendingUploadList uploads={uploads} />
            <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
              <Flex align="center" gap={8}>
                <AttachButton uploads={uploads} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{tab === 'internal' ? `${t('ticket.noteHint')} · ${t('collab.mentionHint')}` : t('ticket.replyHint')}</Typography.Text>
              </Flex>
              <Button type="primary" icon={tab === 'internal' ? <LockOutlined /> : <SendOutlined />} loading={sending} disabled={!draft.trim() || uploads.busy}
                onClick={() => void send()} data-testid="composer-send" style={tab === 'internal' ? { background: '#d48806' } : undefined}>
                {tab === 'internal' ? t('ticket.addNote') : t('ticket.sendReply')}
              </Button>
            </Flex>
          </Card>
        </Col>
        <Col xs={24} xl={7}>
          <Card title={t('ticket.properties')} style={{ marginBottom: 16 }} size="small" data-testid="ticket-sidebar">
            <Form layout="vertical" requiredMark={false} style={{ marginBottom: -12 }}>
              <Form.Item label={t('field.status')}>
                <Select<TicketStatus> value={ticket.status} data-testid="ticket-status" onChange={(v) => void patch({ status: v })}
                  options={STATUSES.map((s) => ({ value: s, label: t(`ticketStatus.${s}`) }))} />
              </Form.Item>
              <Row gutter={8}>
                <Col span={12}>
                  <Form.Item label={t('ticket.priority')}>
                    <Select<Priority> value={ticket.priority} data-testid="ticket-priority" onChange={(v) => void patch({ priority: v })}
                      options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label={t('ticket.severity')}>
                    <Select<number> value={ticket.severity} data-testid="ticket-severity" onChange={(v) => void patch({ severity: v })}
                      options={[1, 2, 3, 4].map((n) => ({ value: n, label: t(`severity.${n as 1 | 2 | 3 | 4}`) }))} />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label={t('ticket.type')}>
                <Select allowClear value={ticket.type?.id} data-testid="ticket-type" placeholder={t('ticket.noType')}
                  onChange={(v: string | undefined) => void patch({ typeId: v ?? null })}
                  options={types.all.filter((x) => x.active || x.id === ticket.type?.id).map((x) => ({ value: x.id, label: lang === 'en' ? x.nameEn : x.nameZh }))} />
              </Form.Item>
              <Form.Item label={t('ticket.tags')}>
                <Select mode="tags" value={ticket.tags} tokenSeparators={[',', '，']} data-testid="ticket-tags" open={false} suffixIcon={null}
                  onChange={(v: string[]) => void patch({ tags: [...new Set(v.map((x) => x.trim()).filter(Boolean))] })} />
              </Form.Item>
              <Form.Item label={t('ticket.department')}>
                <Flex gap={8} align="center" justify="space-between">
                  <Typography.Text data-testid="ticket-department">{ticket.departmentId ? directory.departmentName(ticket.departmentId) : t('ticket.noDepartment')}</Typography.Text>
                  <Button size="small" type="link" onClick={() => setForwarding(true)}>{t('ticket.forward')}</Button>
                </Flex>
              </Form.Item>
              <Form.Item label={t('ticket.assignee')}>
                {can('tickets.assign') ? (
                  <Select allowClear showSearch optionFilterProp="label" value={ticket.assigneeId ?? undefined} data-testid="ticket-assignee" placeholder={t('ticket.unassigned')}
                    onChange={(v: string | undefined) => void run(() => ticketsApi.assign(ticket.id, v ?? null), t('common.saved'))}
                    options={people.map((s) => ({ value: s.id, label: s.id === me?.id ? `${s.name}（${t('common.me')}）` : s.name }))} />
                ) : (
                  <Flex gap={8} align="center" justify="space-between">
                    <Typography.Text data-testid="ticket-assignee-name">{ticket.assigneeId ? directory.staffName(ticket.assigneeId) : t('ticket.unassigned')}</Typography.Text>
                    {!assignedToMe ? <Button size="small" type="link" onClick={() => void run(() => ticketsApi.assign(ticket.id, me!.id), t('ticket.taken'))}>{t('ticket.take')}</Button> : null}
                  </Flex>
                )}
              </Form.Item>
            </Form>
          </Card>
          <CustomFieldsCard ticket={ticket} fields={fields.all} onSaved={() => detail.reload()} />
          <FollowersCard ticketId={ticket.id} followers={data.followers} staff={directory.staff} meId={me?.id} onChanged={detail.reload} />
          <LinkedTicketsCard ticketId={ticket.id} ticketNumber={ticket.number} links={data.links} onChanged={detail.reload} />
          <TicketKbCard ticket={ticket} done={done} onInsert={(text) => { setTab('public'); setDraft((d) => (d.trim() ? `${d}\n${text}` : text)); }} />
          <CustomerCard ticket={ticket} />
          <Card title={t('ticket.customerTickets')} size="small" data-testid="customer-tickets">
            {data.customerTickets.length ? (
              <List size="small" dataSource={data.customerTickets} renderItem={(x) => (
                <List.Item style={{ paddingInline: 0 }} extra={<StatusTag status={x.status} />}>
                  <Link to={`/tickets/${x.id}`} style={{ minWidth: 0 }}>
                    <Typography.Text type="secondary">#{x.number}</Typography.Text> <Typography.Text ellipsis style={{ maxWidth: 170 }}>{x.subject}</Typography.Text>
                  </Link>
                </List.Item>
              )} />
            ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ticket.noOtherTickets')} />}
          </Card>
        </Col>
      </Row>

      <ForwardModal open={forwarding} ticket={ticket} departments={directory.departments} onClose={() => setForwarding(false)}
        onSubmit={async (departmentId, reason) => { if (await run(() => ticketsApi.forward(ticket.id, departmentId, reason), t('ticket.forwarded'))) setForwarding(false); }} />
      <EscalateModal open={escalating} onClose={() => setEscalating(false)}
        onSubmit={async (reason, source) => { if (await run(() => ticketsApi.escalate(ticket.id, { reason, source }), t('ticket.escalated'))) setEscalating(false); }} />
      <MergeTicketModal open={merging} ticket={ticket} suggestions={data.customerTickets} onClose={() => setMerging(false)}
        onMerged={(r) => { setMerging(false); feedback.ok(t('collab.merged', { number: r.target.number })); navigate(`/tickets/${r.target.id}`); }} />
    </div>
  );
}

function CustomerCard({ ticket }: { ticket: TicketView }) {
  const { t } = useI18n();
  const c = ticket.customer;
  return (
    <Card title={t('ticket.customer')} size="small" style={{ marginBottom: 16 }} data-testid="customer-card">
      {c ? (
        <Flex vertical gap={10}>
          <Flex align="center" gap={10}>
            <Avatar style={{ background: '#fff1e6', color: '#d4380d' }}>{initials(c.name)}</Avatar>
            <Typography.Text strong data-testid="customer-name">{c.name}</Typography.Text>
          </Flex>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={<MailOutlined />}><span data-testid="customer-email">{c.email ?? '—'}</span></Descriptions.Item>
            <Descriptions.Item label={<PhoneOutlined />}><span data-testid="customer-phone">{c.phone ?? '—'}</span></Descriptions.Item>
          </Descriptions>
        </Flex>
      ) : <Typography.Text type="secondary"><UserOutlined /> {t('ticket.noCustomer')}</Typography.Text>}
    </Card>
  );
}

function ForwardModal({ open, ticket, departments, onClose, onSubmit }: {
  open: boolean; ticket: TicketView; departments: { id: string; name: string }[]; onClose(): void; onSubmit(departmentId: string, reason: string): Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ departmentId: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={open} title={t('ticket.forwardTitle')} onCancel={onClose} destroyOnHidden forceRender confirmLoading={busy}
      okText={t('ticket.forward')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'forward-submit' }}
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        try { await onSubmit(v.departmentId, v.reason.trim()); form.resetFields(); } finally { setBusy(false); }
      }}>
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="departmentId" label={t('ticket.forwardTo')} rules={[{ required: true, message: t('validation.department') }]}>
          <Select showSearch optionFilterProp="label" data-testid="forward-department"
            options={departments.filter((d) => d.id !== ticket.departmentId).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('ticket.reason')} rules={[{ required: true, whitespace: true, max: 1000, message: t('validation.reason') }]}>
          <Input.TextArea rows={3} data-testid="forward-reason" placeholder={t('ticket.forwardReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function EscalateModal({ open, onClose, onSubmit }: { open: boolean; onClose(): void; onSubmit(reason: string, source: 'agent' | 'customer'): Promise<void> }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string; source: 'agent' | 'customer' }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={open} title={t('ticket.escalateTitle')} onCancel={onClose} destroyOnHidden forceRender confirmLoading={busy}
      okText={t('ticket.escalate')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, 'data-testid': 'escalate-submit' }}
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        try { await onSubmit(v.reason.trim(), v.source); form.resetFields(); } finally { setBusy(false); }
      }}>
      <Typography.Paragraph type="secondary">{t('ticket.escalateHelp')}</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ source: 'agent' }}>
        <Form.Item name="source" label={t('ticket.escalateSource')}>
          <Radio.Group optionType="button" data-testid="escalate-source" options={[
            { value: 'agent', label: t('reasonSource.agent') }, { value: 'customer', label: t('reasonSource.customer') },
          ]} />
        </Form.Item>
        <Form.Item name="reason" label={t('ticket.reason')} rules={[{ required: true, whitespace: true, max: 1000, message: t('validation.reason') }]}>
          <Input.TextArea rows={3} data-testid="escalate-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
