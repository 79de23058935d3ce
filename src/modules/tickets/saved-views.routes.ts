import { IdParams, Ok } from '../../contracts/common.ts';
import { SavedViewInput, SavedViewList, SavedViewPatch, SavedViewView } from '../../contracts/saved-views.ts';
import { defineRoute } from '../../server/define-route.ts';
import { createSavedView, deleteSavedView, listSavedViews, presentSavedView, updateSavedView } from './saved-views.service.ts';

// Any staff member keeps personal views; sharing one with the company needs settings.manage (checked in the service).
export const savedViewRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/saved-views', summary: 'Saved queue views I can use: the company\'s shared ones and my own', tags: ['tickets'],
    access: 'staff', response: SavedViewList,
    async handler({ ctx }) {
      const items = (await listSavedViews(ctx)).map((v) => presentSavedView(ctx, v));
      return { items, total: items.length };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/saved-views', summary: 'Save queue filters as a view, personal or (settings.manage) shared', tags: ['tickets'],
    access: 'staff', body: SavedViewInput, response: SavedViewView, status: 201,
    handler: async ({ body, ctx }) => presentSavedView(ctx, await createSavedView(ctx, body)),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/saved-views/:id', summary: 'Rename, refilter, reorder or (un)share a saved view', tags: ['tickets'],
    access: 'staff', params: IdParams, body: SavedViewPatch, response: SavedViewView,
    handler: async ({ params, body, ctx }) => presentSavedView(ctx, await updateSavedView(ctx, params.id, body)),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/saved-views/:id', summary: 'Delete a saved view', tags: ['tickets'],
    access: 'staff', params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteSavedView(ctx, params.id); return { ok: true }; },
  }),
];
