import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import type { Permission } from '../../../common/permissions.js';
import type { Locale } from '../../../common/schemas/common.js';
import type { Actor } from '../auth/actor.js';
import { fieldMessage } from '../i18n/messages.js';
import { validationErrorMap } from '../i18n/validation.js';
import { AppError, type FieldError } from './errors.js';

/** `public`: no sign-in; `authenticated`: any signed-in user; otherwise a permission code. */
export type RoutePermission = Permission | 'authenticated' | 'public';
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Out<S> = S extends ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B, A> {
  actor: A;
  params: P;
  query: Q;
  body: B;
  locale: Locale;
  req: FastifyRequest;
  reply: FastifyReply;
}

interface RouteSpec<PS, QS, BS, Perm extends RoutePermission> {
  method: Method;
  url: string;
  permission: Perm;
  tag: string;
  summary: string;
  params?: PS;
  query?: QS;
  body?: BS;
  /** Success status when the handler returns a value (204 when it returns nothing). */
  status?: number;
  rateLimit?: { max: number; timeWindow: string };
  /** A file upload: the request body is the file (application/octet-stream), streamed, not parsed. */
  upload?: boolean;
  handler(ctx: RouteContext<Out<PS>, Out<QS>, Out<BS>, Perm extends 'public' ? Actor | null : Actor>): Promise<unknown>;
}

export interface RouteDef {
  method: Method;
  url: string;
  permission: RoutePermission;
  tag: string;
  summary: string;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  status?: number;
  rateLimit?: { max: number; timeWindow: string };
  upload?: boolean;
  handler(ctx: RouteContext<unknown, unknown, unknown, Actor | null>): Promise<unknown>;
}

export function defineRoute<
  PS extends ZodType | undefined = undefined,
  QS extends ZodType | undefined = undefined,
  BS extends ZodType | undefined = undefined,
  Perm extends RoutePermission = RoutePermission,
>(spec: RouteSpec<PS, QS, BS, Perm>): RouteDef {
  return spec as unknown as RouteDef;
}

/** What every API route carries in its Fastify config; the route-enumeration test reads it. */
export interface RouteMeta {
  permission: RoutePermission;
  params?: ZodType;
  query: ZodType;
  body?: ZodType;
  /** The body is a file stream; its metadata comes in the query. */
  upload?: boolean;
}

const EMPTY_QUERY = z.object({}).strict();

export function hasBody(method: Method): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH';
}

/** Refuses, at start-up, a route that lacks a permission or a schema its shape needs. */
export function checkRouteDef(def: RouteDef): void {
  const where = `${def.method} ${def.url}`;
  if (!def.permission) throw new Error(`${where}: no permission declared`);
  if (def.url.includes(':') && !def.params) throw new Error(`${where}: path parameters without a schema`);
  if (hasBody(def.method) && !def.body && !def.upload) throw new Error(`${where}: no body schema`);
}

export function zodFieldErrors(error: z.ZodError, locale: Locale): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ path: base ? `${base}.${key}` : key, message: fieldMessage(locale, 'unknownKey')! });
    } else {
      fields.push({ path: base, message: fieldMessage(locale, issue.message) ?? issue.message });
    }
  }
  return fields;
}

const errorMaps = { 'zh-CN': validationErrorMap('zh-CN'), en: validationErrorMap('en') };

export function parseInput<S extends ZodType>(schema: S, input: unknown, locale: Locale, prefix?: string): z.output<S> {
  const result = schema.safeParse(input ?? {}, { error: errorMaps[locale] });
  if (result.success) return result.data;
  const fields = zodFieldErrors(result.error, locale).map((f) => (prefix ? { ...f, path: f.path ? `${prefix}.${f.path}` : prefix } : f));
  throw new AppError('VALIDATION_FAILED', {}, fields);
}

export interface RouteDeps {
  /** Resolves the signed-in user, checking CSRF for cookie sessions; null when not signed in. */
  authenticate(req: FastifyRequest): Promise<Actor | null>;
  localeOf(req: FastifyRequest, actor: Actor | null): Locale;
}

export function registerRoutes(app: FastifyInstance, defs: RouteDef[], deps: RouteDeps): void {
  for (const def of defs) {
    checkRouteDef(def);
    const meta: RouteMeta = { permission: def.permission, params: def.params, query: def.query ?? EMPTY_QUERY, body: def.body, upload: def.upload };
    app.route({
      method: def.method,
      url: def.url,
      config: { crm: meta, ...(def.rateLimit ? { rateLimit: def.rateLimit } : {}) },
      handler: async (req, reply) => {
        // a stale cookie or token must not block a public route such as sign-in
        const actor = def.permission === 'public' ? await deps.authenticate(req).catch(() => null) : await deps.authenticate(req);
        const locale = deps.localeOf(req, actor);
        if (!actor && def.permission !== 'public') throw new AppError('UNAUTHENTICATED');
        if (actor && def.permission !== 'public' && def.permission !== 'authenticated' && !actor.can(def.permission)) {
          throw new AppError('FORBIDDEN', { permission: def.permission });
        }
        const params = meta.params ? parseInput(meta.params, req.params, locale) : undefined;
        const query = parseInput(meta.query, req.query, locale);
        const body = meta.body ? parseInput(meta.body, req.body, locale) : undefined;
        const result = await def.handler({ actor, params, query, body, locale, req, reply });
        if (reply.sent) return reply;
        if (result === undefined) return reply.code(204).send();
        return reply.code(def.status ?? 200).send(result);
      },
    });
  }
}

export interface RegisteredRoute {
  method: string | string[];
  url: string;
  config?: { crm?: RouteMeta };
}

/**
 * Every API route must have come through registerRoutes: a declared permission
 * (a known code, 'authenticated' or 'public') and schemas for its query, its
 * path parameters and its body. Returns one line per defect.
 */
export function findRouteDefects(routes: RegisteredRoute[], isKnownPermission: (code: string) => boolean): string[] {
  const defects: string[] = [];
  for (const r of routes) {
    if (!r.url.startsWith('/api')) continue;
    const methods = ([] as string[]).concat(r.method);
    const where = `${methods.join(',')} ${r.url}`;
    const meta = r.config?.crm;
    if (!meta) {
      defects.push(`${where}: not registered through registerRoutes (no permission, no schema)`);
      continue;
    }
    if (!['public', 'authenticated'].includes(meta.permission) && !isKnownPermission(meta.permission)) defects.push(`${where}: unknown permission ${meta.permission}`);
    if (!meta.query) defects.push(`${where}: no query schema`);
    if (r.url.includes(':') && !meta.params) defects.push(`${where}: no params schema`);
    if (methods.some((m) => hasBody(m as Method)) && !meta.body && !meta.upload) defects.push(`${where}: no body schema`);
  }
  return defects;
}
