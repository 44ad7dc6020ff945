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
});
