import { DeflectionInput, DeflectionResult, DeflectionStats, DeflectionStatsQuery, SuggestionQuery, Suggestions, WidgetDeflectionQuery } from '../../contracts/portal.ts';
import type { Config } from '../../server/config.ts';
import { defineRoute } from '../../server/define-route.ts';
import { deflectionStats, recordDeflection } from './deflection.service.ts';
import { suggestArticles } from './kb-public.service.ts';

const tags = ['kb'];
/** As tight as helpful votes: a sixth of the help center's per-address limit. */
const DEFLECT_LIMIT = { max: (config: Config) => Math.max(1, Math.floor(config.helpCenterRateLimit / 6)), timeWindow: '1 minute' };
const PUBLIC_LIMIT = { max: (config: Config) => config.helpCenterRateLimit, timeWindow: '1 minute' };

export const deflectionRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/kb/public/deflections', summary: '"This solved my problem": a suggested article made a request or chat unnecessary', tags,
    access: { public: 'customers in the help center and the chat widget, without an account' }, rateLimit: DEFLECT_LIMIT,
    body: DeflectionInput, response: DeflectionResult, status: 201,
    handler: async ({ body, ctx }) => recordDeflection(ctx, body),
  }),
  // The chat widget runs on the company's own site: these two answer cross-origin (simple requests, no
  // cookies; public articles only), the widget reads the answers.
  defineRoute({
    method: 'GET', url: '/api/v1/kb/public/suggestions', summary: 'Articles to suggest while a customer types a request or a first chat question (weak matches left out)', tags,
    access: { public: 'customers in the help center and website visitors before a chat, without an account' }, rateLimit: PUBLIC_LIMIT, query: SuggestionQuery, response: Suggestions,
    async handler({ query, ctx, reply }) {
      reply.header('access-control-allow-origin', '*');
      return { items: await suggestArticles(ctx, query.q, query.limit ?? 3) };
    },
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/kb/public/widget-deflections', summary: '"Solved" in the chat widget: a suggested article made the chat unnecessary (source widget)', tags,
    access: { public: 'website visitors before a chat, without an account' }, rateLimit: DEFLECT_LIMIT, query: WidgetDeflectionQuery, response: DeflectionResult, status: 201,
    async handler({ query, ctx, reply }) {
      reply.header('access-control-allow-origin', '*');
      return recordDeflection(ctx, { articleId: query.articleId, query: query.q, visitId: query.visitId, source: 'widget' });
    },
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/deflections', summary: 'Self-service deflections over a period: total, per source, per day (UTC) and per article', tags,
    access: { permission: 'kb.manage' }, query: DeflectionStatsQuery, response: DeflectionStats,
    handler: async ({ query, ctx }) => deflectionStats(ctx, query),
  }),
];
