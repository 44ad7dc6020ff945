/**
 * Tenant isolation: enforced by the database (row-level security under the
 * application role) and therefore by every route, even when a query forgets its
 * tenant condition or a caller guesses another company's ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../src/server/db/sql.js';
import type { ApiClient } from './helpers/api.js';
import { startTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let other: { tenant: { tenantId: number; rootDepartmentId: number; adminId: number; roleIds: Record<string, number> }; admin: ApiClient };
let theirs: { customer: number; department: number; user: number; role: number };

beforeAll(async () => {
  t = await startTestApp();
  other = await t.addTenant('globex');
  const dept = await other.admin.post('/api/v1/departments', { name: '他们的部门', parentId: other.tenant.rootDepartmentId });
  const user = await other.admin.post('/api/v1/users', {
    name: '他们的员工', email: 'staff@globex.test', departmentId: dept.body.id, password: 'password-123', roleIds: [other.tenant.roleIds.sales_rep],
  });
  const customer = await other.admin.post('/api/v1/customers', { name: '他们的客户' });
  await other.admin.post(`/api/v1/customers/${customer.body.id}/members`, { userId: user.body.id, access: 'write' });
  theirs = { customer: customer.body.id, department: dept.body.id, user: user.body.id, role: other.tenant.roleIds.sales_rep };
  await t.admin.post('/api/v1/customers', { name: '我们的客户' });
});
afterAll(() => t?.close());

describe('through the API, another company’s records do not exist', () => {
  it('cannot be read', async () => {
    for (const path of [
      `/api/v1/customers/${theirs.customer}`,
      `/api/v1/customers/${theirs.customer}/members`,
      `/api/v1/customers/${theirs.customer}/history`,
      `/api/v1/users/${theirs.user}`,
      `/api/v1/users/${theirs.user}/sessions`,
      `/api/v1/roles/${theirs.role}`,
      `/api/v1/access/explain?userId=${theirs.user}&entity=customer&recordId=${theirs.customer}`,
    ]) {
      const res = await t.admin.get(path);
      expect(res.status, path).toBe(404);
    }
    const lists = [
      ['/api/v1/customers?limit=200', '他们的客户'],
      ['/api/v1/users?limit=200', '他们的员工'],
      ['/api/v1/departments', '他们的部门'],
      ['/api/v1/audit/operations?limit=200', '他们的客户'],
    ];
    for (const [path, name] of lists) {
      const res = await t.admin.get(path);
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body), path).not.toContain(name);
    }
    expect((await t.admin.get(`/api/v1/customers/count`)).body.total).toBe(1);
    expect((await t.admin.get(`/api/v1/customers?ownerId=${theirs.user}`)).body.items).toEqual([]);
    const logins = await t.admin.get('/api/v1/audit/logins?limit=200');
    expect(JSON.stringify(logins.body)).not.toContain('globex');
  });

  it('cannot be changed or deleted', async () => {
    const attempts: [string, () => Promise<{ status: number }>][] = [
      ['patch customer', () => t.admin.patch(`/api/v1/customers/${theirs.customer}`, { name: 'pwned' })],
      ['delete customer', () => t.admin.delete(`/api/v1/customers/${theirs.customer}`)],
      ['transfer customer', () => t.admin.post(`/api/v1/customers/${theirs.customer}/transfer`, { ownerId: t.tenant.adminId })],
      ['share customer', () => t.admin.post(`/api/v1/customers/${theirs.customer}/members`, { userId: t.tenant.adminId, access: 'write' })],
      ['unshare customer', () => t.admin.delete(`/api/v1/customers/${theirs.customer}/members/${theirs.user}`)],
      ['patch department', () => t.admin.patch(`/api/v1/departments/${theirs.department}`, { name: 'pwned' })],
      ['delete department', () => t.admin.delete(`/api/v1/departments/${theirs.department}`)],
      ['patch user', () => t.admin.patch(`/api/v1/users/${theirs.user}`, { name: 'pwned' })],
      ['disable user', () => t.admin.put(`/api/v1/users/${theirs.user}/status`, { status: 'disabled' })],
      ['reset password', () => t.admin.put(`/api/v1/users/${theirs.user}/password`, { password: 'pwned-pwned' })],
      ['revoke sessions', () => t.admin.post(`/api/v1/users/${theirs.user}/sessions/revoke`, {})],
      ['patch role', () => t.admin.patch(`/api/v1/roles/${theirs.role}`, { name: 'pwned' })],
      ['delete role', () => t.admin.delete(`/api/v1/roles/${theirs.role}`)],
    ];
    for (const [what, attempt] of attempts) expect((await attempt()).status, what).toBe(404);
    const still = await other.admin.get(`/api/v1/customers/${theirs.customer}`);
    expect(still.body.name).toBe('他们的客户');
    expect((await other.admin.get(`/api/v1/users/${theirs.user}`)).body).toMatchObject({ name: '他们的员工', status: 'active' });
    expect((await other.admin.get(`/api/v1/roles/${theirs.role}`)).body.name).not.toBe('pwned');
  });

  it('cannot be referenced from our records', async () => {
    const user = await t.admin.post('/api/v1/users', { name: 'x', email: 'x@acme.test', departmentId: theirs.department, password: 'password-123' });
    expect(user.status).toBe(400);
    expect(user.body.error).toMatchObject({ code: 'INVALID_REFERENCE', fields: [{ path: 'departmentId' }] });
    const superior = await t.admin.post('/api/v1/users', {
      name: 'y', email: 'y@acme.test', departmentId: t.tenant.rootDepartmentId, superiorId: theirs.user, password: 'password-123',
    });
    expect(superior.body.error.fields[0].path).toBe('superiorId');
    const roles = await t.admin.post('/api/v1/users', {
      name: 'z', email: 'z@acme.test', departmentId: t.tenant.rootDepartmentId, roleIds: [theirs.role], password: 'password-123',
    });
    expect(roles.body.error.fields[0].path).toBe('roleIds');
    expect((await t.admin.post('/api/v1/customers', { name: 'a', ownerId: theirs.user })).status).toBe(400);
    const ours = await t.admin.post('/api/v1/customers', { name: 'b' });
    expect((await t.admin.post(`/api/v1/customers/${ours.body.id}/transfer`, { ownerId: theirs.user })).status).toBe(400);
    expect((await t.admin.post(`/api/v1/customers/${ours.body.id}/members`, { userId: theirs.user, access: 'read' })).status).toBe(400);
    expect((await t.admin.post('/api/v1/departments', { name: 'c', parentId: theirs.department })).status).toBe(400);
  });

  it('a session or token of one company never acts in another', async () => {
    const staff = await t.client().login('staff@globex.test', 'password-123');
    const me = await staff.get('/api/v1/auth/me');
    expect(me.body.tenant.code).toBe('globex');
    const ourCustomers = await t.admin.get('/api/v1/customers');
    for (const c of ourCustomers.body.items) expect((await staff.get(`/api/v1/customers/${c.id}`)).status).toBe(404);
  });
});

describe('in the database, under the application role', () => {
  it('a query without any tenant condition returns only the current tenant’s rows', async () => {
    const tables = await t.db.system((q) =>
      q.query<{ table_name: string }>(sql`SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`),
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const { table_name } of tables) {
      const rows = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
        q.query<{ tenant_id: number | null }>(sql`SELECT tenant_id FROM ${sql.raw(table_name)}`),
      );
      expect(rows.every((r) => r.tenant_id === t.tenant.tenantId), table_name).toBe(true);
      // the other tenant has rows in the same tables, invisible here
      const all = await t.db.system((q) => q.query<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.raw(table_name)} WHERE tenant_id = ${other.tenant.tenantId}`));
      if (['customers', 'users', 'departments', 'roles', 'user_roles', 'record_access', 'audit_log'].includes(table_name)) expect(all[0].n, table_name).toBeGreaterThan(0);
    }
    const tenants = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => q.query<{ id: number }>(sql`SELECT id FROM tenants`));
    expect(tenants.map((r) => r.id)).toEqual([t.tenant.tenantId]);
  });

  it('every tenant table has row-level security, and the application role cannot bypass it', async () => {
    const unprotected = await t.db.system((q) =>
      q.query<{ relname: string }>(sql`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT c.relrowsecurity
          AND EXISTS (SELECT 1 FROM information_schema.columns col WHERE col.table_schema = 'public' AND col.table_name = c.relname AND col.column_name = 'tenant_id')`),
    );
    expect(unprotected).toEqual([]);
    const role = await t.db.system((q) => q.one<{ rolbypassrls: boolean; rolsuper: boolean }>(sql`SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = 'crm_app'`));
    expect(role).toEqual({ rolbypassrls: false, rolsuper: false });
    const owned = await t.db.system((q) => q.query(sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'crm_app'`));
    expect(owned).toEqual([]);
  });

  it('refuses writing, updating or deleting another tenant’s rows', async () => {
    const asUs = <T>(fn: Parameters<typeof t.db.tenant<T>>[1]) => t.db.tenant({ tenantId: t.tenant.tenantId }, fn);
    await expect(asUs((q) => q.query(sql`INSERT INTO customers (tenant_id, code, name) VALUES (${other.tenant.tenantId}, 'X1', 'smuggled')`))).rejects.toThrow(/row-level security/);
    const updated = await asUs((q) => q.query(sql`UPDATE customers SET name = 'pwned' WHERE id = ${theirs.customer} RETURNING id`));
    expect(updated).toEqual([]);
    const deleted = await asUs((q) => q.query(sql`DELETE FROM customers WHERE tenant_id = ${other.tenant.tenantId} RETURNING id`));
    expect(deleted).toEqual([]);
    await expect(asUs((q) => q.query(sql`UPDATE customers SET tenant_id = ${other.tenant.tenantId} RETURNING id`))).rejects.toThrow(/row-level security/);
    // without a tenant setting at all, the application role sees nothing
    const none = await t.db.tenant({ tenantId: t.tenant.tenantId }, async (q) => {
      await q.exec(`SELECT set_config('app.tenant_id', '', true)`);
      return q.query(sql`SELECT id FROM customers`);
    });
    expect(none).toEqual([]);
  });

  it('keeps the operation and login logs append-only, even for the tables’ owner', async () => {
    const asUs = <T>(fn: Parameters<typeof t.db.tenant<T>>[1]) => t.db.tenant({ tenantId: t.tenant.tenantId }, fn);
    await expect(asUs((q) => q.query(sql`UPDATE audit_log SET action = 'x'`))).rejects.toThrow(/permission denied/);
    await expect(asUs((q) => q.query(sql`DELETE FROM audit_log`))).rejects.toThrow(/permission denied/);
    await expect(asUs((q) => q.query(sql`DELETE FROM login_log`))).rejects.toThrow(/permission denied/);
    await expect(t.db.system((q) => q.query(sql`UPDATE audit_log SET action = 'x'`))).rejects.toThrow(/append-only/);
    await expect(t.db.system((q) => q.query(sql`DELETE FROM login_log`))).rejects.toThrow(/append-only/);
    const routes = t.app.registeredRoutes.filter((r) => r.url.startsWith('/api/v1/audit'));
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.flatMap((r) => ([] as string[]).concat(r.method)).every((m) => m === 'GET' || m === 'HEAD')).toBe(true);
  });
});
