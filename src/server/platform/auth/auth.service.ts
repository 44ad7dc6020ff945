import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { ChangePasswordBody, CreateApiTokenBody, LoginBody, MeResponse } from '../../../common/schemas/auth.js';
import type { Locale } from '../../../common/schemas/common.js';
import type { Database } from '../../db/database.js';
import { recordChange } from '../audit/audit.service.js';
import { AppError } from '../http/errors.js';
import { type Actor, buildActor } from './actor.js';
import * as repo from './auth.repo.js';
import { hashPassword, verifyPassword } from './password.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
export const SESSION_TTL_HOURS = 24 * 7;
const TOUCH_EVERY_MS = 5 * 60 * 1000;
export const API_TOKEN_PREFIX = 'crmpat_';

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  tenantId: number;
  userId: number;
}

export async function login(db: Database, input: z.output<typeof LoginBody>, meta: RequestMeta): Promise<LoginResult> {
  const log = (e: Omit<repo.LoginLogEntry, 'login' | 'ip' | 'userAgent'>) =>
    db.system((q) => repo.insertLoginLog(q, { ...e, login: input.login, ip: meta.ip, userAgent: meta.userAgent }));

  const candidates = await db.system((q) => repo.findLoginCandidates(q, input.login, input.tenant));
  if (candidates.length > 1) {
    await log({ tenantId: null, userId: null, result: 'tenant_required' });
    throw new AppError('TENANT_REQUIRED', {}, [{ path: 'tenant', message: 'required' }]);
  }
  const user = candidates[0];
  if (user?.locked_until && user.locked_until > new Date()) {
    await log({ tenantId: user.tenant_id, userId: user.id, result: 'locked' });
    throw new AppError('ACCOUNT_LOCKED', { minutes: Math.ceil((user.locked_until.getTime() - Date.now()) / 60000) });
  }
  // verified outside any transaction: the slow hash must not hold a database connection
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? null);
  if (!user) {
    await log({ tenantId: null, userId: null, result: 'unknown_user' });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!passwordOk) {
    const after = await db.system(async (q) => {
      const r = await repo.registerFailure(q, user.tenant_id, user.id, MAX_FAILED_LOGINS, LOCK_MINUTES);
      await repo.insertLoginLog(q, { tenantId: user.tenant_id, userId: user.id, login: input.login, result: 'bad_password', ...meta });
      return r;
    });
    if (after.locked_until && after.locked_until > new Date()) throw new AppError('ACCOUNT_LOCKED', { minutes: LOCK_MINUTES });
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (user.status !== 'active') {
    await log({ tenantId: user.tenant_id, userId: user.id, result: 'disabled' });
    throw new AppError('ACCOUNT_DISABLED');
  }
  const sessionToken = newToken();
  const csrfToken = newToken();
  const session = await db.system(async (q) => {
    await repo.registerSuccess(q, user.tenant_id, user.id);
    await repo.insertLoginLog(q, { tenantId: user.tenant_id, userId: user.id, login: input.login, result: 'success', ...meta });
    return repo.insertSession(q, {
      tenantId: user.tenant_id,
      userId: user.id,
      tokenHash: hashToken(sessionToken),
      csrfToken,
      ...meta,
      ttlHours: SESSION_TTL_HOURS,
    });
  });
  return { sessionToken, csrfToken, expiresAt: session.expires_at, tenantId: user.tenant_id, userId: user.id };
}

export interface Credentials {
  sessionToken?: string;
  bearerToken?: string;
  /** The CSRF header; required with a session cookie on state-changing requests. */
  csrfHeader?: string;
  unsafeMethod: boolean;
  locale?: Locale;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The acting user of a request. Session and token lookups go to the database on
 * every request, so a revoked session stops at once and any app server can serve it.
 */
export async function authenticate(db: Database, cred: Credentials, meta: RequestMeta): Promise<(Actor & { csrfToken: string | null }) | null> {
  if (cred.bearerToken) {
    const row = await db.autocommit((q) => repo.findActorByApiToken(q, hashToken(cred.bearerToken!)));
    if (!row) throw new AppError('UNAUTHENTICATED');
    // like sessions: last use is kept to within TOUCH_EVERY_MS, so most requests write nothing
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await db.tenant({ tenantId: row.tenant_id }, (q) => repo.touchApiToken(q, row.token_id, row.tenant_id));
    }
    return { ...buildActor(db, row, { ...meta, apiTokenId: row.token_id, locale: cred.locale }), csrfToken: null };
  }
  if (!cred.sessionToken) return null;
  const row = await db.autocommit((q) => repo.findActorBySession(q, hashToken(cred.sessionToken!)));
  if (!row) return null;
  if (cred.unsafeMethod && !(cred.csrfHeader && sameToken(cred.csrfHeader, row.csrf_token))) throw new AppError('CSRF_FAILED');
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    await db.tenant({ tenantId: row.tenant_id }, (q) => repo.touchSession(q, row.session_id, row.tenant_id, SESSION_TTL_HOURS));
  }
  return { ...buildActor(db, row, { ...meta, sessionId: row.session_id, locale: cred.locale }), csrfToken: row.csrf_token };
}

export async function me(actor: Actor, csrfToken: string | null): Promise<MeResponse> {
  const d = await actor.tx((q) => repo.meDetails(q, actor.tenantId, actor.userId));
  const dataScopes: Record<string, string> = {};
  for (const [module, scopes] of Object.entries(actor.dataScopes)) dataScopes[module] = scopes.join(',');
  return {
    user: {
      id: actor.userId,
      name: actor.name,
      email: d!.email,
      mobile: d!.mobile,
      departmentId: actor.departmentId,
      departmentName: d!.department_name,
      isSuperAdmin: actor.isSuperAdmin,
      // the stored preference, not the X-CRM-Locale of this request
      locale: d!.locale as Locale,
      timeZone: d!.time_zone,
    },
    tenant: { id: actor.tenantId, code: d!.tenant_code, name: d!.tenant_name },
    permissions: actor.isSuperAdmin ? ['*'] : [...actor.permissions].sort(),
    dataScopes: actor.isSuperAdmin ? { '*': 'all' } : dataScopes,
    fieldAccess: actor.fieldAccess,
    csrfToken,
  };
}

export async function logout(actor: Actor): Promise<void> {
  if (!actor.sessionId) return;
  await actor.tx((q) => repo.revokeSessions(q, actor.tenantId, actor.userId, { sessionId: actor.sessionId! }));
}

export async function changePassword(actor: Actor, input: z.output<typeof ChangePasswordBody>): Promise<void> {
  const current = await actor.tx((q) => repo.passwordHashOf(q, actor.tenantId, actor.userId));
  if (!(await verifyPassword(input.currentPassword, current?.password_hash ?? null))) {
    throw new AppError('WRONG_PASSWORD', {}, [{ path: 'currentPassword', message: 'wrong' }]);
  }
  const hash = await hashPassword(input.newPassword);
  await actor.tx(async (q) => {
    await repo.updatePassword(q, actor.tenantId, actor.userId, hash);
    // other devices must sign in again with the new password
    await repo.revokeSessions(q, actor.tenantId, actor.userId, { exceptId: actor.sessionId });
    await recordChange(q, actor, { entity: 'user', recordId: actor.userId, recordName: actor.name, action: 'change_password' });
  });
}

/** A session as the API shows it; `current` marks the one making the request. */
export const toSessionDto = (s: repo.SessionRow, currentId: number | null = null) => ({
  id: s.id,
  ip: s.ip,
  userAgent: s.user_agent,
  createdAt: s.created_at,
  lastSeenAt: s.last_seen_at,
  expiresAt: s.expires_at,
  current: s.id === currentId,
});

export const listMySessions = (actor: Actor) =>
  actor.tx(async (q) => (await repo.listActiveSessions(q, actor.tenantId, actor.userId)).map((s) => toSessionDto(s, actor.sessionId)));

export async function revokeMySession(actor: Actor, sessionId: number): Promise<void> {
  const n = await actor.tx((q) => repo.revokeSessions(q, actor.tenantId, actor.userId, { sessionId }));
  if (!n) throw new AppError('NOT_FOUND');
}

const toApiTokenDto = (t: repo.ApiTokenRow) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  createdAt: t.created_at,
  lastUsedAt: t.last_used_at,
  expiresAt: t.expires_at,
});

export const listMyApiTokens = (actor: Actor) =>
  actor.tx(async (q) => (await repo.listApiTokens(q, actor.tenantId, actor.userId)).map(toApiTokenDto));

/** Creates a personal API token; its secret is returned this once and only its hash is kept. */
export async function createApiToken(actor: Actor, input: z.output<typeof CreateApiTokenBody>) {
  const token = API_TOKEN_PREFIX + newToken();
  const row = await actor.tx(async (q) => {
    const r = await repo.insertApiToken(q, {
      tenantId: actor.tenantId,
      userId: actor.userId,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
      expiresInDays: input.expiresInDays,
    });
    await recordChange(q, actor, { entity: 'api_token', recordId: r.id, recordName: input.name, action: 'create' });
    return r;
  });
  return { ...toApiTokenDto(row), token };
}

export async function revokeMyApiToken(actor: Actor, id: number): Promise<void> {
  const ok = await actor.tx(async (q) => {
    const done = await repo.revokeApiToken(q, actor.tenantId, actor.userId, id);
    if (done) await recordChange(q, actor, { entity: 'api_token', recordId: id, action: 'revoke' });
    return done;
  });
  if (!ok) throw new AppError('NOT_FOUND');
}

export const setMyPreferences = (actor: Actor, p: { locale?: Locale; timeZone?: string }) => actor.tx((q) => repo.setPreferences(q, actor.tenantId, actor.userId, p));
