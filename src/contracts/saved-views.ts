import { Type, type Static } from 'typebox';
import { Name, Timestamp, Uuid, listOf } from './common.ts';
import { TicketFilters } from './tickets.ts';

/** How many saved views one person, and the company as a whole, may keep: each adds a count to the queue's badges. */
export const SAVED_VIEW_LIMIT = 20;

export const SavedViewView = Type.Object({
  id: Uuid, name: Type.String(), filters: TicketFilters,
  shared: Type.Boolean({ description: 'Shared with the whole company; otherwise personal, seen by its owner only' }),
  ownerId: Type.Union([Uuid, Type.Null()]), sortOrder: Type.Integer(), createdAt: Timestamp,
  canEdit: Type.Boolean({ description: 'Whether the caller may change or delete it (its owner; settings.manage for shared views)' }),
});
export type SavedViewView = Static<typeof SavedViewView>;
export const SavedViewList = listOf(SavedViewView);

export const SavedViewInput = Type.Object({
  name: Name,
  filters: TicketFilters,
  shared: Type.Optional(Type.Boolean({ description: 'Share with the whole company (needs settings.manage); personal by default' })),
  sortOrder: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000 })),
}, { additionalProperties: false });
export type SavedViewInput = Static<typeof SavedViewInput>;

export const SavedViewPatch = Type.Partial(SavedViewInput, { additionalProperties: false, minProperties: 1 });
export type SavedViewPatch = Static<typeof SavedViewPatch>;
