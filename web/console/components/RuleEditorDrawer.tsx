import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Switch, Typography, type SelectProps } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { automationApi } from '../../shared/endpoints.ts';
import { useI18n, type Translate } from '../../shared/i18n.ts';
import type { Locale, Priority, RuleAction, RuleCondition, RuleInput, RuleTrigger, RuleView, TicketFieldView, TicketStatus } from '../../shared/types.ts';
import type { Directory } from '../hooks/useDirectory.ts';
import { useFeedback } from '../hooks/useFeedback.ts';
import { useTicketFields } from '../hooks/useTicketFields.ts';
import { useTicketTypes } from '../hooks/useTicketTypes.ts';
import { fieldLabel, fieldValueText } from './tickets/CustomFieldWidget.tsx';

type Field = RuleCondition['field'];
type Op = RuleCondition['op'];
type ActionType = RuleAction['type'];
export const TRIGGERS: RuleTrigger[] = ['ticket.created', 'customer_message', 'ticket.updated', 'time'];
type BuiltinField = Exclude<Field, `cf.${string}`>;
const FIELDS: BuiltinField[] = ['text', 'subject', 'body', 'channel', 'priority', 'status', 'type', 'department', 'tags', 'customer_email', 'hours_since_update'];
const TEXT_OPS: Op[] = ['contains_any', 'contains_all', 'not_contains', 'equals', 'not_equals'];
const CHOICE_OPS: Op[] = ['equals', 'not_equals', 'in'];
const NUMBER_OPS: Op[] = ['gte', 'lte'];
const ACTIONS: ActionType[] = ['route_department', 'assign', 'set_priority', 'set_type', 'add_tags', 'add_note', 'notify', 'auto_reply', 'webhook'];
const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed'];
const CHANNELS = ['email', 'webchat', 'portal', 'phone', 'wechat', 'api', 'internal'] as const;

/** A custom field named by a condition (`cf.<key>`), if it is one. */
const customOf = (field: Field, fields: TicketFieldView[]) => (field.startsWith('cf.') ? fields.find((f) => f.key === field.slice(3)) : undefined);

function opsFor(field: Field, custom?: TicketFieldView): Op[] {
  if (field.startsWith('cf.')) {
    switch (custom?.kind) {
      case 'select': return CHOICE_OPS;
      case 'number': return ['gte', 'lte', 'equals', 'not_equals'];
      case 'date': return ['gte', 'lte', 'equals'];
      default: return ['contains_any', 'equals', 'not_equals'];
    }
  }
  if (field === 'hours_since_update') return NUMBER_OPS;
  if (['channel', 'priority', 'status', 'type', 'department'].includes(field)) return CHOICE_OPS;
  if (field === 'tags') return ['contains_any', 'contains_all', 'not_contains'];
  return TEXT_OPS;
}

/** A condition's number (rules saved before numbers stayed numbers hold it as text). */
const asNumber = (v: RuleCondition['value']) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() && !Number.isNaN(Number(v)) ? Number(v) : null);

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

/** "金额 ≥ 1000", "套餐 属于 金卡 / 银卡": custom fields by their label and option labels. */
export function conditionSummary(c: RuleCondition, t: Translate, fields: TicketFieldView[] = [], lang: Locale = 'zh-CN'): string {
  const custom = customOf(c.field, fields);
  const one = (x: string | number) => (custom ? fieldValueText(custom, x, lang) || String(x) : String(x));
  const v = Array.isArray(c.value) ? c.value.map(one).join(' / ') : one(c.value);
  const label = c.field.startsWith('cf.') ? (custom ? fieldLabel(custom, lang) : c.field.slice(3)) : t(`ruleField.${c.field as BuiltinField}`);
  return `${label} ${t(`ruleOp.${c.op}`)} ${v}`;
}

/** The first value a condition starts with for a field and operator. */
function blankValue(field: Field, op: Op, custom?: TicketFieldView): RuleCondition['value'] {
  if (field === 'hours_since_update') return 24;
  if (isList(op)) return [];
  if (custom?.kind === 'number') return 0;
  return '';
}

type Draft = { name: string; active: boolean; trigger: RuleTrigger; match: 'all' | 'any'; conditions: RuleCondition[]; actions: Array<Partial<RuleAction> & { type: ActionType }> };

/** Trigger, conditions (keywords in any language) and actions of one automation rule. */
export function RuleEditorDrawer({ open, rule, directory, onClose, onSaved }: {
  open: boolean; rule: RuleView | null; directory: Directory; onClose(): void; onSaved(): void;
}) {
  const { t, lang } = useI18n();
  const feedback = useFeedback();
  const types = useTicketTypes();
  const customFields = useTicketFields();
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
    const custom = customOf(c.field, customFields.all);
    if (custom?.kind === 'select') return choice(custom.options.map((o) => ({ value: o.value, label: lang === 'en' ? o.labelEn : o.labelZh })));
    if (custom?.kind === 'number') return <InputNumber data-testid={testId} value={asNumber(c.value)} onChange={(v) => setCond(i, { value: v ?? 0 })} style={{ width: 200 }} />;
    if (custom?.kind === 'date') {
      return <DatePicker data-testid={testId} format="YYYY-MM-DD" value={typeof c.value === 'string' && c.value ? dayjs(c.value) : null}
        onChange={(d) => setCond(i, { value: d ? d.format('YYYY-MM-DD') : '' })} />;
    }
    if (c.field === 'hours_since_update') return <InputNumber min={0} data-testid={testId} value={asNumber(c.value)} onChange={(v) => setCond(i, { value: v ?? 0 })} addonAfter={t('rule.hours')} />;
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

  /** Built-in facts, then the company's custom fields (a retired one only where a rule still uses it). */
  const fieldOptions = (current: Field): SelectProps['options'] => {
    const builtin = FIELDS.map((f) => ({ value: f as Field, label: t(`ruleField.${f}`) }));
    const custom = customFields.all.filter((f) => f.active || `cf.${f.key}` === current).map((f) => ({ value: `cf.${f.key}` as Field, label: fieldLabel(f, lang) }));
    if (!custom.length) return builtin;
    return [{ label: t('rule.builtinFieldsGroup'), options: builtin }, { label: t('rule.customFieldsGroup'), options: custom }];
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
              <Select style={{ width: 150, flex: 'none' }} value={c.field} data-testid={`cond-field-${i}`} popupMatchSelectWidth={false}
                onChange={(f: Field) => { const custom = customOf(f, customFields.all); const op = opsFor(f, custom)[0]!; setCond(i, { field: f, op, value: blankValue(f, op, custom) }); }}
                options={fieldOptions(c.field)} />
              <Select style={{ width: 130, flex: 'none' }} value={c.op} data-testid={`cond-op-${i}`}
                onChange={(op: Op) => {
                  const custom = customOf(c.field, customFields.all);
                  const keep = c.field === 'hours_since_update' || (custom?.kind === 'number' && typeof c.value === 'number');
                  setCond(i, { op, value: keep ? c.value : isList(op) ? (Array.isArray(c.value) ? c.value : []) : (Array.isArray(c.value) ? c.value[0] ?? blankValue(c.field, op, custom) : c.value) });
                }}
                options={opsFor(c.field, customOf(c.field, customFields.all)).map((o) => ({ value: o, label: t(`ruleOp.${o}`) }))} />
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
