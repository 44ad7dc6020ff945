import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('recycle bin (CUS-14)', () => {
  it('restores a deleted customer with its contacts, unless its name was taken meanwhile', async () => {
    const c = (await t.admin.post('/api/v1/customers', { name: '可恢复客户' })).body;
    await t.admin.post('/api/v1/contacts', { customerId: c.id, name: '随客户回来' });
    expect((await t.admin.delete(`/api/v1/customers/${c.id}`)).status).toBe(204);
    expect((await t.admin.get(`/api/v1/customers/${c.id}`)).status).toBe(404);
    const bin = (await t.admin.get('/api/v1/recycle-bin?entity=customer')).body.items;
    expect(bin[0]).toMatchObject({ id: c.id, name: '可恢复客户', deletedByName: '管理员' });

    const twin = (await t.admin.post('/api/v1/customers', { name: '可恢复客户' })).body;
    const blocked = await t.admin.post(`/api/v1/recycle-bin/customer/${c.id}/restore`, {});
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.fields[0].path).toBe('name');
    await t.admin.delete(`/api/v1/customers/${twin.id}`);
    expect((await t.admin.post(`/api/v1/recycle-bin/customer/${c.id}/restore`, {})).status).toBe(204);
    expect((await t.admin.get(`/api/v1/contacts?customerId=${c.id}`)).body.items.map((k: { name: string }) => k.name)).toEqual(['随客户回来']);
    expect((await t.admin.get(`/api/v1/customers/${c.id}/history`)).body.items[0].action).toBe('restore');
  });

  it('erases a customer and everything that hangs on it, keeping the operation log', async () => {
    const c = (await t.admin.post('/api/v1/customers', { name: '彻底删除客户', addresses: [{ tag: 'office', detail: '某处' }] })).body;
    const k = (await t.admin.post('/api/v1/contacts', { customerId: c.id, name: '一起删除' })).body;
    const f = (await t.admin.post('/api/v1/followups', { entityType: 'contact', entityId: k.id, typeCode: 'phone', content: '通话' })).body;
    await t.admin.post(`/api/v1/followups/${f.id}/comments`, { content: '好' });
    expect((await t.admin.delete(`/api/v1/recycle-bin/customer/${c.id}`)).status).toBe(404); // not deleted yet
    await t.admin.delete(`/api/v1/customers/${c.id}`);
    expect((await t.admin.delete(`/api/v1/recycle-bin/customer/${c.id}`)).status).toBe(204);
    const left = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.one<{ customers: number; contacts: number; followups: number; audit: number }>(sql`SELECT
        (SELECT count(*) FROM customers WHERE id = ${c.id}) AS customers,
        (SELECT count(*) FROM contacts WHERE id = ${k.id}) AS contacts,
        (SELECT count(*) FROM followups WHERE id = ${f.id}) AS followups,
        (SELECT count(*) FROM audit_log WHERE entity_type = 'customer' AND record_id = ${c.id}) AS audit`),
    );
    expect(left).toEqual({ customers: 0, contacts: 0, followups: 0, audit: 3 }); // create, delete, purge
  });

  it('is for administrators only', async () => {
    const u = await t.admin.post('/api/v1/users', {
      name: '普通代表', email: 'bin@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    expect((await rep.get('/api/v1/recycle-bin?entity=customer')).status).toBe(403);
  });

  it('lists, restores and erases deleted leads, products and opportunities', async () => {
    const lead = (await t.admin.post('/api/v1/leads', { name: '回收站线索', company: '某某公司' })).body;
    const used = (await t.admin.post('/api/v1/products', { code: 'BIN-1', name: '上过商机的产品', price: '10' })).body;
    const spare = (await t.admin.post('/api/v1/products', { code: 'BIN-2', name: '没用过的产品', price: '10' })).body;
    const customer = (await t.admin.post('/api/v1/customers', { name: '商机所属客户' })).body;
    const opp = await t.admin.post('/api/v1/opportunities', { name: '回收站商机', customerId: customer.id, lines: [{ productId: used.id, quantity: '1' }] });
    expect(opp.status, JSON.stringify(opp.body)).toBe(201);
    for (const [path, id] of [['leads', lead.id], ['products', used.id], ['products', spare.id], ['opportunities', opp.body.id]] as const) {
      expect((await t.admin.delete(`/api/v1/${path}/${id}`)).status).toBe(204);
    }
    const names = async (entity: string) => (await t.admin.get(`/api/v1/recycle-bin?entity=${entity}`)).body.items.map((i: { name: string; detail: string | null }) => [i.name, i.detail]);
    expect(await names('lead')).toContainEqual(['回收站线索', '某某公司']);
    expect(await names('product')).toEqual(expect.arrayContaining([['上过商机的产品', null], ['没用过的产品', null]]));
    expect(await names('opportunity')).toContainEqual(['回收站商机', '商机所属客户']);

    // a lead comes back as it was
    expect((await t.admin.post(`/api/v1/recycle-bin/lead/${lead.id}/restore`, {})).status).toBe(204);
    expect((await t.admin.get(`/api/v1/leads/${lead.id}`)).body).toMatchObject({ name: '回收站线索', company: '某某公司' });
    // an opportunity not before its customer
    await t.admin.delete(`/api/v1/customers/${customer.id}`);
    expect((await t.admin.post(`/api/v1/recycle-bin/opportunity/${opp.body.id}/restore`, {})).body.error.code).toBe('BIN_PARENT_DELETED');
    await t.admin.post(`/api/v1/recycle-bin/customer/${customer.id}/restore`, {});
    expect((await t.admin.post(`/api/v1/recycle-bin/opportunity/${opp.body.id}/restore`, {})).status).toBe(204);
    expect((await t.admin.get(`/api/v1/opportunities/${opp.body.id}`)).status).toBe(200);
    // a product on a line stays; an unused one is erased; a restored code must still be free
    const erase = await t.admin.delete(`/api/v1/recycle-bin/product/${used.id}`);
    expect(erase.status).toBe(409);
    expect(erase.body.error.code).toBe('BIN_RECORD_IN_USE');
    expect((await t.admin.delete(`/api/v1/recycle-bin/product/${spare.id}`)).status).toBe(204);
    expect(await names('product')).toEqual([['上过商机的产品', null]]);
    expect((await t.admin.post('/api/v1/products', { code: 'BIN-1', name: '占用编号', price: '1' })).status).toBe(201);
    expect((await t.admin.post(`/api/v1/recycle-bin/product/${used.id}/restore`, {})).body.error.code).toBe('DUPLICATE');
    // a lead is erased with its follow-ups
    await t.admin.post('/api/v1/followups', { entityType: 'lead', entityId: lead.id, typeCode: 'phone', content: '打过电话' });
    await t.admin.delete(`/api/v1/leads/${lead.id}`);
    expect((await t.admin.delete(`/api/v1/recycle-bin/lead/${lead.id}`)).status).toBe(204);
    const left = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.one<{ leads: number; followups: number }>(sql`SELECT (SELECT count(*)::int FROM leads WHERE id = ${lead.id}) AS leads,
        (SELECT count(*)::int FROM followups WHERE lead_id = ${lead.id}) AS followups`),
    );
    expect(left).toEqual({ leads: 0, followups: 0 });
  });
});
