import { Type, type Static } from 'typebox';
import { Name, Uuid, listOf } from './common.ts';
import { Channel, Priority } from './tickets.ts';

const Minutes = Type.Union([Type.Integer({ minimum: 1, maximum: 525_600 }), Type.Null()]);
export const EscalationActionSchema = Type.Union([
  Type.Object({ type: Type.Literal('notify'), to: Type.Union([Type.Literal('assignee'), Type.Literal('team_lead'), Type.Literal('department_members'), Type.Literal('admins')]) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('raise_severity') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('set_priority'), priority: Type.Union([Type.Literal('high'), Type.Literal('urgent')]) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('reassign'), departmentId: Type.Optional(Uuid) }, { additionalProperties: false }),
]);
export const EscalationLevelSchema = Type.Object({
  afterMinutes: Type.Integer({ minimum: 0, maximum: 525_600, description: 'Minutes after the breach (level 1) or after the previous level' }),
  actions: Type.Array(EscalationActionSchema, { minItems: 1, maxItems: 10 }),
}, { additionalProperties: false });

export const SlaPolicyInput = Type.Object({
  name: Name,
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  active: Type.Optional(Type.Boolean()),
  conditions: Type.Optional(Type.Object({
    priorities: Type.Optional(Type.Array(Priority, { uniqueItems: true })),
    typeIds: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 50 })),
    channels: Type.Optional(Type.Array(Channel, { uniqueItems: true })),
  }, { additionalProperties: false })),
  targets: Type.Object({ firstResponseMinutes: Type.Optional(Minutes), nextResponseMinutes: Type.Optional(Minutes), resolutionMinutes: Type.Optional(Minutes) }, { additionalProperties: false }),
  calendarId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  warnBeforeMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_080 })),
  escalation: Type.Optional(Type.Array(EscalationLevelSchema, { maxItems: 10 })),
}, { additionalProperties: false });
export type SlaPolicyInput = Static<typeof SlaPolicyInput>;

export const SlaPolicyView = Type.Object({
  id: Uuid, name: Type.String(), position: Type.Integer(), active: Type.Boolean(),
  conditions: Type.Object({ priorities: Type.Optional(Type.Array(Type.String())), typeIds: Type.Optional(Type.Array(Type.String())), channels: Type.Optional(Type.Array(Type.String())) }),
  targets: Type.Object({ firstResponseMinutes: Type.Optional(Minutes), nextResponseMinutes: Type.Optional(Minutes), resolutionMinutes: Type.Optional(Minutes) }),
  calendarId: Type.Union([Uuid, Type.Null()]), warnBeforeMinutes: Type.Integer(), escalation: Type.Array(EscalationLevelSchema),
});
export type SlaPolicyView = Static<typeof SlaPolicyView>;
export const SlaPolicyList = listOf(SlaPolicyView);

export const TicketSlaView = Type.Object({
  policyId: Type.Union([Uuid, Type.Null()]), policyName: Type.Union([Type.String(), Type.Null()]),
  firstResponseDue: Type.Union([Type.String(), Type.Null()]), nextResponseDue: Type.Union([Type.String(), Type.Null()]), resolutionDue: Type.Union([Type.String(), Type.Null()]),
  breaches: Type.Array(Type.String()), escalatedLevel: Type.Integer(),
});

export const EscalateInput = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
  source: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('customer')], { description: 'customer: the customer asked for it (recorded as such)' })),
}, { additionalProperties: false });
