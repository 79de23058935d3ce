import { Flex, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useState } from 'react';
import { staffApi } from '../../shared/endpoints.ts';
import { LANGUAGES, useI18n } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import type { InviteInput, StaffView } from '../../shared/types.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import type { Directory } from '../hooks/useDirectory.ts';

/** Invite an agent by email: the activation link goes out through the outbox. */
export function InviteStaffModal({ open, directory, onClose, onInvited }: {
  open: boolean; directory: Directory; onClose(): void; onInvited(staff: StaffView): void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<InviteInput>();
  const [busy, setBusy] = useState(false);
  const feedback = useFeedback();
  const defaultRole = directory.roles.find((r) => r.builtin === 'agent')?.id;

  const handleOk = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const staff = await staffApi.invite({ ...values, email: values.email.trim(), name: values.name.trim() });
      feedback.ok(t('staff.invited', { email: staff.email }));
      form.resetFields();
      onInvited(staff);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t('staff.inviteTitle')} onCancel={onClose} onOk={() => void handleOk()} confirmLoading={busy}
      okText={t('staff.sendInvitation')} okButtonProps={{ 'data-testid': 'invite-submit' }} destroyOnHidden width={560}>
      <Form form={form} layout="vertical" requiredMark={false} preserve={false} initialValues={{ roleId: defaultRole, level: 1, departmentIds: [], teamIds: [], locale: lang }}
        data-testid="invite-form">
        <Form.Item name="email" label={t('field.email')} rules={[{ required: true, type: 'email', message: t('validation.email') }]}>
          <Input data-testid="invite-email" placeholder="agent@company.com" />
        </Form.Item>
        <Form.Item name="name" label={t('field.personName')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
          <Input data-testid="invite-name" />
        </Form.Item>
        <Form.Item name="roleId" label={t('field.role')} rules={[{ required: true, message: t('validation.role') }]}>
          <Select data-testid="invite-role" options={directory.roles.map((r) => ({ value: r.id, label: roleLabel(r, lang) }))} />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('field.departments')}>
          <Select mode="multiple" allowClear data-testid="invite-departments" optionFilterProp="label"
            options={directory.departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="teamIds" label={t('field.teams')}>
          <Select mode="multiple" allowClear data-testid="invite-teams" optionFilterProp="label"
            options={directory.teams.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="level" label={t('field.level')} extra={t('staff.levelHelp')} style={{ flex: 1 }}>
            <InputNumber min={1} max={5} precision={0} data-testid="invite-level" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="locale" label={t('field.mailLanguage')} style={{ flex: 1 }}>
            <Select data-testid="invite-locale" options={LANGUAGES} />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
