import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChangePasswordBody, CreateApiTokenBody, LoginBody, PreferencesBody } from '../../../common/schemas/auth.js';
import { EmptyBody, IdParams } from '../../../common/schemas/common.js';
import type { Database } from '../../db/database.js';
import { defineRoute } from '../http/route.js';
import { actorForUser } from './actor-loader.js';
import * as auth from './auth.service.js';

export const SESSION_COOKIE = 'crm_sid';
/**
 * Sign-in attempts per client IP and minute. Generous enough for an office whose
 * staff share one public address at 9 a.m.; brute force on one account is
 * stopped by the lockout after five failures.
 */
export const LOGIN_RATE_LIMIT = { max: 100, timeWindow: '1 minute' };

export function requestMeta(req: FastifyRequest): auth.RequestMeta {
  return { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null };
}

export function authRoutes(db: Database, opts: { secureCookies: boolean }) {
  const setSessionCookie = (reply: FastifyReply, req: FastifyRequest, token: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies || req.protocol === 'https',
      expires,
    });

  return [
    defineRoute({
      method: 'POST', url: '/api/v1/auth/login', permission: 'public', tag: 'auth',
      summary: 'Sign in with a mobile number or e-mail and a password; sets the session cookie',
      body: LoginBody, rateLimit: LOGIN_RATE_LIMIT,
      handler: async ({ body, req, reply }) => {
        const result = await auth.login(db, body, requestMeta(req));
        setSessionCookie(reply, req, result.sessionToken, result.expiresAt);
        const actor = await actorForUser(db, result.tenantId, result.userId, requestMeta(req));
        return auth.me(actor, result.csrfToken);
      },
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/auth/logout', permission: 'authenticated', tag: 'auth',
      summary: 'Sign out of this session', body: EmptyBody,
      handler: async ({ actor, reply }) => {
        await auth.logout(actor);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      },
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/auth/me', permission: 'authenticated', tag: 'auth',
      summary: 'The signed-in user, their permissions, data scopes and CSRF token',
      handler: ({ actor }) => auth.me(actor, (actor as { csrfToken?: string | null }).csrfToken ?? null),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/auth/password', permission: 'authenticated', tag: 'auth',
      summary: 'Change my password (other sessions are signed out)', body: ChangePasswordBody,
      handler: ({ actor, body }) => auth.changePassword(actor, body),
    }),
    defineRoute({
      method: 'PUT', url: '/api/v1/auth/preferences', permission: 'authenticated', tag: 'auth',
      summary: 'Set my interface language and/or time zone', body: PreferencesBody,
      handler: ({ actor, body }) => auth.setMyPreferences(actor, body),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/auth/sessions', permission: 'authenticated', tag: 'auth',
      summary: 'My active sessions', handler: ({ actor }) => auth.listMySessions(actor).then((items) => ({ items })),
    }),
    defineRoute({
      method: 'DELETE', url: '/api/v1/auth/sessions/:id', permission: 'authenticated', tag: 'auth',
      summary: 'Revoke one of my sessions', params: IdParams,
      handler: ({ actor, params }) => auth.revokeMySession(actor, params.id),
    }),
    defineRoute({
      method: 'GET', url: '/api/v1/auth/tokens', permission: 'authenticated', tag: 'auth',
      summary: 'My personal API tokens', handler: ({ actor }) => auth.listMyApiTokens(actor).then((items) => ({ items })),
    }),
    defineRoute({
      method: 'POST', url: '/api/v1/auth/tokens', permission: 'authenticated', tag: 'auth', status: 201,
      summary: 'Create a personal API token (the secret is shown once)', body: CreateApiTokenBody,
      handler: ({ actor, body }) => auth.createApiToken(actor, body),
    }),
    defineRoute({
      method: 'DELETE', url: '/api/v1/auth/tokens/:id', permission: 'authenticated', tag: 'auth',
      summary: 'Revoke a personal API token', params: IdParams,
      handler: ({ actor, params }) => auth.revokeMyApiToken(actor, params.id),
    }),
  ];
}
