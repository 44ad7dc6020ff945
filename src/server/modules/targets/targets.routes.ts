import { TargetDeleteQuery, TargetGridInput, TargetListQuery } from '../../../common/schemas/targets.js';
import { defineRoute } from '../../platform/http/route.js';
import * as targets from './targets.service.js';

const TAG = 'targets';

export const targetRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/targets/subjects', permission: 'authenticated', tag: TAG,
    summary: 'Users and departments within the caller’s contract scope (whose figures and targets the caller may see)',
    handler: ({ actor }) => targets.subjects(actor),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/targets', permission: 'authenticated', tag: TAG,
    summary: 'Sales targets of a year with their achievement per month, quarter and year, for subjects within the caller’s contract scope',
    query: TargetListQuery,
    handler: ({ actor, query }) => targets.listTargets(actor, query),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/targets', permission: 'target.manage', tag: TAG,
    summary: 'Replace one subject’s targets of one metric for a year (12 months, 4 quarters, the year; null = no target)',
    body: TargetGridInput,
    handler: ({ actor, body }) => targets.saveGrid(actor, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/targets', permission: 'target.manage', tag: TAG,
    summary: 'Delete one subject’s targets of one metric for a year', query: TargetDeleteQuery,
    handler: ({ actor, query }) => targets.deleteGrid(actor, query),
  }),
];
