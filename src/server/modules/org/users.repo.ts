import type { z } from 'zod';
import type { UserListQuery } from '../../../common/schemas/org.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { containsPattern, sql } from '../../db/sql.js';

export interface UserRow {
  id: number;
  name: string;
  mobile: string | null;
  email: string | null;
  gender: 'male' | 'female' | 'unknown';
  department_id: number;
  department_name: string;
  position: string | null;
  superior_id: number | null;
  superior_name: string | null;
  status: 'active' | 'disabled';
  is_super_admin: boolean;
  locale: string;
  roles: { id: number; name: string }[];
  last_login_at: Date | null;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

const COLUMNS = sql`u.id, u.name, u.mobile, u.email, u.gender, u.department_id, d.name AS department_name, u.position,
  u.superior_id, s.name AS superior_name, u.status, u.is_super_admin, u.locale, u.last_login_at, u.locked_until,
  u.created_at, u.updated_at,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name) ORDER BY r.id), '[]')
   FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
   WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id) AS roles`;

const FROM = sql`FROM users u
  JOIN departments d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
  LEFT JOIN users s ON s.tenant_id = u.tenant_id AND s.id = u.superior_id`;

const BY_ID: Keyset = { column: sql`u.id`, type: 'bigint', id: sql`u.id`, order: 'asc' };

function filters(tenantId: number, f: z.output<typeof UserListQuery>) {
  const like = f.q ? containsPattern(f.q) : undefined;
  return [
    sql`u.tenant_id = ${tenantId}`,
    like && sql`(u.name ILIKE ${like} OR u.mobile LIKE ${like} OR u.email ILIKE ${like})`,
    f.status && sql`u.status = ${f.status}`,
    f.departmentId &&
      (f.includeSubDepartments
        ? sql`u.department_id IN (SELECT descendant_id FROM department_closure WHERE tenant_id = ${tenantId} AND ancestor_id = ${f.departmentId})`
        : sql`u.department_id = ${f.departmentId}`),
    f.roleId && sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id AND ur.role_id = ${f.roleId})`,
  ];
}

export function listUsers(q: Queryable, tenantId: number, f: z.output<typeof UserListQuery>): Promise<UserRow[]> {
  return q.query<UserRow>(sql`SELECT ${keysetSelect(BY_ID)}, ${COLUMNS} ${FROM}
    ${sql.where([...filters(tenantId, f), keysetAfter(BY_ID, f.cursor)])}
    ${keysetOrder(BY_ID)} LIMIT ${f.limit + 1}`);
}

export async function countUsers(q: Queryable, tenantId: number, f: z.output<typeof UserListQuery>): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM users u ${sql.where(filters(tenantId, f))}`))!.n;
}

export function getUser(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<UserRow | undefined> {
  return q.one<UserRow>(sql`SELECT ${COLUMNS} ${FROM} WHERE u.tenant_id = ${tenantId} AND u.id = ${id}
    ${forUpdate ? sql`FOR UPDATE OF u` : sql.empty}`);
}

export async function isActiveUser(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return (await q.one(sql`SELECT 1 FROM users WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'active'`)) !== undefined;
}

/** The department of an active user (records take their owner's); undefined when there is no such active user. */
export async function activeUserDepartment(q: Queryable, tenantId: number, id: number): Promise<number | null | undefined> {
  const row = await q.one<{ department_id: number | null }>(sql`SELECT department_id FROM users WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'active'`);
  return row ? row.department_id : undefined;
}

export interface UserFields {
  name: string;
  mobile: string | null;
  email: string | null;
  gender: string;
  departmentId: number;
  position: string | null;
  superiorId: number | null;
  isSuperAdmin: boolean;
}

export async function insertUser(q: Queryable, tenantId: number, u: UserFields & { passwordHash: string | null }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO users
    (tenant_id, name, mobile, email, gender, department_id, position, superior_id, is_super_admin, password_hash, password_changed_at)
    VALUES (${tenantId}, ${u.name}, ${u.mobile}, ${u.email}, ${u.gender}, ${u.departmentId}, ${u.position}, ${u.superiorId},
            ${u.isSuperAdmin}, ${u.passwordHash}, now())
    RETURNING id`))!.id;
}

export async function updateUser(q: Queryable, tenantId: number, id: number, u: UserFields): Promise<void> {
  await q.query(sql`UPDATE users SET name = ${u.name}, mobile = ${u.mobile}, email = ${u.email}, gender = ${u.gender},
    department_id = ${u.departmentId}, position = ${u.position}, superior_id = ${u.superiorId},
    is_super_admin = ${u.isSuperAdmin}, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setRoles(q: Queryable, tenantId: number, userId: number, roleIds: number[]): Promise<void> {
  await q.query(sql`DELETE FROM user_roles WHERE tenant_id = ${tenantId} AND user_id = ${userId}`);
  if (roleIds.length) {
    await q.query(sql`INSERT INTO user_roles (tenant_id, user_id, role_id)
      SELECT ${tenantId}, ${userId}, unnest(${roleIds}::bigint[]) ON CONFLICT DO NOTHING`);
  }
}

export async function setStatus(q: Queryable, tenantId: number, id: number, status: 'active' | 'disabled'): Promise<void> {
  await q.query(sql`UPDATE users SET status = ${status}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Locks and counts the other active super administrators (so two demotions cannot race). */
export async function otherActiveSuperAdmins(q: Queryable, tenantId: number, exceptId: number): Promise<number> {
  const rows = await q.query(sql`SELECT id FROM users
    WHERE tenant_id = ${tenantId} AND is_super_admin AND status = 'active' AND id <> ${exceptId} FOR UPDATE`);
  return rows.length;
}

/** Active users by what a file may name them with (imports): name, e-mail or mobile. */
export async function activeUserKeys(q: Queryable, tenantId: number): Promise<{ id: number; name: string; email: string | null; mobile: string | null }[]> {
  return q.query(sql`SELECT id, name, email, mobile FROM users WHERE tenant_id = ${tenantId} AND status = 'active'`);
}
