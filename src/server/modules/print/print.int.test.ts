import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
let rep: ApiClient;
beforeAll(async () => {
  t = await startTestApp();
  const u = await t.admin.post('/api/v1/users', {
    name: '打印代表', email: 'print-rep@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
  });
  rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
});
afterAll(() => t?.close());

const LAYOUT = { postcode: { x: 12, y: 10 }, address: { x: 20, y: 32 }, company: { x: 20, y: 44 }, recipient: { x: 60, y: 60 }, sender: { x: 120, y: 82 } };

describe('envelope templates (CUS-17)', () => {
  it('every company starts with a default 国内5号 template', async () => {
    const { items } = (await t.admin.get('/api/v1/envelope-templates')).body;
    expect(items).toEqual([
      expect.objectContaining({ name: '国内5号信封', paper: 'cn5', widthMm: 220, heightMm: 110, isDefault: true, senderCompany: '测试公司', layout: LAYOUT }),
    ]);
    // whoever prints may read them
    expect((await rep.get('/api/v1/envelope-templates')).body.items).toHaveLength(1);
  });

  it('checks sizes and positions, keeps names unique, and always keeps one default', async () => {
    const outside = await t.admin.post('/api/v1/envelope-templates', { name: 'C5', paper: 'c5', layout: { ...LAYOUT, sender: { x: 230, y: 170 } } });
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields).toEqual([
      { path: 'layout.sender.x', message: '位置超出了纸张范围' },
      { path: 'layout.sender.y', message: '位置超出了纸张范围' },
    ]);
    const noSize = await t.admin.post('/api/v1/envelope-templates', { name: '自定义', paper: 'custom', layout: LAYOUT });
    expect(noSize.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['widthMm', 'heightMm']);
    const badPostcode = await t.admin.post('/api/v1/envelope-templates', { name: '自定义', paper: 'dl', layout: LAYOUT, senderPostcode: '12345' });
    expect(badPostcode.body.error.fields).toEqual([{ path: 'senderPostcode', message: expect.stringContaining('6 位') }]);

    // a standard paper keeps its own size whatever is sent
    const c5 = await t.admin.post('/api/v1/envelope-templates', { name: 'C5', paper: 'c5', widthMm: 100, heightMm: 100, layout: { ...LAYOUT, sender: { x: 150, y: 140 } }, senderPostcode: '518057' });
    expect(c5.status).toBe(201);
    expect(c5.body).toMatchObject({ widthMm: 229, heightMm: 162, isDefault: false, senderPostcode: '518057' });
    const custom = await t.admin.post('/api/v1/envelope-templates', { name: '自定义', paper: 'custom', widthMm: 250.5, heightMm: 120, layout: LAYOUT });
    expect(custom.body).toMatchObject({ widthMm: 250.5, heightMm: 120 });
    expect((await t.admin.post('/api/v1/envelope-templates', { name: 'C5', paper: 'dl', layout: LAYOUT })).status).toBe(409);

    const renamed = await t.admin.put(`/api/v1/envelope-templates/${custom.body.id}`, { name: '大信封', paper: 'custom', widthMm: 300, heightMm: 150, layout: LAYOUT, fontSize: 16 });
    expect(renamed.body).toMatchObject({ name: '大信封', widthMm: 300, fontSize: 16 });

    const first = (await t.admin.get('/api/v1/envelope-templates')).body.items[0];
    expect((await t.admin.delete(`/api/v1/envelope-templates/${first.id}`)).status).toBe(409);
    const after = (await t.admin.put(`/api/v1/envelope-templates/${c5.body.id}/default`, {})).body.items;
    expect(after.filter((x: { isDefault: boolean }) => x.isDefault).map((x: { name: string }) => x.name)).toEqual(['C5']);
    expect((await t.admin.delete(`/api/v1/envelope-templates/${first.id}`)).status).toBe(204);
    expect((await t.admin.get('/api/v1/envelope-templates')).body.items.map((x: { name: string }) => x.name)).toEqual(['C5', '大信封']);

    // settings permission, and only the own company's templates
    expect((await rep.post('/api/v1/envelope-templates', { name: 'x', paper: 'dl', layout: LAYOUT })).status).toBe(403);
    const other = await t.addTenant('other-print');
    expect((await other.admin.put(`/api/v1/envelope-templates/${c5.body.id}`, { name: 'x', paper: 'dl', layout: LAYOUT })).status).toBe(404);
    expect((await other.admin.get('/api/v1/envelope-templates')).body.items.map((x: { name: string }) => x.name)).toEqual(['国内5号信封']);
  });
});

describe('envelope printing and the print view (CUS-17)', () => {
  it('prints the tagged address and the chosen contact, and drops customers outside the scope', async () => {
    const acme = (await t.admin.post('/api/v1/customers', {
      name: '信封甲公司',
      addresses: [
        { tag: 'registered', provinceCode: '440000', cityCode: '440300', districtCode: '440305', detail: '科技园南区 1 号', postcode: '518057', isDefault: true },
        { tag: 'invoice', provinceCode: '110000', cityCode: '110100', districtCode: '110108', detail: '中关村大街 27 号', postcode: '100080' },
      ],
    })).body;
    await t.admin.post('/api/v1/contacts', { customerId: acme.id, name: '张伟', title: '总经理', isPrimary: true });
    await t.admin.post('/api/v1/contacts', { customerId: acme.id, name: '李娜', title: '财务主管', roleCode: 'finance' });
    const mine = (await rep.post('/api/v1/customers', { name: '信封乙公司', addresses: [{ tag: 'office', detail: '人民路 8 号', postcode: '200001' }] })).body;

    const byTag = (await t.admin.post('/api/v1/customers/envelopes', { customerIds: [mine.id, acme.id], addressTag: 'invoice', contactRole: 'finance' })).body;
    expect(byTag).toEqual({
      skipped: 0,
      items: [
        { customerId: mine.id, company: '信封乙公司', postcode: '200001', address: '人民路 8 号', contactName: null, contactTitle: null },
        { customerId: acme.id, company: '信封甲公司', postcode: '100080', address: '北京市海淀区中关村大街 27 号', contactName: '李娜', contactTitle: '财务主管' },
      ],
    });
    // no such tag and no role: the default address and the primary contact
    const fallback = (await t.admin.post('/api/v1/customers/envelopes', { customerIds: [acme.id], addressTag: 'shipping' })).body.items[0];
    expect(fallback).toMatchObject({ postcode: '518057', address: '广东省深圳市南山区科技园南区 1 号', contactName: '张伟' });

    // the rep sees only their own customer; the other id and a non-existing one are dropped alike
    const scoped = (await rep.post('/api/v1/customers/envelopes', { customerIds: [acme.id, mine.id, 99_999_999] })).body;
    expect(scoped.items.map((e: { customerId: number }) => e.customerId)).toEqual([mine.id]);
    expect(scoped.skipped).toBe(2);
    expect((await rep.post('/api/v1/customers/envelopes', { customerIds: [] })).status).toBe(400);
  });

  it('shows what the detail page shows, under the same scope', async () => {
    const c = (await t.admin.post('/api/v1/customers', { name: '打印客户', phone: '0755-88886666' })).body;
    await t.admin.post('/api/v1/contacts', { customerId: c.id, name: '王芳', mobile: '13900000001', isPrimary: true });
    for (let i = 1; i <= 22; i++) await t.admin.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'phone', content: `第 ${i} 次回访` });

    const view = (await t.admin.get(`/api/v1/customers/${c.id}/print`)).body;
    expect(view.companyName).toBe('测试公司');
    expect(view.customer).toMatchObject({ name: '打印客户', phone: '0755-88886666', ownerName: '管理员' });
    expect(view.contacts.map((k: { name: string }) => k.name)).toEqual(['王芳']);
    expect(view.followups).toHaveLength(20);
    expect(view.followups[0].content).toBe('第 22 次回访');
    expect(Date.parse(view.printedAt)).toBeGreaterThan(Date.now() - 60_000);

    expect((await rep.get(`/api/v1/customers/${c.id}/print`)).status).toBe(404);
  });
});
