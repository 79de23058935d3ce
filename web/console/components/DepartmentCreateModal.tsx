import { Form, Input, Modal, TreeSelect } from 'antd';
import { useState } from 'react';
import { departmentsApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { DepartmentView } from '../../shared/types.ts';
import type { DepartmentNode } from '../departmentTree.ts';
import { useFeedback } from '../hooks/useFeedback.ts';

interface FormValues { name: string; parentId: string | null }

/** "New department" (mounted per opening, so it always starts from `parentId`). */
export function DepartmentCreateModal({ parentId, tree, onClose, onCreated }: {
  parentId: string | null; tree: DepartmentNode[]; onClose(): void; onCreated(department: DepartmentView): void;
}) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);

  const handleOk = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const created = await departmentsApi.create({ name: v.name.trim(), parentId: v.parentId ?? null });
      feedback.ok(t('departments.created', { name: created.name }));
      onCreated(created);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('departments.create')} onCancel={onClose} onOk={() => void handleOk()} confirmLoading={busy}
      okText={t('common.create')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'department-create-submit' }}>
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ name: '', parentId }}>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
          <Input data-testid="department-create-name" autoFocus />
        </Form.Item>
        <Form.Item name="parentId" label={t('field.parentDepartment')}>
          <TreeSelect allowClear treeDefaultExpandAll treeData={tree} placeholder={t('departments.topLevel')} data-testid="department-create-parent" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
