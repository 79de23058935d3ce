import { DeflectionInput, DeflectionResult, DeflectionStats, DeflectionStatsQuery } from '../../contracts/portal.ts';
import type { Config } from '../../server/config.ts';
import { defineRoute } from '../../server/define-route.ts';
import { deflectionStats, recordDeflection } from './deflection.service.ts';

const tags = ['kb'];
/** As tight as helpful votes: a sixth of the help center's per-address limit. */
const DEFLECT_LIMIT = { max: (config: Config) => Math.max(1, Math.floor(config.helpCenterRateLimit / 6)), timeWindow: '1 minute' };

export const deflectionRoutes = [
  defineRoute({
    method: 'POST', url: '/api/v1/kb/public/deflections', summary: '"This solved my problem": a suggested article made a request or chat unnecessary', tags,
    access: { public: 'customers in the help center and the chat widget, without an account' }, rateLimit: DEFLECT_LIMIT,
    body: DeflectionInput, response: DeflectionResult, status: 201,
    handler: async ({ body, ctx }) => recordDeflection(ctx, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/kb/deflections', summary: 'Self-service deflections over a period: total, per source, per day (UTC) and per article', tags,
    access: { permission: 'kb.manage' }, query: DeflectionStatsQuery, response: DeflectionStats,
    handler: async ({ query, ctx }) => deflectionStats(ctx, query),
  }),
];
