import { defineRoute } from '../http/route.js';
import { regionDataVersion, regionTree } from './regions.js';

/** The list only changes with the package, so browsers keep it for a day and then revalidate by ETag. */
export const REGIONS_CACHE_CONTROL = 'private, max-age=86400';

let cached: { etag: string; json: string } | undefined;

/** Serialized once: the tree is about 100 kB and the same for everyone. */
function regionsResponse() {
  return (cached ??= { etag: `"${regionDataVersion()}"`, json: JSON.stringify(regionTree()) });
}

/** Whether an If-None-Match header names this ETag (weak comparison, as for GET). */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export const regionRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/regions', permission: 'authenticated', tag: 'reference',
    summary: 'Provinces, cities and districts of China (GB/T 2260 codes) as a tree; cacheable, with an ETag',
    handler: async ({ req, reply }) => {
      const { etag, json } = regionsResponse();
      reply.header('cache-control', REGIONS_CACHE_CONTROL).header('etag', etag);
      if (etagMatches(req.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(json);
    },
  }),
];
