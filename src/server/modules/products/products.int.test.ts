import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { productsForSale } from './products.service.js';

let t: TestApp;
let rep: ApiClient;
let manager: ApiClient;
let repId: number;

async function user(email: string, roles: number[]) {
  const res = await t.admin.post('/api/v1/users', { name: email, email, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: roles });
  expect(res.status).toBe(201);
  return { id: res.body.id as number, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
}

beforeAll(async () => {
  t = await startTestApp();
  const r = await user('rep@acme.test', [t.tenant.roleIds.sales_rep!]);
  rep = r.api;
  repId = r.id;
  manager = (await user('mgr@acme.test', [t.tenant.roleIds.sales_rep!, t.tenant.roleIds.sales_manager!])).api;
});
afterAll(() => t?.close());

const category = async (name: string, parentId: number | null = null) => {
  const res = await t.admin.post('/api/v1/product-categories', { name, parentId });
  expect(res.status).toBe(201);
  return res.body.id as number;
};
const product = async (body: object) => {
  const res = await t.admin.post('/api/v1/products', body);
  expect(res.status).toBe(201);
  return res.body as { id: number; code: string };
};
const codes = async (query: string) => (await t.admin.get(`/api/v1/products?${query}`)).body.items.map((p: { code: string }) => p.code).sort();

// first: the company currency can only change while nothing depends on it
describe('currencies and exchange rates (SAL-11)', () => {
  it('keeps exactly one company currency, changeable only while nothing depends on it', async () => {
    const list = await rep.get('/api/v1/currencies');
    expect(list.status).toBe(200);
    expect(list.body.items.filter((c: { isCompany: boolean }) => c.isCompany).map((c: { code: string }) => c.code)).toEqual(['CNY']);
    expect((await rep.post('/api/v1/currencies', { code: 'GBP', name: '英镑' })).status).toBe(403);
    expect((await t.admin.post('/api/v1/currencies', { code: 'GBP', name: '英镑' })).status).toBe(201);
    expect((await t.admin.post('/api/v1/currencies', { code: 'GBP', name: '英镑' })).body.error.code).toBe('DUPLICATE');
    expect((await t.admin.post('/api/v1/currencies', { code: 'gb', name: 'x' })).body.error.fields[0].path).toBe('code');

    expect((await t.admin.put('/api/v1/currencies/USD', { isCompany: true })).body).toMatchObject({ code: 'USD', isCompany: true });
    expect((await t.admin.put('/api/v1/currencies/CNY', { isCompany: true })).body).toMatchObject({ code: 'CNY', isCompany: true });
    expect((await t.admin.get('/api/v1/currencies')).body.items.filter((c: { isCompany: boolean }) => c.isCompany)).toHaveLength(1);
    const disable = await t.admin.put('/api/v1/currencies/CNY', { enabled: false });
    expect(disable.status).toBe(409);
    expect(disable.body.error.code).toBe('COMPANY_CURRENCY_DISABLED');

    expect((await t.admin.post('/api/v1/exchange-rates', { currency: 'USD', validFrom: '2024-01-01', rate: '7.10000000' })).status).toBe(201);
    const refused = await t.admin.put('/api/v1/currencies/USD', { isCompany: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'COMPANY_CURRENCY_IN_USE', message: expect.stringContaining('CNY') });
  });

  it('records dated rates and converts with the one valid on the day', async () => {
    expect((await t.admin.post('/api/v1/exchange-rates', { currency: 'USD', validFrom: '2024-06-01', rate: '7.2' })).status).toBe(201);
    expect((await t.admin.post('/api/v1/exchange-rates', { currency: 'EUR', validFrom: '2024-01-01', rate: '7.81234567' })).status).toBe(201);
    const dup = await t.admin.post('/api/v1/exchange-rates', { currency: 'USD', validFrom: '2024-06-01', rate: '7.3' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields[0].path).toBe('validFrom');
    for (const rate of ['0', '0.00000000', '7.123456789', '-1', 'abc']) {
      const bad = await t.admin.post('/api/v1/exchange-rates', { currency: 'USD', validFrom: '2024-07-01', rate });
      expect(bad.status, rate).toBe(400);
      expect(bad.body.error.fields[0].path).toBe('rate');
    }
    expect((await t.admin.post('/api/v1/exchange-rates', { currency: 'CNY', validFrom: '2024-07-01', rate: '1' })).body.error.fields[0].path).toBe('currency');
    expect((await t.admin.post('/api/v1/exchange-rates', { currency: 'JPY', validFrom: '2024-07-01', rate: '0.05' })).body.error.code).toBe('INVALID_REFERENCE');
    expect((await rep.post('/api/v1/exchange-rates', { currency: 'USD', validFrom: '2024-07-01', rate: '7' })).status).toBe(403);

    const convert = async (q: string) => (await rep.get(`/api/v1/exchange-rates/convert?${q}`)).body;
    expect(await convert('amount=100&currency=USD&date=2024-03-01')).toEqual({
      amount: '100.00', currency: 'USD', date: '2024-03-01', rate: '7.10000000', companyCurrency: 'CNY', companyAmount: '710.00',
    });
    expect((await convert('amount=100&currency=USD&date=2024-06-01')).companyAmount).toBe('720.00');
    expect((await convert('amount=1234.56&currency=EUR&date=2025-01-01')).companyAmount).toBe('9644.81'); // 9644.8094…
    expect(await convert('amount=99.99&currency=CNY&date=2020-01-01')).toMatchObject({ rate: null, companyAmount: '99.99' });
    const missing = await rep.get('/api/v1/exchange-rates/convert?amount=100&currency=USD&date=2023-12-31');
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('EXCHANGE_RATE_MISSING');

    expect((await rep.get('/api/v1/exchange-rates?currency=USD')).body.items.map((r: { validFrom: string }) => r.validFrom)).toEqual(['2024-06-01', '2024-01-01']);
    expect((await t.admin.delete('/api/v1/exchange-rates/EUR/2024-01-01')).status).toBe(204);
    expect((await t.admin.delete('/api/v1/exchange-rates/EUR/2024-01-01')).status).toBe(404);
  });
});

describe('product categories (SAL-4)', () => {
  it('keeps the tree acyclic and refuses deleting a category with children or products', async () => {
    const software = await category('软件');
    const erp = await category('ERP', software);
    const modules = await category('模块', erp);
    const cycle = await t.admin.patch(`/api/v1/product-categories/${software}`, { parentId: modules });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error).toMatchObject({ code: 'TREE_CYCLE', fields: [{ path: 'parentId' }] });
    expect((await t.admin.patch(`/api/v1/product-categories/${erp}`, { parentId: erp })).body.error.code).toBe('TREE_CYCLE');
    expect((await t.admin.post('/api/v1/product-categories', { name: 'ERP', parentId: software })).body.error.code).toBe('DUPLICATE');

    const p = await product({ code: 'MOD-1', name: '财务模块', categoryId: modules, price: '100' });
    await product({ code: 'TOP-1', name: '通用软件', categoryId: software, price: '100' });
    expect(await codes(`categoryId=${software}`)).toEqual(['MOD-1', 'TOP-1']);
    expect(await codes(`categoryId=${erp}`)).toEqual(['MOD-1']);

    const hasChildren = await t.admin.delete(`/api/v1/product-categories/${erp}`);
    expect(hasChildren.status).toBe(409);
    expect(hasChildren.body.error.code).toBe('CATEGORY_HAS_CHILDREN');
    expect((await t.admin.delete(`/api/v1/product-categories/${modules}`)).body.error).toMatchObject({ code: 'CATEGORY_HAS_PRODUCTS', message: '该分类下还有 1 个产品，不能删除' });

    // moving the leaf to the top takes its products out of the old branch
    expect((await t.admin.patch(`/api/v1/product-categories/${modules}`, { parentId: null })).body.parentId).toBeNull();
    expect(await codes(`categoryId=${software}`)).toEqual(['TOP-1']);
    await t.admin.delete(`/api/v1/products/${p.id}`);
    expect((await t.admin.delete(`/api/v1/product-categories/${modules}`)).status).toBe(204);
    expect((await rep.get('/api/v1/product-categories')).body.items.map((c: { name: string }) => c.name)).toEqual(['ERP', '软件']);
    expect((await rep.post('/api/v1/product-categories', { name: '不行' })).status).toBe(403);
  });
});

describe('products (SAL-4)', () => {
  it('creates with a numbered or given unique code, validates, logs and soft-deletes', async () => {
    const auto = await product({ name: '标准版许可', price: '1999.9', cost: '500', unit: '套' });
    expect(auto).toMatchObject({ code: 'CP000001', price: '1999.90', cost: '500.00', currency: 'CNY', onShelf: true, stock: '0.000', lowStock: false });
    // a hand-typed code that the rule would give next is skipped
    await product({ code: 'cp000002', name: '手工编号', price: '1' });
    expect((await product({ name: '下一个', price: '1' })).code).toBe('CP000003');

    const dup = await t.admin.post('/api/v1/products', { code: 'CP000001', name: '重复', price: '1' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', fields: [{ path: 'code' }] });
    const bad = await t.admin.post('/api/v1/products', { name: '', price: '12.345', currency: 'usd', unit: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['currency', 'name', 'price', 'unit']);
    expect((await t.admin.post('/api/v1/products', { name: 'x', price: '1', currency: 'JPY' })).body.error).toMatchObject({ code: 'INVALID_REFERENCE', fields: [{ path: 'currency' }] });
    expect((await t.admin.post('/api/v1/products', { name: 'x', price: '1', categoryId: 999999 })).body.error.fields[0].path).toBe('categoryId');

    // the same amount written differently is no change
    expect((await t.admin.patch(`/api/v1/products/${auto.id}`, { price: '1999.90', name: '标准版许可' })).status).toBe(200);
    const changed = await t.admin.patch(`/api/v1/products/${auto.id}`, { price: '2999', description: '含一年升级' });
    expect(changed.body).toMatchObject({ price: '2999.00', description: '含一年升级' });
    expect((await t.admin.patch(`/api/v1/products/${auto.id}`, { code: 'CP000003' })).body.error.code).toBe('DUPLICATE');
    const history = (await rep.get(`/api/v1/products/${auto.id}/history`)).body.items;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['update', 'create']);
    expect(history[0].changes).toEqual([
      { field: 'price', before: '1999.90', after: '2999' },
      { field: 'description', before: null, after: '含一年升级' },
    ]);

    const forSale = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => productsForSale(q, t.tenant.tenantId, [auto.id, auto.id]));
    expect([...forSale.values()]).toEqual([{ id: auto.id, code: 'CP000001', name: '标准版许可', unit: '套', price: '2999.00', onShelf: true }]);
    expect((await t.admin.delete(`/api/v1/products/${auto.id}`)).status).toBe(204);
    expect((await t.admin.get(`/api/v1/products/${auto.id}`)).status).toBe(404);
    expect((await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => productsForSale(q, t.tenant.tenantId, [auto.id]))).size).toBe(0);
    // the code is free again once the product is deleted
    expect((await product({ code: 'CP000001', name: '新版许可', price: '1' })).code).toBe('CP000001');
  });

  it('puts products on and off the shelf in bulk and filters by it', async () => {
    const a = await product({ code: 'SH-A', name: '上架甲', price: '10' });
    const b = await product({ code: 'SH-B', name: '上架乙', price: '10' });
    expect((await t.admin.post('/api/v1/products/shelf', { productIds: [a.id, b.id], onShelf: false })).body).toEqual({ changed: 2 });
    expect(await codes('q=SH-&onShelf=true')).toEqual([]);
    expect(await codes('q=sh-&onShelf=false')).toEqual(['SH-A', 'SH-B']);
    expect((await t.admin.post('/api/v1/products/shelf', { productIds: [a.id, b.id], onShelf: true })).body).toEqual({ changed: 2 });
    expect((await t.admin.post('/api/v1/products/shelf', { productIds: [a.id], onShelf: true })).body).toEqual({ changed: 0 });
    expect(await codes('q=上架&onShelf=true')).toEqual(['SH-A', 'SH-B']);
    expect((await rep.get(`/api/v1/products/${a.id}/history`)).body.items[0].action).toBe('on_shelf');
    // a wildcard typed in the search is taken literally
    expect(await codes('q=%25')).toEqual([]);
  });

  it('lets a rep read but not change the catalogue', async () => {
    const p = await product({ code: 'RO-1', name: '只读', price: '1' });
    expect((await rep.get('/api/v1/products?q=RO-1')).body.items).toHaveLength(1);
    expect((await rep.get(`/api/v1/products/${p.id}`)).body.allowed).toEqual({ edit: false, stock: false });
    expect((await rep.post('/api/v1/products', { name: 'x', price: '1' })).status).toBe(403);
    expect((await rep.patch(`/api/v1/products/${p.id}`, { name: 'x' })).status).toBe(403);
    expect((await rep.post('/api/v1/products/shelf', { productIds: [p.id], onShelf: false })).status).toBe(403);
    expect((await rep.post(`/api/v1/products/${p.id}/stock-movements`, { direction: 'in', quantity: '1', reason: 'x' })).status).toBe(403);
    expect((await rep.post('/api/v1/price-books', { name: 'x', currency: 'CNY' })).status).toBe(403);
    // files: readable by whoever sees products, added by product managers
    const pdf = new TextEncoder().encode('%PDF-1.4 规格书');
    const up = await t.admin.upload(`/api/v1/attachments?entityType=product&entityId=${p.id}&fileName=spec.pdf`, pdf);
    expect(up.status).toBe(201);
    expect((await rep.get(`/api/v1/attachments?entityType=product&entityId=${p.id}`)).body.items).toHaveLength(1);
    expect((await rep.upload(`/api/v1/attachments?entityType=product&entityId=${p.id}&fileName=x.pdf`, pdf)).status).toBe(403);
  });
});

describe('stock (SAL-4)', () => {
  it('keeps a ledger, never goes negative and announces each dip under the threshold once', async () => {
    const p = await product({ code: 'ST-1', name: '服务器', price: '30000', unit: '台', lowStockThreshold: '5' });
    const move = (direction: 'in' | 'out', quantity: string) => t.admin.post(`/api/v1/products/${p.id}/stock-movements`, { direction, quantity, reason: '盘点' });
    const alerts = async () => (await manager.get('/api/v1/notifications')).body.items.filter((n: { kind: string }) => n.kind === 'product_low_stock');
    const adminAlerts = async () => (await t.admin.get('/api/v1/notifications')).body.items.filter((n: { kind: string }) => n.kind === 'product_low_stock');

    expect((await move('in', '10.5')).body).toMatchObject({ stock: '10.500', lowStock: false });
    const tooMany = await move('out', '10.501');
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'STOCK_INSUFFICIENT', message: '库存不足：当前库存 10.500 台，不能出库 10.501 台' });
    expect((await move('out', '0')).status).toBe(400);

    expect((await move('out', '5.5')).body).toMatchObject({ stock: '5.000', lowStock: true });
    expect(await adminAlerts()).toHaveLength(1);
    expect((await adminAlerts())[0]).toMatchObject({ title: 'ST-1 服务器', entityType: 'product', entityId: p.id });
    expect(await alerts()).toHaveLength(0); // product.manage only
    expect((await move('out', '1')).body.stock).toBe('4.000');
    expect(await adminAlerts()).toHaveLength(1);
    expect(await codes('lowStock=true')).toEqual(['ST-1']);
    await move('in', '10');
    expect(await codes('lowStock=true')).toEqual([]);
    await move('out', '9');
    expect(await adminAlerts()).toHaveLength(2);

    const ledger = (await rep.get(`/api/v1/products/${p.id}/stock-movements`)).body.items;
    expect(ledger.map((m: { direction: string; quantity: string; balance: string }) => `${m.direction} ${m.quantity} → ${m.balance}`)).toEqual([
      'out 9.000 → 5.000', 'in 10.000 → 14.000', 'out 1.000 → 4.000', 'out 5.500 → 5.000', 'in 10.500 → 10.500',
    ]);
    expect((await rep.get(`/api/v1/products/${p.id}/history`)).body.items[0]).toMatchObject({ action: 'stock_out', changes: [{ field: 'stock', before: '14.000', after: '5.000' }, { field: 'reason', after: '盘点' }] });
  });
});

describe('pricing (SAL-4)', () => {
  let hw: number;
  let licence: number;
  let bookId: number;
  beforeAll(async () => {
    hw = await category('硬件');
    licence = (await product({ code: 'PR-1', name: 'CRM 许可', price: '1000', categoryId: await category('服务器', hw) })).id;
  });
  const price = async (q: string, api = t.admin) => (await api.get(`/api/v1/products/${licence}/price?${q}`)).body;

  it('gives the list price, a price book price for the level, and the best rule on top', async () => {
    expect(await price('quantity=3')).toEqual({
      currency: 'CNY', listPrice: '1000.00', price: '1000.00', discount: '0.00', source: 'list', priceBookId: null, ruleId: null, maxDiscountForActor: '100.00',
    });
    const book = await t.admin.post('/api/v1/price-books', { name: 'A 级客户价', levelCode: 'a', currency: 'CNY', validFrom: '2020-01-01', items: [{ productId: licence, price: '900' }] });
    expect(book.status).toBe(201);
    bookId = book.body.id;
    expect((await t.admin.post('/api/v1/price-books', { name: '坏的', levelCode: 'zz', currency: 'CNY' })).body.error.fields[0].path).toBe('levelCode');
    expect((await t.admin.post('/api/v1/price-books', { name: '过期', currency: 'CNY', validFrom: '2020-01-02', validTo: '2020-01-01' })).status).toBe(400);
    // a general book for everyone, expired: ignored
    await t.admin.post('/api/v1/price-books', { name: '旧价', currency: 'CNY', validTo: '2020-12-31', items: [{ productId: licence, price: '1.00' }] });

    expect(await price('customerLevel=a')).toMatchObject({ price: '900.00', discount: '10.00', source: 'price_book', priceBookId: bookId });
    expect(await price('customerLevel=b')).toMatchObject({ price: '1000.00', source: 'list' });
    const customer = (await t.admin.post('/api/v1/customers', { name: 'A 级客户', levelCode: 'a' })).body;
    expect(await price(`customerId=${customer.id}`)).toMatchObject({ price: '900.00', source: 'price_book' });
    // a customer the caller cannot see is not found
    expect((await rep.get(`/api/v1/products/${licence}/price?customerId=${customer.id}`)).status).toBe(404);
    expect((await rep.get(`/api/v1/price-books?productId=${licence}`)).body.items.map((b: { name: string }) => b.name)).toEqual(['A 级客户价', '旧价']);

    const qty = await t.admin.post('/api/v1/discount-rules', { name: '硬件 10 件以上', kind: 'quantity', minQuantity: '10', categoryId: hw, percent: '5' });
    expect(qty.status).toBe(201);
    const level = await t.admin.post('/api/v1/discount-rules', { name: 'B 级 3%', kind: 'customer_level', levelCode: 'b', percent: '3.5' });
    expect((await t.admin.post('/api/v1/discount-rules', { name: '缺数量', kind: 'quantity', percent: '5' })).body.error.fields[0].path).toBe('minQuantity');
    expect((await t.admin.post('/api/v1/discount-rules', { name: '太多', kind: 'quantity', minQuantity: 1, percent: '100.01' })).status).toBe(400);

    expect(await price('quantity=9.999')).toMatchObject({ price: '1000.00', source: 'list' });
    expect(await price('quantity=10')).toMatchObject({ price: '950.00', discount: '5.00', source: 'rule', ruleId: qty.body.id });
    // the rule applies to the price book price: 900 × 95 % = 855
    expect(await price('quantity=10&customerLevel=a')).toMatchObject({ listPrice: '1000.00', price: '855.00', discount: '14.50', source: 'rule', priceBookId: bookId });
    expect(await price('customerLevel=b')).toMatchObject({ price: '965.00', discount: '3.50', ruleId: level.body.id });
    // rules do not stack: the larger one wins
    expect(await price('quantity=20&customerLevel=b')).toMatchObject({ price: '950.00', ruleId: qty.body.id });
    await t.admin.put(`/api/v1/discount-rules/${level.body.id}`, { name: 'B 级 7.77%', kind: 'customer_level', levelCode: 'b', percent: '7.77' });
    expect(await price('quantity=20&customerLevel=b')).toMatchObject({ price: '922.30', discount: '7.77' });
  });

  it('quotes in another currency at today’s rate and through price books in that currency', async () => {
    // USD is 7.2 since 2024-06-01: 1000 CNY = 138.888… USD
    expect(await price('currency=USD')).toMatchObject({ currency: 'USD', listPrice: '138.89', price: '138.89', source: 'list' });
    await t.admin.post('/api/v1/price-books', { name: '美元价', currency: 'USD', items: [{ productId: licence, price: '135' }] });
    expect(await price('currency=USD')).toMatchObject({ listPrice: '138.89', price: '135.00', discount: '2.80', source: 'price_book' });
    expect((await t.admin.get(`/api/v1/products/${licence}/price?currency=HKD`)).body.error.code).toBe('EXCHANGE_RATE_MISSING');
  });

  it('limits line discounts by role: the highest of the user’s roles, 0 without one', async () => {
    const roles = (await t.admin.get('/api/v1/discount-limits')).body.items;
    expect(roles.every((r: { maxPercent: string | null }) => r.maxPercent === null)).toBe(true);
    expect((await price('', rep)).maxDiscountForActor).toBe('0.00');
    const set = await t.admin.put('/api/v1/discount-limits', {
      limits: [{ roleId: t.tenant.roleIds.sales_rep, maxPercent: '10' }, { roleId: t.tenant.roleIds.sales_manager, maxPercent: 20 }],
    });
    expect(set.status).toBe(200);
    expect(set.body.items.find((r: { roleId: number }) => r.roleId === t.tenant.roleIds.sales_manager).maxPercent).toBe('20.00');
    expect((await price('', rep)).maxDiscountForActor).toBe('10.00');
    expect((await price('', manager)).maxDiscountForActor).toBe('20.00');
    expect((await rep.get('/api/v1/discount-limits/mine')).body).toEqual({ maxPercent: '10.00' });
    expect((await rep.get('/api/v1/discount-limits')).status).toBe(403);
    expect((await t.admin.put('/api/v1/discount-limits', { limits: [{ roleId: 999999, maxPercent: '5' }] })).body.error.code).toBe('INVALID_REFERENCE');
    expect(repId).toBeGreaterThan(0);
  });
});

describe('user time zone', () => {
  it('keeps a valid IANA zone per user, beside the language', async () => {
    expect((await rep.get('/api/v1/auth/me')).body.user).toMatchObject({ timeZone: 'Asia/Shanghai', locale: 'zh-CN' });
    const bad = await rep.put('/api/v1/auth/preferences', { timeZone: 'Mars/Olympus' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('timeZone');
    expect((await rep.put('/api/v1/auth/preferences', { timeZone: 'Europe/Berlin' })).status).toBe(204);
    expect((await rep.get('/api/v1/auth/me')).body.user).toMatchObject({ timeZone: 'Europe/Berlin', locale: 'zh-CN' });
    expect((await rep.put('/api/v1/auth/preferences', { locale: 'en' })).status).toBe(204);
    expect((await rep.get('/api/v1/auth/me')).body.user).toMatchObject({ timeZone: 'Europe/Berlin', locale: 'en' });
  });
});
