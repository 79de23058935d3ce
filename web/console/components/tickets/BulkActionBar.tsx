import { CloseOutlined, DownOutlined, SwapOutlined, TagsOutlined } from '@ant-design/icons';
import { Alert, Button, Dropdown, Flex, Form, Input, Modal, Progress, Radio, Select, Typography } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../../shared/auth.tsx';
import { queueApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { BulkAction, BulkItemResult, Priority, TicketStatus, TicketView } from '../../../shared/types.ts';
import type { Directory } from '../../hooks/useDirectory.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';

const STATUSES: TicketStatus[] = ['open', 'pending', 'on_hold', 'resolved', 'closed'];
const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low'];
/** Tickets per request: the progress bar moves between requests. */
const CHUNK = 20;

interface Summary { ok: number; failures: Array<{ id: string; label: string; error: string }> }

/**
 * Acts on the selected tickets at once: status, priority, assignee, department, tags. Each ticket is
 * checked and changed on its own by the server; the summary lists the ones that could not be changed.
 */
export function BulkActionBar({ selected, directory, onClear, onFinished }: {
  selected: TicketView[]; directory: Directory; onClear(): void; onFinished(results: BulkItemResult[]): void;
}) {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const feedback = useFeedback();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [dialog, setDialog] = useState<'forward' | 'tags' | null>(null);

  const run = async (action: BulkAction): Promise<boolean> => {
    const tickets = [...selected];
    const label = new Map(tickets.map((x) => [x.id, `#${x.number} ${x.subject}`]));
    const results: BulkItemResult[] = [];
    setSummary(null);
    setProgress({ done: 0, total: tickets.length });
    try {
      for (let i = 0; i < tickets.length; i += CHUNK) {
        const answer = await queueApi.bulk(tickets.slice(i, i + CHUNK).map((x) => x.id), action);
        results.push(...answer.results);
        setProgress({ done: Math.min(tickets.length, i + CHUNK), total: tickets.length });
      }
    } catch (err) {
      feedback.fail(err);
    } finally {
      setProgress(null);
    }
    if (!results.length) return false;
    const failures = results.filter((r) => !r.ok).map((r) => ({ id: r.id, label: label.get(r.id) ?? r.id, error: r.error ?? r.code ?? '' }));
    setSummary({ ok: results.length - failures.length, failures });
    onFinished(results);
    return true;
  };

  const people = directory.staff.filter((s) => s.status === 'active' && (can('tickets.assign') || s.id === me?.id));
  const busy = progress !== null;
  return (
    <>
      {(selected.length > 0 || busy) && (
        <Flex gap={8} wrap align="center" className="kefu-bulk-bar" data-testid="bulk-bar"
          style={{ padding: '8px 16px', background: '#f5f8ff', borderTop: '1px solid #e8ebf2', borderBottom: '1px solid #e8ebf2' }}>
          <Typography.Text strong data-testid="bulk-count">{t('bulk.selected', { n: selected.length })}</Typography.Text>
          <Dropdown disabled={busy} trigger={['click']} menu={{
            items: STATUSES.map((s) => ({ key: s, label: <span data-testid={`bulk-status-${s}`}>{t(`ticketStatus.${s}`)}</span> })),
            onClick: ({ key }) => void run({ type: 'status', status: key as TicketStatus }),
          }}>
            <Button data-testid="bulk-status">{t('bulk.setStatus')} <DownOutlined /></Button>
          </Dropdown>
          <Dropdown disabled={busy} trigger={['click']} menu={{
            items: PRIORITIES.map((p) => ({ key: p, label: <span data-testid={`bulk-priority-${p}`}>{t(`priority.${p}`)}</span> })),
            onClick: ({ key }) => void run({ type: 'priority', priority: key as Priority }),
          }}>
            <Button data-testid="bulk-priority">{t('bulk.setPriority')} <DownOutlined /></Button>
          </Dropdown>
          <Select showSearch optionFilterProp="label" disabled={busy} placeholder={t('bulk.assign')} style={{ width: 150 }} value={null} data-testid="bulk-assign"
            onChange={(v: string) => void run({ type: 'assign', assigneeId: v === '' ? null : v })}
            options={[
              ...people.map((s) => ({ value: s.id, label: s.id === me?.id ? `${s.name}（${t('common.me')}）` : s.name })),
              ...(can('tickets.assign') ? [{ value: '', label: t('bulk.unassign') }] : []),
            ]} />
          <Button icon={<SwapOutlined />} disabled={busy} onClick={() => setDialog('forward')} data-testid="bulk-forward">{t('bulk.forward')}</Button>
          <Button icon={<TagsOutlined />} disabled={busy} onClick={() => setDialog('tags')} data-testid="bulk-tags">{t('bulk.tags')}</Button>
          <Button type="text" icon={<CloseOutlined />} disabled={busy} onClick={onClear} data-testid="bulk-clear">{t('bulk.clear')}</Button>
          {progress && (
            <Flex align="center" gap={8} style={{ minWidth: 220 }} data-testid="bulk-progress">
              <Progress percent={Math.round((progress.done / progress.total) * 100)} size="small" status="active" style={{ width: 140, margin: 0 }} />
              <Typography.Text type="secondary">{t('bulk.running', { done: progress.done, total: progress.total })}</Typography.Text>
            </Flex>
          )}
        </Flex>
      )}
      {summary && (
        <Alert closable onClose={() => setSummary(null)} style={{ margin: '8px 16px' }} data-testid="bulk-summary"
          type={summary.failures.length ? 'warning' : 'success'} showIcon
          message={summary.failures.length ? t('bulk.someFailed', { ok: summary.ok, failed: summary.failures.length }) : t('bulk.allDone', { n: summary.ok })}
          description={summary.failures.length ? (
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {summary.failures.map((f) => (
                <li key={f.id} data-testid="bulk-failure"><Typography.Text strong>{f.label}</Typography.Text>：{f.error}</li>
              ))}
            </ul>
          ) : undefined} />
      )}
      <BulkForwardModal open={dialog === 'forward'} directory={directory} onClose={() => setDialog(null)}
        onSubmit={async (departmentId, reason) => { setDialog(null); await run({ type: 'forward', departmentId, reason }); }} />
      <BulkTagsModal open={dialog === 'tags'} onClose={() => setDialog(null)}
        onSubmit={async (mode, tags) => { setDialog(null); await run({ type: mode, tags }); }} />
    </>
  );
}

function BulkForwardModal({ open, directory, onClose, onSubmit }: {
  open: boolean; directory: Directory; onClose(): void; onSubmit(departmentId: string, reason: string): Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ departmentId: string; reason: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    form.resetFields();
    await onSubmit(v.departmentId, v.reason.trim());
  };
  return (
    <Modal open={open} title={t('bulk.forwardTitle')} onCancel={onClose} onOk={() => void submit()} destroyOnHidden forceRender
      okText={t('ticket.forward')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'bulk-forward-submit' }}>
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="departmentId" label={t('ticket.forwardTo')} rules={[{ required: true, message: t('validation.department') }]}>
          <Select showSearch optionFilterProp="label" data-testid="bulk-forward-department" options={directory.departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="reason" label={t('ticket.reason')} rules={[{ required: true, whitespace: true, max: 1000, message: t('validation.reason') }]}>
          <Input.TextArea rows={3} data-testid="bulk-forward-reason" placeholder={t('ticket.forwardReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function BulkTagsModal({ open, onClose, onSubmit }: {
  open: boolean; onClose(): void; onSubmit(mode: 'add_tags' | 'remove_tags', tags: string[]): Promise<void>;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ mode: 'add_tags' | 'remove_tags'; tags: string[] }>();
  const submit = async () => {
    const v = await form.validateFields();
    form.resetFields();
    await onSubmit(v.mode, [...new Set(v.tags.map((x) => x.trim()).filter(Boolean))]);
  };
  return (
    <Modal open={open} title={t('bulk.tags')} onCancel={onClose} onOk={() => void submit()} destroyOnHidden forceRender
      okText={t('bulk.apply')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'bulk-tags-submit' }}>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ mode: 'add_tags', tags: [] }}>
        <Form.Item name="mode">
          <Radio.Group data-testid="bulk-tags-mode" options={[{ value: 'add_tags', label: t('bulk.addTags') }, { value: 'remove_tags', label: t('bulk.removeTags') }]} />
        </Form.Item>
        <Form.Item name="tags" label={t('ticket.tags')} rules={[
          { required: true, type: 'array', min: 1, message: t('bulk.tagsRequired') },
          { validator: (_, v: string[] | undefined) => (v ?? []).every((x) => x.trim().length <= 50) && (v ?? []).length <= 30 ? Promise.resolve() : Promise.reject(new Error(t('bulk.tagsTooLong'))) },
        ]}>
          <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} placeholder={t('bulk.tagsPlaceholder')} data-testid="bulk-tags-input" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
