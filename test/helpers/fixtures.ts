import { randomBytes } from 'node:crypto';
import type { DataScope, Permission } from '../../src/common/permissions.js';
import { closureAdd } from '../../src/server/db/closure.js';
import type { Database } from '../../src/server/db/database.js';
import { sql } from '../../src/server/db/sql.js';
import { insertDepartment } from '../../src/server/modules/org/departments.repo.js';
import { insertRole } from '../../src/server/modules/org/roles.repo.js';
import { insertUser, setRoles } from '../../src/server/modules/org/users.repo.js';
import { insertSession } from '../../src/server/platform/auth/auth.repo.js';
import { hashToken, SESSION_TTL_HOURS } from '../../src/server/platform/auth/auth.service.js';
import { ApiClient } from './api.js';

/** An organisation described by indexes, as property tests generate it. */
export interface OrgSpec {
  /** parent index of each department after the root (department 0). */
  departmentParents: number[];
  roles: { permissions: Permission[]; scope: DataScope | null }[];
  users: { department: number; superior: number | null; superAdmin: boolean; roles: number[] }[];
  /** owner index of each customer. */
  customers: number[];
  access: { customer: number; user: number; kind: 'team' | 'share'; access: 'read' | 'write' }[];
}

export interface BuiltOrg {
  tenantId: number;
  departmentIds: number[];
  roleIds: number[];
  userIds: number[];
  customerIds: number[];
}

/**
 * Writes an organisation into a new tenant directly (no password hashing), through
 * the same repository functions and closure maintenance the services use.
 */
export async function buildOrg(db: Database, code: string, spec: OrgSpec): Promise<BuiltOrg> {
  const { id: tenantId } = (await db.system((q) => q.one<{ id: number }>(sql`INSERT INTO tenants (code, name) VALUES (${code}, ${code}) RETURNING id`)))!;
  return db.tenant({ tenantId }, async (q) => {
    const departmentIds: number[] = [];
    for (let i = 0; i <= spec.departmentParents.length; i++) {
      const parentId = i === 0 ? null : departmentIds[spec.departmentParents[i - 1]];
      const id = await insertDepartment(q, tenantId, { name: `d${i}`, parentId });
      await closureAdd(q, 'department_closure', tenantId, id, parentId);
      departmentIds.push(id);
    }
    const roleIds: number[] = [];
    for (const [i, r] of spec.roles.entries()) {
      // leads follow the same scope as customers in generated organisations
      roleIds.push(await insertRole(q, tenantId, { name: `r${i}`, description: null, permissions: r.permissions, dataScopes: r.scope ? { customer: r.scope, lead: r.scope } : {}, fieldAccess: {} }));
    }
    const userIds: number[] = [];
    for (const [i, u] of spec.users.entries()) {
      const superiorId = u.superior === null ? null : userIds[u.superior];
      const id = await insertUser(q, tenantId, {
        name: `u${i}`,
        email: `u${i}@${code}.test`,
        mobile: null,
        gender: 'unknown',
        departmentId: departmentIds[u.department],
        position: null,
        superiorId,
        isSuperAdmin: u.superAdmin,
        passwordHash: null,
      });
      await closureAdd(q, 'user_closure', tenantId, id, superiorId);
      await setRoles(q, tenantId, id, u.roles.map((r) => roleIds[r]));
      userIds.push(id);
    }
    const customerIds: number[] = [];
    for (const [i, owner] of spec.customers.entries()) {
      const row = await q.one<{ id: number }>(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id, created_by)
        SELECT ${tenantId}, ${`C${i}`}, ${`c${i}`}, id, department_id, id FROM users WHERE tenant_id = ${tenantId} AND id = ${userIds[owner]} RETURNING id`);
      customerIds.push(row!.id);
      // each customer has one contact, and its owner one lead, named alike
      await q.query(sql`INSERT INTO contacts (tenant_id, code, customer_id, name, is_primary) VALUES (${tenantId}, ${`K${i}`}, ${row!.id}, ${`k${i}`}, true)`);
      await q.query(sql`INSERT INTO leads (tenant_id, code, name, owner_id) VALUES (${tenantId}, ${`L${i}`}, ${`l${i}`}, ${userIds[owner]})`);
    }
    for (const a of spec.access) {
      await q.query(sql`INSERT INTO record_access (tenant_id, entity_type, record_id, user_id, kind, access)
        VALUES (${tenantId}, 'customer', ${customerIds[a.customer]}, ${userIds[a.user]}, ${a.kind}, ${a.access})
        ON CONFLICT DO NOTHING`);
    }
    return { tenantId, departmentIds, roleIds, userIds, customerIds };
  });
}

/** A client signed in as the user through a session made directly in the database. */
export async function signedInAs(db: Database, baseUrl: string, tenantId: number, userId: number): Promise<ApiClient> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(16).toString('base64url');
  await db.system((q) =>
    insertSession(q, { tenantId, userId, tokenHash: hashToken(token), csrfToken: csrf, ip: null, userAgent: 'test', ttlHours: SESSION_TTL_HOURS }),
  );
  const client = new ApiClient(baseUrl);
  client.cookie = `crm_sid=${token}`;
  client.csrf = csrf;
  return client;
}
