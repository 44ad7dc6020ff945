import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';
import { findPdfFont } from './quotes.pdf.js';

let t: TestApp;
const u: Record<string, { id: number; api: ApiClient }> = {};
let customerId: number;
let otherCustomerId: number;
const products: Record<string, number> = {};

/** manager ← rep1, rep2. rep1 owns the customer, rep2 another. Reps may give 10 %, managers 20 %. */
beforeAll(async () => {
  t = await startTestApp();
  const people = [
    ['manager', 'sales_manager', null],
    ['rep1', 'sales_rep', 'manager'],
    ['rep2', 'sales_rep', 'manager'],
  ] as const;
  for (const [key, role, superior] of people) {
    const res = await t.admin.post('/api/v1/users', {
      name: key, email: `${key}@acme.test`, departmentId: t.tenant.rootDepartmentId, password: 'password-123',
      roleIds: [t.tenant.roleIds[role]], superiorId: superior ? u[superior]!.id : null,
    });
    expect(res.status).toBe(201);
    u[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
  }
  await t.admin.put('/api/v1/discount-limits', { limits: [{ roleId: t.tenant.roleIds.sales_rep, maxPercent: '10' }, { roleId: t.tenant.roleIds.sales_manager, maxPercent: '20' }] });
  customerId = (await u.rep1!.api.post('/api/v1/customers', { name: '报价测试客户' })).body.id;
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
  const res = await u[who]!.api.post('/api/v1/quotes', { name: '年度采购报价', customerId, lines: [{ productId: products.P2, quantity: 1 }], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

/** A flow for quotes: the submitter's superior approves (或签). */
async function withFlow(work: () => Promise<void>) {
  const flow = { businessType: 'quote', name: '报价折扣审批', steps: [{ name: '上级审批', approverKind: 'superior', levels: 1, mode: 'any' }] };
  const tpl = await t.admin.post('/api/v1/approval-templates', flow);
  expect(tpl.status, JSON.stringify(tpl.body)).toBe(201);
  try {
    await work();
  } finally {
    // a used template cannot be deleted, only disabled
    await t.admin.put(`/api/v1/approval-templates/${tpl.body.id}`, { ...flow, enabled: false });
  }
}

const approvalOf = async (who: string, id: number) => (await u[who]!.api.get(`/api/v1/approvals/by-record?type=quote&recordId=${id}`)).body.approval;

describe('quotes (SAL-5)', () => {
  it('computes totals and the effective discount exactly, numbered BJ…, only from on-shelf products', async () => {
    const b = await draft('rep1', { lines: [{ productId: products.P1, quantity: '3', discount: '15' }, { productId: products.P2, quantity: 2 }], discount: '5', taxRate: '13', validUntil: '2026-12-31' });
    expect(b).toMatchObject({ status: 'draft', version: 1, amount: '2631.11', amountCompany: '2631.11', currency: 'CNY', listTotal: '2459.97', effectiveDiscount: '5.35', superseded: false });
    expect(b.code).toMatch(/^BJ\d{6}\d{4}$/);
    expect(b.totals).toEqual({ listTotal: '2459.97', subtotal: '2450.97', discountAmount: '122.55', tax: '302.69', total: '2631.11' });
    expect(b.lines.map((l: { productName: string; amount: string; listPrice: string }) => [l.productName, l.amount, l.listPrice])).toEqual([['软件许可', '50.97', '19.99'], ['实施服务', '2400.00', '1200.00']]);
    // a price below list counts as discount too
    const cheap = await draft('rep1', { lines: [{ productId: products.P2, quantity: 1, price: '1000' }] });
    expect([cheap.amount, cheap.effectiveDiscount, cheap.needsApproval]).toEqual(['1000.00', '16.67', true]);
    const off = await u.rep1!.api.post('/api/v1/quotes', { name: 'x', customerId, lines: [{ productId: products.P3, quantity: 1 }] });
    expect(off.status).toBe(400);
    expect(off.body.error.fields).toContainEqual({ path: 'lines.0.productId', message: expect.any(String) });
  });

  it('refuses bad input with VALIDATION_FAILED and the fields', async () => {
    const res = await u.rep1!.api.post('/api/v1/quotes', { name: '', customerId, discount: '101', lines: [{ productId: products.P1, quantity: '0' }], validUntil: '2026-13-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'discount', 'lines.0.quantity', 'validUntil']));
    const noLines = await u.rep1!.api.post('/api/v1/quotes', { name: 'x', customerId, lines: [] });
    expect(noLines.body.error.fields.map((f: { path: string }) => f.path)).toContain('lines');
    const other = await u.rep1!.api.post('/api/v1/quotes', { name: 'x', customerId: otherCustomerId, lines: [{ productId: products.P1, quantity: 1 }] });
    expect(other.status).toBe(404);
  });

  it('sends a quote within the limit without approval; beyond it, only after the superior approved; then accepted and converted into a contract', async () => {
    const within = await draft('rep1', { lines: [{ productId: products.P2, quantity: 1, discount: '10' }] });
    expect(within.needsApproval).toBe(false);
    expect((await u.rep1!.api.post(`/api/v1/quotes/${within.id}/send`)).body).toMatchObject({ status: 'sent' });

    const beyond = await draft('rep1', { lines: [{ productId: products.P1, quantity: 10, discount: '10' }, { productId: products.P2, quantity: 2, discount: '12' }], discount: '2', taxRate: '6' });
    expect(beyond).toMatchObject({ needsApproval: true, allowed: { send: false, submit: true } });
    const refused = await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/send`);
    expect(refused.body.error).toMatchObject({ code: 'QUOTE_DISCOUNT_NEEDS_APPROVAL' });
    // no flow for quotes: a clear error, and nothing changed
    const noFlow = await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/submit`, {});
    expect(noFlow.body.error.code).toBe('QUOTE_DISCOUNT_NEEDS_FLOW');
    expect((await u.rep1!.api.get(`/api/v1/quotes/${beyond.id}`)).body.status).toBe('draft');

    await withFlow(async () => {
      expect((await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/submit`, { comment: '大客户' })).body.status).toBe('pending');
      expect((await u.rep1!.api.patch(`/api/v1/quotes/${beyond.id}`, { name: '改名' })).body.error.code).toBe('RECORD_UNDER_APPROVAL');
      expect((await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/send`)).body.error.code).toBe('RECORD_UNDER_APPROVAL');
      const approval = await approvalOf('rep1', beyond.id);
      expect(approval.snapshot.discount).toBe(beyond.effectiveDiscount);
      expect((await u.rep2!.api.post(`/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(404); // not theirs to see
      expect((await u.manager!.api.post(`/api/v1/approvals/${approval.id}/approve`, { comment: '同意' })).status).toBe(200);
    });
    expect((await u.rep1!.api.get(`/api/v1/quotes/${beyond.id}`)).body).toMatchObject({ status: 'approved', allowed: { send: true, edit: false } });
    expect((await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/contract`, {})).body.error.code).toBe('QUOTE_BAD_STATUS');
    expect((await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/send`)).body.status).toBe('sent');
    const accepted = await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/answer`, { answer: 'accepted', note: '客户确认' });
    expect(accepted.body).toMatchObject({ status: 'accepted', allowed: { convert: true } });

    const converted = await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/contract`, {});
    expect(converted.status, JSON.stringify(converted.body)).toBe(201);
    expect(converted.body.quote.contractId).toBe(converted.body.contractId);
    const contract = (await u.rep1!.api.get(`/api/v1/contracts/${converted.body.contractId}`)).body;
    expect(contract).toMatchObject({ status: 'draft', customerId, amount: beyond.amount, discount: beyond.discount, taxRate: beyond.taxRate, currency: 'CNY' });
    const lineKey = (l: { productId: number; quantity: string; price: string; discount: string; amount: string }) => [l.productId, l.quantity, l.price, l.discount, l.amount];
    expect(contract.lines.map(lineKey)).toEqual(beyond.lines.map(lineKey));
    expect((await u.rep1!.api.post(`/api/v1/quotes/${beyond.id}/contract`, {})).body.error.code).toBe('QUOTE_ALREADY_CONVERTED');
    const actions = (await u.rep1!.api.get(`/api/v1/quotes/${beyond.id}/history`)).body.items.map((h: { action: string }) => h.action);
    expect(actions).toEqual(expect.arrayContaining(['create', 'approval_submit', 'approval_approve', 'send', 'accept', 'convert']));
  });

  it('returns to an editable draft when the approval is rejected; the rejection can be resubmitted', async () => {
    const b = await draft('rep1', { lines: [{ productId: products.P2, quantity: 1, discount: '30' }] });
    await withFlow(async () => {
      await u.rep1!.api.post(`/api/v1/quotes/${b.id}/submit`, {});
      const approval = await approvalOf('rep1', b.id);
      expect((await u.manager!.api.post(`/api/v1/approvals/${approval.id}/reject`, { comment: '折扣太大' })).status).toBe(200);
      expect((await u.rep1!.api.get(`/api/v1/quotes/${b.id}`)).body).toMatchObject({ status: 'draft', allowed: { edit: true, send: false } });
      const edited = await u.rep1!.api.patch(`/api/v1/quotes/${b.id}`, { lines: [{ productId: products.P2, quantity: 1, discount: '8' }] });
      expect(edited.body).toMatchObject({ effectiveDiscount: '8.00', needsApproval: false, amount: '1104.00' });
      // resubmitting from the approvals inbox marks the quote pending again
      await u.rep1!.api.patch(`/api/v1/quotes/${b.id}`, { discount: '20' });
      expect((await u.rep1!.api.post(`/api/v1/approvals/${approval.id}/resubmit`, {})).status).toBe(200);
      expect((await u.rep1!.api.get(`/api/v1/quotes/${b.id}`)).body.status).toBe('pending');
      expect((await u.rep1!.api.post(`/api/v1/approvals/${approval.id}/withdraw`, {})).status).toBe(200);
      expect((await u.rep1!.api.get(`/api/v1/quotes/${b.id}`)).body.status).toBe('draft');
    });
  });

  it('makes new versions under the same code; old versions are read-only and only the latest can be accepted', async () => {
    const v1 = await draft('rep1', { lines: [{ productId: products.P1, quantity: 5 }] });
    await u.rep1!.api.post(`/api/v1/quotes/${v1.id}/send`);
    expect((await u.rep1!.api.post(`/api/v1/quotes/${v1.id}/answer`, { answer: 'rejected', note: '太贵' })).body.status).toBe('rejected');
    const v2 = await u.rep1!.api.post(`/api/v1/quotes/${v1.id}/versions`);
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ code: v1.code, version: 2, rootId: v1.id, status: 'draft', amount: v1.amount });
    expect(v2.body.versions.map((v: { version: number; superseded: boolean }) => [v.version, v.superseded])).toEqual([[1, true], [2, false]]);
    expect((await u.rep1!.api.patch(`/api/v1/quotes/${v1.id}`, { name: 'x' })).body.error.code).toBe('QUOTE_SUPERSEDED');
    expect((await u.rep1!.api.post(`/api/v1/quotes/${v1.id}/answer`, { answer: 'accepted' })).body.error.code).toBe('QUOTE_SUPERSEDED');
    const latest = (await u.rep1!.api.get(`/api/v1/quotes?customerId=${customerId}&limit=200`)).body.items.filter((x: { code: string }) => x.code === v1.code);
    expect(latest.map((x: { version: number }) => x.version)).toEqual([2]);
    expect((await u.rep1!.api.get(`/api/v1/quotes/count?customerId=${customerId}&versions=all&q=${v1.code}`)).body.total).toBe(2);
    // deleting the draft v2 makes v1 the latest again
    expect((await u.manager!.api.delete(`/api/v1/quotes/${v2.body.id}`)).status).toBe(204);
    expect((await u.rep1!.api.get(`/api/v1/quotes/${v1.id}`)).body).toMatchObject({ superseded: false, status: 'rejected' });
    const v3 = await u.rep1!.api.post(`/api/v1/quotes/${v1.id}/versions`);
    expect(v3.body.version).toBe(3);
    expect((await u.rep1!.api.post(`/api/v1/quotes/${v3.body.id}/answer`, { answer: 'accepted' })).body.error.code).toBe('QUOTE_BAD_STATUS');
  });

  it('keeps quotes within data scopes: list, count, detail, pdf, print and history', async () => {
    const b = await draft('rep1');
    for (const path of ['', '/pdf', '/print', '/history']) expect((await u.rep2!.api.get(`/api/v1/quotes/${b.id}${path}`)).status, path).toBe(404);
    expect((await u.rep2!.api.get('/api/v1/quotes?limit=200')).body.items.map((x: { id: number }) => x.id)).not.toContain(b.id);
    expect((await u.rep2!.api.get('/api/v1/quotes/count')).body.total).toBe(0);
    expect((await u.rep2!.api.post(`/api/v1/quotes/${b.id}/send`)).status).toBe(404);
    expect((await u.manager!.api.get(`/api/v1/quotes/${b.id}`)).status).toBe(200);
    expect((await u.manager!.api.get(`/api/v1/quotes?ownerId=${u.rep1!.id}&limit=200`)).body.items.map((x: { id: number }) => x.id)).toContain(b.id);
  });

  it('renders a PDF in the CJK font with the quote’s Chinese text', async () => {
    const font = findPdfFont();
    const b = await draft('rep1', { terms: '付款方式：预付百分之三十', validUntil: '2026-12-31' });
    const res = await fetch(`${t.url}/api/v1/quotes/${b.id}/pdf`, { headers: { cookie: u.rep1!.api.cookie! } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text).toContain('/FontFile2');
    if (font.face) expect(text).toContain(font.face);
    // the ToUnicode maps (in compressed streams) name the code points of what was drawn
    const inflated: string[] = [];
    for (const m of text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
      try {
        inflated.push(inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'));
      } catch {
        /* not deflated */
      }
    }
    const cmaps = inflated.filter((s) => s.includes('begincmap')).join('\n').toLowerCase();
    for (const ch of '报价测试客户预付') expect(cmaps, ch).toContain(`<${ch.codePointAt(0)!.toString(16).padStart(4, '0')}>`);
  });
});
