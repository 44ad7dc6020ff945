import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';
import { addMonths, runReminders } from './receivables.service.js';

let t: TestApp;
const u: Record<string, { id: number; api: ApiClient }> = {};
let customerId: number;
let otherCustomerId: number;
const products: Record<string, number> = {};

/** manager ← rep1, rep2 (sales); fin1, fin2 (finance). rep1 owns the customer; rep2 another. */
beforeAll(async () => {
  t = await startTestApp();
  const people = [
    ['manager', 'sales_manager', null],
    ['rep1', 'sales_rep', 'manager'],
    ['rep2', 'sales_rep', 'manager'],
    ['fin1', 'finance', null],
    ['fin2', 'finance', null],
  ] as const;
  for (const [key, role, superior] of people) {
    const res = await t.admin.post('/api/v1/users', {
      name: key, email: `${key}@acme.test`, departmentId: t.tenant.rootDepartmentId, password: 'password-123',
      roleIds: [t.tenant.roleIds[role]], superiorId: superior ? u[superior]!.id : null,
    });
    expect(res.status).toBe(201);
    u[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
  }
  customerId = (await u.rep1!.api.post('/api/v1/customers', { name: '合同测试客户' })).body.id;
  otherCustomerId = (await u.rep2!.api.post('/api/v1/customers', { name: '别人的客户' })).body.id;
  await t.db.tenant({ tenantId: t.tenant.tenantId }, async (q) => {
    for (const [code, name, price, onShelf] of [['P1', '软件许可', '19.99', true], ['P2', '实施服务', '1200', true], ['P3', '旧型号', '50', false]] as const) {
      const row = await q.one<{ id: number }>(sql`INSERT INTO products (tenant_id, code, name, unit, price, on_shelf) VALUES (${t.tenant.tenantId}, ${code}, ${name}, '套', ${price}, ${onShelf}) RETURNING id`);
      products[code] = row!.id;
    }
  });
});
afterAll(() => t?.close());

const draft = async (who: string, body: object = {}) => {
  const res = await u[who]!.api.post('/api/v1/contracts', { name: '年度采购合同', customerId, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('contracts (SAL-6)', () => {
  it('computes the amount from on-shelf product lines with discounts and tax, exactly, and renders the template', async () => {
    const template = (await t.admin.get('/api/v1/contract-templates')).body.items[0];
    const c = await draft('rep1', {
      lines: [{ productId: products.P1, quantity: '3', discount: '15' }, { productId: products.P2, quantity: 2 }],
      discount: '5', taxRate: '13', startsOn: '2026-01-01', endsOn: '2026-12-31', templateId: template.id,
    });
    expect(c).toMatchObject({ status: 'draft', amount: '2631.11', amountCompany: '2631.11', currency: 'CNY', paid: '0', outstanding: '2631.11', canEdit: true });
    expect(c.code).toMatch(/^HT\d{6}\d{4}$/);
    expect(c.totals).toEqual({ listTotal: '2459.97', subtotal: '2450.97', discountAmount: '122.55', tax: '302.69', total: '2631.11' });
    expect(c.lines.map((l: { productName: string; amount: string }) => [l.productName, l.amount])).toEqual([['软件许可', '50.97'], ['实施服务', '2400.00']]);
    expect(c.body).toContain('甲方（买方）：合同测试客户');
    expect(c.body).toContain('贰仟陆佰叁拾壹元壹角壹分');
  });

  it('refuses off-shelf products, a missing amount, bad dates and customers out of scope', async () => {
    const off = await u.rep1!.api.post('/api/v1/contracts', { name: 'x', customerId, lines: [{ productId: products.P3, quantity: 1 }] });
    expect(off.status).toBe(400);
    expect(off.body.error.fields).toContainEqual({ path: 'lines.0.productId', message: expect.any(String) });
    const noAmount = await u.rep1!.api.post('/api/v1/contracts', { name: 'x', customerId });
    expect(noAmount.body.error.fields).toContainEqual({ path: 'amount', message: expect.any(String) });
    const dates = await u.rep1!.api.post('/api/v1/contracts', { name: 'x', customerId, amount: '10', startsOn: '2026-02-01', endsOn: '2026-01-01' });
    expect(dates.body.error.fields).toContainEqual({ path: 'endsOn', message: expect.any(String) });
    expect((await u.rep1!.api.post('/api/v1/contracts', { name: 'x', customerId: otherCustomerId, amount: '10' })).status).toBe(404);
  });

  it('keeps contracts within data scopes: list, count, detail, plans, receivables', async () => {
    const c = await draft('rep1', { amount: '100' });
    expect((await u.rep2!.api.get(`/api/v1/contracts/${c.id}`)).status).toBe(404);
    expect((await u.rep2!.api.get(`/api/v1/contracts/${c.id}/plans`)).status).toBe(404);
    expect((await u.rep2!.api.get('/api/v1/contracts')).body.items.map((x: { id: number }) => x.id)).not.toContain(c.id);
    expect((await u.manager!.api.get(`/api/v1/contracts/${c.id}`)).status).toBe(200);
    const rep2Count = (await u.rep2!.api.get('/api/v1/contracts/count')).body.total;
    expect(rep2Count).toBe(0);
    expect((await u.fin1!.api.get(`/api/v1/contracts/${c.id}`)).status).toBe(200); // finance: all contracts
  });

  it('takes effect at once without an approval flow; with one (会签 in step 2) only when every approver agreed, locked meanwhile', async () => {
    const direct = await draft('rep1', { amount: '500' });
    const effective = await u.rep1!.api.post(`/api/v1/contracts/${direct.id}/submit`, {});
    expect(effective.body).toMatchObject({ status: 'active', execution: 'executing', canEdit: false });

    const flow = {
      businessType: 'contract', name: '合同审批',
      steps: [
        { name: '经理审批', approverKind: 'superior', levels: 1, mode: 'any' },
        { name: '财务会签', approverKind: 'role', approverIds: [t.tenant.roleIds.finance], mode: 'all' },
      ],
    };
    const tpl: { status: number; body: { id: number } } = await t.admin.post('/api/v1/approval-templates', flow);
    expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
    try {
    const c = await draft('rep1', { amount: '80000' });
    expect((await u.rep1!.api.post(`/api/v1/contracts/${c.id}/submit`, {})).body.status).toBe('pending');
    const locked = await u.rep1!.api.patch(`/api/v1/contracts/${c.id}`, { name: '改名' });
    expect(locked.body.error.code).toBe('RECORD_UNDER_APPROVAL');
    const id = (await u.rep1!.api.get(`/api/v1/approvals/by-record?type=contract&recordId=${c.id}`)).body.approval.id;
    expect((await u.manager!.api.post(`/api/v1/approvals/${id}/approve`, { comment: '同意' })).status).toBe(200);
    expect((await u.fin1!.api.post(`/api/v1/approvals/${id}/approve`, {})).status).toBe(200);
    expect((await u.rep1!.api.get(`/api/v1/contracts/${c.id}`)).body.status).toBe('pending'); // fin2 still to agree
    expect((await u.fin2!.api.post(`/api/v1/approvals/${id}/approve`, {})).status).toBe(200);
    const done = (await u.rep1!.api.get(`/api/v1/contracts/${c.id}`)).body;
    expect(done).toMatchObject({ status: 'active', execution: 'executing' });
    const actions = (await u.rep1!.api.get(`/api/v1/contracts/${c.id}/history`)).body.items.map((h: { action: string }) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'approval_submit']));
    } finally {
      // the other tests run without a flow (a template that was used cannot be deleted, only disabled)
      await t.admin.put(`/api/v1/approval-templates/${tpl.body.id}`, { ...flow, enabled: false });
    }
  });

  it('keeps a customer with contracts from being erased from the recycle bin', async () => {
    const customer = (await t.admin.post('/api/v1/customers', { name: '将被删除的客户' })).body.id;
    await t.admin.post('/api/v1/contracts', { name: '留档合同', customerId: customer, amount: '10' });
    expect((await t.admin.delete(`/api/v1/customers/${customer}`)).status).toBe(204);
    const purge = await t.admin.delete(`/api/v1/recycle-bin/customer/${customer}`);
    expect(purge.body.error.code).toBe('CUSTOMER_HAS_CONTRACTS');
    expect((await t.admin.post(`/api/v1/recycle-bin/customer/${customer}/restore`, {})).status).toBeLessThan(300);
  });

  it('records e-signatures with the signed file’s hash', async () => {
    const c = await draft('rep1', { amount: '100' });
    const bytes = new TextEncoder().encode('signed contract pdf');
    const up = await u.rep1!.api.upload(`/api/v1/attachments?entityType=contract&entityId=${c.id}&fileName=${encodeURIComponent('合同扫描件.pdf')}`, bytes);
    expect(up.status).toBe(201);
    const res = await u.rep1!.api.post(`/api/v1/contracts/${c.id}/signatures`, { signerName: '王总', signerSide: 'customer', provider: 'e签宝', signedAt: '2026-11-20T10:00:00+08:00', attachmentId: up.body.id });
    expect(res.status).toBe(201);
    expect(res.body.signatures).toEqual([expect.objectContaining({ signerName: '王总', fileSha256: createHash('sha256').update(bytes).digest('hex'), provider: 'e签宝' })]);
    // a file of another record is refused
    const other = await draft('rep1', { amount: '1' });
    const bad = await u.rep1!.api.post(`/api/v1/contracts/${other.id}/signatures`, { signerName: '王总', signerSide: 'customer', provider: 'x', signedAt: '2026-11-20T10:00:00+08:00', attachmentId: up.body.id });
    expect(bad.body.error.fields).toContainEqual({ path: 'attachmentId', message: expect.any(String) });
  });
});

describe('payment plans and receivables (SAL-7, SAL-8)', () => {
  it('splits a plan exactly, refuses plans beyond the contract, and tracks paid and outstanding through approved receivables', async () => {
    const c = await draft('rep1', { amount: '1000.00' });
    expect((await u.rep1!.api.post('/api/v1/receivables', { contractId: c.id, amount: '100', receivedOn: '2026-11-01' })).body.error.code).toBe('CONTRACT_NOT_ACTIVE');
    await u.rep1!.api.post(`/api/v1/contracts/${c.id}/submit`, {});
    const plans = await u.rep1!.api.post(`/api/v1/contracts/${c.id}/plans`, { split: { amount: '1000', count: 3, firstDueOn: '2026-01-31' } });
    expect(plans.status, JSON.stringify(plans.body)).toBe(201);
    expect(plans.body.items.map((p: { seq: number; dueOn: string; amount: string }) => [p.seq, p.dueOn, p.amount])).toEqual([
      [1, '2026-01-31', '333.33'], [2, '2026-02-28', '333.33'], [3, '2026-03-31', '333.34'],
    ]);
    const over = await u.rep1!.api.post(`/api/v1/contracts/${c.id}/plans`, { plans: [{ dueOn: '2026-04-30', amount: '0.01' }] });
    expect(over.body.error).toMatchObject({ code: 'PLANS_EXCEED_CONTRACT' });

    const first = plans.body.items[0].id;
    const r = await u.rep1!.api.post('/api/v1/receivables', {
      contractId: c.id, planId: first, amount: '333.33', receivedOn: '2026-01-30', method: 'bank_transfer',
      invoiceType: 'vat_special', invoiceNo: 'No.00123', invoiceTaxNo: '91110108MA01ABCD1X', invoiceAmount: '333.33',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', planSeq: 1, currency: 'CNY' });
    // a draft does not count yet; too much is refused
    expect((await u.rep1!.api.get(`/api/v1/contracts/${c.id}`)).body.paid).toBe('0');
    const tooMuch = await u.rep1!.api.post('/api/v1/receivables', { contractId: c.id, amount: '1000.01', receivedOn: '2026-01-30' });
    expect(tooMuch.body.error).toMatchObject({ code: 'RECEIVABLE_EXCEEDS_BALANCE' });
    expect((await u.rep1!.api.post(`/api/v1/receivables/${r.body.id}/submit`, {})).body.status).toBe('approved');
    const after = (await u.rep1!.api.get(`/api/v1/contracts/${c.id}`)).body;
    expect([after.paid, after.outstanding]).toEqual(['333.33', '666.67']);
    const states = (await u.rep1!.api.get(`/api/v1/contracts/${c.id}/plans`)).body.items.map((p: { state: string; received: string }) => [p.state, p.received]);
    expect(states[0]).toEqual(['paid', '333.33']);
    expect(states[1]![0]).toBe('overdue'); // 2026-02-28 has passed
    // an approved receivable cannot change; a plan with money against it cannot go
    expect((await u.rep1!.api.patch(`/api/v1/receivables/${r.body.id}`, { amount: '1' })).body.error.code).toBe('RECEIVABLE_NOT_EDITABLE');
    expect((await u.rep1!.api.delete(`/api/v1/payment-plans/${first}`)).body.error.code).toBe('PLAN_HAS_RECEIVABLES');
    expect((await u.rep1!.api.delete(`/api/v1/contracts/${c.id}`)).status).toBe(403); // reps may not delete contracts at all
    expect((await t.admin.delete(`/api/v1/contracts/${c.id}`)).body.error.code).toBe('CONTRACT_NOT_EDITABLE');

    const overdue = (await u.rep1!.api.get('/api/v1/payment-plans/overdue')).body.items;
    expect(overdue.filter((p: { contractId: number }) => p.contractId === c.id).map((p: { seq: number; outstanding: string }) => [p.seq, p.outstanding])).toEqual([[2, '333.33'], [3, '333.34']]);
    expect((await u.rep2!.api.get('/api/v1/payment-plans/overdue')).body.items.filter((p: { contractId: number }) => p.contractId === c.id)).toEqual([]);
    expect((await u.rep2!.api.get(`/api/v1/receivables/${r.body.id}`)).status).toBe(404);
    expect((await u.fin1!.api.get(`/api/v1/receivables?contractId=${c.id}`)).body.items).toHaveLength(1);
  });

  it('adds months clamped to the month end', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2026-05-15', 12)).toBe('2027-05-15');
  });

  it('reminds owners of expiring contracts and due and overdue instalments, once each', async () => {
    const now = new Date('2026-11-23T01:00:00Z');
    const c = await draft('rep2', { name: '即将到期合同', customerId: otherCustomerId, amount: '600', endsOn: '2026-12-10', remindDays: 30 });
    await u.rep2!.api.post(`/api/v1/contracts/${c.id}/submit`, {});
    await u.rep2!.api.post(`/api/v1/contracts/${c.id}/plans`, { plans: [{ dueOn: '2026-11-25', amount: '100', remindDays: 3 }, { dueOn: '2026-11-01', amount: '100' }] });
    const first = await runReminders(t.db, now);
    expect(first.expiring).toBeGreaterThanOrEqual(1);
    const kinds = async () => (await u.rep2!.api.get('/api/v1/notifications')).body.items.filter((n: { kind: string; title: string }) => n.title.startsWith(c.code)).map((n: { kind: string }) => n.kind).sort();
    expect(await kinds()).toEqual(['contract_expiring', 'plan_due', 'plan_overdue']);
    await runReminders(t.db, new Date(now.getTime() + 3600_000));
    expect(await kinds()).toEqual(['contract_expiring', 'plan_due', 'plan_overdue']);
    // a week later the overdue one (#2, due 11-01) is chased again, and #1 (due 11-25) is now overdue too
    await runReminders(t.db, new Date(now.getTime() + 7 * 86400_000));
    const chased = (await u.rep2!.api.get('/api/v1/notifications')).body.items.filter((n: { kind: string }) => n.kind === 'plan_overdue').map((n: { title: string }) => n.title);
    expect(chased.sort()).toEqual([`${c.code} #1`, `${c.code} #2`, `${c.code} #2`]);
  });
});
