import { closureAdd } from '../../db/closure.js';
import type { Database } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { hashPassword } from '../../platform/auth/password.js';
import { insertAudit } from '../../platform/audit/audit.repo.js';
import { DEFAULT_ROLES } from '../org/default-roles.js';
import { insertDepartment } from '../org/departments.repo.js';
import { insertRole } from '../org/roles.repo.js';
import { insertUser, setRoles } from '../org/users.repo.js';

export interface NewTenant {
  code: string;
  name: string;
  admin: { name: string; email?: string | null; mobile?: string | null; password: string };
}

export interface CreatedTenant {
  tenantId: number;
  rootDepartmentId: number;
  adminId: number;
  roleIds: Record<string, number>;
}

/**
 * A new company: its top department, the default roles and a first super
 * administrator. The tenant row is written as the owner; everything else as the
 * application role inside the new tenant, so row-level security checks it too.
 */
export async function createTenant(db: Database, t: NewTenant): Promise<CreatedTenant> {
  const passwordHash = await hashPassword(t.admin.password);
  const { id: tenantId } = (await db.system((q) => q.one<{ id: number }>(sql`INSERT INTO tenants (code, name) VALUES (${t.code}, ${t.name}) RETURNING id`)))!;
  return db.tenant({ tenantId }, async (q) => {
    const rootDepartmentId = await insertDepartment(q, tenantId, { name: t.name, parentId: null });
    await closureAdd(q, 'department_closure', tenantId, rootDepartmentId, null);
    // default dictionaries, numbering patterns, duplicate rules and envelope template, defined once in the migrations
    await q.query(sql`SELECT crm_seed_customer_settings(${tenantId}::bigint), crm_seed_duplicate_rules(${tenantId}::bigint), crm_seed_lead_settings(${tenantId}::bigint), crm_seed_print_settings(${tenantId}::bigint), crm_seed_sales_settings(${tenantId}::bigint), crm_seed_opportunity_settings(${tenantId}::bigint), crm_seed_contract_settings(${tenantId}::bigint), crm_seed_quote_settings(${tenantId}::bigint)`);
    const roleIds: Record<string, number> = {};
    for (const role of DEFAULT_ROLES) roleIds[role.code] = await insertRole(q, tenantId, { ...role, description: role.description, fieldAccess: {} });
    // the default approval flows name roles, so they come after them
    await q.query(sql`SELECT crm_seed_approval_settings(${tenantId}::bigint)`);
    const adminId = await insertUser(q, tenantId, {
      name: t.admin.name,
      email: t.admin.email ?? null,
      mobile: t.admin.mobile ?? null,
      gender: 'unknown',
      departmentId: rootDepartmentId,
      position: null,
      superiorId: null,
      isSuperAdmin: true,
      passwordHash,
    });
    await closureAdd(q, 'user_closure', tenantId, adminId, null);
    await setRoles(q, tenantId, adminId, [roleIds.admin]);
    await insertAudit(q, {
      tenantId,
      actorId: null,
      actorName: 'system',
      ip: null,
      userAgent: null,
      entity: 'tenant',
      recordId: tenantId,
      recordName: t.name,
      action: 'create',
      changes: [],
    });
    return { tenantId, rootDepartmentId, adminId, roleIds };
  });
}

export async function tenantCount(db: Database): Promise<number> {
  return (await db.system((q) => q.one<{ n: number }>(sql`SELECT count(*) AS n FROM tenants`)))!.n;
}
