import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import type { ApiClient } from '../../../../test/helpers/api.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const contactNames = async (client: ApiClient, q: string) =>
  (await client.get(`/api/v1/search?q=${encodeURIComponent(q)}`)).body.contacts.map((k: { name: string }) => k.name).sort();

describe('quick search of contacts through contact_search_keys (CUS-15)', () => {
  it('finds contacts by name, pinyin and the start of a mobile, landline or e-mail, within the tenant and the scope', async () => {
    const repUser = await t.admin.post('/api/v1/users', {
      name: '查找代表', email: 'finder@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, repUser.body.id);
    const mine = (await rep.post('/api/v1/customers', { name: '代表自己的客户' })).body;
    const theirs = (await t.admin.post('/api/v1/customers', { name: '管理员的客户' })).body;
    expect((await rep.post('/api/v1/contacts', { customerId: mine.id, name: '司马相如', mobile: '13987650001', phone: '010-6655 4433', email: 'Sima.XR@Example.cn' })).status).toBe(201);
    await t.admin.post('/api/v1/contacts', { customerId: theirs.id, name: '司马光', mobile: '13987650002', phone: '010-6655 9999', email: 'sima.guang@example.cn' });
    // the same names in another tenant
    const other = await t.addTenant('searchother');
    const otherCustomer = (await other.admin.post('/api/v1/customers', { name: '别家客户' })).body;
    await other.admin.post('/api/v1/contacts', { customerId: otherCustomer.id, name: '司马相如', mobile: '13987650003', email: 'sima.xr@other.cn' });

    expect(await contactNames(t.admin, '司马')).toEqual(['司马光', '司马相如']);
    expect(await contactNames(t.admin, 'smxr')).toEqual(['司马相如']);
    expect(await contactNames(t.admin, 'simaguang')).toEqual(['司马光']);
    expect(await contactNames(t.admin, '1398765')).toEqual(['司马光', '司马相如']);
    // a landline by the start of its digits, typed with or without separators
    expect(await contactNames(t.admin, '010-66554')).toEqual(['司马相如']);
    expect(await contactNames(t.admin, '0106655')).toEqual(['司马光', '司马相如']);
    // an e-mail address by its start, in any case
    expect(await contactNames(t.admin, 'SIMA.x')).toEqual(['司马相如']);
    expect(await contactNames(t.admin, 'sima.guang@example.cn')).toEqual(['司马光']);
    // what a prefix does not match: the middle of a number or an address
    expect(await contactNames(t.admin, '4433')).toEqual([]);
    expect(await contactNames(t.admin, 'example')).toEqual([]);
    // the list and its count go the same way
    expect((await t.admin.get('/api/v1/contacts?q=1398765')).body.items).toHaveLength(2);
    expect((await t.admin.get('/api/v1/contacts/count?q=1398765')).body.total).toBe(2);

    // the rep sees only the contacts of the rep's own customers; the other tenant only its own
    expect(await contactNames(rep, '司马')).toEqual(['司马相如']);
    expect(await contactNames(rep, '1398765')).toEqual(['司马相如']);
    expect(await contactNames(rep, 'sima')).toEqual(['司马相如']);
    expect((await rep.get('/api/v1/contacts/count?q=司马')).body.total).toBe(1);
    const found = (await other.admin.get('/api/v1/search?q=smxr')).body.contacts;
    expect(found.map((k: { email: string }) => k.email)).toEqual(['sima.xr@other.cn']);
    expect(await contactNames(other.admin, '司马光')).toEqual([]);
  });
});
