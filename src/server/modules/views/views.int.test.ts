import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('saved filter views and columns (CUS-15)', () => {
  it('keeps private views private, shares views for everyone, and remembers columns per user', async () => {
    const u = await t.admin.post('/api/v1/users', {
      name: '场景代表', email: 'views@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    const mine = await rep.post('/api/v1/views?entity=customer', { name: '我的A级客户', filters: { levelCode: 'a', view: 'mine' }, columns: ['name', 'levelCode'] });
    expect(mine.status).toBe(201);
    expect((await rep.post('/api/v1/views?entity=customer', { name: '想共享', shared: true })).status).toBe(403);
    expect((await rep.post('/api/v1/views?entity=customer', { name: '带分页', filters: { cursor: 'x' } })).status).toBe(400);
    const shared = await t.admin.post('/api/v1/views?entity=customer', { name: '全公司重点客户', shared: true, filters: { tag: '重点客户' } });
    await t.admin.post('/api/v1/views?entity=customer', { name: '管理员私有', filters: {} });

    const repViews = (await rep.get('/api/v1/views?entity=customer')).body.items.map((v: { name: string; mine: boolean }) => [v.name, v.mine]);
    expect(repViews).toEqual([['我的A级客户', true], ['全公司重点客户', false]]);
    expect((await rep.delete(`/api/v1/views/${shared.body.id}`)).status).toBe(403);
    expect((await t.admin.delete(`/api/v1/views/${mine.body.id}`)).status).toBe(404); // not shared: not there for others

    expect((await rep.get('/api/v1/list-columns?entity=customer')).body).toEqual({ columns: null });
    await rep.put('/api/v1/list-columns?entity=customer', { columns: ['code', 'name', 'ownerName'] });
    expect((await rep.get('/api/v1/list-columns?entity=customer')).body).toEqual({ columns: ['code', 'name', 'ownerName'] });
    expect((await t.admin.get('/api/v1/list-columns?entity=customer')).body).toEqual({ columns: null });
  });
});
