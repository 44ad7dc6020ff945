import type { FastifyInstance } from 'fastify';

/** Endpoints that other sites may call from a browser (the public web forms). */
const PUBLIC_PREFIX = '/api/v1/public/';

/**
 * Lets a company's own website post its web form from its own origin. Only the public endpoints
 * take part, and they never use cookies, so any origin is allowed (`*` also makes browsers refuse
 * to send credentials with them); everything else stays same-origin.
 */
export function allowCrossOriginPublicEndpoints(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith(PUBLIC_PREFIX)) return;
    void reply.header('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type, accept-language')
        .header('access-control-max-age', '86400')
        .send();
    }
  });
}
