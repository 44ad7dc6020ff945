import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('duplicate rules (CUS-12)', () => {
  it('refuses or warns per rule, on create and edit, naming the record duplicated', async () => {
    const a = (await t.admin.post('/api/v1/customers', { name: '查重甲', phone: '0755-8888 6666', creditCode: '91110108551385082Q' })).body;
    // a credit code already in use: refused
    const byCode = await t.admin.post('/api/v1/customers', { name: '查重乙', creditCode: '91110108551385082q' });
    expect(byCode.status).toBe(409);
    expect(byCode.body.error).toMatchObject({ code: 'DUPLICATE_RECORD', fields: [{ path: 'creditCode' }] });
    expect(byCode.body.error.message).toContain('查重甲');
    // the same phone written otherwise: a warning for the form, not a refusal
    const check = await t.admin.post('/api/v1/duplicates/check', { entity: 'customer', values: { name: '查重乙', phone: '(0755)88886666' } });
    expect(check.body.matches).toEqual([{ field: 'phone', mode: 'warn', id: a.id, name: '查重甲', ownerName: '管理员', customerName: null }]);
    const b = await t.admin.post('/api/v1/customers', { name: '查重乙', phone: '075588886666' });
    expect(b.status).toBe(201);
    // editing into a duplicate is refused too; a record is no duplicate of itself
    expect((await t.admin.patch(`/api/v1/customers/${b.body.id}`, { creditCode: '91110108551385082Q' })).status).toBe(409);
    expect((await t.admin.patch(`/api/v1/customers/${a.id}`, { creditCode: '91110108551385082Q', remark: '同一条' })).status).toBe(200);

    // an administrator makes phones refuse, and contacts' mobiles refuse
    const rules = await t.admin.put('/api/v1/duplicate-rules', { rules: [{ entity: 'customer', field: 'phone', mode: 'refuse' }, { entity: 'contact', field: 'mobile', mode: 'refuse' }] });
    expect(rules.status).toBe(200);
    expect((await t.admin.post('/api/v1/customers', { name: '查重丙', phone: '0755 8888 6666' })).body.error.fields[0].path).toBe('phone');
    await t.admin.post('/api/v1/contacts', { customerId: a.id, name: '张三', mobile: '13800000001' });
    const dupMobile = await t.admin.post('/api/v1/contacts', { customerId: b.body.id, name: '李四', mobile: '138 0000 0001' });
    expect(dupMobile.body.error).toMatchObject({ code: 'DUPLICATE_RECORD', fields: [{ path: 'mobile' }] });
    // names stay unique whatever the settings
    expect((await t.admin.put('/api/v1/duplicate-rules', { rules: [{ entity: 'customer', field: 'name', mode: 'warn' }] })).status).toBe(400);
  });

  it('tells a rep about a duplicate owned by someone else, without opening it', async () => {
    const owned = (await t.admin.post('/api/v1/customers', { name: '别人的客户' })).body;
    const u = await t.admin.post('/api/v1/users', {
      name: '查重代表', email: 'dup@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    const attempt = await rep.post('/api/v1/customers', { name: '别人的客户' });
    expect(attempt.body.error.message).toBe('名称与已有记录“别人的客户”重复（负责人：管理员）');
    expect((await rep.get(`/api/v1/customers/${owned.id}`)).status).toBe(404);
  });
});

describe('merging customers', () => {
  it('moves contacts, follow-ups, addresses, tags and history to the survivor; the other goes to the bin', async () => {
    const keep = (await t.admin.post('/api/v1/customers', { name: '合并保留', tags: ['老客户'] })).body;
    const gone = (await t.admin.post('/api/v1/customers', { name: '合并并入', tags: ['展会'], addresses: [{ tag: 'office', detail: '旧地址' }] })).body;
    await t.admin.post('/api/v1/contacts', { customerId: keep.id, name: '保留方联系人' });
    const moved = (await t.admin.post('/api/v1/contacts', { customerId: gone.id, name: '并入方联系人' })).body;
    await t.admin.post('/api/v1/followups', { entityType: 'customer', entityId: gone.id, typeCode: 'visit', content: '并入方的拜访' });

    const merged = await t.admin.post(`/api/v1/customers/${keep.id}/merge`, { otherId: gone.id });
    expect(merged.status).toBe(200);
    expect(merged.body.tags.sort()).toEqual(['展会', '老客户']);
    const contacts = (await t.admin.get(`/api/v1/contacts?customerId=${keep.id}`)).body.items;
    expect(contacts.map((k: { name: string; isPrimary: boolean }) => [k.name, k.isPrimary])).toEqual([['保留方联系人', true], ['并入方联系人', false]]);
    expect((await t.admin.get(`/api/v1/contacts/${moved.id}`)).body.customerId).toBe(keep.id);
    const followups = (await t.admin.get(`/api/v1/followups?entityType=customer&entityId=${keep.id}`)).body.items;
    expect(followups.map((f: { content: string }) => f.content)).toEqual(['并入方的拜访']);
    expect((await t.admin.get(`/api/v1/customers/${keep.id}`)).body.addresses.map((a: { detail: string }) => a.detail)).toEqual(['旧地址']);
    const history = (await t.admin.get(`/api/v1/customers/${keep.id}/history`)).body.items.map((h: { recordId: number; action: string }) => [h.recordId === keep.id ? 'keep' : 'gone', h.action]);
    expect(history).toEqual(expect.arrayContaining([['keep', 'merge'], ['gone', 'merged_into'], ['gone', 'create'], ['keep', 'create']]));
    expect((await t.admin.get(`/api/v1/customers/${gone.id}`)).status).toBe(404);
    expect((await t.admin.get('/api/v1/recycle-bin?entity=customer')).body.items.map((i: { id: number }) => i.id)).toContain(gone.id);
  });
});
