import { CopyOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, ColorPicker, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CannedReplyView, RegionStrategyView, WidgetStyleView } from '../../../src/contracts/chat.ts';
import { request } from '../../shared/api.ts';
import { useI18n } from '../../shared/i18n.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { StyleLogo } from '../components/chat/StyleLogo.tsx';
import { DepartmentQueuesTab } from '../components/chat/DepartmentQueuesTab.tsx';
import { ROBOT_STYLE_DEFAULTS, RobotStyleFields } from '../components/chat/RobotStyleFields.tsx';
import { useFeedback } from '../hooks/useFeedback.ts';

interface Named { id: string; name: string }

function useOptions() {
  const [departments, setDepartments] = useState<Named[]>([]);
  const [staff, setStaff] = useState<Named[]>([]);
  useEffect(() => {
    void request<{ items: Named[] }>('GET', '/api/v1/departments').then((r) => setDepartments(r.items));
    void request<{ items: Named[] }>('GET', '/api/v1/staff').then((r) => setStaff(r.items)).catch(() => setStaff([]));
  }, []);
  return { departments: departments.map((d) => ({ value: d.id, label: d.name })), staff: staff.map((s) => ({ value: s.id, label: s.name })) };
}

/** Live chat settings: widget styles (with the snippet to paste), region routing (区域分流) and canned replies (常用语). */
export function LiveChatSettingsPage() {
  const { t } = useI18n();
  return (
    <div>
      <PageHeader title={t('nav.liveChatSettings')} subtitle={t('chatAdmin.subtitle')} />
      <Tabs items={[
        { key: 'styles', label: t('chatAdmin.styles'), children: <StylesTab /> },
        { key: 'regions', label: t('chatAdmin.regions'), children: <RegionsTab /> },
        { key: 'queues', label: t('chatAdmin.queues'), children: <DepartmentQueuesTab /> },
        { key: 'canned', label: t('chatAdmin.canned'), children: <CannedTab /> },
      ]} />
    </div>
  );
}

type StyleValues = Omit<WidgetStyleView, 'id' | 'snippet' | 'preChatFields' | 'themeColor'> & { themeColor: string | { toHexString(): string } };

function StylesTab() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const options = useOptions();
  const [items, setItems] = useState<WidgetStyleView[]>([]);
  const [editing, setEditing] = useState<WidgetStyleView | 'new' | null>(null);
  const [form] = Form.useForm<StyleValues>();
  const load = useCallback(async () => setItems((await request<{ items: WidgetStyleView[] }>('GET', '/api/v1/widget-styles')).items), []);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (editing === 'new') form.setFieldsValue({ name: '', themeColor: '#1677ff', position: 'right', language: 'auto', greetingZh: '', greetingEn: '', designatedDepartmentIds: [], designatedAgentIds: [], hideDepartmentNames: false, hideOfflineAgents: false, proactiveInvite: true, robotEnabled: false, showLastConversation: false, maxQueueLength: 0, ...ROBOT_STYLE_DEFAULTS });
    else if (editing) form.setFieldsValue(editing);
  }, [editing, form]);
  const save = async () => {
    const v = await form.validateFields();
    const body = { ...v, themeColor: typeof v.themeColor === 'string' ? v.themeColor : v.themeColor.toHexString() };
    try {
      if (editing === 'new') await request('POST', '/api/v1/widget-styles', body);
      else if (editing) await request('PATCH', `/api/v1/widget-styles/${editing.id}`, body);
      feedback.ok(t('common.saved'));
      setEditing(null);
      await load();
    } catch (err) { feedback.fail(err); }
  };
  const columns: TableColumnsType<WidgetStyleView> = [
    { title: t('chatAdmin.name'), key: 'name', render: (_, r) => <Space><span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 6, background: r.themeColor }} />{r.name}</Space> },
    { title: t('chatAdmin.snippet'), key: 'snippet', render: (_, r) => <Typography.Text code copyable={{ text: r.snippet, icon: <CopyOutlined /> }} data-testid="style-snippet" style={{ fontSize: 12 }}>{r.snippet}</Typography.Text> },
    { title: t('chatAdmin.demo'), key: 'demo', render: (_, r) => <a href={`/widget-demo?style=${r.id}`} target="_blank" rel="noreferrer">{t('chatAdmin.open')}</a> },
    { title: t('common.actions'), key: 'ops', width: 100, align: 'right', render: (_, r) => <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)}>{t('common.edit')}</Button> },
  ];
  return (
    <Card styles={{ body: { padding: 0 } }} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="style-create">{t('chatAdmin.newStyle')}</Button>} title={t('chatAdmin.styles')}>
      <Table rowKey="id" columns={columns} dataSource={items} pagination={false} data-testid="styles-table" />
      <Modal open={!!editing} title={editing === 'new' ? t('chatAdmin.newStyle') : t('common.edit')} onCancel={() => setEditing(null)} onOk={() => void save()} okText={t('common.save')} cancelText={t('common.cancel')} forceRender destroyOnHidden okButtonProps={{ id: 'style-save' }}>
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('chatAdmin.name')} rules={[{ required: true, whitespace: true, max: 100 }]}><Input data-testid="style-name" /></Form.Item>
          <Form.Item label={t('chatAdmin.logo')}>
            {editing && editing !== 'new'
              ? <StyleLogo style={editing} onChange={(s) => setItems((list) => list.map((x) => (x.id === s.id ? { ...x, logoUrl: s.logoUrl } : x)))} />
              : <Typography.Text type="secondary">{t('chatAdmin.logoSaveFirst')}</Typography.Text>}
          </Form.Item>
          <Space>
            <Form.Item name="themeColor" label={t('chatAdmin.color')}><ColorPicker disabledAlpha /></Form.Item>
            <Form.Item name="position" label={t('chatAdmin.position')}><Radio.Group options={[{ value: 'right', label: t('chatAdmin.right') }, { value: 'left', label: t('chatAdmin.left') }]} /></Form.Item>
            <Form.Item name="language" label={t('chatAdmin.language')}><Select style={{ width: 120 }} options={[{ value: 'auto', label: t('chatAdmin.auto') }, { value: 'zh-CN', label: '简体中文' }, { value: 'en', label: 'English' }]} /></Form.Item>
          </Space>
          <Form.Item name="greetingZh" label={t('chatAdmin.greetingZh')} rules={[{ max: 500 }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="greetingEn" label={t('chatAdmin.greetingEn')} rules={[{ max: 500 }]}><Input.TextArea rows={2} /></Form.Item>
          <Form.Item name="designatedDepartmentIds" label={t('chatAdmin.designatedDepartments')} extra={t('chatAdmin.designatedHelp')}><Select mode="multiple" options={options.departments} optionFilterProp="label" /></Form.Item>
          <Form.Item name="designatedAgentIds" label={t('chatAdmin.designatedAgents')}><Select mode="multiple" options={options.staff} optionFilterProp="label" /></Form.Item>
          <Space wrap>
            <Form.Item name="hideDepartmentNames" label={t('chatAdmin.hideDepartments')} valuePropName="checked"><Switch /></Form.Item>
            <Form.Item name="hideOfflineAgents" label={t('chatAdmin.hideOffline')} valuePropName="checked"><Switch /></Form.Item>
            <Form.Item name="proactiveInvite" label={t('chatAdmin.proactive')} valuePropName="checked"><Switch data-testid="style-proactive" /></Form.Item>
            <Form.Item name="showLastConversation" label={t('chatAdmin.showLast')} valuePropName="checked"><Switch data-testid="style-show-last" /></Form.Item>
            <Form.Item name="maxQueueLength" label={t('chatAdmin.maxQueue')} tooltip={t('chatAdmin.maxQueueHelp')}><InputNumber min={0} max={10000} data-testid="style-max-queue" /></Form.Item>
            <Form.Item name="robotEnabled" label={t('chatAdmin.robot')} valuePropName="checked"><Switch data-testid="style-robot" /></Form.Item>
          </Space>
          <RobotStyleFields />
        </Form>
      </Modal>
    </Card>
  );
}

type RegionValues = { name: string; regionsText: string; departmentIds: string[]; priority: number; enabled: boolean };

function RegionsTab() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const options = useOptions();
  const [items, setItems] = useState<RegionStrategyView[]>([]);
  const [editing, setEditing] = useState<RegionStrategyView | 'new' | null>(null);
  const [form] = Form.useForm<RegionValues>();
  const load = useCallback(async () => setItems((await request<{ items: RegionStrategyView[] }>('GET', '/api/v1/region-strategies')).items), []);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (editing === 'new') form.setFieldsValue({ name: '', regionsText: '', departmentIds: [], priority: (items.at(-1)?.priority ?? 0) + 1, enabled: true });
    else if (editing) form.setFieldsValue({ ...editing, regionsText: editing.regions.map((r) => [r.province, r.city].filter(Boolean).join(' ')).join('\n') });
  }, [editing, form, items]);
  const save = async () => {
    const v = await form.validateFields();
    // one region per line: "浙江" or "浙江 宁波"
    const regions = v.regionsText.split('\n').map((l) => l.trim().split(/\s+/)).filter((p) => p[0]).map(([province, city]) => ({ province, city: city ?? null }));
    const body = { name: v.name, regions, departmentIds: v.departmentIds, priority: v.priority, enabled: v.enabled };
    try {
      if (editing === 'new') await request('POST', '/api/v1/region-strategies', body);
      else if (editing) await request('PATCH', `/api/v1/region-strategies/${editing.id}`, body);
      feedback.ok(t('common.saved'));
      setEditing(null);
      await load();
    } catch (err) { feedback.fail(err); }
  };
  const remove = async (id: string) => { try { await request('DELETE', `/api/v1/region-strategies/${id}`); await load(); } catch (err) { feedback.fail(err); } };
  const deptName = (id: string) => options.departments.find((d) => d.value === id)?.label ?? id;
  const columns: TableColumnsType<RegionStrategyView> = [
    { title: t('chatAdmin.priority'), key: 'p', width: 80, render: (_, r) => r.priority },
    { title: t('chatAdmin.name'), key: 'name', render: (_, r) => <Space>{r.name}{r.enabled ? null : <Tag>{t('chatAdmin.disabled')}</Tag>}</Space> },
    { title: t('chatAdmin.regionList'), key: 'regions', render: (_, r) => r.regions.map((x) => <Tag key={`${x.province}${x.city}`}>{[x.province, x.city].filter(Boolean).join(' ')}</Tag>) },
    { title: t('chatAdmin.departments'), key: 'd', render: (_, r) => r.departmentIds.map((id) => <Tag key={id} color="blue">{deptName(id)}</Tag>) },
    { title: t('common.actions'), key: 'ops', width: 160, align: 'right', render: (_, r) => (
      <Space>
        <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(r)}>{t('common.edit')}</Button>
        <Popconfirm title={t('chatAdmin.confirmDelete')} onConfirm={() => void remove(r.id)}><Button size="small" type="text" danger icon={<DeleteOutlined />} /></Popconfirm>
      </Space>
    ) },
  ];
  return (
    <Card styles={{ body: { padding: 0 } }} title={t('chatAdmin.regions')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="region-create">{t('chatAdmin.newRegion')}</Button>}>
      <Typography.Paragraph type="secondary" style={{ padding: '12px 24px 0' }}>{t('chatAdmin.regionHelp')}</Typography.Paragraph>
      <Table rowKey="id" columns={columns} dataSource={items} pagination={false} data-testid="regions-table" />
      <Modal open={!!editing} title={editing === 'new' ? t('chatAdmin.newRegion') : t('common.edit')} onCancel={() => setEditing(null)} onOk={() => void save()} okText={t('common.save')} cancelText={t('common.cancel')} forceRender destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('chatAdmin.name')} rules={[{ required: true, whitespace: true, max: 100 }]}><Input /></Form.Item>
          <Form.Item name="regionsText" label={t('chatAdmin.regionList')} extra={t('chatAdmin.regionLines')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={4} placeholder={'浙江\n浙江 宁波'} /></Form.Item>
          <Form.Item name="departmentIds" label={t('chatAdmin.departments')} rules={[{ required: true, type: 'array', min: 1 }]}><Select mode="multiple" options={options.departments} optionFilterProp="label" /></Form.Item>
          <Space>
            <Form.Item name="priority" label={t('chatAdmin.priority')}><InputNumber min={1} max={1000} /></Form.Item>
            <Form.Item name="enabled" label={t('chatAdmin.enabled')} valuePropName="checked"><Switch /></Form.Item>
          </Space>
        </Form>
      </Modal>
    </Card>
  );
}

function CannedTab() {
  const { t } = useI18n();
  const feedback = useFeedback();
  const [items, setItems] = useState<CannedReplyView[]>([]);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ title: string; body: string; category: string; scope: 'personal' | 'public' }>();
  const load = useCallback(async () => setItems((await request<{ items: CannedReplyView[] }>('GET', '/api/v1/canned-replies')).items), []);
  useEffect(() => { void load(); }, [load]);
  const save = async () => {
    const v = await form.validateFields();
    try {
      await request('POST', '/api/v1/canned-replies', v);
      feedback.ok(t('common.saved'));
      setOpen(false);
      form.resetFields();
      await load();
    } catch (err) { feedback.fail(err); }
  };
  const remove = async (id: string) => { try { await request('DELETE', `/api/v1/canned-replies/${id}`); await load(); } catch (err) { feedback.fail(err); } };
  const columns: TableColumnsType<CannedReplyView> = [
    { title: t('chatAdmin.category'), key: 'c', width: 140, render: (_, r) => r.category || t('chat.uncategorized') },
    { title: t('chatAdmin.cannedTitle'), key: 't', render: (_, r) => <Space>{r.title}<Tag color={r.scope === 'public' ? 'green' : 'default'}>{r.scope === 'public' ? t('chatAdmin.public') : t('chat.personal')}</Tag></Space> },
    { title: t('chatAdmin.cannedBody'), key: 'b', render: (_, r) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{r.body}</Typography.Paragraph> },
    { title: t('common.actions'), key: 'ops', width: 80, align: 'right', render: (_, r) => <Popconfirm title={t('chatAdmin.confirmDelete')} onConfirm={() => void remove(r.id)}><Button size="small" type="text" danger icon={<DeleteOutlined />} /></Popconfirm> },
  ];
  return (
    <Card styles={{ body: { padding: 0 } }} title={t('chatAdmin.canned')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => { form.setFieldsValue({ scope: 'public', category: '' }); setOpen(true); }} data-testid="canned-create">{t('chatAdmin.newCanned')}</Button>}>
      <Table rowKey="id" columns={columns} dataSource={items} pagination={false} data-testid="canned-table" />
      <Modal open={open} title={t('chatAdmin.newCanned')} onCancel={() => setOpen(false)} onOk={() => void save()} okText={t('common.save')} cancelText={t('common.cancel')} forceRender okButtonProps={{ id: 'canned-save' }}>
        <Form form={form} layout="vertical">
          <Form.Item name="category" label={t('chatAdmin.category')} rules={[{ max: 50 }]}><Input data-testid="canned-category" /></Form.Item>
          <Form.Item name="title" label={t('chatAdmin.cannedTitle')} rules={[{ required: true, whitespace: true, max: 100 }]}><Input data-testid="canned-title" /></Form.Item>
          <Form.Item name="body" label={t('chatAdmin.cannedBody')} rules={[{ required: true, whitespace: true, max: 2000 }]}><Input.TextArea rows={4} data-testid="canned-body" /></Form.Item>
          <Form.Item name="scope" label={t('chatAdmin.scope')}><Radio.Group options={[{ value: 'public', label: t('chatAdmin.public') }, { value: 'personal', label: t('chat.personal') }]} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
