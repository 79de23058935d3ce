import { DeleteOutlined, EditOutlined, FolderAddOutlined } from '@ant-design/icons';
import { App, Button, Flex, Form, Input, Modal, Tooltip, Tree, Typography, type TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useI18n } from '../../../shared/i18n.ts';
import { kbApi, type KbCategoryView } from '../../../shared/kbApi.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';

export const ALL = '__all__';

/** The category tree built from the flat list (parents before children, siblings in their order). */
export function categoryTree(categories: readonly KbCategoryView[], label: (c: KbCategoryView) => React.ReactNode): TreeDataNode[] {
  const byParent = new Map<string | null, KbCategoryView[]>();
  for (const c of categories) byParent.set(c.parentId, [...(byParent.get(c.parentId) ?? []), c]);
  const build = (parent: string | null): TreeDataNode[] => (byParent.get(parent) ?? []).map((c) => ({ key: c.id, title: label(c), children: build(c.id) }));
  return build(null);
}

/** The knowledge base's categories: pick one to filter; with kb.manage, add, rename and delete. */
export function KbCategoryTree({ categories, selected, onSelect, canManage, onChanged }: {
  categories: KbCategoryView[]; selected: string; onSelect(id: string): void; canManage: boolean; onChanged(): Promise<void>;
}) {
  const { t } = useI18n();
  const feedback = useFeedback();
  const { modal } = App.useApp();
  const [editing, setEditing] = useState<{ mode: 'add' | 'rename'; parentId: string | null; id?: string } | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const current = categories.find((c) => c.id === selected);

  const data = useMemo<TreeDataNode[]>(() => [
    { key: ALL, title: <span data-testid="kb-category-all">{t('kb.allArticles')}</span> },
    ...categoryTree(categories, (c) => <span data-testid="kb-category">{c.name} <Typography.Text type="secondary">{c.articleCount}</Typography.Text></span>),
  ], [categories, t]);

  const save = async () => {
    const { name } = await form.validateFields();
    try {
      if (editing?.mode === 'rename' && editing.id) await kbApi.updateCategory(editing.id, { name });
      else await kbApi.createCategory({ name, parentId: editing?.parentId ?? null });
      setEditing(null);
      await onChanged();
    } catch (err) {
      feedback.fail(err);
    }
  };

  const remove = () => {
    if (!current) return;
    modal.confirm({
      title: t('kb.deleteCategory'), content: t('kb.deleteCategoryConfirm', { name: current.name }), okButtonProps: { danger: true, 'data-testid': 'kb-category-delete-ok' },
      onOk: async () => {
        try { await kbApi.removeCategory(current.id); onSelect(ALL); await onChanged(); } catch (err) { feedback.fail(err); }
      },
    });
  };

  const open = (mode: 'add' | 'rename', parentId: string | null) => {
    setEditing({ mode, parentId, id: mode === 'rename' ? current?.id : undefined });
    form.setFieldsValue({ name: mode === 'rename' ? current?.name ?? '' : '' });
  };

  return (
    <div data-testid="kb-categories">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('kb.categories')}</Typography.Text>
        {canManage ? (
          <Flex gap={4}>
            <Tooltip title={current ? t('kb.addSubcategory') : t('kb.addCategory')}>
              <Button size="small" type="text" icon={<FolderAddOutlined />} data-testid="kb-category-add" onClick={() => open('add', current?.id ?? null)} />
            </Tooltip>
            <Tooltip title={t('kb.renameCategory')}>
              <Button size="small" type="text" icon={<EditOutlined />} disabled={!current} data-testid="kb-category-rename" onClick={() => open('rename', current?.parentId ?? null)} />
            </Tooltip>
            <Tooltip title={t('kb.deleteCategory')}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} disabled={!current} data-testid="kb-category-delete" onClick={remove} />
            </Tooltip>
          </Flex>
        ) : null}
      </Flex>
      <Tree blockNode defaultExpandAll treeData={data} selectedKeys={[selected]} onSelect={(keys) => onSelect(String(keys[0] ?? ALL))} />
      <Modal open={!!editing} title={editing?.mode === 'rename' ? t('kb.renameCategory') : editing?.parentId ? t('kb.addSubcategory') : t('kb.addCategory')}
        onCancel={() => setEditing(null)} onOk={() => void save()} okButtonProps={{ 'data-testid': 'kb-category-save' }} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={() => void save()}>
          <Form.Item name="name" label={t('kb.categoryName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input data-testid="kb-category-name" autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
