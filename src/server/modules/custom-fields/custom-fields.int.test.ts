import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';
import { NARROW_RANGE_MAX } from './custom-values.js';

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

  it('reads a narrow number range by id and a wide one by walking the list, to the same rows', async () => {
    const score = await field({ entity: 'customer', label: '评分', type: 'number' });
    const tenantId = t.tenant.tenantId;
    // more records in range than NARROW_RANGE_MAX, written as the app keeps them (value and its copy)
    await t.db.tenant({ tenantId }, async (q) => {
      await q.query(sql`INSERT INTO customers (tenant_id, code, name, owner_id, custom, updated_at)
        SELECT ${tenantId}, 'RG' || g, '评分客户' || g, ${t.tenant.adminId}, jsonb_build_object(${score.key}::text, g), '2025-01-01'::timestamptz + g * interval '1 minute'
        FROM generate_series(1, ${NARROW_RANGE_MAX + 50}) g`);
      await q.query(sql`INSERT INTO custom_field_numbers (tenant_id, field_id, record_id, value)
        SELECT tenant_id, ${score.id}, id, (custom ->> ${score.key})::float8 FROM customers WHERE tenant_id = ${tenantId} AND code LIKE 'RG%'`);
    });
    try {
      const page = async (filter: object) =>
        (await t.admin.get(`/api/v1/customers?limit=20&custom=${encodeURIComponent(JSON.stringify(filter))}`)).body.items.map((c: { name: string }) => c.name);
      const expected = (from: number, to: number) => Array.from({ length: Math.min(20, to - from + 1) }, (_, i) => `评分客户${to - i}`);
      // narrow: 30 matches; wide: all of them, newest (highest score) first either way
      expect(await page({ [score.key]: { gte: 101, lte: 130 } })).toEqual(expected(101, 130));
      expect(await page({ [score.key]: { gte: 1 } })).toEqual(expected(1, NARROW_RANGE_MAX + 50));
      expect(await page({ [score.key]: { lte: NARROW_RANGE_MAX + 1 } })).toEqual(expected(1, NARROW_RANGE_MAX + 1));
      const count = await t.admin.get(`/api/v1/customers/count?custom=${encodeURIComponent(JSON.stringify({ [score.key]: { gte: 11 } }))}`);
      expect(count.body.total).toBe(NARROW_RANGE_MAX + 40);
    } finally {
      await t.db.tenant({ tenantId }, (q) => q.query(sql`DELETE FROM custom_field_numbers WHERE tenant_id = ${tenantId} AND field_id = ${score.id}`));
      await t.db.tenant({ tenantId }, (q) => q.query(sql`DELETE FROM customers WHERE tenant_id = ${tenantId} AND code LIKE 'RG%'`));
    }
  });

  it('filters text by a part of it and choices and users by any of several values', async () => {
    const note = await field({ entity: 'customer', label: '备注标记', type: 'text' });
    const region = await field({ entity: 'customer', label: '大区', type: 'select', options: [{ value: 'n', label: '华北' }, { value: 's', label: '华南' }, { value: 'e', label: '华东' }] });
    const lines = await field({ entity: 'customer', label: '产品线', type: 'multiselect', options: [{ value: 'x', label: 'X 线' }, { value: 'y', label: 'Y 线' }, { value: 'z', label: 'Z 线' }] });
    const buddy = await field({ entity: 'customer', label: '对接人', type: 'user' });
    await t.admin.post('/api/v1/customers', { name: '筛选丙', custom: { [note.key]: '重点 VIP 客户', [region.key]: 'n', [lines.key]: ['x'], [buddy.key]: t.tenant.adminId } });
    await t.admin.post('/api/v1/customers', { name: '筛选丁', custom: { [note.key]: '普通', [region.key]: 's', [lines.key]: ['y', 'z'] } });
    await t.admin.post('/api/v1/customers', { name: '筛选戊', custom: { [region.key]: 'e' } });
    const names = async (filter: object) => {
      const res = await t.admin.get(`/api/v1/customers?limit=200&q=筛选&custom=${encodeURIComponent(JSON.stringify(filter))}`);
      expect(res.status).toBe(200);
      return res.body.items.map((c: { name: string }) => c.name).sort();
    };
    expect(await names({ [note.key]: { contains: 'vip' } })).toEqual(['筛选丙']);
    expect(await names({ [note.key]: { contains: '%' } })).toEqual([]); // no wildcard
    expect(await names({ [region.key]: { in: ['n', 's'] } })).toEqual(['筛选丁', '筛选丙']);
    expect(await names({ [lines.key]: { in: ['z', 'x'] } })).toEqual(['筛选丁', '筛选丙']);
    expect(await names({ [buddy.key]: { in: [t.tenant.adminId] } })).toEqual(['筛选丙']);
    // conditions on several fields all hold
    expect(await names({ [region.key]: { in: ['n', 's'] }, [lines.key]: { in: ['y'] } })).toEqual(['筛选丁']);
    const wrongType = await t.admin.get(`/api/v1/customers?custom=${encodeURIComponent(JSON.stringify({ [region.key]: { contains: 'n' } }))}`);
    expect(wrongType.body.error.fields[0].path).toBe(`custom.${region.key}`);
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

  it('filters the contact and lead lists on custom fields, within the data scope', async () => {
    const rep = async (email: string): Promise<ApiClient> => {
      const u = await t.admin.post('/api/v1/users', { name: email, email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep] });
      return signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    };
    const [rep1, rep2] = [await rep('cf-rep1@acme.test'), await rep('cf-rep2@acme.test')];
    const tier = await field({ entity: 'contact', label: '联系人级别', type: 'select', options: [{ value: 'vip', label: '贵宾' }, { value: 'std', label: '普通' }] });
    const age = await field({ entity: 'contact', label: '年龄', type: 'number' });
    const expected = await field({ entity: 'lead', label: '预计成交', type: 'date' });
    const channel = await field({ entity: 'lead', label: '渠道', type: 'multiselect', options: [{ value: 'web', label: '网站' }, { value: 'fair', label: '展会' }] });

    for (const [who, suffix, ageValue, day] of [[rep1, '甲', 30, '2027-01-10'], [rep2, '乙', 45, '2027-06-01']] as const) {
      const c = (await who.post('/api/v1/customers', { name: `筛选客户${suffix}` })).body;
      expect((await who.post('/api/v1/contacts', { customerId: c.id, name: `联系人${suffix}`, custom: { [tier.key]: 'vip', [age.key]: ageValue } })).status).toBe(201);
      await who.post('/api/v1/contacts', { customerId: c.id, name: `普通联系人${suffix}`, custom: { [tier.key]: 'std' } });
      expect((await who.post('/api/v1/leads', { name: `筛选线索${suffix}`, custom: { [expected.key]: day, [channel.key]: ['web', 'fair'] } })).status).toBe(201);
      await who.post('/api/v1/leads', { name: `无字段线索${suffix}` });
    }

    const query = (filter: object) => `custom=${encodeURIComponent(JSON.stringify(filter))}`;
    const names = async (who: ApiClient, path: string, filter: object) => {
      const page = await who.get(`/api/v1/${path}?limit=200&${query(filter)}`);
      expect(page.status).toBe(200);
      const total = (await who.get(`/api/v1/${path}/count?${query(filter)}`)).body.total;
      const list = page.body.items.map((r: { name: string }) => r.name).sort();
      expect(total).toBe(list.length);
      return list;
    };
    expect(await names(t.admin, 'contacts', { [tier.key]: { eq: 'vip' } })).toEqual(['联系人乙', '联系人甲']);
    expect(await names(t.admin, 'contacts', { [age.key]: { gte: 40 } })).toEqual(['联系人乙']);
    expect(await names(t.admin, 'leads', { [expected.key]: { lte: '2027-03-01' } })).toEqual(['筛选线索甲']);
    expect(await names(t.admin, 'leads', { [channel.key]: { eq: 'fair' } })).toEqual(['筛选线索乙', '筛选线索甲']);
    // a filter narrows what the scope shows; it never widens it
    expect(await names(rep1, 'contacts', { [tier.key]: { eq: 'vip' } })).toEqual(['联系人甲']);
    expect(await names(rep2, 'contacts', { [age.key]: { lte: 40 } })).toEqual([]);
    expect(await names(rep2, 'leads', { [channel.key]: { eq: 'web' } })).toEqual(['筛选线索乙']);
    expect(await names(rep1, 'leads', { [expected.key]: { gte: '2027-05-01' } })).toEqual([]);
    // another entity's field is no filter here
    const wrong = await t.admin.get(`/api/v1/contacts?${query({ [expected.key]: { eq: 'x' } })}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields[0].path).toBe(`custom.${expected.key}`);
  });

  it('converts a lead when the customer and contact have required custom fields', async () => {
    const size = await field({ entity: 'customer', label: '企业规模', type: 'select', required: true, options: [{ value: 'big', label: '大型' }, { value: 'small', label: '小型' }] });
    const duty = await field({ entity: 'contact', label: '分管业务', type: 'text', required: true });
    const lead = (await t.admin.post('/api/v1/leads', { name: '转化人', company: '必填字段转化公司' })).body;
    const convert = (body: object) => t.admin.post(`/api/v1/leads/${lead.id}/convert`, body);

    const missing = await convert({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toEqual([{ path: `customerCustom.${size.key}`, message: '请填写此项' }]);
    const noContactValue = await convert({ customerCustom: { [size.key]: 'big' } });
    expect(noContactValue.body.error.fields).toEqual([{ path: `contactCustom.${duty.key}`, message: '请填写此项' }]);
    expect((await t.admin.get(`/api/v1/customers?q=${encodeURIComponent('必填字段转化公司')}`)).body.items).toEqual([]); // nothing half done

    const done = await convert({ customerCustom: { [size.key]: 'big' }, contactCustom: { [duty.key]: '采购' } });
    expect(done.status).toBe(200);
    expect((await t.admin.get(`/api/v1/customers/${done.body.customerId}`)).body.custom).toEqual({ [size.key]: 'big' });
    expect((await t.admin.get(`/api/v1/contacts/${done.body.contactId}`)).body.custom).toEqual({ [duty.key]: '采购' });
    // the other tests create customers and contacts without these
    await t.admin.patch(`/api/v1/custom-fields/${size.id}`, { enabled: false });
    await t.admin.patch(`/api/v1/custom-fields/${duty.id}`, { enabled: false });
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
