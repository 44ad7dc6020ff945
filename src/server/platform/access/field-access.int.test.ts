/**
 * Field-level permissions (ORG-6) through the API: a hidden field is empty on
 * every read path (list, detail, search, export, history), cannot be filtered
 * on, written or imported; a read-only field can be sent back unchanged only;
 * a second role without the restriction lifts it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport } from '../../../../test/helpers/export.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { uploadImport } from '../../../../test/helpers/imports.js';

let t: TestApp;
let restricted: ApiClient;
let twoRoles: ApiClient;
let restrictedId: number;
let cf: string;
let roleId: number;

const user = async (name: string, email: string, roleIds: number[]) => {
  const res = await t.admin.post('/api/v1/users', { name, email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
};

beforeAll(async () => {
  t = await startTestApp();
  const field = await t.admin.post('/api/v1/custom-fields', { entity: 'customer', label: '内部评级', type: 'text' });
  expect(field.status).toBe(201);
  cf = field.body.key;
  const roles = (await t.admin.get('/api/v1/roles')).body.items as { code: string | null; permissions: string[] }[];
  const rep = roles.find((r) => r.code === 'sales_rep')!;
  const role = await t.admin.post('/api/v1/roles', {
    name: '受限销售',
    permissions: [...rep.permissions, 'customer.export', 'customer.import', 'product.view', 'product.manage', 'product.stock', 'product.export'],
    dataScopes: { customer: 'self', lead: 'self' },
    fieldAccess: {
      customer: { phone: 'hidden', creditCode: 'readonly', [cf]: 'hidden' },
      contact: { mobile: 'hidden' },
      lead: { email: 'readonly' },
      product: { cost: 'hidden', stock: 'readonly' },
    },
  });
  expect(role.status, JSON.stringify(role.body)).toBe(201);
  roleId = role.body.id;
  restrictedId = await user('受限小王', 'wang@acme.test', [roleId]);
  restricted = await signedInAs(t.db, t.url, t.tenant.tenantId, restrictedId);
  twoRoles = await signedInAs(t.db, t.url, t.tenant.tenantId, await user('双角色小赵', 'zhao@acme.test', [roleId, t.tenant.roleIds.sales_rep]));
});
afterAll(() => t?.close());

/** A valid 统一社会信用代码, different for each n (GB 32100 check character). */
function creditCode(n: number): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const base = `91350100${String(n).padStart(9, '0')}`;
  const sum = [...base].reduce((s, c, i) => s + chars.indexOf(c) * weights[i]!, 0);
  return base + chars[(31 - (sum % 31)) % 31];
}
let customerNo = 0;

/** A customer of the restricted user with every restricted field filled by the administrator, and a contact. */
async function restrictedCustomer(name: string) {
  const credit = creditCode(++customerNo);
  const c = await t.admin.post('/api/v1/customers', {
    name, ownerId: restrictedId, phone: `010-6234567${customerNo}`, creditCode: credit, custom: { [cf]: 'A+' },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const k = await t.admin.post('/api/v1/contacts', { customerId: c.body.id, name: `${name}联系人`, mobile: `1391234567${customerNo}`, email: `k${customerNo}@acme.test` });
  expect(k.status, JSON.stringify(k.body)).toBe(201);
  return { id: c.body.id as number, contactId: k.body.id as number, credit };
}

describe('field-level permissions (ORG-6)', () => {
  it('refuses a role naming a field that cannot be restricted', async () => {
    const bad = await t.admin.post('/api/v1/roles', { name: '坏字段', permissions: [], fieldAccess: { customer: { name: 'hidden', salary: 'readonly' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['fieldAccess.customer.name', 'fieldAccess.customer.salary']);
  });

  it('tells the web what the user may see and change', async () => {
    const me = (await restricted.get('/api/v1/auth/me')).body;
    expect(me.fieldAccess).toEqual({
      customer: { phone: 'hidden', creditCode: 'readonly', [cf]: 'hidden' },
      contact: { mobile: 'hidden' },
      lead: { email: 'readonly' },
      product: { cost: 'hidden', stock: 'readonly' },
    });
    expect((await twoRoles.get('/api/v1/auth/me')).body.fieldAccess).toEqual({});
    expect((await t.admin.get('/api/v1/auth/me')).body.fieldAccess).toEqual({});
  });

  it('leaves hidden fields empty in the list, detail, search and contacts, and out of the history', async () => {
    const { id, contactId } = await restrictedCustomer('隐藏字段科技');
    await t.admin.patch(`/api/v1/customers/${id}`, { phone: '010-62345679' });
    const detail = (await restricted.get(`/api/v1/customers/${id}`)).body;
    expect(detail).toMatchObject({ name: '隐藏字段科技', phone: null, creditCode: creditCode(customerNo) });
    expect(detail.custom).toEqual({});
    const listed = (await restricted.get('/api/v1/customers?q=隐藏字段')).body.items;
    expect(listed).toMatchObject([{ id, phone: null, custom: {} }]);
    const found = (await restricted.get(`/api/v1/search?q=${encodeURIComponent('隐藏字段')}`)).body;
    expect(found.customers).toMatchObject([{ id, phone: null }]);
    expect(found.contacts).toMatchObject([{ id: contactId, mobile: null, email: `k${customerNo}@acme.test` }]);
    expect((await restricted.get(`/api/v1/contacts/${contactId}`)).body).toMatchObject({ mobile: null, email: `k${customerNo}@acme.test` });
    // nor does a hidden number find its record
    const byMobile = (client: ApiClient) => client.get(`/api/v1/contacts?q=${'1391234567' + customerNo}`).then((r) => r.body.items.map((k: { id: number }) => k.id));
    expect(await byMobile(restricted)).toEqual([]);
    expect((await restricted.get(`/api/v1/search?q=${'1391234567' + customerNo}`)).body.contacts).toEqual([]);
    const history = (await restricted.get(`/api/v1/customers/${id}/history`)).body.items as { action: string; changes: { field: string }[] }[];
    const fields = history.flatMap((h) => h.changes.map((c) => c.field));
    expect(fields).toContain('creditCode');
    expect(fields).not.toContain('phone');
    expect(fields).not.toContain(`custom.${cf}`);
    // the same records with a second, unrestricted role: the most open role wins
    await t.admin.post(`/api/v1/customers/${id}/members`, { userId: (await twoRolesId()), kind: 'share', access: 'read' });
    const seen = (await twoRoles.get(`/api/v1/customers/${id}`)).body;
    expect(seen).toMatchObject({ phone: '010-62345679', custom: { [cf]: 'A+' } });
    expect(await byMobile(twoRoles)).toEqual([contactId]);
    // and the administrator's view is untouched
    expect((await t.admin.get(`/api/v1/customers/${id}/history`)).body.items.flatMap((h: { changes: { field: string }[] }) => h.changes.map((c) => c.field))).toContain('phone');
  });

  it('refuses writing a hidden field, and a read-only one unless unchanged', async () => {
    const { id, credit } = await restrictedCustomer('只读字段科技');
    const hidden = await restricted.patch(`/api/v1/customers/${id}`, { phone: '010-60000000' });
    expect(hidden.status).toBe(403);
    expect(hidden.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', fields: [{ path: 'phone' }] });
    // clearing it is a write too
    expect((await restricted.patch(`/api/v1/customers/${id}`, { phone: null })).body.error.code).toBe('FIELD_READ_ONLY');
    expect((await restricted.patch(`/api/v1/customers/${id}`, { custom: { [cf]: 'B' } })).body.error.fields).toEqual([{ path: `custom.${cf}`, message: expect.any(String) }]);
    const changed = await restricted.patch(`/api/v1/customers/${id}`, { creditCode: creditCode(900) });
    expect(changed.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', fields: [{ path: 'creditCode' }] });
    // a form sends the read-only value back as it showed it, with the fields the user did change
    const ok = await restricted.patch(`/api/v1/customers/${id}`, { creditCode: credit, remark: '改了备注' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await t.admin.get(`/api/v1/customers/${id}`)).body).toMatchObject({ phone: `010-6234567${customerNo}`, creditCode: credit, remark: '改了备注', custom: { [cf]: 'A+' } });
    // a new record may leave them empty, not fill them
    expect((await restricted.post('/api/v1/customers', { name: '新建受限科技', phone: '010-61111111' })).body.error.code).toBe('FIELD_READ_ONLY');
    expect((await restricted.post('/api/v1/customers', { name: '新建受限科技', creditCode: creditCode(901) })).body.error.code).toBe('FIELD_READ_ONLY');
    expect((await restricted.post('/api/v1/customers', { name: '新建受限科技', phone: null })).status).toBe(201);
    // contacts and leads follow their own restrictions
    const contact = (await restricted.get(`/api/v1/contacts?customerId=${id}`)).body.items[0];
    expect((await restricted.patch(`/api/v1/contacts/${contact.id}`, { mobile: '13900000000' })).body.error.code).toBe('FIELD_READ_ONLY');
    const lead = await restricted.post('/api/v1/leads', { name: '线索甲', email: 'lead@acme.test' });
    expect(lead.body.error.code).toBe('FIELD_READ_ONLY');
    const created = await restricted.post('/api/v1/leads', { name: '线索甲', mobile: '13700000000' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await restricted.patch(`/api/v1/leads/${created.body.id}`, { email: 'x@acme.test' })).body.error.code).toBe('FIELD_READ_ONLY');
  });

  it('hides a product’s cost from the role and keeps its stock as it is', async () => {
    const p = await t.admin.post('/api/v1/products', { code: 'FA-1', name: '成本保密的产品', price: '100', cost: '37.50' });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const seen = (await restricted.get(`/api/v1/products/${p.body.id}`)).body;
    expect(seen).toMatchObject({ price: '100.00', cost: null, allowed: { edit: true, stock: false } });
    expect((await restricted.get('/api/v1/products?q=FA-1')).body.items).toMatchObject([{ id: p.body.id, cost: null }]);
    const exported = csvRows((await downloadExport(t.url, '/api/v1/products/export', restricted, 'format=csv')).bytes);
    expect(exported[0]).not.toContain('成本');
    expect(exported.slice(1).flat()).not.toContain('37.5');
    expect((await restricted.patch(`/api/v1/products/${p.body.id}`, { cost: '1' })).body.error.code).toBe('FIELD_READ_ONLY');
    expect((await restricted.patch(`/api/v1/products/${p.body.id}`, { price: '120' })).status).toBe(200);
    const adjust = await restricted.post(`/api/v1/products/${p.body.id}/stock-movements`, { direction: 'in', quantity: '5', reason: '入库' });
    expect(adjust.body.error).toMatchObject({ code: 'FIELD_READ_ONLY', fields: [{ path: 'stock' }] });
    expect((await t.admin.get(`/api/v1/products/${p.body.id}`)).body).toMatchObject({ price: '120.00', cost: '37.50' });
    // a role naming a custom-field key for products is refused: products have none
    expect((await t.admin.post('/api/v1/roles', { name: '产品字段', permissions: [], fieldAccess: { product: { cf_x: 'hidden' } } })).status).toBe(400);
  });

  it('refuses filtering on a hidden custom field', async () => {
    const res = await restricted.get(`/api/v1/customers?custom=${encodeURIComponent(JSON.stringify({ [cf]: { contains: 'A' } }))}`);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FIELD_HIDDEN', fields: [{ path: `custom.${cf}` }] });
    expect((await twoRoles.get(`/api/v1/customers?custom=${encodeURIComponent(JSON.stringify({ [cf]: { contains: 'A' } }))}`)).status).toBe(200);
  });

  it('leaves hidden columns out of an export, even when asked for', async () => {
    await restrictedCustomer('导出字段科技');
    const all = csvRows((await downloadExport(t.url, '/api/v1/customers/export', restricted, 'format=csv')).bytes);
    expect(all[0]).not.toContain('电话');
    expect(all[0]).not.toContain('内部评级');
    expect(all[0]).toContain('客户名称');
    expect(all.slice(1).flat().join()).not.toContain('010-6234');
    const asked = await downloadExport(t.url, '/api/v1/customers/export', restricted, 'format=csv&columns=name,phone');
    expect(asked.status).toBe(200);
    expect(csvRows(asked.bytes)[0]).toEqual(['客户名称']);
  });

  it('offers no restricted field to an import: not in the template, the mapping, nor accepted when named', async () => {
    const draft = await uploadImport(restricted, 'customer', 'c.csv', Buffer.from(`客户名称,电话,统一社会信用代码\n导入受限科技,010-65555555,${creditCode(902)}\n`));
    const keys = draft.fields.map((f) => f.key);
    expect(keys).toContain('name');
    expect(keys).not.toContain('phone');
    expect(keys).not.toContain('creditCode');
    expect(draft.mapping).toEqual(['name', null, null]);
    const start = await restricted.post(`/api/v1/imports/${draft.id}/start`, { mapping: ['name', 'phone', null] });
    expect(start.status).toBe(400);
    expect(start.body.error.fields).toEqual([{ path: 'mapping.1', message: expect.any(String) }]);
    const template = await downloadExport(t.url, '/api/v1/imports/template', restricted, 'entity=customer&format=csv');
    expect(csvRows(template.bytes)[0]!.join()).not.toMatch(/电话|统一社会信用代码/);
  });
});

async function twoRolesId(): Promise<number> {
  return (await twoRoles.get('/api/v1/auth/me')).body.user.id;
}
