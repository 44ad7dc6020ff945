import { z } from 'zod';
import { IdParams } from '../../../common/schemas/common.js';
import { LevelRuleInput } from '../../../common/schemas/customer-value.js';
import type { JobDef } from '../../platform/jobs/jobs.js';
import { defineRoute } from '../../platform/http/route.js';
import * as value from './customer-value.service.js';

const PointsBody = z
  .object({ delta: z.number().int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, { error: 'invalid' }), reason: z.string().trim().min(1).max(200) })
  .strict();
const RankingQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

export const customerValueRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/customers/points-ranking', permission: 'customer.view', tag: 'customers',
    summary: 'The visible customers with the most points', query: RankingQuery,
    handler: ({ actor, query }) => value.pointsRanking(actor, query.limit).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customers/:id/points', permission: 'customer.view', tag: 'customers',
    summary: 'A customer’s points balance and its history', params: IdParams,
    handler: ({ actor, params }) => value.pointsOf(actor, params.id),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customers/:id/points', permission: 'customer.points', tag: 'customers',
    summary: 'Grant (positive) or redeem (negative) points, with a reason', params: IdParams, body: PointsBody,
    handler: ({ actor, params, body }) => value.changePoints(actor, params.id, body.delta, body.reason),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/customer-level-rules', permission: 'settings.dictionary', tag: 'customers',
    summary: 'Rules setting customer levels from the RFM scores, in the order they are tried',
    handler: ({ actor }) => value.listLevelRules(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/customer-level-rules', permission: 'settings.dictionary', tag: 'customers', status: 201,
    summary: 'Add a level rule (applied by the nightly RFM run)', body: LevelRuleInput,
    handler: ({ actor, body }) => value.createLevelRule(actor, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/customer-level-rules/:id', permission: 'settings.dictionary', tag: 'customers',
    summary: 'Change a level rule', params: IdParams, body: LevelRuleInput,
    handler: ({ actor, params, body }) => value.updateLevelRule(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/customer-level-rules/:id', permission: 'settings.dictionary', tag: 'customers',
    summary: 'Delete a level rule', params: IdParams,
    handler: ({ actor, params }) => value.deleteLevelRule(actor, params.id),
  }),
];

export const CUSTOMER_VALUE_JOBS: JobDef[] = [{ name: 'customer-rfm', cron: '45 2 * * *', run: (db) => value.runRfm(db) }];
