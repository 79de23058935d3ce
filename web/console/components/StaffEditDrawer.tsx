import { Button, Descriptions, Drawer, Flex, Form, InputNumber, Radio, Select, Slider } from 'antd';
import { useEffect, useState } from 'react';
import { useAuth } from '../../shared/auth.tsx';
import { assignmentApi, staffApi } from '../../shared/endpoints.ts';
import { formatDateTime } from '../../shared/format.ts';
import { useI18n } from '../../shared/i18n.ts';
import { roleLabel } from '../../shared/roles.ts';
import type { StaffPatch, StaffView } from '../../shared/types.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import type { Directory } from '../hooks/useDirectory.ts';
import { PresenceBadge } from './PresenceBadge.tsx';
import { StaffStatusTag } from './StaffStatusTag.tsx';

type FormValues = Required<Pick<StaffPatch, 'roleId' | 'level' | 'skills' | 'departmentIds' | 'teamIds'>> & { status: 'active' | 'disabled'; ticketCapacity: number };

/** Role, status, level, skills, departments and teams of one account (PATCH /api/v1/staff/:id). */
export function StaffEditDrawer({ staff, directory, onClose, onSaved }: {
  staff: StaffView | null; directory: Directory; onClose(): void; onSaved(staff: StaffView): void;
}) {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const feedback = useFeedback();
  const [openTickets, setOpenTickets] = useState<number | null>(null);
  const [capacity, setCapacity] = useState<number | null>(null);

  useEffect(() => {
    if (staff) {
      form.setFieldsValue({
        roleId: staff.role.id, level: staff.level, skills: staff.skills, departmentIds: staff.departmentIds, teamIds: staff.teamIds,
        status: staff.status === 'disabled' ? 'disabled' : 'active',
      });
      setOpenTickets(null);
      setCapacity(null);
      assignmentApi.capacity(staff.id).then((c) => {
        setOpenTickets(c.openTickets);
        setCapacity(c.ticketCapacity);
        form.setFieldValue('ticketCapacity', c.ticketCapacity);
      }).catch(() => undefined);
    }
  }, [staff, form]);

  const handleSave = async () => {
    if (!staff) return;
    const values = await form.validateFields();
    const patch: StaffPatch = { roleId: values.roleId, level: values.level, skills: values.skills, departmentIds: values.departmentIds, teamIds: values.teamIds };
    if (staff.status !== 'invited') patch.status = values.status;
    setBusy(true);
    try {
      const saved = await staffApi.update(staff.id, patch);
      if (capacity !== null && values.ticketCapacity !== capacity) await assignmentApi.setCapacity(staff.id, values.ticketCapacity ?? 0);
      feedback.ok(t('common.saved'));
      onSaved(saved);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const isSelf = staff?.id === me?.id;
  return (
    <Drawer open={!!staff} onClose={onClose} size={480} title={staff ? t('staff.editTitle', { name: staff.name }) : ''} destroyOnHidden
      data-testid="staff-drawer"
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void handleSave()} data-testid="staff-save">{t('common.save')}</Button>
        </Flex>
      }>
      {staff ? (
        <>
          <Descriptions column={1} size="small" style={{ marginBottom: 20 }}>
            <Descriptions.Item label={t('field.email')}>{staff.email}</Descriptions.Item>
            <Descriptions.Item label={t('field.status')}><StaffStatusTag status={staff.status} /></Descriptions.Item>
            <Descriptions.Item label={t('field.presence')}><PresenceBadge presence={staff.presence} /></Descriptions.Item>
            <Descriptions.Item label={t('field.createdAt')}>{formatDateTime(staff.createdAt, lang)}</Descriptions.Item>
          </Descriptions>
          <Form form={form} layout="vertical" requiredMark={false}>
            <Form.Item name="roleId" label={t('field.role')} rules={[{ required: true, message: t('validation.role') }]}>
              <Select data-testid="staff-role" options={directory.roles.map((r) => ({ value: r.id, label: roleLabel(r, lang) }))} />
            </Form.Item>
            {staff.status !== 'invited' ? (
              <Form.Item name="status" label={t('field.accountStatus')} extra={isSelf ? t('staff.selfStatusHelp') : undefined}>
                <Radio.Group disabled={isSelf} data-testid="staff-status" optionType="button" options={[
                  { value: 'active', label: t('staffStatus.active') },
                  { value: 'disabled', label: t('staffStatus.disabled') },
                ]} />
              </Form.Item>
            ) : null}
            <Form.Item name="level" label={t('field.level')} extra={t('staff.levelHelp')}>
              <Slider min={1} max={5} marks={{ 1: 'L1', 2: 'L2', 3: 'L3', 4: 'L4', 5: 'L5' }} />
            </Form.Item>
            <Form.Item name="skills" label={t('field.skills')} extra={t('staff.skillsHelp')}
              rules={[{ type: 'array', max: 50 }, { validator: (_, v: string[] = []) => (v.every((s) => s.trim().length > 0 && s.length <= 50) ? Promise.resolve() : Promise.reject(new Error(t('validation.skill')))) }]}>
              <Select mode="tags" tokenSeparators={[',', '，']} data-testid="staff-skills" open={false} suffixIcon={null} />
            </Form.Item>
            <Form.Item name="ticketCapacity" label={t('staff.capacity')}
              extra={openTickets === null ? t('staff.capacityHelp') : t('staff.capacityNow', { n: openTickets })}>
              <InputNumber min={0} max={10000} disabled={capacity === null} data-testid="staff-capacity" />
            </Form.Item>
            <Form.Item name="departmentIds" label={t('field.departments')}>
              <Select mode="multiple" allowClear optionFilterProp="label" data-testid="staff-departments"
                options={directory.departments.map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
            <Form.Item name="teamIds" label={t('field.teams')}>
              <Select mode="multiple" allowClear optionFilterProp="label" data-testid="staff-teams"
                options={directory.teams.map((d) => ({ value: d.id, label: d.name }))} />
            </Form.Item>
          </Form>
        </>
      ) : null}
    </Drawer>
  );
}
