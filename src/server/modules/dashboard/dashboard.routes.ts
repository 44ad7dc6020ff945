import { DashboardQuery } from '../../../common/schemas/dashboard.js';
import { defineRoute } from '../../platform/http/route.js';
import * as dashboard from './dashboard.service.js';

export const dashboardRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/dashboard', permission: 'authenticated', tag: 'dashboard',
    summary: 'Sales brief, target achievement, funnel and monthly trend of a range, within the caller’s data scopes (optionally one user or department in them)',
    query: DashboardQuery,
    handler: ({ actor, query }) => dashboard.dashboard(actor, query),
  }),
];
