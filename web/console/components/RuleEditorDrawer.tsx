import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { automationApi } from '../../shared/endpoints.ts';
import { useI18n, type Translate } from '../../shared/i18n.ts';
import type { Priority, RuleAction, RuleCondition, RuleInput, RuleTrigger, RuleView, TicketStatus } from '../../shared/types.ts';
import type { Directory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useTicketTypes } from '../hooks/useTicketTypes.ts';

type Field = RuleCondition['field'];
type Op = RuleCondition['op'];
type ActionType = RuleAction['type'];
export const TRIGGERS: RuleTrigger[] = ['ticket.created', 'customer_message', 'ticket.updated', 'time'];
const FIELDS: Field[] = ['text', 'subject', 'body', 'channel', 'priority', 'status', 'type', 'department', 'tags', 'customer_email', 'hours_since_update'];
const TEXT_OPS: Op[] = ['contains_any', 'contains_all', 'not_contains', 'equals', 'not_equals'];
const CHOICE_OPS: Op[] = ['equals', 'not_equals', 'in'];
const NUMBER_OPS: Op[] = ['gte', 'lte'];
const ACTIONS: ActionType[] = ['route_department', 'assign', 'set_priority', 'set_type', 'add_tags', 'add_note', 'notify', 'auto_reply', 'webhook'];
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'];
const CHANNELS = ['email', 'webchat', 'portal', 'phone', 'wechat', 'api', 'internal'] as const;

function opsFor(field: Field): Op[] {
  if (field === 'hours_since_update') return NUMBER_OPS;
  if (['channel', 'priority', 'status', 'type', 'department'].includes(field)) return CHOICE_OPS;
  if (field === 'tags') return ['contains_any', 'contains_all', 'not_contains'];
  return TEXT_OPS;
}

const isList = (op: Op) => op === 'contains_any' || op === 'contains_all' || op === 'not_contains' || op === 'in';

/** A blank action of a type, with its first sensible value. */
function blankAction(type: ActionType): Partial<RuleAction> & { type: ActionType } {
  switch (type) {
    case 'set_priority': return { type, priority: 'high' };
    case 'add_tags': return { type, tags: [] };
    case 'notify': return { type, userIds: [] };
    default: return { type };
  }
}

export function conditionSummary(c: RuleCondition, t: Translate): string {
  const v = Array.isArray(c.value) ? c.value.join(' / ') : String(c.value);
  return `${t(`ruleField.${c.field}`)} ${t(`ruleOp.${c.op}`)} ${v}`;
}

type Draft = { name: string; active: boolean; trigger: RuleTrigger; match: 'all' | 'any'; conditions: RuleCondition[]; actions: Array<Partial<RuleAction> & { type: ActionType }> };

/** Trigger, conditions (keywords in any language) and actions of one automation rule. */
export function RuleEditorDrawer({ open, rule, directory, onClose, onSaved }: {
  open: boolean; rule: RuleView | null; directory: Directory; onClose(): void; onSaved(): void;
}) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const types = useTicketTypes();
  const [busy, setBusy] = useState(false);
  const [d, setD] = useState<Draft>({ name: '', active: true, trigger: 'ticket.created', match: 'any', conditions: [], actions: [] });
  const [nameError, setNameError] = useState(false);

  useEffect(() => {
    if (!open) return;
    setNameError(false);
    if (rule) {
      const match = rule.conditions.all?.length ? 'all' : 'any';
      setD({ name: rule.name, active: rule.active, trigger: rule.trigger, match, conditions: [...(rule.conditions[match] ?? [])], actions: [...rule.actions] });
    } else {
      setD({ name: '', active: true, trigger: 'ticket.created', match: 'any', conditions: [{ field: 'text', op: 'contains_any', value: [] }], actions: [{ type: 'route_department' }] });
    }
  }, [open, rule]);

  const setCond = (i: number, c: Partial<RuleCondition>) => setD((x) => ({ ...x, conditions: x.conditions.map((y, j) => (j === i ? { ...y, ...c } as RuleCondition : y)) }));
  const setAction = (i: number, a: Partial<RuleAction>) => setD((x) => ({ ...x, actions: x.actions.map((y, j) => (j === i ? { ...y, ...a } as Draft['actions'][number] : y)) }));

  const save = async () => {
    if (!d.name.trim()) { setNameError(true); return; }
    const input: RuleInput = {
      name: d.name.trim(), active: d.active, trigger: d.trigger,
      conditions: d.conditions.length ? { [d.match]: d.conditions } : {},
      actions: d.actions as RuleAction[],
    };
    setBusy(true);
    try {
      if (rule) await automationApi.update(rule.id, input); else await automationApi.create(input);
      feedback.ok(t('common.saved'));
      onSaved();
    } catch (err) {
      feedback.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const valueInput = (c: RuleCondition, i: number) => {
    const testId = `cond-value-${i}`;
    const choice = (options: { value: string; label: string }[]) => (isList(c.op)
      ? <Select mode="multiple" style={{ width: '100%' }} data-testid={testId} value={Array.isArray(c.value) ? c.value : []} options={options} onChange={(v: string[]) => setCond(i, { value: v })} />
      : <Select style={{ width: '100%' }} data-testid={testId} value={typeof c.value === 'string' ? c.value : undefined} options={options} onChange={(v: string) => setCond(i, { value: v })} />);
    if (c.field === 'hours_since_update') return <InputNumber min={0} data-testid={testId} value={typeof c.value === 'number' ? c.value : null} onChange={(v) => setCond(i, { value: v ?? 0 })} addonAfter={t('rule.hours')} />;
    if (c.field === 'priority') return choice(PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) })));
    if (c.field === 'status') return choice(STATUSES.map((s) => ({ value: s, label: t(`ticketStatus.${s}`) })));
    if (c.field === 'channel') return choice(CHANNELS.map((s) => ({ value: s, label: t(`channel.${s}`) })));
    if (c.field === 'department') return choice(directory.departments.map((x) => ({ value: x.id, label: x.name })));
    if (c.field === 'type') return choice(types.all.map((x) => ({ value: x.key, label: lang === 'en' ? x.nameEn : x.nameZh })));
    if (isList(c.op)) {
      return <Select mode="tags" style={{ width: '100%' }} data-testid={testId} open={false} suffixIcon={null} tokenSeparators={[',', '，']}
        placeholder={t('rule.keywordsPlaceholder')} value={Array.isArray(c.value) ? c.value : []} onChange={(v: string[]) => setCond(i, { value: v })} />;
    }
    return <Input data-testid={testId} value={typeof c.value === 'string' ? c.value : ''} onChange={(e) => setCond(i, { value: e.target.value })} />;
  };

  const actionInput = (a: Draft['actions'][number], i: number) => {
    const people = directory.staff.filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: s.name }));
    switch (a.type) {
      case 'route_department':
        return <Select style={{ width: '100%' }} showSearch optionFilterProp="label" data-testid={`action-department-${i}`} value={a.departmentId}
          options={directory.departments.map((x) => ({ value: x.id, label: x.name }))} onChange={(v: string) => setAction(i, { departmentId: v })} />;
      case 'assign':
        return <Select style={{ width: '100%' }} showSearch optionFilterProp="label" data-testid={`action-user-${i}`} value={a.userId} options={people} onChange={(v: string) => setAction(i, { userId: v })} />;
      case 'notify':
        return <Select mode="multiple" style={{ width: '100%' }} optionFilterProp="label" data-testid={`action-users-${i}`} value={a.userIds} options={people} onChange={(v: string[]) => setAction(i, { userIds: v })} />;
      case 'set_priority':
        return <Select style={{ width: '100%' }} data-testid={`action-priority-${i}`} value={a.priority} options={PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))} onChange={(v: Priority) => setAction(i, { priority: v })} />;
      case 'set_type':
        return <Select style={{ width: '100%' }} data-testid={`action-type-value-${i}`} value={a.typeId} options={types.active.map((x) => ({ value: x.id, label: lang === 'en' ? x.nameEn : x.nameZh }))} onChange={(v: string) => setAction(i, { typeId: v })} />;
      case 'add_tags':
        return <Select mode="tags" style={{ width: '100%' }} open={false} suffixIcon={null} data-testid={`action-tags-${i}`} value={a.tags} onChange={(v: string[]) => setAction(i, { tags: v })} />;
      case 'add_note': case 'auto_reply':
        return (
          <Flex vertical gap={4} style={{ width: '100%' }}>
            <Input.TextArea rows={3} data-testid={`action-body-${i}`} value={a.body} onChange={(e) => setAction(i, { body: e.target.value })} />
            {a.type === 'auto_reply' ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('rule.placeholdersHelp')}</Typography.Text> : null}
          </Flex>
        );
      case 'webhook':
        return (
          <Flex vertical gap={6} style={{ width: '100%' }}>
            <Input placeholder="https://example.com/hooks/kefu" data-testid={`action-url-${i}`} value={a.url} onChange={(e) => setAction(i, { url: e.target.value })} />
            <Input.Password placeholder={t('rule.webhookSecret')} data-testid={`action-secret-${i}`} value={a.secret} onChange={(e) => setAction(i, { secret: e.target.value || undefined })} />
          </Flex>
        );
    }
  };

  return (
    <Drawer open={open} onClose={onClose} size={760} title={rule ? t('rule.editTitle', { name: rule.name }) : t('rule.createTitle')} destroyOnHidden data-testid="rule-drawer"
      footer={<Flex justify="flex-end" gap={8}><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="primary" loading={busy} onClick={() => void save()} data-testid="rule-save">{t('common.save')}</Button></Flex>}>
      <Form layout="vertical" requiredMark={false}>
        <Flex gap={16}>
          <Form.Item label={t('field.name')} style={{ flex: 1 }} validateStatus={nameError ? 'error' : undefined} help={nameError ? t('validation.name') : undefined}>
            <Input data-testid="rule-name" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} placeholder={t('rule.namePlaceholder')} />
          </Form.Item>
          <Form.Item label={t('rule.trigger')} style={{ width: 220 }}>
            <Select data-testid="rule-trigger" value={d.trigger} onChange={(v: RuleTrigger) => setD({ ...d, trigger: v })} options={TRIGGERS.map((x) => ({ value: x, label: t(`ruleTrigger.${x}`) }))} />
          </Form.Item>
          <Form.Item label={t('rule.active')}>
            <Switch checked={d.active} onChange={(v) => setD({ ...d, active: v })} data-testid="rule-active" />
          </Form.Item>
        </Flex>
      </Form>
      <Card size="small" title={t('rule.conditions')} style={{ marginBottom: 16 }}
        extra={<Radio.Group size="small" optionType="button" value={d.match} onChange={(e) => setD({ ...d, match: e.target.value as 'all' | 'any' })} data-testid="rule-match"
          options={[{ value: 'any', label: t('rule.matchAny') }, { value: 'all', label: t('rule.matchAll') }]} />}>
        <Flex vertical gap={10}>
          {d.conditions.map((c, i) => (
            <Flex key={i} gap={8} align="flex-start" data-testid={`condition-${i}`}>
              <Select style={{ width: 150, flex: 'none' }} value={c.field} data-testid={`cond-field-${i}`}
                onChange={(f: Field) => { const op = opsFor(f)[0]!; setCond(i, { field: f, op, value: f === 'hours_since_update' ? 24 : isList(op) ? [] : '' }); }}
                options={FIELDS.map((f) => ({ value: f, label: t(`ruleField.${f}`) }))} />
              <Select style={{ width: 130, flex: 'none' }} value={c.op} data-testid={`cond-op-${i}`}
                onChange={(op: Op) => setCond(i, { op, value: c.field === 'hours_since_update' ? c.value : isList(op) ? (Array.isArray(c.value) ? c.value : []) : (Array.isArray(c.value) ? c.value[0] ?? '' : c.value) })}
                options={opsFor(c.field).map((o) => ({ value: o, label: t(`ruleOp.${o}`) }))} />
              <div style={{ flex: 1, minWidth: 0 }}>{valueInput(c, i)}</div>
              <Button type="text" icon={<DeleteOutlined />} onClick={() => setD({ ...d, conditions: d.conditions.filter((_, j) => j !== i) })} aria-label={t('common.delete')} />
            </Flex>
          ))}
          {!d.conditions.length ? <Typography.Text type="secondary">{t('rule.noConditions')}</Typography.Text> : null}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => setD({ ...d, conditions: [...d.conditions, { field: 'text', op: 'contains_any', value: [] }] })} data-testid="rule-add-condition">{t('rule.addCondition')}</Button>
        </Flex>
      </Card>
      <Card size="small" title={t('rule.actions')}>
        <Flex vertical gap={10}>
          {d.actions.map((a, i) => (
            <Flex key={i} gap={8} align="flex-start" data-testid={`action-${i}`}>
              <Select style={{ width: 170, flex: 'none' }} value={a.type} data-testid={`action-type-${i}`}
                onChange={(type: ActionType) => setD({ ...d, actions: d.actions.map((y, j) => (j === i ? blankAction(type) : y)) })}
                options={ACTIONS.map((x) => ({ value: x, label: t(`ruleAction.${x}`) }))} />
              <div style={{ flex: 1, minWidth: 0 }}>{actionInput(a, i)}</div>
              <Button type="text" icon={<DeleteOutlined />} disabled={d.actions.length <= 1} onClick={() => setD({ ...d, actions: d.actions.filter((_, j) => j !== i) })} aria-label={t('common.delete')} />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => setD({ ...d, actions: [...d.actions, blankAction('add_tags')] })} data-testid="rule-add-action">{t('rule.addAction')}</Button>
        </Flex>
      </Card>
    </Drawer>
  );
}
