import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const field = async (body: object) => {
  const res = await t.admin.post('/api/v1/custom-fields', body);
  expect(res.status).toBe(201);
  return res.body as { key: string; id: number };
};

describe('custom fields (SYS-1)', () => {
  it('stores checked values on customers, and filters on them with an index', async () => {
    const tier = await field({ entity: 'customer', label: '合作等级', type: 'select', options: [{ value: 'gold', label: '金牌' }, { value: 'silver', label: '银牌' }] });
    const seats = await field({ entity: 'customer', label: '座席数', type: 'number' });
    const renewal = await field({ entity: 'customer', label: '续约日期', type: 'date' });
    const brands = await field({ entity: 'customer', label: '代理品牌', type: 'multiselect', options: [{ value: 'a', label: 'A 牌' }, { value: 'b', label: 'B 牌' }] });

    const a = await t.admin.post('/api/v1/customers', { name: '自定义甲', custom: { [tier.key]: 'gold', [seats.key]: 120, [renewal.key]: '2027-03-01', [brands.key]: ['a', 'b'] } });
    expect(a.status).toBe(201);
    expect(a.body.custom).toEqual({ [tier.key]: 'gold', [seats.key]: 120, [renewal.key]: '2027-03-01', [brands.key]: ['a', 'b'] });
    await t.admin.post('/api/v1/customers', { name: '自定义乙', custom: { [tier.key]: 'silver', [seats.key]: 15, [renewal.key]: '2026-12-01', [brands.key]: ['b'] } });

    const names = async (filter: object) =>
      (await t.admin.get(`/api/v1/customers?limit=200&custom=${encodeURIComponent(JSON.stringify(filter))}`)).body.items.map((c: { name: string }) => c.name).sort();
    expect(await names({ [tier.key]: { eq: 'gold' } })).toEqual(['自定义甲']);
    expect(await names({ [seats.key]: { gte: 10, lte: 100 } })).toEqual(['自定义乙']);
    expect(await names({ [renewal.key]: { gte: '2027-01-01' } })).toEqual(['自定义甲']);
    expect(await names({ [brands.key]: { eq: 'b' } })).toEqual(['自定义乙', '自定义甲']);
    const count = await t.admin.get(`/api/v1/customers/count?custom=${encodeURIComponent(JSON.stringify({ [brands.key]: { eq: 'a' } }))}`);
    expect(count.body.total).toBe(1);

    // editing: a null clears, the number copy follows
    await t.admin.patch(`/api/v1/customers/${a.body.id}`, { custom: { [seats.key]: 50, [brands.key]: null } });
    expect(await names({ [seats.key]: { gte: 10, lte: 100 } })).toEqual(['自定义乙', '自定义甲']);
    const detail = (await t.admin.get(`/api/v1/customers/${a.body.id}`)).body;
    expect(detail.custom).toEqual({ [tier.key]: 'gold', [seats.key]: 50, [renewal.key]: '2027-03-01' });
    const history = (await t.admin.get(`/api/v1/customers/${a.body.id}/history`)).body.items[0];
    expect(history.changes).toContainEqual({ field: `custom.${seats.key}`, before: 120, after: 50 });
  });

  it('refuses values that do not fit the field, and enforces required fields', async () => {
    const level = await field({ entity: 'customer', label: '信用等级', type: 'select', options: [{ value: 'aaa', label: 'AAA' }] });
    const budget = await field({ entity: 'customer', label: '预算', type: 'money' });
    const bad = await t.admin.post('/api/v1/customers', { name: '不合规', custom: { [level.key]: 'zzz', [budget.key]: '1.234', cf_nosuchfield: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toMatch(/^custom\.cf_/);
    const must = await field({ entity: 'customer', label: '必填项', type: 'text', required: true });
    const missing = await t.admin.post('/api/v1/customers', { name: '缺必填' });
    expect(missing.body.error.fields).toEqual([{ path: `custom.${must.key}`, message: '请填写此项' }]);
    await t.admin.patch(`/api/v1/custom-fields/${must.id}`, { enabled: false });
    expect((await t.admin.post('/api/v1/customers', { name: '停用后不必填' })).status).toBe(201);
    const badFilter = await t.admin.get(`/api/v1/customers?custom=${encodeURIComponent('{not json')}`);
    expect(badFilter.body.error.fields[0].path).toBe('custom');
  });

  it('works the same on contacts and leads', async () => {
    const hobby = await field({ entity: 'contact', label: '爱好', type: 'text' });
    const budget = await field({ entity: 'lead', label: '预算', type: 'money' });
    const c = (await t.admin.post('/api/v1/customers', { name: '联系人字段客户' })).body;
    const k = await t.admin.post('/api/v1/contacts', { customerId: c.id, name: '钱七', custom: { [hobby.key]: '钓鱼' } });
    expect(k.body.custom).toEqual({ [hobby.key]: '钓鱼' });
    const edited = await t.admin.patch(`/api/v1/contacts/${k.body.id}`, { custom: { [hobby.key]: '登山' } });
    expect(edited.body.custom).toEqual({ [hobby.key]: '登山' });
    const lead = await t.admin.post('/api/v1/leads', { name: '预算线索', custom: { [budget.key]: 50000 } });
    expect(lead.body.custom).toEqual({ [budget.key]: '50000' });
    // a contact field is not a lead field
    expect((await t.admin.post('/api/v1/leads', { name: '错字段', custom: { [hobby.key]: 'x' } })).status).toBe(400);
  });

  it('is defined by administrators only, and read by everyone', async () => {
    const u = await t.admin.post('/api/v1/users', {
      name: '字段只读', email: 'cf@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    expect((await rep.get('/api/v1/custom-fields?entity=customer')).body.items.length).toBeGreaterThan(0);
    expect((await rep.post('/api/v1/custom-fields', { entity: 'customer', label: 'x', type: 'text' })).status).toBe(403);
  });
});
