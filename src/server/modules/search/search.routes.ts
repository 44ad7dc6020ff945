import { z } from 'zod';
import { defineRoute } from '../../platform/http/route.js';
import { quickSearch } from './search.service.js';

const SearchQuery = z.object({ q: z.string().trim().min(1).max(100), limit: z.coerce.number().int().min(1).max(50).default(10) }).strict();

export const searchRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/search', permission: 'customer.view', tag: 'customers',
    summary: 'Quick search of customers and contacts: Chinese, pinyin, initials, code, mobile', query: SearchQuery,
    handler: ({ actor, query }) => quickSearch(actor, query.q, query.limit),
  }),
];
