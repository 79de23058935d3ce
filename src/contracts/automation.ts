import { Type, type Static } from 'typebox';
import { Name, Uuid, listOf, oneOf } from './common.ts';
import { Priority } from './tickets.ts';

const Field = Type.Union([
  oneOf(['subject', 'body', 'text', 'channel', 'priority', 'status', 'type', 'department', 'tags', 'customer_email', 'hours_since_update']),
  Type.Unsafe<`cf.${string}`>(Type.String({ pattern: '^cf\\.[a-z][a-z0-9_]*$', maxLength: 43, description: 'A custom ticket field: cf.<key>' })),
]);
const Op = oneOf(['contains_any', 'contains_all', 'not_contains', 'equals', 'not_equals', 'in', 'gte', 'lte']);
// A type list, not anyOf: ajv's type coercion turned numbers (hours, amounts) into text in the anyOf's string branch.
const Value = Type.Unsafe<string | number | string[]>({
  type: ['string', 'number', 'array'], maxLength: 500, items: Type.String({ minLength: 1, maxLength: 200 }), maxItems: 200,
  description: 'Text, a number, or a list of texts (keywords, choices)',
});
export const ConditionSchema = Type.Object({ field: Field, op: Op, value: Value }, { additionalProperties: false });
export const ConditionSetSchema = Type.Object({
  all: Type.Optional(Type.Array(ConditionSchema, { maxItems: 30 })),
  any: Type.Optional(Type.Array(ConditionSchema, { maxItems: 30 })),
}, { additionalProperties: false });
// Answers are written by the serializer, which turns a type list's value into its first type (a keyword
// list became "a,b"): there each kind is its own branch, the list first.
const ValueView = Type.Union([Type.Array(Type.String()), Type.Number(), Type.String()]);
const ConditionView = Type.Object({ field: Field, op: Op, value: ValueView });
const ConditionSetView = Type.Object({ all: Type.Optional(Type.Array(ConditionView)), any: Type.Optional(Type.Array(ConditionView)) });

const Text = Type.String({ minLength: 1, maxLength: 10_000 });
export const ActionSchema = Type.Union([
  Type.Object({ type: Type.Literal('set_priority'), priority: Priority }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('set_type'), typeId: Uuid }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('add_tags'), tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 20 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('route_department'), departmentId: Uuid }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('assign'), userId: Uuid }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('add_note'), body: Text }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('notify'), userIds: Type.Array(Uuid, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('auto_reply'), body: Text }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('webhook'), url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }), secret: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })) }, { additionalProperties: false }),
]);
export const Trigger = Type.Union([Type.Literal('ticket.created'), Type.Literal('customer_message'), Type.Literal('ticket.updated'), Type.Literal('time')]);

export const RuleInput = Type.Object({
  name: Name, active: Type.Optional(Type.Boolean()), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  trigger: Trigger, conditions: Type.Optional(ConditionSetSchema), actions: Type.Array(ActionSchema, { minItems: 1, maxItems: 20 }),
}, { additionalProperties: false });
export type RuleInput = Static<typeof RuleInput>;
export const RuleView = Type.Object({
  id: Uuid, name: Type.String(), active: Type.Boolean(), position: Type.Integer(), trigger: Trigger,
  conditions: ConditionSetView, actions: Type.Array(ActionSchema), createdAt: Type.String(),
});
export type RuleView = Static<typeof RuleView>;
export const RuleList = listOf(RuleView);

export const WebhookDeliveryView = Type.Object({
  id: Uuid, ruleId: Type.Union([Uuid, Type.Null()]), url: Type.String(), status: Type.String(), attempts: Type.Integer(),
  lastStatus: Type.Union([Type.Integer(), Type.Null()]), lastError: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), deliveredAt: Type.Union([Type.String(), Type.Null()]),
});
export const WebhookDeliveryList = listOf(WebhookDeliveryView);
