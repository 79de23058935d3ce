import { Alert, Form, Input, Modal, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { ticketCollabApi, ticketsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { MergeResult, TicketView } from '../../../shared/types.ts';

type Candidate = Pick<TicketView, 'id' | 'number' | 'subject' | 'status'>;

/**
 * Merge this ticket into another: find the target by number or subject through the queue search (so
 * only tickets the agent may see), read the warning, confirm. Closed and merged tickets are not offered.
 */
export function MergeTicketModal({ open, ticket, suggestions, onClose, onMerged }: {
  open: boolean; ticket: TicketView; suggestions: Candidate[]; onClose(): void; onMerged(result: MergeResult): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ targetId: string; reason?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [found, setFound] = useState<Candidate[]>([]);
  const searchSeq = useRef(0);

  const mergeable = (x: Candidate) => x.id !== ticket.id && x.status !== 'closed';
  const search = async (q: string) => {
    const mine = ++searchSeq.current;
    const text = q.trim();
    const res = await ticketsApi.list({ view: 'all', limit: 20, ...(text ? { q: text } : {}) }).catch(() => ({ items: [] as TicketView[] }));
    if (mine === searchSeq.current) setFound(res.items.filter((x) => mergeable(x) && !x.mergedIntoId));
  };
  useEffect(() => { if (open) { setError(null); void search(''); } }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  // The customer's other open tickets first (the usual duplicates), then what the search finds.
  const seen = new Set<string>();
  const options = [...suggestions.filter(mergeable), ...found].filter((x) => !seen.has(x.id) && !!seen.add(x.id))
    .map((x) => ({ value: x.id, label: `#${x.number} ${x.subject}`, number: x.number }));

  return (
    <Modal open={open} title={t('collab.mergeTitle', { number: ticket.number })} onCancel={onClose} destroyOnHidden forceRender confirmLoading={busy}
      okText={t('collab.mergeConfirm')} cancelText={t('common.cancel')} okButtonProps={{ danger: true, 'data-testid': 'merge-submit' }}
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        setError(null);
        try {
          const result = await ticketCollabApi.merge(ticket.id, { targetId: v.targetId, ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}) });
          form.resetFields();
          onMerged(result);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        } finally {
          setBusy(false);
        }
      }}>
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="merge-warning" title={t('collab.mergeWarning', { number: ticket.number })} />
      {error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} data-testid="merge-error" title={error} /> : null}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="targetId" label={t('collab.mergeTarget')} rules={[{ required: true, message: t('collab.validationTarget') }]}>
          <Select showSearch filterOption={false} onSearch={(q) => void search(q)} placeholder={t('collab.mergeSearch')} data-testid="merge-target"
            options={options} optionRender={(o) => <span data-testid={`merge-option-${o.data.number}`}>{o.label}</span>} />
        </Form.Item>
        <Form.Item name="reason" label={t('ticket.reason')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} data-testid="merge-reason" placeholder={t('collab.mergeReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
