import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface DepartmentRow {
  id: number;
  parent_id: number | null;
  name: string;
  sort: number;
  head_user_id: number | null;
  head_user_name: string | null;
  member_count: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = sql`d.id, d.parent_id, d.name, d.sort, d.head_user_id, (SELECT h.name FROM users h WHERE h.tenant_id = d.tenant_id AND h.id = d.head_user_id) AS head_user_name,
  d.created_at, d.updated_at,
  (SELECT count(*) FROM users u WHERE u.tenant_id = d.tenant_id AND u.department_id = d.id AND u.status = 'active') AS member_count`;

export function listDepartments(q: Queryable, tenantId: number): Promise<DepartmentRow[]> {
  return q.query<DepartmentRow>(sql`SELECT ${COLUMNS} FROM departments d WHERE d.tenant_id = ${tenantId} ORDER BY d.sort, d.id`);
}

export function getDepartment(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<DepartmentRow | undefined> {
  return q.one<DepartmentRow>(sql`SELECT ${COLUMNS} FROM departments d WHERE d.tenant_id = ${tenantId} AND d.id = ${id}
    ${forUpdate ? sql`FOR UPDATE` : sql.empty}`);
}

export async function insertDepartment(q: Queryable, tenantId: number, d: { name: string; parentId: number | null; sort?: number; headUserId?: number | null }) {
  return (await q.one<{ id: number }>(sql`INSERT INTO departments (tenant_id, parent_id, name, sort, head_user_id)
    VALUES (${tenantId}, ${d.parentId}, ${d.name}, ${d.sort ?? 0}, ${d.headUserId ?? null}) RETURNING id`))!.id;
}

export async function updateDepartment(q: Queryable, tenantId: number, id: number, d: { name: string; parentId: number | null; sort: number; headUserId: number | null }) {
  await q.query(sql`UPDATE departments SET name = ${d.name}, parent_id = ${d.parentId}, sort = ${d.sort}, head_user_id = ${d.headUserId}, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function dependents(q: Queryable, tenantId: number, id: number) {
  return (await q.one<{ children: number; members: number }>(sql`SELECT
    (SELECT count(*) FROM departments WHERE tenant_id = ${tenantId} AND parent_id = ${id}) AS children,
    (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND department_id = ${id}) AS members`))!;
}

export async function deleteDepartment(q: Queryable, tenantId: number, id: number) {
  await q.query(sql`DELETE FROM departments WHERE tenant_id = ${tenantId} AND id = ${id}`);
}
