import { ApartmentOutlined, DeleteOutlined, PlusOutlined, SaveOutlined } from '@ant-design/icons';
import { Button, Card, Col, Empty, Flex, Form, Input, InputNumber, Popconfirm, Row, Select, Tree, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { departmentsApi } from '../../shared/endpoints.ts';
import { useI18n } from '../../shared/i18n.ts';
import type { DepartmentView } from '../../shared/types.ts';
import { DepartmentCreateModal } from '../components/DepartmentCreateModal.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { buildDepartmentTree, subtreeIds } from '../departmentTree.ts';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';

interface EditValues { name: string; parentId: string | null; sortOrder: number; memberIds: string[] }

/** The department tree: create, rename, move under another parent, delete, and choose members. */
export function DepartmentsPage() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const directory = useDirectory();
  const departments = directory.departments;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // Every branch starts open, new ones included; only what the person folds stays folded.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  /** Open "new department" dialog, with the parent it starts with (the selected department). */
  const [creating, setCreating] = useState<{ parentId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<EditValues>();

  const selected = departments.find((d) => d.id === selectedId) ?? null;
  const tree = useMemo(() => buildDepartmentTree(departments), [departments]);
  const parentChoices = useMemo(
    () => buildDepartmentTree(departments, selected ? subtreeIds(departments, selected.id) : new Set()),
    [departments, selected],
  );
  const staffOptions = directory.staff.filter((s) => s.status !== 'disabled').map((s) => ({ value: s.id, label: `${s.name} · ${s.email}` }));

  // Fill the form when another department is picked (not on every refetch: that would wipe unsaved edits).
  useEffect(() => {
    if (selected) form.setFieldsValue({ name: selected.name, parentId: selected.parentId, sortOrder: selected.sortOrder, memberIds: selected.memberIds });
  }, [selected?.id, form]);

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await work();
      feedback.ok(done);
      await directory.reload();
      return true;
    } catch (err) {
      feedback.fail(err);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const handleSave = async () => {
    if (!selected) return;
    const v = await form.validateFields();
    await run(() => departmentsApi.update(selected.id, { name: v.name.trim(), parentId: v.parentId ?? null, sortOrder: v.sortOrder ?? 0, memberIds: v.memberIds ?? [] }), t('common.saved'));
  };

  const handleDelete = async (d: DepartmentView) => {
    if (await run(() => departmentsApi.remove(d.id), t('departments.deleted', { name: d.name }))) setSelectedId(null);
  };


  return (
    <div>
      <PageHeader title={t('nav.departments')} subtitle={t('departments.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} data-testid="department-create"
          onClick={() => setCreating({ parentId: selectedId })}>{t('departments.create')}</Button>} />
      <Row gutter={16}>
        <Col xs={24} lg={9}>
          <Card title={<span><ApartmentOutlined /> {t('departments.tree')}</span>} loading={directory.loading && !departments.length} styles={{ body: { minHeight: 360 } }}>
            {tree.length ? (
              <Tree<(typeof tree)[number]> blockNode showLine treeData={tree} data-testid="department-tree"
                expandedKeys={departments.filter((d) => !collapsed.has(d.id)).map((d) => d.id)}
                onExpand={(_, info) => setCollapsed((c) => {
                  const next = new Set(c);
                  const id = String(info.node.key);
                  if (info.expanded) next.delete(id); else next.add(id);
                  return next;
                })}
                selectedKeys={selectedId ? [selectedId] : []}
                onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
                titleRender={(n) => (
                  <Flex justify="space-between" gap={8} data-testid={`department-node-${n.title}`}>
                    <span>{n.title}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('departments.memberCount', { n: n.department.memberIds.length })}</Typography.Text>
                  </Flex>
                )} />
            ) : <Empty description={t('departments.empty')} />}
          </Card>
        </Col>
        <Col xs={24} lg={15}>
          <Card title={selected ? selected.name : t('departments.details')} data-testid="department-details"
            extra={selected ? (
              <Popconfirm title={t('departments.deleteConfirm', { name: selected.name })} okText={t('common.delete')} cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }} onConfirm={() => handleDelete(selected)}>
                <Button danger icon={<DeleteOutlined />} data-testid="department-delete">{t('common.delete')}</Button>
              </Popconfirm>
            ) : null}>
            {selected ? (
              <Form form={form} layout="vertical" requiredMark={false}>
                <Row gutter={16}>
                  <Col span={16}>
                    <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, max: 100, message: t('validation.name') }]}>
                      <Input data-testid="department-name" />
                    </Form.Item>
                  </Col>
                  <Col span={8}>
                    <Form.Item name="sortOrder" label={t('field.sortOrder')}>
                      <InputNumber precision={0} min={-100000} max={100000} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name="parentId" label={t('field.parentDepartment')} extra={t('departments.parentHelp')}>
                  <TreeSelect allowClear treeDefaultExpandAll treeData={parentChoices} placeholder={t('departments.topLevel')} data-testid="department-parent" />
                </Form.Item>
                <Form.Item name="memberIds" label={t('field.members')}>
                  <Select mode="multiple" allowClear optionFilterProp="label" options={staffOptions} data-testid="department-members" />
                </Form.Item>
                <Button type="primary" icon={<SaveOutlined />} loading={busy} onClick={() => void handleSave()} data-testid="department-save">{t('common.save')}</Button>
              </Form>
            ) : <Empty description={t('departments.pick')} />}
          </Card>
        </Col>
      </Row>
      {creating ? (
        <DepartmentCreateModal parentId={creating.parentId} tree={tree} onClose={() => setCreating(null)}
          onCreated={(d) => {
            setCreating(null);
            if (d.parentId) setCollapsed((c) => new Set([...c].filter((id) => id !== d.parentId)));
            void directory.reload();
          }} />
      ) : null}
    </div>
  );
}
