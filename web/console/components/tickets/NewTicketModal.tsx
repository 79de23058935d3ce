import { Col, Form, Input, Modal, Row, Select } from 'antd';
import { useState } from 'react';
import { useAuth } from '../../../shared/auth.tsx';
import { ticketsApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { Priority, TicketCreate, TicketView } from '../../../shared/types.ts';
import type { Directory } from '../../hooks/useDirectory.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { useTicketTypes } from '../../hooks/useTicketTypes.ts';
import { CustomFieldInputs, filledCustomFields } from './CustomFieldInputs.tsx';

type Channel = NonNullable<TicketCreate['channel']>;
const CHANNELS: Channel[] = ['phone', 'internal', 'email', 'portal', 'api'];
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];

interface Values {
  channel: Channel; customerName?: string; customerEmail?: string; customerPhone?: string;
  subject: string; body: string; typeId?: string; priority: Priority; departmentId?: string; assigneeId?: string; tags?: string[];
  customFields?: Record<string, string | number | null | undefined>;
}

/** A ticket opened by hand: a phone call, a walk-in, something noticed internally. */
export function NewTicketModal({ open, directory, onClose, onCreated }: {
  open: boolean; directory: Directory; onClose(): void; onCreated(ticket: TicketView): void;
}) {
  const { t, lang } = useI18n();
  const { me, can } = useAuth();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const feedback = useFeedback();
  const types = useTicketTypes();

  const submit = async () => {
    // A form that does not validate shows its messages; the rejection is not an error of the page.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const input: TicketCreate = {
      subject: v.subject.trim(), body: v.body, channel: v.channel, priority: v.priority,
      ...(v.customerName?.trim() ? { customer: {
        name: v.customerName.trim(),
        ...(v.customerEmail?.trim() ? { email: v.customerEmail.trim() } : {}),
        ...(v.customerPhone?.trim() ? { phone: v.customerPhone.trim() } : {}),
      } } : {}),
      ...(v.typeId ? { typeId: v.typeId } : {}),
      ...(v.departmentId ? { departmentId: v.departmentId } : {}),
      ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}),
      ...(v.tags?.length ? { tags: v.tags } : {}),
      ...filledCustomFields(v.customFields),
    };
    setBusy(true);
    try {
      const ticket = await ticketsApi.create(input);
      feedback.ok(t('tickets.created', { number: ticket.number }));
      form.resetFields();
      onCreated(ticket);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const people = directory.staff.filter((s) => s.status === 'active' && (can('tickets.assign') || s.id === me?.id));
  return (
    <Modal open={open} title={t('tickets.newTitle')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} width={720}
      okText={t('tickets.createSubmit')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'new-ticket-submit' }} destroyOnHidden forceRender>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ channel: 'phone', priority: 'normal' }} data-testid="new-ticket-form">
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="channel" label={t('ticket.channel')}>
              <Select data-testid="new-ticket-channel" options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="customerName" label={t('ticket.customerName')} rules={[{ max: 100 }]}>
              <Input data-testid="new-ticket-customer-name" placeholder={t('tickets.customerNamePlaceholder')} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="customerPhone" label={t('ticket.customerPhone')} rules={[{ pattern: /^[0-9+()\- ]{3,40}$/, message: t('validation.phone') }]}>
              <Input data-testid="new-ticket-customer-phone" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="customerEmail" label={t('ticket.customerEmail')} rules={[{ type: 'email', message: t('validation.email') }]}>
          <Input data-testid="new-ticket-customer-email" />
        </Form.Item>
        <Form.Item name="subject" label={t('ticket.subject')} rules={[{ required: true, whitespace: true, max: 300, message: t('validation.subject') }]}>
          <Input data-testid="new-ticket-subject" />
        </Form.Item>
        <Form.Item name="body" label={t('tickets.body')} rules={[{ required: true, whitespace: true, message: t('validation.body') }]}>
          <Input.TextArea rows={4} data-testid="new-ticket-body" placeholder={t('tickets.bodyPlaceholder')} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="typeId" label={t('ticket.type')}>
              <Select allowClear data-testid="new-ticket-type" options={types.active.map((x) => ({ value: x.id, label: lang === 'en' ? x.nameEn : x.nameZh }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="priority" label={t('ticket.priority')}>
              <Select data-testid="new-ticket-priority" options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="departmentId" label={t('ticket.department')}>
              <Select allowClear showSearch optionFilterProp="label" data-testid="new-ticket-department"
                options={directory.departments.map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="assigneeId" label={t('ticket.assignee')}>
              <Select allowClear showSearch optionFilterProp="label" data-testid="new-ticket-assignee" placeholder={t('tickets.autoAssign')}
                options={people.map((s) => ({ value: s.id, label: s.id === me?.id ? `${s.name}（${t('common.me')}）` : s.name }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="tags" label={t('ticket.tags')}>
              <Select mode="tags" tokenSeparators={[',', '，']} open={false} suffixIcon={null} data-testid="new-ticket-tags" />
            </Form.Item>
          </Col>
        </Row>
        <CustomFieldInputs />
      </Form>
    </Modal>
  );
}
