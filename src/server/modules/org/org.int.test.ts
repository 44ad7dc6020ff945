import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const dept = async (name: string, parentId = t.tenant.rootDepartmentId) => {
  const res = await t.admin.post('/api/v1/departments', { name, parentId });
  expect(res.status).toBe(201);
  return res.body.id as number;
};

let userNo = 0;
const user = async (fields: Record<string, unknown> = {}) => {
  const res = await t.admin.post('/api/v1/users', {
    name: `员工${++userNo}`, email: `user${userNo}@acme.test`, departmentId: t.tenant.rootDepartmentId, password: 'password-123', ...fields,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; name: string };
};

describe('departments', () => {
  it('starts with one top department that cannot be deleted or moved', async () => {
    const list = await t.admin.get('/api/v1/departments');
    const roots = list.body.items.filter((d: { parentId: number | null }) => d.parentId === null);
    expect(roots).toHaveLength(1);
    expect((await t.admin.delete(`/api/v1/departments/${roots[0].id}`)).body.error.code).toBe('ROOT_DEPARTMENT');
    const child = await dept('子部门甲');
    expect((await t.admin.patch(`/api/v1/departments/${roots[0].id}`, { parentId: child })).body.error.code).toBe('ROOT_DEPARTMENT');
  });

  it('refuses deleting a department with sub-departments or members, then deletes it', async () => {
    const parent = await dept('华东大区');
    const child = await dept('上海办事处', parent);
    expect((await t.admin.delete(`/api/v1/departments/${parent}`)).body.error.code).toBe('DEPARTMENT_HAS_CHILDREN');
    const member = await user({ departmentId: child });
    const refused = await t.admin.delete(`/api/v1/departments/${child}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'DEPARTMENT_HAS_MEMBERS', message: '该部门下还有员工，不能删除' });
    // disabled members still belong to the department
    await t.admin.put(`/api/v1/users/${member.id}/status`, { status: 'disabled' });
    expect((await t.admin.delete(`/api/v1/departments/${child}`)).status).toBe(409);
    await t.admin.patch(`/api/v1/users/${member.id}`, { departmentId: t.tenant.rootDepartmentId });
    expect((await t.admin.delete(`/api/v1/departments/${child}`)).status).toBe(204);
    expect((await t.admin.delete(`/api/v1/departments/${parent}`)).status).toBe(204);
  });

  it('moves a subtree and refuses a move into itself; sibling names are unique', async () => {
    const a = await dept('甲');
    const b = await dept('乙', a);
    const c = await dept('丙', b);
    const cycle = await t.admin.patch(`/api/v1/departments/${a}`, { parentId: c });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error).toMatchObject({ code: 'TREE_CYCLE', fields: [{ path: 'parentId' }] });
    expect((await t.admin.patch(`/api/v1/departments/${b}`, { parentId: t.tenant.rootDepartmentId })).status).toBe(200);
    // a user whose scope is "department and sub-departments" of 甲 no longer reaches 丙
    const headOfA = await user({ departmentId: a, roleIds: [t.tenant.roleIds.sales_director] });
    const inC = await user({ departmentId: c });
    const customer = await t.admin.post('/api/v1/customers', { name: '丙的客户', ownerId: inC.id });
    const head = await signedInAs(t.db, t.url, t.tenant.tenantId, headOfA.id);
    expect((await head.get(`/api/v1/customers/${customer.body.id}`)).status).toBe(404);
    await t.admin.patch(`/api/v1/departments/${b}`, { parentId: a });
    expect((await head.get(`/api/v1/customers/${customer.body.id}`)).status).toBe(200);
    const dup = await t.admin.post('/api/v1/departments', { name: '乙', parentId: a });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', fields: [{ path: 'name' }] });
  });
});

describe('users', () => {
  it('refuses duplicate mobile numbers and e-mails, and bad formats', async () => {
    await user({ mobile: '13700000001' });
    const dupMobile = await t.admin.post('/api/v1/users', { name: 'x', mobile: '137 0000 0001', departmentId: t.tenant.rootDepartmentId, password: 'password-123' });
    expect(dupMobile.status).toBe(409);
    expect(dupMobile.body.error).toMatchObject({ code: 'DUPLICATE', message: '手机号已存在', fields: [{ path: 'mobile' }] });
    const dupEmail = await t.admin.post('/api/v1/users', { name: 'x', email: 'USER1@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123' });
    expect(dupEmail.body.error.fields[0].path).toBe('email');
    const bad = await t.admin.post('/api/v1/users', { name: 'x', mobile: '12345', departmentId: t.tenant.rootDepartmentId, password: 'password-123' });
    expect(bad.body.error.fields).toEqual([{ path: 'mobile', message: '请输入正确的 11 位手机号' }]);
    const neither = await t.admin.post('/api/v1/users', { name: 'x', departmentId: t.tenant.rootDepartmentId, password: 'password-123' });
    expect(neither.body.error.fields).toEqual([{ path: 'mobile', message: '手机号和邮箱至少填写一项' }]);
  });

  it('keeps the superior chain acyclic and scopes follow it at any depth', async () => {
    const boss = await user({ roleIds: [t.tenant.roleIds.sales_manager] });
    const middle = await user({ superiorId: boss.id });
    const bottom = await user({ superiorId: middle.id });
    const cycle = await t.admin.patch(`/api/v1/users/${boss.id}`, { superiorId: bottom.id });
    expect(cycle.body.error).toMatchObject({ code: 'TREE_CYCLE', fields: [{ path: 'superiorId' }] });
    const customer = await t.admin.post('/api/v1/customers', { name: '底层的客户', ownerId: bottom.id });
    const bossClient = await signedInAs(t.db, t.url, t.tenant.tenantId, boss.id);
    expect((await bossClient.get(`/api/v1/customers/${customer.body.id}`)).status).toBe(200);
    await t.admin.patch(`/api/v1/users/${middle.id}`, { superiorId: null });
    expect((await bossClient.get(`/api/v1/customers/${customer.body.id}`)).status).toBe(404);
    const history = await t.admin.get(`/api/v1/audit/operations?entity=user&recordId=${middle.id}`);
    expect(history.body.items[0].changes).toEqual([{ field: 'superiorId', before: boss.id, after: null }]);
  });

  it('never deletes users; disabling signs them out; the last super administrator stays', async () => {
    const someone = await user();
    expect((await t.admin.delete(`/api/v1/users/${someone.id}`)).status).toBe(404);
    const session = await t.client().login(`user${userNo}@acme.test`, 'password-123');
    await t.admin.put(`/api/v1/users/${someone.id}/status`, { status: 'disabled' });
    expect((await session.get('/api/v1/auth/me')).status).toBe(401);
    expect((await t.admin.get(`/api/v1/users/${someone.id}`)).body.status).toBe('disabled');

    const self = await t.admin.put(`/api/v1/users/${t.tenant.adminId}/status`, { status: 'disabled' });
    expect(self.body.error.code).toBe('NOT_SELF');
    const demote = await t.admin.patch(`/api/v1/users/${t.tenant.adminId}`, { isSuperAdmin: false });
    expect(demote.body.error.code).toBe('LAST_SUPER_ADMIN');
    const second = await user({ isSuperAdmin: true });
    const secondClient = await signedInAs(t.db, t.url, t.tenant.tenantId, second.id);
    // with two, one may be demoted, but then the other is the last one again
    expect((await secondClient.patch(`/api/v1/users/${t.tenant.adminId}`, { isSuperAdmin: false })).status).toBe(200);
    expect((await secondClient.patch(`/api/v1/users/${second.id}`, { isSuperAdmin: false })).body.error.code).toBe('LAST_SUPER_ADMIN');
    expect((await secondClient.patch(`/api/v1/users/${t.tenant.adminId}`, { isSuperAdmin: true })).status).toBe(200);
  });

  it('does not let a user manager grant more than they hold', async () => {
    const manager = await t.admin.post('/api/v1/roles', { name: '人事', permissions: ['user.view', 'user.manage', 'customer.view'], dataScopes: {} });
    const hr = await user({ roleIds: [manager.body.id] });
    const client = await signedInAs(t.db, t.url, t.tenant.tenantId, hr.id);
    const withAdmin = await client.post('/api/v1/users', {
      name: 'x', email: 'esc@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.admin],
    });
    expect(withAdmin.status).toBe(403);
    expect(withAdmin.body.error.code).toBe('PRIVILEGE_ESCALATION');
    const superAdmin = await client.post('/api/v1/users', {
      name: 'x', email: 'esc2@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', isSuperAdmin: true,
    });
    expect(superAdmin.body.error.code).toBe('SUPER_ADMIN_ONLY');
    expect((await client.patch(`/api/v1/users/${hr.id}`, { roleIds: [t.tenant.roleIds.admin] })).body.error.code).toBe('PRIVILEGE_ESCALATION');
    expect((await client.put(`/api/v1/users/${t.tenant.adminId}/password`, { password: 'taken-over' })).body.error.code).toBe('SUPER_ADMIN_ONLY');
    const allowed = await client.post('/api/v1/users', {
      name: 'ok', email: 'ok@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [manager.body.id],
    });
    expect(allowed.status).toBe(201);
  });
});

describe('roles', () => {
  it('creates, changes and deletes roles from the one permission list', async () => {
    const bad = await t.admin.post('/api/v1/roles', { name: '坏角色', permissions: ['customer.fly'], dataScopes: { customer: 'galaxy' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['dataScopes.customer', 'permissions.0']);
    const role = await t.admin.post('/api/v1/roles', { name: '客服主管', permissions: ['customer.view'], dataScopes: { customer: 'dept' } });
    expect(role.status).toBe(201);
    const changed = await t.admin.patch(`/api/v1/roles/${role.body.id}`, { permissions: ['customer.view', 'customer.edit'], dataScopes: { customer: 'all' } });
    expect(changed.body).toMatchObject({ permissions: ['customer.edit', 'customer.view'], dataScopes: { customer: 'all' } });
    const holder = await user({ roleIds: [role.body.id] });
    const inUse = await t.admin.delete(`/api/v1/roles/${role.body.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.code).toBe('ROLE_IN_USE');
    await t.admin.patch(`/api/v1/users/${holder.id}`, { roleIds: [] });
    expect((await t.admin.delete(`/api/v1/roles/${role.body.id}`)).status).toBe(204);
    const log = await t.admin.get(`/api/v1/audit/operations?entity=role&recordId=${role.body.id}`);
    expect(log.body.items.map((i: { action: string }) => i.action)).toEqual(['delete', 'update', 'create']);
    expect(log.body.items[1].changes).toContainEqual({ field: 'dataScopes', before: { customer: 'dept' }, after: { customer: 'all' } });
  });

  it('has the default roles', async () => {
    const roles = (await t.admin.get('/api/v1/roles')).body.items.map((r: { code: string }) => r.code);
    expect(roles).toEqual(expect.arrayContaining(['admin', 'sales_director', 'sales_manager', 'sales_rep', 'service_agent', 'marketing', 'finance']));
  });

  it('a change to a role applies to the next request of its holders', async () => {
    const role = await t.admin.post('/api/v1/roles', { name: '临时', permissions: ['customer.view'], dataScopes: { customer: 'self' } });
    const holder = await user({ roleIds: [role.body.id] });
    const client = await signedInAs(t.db, t.url, t.tenant.tenantId, holder.id);
    expect((await client.post('/api/v1/customers', { name: 'x' })).status).toBe(403);
    await t.admin.patch(`/api/v1/roles/${role.body.id}`, { permissions: ['customer.view', 'customer.create'] });
    expect((await client.post('/api/v1/customers', { name: 'x' })).status).toBe(201);
  });
});

describe('visibility explained', () => {
  it('names the rules that let a user see a record', async () => {
    const boss = await user({ roleIds: [t.tenant.roleIds.sales_manager] });
    const rep = await user({ superiorId: boss.id, roleIds: [t.tenant.roleIds.sales_rep] });
    const outsider = await user({ roleIds: [t.tenant.roleIds.sales_rep] });
    const c = await t.admin.post('/api/v1/customers', { name: '解释用客户', ownerId: rep.id });
    await t.admin.post(`/api/v1/customers/${c.body.id}/members`, { userId: outsider.id, access: 'read', kind: 'share' });
    const why = (id: number) => t.admin.get(`/api/v1/access/explain?userId=${id}&entity=customer&recordId=${c.body.id}`);
    expect((await why(rep.id)).body.grants).toEqual([{ rule: 'owner' }, expect.objectContaining({ rule: 'role_scope', scope: 'self', roleName: '销售代表' })]);
    expect((await why(boss.id)).body.grants).toEqual([expect.objectContaining({ rule: 'role_scope', scope: 'self_sub', roleName: '销售经理' })]);
    expect((await why(outsider.id)).body).toMatchObject({ visible: true, grants: [{ rule: 'share', access: 'read' }] });
    const stranger = await user({ roleIds: [t.tenant.roleIds.sales_rep] });
    expect((await why(stranger.id)).body).toMatchObject({ visible: false, grants: [] });
    expect((await why(t.tenant.adminId)).body.grants[0]).toEqual({ rule: 'super_admin' });
  });
});
