import type { FieldAccessMap } from '../../../common/field-access.js';
import type { DataScope } from '../../../common/permissions.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface RoleRow {
  id: number;
  code: string | null;
  name: string;
  description: string | null;
  permissions: string[];
  data_scopes: Record<string, DataScope>;
  field_access: FieldAccessMap;
  user_count: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = sql`r.id, r.code, r.name, r.description, r.permissions, r.data_scopes, r.field_access, r.created_at, r.updated_at,
  (SELECT count(*) FROM user_roles ur JOIN users u ON u.tenant_id = ur.tenant_id AND u.id = ur.user_id
   WHERE ur.tenant_id = r.tenant_id AND ur.role_id = r.id AND u.status = 'active') AS user_count`;

export function listRoles(q: Queryable, tenantId: number): Promise<RoleRow[]> {
  return q.query<RoleRow>(sql`SELECT ${COLUMNS} FROM roles r WHERE r.tenant_id = ${tenantId} ORDER BY r.id`);
}

export function getRole(q: Queryable, tenantId: number, id: number): Promise<RoleRow | undefined> {
  return q.one<RoleRow>(sql`SELECT ${COLUMNS} FROM roles r WHERE r.tenant_id = ${tenantId} AND r.id = ${id}`);
}

export function getRoles(q: Queryable, tenantId: number, ids: number[]): Promise<RoleRow[]> {
  return q.query<RoleRow>(sql`SELECT ${COLUMNS} FROM roles r WHERE r.tenant_id = ${tenantId} AND r.id = ANY(${ids}::bigint[]) ORDER BY r.id`);
}

export interface RoleFields {
  code?: string | null;
  name: string;
  description: string | null;
  permissions: string[];
  dataScopes: Record<string, DataScope>;
  fieldAccess: FieldAccessMap;
}

export async function insertRole(q: Queryable, tenantId: number, r: RoleFields): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO roles (tenant_id, code, name, description, permissions, data_scopes, field_access)
    VALUES (${tenantId}, ${r.code ?? null}, ${r.name}, ${r.description}, ${r.permissions}::text[], ${JSON.stringify(r.dataScopes)}::jsonb,
      ${JSON.stringify(r.fieldAccess)}::jsonb)
    RETURNING id`))!.id;
}

export async function updateRole(q: Queryable, tenantId: number, id: number, r: RoleFields): Promise<void> {
  await q.query(sql`UPDATE roles SET name = ${r.name}, description = ${r.description}, permissions = ${r.permissions}::text[],
    data_scopes = ${JSON.stringify(r.dataScopes)}::jsonb, field_access = ${JSON.stringify(r.fieldAccess)}::jsonb, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function deleteRole(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM roles WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function countHolders(q: Queryable, tenantId: number, id: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM user_roles WHERE tenant_id = ${tenantId} AND role_id = ${id}`))!.n;
}
