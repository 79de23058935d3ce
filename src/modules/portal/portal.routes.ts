import { IdParams } from '../../contracts/common.ts';
import { KbPublicArticleSummary } from '../../contracts/kb.ts';
import { PortalArticleList, PortalArticleQuery, PortalCategoryList, PortalCategoryView, PortalRequestInput, PortalRequestResult } from '../../contracts/portal.ts';
import { Type } from 'typebox';
import type { Config } from '../../server/config.ts';
import { defineRoute } from '../../server/define-route.ts';
import { getPublicCategory, listPublicArticles, listPublicCategories, relatedPublicArticles } from '../kb/kb-public.service.ts';
import { presentPublicSummary } from '../kb/kb.presenter.ts';
import { submitRequest } from './portal.service.ts';
import { MAX_REQUEST_FILE_BYTES, MAX_REQUEST_FILES, storeRequestUploads } from './portal-uploads.ts';
import { AttachmentList } from '../../contracts/attachments.ts';
import { FileStore, fileStoreFor } from '../attachments/file-store.ts';

const PUBLIC_LIMIT = { max: (config: Config) => config.helpCenterRateLimit, timeWindow: '1 minute' };
/** Filing requests: a twelfth of the help center's per-address limit (10 a minute by default): people, not scripts. */
const REQUEST_LIMIT = { max: (config: Config) => Math.max(1, Math.floor(config.helpCenterRateLimit / 12)), timeWindow: '1 minute' };

/** The customer portal's own API: browsing the help center by category, and filing a request. */
export const portalRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/categories', summary: 'Help-center categories that hold published public articles (flat, with parent ids)', tags: ['kb'],
    access: { public: 'customers browse the help center' }, rateLimit: PUBLIC_LIMIT, response: PortalCategoryList,
    async handler({ ctx }) { const items = await listPublicCategories(ctx); return { items, total: items.length }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/categories/:id', summary: 'One help-center category', tags: ['kb'],
    access: { public: 'customers browse the help center' }, rateLimit: PUBLIC_LIMIT, params: IdParams, response: PortalCategoryView,
    handler: async ({ params, ctx }) => getPublicCategory(ctx, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/categories/:id/articles', summary: 'Published public articles of a category and its sub-categories, newest first', tags: ['kb'],
    access: { public: 'customers browse the help center' }, rateLimit: PUBLIC_LIMIT, params: IdParams, query: PortalArticleQuery, response: PortalArticleList,
    async handler({ params, query, ctx }) {
      const { items, total } = await listPublicArticles(ctx, params.id, query);
      return { items: items.map(presentPublicSummary), total };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/articles/:id/related', summary: 'Published public articles about the same thing (at most 5)', tags: ['kb'],
    access: { public: 'customers read the help center' }, rateLimit: PUBLIC_LIMIT, params: IdParams, response: Type.Object({ items: Type.Array(KbPublicArticleSummary) }),
    handler: async ({ params, ctx }) => ({ items: (await relatedPublicArticles(ctx, params.id)).map(presentPublicSummary) }),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/portal/uploads',
    summary: `Upload files for a help-center request (multipart; at most ${MAX_REQUEST_FILES}, 10 MiB each); name them in the request's attachmentIds within a day`,
    tags: ['portal'], access: { public: 'customers attach files to requests without an account' }, rateLimit: REQUEST_LIMIT, response: AttachmentList, status: 201,
    files: { maxFiles: MAX_REQUEST_FILES, maxFileBytes: (config) => Math.min(config.attachmentMaxBytes, MAX_REQUEST_FILE_BYTES) },
    handler: async ({ files, ctx }) => {
      const store = new FileStore(fileStoreFor(ctx.config).root, Math.min(ctx.config.attachmentMaxBytes, MAX_REQUEST_FILE_BYTES));
      return { items: await storeRequestUploads(ctx, store, files) };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/portal/requests', summary: 'File a request from the help center: a ticket on the portal channel, the customer found or created by email', tags: ['portal'],
    access: { public: 'customers file requests without an account' }, rateLimit: REQUEST_LIMIT, body: PortalRequestInput, response: PortalRequestResult, status: 201,
    handler: async ({ body, ctx }) => submitRequest(ctx, body),
  }),
];
