import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
const users: Record<string, { id: number; api: ApiClient }> = {};
beforeAll(async () => {
  t = await startTestApp();
  for (const [key, role] of [['rep1', 'sales_rep'], ['rep2', 'sales_rep'], ['manager', 'sales_manager']] as const) {
    const res = await t.admin.post('/api/v1/users', {
      name: key, email: `${key}@acme.test`, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds[role]],
    });
    users[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
  }
});
afterAll(() => t?.close());

describe('leads (LEA-1..5)', () => {
  it('creates numbered leads that the creator owns, moves them through their lifecycle, and keeps them in scope', async () => {
    const lead = await users.rep1!.api.post('/api/v1/leads', { name: '刘先生', company: '成都锦江实业', mobile: '13700001111', sourceCode: 'website' });
    expect(lead.status).toBe(201);
    expect(lead.body).toMatchObject({ ownerId: users.rep1!.id, status: 'new' });
    expect(lead.body.code).toMatch(/^XS\d{6}\d{5}$/);
    expect((await users.rep2!.api.get(`/api/v1/leads/${lead.body.id}`)).status).toBe(404);
    expect((await users.rep2!.api.get('/api/v1/leads')).body.items).toEqual([]);
    expect((await users.rep1!.api.get('/api/v1/leads?q=锦江')).body.items.map((l: { name: string }) => l.name)).toEqual(['刘先生']);

    const status = (s: string, reason?: string) => users.rep1!.api.post(`/api/v1/leads/${lead.body.id}/status`, { status: s, reason });
    expect((await status('qualifying')).body.status).toBe('qualifying');
    expect((await status('invalid')).body.error.fields[0].path).toBe('reason');
    expect((await status('invalid', '电话打不通')).body).toMatchObject({ status: 'invalid', invalidReason: '电话打不通' });
    expect((await status('qualifying')).status).toBe(400); // invalid → new only
    expect((await status('new')).body.status).toBe('new');
  });

  it('assigns new leads by the rules: by source in turn, otherwise to the least loaded', async () => {
    const rules = await t.admin.put('/api/v1/lead-rules', {
      assignment: [
        { name: '展会线索轮流', priority: 10, sourceCode: 'exhibition', method: 'round_robin', userIds: [users.rep1!.id, users.rep2!.id] },
        { name: '其余给最空闲的', priority: 0, method: 'least_loaded', userIds: [users.rep1!.id, users.rep2!.id] },
      ],
      scoring: [
        { field: 'source_code', value: 'exhibition', points: 20 },
        { field: 'mobile', points: 10 },
        { field: 'followups', points: 5 },
      ],
    });
    expect(rules.status).toBe(200);
    const owners: number[] = [];
    for (let i = 0; i < 4; i++) owners.push((await t.admin.post('/api/v1/leads', { name: `展会客人${i}`, sourceCode: 'exhibition', mobile: `1380000000${i}` })).body.ownerId);
    expect(owners).toEqual([users.rep1!.id, users.rep2!.id, users.rep1!.id, users.rep2!.id]);
    // rep1 also holds the lead of the first test: rep2 is less loaded
    const other = (await t.admin.post('/api/v1/leads', { name: '其他来源', sourceCode: 'website' })).body;
    expect(other.ownerId).toBe(users.rep2!.id);

    const scored = (await t.admin.get(`/api/v1/leads?q=展会客人0`)).body.items[0];
    expect(scored.score).toBe(30);
    await users.rep1!.api.post('/api/v1/followups', { entityType: 'lead', entityId: scored.id, typeCode: 'phone', content: '初次联系' });
    const touched = await users.rep1!.api.patch(`/api/v1/leads/${scored.id}`, { title: '采购' });
    expect(touched.body.score).toBe(35);
    await t.admin.put('/api/v1/lead-rules', { assignment: [], scoring: [] });
  });

  it('takes leads from the public web form, without sign-in, and ignores bots', async () => {
    const forms = (await t.admin.post('/api/v1/lead-forms', { name: '官网试用申请', sourceCode: 'website' })).body.items;
    const token = forms[0].token as string;
    const anonymous = t.client();
    const submit = (body: object) => anonymous.post(`/api/v1/public/forms/${token}/leads`, body);
    const ok = await submit({ name: '网上来的王女士', company: '西安古城文旅', mobile: '13900002222', startedAt: Date.now() - 30_000 });
    expect(ok.status).toBe(202);
    expect((await submit({ name: '机器人', startedAt: Date.now() - 30_000, website: 'http://spam' })).status).toBe(202);
    expect((await submit({ name: '太快了', startedAt: Date.now() })).status).toBe(202);
    expect((await submit({ name: '', startedAt: 1 })).status).toBe(400);
    expect((await anonymous.post('/api/v1/public/forms/no-such-token-1/leads', { name: 'x', startedAt: 1 })).status).toBe(404);

    // nobody owns it yet: the manager (who assigns) sees it in the lead pool, reps do not
    const pool = (await users.manager!.api.get('/api/v1/leads?view=unassigned')).body.items;
    expect(pool.map((l: { name: string; sourceCode: string }) => [l.name, l.sourceCode])).toEqual([['网上来的王女士', 'website']]);
    expect((await users.rep1!.api.get('/api/v1/leads?view=unassigned')).body.items).toEqual([]);
    const assigned = await users.manager!.api.post('/api/v1/leads/assign', { leadIds: [pool[0].id], ownerId: users.rep2!.id });
    expect(assigned.body).toEqual({ assigned: 1 });
    expect((await users.rep2!.api.get(`/api/v1/leads/${pool[0].id}`)).body.ownerId).toBe(users.rep2!.id);
    const history = (await t.admin.get(`/api/v1/audit/operations?entity=lead&recordId=${pool[0].id}`)).body.items;
    expect(history.map((h: { action: string; actorName: string }) => [h.action, h.actorName])).toEqual([['assign', 'manager'], ['create', 'web form: 官网试用申请']]);
  });

  it('lets another site post the web form (CORS on the public endpoint only), and stops a disabled form', async () => {
    const [form] = (await t.admin.post('/api/v1/lead-forms', { name: '展会登记', sourceCode: 'exhibition' })).body.items.filter((f: { name: string }) => f.name === '展会登记');
    const anonymous = t.client();
    const path = `/api/v1/public/forms/${form.token}/leads`;
    const preflight = await anonymous.request('OPTIONS', path, undefined, { origin: 'https://www.example.cn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    const posted = await anonymous.post(path, { name: '跨站来的刘先生', startedAt: Date.now() - 10_000 }, { origin: 'https://www.example.cn' });
    expect(posted.status).toBe(202);
    expect(posted.headers.get('access-control-allow-origin')).toBe('*');
    // the signed-in API stays same-origin
    expect((await t.admin.get('/api/v1/leads', { origin: 'https://www.example.cn' })).headers.get('access-control-allow-origin')).toBeNull();

    const renamed = await t.admin.put(`/api/v1/lead-forms/${form.id}`, { name: '展会登记（已结束）', sourceCode: 'exhibition', enabled: false });
    expect(renamed.body.items.find((f: { id: number }) => f.id === form.id)).toMatchObject({ name: '展会登记（已结束）', enabled: false, token: form.token });
    expect((await anonymous.post(path, { name: '晚到的人', startedAt: Date.now() - 10_000 })).status).toBe(404);
    expect((await t.admin.put(`/api/v1/lead-forms/${form.id}`, { name: 'x', sourceCode: 'no_such_source', enabled: true })).status).toBe(400);
    expect((await users.rep1!.api.put(`/api/v1/lead-forms/${form.id}`, { name: 'x', enabled: true })).status).toBe(403);
    expect((await t.admin.put('/api/v1/lead-forms/999999', { name: 'x', enabled: true })).status).toBe(404);
  });

  it('converts a lead into a customer and a contact, which keep its follow-ups', async () => {
    const lead = (await users.rep1!.api.post('/api/v1/leads', { name: '赵经理', company: '南京钟山电子', mobile: '13500003333', title: '总经理' })).body;
    await users.rep1!.api.post('/api/v1/followups', { entityType: 'lead', entityId: lead.id, typeCode: 'phone', content: '约了下周拜访' });
    const converted = await users.rep1!.api.post(`/api/v1/leads/${lead.id}/convert`, {});
    expect(converted.status).toBe(200);
    const customer = (await users.rep1!.api.get(`/api/v1/customers/${converted.body.customerId}`)).body;
    expect(customer).toMatchObject({ name: '南京钟山电子', ownerId: users.rep1!.id });
    const contact = (await users.rep1!.api.get(`/api/v1/contacts/${converted.body.contactId}`)).body;
    expect(contact).toMatchObject({ name: '赵经理', mobile: '13500003333', title: '总经理', isPrimary: true });
    const timeline = (await users.rep1!.api.get(`/api/v1/customers/${customer.id}/timeline`)).body.items;
    expect(timeline.filter((i: { kind: string }) => i.kind === 'followup').map((i: { followup: { content: string; contactName: string } }) => [i.followup.content, i.followup.contactName])).toEqual([
      ['约了下周拜访', '赵经理'],
    ]);
    const after = (await users.rep1!.api.get(`/api/v1/leads/${lead.id}`)).body;
    expect(after).toMatchObject({ status: 'converted', convertedCustomerId: customer.id, allowed: { convert: false, edit: false } });
    expect((await users.rep1!.api.post(`/api/v1/leads/${lead.id}/convert`, {})).status).toBe(400);
    const history = (await users.rep1!.api.get(`/api/v1/leads/${lead.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['convert', 'create']);
    expect((await users.rep2!.api.get(`/api/v1/leads/${lead.id}/history`)).status).toBe(404);
  });
});
