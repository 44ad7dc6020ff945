import { ExplainQuery } from '../../../common/schemas/org.js';
import { defineRoute } from '../http/route.js';
import { explainVisibility } from './explain.service.js';

export const accessRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/access/explain',
    permission: 'access.explain',
    tag: 'access',
    summary: 'Why a user can (or cannot) see a record: the rules that grant it',
    query: ExplainQuery,
    handler: ({ actor, query }) => explainVisibility(actor, query),
  }),
];
