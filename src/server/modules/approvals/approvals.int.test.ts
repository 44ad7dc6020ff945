import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';

let t: TestApp;
let salesDept: number;
const u: Record<string, { id: number; api: ApiClient }> = {};

/** director ← manager ← rep1, rep2 in the sales department (head: director); fin1, fin2 in finance; rep3 has no superior. */
beforeAll(async () => {
  t = await startTestApp();
  salesDept = (await t.admin.post('/api/v1/departments', { name: '销售部', parentId: t.tenant.rootDepartmentId })).body.id;
  const people = [
    ['director', 'sales_director', null],
    ['manager', 'sales_manager', 'director'],
    ['rep1', 'sales_rep', 'manager'],
    ['rep2', 'sales_rep', 'manager'],
    ['rep3', 'sales_rep', null],
    ['fin1', 'finance', null],
    ['fin2', 'finance', null],
  ] as const;
  for (const [key, role, superior] of people) {
    const res = await t.admin.post('/api/v1/users', {
      name: key, email: `${key}@acme.test`, departmentId: role === 'finance' ? t.tenant.rootDepartmentId : salesDept, password: 'password-123',
      roleIds: [t.tenant.roleIds[role]], superiorId: superior ? u[superior]!.id : null,
    });
    expect(res.status).toBe(201);
    u[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
  }
  expect((await t.admin.patch(`/api/v1/departments/${salesDept}`, { headUserId: u.director!.id })).body.headUserId).toBe(u.director!.id);
});
afterAll(() => t?.close());

const expense = async (who: string, amount: string, title = '出差北京') => {
  const res = await u[who]!.api.post('/api/v1/expenses', { title, category: 'travel', amount, occurredOn: '2026-11-20', description: '高铁 + 酒店' });
  expect(res.status).toBe(201);
  return res.body as { id: number; status: string; code: string };
};
const submit = async (who: string, id: number) => {
  const res = await u[who]!.api.post(`/api/v1/expenses/${id}/submit`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.approval.id as number;
};
const act = (who: string, id: number, action: string, body: object = {}) => u[who]!.api.post(`/api/v1/approvals/${id}/${action}`, body);
const counts = async (who: string) => (await u[who]!.api.get('/api/v1/approvals/counts')).body;

describe('approval templates', () => {
  it('seeds the default expense flow: superior (any one), then finance (all) from 5000', async () => {
    const res = await t.admin.get('/api/v1/approval-templates?businessType=expense');
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].steps).toMatchObject([
      { approverKind: 'superior', levels: 1, mode: 'any', condition: null },
      { approverKind: 'role', approverIds: [t.tenant.roleIds.finance], mode: 'all', condition: { field: 'amount', op: 'gte', value: '5000' } },
    ]);
    expect((await t.admin.get('/api/v1/approval-types')).body.items).toContainEqual({ type: 'expense', label: { zh: '报销', en: 'Expense claim' } });
  });

  it('refuses invalid templates with the fields at fault, and non-administrators', async () => {
    const step = { name: '审批', approverKind: 'user', approverIds: [u.manager!.id], mode: 'any' };
    const post = (body: object) => t.admin.post('/api/v1/approval-templates', { businessType: 'expense', name: '测试', ...body });
    const paths = async (body: object) => ((await post(body)).body.error?.fields ?? []).map((f: { path: string }) => f.path);
    expect(await paths({ steps: [] })).toEqual(['steps']);
    expect(await paths({ steps: [{ ...step, approverIds: [] }] })).toEqual(['steps.0.approverIds']);
    expect(await paths({ steps: [{ ...step, mode: 'some' }] })).toEqual(['steps.0.mode']);
    expect(await paths({ steps: [step], condition: { field: 'amount', op: 'gte', value: '-1' } })).toEqual(['condition.value']);
    expect(await paths({ steps: [step], businessType: 'nothing' })).toEqual(['businessType']);
    const missingRole = await post({ steps: [{ ...step, approverKind: 'role', approverIds: [999999] }] });
    expect(missingRole.status).toBe(400);
    expect(missingRole.body.error).toMatchObject({ code: 'INVALID_REFERENCE', fields: [{ path: 'steps.0.approverIds' }] });
    expect((await u.rep1!.api.post('/api/v1/approval-templates', { businessType: 'expense', name: 'x', steps: [step] })).status).toBe(403);

    const created = await post({ steps: [step], enabled: false, priority: 5 });
    expect(created.status).toBe(201);
    const updated = await t.admin.put(`/api/v1/approval-templates/${created.body.id}`, { businessType: 'expense', name: '改名', enabled: false, steps: [step, { ...step, name: '二审', approverKind: 'superior', levels: 2 }] });
    expect(updated.body).toMatchObject({ name: '改名', steps: [{ name: '审批' }, { name: '二审', approverKind: 'superior', levels: 2, approverIds: [] }] });
    expect((await t.admin.delete(`/api/v1/approval-templates/${created.body.id}`)).status).toBe(204);
  });
});

describe('expense claims through the default flow', () => {
  it('6000: the superior, then every finance user (会签); locked meanwhile; visible only to those involved', async () => {
    const e = await expense('rep1', '6000');
    expect(e).toMatchObject({ status: 'draft' });
    expect(e.code).toMatch(/^BX\d{6}\d{4}$/);
    expect((await u.rep1!.api.get(`/api/v1/approvals/by-record?type=expense&recordId=${e.id}`)).body).toEqual({ approval: null });
    const file = (name: string) => `/api/v1/attachments?entityType=expense&entityId=${e.id}&fileName=${name}`;
    const bytes = new TextEncoder().encode('%PDF-1.4 invoice');
    const invoice = await u.rep1!.api.upload(file('invoice.pdf'), bytes);
    expect(invoice.status).toBe(201);
    const id = await submit('rep1', e.id);
    expect((await u.rep1!.api.upload(file('late.pdf'), bytes)).body.error.code).toBe('RECORD_READ_ONLY');

    expect((await u.rep1!.api.patch(`/api/v1/expenses/${e.id}`, { amount: '5' })).body.error.code).toBe('RECORD_UNDER_APPROVAL');
    expect((await u.rep1!.api.post(`/api/v1/expenses/${e.id}/submit`, {})).body.error.code).toBe('RECORD_UNDER_APPROVAL');
    expect(await counts('manager')).toEqual({ waiting: 1, submitted: 0 });
    expect(await counts('rep1')).toEqual({ waiting: 0, submitted: 1 });
    const waiting = (await u.manager!.api.get('/api/v1/approvals?box=waiting')).body.items;
    expect(waiting).toMatchObject([{ id, title: `${e.code} 出差北京`, amount: '6000.00', currency: 'CNY', currentStepName: '直属上级审批', submitterName: 'rep1' }]);

    // an unrelated rep sees neither the approval, nor the claim, nor its files
    expect((await u.rep2!.api.get(`/api/v1/approvals/${id}`)).status).toBe(404);
    expect((await u.rep2!.api.get(`/api/v1/expenses/${e.id}`)).status).toBe(404);
    expect((await u.rep2!.api.get(`/api/v1/attachments?entityType=expense&entityId=${e.id}`)).status).toBe(404);
    expect((await u.rep2!.api.get(`/api/v1/attachments/${invoice.body.id}/download`)).status).toBe(404);
    expect((await u.rep2!.api.get(`/api/v1/approvals/by-record?type=expense&recordId=${e.id}`)).status).toBe(404);
    expect((await act('rep2', id, 'approve')).status).toBe(404);
    // finance sees everything, but is not yet an approver
    expect((await act('fin1', id, 'approve')).body.error.code).toBe('APPROVAL_NOT_APPROVER');
    expect((await u.manager!.api.get(`/api/v1/expenses/${e.id}`)).body.allowed).toEqual({ edit: false, submit: false });
    expect((await u.manager!.api.get(`/api/v1/attachments?entityType=expense&entityId=${e.id}`)).body.items).toMatchObject([{ fileName: 'invoice.pdf' }]);
    expect((await u.manager!.api.get(`/api/v1/attachments/${invoice.body.id}/download`)).status).toBe(200);

    const afterManager = await act('manager', id, 'approve', { comment: '同意' });
    expect(afterManager.body).toMatchObject({ status: 'pending', currentStep: 1, allowed: { approve: false } });
    expect(afterManager.body.steps[0]).toMatchObject({ state: 'done', tasks: [{ approverId: u.manager!.id, status: 'approved', comment: '同意' }] });
    expect(afterManager.body.steps[1].tasks.map((x: { approverId: number }) => x.approverId)).toEqual([u.fin1!.id, u.fin2!.id]);
    expect(await counts('manager')).toEqual({ waiting: 0, submitted: 0 });
    expect((await u.manager!.api.get('/api/v1/approvals?box=done')).body.items.map((x: { id: number }) => x.id)).toContain(id);

    const afterFin1 = await act('fin1', id, 'approve');
    expect(afterFin1.body).toMatchObject({ status: 'pending', currentStep: 1 });
    expect((await act('fin1', id, 'approve')).body.error.code).toBe('APPROVAL_NOT_APPROVER');
    const done = await act('fin2', id, 'approve', { comment: '已核对发票' });
    expect(done.body).toMatchObject({ status: 'approved', currentStep: null });
    expect(done.body.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'done']);
    expect(done.body.events.map((x: { action: string }) => x.action)).toEqual(['submit', 'approve', 'approve', 'approve']);
    expect((await act('manager', id, 'approve')).body.error.code).toBe('APPROVAL_NOT_PENDING');

    const claim = (await u.rep1!.api.get(`/api/v1/expenses/${e.id}`)).body;
    expect(claim).toMatchObject({ status: 'approved', allowed: { edit: false, submit: false } });
    expect((await u.rep1!.api.patch(`/api/v1/expenses/${e.id}`, { amount: '5' })).body.error.code).toBe('RECORD_READ_ONLY');
    const history = (await u.rep1!.api.get(`/api/v1/expenses/${e.id}/history`)).body.items.map((x: { action: string }) => x.action);
    expect(history).toEqual(['approval_approve', 'approval_approve', 'approval_approve', 'approval_submit', 'attach', 'create']);
    expect(await counts('rep1')).toEqual({ waiting: 0, submitted: 0 });
  });

  it('under 5000 the finance step is skipped', async () => {
    const e = await expense('rep1', '4999.99', '办公用品');
    const id = await submit('rep1', e.id);
    const res = await act('manager', id, 'approve');
    expect(res.body).toMatchObject({ status: 'approved' });
    expect(res.body.steps.map((s: { state: string }) => s.state)).toEqual(['done', 'skipped']);
  });

  it('rejected back to the submitter: editable again, then resubmitted as a new round', async () => {
    const e = await expense('rep1', '8000', '客户招待');
    const id = await submit('rep1', e.id);
    const rejected = await act('manager', id, 'reject', { comment: '请补充发票', backTo: 'submitter' });
    expect(rejected.body).toMatchObject({ status: 'rejected', currentStep: null, allowed: { resubmit: false } });
    expect((await u.rep1!.api.get(`/api/v1/approvals/${id}`)).body.allowed).toMatchObject({ resubmit: true, withdraw: false });
    expect((await act('manager', id, 'approve')).body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect((await u.rep1!.api.patch(`/api/v1/expenses/${e.id}`, { amount: '7500.50' })).body).toMatchObject({ amount: '7500.50', status: 'rejected' });
    expect((await act('manager', id, 'resubmit')).body.error.code).toBe('APPROVAL_NOT_SUBMITTER');

    const again = await act('rep1', id, 'resubmit', { comment: '已补充' });
    expect(again.body).toMatchObject({ status: 'pending', round: 2, currentStep: 0, amount: '7500.50' });
    expect(again.body.steps[0].tasks).toMatchObject([{ approverId: u.manager!.id, status: 'pending' }]);
    expect(again.body.events.map((x: { action: string; round: number }) => `${x.round}:${x.action}`)).toEqual(['1:submit', '1:reject', '2:resubmit']);
    expect((await act('rep1', id, 'resubmit')).body.error.code).toBe('APPROVAL_NOT_RESUBMITTABLE');
  });

  it('rejected back to the first step: the superior decides again, then finance', async () => {
    const e = await expense('rep1', '9000');
    const id = await submit('rep1', e.id);
    await act('manager', id, 'approve');
    expect((await act('fin1', id, 'reject', { backTo: 1 })).body.error.fields).toEqual([{ path: 'backTo', message: expect.any(String) }]);
    expect((await u.fin1!.api.get(`/api/v1/approvals/${id}`)).body.allowed.backTo).toEqual([{ index: 0, name: '直属上级审批' }]);
    const back = await act('fin1', id, 'reject', { backTo: 0, comment: '金额与发票不符' });
    expect(back.body).toMatchObject({ status: 'pending', currentStep: 0, round: 1 });
    expect(back.body.steps[1].tasks.map((x: { status: string }) => x.status)).toEqual(['rejected', 'skipped']);
    expect((await act('fin2', id, 'approve')).body.error.code).toBe('APPROVAL_NOT_APPROVER');
    await act('manager', id, 'approve');
    await act('fin1', id, 'approve');
    const done = await act('fin2', id, 'approve');
    expect(done.body.status).toBe('approved');
    expect(done.body.events.map((x: { action: string; backTo: number | null }) => x.action + (x.backTo ?? ''))).toEqual(['submit', 'approve', 'reject0', 'approve', 'approve', 'approve']);
  });

  it('withdrawn by the submitter only, while pending; then no decisions', async () => {
    const e = await expense('rep1', '100');
    const id = await submit('rep1', e.id);
    expect((await act('manager', id, 'withdraw')).body.error.code).toBe('APPROVAL_NOT_SUBMITTER');
    const w = await act('rep1', id, 'withdraw', { comment: '填错了' });
    expect(w.body).toMatchObject({ status: 'withdrawn', allowed: { resubmit: true } });
    expect(w.body.steps[0].tasks).toMatchObject([{ status: 'skipped' }]);
    expect((await act('manager', id, 'approve')).body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect((await act('rep1', id, 'withdraw')).body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect(await counts('manager')).toMatchObject({ waiting: 1 }); // the resubmitted claim of the test before last
    expect((await u.rep1!.api.get(`/api/v1/expenses/${e.id}`)).body).toMatchObject({ status: 'withdrawn', allowed: { edit: true, submit: true } });
    expect((await u.rep1!.api.get(`/api/v1/approvals/by-record?type=expense&recordId=${e.id}`)).body.approval).toMatchObject({ id, status: 'withdrawn' });
  });

  it('lists: my submissions, everything for approval.view_all only', async () => {
    const mine = (await u.rep1!.api.get('/api/v1/approvals?box=submitted&limit=2')).body;
    expect(mine.items).toHaveLength(2);
    const next = (await u.rep1!.api.get(`/api/v1/approvals?box=submitted&limit=50&cursor=${mine.nextCursor}`)).body;
    expect(next.items).toHaveLength(3);
    expect((await u.rep1!.api.get('/api/v1/approvals?box=all')).status).toBe(403);
    expect((await u.fin1!.api.get('/api/v1/approvals?box=all&status=approved')).body.items).toHaveLength(3);
    expect((await u.rep1!.api.get('/api/v1/expenses?status=approved')).body.items).toHaveLength(3);
    expect((await u.rep2!.api.get('/api/v1/expenses')).body.items).toEqual([]);
  });
});

describe('approver resolution', () => {
  it('department head and superiors n levels up; the submitter never approves their own', async () => {
    const tpl = await t.admin.post('/api/v1/approval-templates', {
      businessType: 'expense', name: '大额报销', priority: 0, condition: { field: 'amount', op: 'gte', value: '100000' },
      steps: [
        { name: '部门负责人', approverKind: 'dept_head', mode: 'any' },
        { name: '二级上级', approverKind: 'superior', levels: 2, mode: 'any' },
        { name: '财务', approverKind: 'role', approverIds: [t.tenant.roleIds.finance], mode: 'any' },
      ],
    });
    expect(tpl.status).toBe(201);
    // same priority as the default one: the older default wins unless this one is tried first
    await t.admin.put(`/api/v1/approval-templates/${(await t.admin.get('/api/v1/approval-templates?businessType=expense')).body.items.find((x: { name: string }) => x.name === '报销审批').id}`, {
      businessType: 'expense', name: '报销审批', priority: 10,
      steps: [
        { name: '直属上级审批', approverKind: 'superior', levels: 1, mode: 'any' },
        { name: '财务审核', approverKind: 'role', approverIds: [t.tenant.roleIds.finance], mode: 'all', condition: { field: 'amount', op: 'gte', value: '5000' } },
      ],
    });
    const e = await expense('rep1', '120000', '年度展会');
    const id = await submit('rep1', e.id);
    const first = (await u.rep1!.api.get(`/api/v1/approvals/${id}`)).body;
    expect(first).toMatchObject({ templateName: '大额报销', steps: [{ tasks: [{ approverId: u.director!.id }] }, { tasks: [] }, { tasks: [] }] });
    const second = await act('director', id, 'approve');
    expect(second.body.steps[1].tasks).toMatchObject([{ approverId: u.director!.id, status: 'pending' }]);
    const third = await act('director', id, 'approve');
    expect(third.body.steps[2].tasks.map((x: { approverId: number }) => x.approverId)).toEqual([u.fin1!.id, u.fin2!.id]);
    // 或签: the first approval completes the step, the other task is skipped
    const done = await act('fin2', id, 'approve');
    expect(done.body.status).toBe('approved');
    expect(done.body.steps[2].tasks.map((x: { status: string }) => x.status)).toEqual(['skipped', 'approved']);

    // the director submits: their own department head is themselves, so the head above is looked for (none) → refused
    const own = await expense('director', '150000');
    const refused = await u.director!.api.post(`/api/v1/expenses/${own.id}/submit`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'APPROVAL_NO_APPROVER' });
    expect(refused.body.error.message).toContain('部门负责人');
    expect((await u.director!.api.get(`/api/v1/expenses/${own.id}`)).body.status).toBe('draft');
    expect((await t.admin.delete(`/api/v1/approval-templates/${tpl.body.id}`)).body.error.code).toBe('APPROVAL_TEMPLATE_IN_USE');
  });

  it('refuses a submission without approver or without template', async () => {
    const e = await expense('rep3', '300');
    const res = await u.rep3!.api.post(`/api/v1/expenses/${e.id}/submit`, {});
    expect(res.body.error).toMatchObject({ code: 'APPROVAL_NO_APPROVER' });
    for (const tpl of (await t.admin.get('/api/v1/approval-templates?businessType=expense')).body.items) {
      await t.admin.put(`/api/v1/approval-templates/${tpl.id}`, { businessType: tpl.businessType, name: tpl.name, priority: tpl.priority, condition: tpl.condition, steps: tpl.steps, enabled: false });
    }
    const none = await u.rep1!.api.post(`/api/v1/expenses/${(await expense('rep1', '10')).id}/submit`, {});
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({ code: 'APPROVAL_NO_TEMPLATE', message: expect.stringContaining('报销') });
  });
});
