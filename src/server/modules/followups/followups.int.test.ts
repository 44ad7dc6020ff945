import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
let rep: ApiClient;
let repId: number;
let other: ApiClient;
beforeAll(async () => {
  t = await startTestApp();
  const mk = async (email: string) => {
    const res = await t.admin.post('/api/v1/users', {
      name: email.split('@')[0], email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    return res.body.id as number;
  };
  repId = await mk('rep@acme.test');
  rep = await signedInAs(t.db, t.url, t.tenant.tenantId, repId);
  other = await signedInAs(t.db, t.url, t.tenant.tenantId, await mk('other@acme.test'));
});
afterAll(() => t?.close());

describe('contacts (CUS-2)', () => {
  it('adds contacts to a customer, the first one primary, and moves the mark', async () => {
    const c = (await rep.post('/api/v1/customers', { name: '联系人测试客户' })).body;
    const a = await rep.post('/api/v1/contacts', { customerId: c.id, name: '王芳', mobile: '+86 138-0013-8000', roleCode: 'decision_maker', birthday: '1985-03-08' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ isPrimary: true, mobile: '13800138000', birthday: '1985-03-08', customerName: '联系人测试客户' });
    expect(a.body.code).toMatch(/^LXR\d{4}\d{6}$/);
    const b = (await rep.post('/api/v1/contacts', { customerId: c.id, name: '李雷', isPrimary: true })).body;
    const list = (await rep.get(`/api/v1/contacts?customerId=${c.id}`)).body.items;
    expect(list.map((k: { name: string; isPrimary: boolean }) => [k.name, k.isPrimary])).toEqual([['李雷', true], ['王芳', false]]);
    expect((await rep.patch(`/api/v1/contacts/${a.body.id}`, { isPrimary: true })).status).toBe(200);
    expect((await rep.get(`/api/v1/contacts/${b.id}`)).body.isPrimary).toBe(false);

    const bad = await rep.post('/api/v1/contacts', { customerId: c.id, name: '格式', mobile: '12345', email: 'x' });
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['email', 'mobile']);
  });

  it('keeps a contact’s former customers when they change jobs', async () => {
    const from = (await rep.post('/api/v1/customers', { name: '老东家' })).body;
    const to = (await rep.post('/api/v1/customers', { name: '新东家' })).body;
    const k = (await rep.post('/api/v1/contacts', { customerId: from.id, name: '跳槽者', title: '采购经理' })).body;
    const moved = await rep.post(`/api/v1/contacts/${k.id}/move`, { customerId: to.id, title: '采购总监' });
    expect(moved.body).toMatchObject({ customerId: to.id, title: '采购总监', isPrimary: false });
    const detail = (await rep.get(`/api/v1/contacts/${k.id}`)).body;
    expect(detail.links.map((l: { customerName: string; title: string; endedAt: string | null }) => [l.customerName, l.title, l.endedAt === null])).toEqual([
      ['新东家', '采购总监', true],
      ['老东家', '采购经理', false],
    ]);
  });

  it('shows contacts only through a customer the user can see', async () => {
    const c = (await rep.post('/api/v1/customers', { name: '保密客户' })).body;
    const k = (await rep.post('/api/v1/contacts', { customerId: c.id, name: '保密联系人', mobile: '13900139000' })).body;
    expect((await other.get(`/api/v1/contacts/${k.id}`)).status).toBe(404);
    expect((await other.get('/api/v1/contacts?q=保密')).body.items).toEqual([]);
    expect((await other.get('/api/v1/contacts/count?q=1390013')).body.total).toBe(0);
    expect((await other.post('/api/v1/contacts', { customerId: c.id, name: '混入' })).status).toBe(400);
    expect((await other.patch(`/api/v1/contacts/${k.id}`, { name: '改名' })).status).toBe(404);
    expect((await rep.get('/api/v1/contacts?q=1390013')).body.items.map((i: { name: string }) => i.name)).toEqual(['保密联系人']);
    // a read-only share shows the contact but does not let the user change it
    await t.admin.post(`/api/v1/customers/${c.id}/members`, { userId: (await other.get('/api/v1/auth/me')).body.user.id, access: 'read', kind: 'share' });
    expect((await other.get(`/api/v1/contacts/${k.id}`)).body.allowed).toEqual({ edit: false, delete: false });
    expect((await other.patch(`/api/v1/contacts/${k.id}`, { name: '改名' })).status).toBe(403);
  });
});

describe('follow-ups and timeline (CUS-6, CUS-7)', () => {
  it('records follow-ups, keeps the customer’s follow-up dates, and lists the next contacts', async () => {
    const c = (await rep.post('/api/v1/customers', { name: '跟进测试客户' })).body;
    const k = (await rep.post('/api/v1/contacts', { customerId: c.id, name: '张总' })).body;
    const next = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const f1 = await rep.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'phone', content: '电话沟通需求', contactId: k.id, nextContactAt: next });
    expect(f1.status).toBe(201);
    expect(f1.body).toMatchObject({ contactName: '张总', customerName: '跟进测试客户', nextContactDone: false });
    await rep.post('/api/v1/followups', { entityType: 'contact', entityId: k.id, typeCode: 'visit', content: '上门拜访张总' });

    const detail = (await rep.get(`/api/v1/customers/${c.id}`)).body;
    expect(detail.lastFollowupAt).not.toBeNull();
    expect(detail.nextFollowupAt).toBe(next);
    const ofCustomer = (await rep.get(`/api/v1/followups?entityType=customer&entityId=${c.id}`)).body.items;
    expect(ofCustomer.map((f: { content: string }) => f.content)).toEqual(['上门拜访张总', '电话沟通需求']);
    const ofContact = (await rep.get(`/api/v1/followups?entityType=contact&entityId=${k.id}`)).body.items;
    // a contact's follow-ups: those on the contact and those on the customer that name the contact
    expect(ofContact.map((f: { content: string }) => f.content)).toEqual(['上门拜访张总', '电话沟通需求']);

    const upcoming = (await rep.get('/api/v1/followups/upcoming?days=7')).body;
    expect(upcoming.items.map((f: { id: number }) => f.id)).toContain(f1.body.id);
    expect((await rep.get('/api/v1/followups/upcoming?days=1')).body.items.map((f: { id: number }) => f.id)).not.toContain(f1.body.id);
    await rep.post(`/api/v1/followups/${f1.body.id}/done`, {});
    expect((await rep.get('/api/v1/followups/upcoming?days=7')).body.items.map((f: { id: number }) => f.id)).not.toContain(f1.body.id);
    expect((await rep.get(`/api/v1/customers/${c.id}`)).body.nextFollowupAt).toBeNull();

    const wrong = await rep.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'carrier_pigeon', content: 'x' });
    expect(wrong.body.error.fields[0].path).toBe('typeCode');
  });

  it('lets a manager comment, and keeps other users out', async () => {
    const c = (await rep.post('/api/v1/customers', { name: '点评测试客户' })).body;
    const f = (await rep.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'visit', content: '拜访' })).body;
    const comment = await t.admin.post(`/api/v1/followups/${f.id}/comments`, { content: '下次带上报价单' });
    expect(comment.status).toBe(201);
    expect(comment.body.comments.map((m: { content: string }) => m.content)).toEqual(['下次带上报价单']);
    expect((await rep.post(`/api/v1/followups/${f.id}/comments`, { content: '好的' })).status).toBe(403); // reps may not 点评
    expect((await other.get(`/api/v1/followups?entityType=customer&entityId=${c.id}`)).status).toBe(404);
    expect((await other.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'visit', content: '混入' })).status).toBe(404);
    expect((await other.get(`/api/v1/customers/${c.id}/timeline`)).status).toBe(404);
    // a transferred customer leaves the former owner's upcoming list
    const next = new Date(Date.now() + 86_400_000).toISOString();
    const planned = (await rep.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'phone', content: '约回访', nextContactAt: next })).body;
    await t.admin.post(`/api/v1/customers/${c.id}/transfer`, { ownerId: t.tenant.adminId });
    expect((await rep.get('/api/v1/followups/upcoming')).body.items.map((x: { id: number }) => x.id)).not.toContain(planned.id);
  });

  it('merges follow-ups and changes into one timeline, page by page', async () => {
    const c = (await rep.post('/api/v1/customers', { name: '时间线客户' })).body;
    for (let i = 1; i <= 3; i++) {
      await rep.post('/api/v1/followups', { entityType: 'customer', entityId: c.id, typeCode: 'phone', content: `第${i}次电话` });
      await rep.patch(`/api/v1/customers/${c.id}`, { remark: `备注${i}` });
    }
    const first = (await rep.get(`/api/v1/customers/${c.id}/timeline?limit=4`)).body;
    expect(first.items.map((i: { kind: string }) => i.kind)).toEqual(['change', 'followup', 'change', 'followup']);
    expect(first.nextBefore).not.toBeNull();
    const second = (await rep.get(`/api/v1/customers/${c.id}/timeline?limit=4&before=${encodeURIComponent(first.nextBefore)}`)).body;
    // the rest: one change, one follow-up, the creation
    expect(second.items.map((i: { kind: string; change?: { action: string } }) => i.change?.action ?? i.kind)).toEqual(['update', 'followup', 'create']);
  });

  it('keeps templates private unless shared', async () => {
    await rep.post('/api/v1/followup-templates', { name: '首次电话', typeCode: 'phone', content: '您好，我是云帆科技的……' });
    await t.admin.post('/api/v1/followup-templates', { name: '公司话术', content: '统一话术', shared: true });
    await t.admin.post('/api/v1/followup-templates', { name: '管理员私有', content: '私有' });
    const names = (await rep.get('/api/v1/followup-templates')).body.items.map((x: { name: string }) => x.name);
    expect(names.sort()).toEqual(['公司话术', '首次电话']);
  });
});
