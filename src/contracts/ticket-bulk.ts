import { Type, type Static } from 'typebox';
import { Uuid } from './common.ts';
import { Priority, Reason, Tag, TicketStatus } from './tickets.ts';

const Tags = Type.Array(Tag, { minItems: 1, maxItems: 30, uniqueItems: true });
const action = <K extends string, T extends Record<string, import('typebox').TSchema>>(type: K, fields: T) =>
  Type.Object({ type: Type.Literal(type), ...fields }, { additionalProperties: false });

const Actions = Type.Union([
  action('status', { status: TicketStatus }),
  action('priority', { priority: Priority }),
  action('assign', { assigneeId: Type.Union([Uuid, Type.Null()], { description: 'null unassigns; assigning others needs tickets.assign' }) }),
  action('forward', { departmentId: Uuid, reason: Reason }),
  action('add_tags', { tags: Tags }),
  action('remove_tags', { tags: Tags }),
]);
export type BulkAction = Static<typeof Actions>;
/**
 * One change applied to every selected ticket, through the same services as the single-ticket routes. A
 * oneOf told apart by `type` (an OpenAPI/ajv discriminator), so a bad action gets one precise message
 * ("must have required property 'reason'") instead of one complaint per kind of action.
 */
export const BulkAction = Type.Unsafe<BulkAction>({
  type: 'object', required: ['type'], discriminator: { propertyName: 'type' }, oneOf: Actions.anyOf,
  description: 'type: status | priority | assign | forward | add_tags | remove_tags, with that action\'s fields',
});

export const BulkInput = Type.Object({
  ticketIds: Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true }),
  action: BulkAction,
}, { additionalProperties: false });
export type BulkInput = Static<typeof BulkInput>;

export const BulkItemResult = Type.Object({
  id: Uuid, ok: Type.Boolean(),
  code: Type.Optional(Type.String({ description: 'Error code when not ok: not_found (also for tickets the caller may not see), forbidden, validation …' })),
  error: Type.Optional(Type.String({ description: 'The error in the caller\'s language' })),
});
export type BulkItemResult = Static<typeof BulkItemResult>;
export const BulkResult = Type.Object({ results: Type.Array(BulkItemResult), succeeded: Type.Integer(), failed: Type.Integer() });
export type BulkResult = Static<typeof BulkResult>;
