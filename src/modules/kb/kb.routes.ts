import { IdParams, Ok } from '../../contracts/common.ts';
import {
  KbArticleInput, KbArticleList, KbArticlePatch, KbArticleQuery, KbArticleView, KbCategoryInput, KbCategoryList, KbCategoryPatch,
  KbCategoryView, KbPublicArticleView, KbPublicSearchQuery, KbPublicSearchResult, KbSearchQuery, KbSearchResult, KbVersionList,
  KbVoteInput, KbVoteResult,
} from '../../contracts/kb.ts';
import type { Config } from '../../server/config.ts';
import { defineRoute } from '../../server/define-route.ts';
import {
  createArticle, deleteArticle, getArticle, listArticles, listVersions, openPublicArticle, setPublished, updateArticle, voteArticle,
} from './kb-articles.service.ts';
import { categorySubtree, createCategory, deleteCategory, listCategories, updateCategory } from './kb-categories.service.ts';
import { searchForPublic, searchForStaff } from './kb-search.service.ts';
import { presentArticle, presentArticleSummary, presentCategory, presentHit, presentPublicArticle, presentPublicHit, presentVersion } from './kb.presenter.ts';

const tags = ['kb'];
const MANAGE = { permission: 'kb.manage' } as const;
/** Help-center reads and votes: per address, generous for people, tight for scrapers (KEFU_HELP_CENTER_RATE_LIMIT). */
const PUBLIC_LIMIT = { max: (config: Config) => config.helpCenterRateLimit, timeWindow: '1 minute' };
const VOTE_LIMIT = { max: (config: Config) => Math.max(1, Math.floor(config.helpCenterRateLimit / 6)), timeWindow: '1 minute' };

// Staff read the whole knowledge base (internal articles are written for them); writing it needs kb.manage.
export const kbRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/kb/categories', summary: 'The knowledge-base category tree (flat, with parent ids)', tags,
    access: 'staff', response: KbCategoryList,
    async handler({ ctx }) { const items = await listCategories(ctx); return { items, total: items.length }; },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/categories', summary: 'Add a category (audited)', tags,
    access: MANAGE, body: KbCategoryInput, response: KbCategoryView, status: 201,
    handler: async ({ body, ctx }) => presentCategory(await createCategory(ctx, body)),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/kb/categories/:id', summary: 'Rename, move or reorder a category (audited)', tags,
    access: MANAGE, params: IdParams, body: KbCategoryPatch, response: KbCategoryView,
    handler: async ({ params, body, ctx }) => presentCategory(await updateCategory(ctx, params.id, body)),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/kb/categories/:id', summary: 'Delete a category without sub-categories; its articles become uncategorized (audited)', tags,
    access: MANAGE, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteCategory(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/articles', summary: 'Articles, newest change first; categoryId includes its sub-categories', tags,
    access: 'staff', query: KbArticleQuery, response: KbArticleList,
    async handler({ query, ctx }) {
      const { items, total } = await listArticles(ctx, query, query.categoryId ? await categorySubtree(ctx, query.categoryId) : undefined);
      return { items: items.map(presentArticleSummary), total };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/articles', summary: 'Write an article or FAQ entry (a draft; the body is sanitized)', tags,
    access: MANAGE, body: KbArticleInput, response: KbArticleView, status: 201,
    handler: async ({ body, ctx }) => presentArticle(await createArticle(ctx, body)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/articles/:id', summary: 'One article, as staff see it', tags,
    access: 'staff', params: IdParams, response: KbArticleView,
    handler: async ({ params, ctx }) => presentArticle(await getArticle(ctx, params.id)),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/kb/articles/:id', summary: 'Change an article (a new version; re-indexed at once)', tags,
    access: MANAGE, params: IdParams, body: KbArticlePatch, response: KbArticleView,
    handler: async ({ params, body, ctx }) => presentArticle(await updateArticle(ctx, params.id, body)),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/kb/articles/:id', summary: 'Delete an article and its versions (audited)', tags,
    access: MANAGE, params: IdParams, response: Ok,
    handler: async ({ params, ctx }) => { await deleteArticle(ctx, params.id); return { ok: true }; },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/articles/:id/publish', summary: 'Publish an article (public ones appear in the help center)', tags,
    access: MANAGE, params: IdParams, response: KbArticleView,
    handler: async ({ params, ctx }) => presentArticle(await setPublished(ctx, params.id, true)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/articles/:id/unpublish', summary: 'Take an article back to draft', tags,
    access: MANAGE, params: IdParams, response: KbArticleView,
    handler: async ({ params, ctx }) => presentArticle(await setPublished(ctx, params.id, false)),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/articles/:id/versions', summary: 'Every saved version of an article, newest first', tags,
    access: 'staff', params: IdParams, response: KbVersionList,
    async handler({ params, ctx }) { const items = (await listVersions(ctx, params.id)).map(presentVersion); return { items, total: items.length }; },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/search', summary: 'Search the knowledge base as staff (internal and draft articles included unless filtered)', tags,
    access: 'staff', query: KbSearchQuery, response: KbSearchResult,
    async handler({ query, ctx }) {
      const r = await searchForStaff(ctx, query);
      return { items: r.hits.map(presentHit), total: r.total, terms: r.terms, ...(r.byCharacters ? { byCharacters: true } : {}) };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/search', summary: 'Search the help center: published public articles only', tags,
    access: { public: 'customers search the help center' }, rateLimit: PUBLIC_LIMIT, query: KbPublicSearchQuery, response: KbPublicSearchResult,
    async handler({ query, ctx }) {
      const r = await searchForPublic(ctx, query);
      return { items: r.hits.map(presentPublicHit), total: r.total, terms: r.terms, ...(r.byCharacters ? { byCharacters: true } : {}) };
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/articles/:id', summary: 'A published public article as the help center shows it (counts a view)', tags,
    access: { public: 'customers read the help center' }, rateLimit: PUBLIC_LIMIT, params: IdParams, response: KbPublicArticleView,
    handler: async ({ params, ctx }) => presentPublicArticle(await openPublicArticle(ctx, params.id)),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/articles/:id/vote', summary: '"Was this helpful?" on a published public article', tags,
    access: { public: 'readers of the help center rate articles without an account' }, rateLimit: VOTE_LIMIT,
    params: IdParams, body: KbVoteInput, response: KbVoteResult,
    handler: async ({ params, body, ctx }) => voteArticle(ctx, params.id, body.helpful),
  }),
];

