import { Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { teamsApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { TeamView } from '../../shared/types.ts';
import { buildDepartmentTree } from '../departmentTree.ts';
import type { Directory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';

interface FormValues { name: string; departmentId: string | null; leadId: string | null; memberIds: string[] }

export function TeamFormModal({ open, team, directory, onClose, onSaved }: {
  open: boolean; team: TeamView | null; directory: Directory; onClose(): void; onSaved(team: TeamView): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const feedback = useFeedback();
  const tree = useMemo(() => buildDepartmentTree(directory.departments), [directory.departments]);
  const staffOptions = directory.staff.filter((s) => s.status !== 'disabled').map((s) => ({ value: s.id, label: `${s.name} · ${s.email}` }));

  useEffect(() => {
    if (open) form.setFieldsValue({ name: team?.name ?? '', departmentId: team?.departmentId ?? null, leadId: team?.leadId ?? null, memberIds: team?.memberIds ?? [] });
  }, [open, team, form]);

  const handleOk = async () => {
    const v = await form.validateFields();
    const input = { name: v.name.trim(), departmentId: v.departmentId ?? null, leadId: v.leadId ?? null, memberIds: v.memberIds ?? [] };
    setBusy(true);
    try {
      const saved = team ? await teamsApi.update(team.id, input) : await teamsApi.create(input);
      feedback.ok(team ? t('common.saved') : t('teams.created', { name: saved.name }));
      onSaved(saved);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={team ? t('teams.editTitle', { name: team.name }) : t('teams.create')} onCancel={onClose} onOk={() => void handleOk()}
      confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden width={560}
      okButtonProps={{ 'data-testid': 'team-submit' }}>
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
          <Input data-testid="team-name" />
        </Form.Item>
        <Form.Item name="departmentId" label={t('field.department')}>
          <TreeSelect allowClear treeDefaultExpandAll treeData={tree} placeholder={t('teams.noDepartment')} data-testid="team-department" />
        </Form.Item>
        <Form.Item name="leadId" label={t('field.lead')}>
          <Select allowClear showSearch optionFilterProp="label" options={staffOptions} data-testid="team-lead" />
        </Form.Item>
        <Form.Item name="memberIds" label={t('field.members')}>
          <Select mode="multiple" allowClear optionFilterProp="label" options={staffOptions} data-testid="team-members" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
