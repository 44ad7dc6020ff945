import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport } from '../../../../test/helpers/export.js';
import { importingRep, undoImport, uploadImport, waitForImport } from '../../../../test/helpers/imports.js';
import type { ImportEntity, ImportSettings } from '../../../common/schemas/imports.js';
import { sql } from '../../db/sql.js';

let t: TestApp;
const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');

/** Uploads `rows` as a CSV, imports it with the guessed mapping and waits for the outcome. */
async function runImport(client: ApiClient, entity: ImportEntity, rows: string[][], settings: Partial<ImportSettings> = {}) {
  const draft = await uploadImport(client, entity, `${entity}.csv`, csv(rows));
  const started = await client.post(`/api/v1/imports/${draft.id}/start`, { mapping: draft.mapping, duplicates: 'skip', ...settings });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return { draft, job: await waitForImport(client, draft.id) };
}

/** The failed rows' numbers and reasons, from the failures file. */
async function failures(client: ApiClient, id: number) {
  return csvRows((await downloadExport(t.url, `/api/v1/imports/${id}/failures`, client, 'format=csv')).bytes)
    .slice(1)
    .map((r) => [r[0], r.at(-1)]);
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('product import', () => {
  const category = async (name: string, parentId: number | null = null) => {
    const res = await t.admin.post('/api/v1/product-categories', { name, parentId });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  let hardware: number;
  let servers: number;
  let firstJob: number;

  beforeAll(async () => {
    hardware = await category('硬件');
    servers = await category('服务器', hardware);
    await category('服务器', await category('软件'));
    expect((await t.admin.post('/api/v1/products', { code: 'SRV-001', name: '已有服务器', price: '100' })).status).toBe(201);
  });

  it('offers a template with the product’s columns, price and name required', async () => {
    const res = await downloadExport(t.url, '/api/v1/imports/template', t.admin, 'entity=product&format=csv');
    expect(res.status).toBe(200);
    expect(csvRows(res.bytes)[0]).toEqual(['产品编号', '产品名称*', '分类', '单位', '标准价*', '成本', '币种', '上架', '描述', '库存预警值']);
  });

  it('creates the good rows through the product service, reports each bad one and skips duplicates', async () => {
    const { draft, job } = await runImport(t.admin, 'product', [
      ['产品编号', '产品名称', '分类', '单位', '标准价', '成本', '币种', '是否上架', '规格'],
      ['NEW-001', '千兆交换机', '硬件', '台', '"1,299.00"', '800', 'CNY', '上架', '24 口'],
      ['', '实施服务', '软件', '人天', '2000', '', '', '否', ''],
      ['NEW-002', '机架服务器', '硬件/服务器', '台', '¥35000', '', '美元', '', ''],
      ['NEW-003', '价格不对', '', '', 'abc', '', '', '', ''],
      ['NEW-004', '分类不存在', '不存在', '', '10', '', '', '', ''],
      ['NEW-005', '分类重名', '服务器', '', '10', '', '', '', ''],
      ['srv-001', '与已有产品同编号', '', '', '10', '', '', '', ''],
      ['new-001', '与第 2 行同编号', '', '', '10', '', '', '', ''],
    ]);
    expect(draft.mapping).toEqual(['code', 'name', 'categoryId', 'unit', 'price', 'cost', 'currency', 'onShelf', 'description']);
    expect(job).toMatchObject({ status: 'completed', rowsCreated: 3, rowsSkipped: 2, rowsFailed: 3 });
    firstJob = draft.id;

    const rows = await t.db.system((q) => q.query<{ code: string; name: string; category_id: number | null; unit: string; price: string; cost: string | null; currency: string; on_shelf: boolean; description: string | null }>(sql`
      SELECT code, name, category_id, unit, price::text AS price, cost::text AS cost, currency, on_shelf, description FROM products WHERE import_job_id = ${draft.id} ORDER BY id`));
    expect(rows).toEqual([
      { code: 'NEW-001', name: '千兆交换机', category_id: hardware, unit: '台', price: '1299.00', cost: '800.00', currency: 'CNY', on_shelf: true, description: '24 口' },
      { code: expect.stringMatching(/^CP\d{6}$/), name: '实施服务', category_id: expect.any(Number), unit: '人天', price: '2000.00', cost: null, currency: 'CNY', on_shelf: false, description: null },
      { code: 'NEW-002', name: '机架服务器', category_id: servers, unit: '台', price: '35000.00', cost: null, currency: 'USD', on_shelf: true, description: null },
    ]);
    expect(await failures(t.admin, draft.id)).toEqual([
      ['5', '标准价：格式不正确'],
      ['6', '分类：找不到对应的记录'],
      ['7', '分类：对应多个记录，请写得更具体'],
    ]);
    // the same change log as the form
    const id = (await t.admin.get('/api/v1/products?q=NEW-001')).body.items[0].id;
    expect((await t.admin.get(`/api/v1/products/${id}/history`)).body.items.map((e: { action: string }) => e.action)).toEqual(['create']);
  });

  it('updates a product found by its code with the file’s filled columns only, and refuses a second product with the code', async () => {
    const update = await runImport(t.admin, 'product', [['产品编号', '产品名称', '标准价', '描述'], ['SRV-001', '已有服务器', '88', '']], { duplicates: 'update' });
    expect(update.job).toMatchObject({ status: 'completed', rowsUpdated: 1, rowsCreated: 0 });
    const p = (await t.admin.get('/api/v1/products?q=SRV-001')).body.items[0];
    expect(p).toMatchObject({ name: '已有服务器', price: '88.00', unit: '个' });

    const create = await runImport(t.admin, 'product', [['产品编号', '产品名称', '标准价'], ['SRV-001', '另一台', '1']], { duplicates: 'create' });
    expect(create.job).toMatchObject({ status: 'completed', rowsCreated: 0, rowsFailed: 1 });
    expect(await failures(t.admin, create.draft.id)).toEqual([['2', expect.stringContaining('已有服务器')]]);
  });

  it('is refused without product.import, and products have no owner to choose', async () => {
    const rep = await importingRep(t, '产品专员', 'products@acme.test', ['product.view']);
    const refused = await rep.api.upload('/api/v1/imports?entity=product&fileName=p.csv', csv([['产品名称', '标准价'], ['x', '1']]));
    expect(refused.status).toBe(403);
    const draft = await uploadImport(t.admin, 'product', 'p.csv', csv([['产品名称', '标准价'], ['x', '1']]));
    const owned = await t.admin.post(`/api/v1/imports/${draft.id}/start`, { mapping: draft.mapping, ownerId: t.tenant.adminId });
    expect(owned.status).toBe(400);
    expect(owned.body.error.fields).toEqual([{ path: 'ownerId', message: expect.any(String) }]);
  });

  it('undoes the import, keeping the products used since', async () => {
    const used = (await t.admin.get('/api/v1/products?q=NEW-002')).body.items[0];
    expect((await t.admin.post('/api/v1/price-books', { name: '美元价', currency: 'USD', items: [{ productId: used.id, price: '5000' }] })).status).toBe(201);
    expect(await undoImport(t.admin, firstJob)).toMatchObject({ status: 'undone', rowsUndone: 2, rowsKept: 1 });
    expect((await t.admin.get('/api/v1/products?q=NEW-001')).body.items).toEqual([]);
    expect((await t.admin.get('/api/v1/products?q=NEW-002')).body.items).toHaveLength(1);
  });
});

describe('opportunity import', () => {
  let rep: { id: number; api: ApiClient };
  let repCustomer: number;
  let firstJob: number;
  const opportunities = (jobId: number) =>
    t.db.system((q) => q.query<{ name: string; customer: string; amount: string; close: string | null; stage: string; owner_id: number; source_code: string | null; description: string | null }>(sql`
      SELECT o.name, c.name AS customer, o.amount::text AS amount, to_char(o.expected_close_date, 'YYYY-MM-DD') AS close, s.name AS stage, o.owner_id, o.source_code, o.description
      FROM opportunities o JOIN customers c ON c.id = o.customer_id JOIN pipeline_stages s ON s.id = o.stage_id
      WHERE o.import_job_id = ${jobId} ORDER BY o.id`));

  beforeAll(async () => {
    expect((await t.admin.post('/api/v1/customers', { name: '北京云帆科技有限公司', code: 'YF-001' })).status).toBe(201);
    rep = await importingRep(t, '商机专员', 'deals@acme.test', ['opportunity.import']);
    const own = await rep.api.post('/api/v1/customers', { name: '杭州小店' });
    expect(own.status).toBe(201);
    repCustomer = own.body.id;
  });

  it('offers a template with the opportunity’s columns', async () => {
    const res = await downloadExport(t.url, '/api/v1/imports/template', t.admin, 'entity=opportunity&format=csv');
    expect(csvRows(res.bytes)[0]).toEqual(['所属客户*', '商机名称*', '商机金额', '币种', '预计成交日期', '销售流程', '销售阶段', '商机来源', '备注', '负责人']);
  });

  it('finds each customer by name or code, the stage by name, and reports each bad row', async () => {
    const { draft, job } = await runImport(t.admin, 'opportunity', [
      ['客户名称', '商机名称', '商机金额', '预计成交日期', '销售阶段', '负责人', '备注'],
      ['北京云帆科技有限公司', '云平台采购', '"120,000"', '2026/12/31', '需求确认', '', '年底前'],
      ['YF-001', '运维外包', '', '', '', '', ''],
      ['北京云帆科技有限公司', '给销售的', '5000', '', '', 'deals@acme.test', ''],
      ['不存在的公司', '找不到客户', '', '', '', '', ''],
      ['北京云帆科技有限公司', '日期不对', '', '2026-13-45', '', '', ''],
      ['北京云帆科技有限公司', '阶段不对', '', '', '不存在的阶段', '', ''],
    ]);
    expect(draft.mapping).toEqual(['customer', 'name', 'amount', 'expectedCloseDate', 'stage', 'owner', 'description']);
    expect(job).toMatchObject({ status: 'completed', rowsCreated: 3, rowsFailed: 3 });
    firstJob = draft.id;
    expect(await opportunities(draft.id)).toEqual([
      { name: '云平台采购', customer: '北京云帆科技有限公司', amount: '120000.00', close: '2026-12-31', stage: '需求确认', owner_id: t.tenant.adminId, source_code: null, description: '年底前' },
      { name: '运维外包', customer: '北京云帆科技有限公司', amount: '0.00', close: null, stage: '初步接洽', owner_id: t.tenant.adminId, source_code: null, description: null },
      { name: '给销售的', customer: '北京云帆科技有限公司', amount: '5000.00', close: null, stage: '初步接洽', owner_id: rep.id, source_code: null, description: null },
    ]);
    expect(await failures(t.admin, draft.id)).toEqual([
      ['5', '所属客户：找不到对应的记录'],
      ['6', '预计成交日期：格式不正确'],
      ['7', '销售阶段：不是可选的值'],
    ]);
    // created as by the form: numbered, with its stage history
    const created = (await t.admin.get('/api/v1/opportunities?q=云平台采购')).body.items[0];
    expect(created.code).toBeTruthy();
    expect((await t.admin.get(`/api/v1/opportunities/${created.id}/stage-history`)).body.items).toHaveLength(1);
  });

  it('lets a rep import onto the customers they can see only, and not hand opportunities to others', async () => {
    const { draft, job } = await runImport(rep.api, 'opportunity', [
      ['所属客户', '商机名称', '负责人'],
      ['北京云帆科技有限公司', '别人的客户', ''],
      ['杭州小店', '自己的客户', ''],
      ['杭州小店', '给管理员', 'admin@acme.test'],
      [String(repCustomer), '按内部编号', ''],
    ]);
    expect(job).toMatchObject({ status: 'completed', rowsCreated: 1, rowsFailed: 3 });
    expect((await opportunities(draft.id)).map((o) => [o.name, o.owner_id])).toEqual([['自己的客户', rep.id]]);
    expect(await failures(rep.api, draft.id)).toEqual([
      ['2', '所属客户：找不到对应的记录'],
      ['4', '负责人：无权使用该值'],
      ['5', '所属客户：找不到对应的记录'],
    ]);
    // without opportunity.transfer, no other owner for the whole file either
    const other = await uploadImport(rep.api, 'opportunity', 'o.csv', csv([['所属客户', '商机名称'], ['杭州小店', 'x']]));
    expect((await rep.api.post(`/api/v1/imports/${other.id}/start`, { mapping: other.mapping, ownerId: t.tenant.adminId })).status).toBe(403);
  });

  it('updates an opportunity its customer already has by that name, or skips it', async () => {
    const rows = [['客户名称', '商机名称', '商机金额'], ['北京云帆科技有限公司', '云平台采购', '150000']];
    expect((await runImport(t.admin, 'opportunity', rows)).job).toMatchObject({ rowsSkipped: 1, rowsCreated: 0 });
    expect((await runImport(t.admin, 'opportunity', rows, { duplicates: 'update' })).job).toMatchObject({ rowsUpdated: 1, rowsCreated: 0 });
    const o = (await t.admin.get('/api/v1/opportunities?q=云平台采购')).body.items;
    expect(o.map((x: { amount: string; stageName: string }) => [x.amount, x.stageName])).toEqual([['150000.00', '需求确认']]);
  });

  it('undoes the import, keeping the opportunities worked on since', async () => {
    const outsourcing = (await t.admin.get('/api/v1/opportunities?q=运维外包')).body.items[0];
    const pipeline = (await t.admin.get('/api/v1/pipelines')).body.items[0];
    const next = pipeline.stages.find((s: { name: string }) => s.name === '方案报价').id;
    expect((await t.admin.post(`/api/v1/opportunities/${outsourcing.id}/stage`, { stageId: next })).status).toBe(200);
    // 云平台采购 was updated by the later import, 运维外包 advanced: only 给销售的 goes
    expect(await undoImport(t.admin, firstJob)).toMatchObject({ status: 'undone', rowsUndone: 1, rowsKept: 2 });
    expect((await t.admin.get('/api/v1/opportunities?q=给销售的')).body.items).toEqual([]);
  });
});
