import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';
import type { ActorRow } from './actor.js';

export interface LoginCandidate {
  tenant_id: number;
  tenant_code: string;
  id: number;
  status: 'active' | 'disabled';
  password_hash: string | null;
  locked_until: Date | null;
}

/** Sign-in lookup across tenants (system context): the tenant is not known yet. */
export function findLoginCandidates(q: Queryable, login: string, tenantCode?: string): Promise<LoginCandidate[]> {
  const email = login.toLowerCase();
  const mobile = login.replace(/^\+?86[- ]?/, '').replace(/[ -]/g, '');
  return q.query<LoginCandidate>(sql`
    SELECT u.tenant_id, t.code AS tenant_code, u.id, u.status, u.password_hash, u.locked_until
    FROM users u JOIN tenants t ON t.id = u.tenant_id
    WHERE (u.email = ${email} OR u.mobile = ${mobile}) ${tenantCode ? sql`AND t.code = ${tenantCode}` : sql.empty}
    ORDER BY u.tenant_id LIMIT 10`);
}

export interface LoginLogEntry {
  tenantId: number | null;
  userId: number | null;
  login: string;
  result: 'success' | 'bad_password' | 'locked' | 'unknown_user' | 'disabled' | 'tenant_required';
  ip: string | null;
  userAgent: string | null;
}

export async function insertLoginLog(q: Queryable, e: LoginLogEntry): Promise<void> {
  await q.query(sql`INSERT INTO login_log (tenant_id, user_id, login, result, ip, user_agent)
    VALUES (${e.tenantId}, ${e.userId}, ${e.login.slice(0, 254)}, ${e.result}, ${e.ip}, ${e.userAgent?.slice(0, 500) ?? null})`);
}

/** Counts a failed attempt; at `max` failures the account is locked for `lockMinutes`. */
export async function registerFailure(q: Queryable, tenantId: number, userId: number, max: number, lockMinutes: number) {
  return (await q.one<{ failed_logins: number; locked_until: Date | null }>(sql`
    UPDATE users SET
      failed_logins = CASE WHEN failed_logins + 1 >= ${max} THEN 0 ELSE failed_logins + 1 END,
      locked_until = CASE WHEN failed_logins + 1 >= ${max} THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
    WHERE tenant_id = ${tenantId} AND id = ${userId}
    RETURNING failed_logins, locked_until`))!;
}

export async function registerSuccess(q: Queryable, tenantId: number, userId: number): Promise<void> {
  await q.query(sql`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${userId}`);
}

export async function insertSession(
  q: Queryable,
  s: { tenantId: number; userId: number; tokenHash: Buffer; csrfToken: string; ip: string | null; userAgent: string | null; ttlHours: number },
) {
  return (await q.one<{ id: number; expires_at: Date }>(sql`
    INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, ip, user_agent, expires_at)
    VALUES (${s.tenantId}, ${s.userId}, ${s.tokenHash}, ${s.csrfToken}, ${s.ip}, ${s.userAgent?.slice(0, 500) ?? null},
            now() + make_interval(hours => ${s.ttlHours}))
    RETURNING id, expires_at`))!;
}

/** The user behind a session or token with their permissions and role scopes, in one query. */
function actorColumns(): Sql {
  return sql`u.tenant_id, u.id AS user_id, u.name, u.department_id, u.is_super_admin, u.locale,
    ARRAY(SELECT DISTINCT p FROM user_roles ur
          JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id, unnest(r.permissions) AS p
          WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id) AS permissions,
    (SELECT coalesce(jsonb_agg(r.data_scopes), '[]') FROM user_roles ur
          JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id) AS data_scopes,
    (SELECT coalesce(jsonb_agg(r.field_access), '[]') FROM user_roles ur
          JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
          WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id) AS field_access`;
}

export type SessionActorRow = ActorRow & { session_id: number; csrf_token: string; last_seen_at: Date };

export function findActorBySession(q: Queryable, tokenHash: Buffer): Promise<SessionActorRow | undefined> {
  return q.one<SessionActorRow>(sql.prepared('actor_by_session', sql`
    SELECT s.id AS session_id, s.csrf_token, s.last_seen_at, ${actorColumns()}
    FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
    WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND s.expires_at > now() AND u.status = 'active'`));
}

export type TokenActorRow = ActorRow & { token_id: number; last_used_at: Date | null };

export function findActorByApiToken(q: Queryable, tokenHash: Buffer): Promise<TokenActorRow | undefined> {
  return q.one<TokenActorRow>(sql.prepared('actor_by_token', sql`
    SELECT k.id AS token_id, k.last_used_at, ${actorColumns()}
    FROM api_tokens k JOIN users u ON u.tenant_id = k.tenant_id AND u.id = k.user_id
    WHERE k.token_hash = ${tokenHash} AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
      AND u.status = 'active'`));
}

export function findActorByUserId(q: Queryable, tenantId: number, userId: number): Promise<ActorRow | undefined> {
  return q.one<ActorRow>(sql`SELECT ${actorColumns()} FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ${userId}`);
}

/** Slides the session's expiry; called at most every few minutes per session. */
export async function touchSession(q: Queryable, sessionId: number, tenantId: number, ttlHours: number): Promise<void> {
  await q.query(sql`UPDATE sessions SET last_seen_at = now(), expires_at = now() + make_interval(hours => ${ttlHours})
    WHERE tenant_id = ${tenantId} AND id = ${sessionId}`);
}

export async function touchApiToken(q: Queryable, tokenId: number, tenantId: number): Promise<void> {
  await q.query(sql`UPDATE api_tokens SET last_used_at = now() WHERE tenant_id = ${tenantId} AND id = ${tokenId}`);
}

export interface SessionRow {
  id: number;
  ip: string | null;
  user_agent: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

export function listActiveSessions(q: Queryable, tenantId: number, userId: number): Promise<SessionRow[]> {
  return q.query<SessionRow>(sql`SELECT id, ip, user_agent, created_at, last_seen_at, expires_at FROM sessions
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND revoked_at IS NULL AND expires_at > now()
    ORDER BY last_seen_at DESC LIMIT 200`);
}

/** Revokes sessions of a user: one (`sessionId`), or all but `exceptId`. Returns how many. */
export async function revokeSessions(
  q: Queryable,
  tenantId: number,
  userId: number,
  which: { sessionId?: number; exceptId?: number | null },
): Promise<number> {
  const rows = await q.query(sql`UPDATE sessions SET revoked_at = now()
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND revoked_at IS NULL
      ${which.sessionId !== undefined ? sql`AND id = ${which.sessionId}` : sql.empty}
      ${which.exceptId ? sql`AND id <> ${which.exceptId}` : sql.empty}
    RETURNING id`);
  return rows.length;
}

export async function revokeAllApiTokens(q: Queryable, tenantId: number, userId: number): Promise<void> {
  await q.query(sql`UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND revoked_at IS NULL`);
}

export async function updatePassword(q: Queryable, tenantId: number, userId: number, hash: string): Promise<void> {
  await q.query(sql`UPDATE users SET password_hash = ${hash}, password_changed_at = now(), failed_logins = 0, locked_until = NULL, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${userId}`);
}

export function passwordHashOf(q: Queryable, tenantId: number, userId: number) {
  return q.one<{ password_hash: string | null }>(sql`SELECT password_hash FROM users WHERE tenant_id = ${tenantId} AND id = ${userId}`);
}

export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
}

export function listApiTokens(q: Queryable, tenantId: number, userId: number): Promise<ApiTokenRow[]> {
  return q.query<ApiTokenRow>(sql`SELECT id, name, prefix, created_at, last_used_at, expires_at FROM api_tokens
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND revoked_at IS NULL ORDER BY id DESC`);
}

export async function insertApiToken(
  q: Queryable,
  t: { tenantId: number; userId: number; name: string; tokenHash: Buffer; prefix: string; expiresInDays?: number },
): Promise<ApiTokenRow> {
  return (await q.one<ApiTokenRow>(sql`
    INSERT INTO api_tokens (tenant_id, user_id, name, token_hash, prefix, expires_at)
    VALUES (${t.tenantId}, ${t.userId}, ${t.name}, ${t.tokenHash}, ${t.prefix},
            ${t.expiresInDays ? sql`now() + make_interval(days => ${t.expiresInDays})` : sql`NULL`})
    RETURNING id, name, prefix, created_at, last_used_at, expires_at`))!;
}

export async function revokeApiToken(q: Queryable, tenantId: number, userId: number, id: number): Promise<boolean> {
  const rows = await q.query(sql`UPDATE api_tokens SET revoked_at = now()
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND id = ${id} AND revoked_at IS NULL RETURNING id`);
  return rows.length > 0;
}

export async function setPreferences(q: Queryable, tenantId: number, userId: number, p: { locale?: string; timeZone?: string }): Promise<void> {
  await q.query(sql`UPDATE users SET locale = coalesce(${p.locale ?? null}::text, locale), time_zone = coalesce(${p.timeZone ?? null}::text, time_zone)
    WHERE tenant_id = ${tenantId} AND id = ${userId}`);
}

export function meDetails(q: Queryable, tenantId: number, userId: number) {
  return q.one<{
    email: string | null;
    mobile: string | null;
    department_name: string;
    tenant_code: string;
    tenant_name: string;
    locale: string;
    time_zone: string;
  }>(sql`SELECT u.email, u.mobile, u.locale, u.time_zone, d.name AS department_name, t.code AS tenant_code, t.name AS tenant_name
    FROM users u JOIN departments d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
    JOIN tenants t ON t.id = u.tenant_id
    WHERE u.tenant_id = ${tenantId} AND u.id = ${userId}`);
}

/** Deletes sessions that expired or were revoked more than `keepDays` ago (system job). */
export async function deleteExpiredSessions(q: Queryable, keepDays: number): Promise<number> {
  const rows = await q.query(sql`DELETE FROM sessions
    WHERE expires_at < now() - make_interval(days => ${keepDays}) OR revoked_at < now() - make_interval(days => ${keepDays})
    RETURNING id`);
  return rows.length;
}
