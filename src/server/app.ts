import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Locale } from '../common/schemas/common.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { attachmentRoutes } from './modules/attachments/attachments.routes.js';
import { contactRoutes } from './modules/contacts/contacts.routes.js';
import { contractRoutes } from './modules/contracts/contracts.routes.js';
import { quoteRoutes } from './modules/quotes/quotes.routes.js';
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.js';
import { targetRoutes } from './modules/targets/targets.routes.js';
import { customerRoutes } from './modules/customers/customers.routes.js';
import { currencyRoutes } from './modules/currencies/currencies.routes.js';
import { productRoutes } from './modules/products/products.routes.js';
import { customerRelationRoutes } from './modules/customer-relations/customer-relations.routes.js';
import { entryRuleRoutes } from './modules/entry-rules/entry-rules.routes.js';
import { customerValueRoutes } from './modules/customer-value/customer-value.routes.js';
import { customFieldRoutes } from './modules/custom-fields/custom-fields.routes.js';
import { dictionaryRoutes } from './modules/dictionaries/dictionaries.routes.js';
import { duplicateRoutes } from './modules/duplicates/duplicates.routes.js';
import { followupRoutes } from './modules/followups/followups.routes.js';
import { leadRoutes } from './modules/leads/leads.routes.js';
import { opportunityRoutes } from './modules/opportunities/opportunities.routes.js';
import { approvalRoutes } from './modules/approvals/approvals.routes.js';
import { expenseRoutes } from './modules/expenses/expenses.routes.js';
import { notificationRoutes } from './modules/notifications/notifications.routes.js';
import { poolRoutes } from './modules/pool/pool.routes.js';
import { recycleBinRoutes } from './modules/recycle-bin/recycle-bin.routes.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { viewRoutes } from './modules/views/views.routes.js';
import { orgRoutes } from './modules/org/org.routes.js';
import { printRoutes } from './modules/print/print.routes.js';
import { accessRoutes } from './platform/access/access.routes.js';
import type { Actor } from './platform/auth/actor.js';
import { SESSION_COOKIE, authRoutes, requestMeta } from './platform/auth/auth.routes.js';
import { authenticate } from './platform/auth/auth.service.js';
import { auditRoutes } from './platform/audit/audit.routes.js';
import type { FileStorage } from './platform/files/storage.js';
import { DEFAULT_RUNNER_OPTIONS, ImportRunner, type ImportRunnerOptions } from './modules/imports/import-runner.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { exportRoutes } from './modules/exports/exports.routes.js';
import { AppError } from './platform/http/errors.js';
import { buildOpenApi, docsPage } from './platform/http/openapi.js';
import { defineRoute, findRouteDefects, type RegisteredRoute, type RouteDef, registerRoutes } from './platform/http/route.js';
import { allowCrossOriginPublicEndpoints } from './platform/http/public-cors.js';
import { isPermission } from '../common/permissions.js';
import { fieldMessage, localeFromHeader, message } from './platform/i18n/messages.js';
import { regionRoutes } from './platform/regions/regions.routes.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIR = join(ROOT, 'dist', 'web');
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

export const BODY_LIMIT = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    crm?: { actor: Actor | null; locale: Locale };
  }
  interface FastifyInstance {
    /** Every route as registered, for the route checks. */
    registeredRoutes: RegisteredRoute[];
    /** The imports this server runs. */
    imports: ImportRunner;
  }
}

export interface AppOptions {
  db: Database;
  config: Pick<Config, 'logLevel' | 'trustProxy' | 'secureCookies'>;
  /** Serve the built web app from this folder when it exists. */
  webDir?: string;
  /** Where uploaded files go. */
  files: FileStorage;
  /** How imports run (batch size, when a silent job counts as orphaned). */
  imports?: Partial<ImportRunnerOptions>;
}

function headerLocale(req: FastifyRequest): Locale | undefined {
  const explicit = Locale.safeParse(req.headers['x-crm-locale']);
  return explicit.success ? explicit.data : undefined;
}

function requestLocale(req: FastifyRequest): Locale {
  return req.crm?.locale ?? headerLocale(req) ?? localeFromHeader(req.headers['accept-language']) ?? 'zh-CN';
}

export function apiRoutes(db: Database, config: AppOptions['config'], files: FileStorage, imports: ImportRunner): RouteDef[] {
  return [
    ...authRoutes(db, { secureCookies: config.secureCookies }),
    ...orgRoutes,
    ...customerValueRoutes,
    ...printRoutes,
    ...customerRoutes,
    ...customerRelationRoutes,
    ...contactRoutes,
    ...followupRoutes,
    ...poolRoutes,
    ...notificationRoutes,
    ...searchRoutes,
    ...viewRoutes,
    ...recycleBinRoutes(files),
    ...duplicateRoutes,
    ...leadRoutes(db),
    ...opportunityRoutes,
    ...contractRoutes,
    ...quoteRoutes,
    ...approvalRoutes,
    ...expenseRoutes,
    ...attachmentRoutes(files),
    ...dictionaryRoutes,
    ...customFieldRoutes,
    ...entryRuleRoutes,
    ...auditRoutes,
    ...accessRoutes,
    ...regionRoutes,
    ...productRoutes,
    ...currencyRoutes,
    ...targetRoutes,
    ...dashboardRoutes,
    ...importRoutes(files, imports),
    ...exportRoutes(files),
  ];
}

export async function buildApp({ db, config, webDir = WEB_DIR, files, imports: importOptions }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    logController: new LogController({ disableRequestLogging: config.logLevel !== 'debug' }),
  });

  const registered: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registered);
  app.addHook('onRoute', (r) => void registered.push({ method: r.method, url: r.url, config: r.config as RegisteredRoute['config'] }));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Ant Design writes its styles at run time
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  allowCrossOriginPublicEndpoints(app);
  // uploads: the body is the file, streamed to storage (which enforces the size), not buffered
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const locale = requestLocale(req);
    let error: AppError;
    if (err instanceof AppError) error = err;
    else if (err.statusCode === 413) error = new AppError('PAYLOAD_TOO_LARGE');
    else if (err.statusCode === 429) error = new AppError('RATE_LIMITED');
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) error = new AppError('BAD_REQUEST');
    else {
      req.log.error({ err }, 'unhandled error');
      error = new AppError('INTERNAL');
    }
    const status = error.code === 'BAD_REQUEST' && err.statusCode ? err.statusCode : error.status;
    return reply.code(status).send({
      error: {
        code: error.code,
        message: message(locale, error.code, error.params),
        ...(error.fields.length ? { fields: error.fields.map((f) => ({ path: f.path, message: fieldMessage(locale, f.message) ?? f.message })) } : {}),
      },
    });
  });

  let spec: ReturnType<typeof buildOpenApi> | undefined;
  const systemRoutes = [
    defineRoute({
      method: 'GET', url: '/api/health', permission: 'public', tag: 'system',
      summary: 'Liveness and the database backend in use',
      handler: async () => ({ status: 'ok', database: db.kind, version: VERSION }),
    }),
    defineRoute({
      method: 'GET', url: '/api/openapi.json', permission: 'public', tag: 'system',
      summary: 'This API described as OpenAPI 3.1', handler: async () => spec!,
    }),
    defineRoute({
      method: 'GET', url: '/api/docs', permission: 'public', tag: 'system', summary: 'Readable API documentation',
      handler: async ({ reply }) => reply.type('text/html; charset=utf-8').send(docsPage(spec!)),
    }),
  ];

  const imports = new ImportRunner(db, files, { ...DEFAULT_RUNNER_OPTIONS, onError: (err) => app.log.error({ err }, 'import error'), ...importOptions });
  app.decorate('imports', imports);
  // a server going down hands its imports back (queued) for another to resume at once
  app.addHook('onClose', () => imports.stop());
  const routes = [...systemRoutes, ...apiRoutes(db, config, files, imports)];
  spec = buildOpenApi(routes, { version: VERSION });
  registerRoutes(app, routes, {
    async authenticate(req) {
      if (req.crm) return req.crm.actor;
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const csrf = req.headers['x-csrf-token'];
      const actor = await authenticate(
        db,
        {
          sessionToken: req.cookies[SESSION_COOKIE],
          bearerToken: bearer,
          csrfHeader: typeof csrf === 'string' ? csrf : undefined,
          unsafeMethod: !['GET', 'HEAD', 'OPTIONS'].includes(req.method),
          locale: headerLocale(req),
        },
        requestMeta(req),
      );
      req.crm = { actor, locale: actor?.locale ?? requestLocale(req) };
      return actor;
    },
    localeOf: (req) => requestLocale(req),
  });

  // an API route that skipped the registrar (no permission or schema) stops the start-up
  const defects = findRouteDefects(registered, isPermission);
  if (defects.length) throw new Error(`API routes without permission or schema:\n${defects.join('\n')}`);

  const hasWeb = existsSync(join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') throw new AppError('ROUTE_NOT_FOUND');
    if (!hasWeb) return reply.type('text/plain; charset=utf-8').send('The web app is not built: run `npm run build`.');
    // the single-page app routes everything else itself
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
  });

  return app;
}
