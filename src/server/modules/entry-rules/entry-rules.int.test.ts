import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const paths = (res: { body: { error?: { fields?: { path: string }[] } } }) => res.body.error?.fields?.map((f) => f.path).sort();

describe('entry rules: required standard fields (CUS-13)', () => {
  it('only administrators of settings choose them; every signed-in user reads them', async () => {
    const u = await t.admin.post('/api/v1/users', {
      name: '规则代表', email: 'rules@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    expect((await rep.get('/api/v1/entry-rules')).body).toEqual({ customer: [], contact: [], lead: [] });
    expect((await rep.put('/api/v1/entry-rules', { customer: ['phone'] })).status).toBe(403);
    expect((await t.admin.put('/api/v1/entry-rules', { customer: ['name'] })).status).toBe(400);
  });

  it('are enforced on create and when an edit clears them, naming the fields', async () => {
    const before = (await t.admin.post('/api/v1/customers', { name: '规则之前的客户' })).body;
    const set = await t.admin.put('/api/v1/entry-rules', { customer: ['industryCode', 'phone', 'addresses'], contact: ['mobile', 'roleCode'], lead: ['mobile', 'company', 'sourceCode'] });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ customer: ['addresses', 'industryCode', 'phone'], contact: ['mobile', 'roleCode'], lead: ['company', 'mobile', 'sourceCode'] });
    // an entity left out keeps its rules
    expect((await t.admin.put('/api/v1/entry-rules', { lead: ['mobile', 'company', 'sourceCode'] })).body.customer).toEqual(['addresses', 'industryCode', 'phone']);

    const missing = await t.admin.post('/api/v1/customers', { name: '缺字段的客户', industryCode: null, addresses: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    expect(paths(missing)).toEqual(['addresses', 'industryCode', 'phone']);
    expect(missing.body.error.fields[0].message).toBe('请填写此项');
    const full = await t.admin.post('/api/v1/customers', { name: '字段齐全的客户', industryCode: 'software', phone: '0755-88886666', addresses: [{ tag: 'office', detail: '南山区科技园' }] });
    expect(full.status).toBe(201);
    expect(paths(await t.admin.patch(`/api/v1/customers/${full.body.id}`, { phone: null, remark: '清空电话' }))).toEqual(['phone']);
    expect(paths(await t.admin.patch(`/api/v1/customers/${full.body.id}`, { addresses: [] }))).toEqual(['addresses']);
    expect((await t.admin.get(`/api/v1/customers/${full.body.id}`)).body.phone).toBe('0755-88886666');
    // a customer from before the rule may still be edited without filling them in
    expect((await t.admin.patch(`/api/v1/customers/${before.id}`, { remark: '补充备注' })).status).toBe(200);

    const contact = await t.admin.post('/api/v1/contacts', { customerId: full.body.id, name: '没手机的联系人' });
    expect(paths(contact)).toEqual(['mobile', 'roleCode']);
    const k = await t.admin.post('/api/v1/contacts', { customerId: full.body.id, name: '有手机的联系人', mobile: '13700007777', roleCode: 'decision_maker' });
    expect(k.status).toBe(201);
    expect(paths(await t.admin.patch(`/api/v1/contacts/${k.body.id}`, { roleCode: null }))).toEqual(['roleCode']);

    expect(paths(await t.admin.post('/api/v1/leads', { name: '空线索' }))).toEqual(['company', 'mobile', 'sourceCode']);
    const lead = await t.admin.post('/api/v1/leads', { name: '完整线索', company: '规则测试公司', mobile: '13700008888', sourceCode: 'website' });
    expect(lead.status).toBe(201);
    expect(paths(await t.admin.patch(`/api/v1/leads/${lead.body.id}`, { company: '' }))).toEqual(['company']);

    // conversion carries what the lead has: the customer's and contact's rules do not block it
    const converted = await t.admin.post(`/api/v1/leads/${lead.body.id}/convert`, {});
    expect(converted.status).toBe(200);
    expect((await t.admin.get(`/api/v1/customers/${converted.body.customerId}`)).body).toMatchObject({ name: '规则测试公司', industryCode: null });
  });

  it('the public web form enforces only the required fields it collects', async () => {
    await t.admin.put('/api/v1/entry-rules', { lead: ['company', 'industryCode'] });
    const form = (await t.admin.post('/api/v1/lead-forms', { name: '规则表单' })).body.items.find((f: { name: string }) => f.name === '规则表单');
    const anonymous = t.client();
    const submit = (body: object) => anonymous.post(`/api/v1/public/forms/${form.token}/leads`, { startedAt: Date.now() - 30_000, ...body });
    const refused = await submit({ name: '没填公司' });
    expect(refused.status).toBe(400);
    expect(paths(refused)).toEqual(['company']);
    // the form has no industry field, so a visitor is not asked for it
    expect((await submit({ name: '填了公司', company: '访客公司' })).status).toBe(202);
    const leads = (await t.admin.get('/api/v1/leads?limit=200')).body.items.map((l: { name: string }) => l.name);
    expect(leads).toContain('填了公司');
    expect(leads).not.toContain('没填公司');
  });
});
