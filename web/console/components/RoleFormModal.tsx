import { LockOutlined } from '@ant-design/icons';
import { Alert, Checkbox, Col, Form, Input, Modal, Row, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { rolesApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import type { Permission, PermissionInfo, RoleView } from '../../shared/types.ts';
import { useFeedback } from '../hooks/useFeedback.ts';

interface FormValues { name: string; description: string; permissions: Permission[] }

/**
 * Create or edit a role: name, description and one checkbox per permission. A built-in role shows its
 * permissions read-only (the API refuses to change them).
 */
export function RoleFormModal({ open, role, permissions, onClose, onSaved }: {
  open: boolean; role: RoleView | null; permissions: PermissionInfo[]; onClose(): void; onSaved(role: RoleView): void;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const feedback = useFeedback();
  const builtin = !!role?.builtin;

  useEffect(() => {
    if (open) form.setFieldsValue({ name: role?.name ?? '', description: role?.description ?? '', permissions: (role?.permissions ?? []) as Permission[] });
  }, [open, role, form]);

  const handleOk = async () => {
    const values = await form.validateFields();
    const base = { name: values.name.trim(), description: values.description?.trim() ?? '' };
    setBusy(true);
    try {
      const saved = role
        ? await rolesApi.update(role.id, builtin ? base : { ...base, permissions: values.permissions })
        : await rolesApi.create({ ...base, permissions: values.permissions });
      feedback.ok(role ? t('common.saved') : t('roles.created', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={role ? t('roles.editTitle', { name: roleLabel(role, lang) }) : t('roles.createTitle')} onCancel={onClose}
      onOk={() => void handleOk()} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} width={640} destroyOnHidden
      okButtonProps={{ 'data-testid': 'role-submit' }}>
      <Form form={form} layout="vertical" requiredMark={false} data-testid="role-form">
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
          <Input data-testid="role-name" placeholder={t('roles.namePlaceholder')} />
        </Form.Item>
        <Form.Item name="description" label={t('field.description')} rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} data-testid="role-description" placeholder={t('roles.descriptionPlaceholder')} />
        </Form.Item>
        {builtin ? <Alert type="info" showIcon icon={<LockOutlined />} title={t('roles.builtinReadOnly')} style={{ marginBottom: 12 }} /> : null}
        <Form.Item name="permissions" label={t('roles.permissions')}>
          <Checkbox.Group disabled={builtin} style={{ width: '100%' }} data-testid="role-permissions">
            <Row gutter={[12, 10]}>
              {permissions.map((p) => (
                <Col span={12} key={p.key}>
                  <Checkbox value={p.key} data-testid={`perm-${p.key}`}>
                    {lang === 'en' ? p.en : p.zh}
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>{p.key}</Typography.Text>
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Modal>
  );
}
