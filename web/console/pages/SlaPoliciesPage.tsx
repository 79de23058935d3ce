import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Flex, Form, Input, InputNumber, Popconfirm, Select, Switch, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';
import { assignmentApi, slaApi } from '../../shared/endpoints.ts';
import { useI18n, type Translate } from '../../shared/i18n.ts';
import type { EscalationAction, EscalationLevel, Priority, SlaPolicyInput, SlaPolicyView } from '../../shared/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { useDirectory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useRemote } from '../hooks/useRemote.ts';
import { useTicketTypes } from '../hooks/useTicketTypes.ts';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const CHANNELS = ['email', 'webchat', 'portal', 'phone', 'wechat', 'api', 'internal'] as const;
const TARGETS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const;
const ACTION_TYPES: EscalationAction['type'][] = ['raise_severity', 'notify', 'set_priority', 'reassign'];
type Unit = 'minutes' | 'hours';
type Target = { value: number | null; unit: Unit };
type Draft = {
  name: string; active: boolean; position: number; priorities: Priority[]; typeIds: string[]; channels: string[];
  targets: Record<(typeof TARGETS)[number], Target>; calendarId: string | null; warnBeforeMinutes: number; escalation: EscalationLevel[];
};

const toTarget = (m: number | null | undefined): Target => (m && m % 60 === 0 ? { value: m / 60, unit: 'hours' } : { value: m ?? null, unit: 'minutes' });
const fromTarget = (x: Target) => (x.value ? (x.unit === 'hours' ? x.value * 60 : x.value) : null);

export function minutesText(m: number | null | undefined, t: Translate): string {
  if (!m) return '—';
  return m % 60 === 0 ? t('sla.hoursN', { n: m / 60 }) : t('sla.minutesN', { n: m });
}

function blankAction(type: EscalationAction['type']): EscalationAction {
  switch (type) {
    case 'notify': return { type, to: 'team_lead' };
    case 'set_priority': return { type, priority: 'urgent' };
    case 'reassign': return { type };
    default: return { type: 'raise_severity' };
  }
}

/** SLA policies: which tickets they cover, their targets in business time, and what happens on a breach. */
export function SlaPoliciesPage() {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const directory = useDirectory();
  const types = useTicketTypes();
  const policies = useRemote(() => slaApi.list(), []);
  const calendars = useRemote(() => assignmentApi.calendars(), []);
  const [editing, setEditing] = useState<SlaPolicyView | 'new' | null>(null);
  const [d, setD] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!editing) { setD(null); return; }
    const p = editing === 'new' ? null : editing;
    setD({
      name: p?.name ?? '', active: p?.active ?? true, position: p?.position ?? (policies.data?.items.length ?? 0) + 1,
      priorities: (p?.conditions.priorities ?? []) as Priority[], typeIds: p?.conditions.typeIds ?? [], channels: p?.conditions.channels ?? [],
      targets: { firstResponseMinutes: toTarget(p ? p.targets.firstResponseMinutes : 60), nextResponseMinutes: toTarget(p?.targets.nextResponseMinutes), resolutionMinutes: toTarget(p ? p.targets.resolutionMinutes : 480) },
      calendarId: p?.calendarId ?? null, warnBeforeMinutes: p?.warnBeforeMinutes ?? 10,
      escalation: p?.escalation ?? [{ afterMinutes: 0, actions: [{ type: 'raise_severity' }, { type: 'notify', to: 'team_lead' }] }],
    });
  }, [editing, policies.data]);

  const save = async () => {
    if (!d || !d.name.trim()) return;
    const input: SlaPolicyInput = {
      name: d.name.trim(), active: d.active, position: d.position,
      conditions: {
        ...(d.priorities.length ? { priorities: d.priorities } : {}),
        ...(d.typeIds.length ? { typeIds: d.typeIds } : {}),
        ...(d.channels.length ? { channels: d.channels as SlaPolicyInput['conditions'] extends { channels?: infer C } ? NonNullable<C> : never } : {}),
      },
      targets: Object.fromEntries(TARGETS.map((k) => [k, fromTarget(d.targets[k])])),
      calendarId: d.calendarId, warnBeforeMinutes: d.warnBeforeMinutes, escalation: d.escalation,
    };
    setBusy(true);
    try {
      if (editing === 'new') await slaApi.create(input); else if (editing) await slaApi.update(editing.id, input);
      feedback.ok(t('common.saved'));
      setEditing(null);
      await policies.reload();
    } catch (err) { feedback.fail(err); } finally { setBusy(false); }
  };

  const setLevel = (i: number, level: Partial<EscalationLevel>) => d && setD({ ...d, escalation: d.escalation.map((l, j) => (j === i ? { ...l, ...level } : l)) });

  const columns: TableColumnsType<SlaPolicyView> = [
    { title: t('field.sortOrder'), key: 'pos', width: 70, render: (_, p) => p.position },
    { title: t('field.name'), key: 'name', render: (_, p) => <Flex gap={6}><Typography.Text strong>{p.name}</Typography.Text>{p.active ? null : <Tag bordered={false}>{t('sla.inactive')}</Tag>}</Flex> },
    {
      title: t('sla.appliesTo'), key: 'cond',
      render: (_, p) => {
        const parts = [
          ...(p.conditions.priorities ?? []).map((x) => t(`priority.${x as Priority}`)),
          ...(p.conditions.channels ?? []).map((x) => t(`channel.${x as (typeof CHANNELS)[number]}`)),
          ...(p.conditions.typeIds ?? []).map((id) => { const ty = types.all.find((y) => y.id === id); return ty ? (lang === 'en' ? ty.nameEn : ty.nameZh) : id; }),
        ];
        return parts.length ? <Flex gap={4} wrap>{parts.map((x) => <Tag key={x} bordered={false}>{x}</Tag>)}</Flex> : <Typography.Text type="secondary">{t('sla.allTickets')}</Typography.Text>;
      },
    },
    { title: t('slaMetric.first_response'), key: 'fr', render: (_, p) => minutesText(p.targets.firstResponseMinutes, t) },
    { title: t('slaMetric.next_response'), key: 'nr', render: (_, p) => minutesText(p.targets.nextResponseMinutes, t) },
    { title: t('slaMetric.resolution'), key: 'res', render: (_, p) => minutesText(p.targets.resolutionMinutes, t) },
    { title: t('sla.escalation'), key: 'esc', render: (_, p) => (p.escalation.length ? t('sla.levelsN', { n: p.escalation.length }) : '—') },
    {
      title: t('common.actions'), key: 'ops', width: 150, align: 'right',
      render: (_, p) => (
        <Flex gap={4} justify="flex-end">
          <Button size="small" type="text" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid={`sla-edit-${p.name}`}>{t('common.edit')}</Button>
          <Popconfirm title={t('sla.deleteConfirm', { name: p.name })} okText={t('common.delete')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}
            onConfirm={async () => { try { await slaApi.remove(p.id); await policies.reload(); } catch (err) { feedback.fail(err); } }}>
            <Button size="small" type="text" danger icon={<DeleteOutlined />}>{t('common.delete')}</Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <div>
      <PageHeader title={t('nav.sla')} subtitle={t('sla.subtitle')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="sla-create">{t('sla.create')}</Button>} />
      <Card styles={{ body: { padding: 0 } }}>
        <Table<SlaPolicyView> rowKey="id" columns={columns} dataSource={policies.data?.items ?? []} loading={policies.loading} pagination={false} data-testid="sla-table" />
      </Card>
      <Drawer open={!!editing} size={720} onClose={() => setEditing(null)} title={editing === 'new' ? t('sla.create') : t('common.edit')} destroyOnHidden
        footer={<Flex justify="flex-end" gap={8}><Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button><Button type="primary" loading={busy} disabled={!d?.name.trim()} onClick={() => void save()} data-testid="sla-save">{t('common.save')}</Button></Flex>}>
        {d ? (
          <Form layout="vertical" requiredMark={false}>
            <Flex gap={12}>
              <Form.Item label={t('field.name')} style={{ flex: 1 }}><Input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} data-testid="sla-name" /></Form.Item>
              <Form.Item label={t('field.sortOrder')}><InputNumber min={0} value={d.position} onChange={(v) => setD({ ...d, position: v ?? 0 })} /></Form.Item>
              <Form.Item label={t('rule.active')}><Switch checked={d.active} onChange={(v) => setD({ ...d, active: v })} /></Form.Item>
            </Flex>
            <Card size="small" title={t('sla.appliesTo')} style={{ marginBottom: 16 }}>
              <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>{t('sla.conditionsHelp')}</Typography.Paragraph>
              <Form.Item label={t('ticket.priority')}><Select mode="multiple" value={d.priorities} onChange={(v: Priority[]) => setD({ ...d, priorities: v })} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} data-testid="sla-priorities" /></Form.Item>
              <Form.Item label={t('ticket.type')}><Select mode="multiple" value={d.typeIds} onChange={(v: string[]) => setD({ ...d, typeIds: v })} options={types.active.map((x) => ({ value: x.id, label: lang === 'en' ? x.nameEn : x.nameZh }))} /></Form.Item>
              <Form.Item label={t('ticket.channel')} style={{ marginBottom: 0 }}><Select mode="multiple" value={d.channels} onChange={(v: string[]) => setD({ ...d, channels: v })} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} /></Form.Item>
            </Card>
            <Card size="small" title={t('sla.targets')} style={{ marginBottom: 16 }}>
              <Flex gap={16} wrap>
                {TARGETS.map((k) => (
                  <Form.Item key={k} label={t(`slaTarget.${k}`)}>
                    <InputNumber min={1} value={d.targets[k].value} placeholder={t('sla.noTarget')} data-testid={`sla-target-${k}`} style={{ width: 170 }}
                      onChange={(v) => setD({ ...d, targets: { ...d.targets, [k]: { ...d.targets[k], value: v } } })}
                      addonAfter={<Select value={d.targets[k].unit} style={{ width: 76 }} onChange={(u: Unit) => setD({ ...d, targets: { ...d.targets, [k]: { ...d.targets[k], unit: u } } })}
                        options={[{ value: 'minutes', label: t('rule.minutes') }, { value: 'hours', label: t('rule.hours') }]} />} />
                  </Form.Item>
                ))}
              </Flex>
              <Flex gap={16} wrap>
                <Form.Item label={t('sla.warnBefore')}><InputNumber min={0} max={10080} value={d.warnBeforeMinutes} onChange={(v) => setD({ ...d, warnBeforeMinutes: v ?? 0 })} addonAfter={t('rule.minutes')} /></Form.Item>
                <Form.Item label={t('sla.calendar')} extra={t('sla.calendarHelp')}>
                  <Select allowClear style={{ width: 240 }} value={d.calendarId ?? undefined} onChange={(v: string | undefined) => setD({ ...d, calendarId: v ?? null })}
                    placeholder={t('sla.calendarNone')} options={(calendars.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} />
                </Form.Item>
              </Flex>
            </Card>
            <Card size="small" title={t('sla.escalation')}>
              <Flex vertical gap={12}>
                {d.escalation.map((level, i) => (
                  <Card key={i} size="small" type="inner" data-testid={`sla-level-${i}`}
                    title={t('sla.levelN', { n: i + 1 })}
                    extra={<Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => setD({ ...d, escalation: d.escalation.filter((_, j) => j !== i) })} />}>
                    <Form.Item label={i === 0 ? t('sla.afterBreach') : t('sla.afterPrevious')}>
                      <InputNumber min={0} value={level.afterMinutes} onChange={(v) => setLevel(i, { afterMinutes: v ?? 0 })} addonAfter={t('rule.minutes')} />
                    </Form.Item>
                    <Flex vertical gap={8}>
                      {level.actions.map((a, k) => {
                        const setA = (na: EscalationAction) => setLevel(i, { actions: level.actions.map((x, y) => (y === k ? na : x)) });
                        return (
                          <Flex key={k} gap={8}>
                            <Select style={{ width: 170 }} value={a.type} onChange={(v: EscalationAction['type']) => setA(blankAction(v))} options={ACTION_TYPES.map((x) => ({ value: x, label: t(`escalationAction.${x}`) }))} />
                            {a.type === 'notify' ? <Select style={{ width: 200 }} value={a.to} onChange={(v: typeof a.to) => setA({ type: 'notify', to: v })}
                              options={(['assignee', 'team_lead', 'department_members', 'admins'] as const).map((x) => ({ value: x, label: t(`notifyTo.${x}`) }))} /> : null}
                            {a.type === 'set_priority' ? <Select style={{ width: 200 }} value={a.priority} onChange={(v: 'high' | 'urgent') => setA({ type: 'set_priority', priority: v })}
                              options={(['high', 'urgent'] as const).map((x) => ({ value: x, label: t(`priority.${x}`) }))} /> : null}
                            {a.type === 'reassign' ? <Select allowClear style={{ width: 200 }} value={a.departmentId} placeholder={t('sla.sameDepartment')} onChange={(v: string | undefined) => setA(v ? { type: 'reassign', departmentId: v } : { type: 'reassign' })}
                              options={directory.departments.map((x) => ({ value: x.id, label: x.name }))} /> : null}
                            <Button type="text" icon={<DeleteOutlined />} disabled={level.actions.length <= 1} onClick={() => setLevel(i, { actions: level.actions.filter((_, y) => y !== k) })} />
                          </Flex>
                        );
                      })}
                      <Button size="small" type="dashed" icon={<PlusOutlined />} style={{ alignSelf: 'flex-start' }} onClick={() => setLevel(i, { actions: [...level.actions, blankAction('notify')] })}>{t('rule.addAction')}</Button>
                    </Flex>
                  </Card>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => setD({ ...d, escalation: [...d.escalation, { afterMinutes: 30, actions: [{ type: 'notify', to: 'admins' }] }] })} data-testid="sla-add-level">{t('sla.addLevel')}</Button>
              </Flex>
            </Card>
          </Form>
        ) : null}
      </Drawer>
    </div>
  );
}
