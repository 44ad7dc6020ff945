import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const full = {
  name: '深圳云帆科技有限公司',
  kind: 'enterprise',
  industryCode: 'software',
  sourceCode: 'exhibition',
  levelCode: 'a',
  employeeCount: 120,
  annualRevenue: '35000000.50',
  provinceCode: '440000',
  cityCode: '440300',
  districtCode: '440305',
  phone: '0755-8888 6666',
  email: 'Info@YunFan.cn',
  website: 'https://yunfan.cn',
  creditCode: '91440300708461136t',
  remark: '展会认识的客户',
  tags: ['重点', '华南', '重点'],
  addresses: [
    { tag: 'registered', provinceCode: '440000', cityCode: '440300', districtCode: '440305', detail: '科技园南区 1 号', postcode: '518057' },
    { tag: 'shipping', provinceCode: '110000', cityCode: '110100', districtCode: '110108', detail: '中关村大街 27 号', isDefault: true },
  ],
};

describe('customer profile (CUS-1, CUS-3, CUS-4, CUS-13)', () => {
  it('creates a customer with every field, numbered by the company pattern', async () => {
    const res = await t.admin.post('/api/v1/customers', full);
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^KH\d{8}\d{4}$/);
    const detail = (await t.admin.get(`/api/v1/customers/${res.body.id}`)).body;
    expect(detail).toMatchObject({
      statusCode: 'new',
      industryCode: 'software',
      annualRevenue: '35000000.50',
      regionName: '广东省 / 深圳市 / 南山区',
      email: 'info@yunfan.cn',
      creditCode: '91440300708461136T',
      tags: ['重点', '华南'],
    });
    expect(detail.addresses.map((a: { tag: string; isDefault: boolean; regionName: string }) => [a.tag, a.isDefault, a.regionName])).toEqual([
      ['shipping', true, '北京市 / 海淀区'],
      ['registered', false, '广东省 / 深圳市 / 南山区'],
    ]);
    const second = await t.admin.post('/api/v1/customers', { name: '第二家客户' });
    expect(Number(second.body.code.slice(-4))).toBe(Number(res.body.code.slice(-4)) + 1);
  });

  it('refuses a second customer of the same name, whatever the spaces, case or brackets', async () => {
    await t.admin.post('/api/v1/customers', { name: '广州云帆(集团)有限公司' });
    for (const name of ['广州云帆（集团）有限公司', ' 广州云帆 (集团)有限公司 ']) {
      const dup = await t.admin.post('/api/v1/customers', { name });
      expect(dup.status, name).toBe(409);
      expect(dup.body.error).toMatchObject({ code: 'DUPLICATE_RECORD', fields: [{ path: 'name' }] });
      expect(dup.body.error.message).toBe('名称与已有记录“广州云帆（集团）有限公司”重复（负责人：管理员）');
    }
    const custom = await t.admin.post('/api/v1/customers', { name: '自定义编号客户', code: 'VIP-001' });
    expect(custom.body.code).toBe('VIP-001');
    const dupCode = await t.admin.post('/api/v1/customers', { name: '另一个客户', code: 'VIP-001' });
    expect(dupCode.status).toBe(409);
    expect(dupCode.body.error.fields[0].path).toBe('code');
  });

  it('checks formats and references, naming every field at fault', async () => {
    const bad = await t.admin.post('/api/v1/customers', {
      name: '格式错误客户',
      creditCode: '91440300708461136A',
      phone: '12345',
      email: 'not-an-email',
      annualRevenue: '1.234',
      addresses: [{ tag: 'office', postcode: '5180' }],
    });
    expect(bad.status).toBe(400);
    const fields = Object.fromEntries(bad.body.error.fields.map((f: { path: string; message: string }) => [f.path, f.message]));
    expect(fields).toMatchObject({
      creditCode: expect.stringContaining('统一社会信用代码'),
      phone: expect.stringContaining('电话'),
      email: '请输入正确的邮箱地址',
      annualRevenue: expect.stringContaining('两位小数'),
      'addresses.0.postcode': expect.stringContaining('6 位'),
    });
    const region = await t.admin.post('/api/v1/customers', { name: '地区错误客户', provinceCode: '110000', cityCode: '440300' });
    expect(region.body.error.fields).toEqual([{ path: 'cityCode', message: '省、市、区不匹配' }]);
    const dict = await t.admin.post('/api/v1/customers', { name: '字典错误客户', levelCode: 'zzz' }, { 'x-crm-locale': 'en' });
    expect(dict.body.error.fields).toEqual([{ path: 'levelCode', message: 'No such option, or it is disabled' }]);
  });

  it('follows the allowed status transitions', async () => {
    const c = (await t.admin.post('/api/v1/customers', { name: '状态流转客户' })).body;
    const skip = await t.admin.patch(`/api/v1/customers/${c.id}`, { statusCode: 'won' });
    expect(skip.status).toBe(400);
    expect(skip.body.error.fields[0]).toEqual({ path: 'statusCode', message: '不能从当前状态改为该状态' });
    expect((await t.admin.patch(`/api/v1/customers/${c.id}`, { statusCode: 'following' })).body.statusCode).toBe('following');
    expect((await t.admin.patch(`/api/v1/customers/${c.id}`, { statusCode: 'won' })).body.statusCode).toBe('won');
  });

  it('edits fields and addresses, logging each change before → after', async () => {
    const c = (await t.admin.post('/api/v1/customers', { name: '编辑测试客户', levelCode: 'c', tags: ['老客户'] })).body;
    const edit = await t.admin.patch(`/api/v1/customers/${c.id}`, {
      levelCode: 'b',
      phone: null,
      tags: ['老客户', '战略'],
      addresses: [{ tag: 'office', provinceCode: '310000', detail: '陆家嘴' }],
    });
    expect(edit.status).toBe(200);
    const history = (await t.admin.get(`/api/v1/customers/${c.id}/history`)).body.items;
    const update = history.find((h: { action: string }) => h.action === 'update');
    const changed = Object.fromEntries(update.changes.map((x: { field: string; before: unknown; after: unknown }) => [x.field, [x.before, x.after]]));
    expect(changed.levelCode).toEqual(['c', 'b']);
    expect(changed.tags).toEqual([['老客户'], ['老客户', '战略']]);
    expect(changed.addresses[0]).toEqual([]);
    expect(changed).not.toHaveProperty('phone'); // null → null is no change
    expect((await t.admin.get(`/api/v1/customers/${c.id}`)).body.addresses[0]).toMatchObject({ tag: 'office', isDefault: true, regionName: '上海市' });
  });

  it('filters by classification, region, tag and lock; an industry includes its sub-industries', async () => {
    const a = (await t.admin.post('/api/v1/customers', { name: '筛选甲', industryCode: 'machinery', provinceCode: '330000', tags: ['展会'] })).body;
    await t.admin.post('/api/v1/customers', { name: '筛选乙', industryCode: 'finance', provinceCode: '330000' });
    const names = async (query: string) =>
      (await t.admin.get(`/api/v1/customers?limit=200&${query}`)).body.items.map((i: { name: string }) => i.name).sort();
    expect(await names('industryCode=manufacturing&provinceCode=330000')).toEqual(['筛选甲']);
    expect(await names('provinceCode=330000')).toEqual(['筛选乙', '筛选甲']);
    expect(await names('tag=展会')).toEqual(['筛选甲']);
    expect((await t.admin.put(`/api/v1/customers/${a.id}/lock`, { locked: true })).body.locked).toBe(true);
    expect(await names('locked=true')).toEqual(['筛选甲']);
    expect((await t.admin.get('/api/v1/customers/count?locked=true')).body.total).toBe(1);
  });
});

describe('dictionaries (SYS-2)', () => {
  it('lets an administrator add, rename and disable items; others only read them', async () => {
    const all = (await t.admin.get('/api/v1/dictionaries')).body;
    expect(all.industry.find((i: { code: string }) => i.code === 'software')).toMatchObject({ parentCode: 'it', label: '软件开发' });
    expect(all.customer_status.find((i: { code: string }) => i.code === 'new').nextCodes).toContain('following');

    const added = await t.admin.post('/api/v1/dictionaries/customer_source', { code: 'wechat_group', label: '微信群' });
    expect(added.status).toBe(201);
    expect((await t.admin.post('/api/v1/dictionaries/customer_source', { code: 'wechat_group', label: '又一个' })).status).toBe(409);
    expect((await t.admin.post('/api/v1/dictionaries/customer_source', { code: 'x', label: '来源', parentCode: 'website' })).status).toBe(400);
    const c = (await t.admin.post('/api/v1/customers', { name: '微信群来的客户', sourceCode: 'wechat_group' })).body;
    expect(c.sourceCode).toBe('wechat_group');

    await t.admin.patch('/api/v1/dictionaries/customer_source/wechat_group', { label: '微信社群', enabled: false });
    const refused = await t.admin.post('/api/v1/customers', { name: '停用来源客户', sourceCode: 'wechat_group' });
    expect(refused.body.error.fields[0].path).toBe('sourceCode');
    // the old record keeps its code, and the label is still there to show it
    const sources = (await t.admin.get('/api/v1/dictionaries')).body.customer_source;
    expect(sources.find((s: { code: string }) => s.code === 'wechat_group')).toMatchObject({ label: '微信社群', enabled: false });

    const repUser = await t.admin.post('/api/v1/users', {
      name: '字典只读', email: 'dict@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, repUser.body.id);
    expect((await rep.get('/api/v1/dictionaries')).status).toBe(200);
    expect((await rep.post('/api/v1/dictionaries/customer_level', { code: 'e', label: 'E' })).status).toBe(403);
  });
});

describe('finding customers and contacts (CUS-15)', () => {
  it('finds by two Chinese characters, pinyin initials, full pinyin, code and mobile, within the scope', async () => {
    const a = (await t.admin.post('/api/v1/customers', { name: '北京云帆信息技术有限公司' })).body;
    await t.admin.post('/api/v1/customers', { name: '上海北京路贸易商行' });
    await t.admin.post('/api/v1/customers', { name: '杭州西湖茶业' });
    await t.admin.post('/api/v1/contacts', { customerId: a.id, name: '欧阳娜娜', mobile: '13612345678' });
    const names = async (q: string) =>
      (await t.admin.get(`/api/v1/customers?limit=200&q=${encodeURIComponent(q)}`)).body.items.map((i: { name: string }) => i.name).sort();
    expect(await names('北京')).toEqual(['上海北京路贸易商行', '北京云帆信息技术有限公司']);
    expect(await names('京云')).toEqual(['北京云帆信息技术有限公司']);
    expect(await names('bjyf')).toEqual(['北京云帆信息技术有限公司']);
    expect(await names('BeiJingYun')).toEqual(['北京云帆信息技术有限公司']);
    expect(await names('西')).toEqual(['杭州西湖茶业']);
    expect(await names(a.code)).toEqual(['北京云帆信息技术有限公司']);
    expect((await t.admin.get('/api/v1/customers/count?q=北京')).body.total).toBe(2);

    const quick = (await t.admin.get('/api/v1/search?q=oyn')).body;
    expect(quick.contacts.map((k: { name: string }) => k.name)).toEqual(['欧阳娜娜']);
    expect((await t.admin.get('/api/v1/search?q=136 1234')).body.contacts.map((k: { name: string }) => k.name)).toEqual(['欧阳娜娜']);
    expect((await t.admin.get('/api/v1/search?q=云帆信息')).body.customers.map((c: { name: string }) => c.name)).toEqual(['北京云帆信息技术有限公司']);

    // a rep finds nothing of what the rep may not see
    const repUser = await t.admin.post('/api/v1/users', {
      name: '搜索代表', email: 'search@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, repUser.body.id);
    expect((await rep.get('/api/v1/search?q=北京')).body).toEqual({ customers: [], contacts: [] });
    expect((await rep.get('/api/v1/search?q=13612')).body.contacts).toEqual([]);
  });
});
