import { DeleteOutlined, EditOutlined, FilterOutlined, MoreOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Badge, Button, Checkbox, Dropdown, Flex, Form, Input, Modal, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { queueApi } from '../../../shared/endpoints.ts';
import { useI18n } from '../../../shared/i18n.ts';
import type { SavedViewView, TicketFilters, TicketTypeView } from '../../../shared/types.ts';
import type { Directory } from '../../hooks/useDirectory.ts';
import { useFeedback } from '../../hooks/useFeedback.ts';
import { compactFilters } from './queueFilters.ts';

/** Saved views in the queue's sidebar, under the built-in ones, each with its live count. */
export function SavedViewList({ views, counts, activeId, onChoose, onEdit, onDeleted }: {
  views: SavedViewView[]; counts: Record<string, number> | undefined; activeId: string | null;
  onChoose(view: SavedViewView): void; onEdit(view: SavedViewView): void; onDeleted(view: SavedViewView): void;
}) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const feedback = useFeedback();
  if (!views.length) return null;

  const remove = (v: SavedViewView) => modal.confirm({
    title: t('queue.deleteViewConfirm', { name: v.name }), okText: t('common.delete'), okButtonProps: { danger: true, 'data-testid': 'saved-view-delete-ok' },
    cancelText: t('common.cancel'),
    onOk: async () => {
      try {
        await queueApi.deleteView(v.id);
        feedback.ok(t('queue.viewDeleted'));
        onDeleted(v);
      } catch (err) { feedback.fail(err); }
    },
  });

  return (
    <div data-testid="saved-views">
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, padding: '12px 12px 4px' }}>{t('queue.savedViews')}</Typography.Text>
      {views.map((v) => {
        const active = v.id === activeId;
        const n = counts?.[`saved:${v.id}`];
        return (
          <div key={v.id} role="button" tabIndex={0} data-testid="saved-view" data-view-id={v.id} aria-current={active ? 'page' : undefined}
            onClick={() => onChoose(v)} onKeyDown={(e) => { if (e.key === 'Enter') onChoose(v); }}
            className={`kefu-queue-view${active ? ' kefu-queue-view-active' : ''}`}>
            <Flex align="center" gap={10} style={{ minWidth: 0 }}>
              <span className="kefu-queue-view-icon">{v.shared ? <Tooltip title={t('queue.sharedView')}><TeamOutlined /></Tooltip> : <FilterOutlined />}</span>
              <Typography.Text ellipsis={{ tooltip: v.name }} style={{ color: 'inherit', fontWeight: 'inherit' }} data-testid="saved-view-name">{v.name}</Typography.Text>
            </Flex>
            <Flex align="center" gap={2} style={{ flex: 'none' }}>
              <Badge count={n ?? 0} showZero overflowCount={9999} data-testid="saved-view-count"
                color={active ? '#2f6bff' : '#e6e9f0'} style={{ color: active ? '#fff' : '#4a5470', boxShadow: 'none' }} />
              {v.canEdit && (
                <Dropdown trigger={['click']} menu={{
                  items: [
                    { key: 'edit', icon: <EditOutlined />, label: <span data-testid="saved-view-edit">{t('queue.editView')}</span> },
                    { key: 'delete', icon: <DeleteOutlined />, danger: true, label: <span data-testid="saved-view-delete">{t('common.delete')}</span> },
                  ],
                  onClick: ({ key, domEvent }) => { domEvent.stopPropagation(); if (key === 'edit') onEdit(v); else remove(v); },
                }}>
                  <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('common.actions')} data-testid="saved-view-menu"
                    onClick={(e) => e.stopPropagation()} />
                </Dropdown>
              )}
            </Flex>
          </div>
        );
      })}
    </div>
  );
}

/** The saved filters in words, as tags (names, never raw ids). */
export function FilterSummary({ filters, directory, types }: { filters: TicketFilters; directory: Directory; types: TicketTypeView[] }) {
  const { t, lang } = useI18n();
  const f = compactFilters(filters);
  const parts: Array<[string, string]> = [];
  if (f.statuses) parts.push([t('filter.status'), f.statuses.map((s) => t(`ticketStatus.${s}`)).join('、')]);
  if (f.priorities) parts.push([t('filter.priority'), f.priorities.map((p) => t(`priority.${p}`)).join('、')]);
  if (f.departmentIds) parts.push([t('filter.department'), f.departmentIds.map((d) => directory.departmentName(d)).join('、')]);
  if (f.assignee) parts.push([t('filter.assignee'), f.assignee === 'me' ? t('filter.assigneeMe') : f.assignee === 'none' ? t('ticket.unassigned') : directory.staffName(f.assignee)]);
  if (f.typeIds) parts.push([t('filter.type'), f.typeIds.map((id) => { const x = types.find((y) => y.id === id); return x ? (lang === 'en' ? x.nameEn : x.nameZh) : '—'; }).join('、')]);
  if (f.channels) parts.push([t('filter.channel'), f.channels.map((c) => t(`channel.${c}`)).join('、')]);
  if (f.tags) parts.push([t('filter.tags'), f.tags.join('、')]);
  if (f.escalated !== undefined) parts.push([t('filter.escalated'), f.escalated ? t('filter.yes') : t('filter.no')]);
  if (f.overdue !== undefined) parts.push([t('filter.overdue'), f.overdue ? t('filter.yes') : t('filter.no')]);
  if (f.q) parts.push([t('filter.text'), f.q]);
  if (!parts.length) return <Typography.Text type="secondary">{t('queue.noFilters')}</Typography.Text>;
  return (
    <Flex gap={6} wrap data-testid="filter-summary">
      {parts.map(([label, text]) => <Tag key={label} style={{ marginInlineEnd: 0 }}>{label}：{text}</Tag>)}
    </Flex>
  );
}

interface Values { name: string; shared: boolean }

/**
 * Saves filters as a new view, or edits one (name, sharing, and its filters when `filters` changed).
 * Only people with settings.manage see the "share with the company" choice.
 */
export function SaveViewModal({ open, editing, filters, canShare, directory, types, onClose, onSaved }: {
  open: boolean; editing: SavedViewView | null; filters: TicketFilters; canShare: boolean; directory: Directory; types: TicketTypeView[];
  onClose(): void; onSaved(view: SavedViewView): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const feedback = useFeedback();

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const saved = editing
        ? await queueApi.updateView(editing.id, { name: v.name.trim(), filters: compactFilters(filters), ...(canShare ? { shared: v.shared } : {}) })
        : await queueApi.createView({ name: v.name.trim(), filters: compactFilters(filters), shared: canShare && v.shared });
      feedback.ok(t('queue.viewSaved'));
      onSaved(saved);
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={editing ? t('queue.editView') : t('queue.saveAsView')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy}
      okText={t('common.save')} cancelText={t('common.cancel')} okButtonProps={{ 'data-testid': 'save-view-submit' }} destroyOnHidden>
      {/* mounted afresh on every opening, so it starts from the view being edited (or empty) */}
      <Form form={form} layout="vertical" requiredMark={false} data-testid="save-view-form"
        initialValues={{ name: editing?.name ?? '', shared: editing?.shared ?? false }}>
        <Form.Item name="name" label={t('queue.viewName')} rules={[{ required: true, whitespace: true, max: 100, message: t('queue.viewNameRequired') }]}>
          <Input data-testid="save-view-name" maxLength={100} autoFocus />
        </Form.Item>
        {canShare && (
          <Form.Item name="shared" valuePropName="checked" extra={t('queue.shareHelp')}>
            <Checkbox data-testid="save-view-shared">{t('queue.shareWithCompany')}</Checkbox>
          </Form.Item>
        )}
        <Form.Item label={t('queue.savedFilters')}>
          <FilterSummary filters={filters} directory={directory} types={types} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
