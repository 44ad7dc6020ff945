import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport, expectExportRefusals, exportingReps, exportLogEntry } from '../../../../test/helpers/export.js';
import { uploadImport, waitForImport } from '../../../../test/helpers/imports.js';

let t: TestApp;
let exporter: ApiClient;
let plainRep: ApiClient;
const ids: Record<string, number> = {};
const PATH = '/api/v1/products/export';
const download = (api: ApiClient, query: string) => downloadExport(t.url, PATH, api, query);

beforeAll(async () => {
  t = await startTestApp();
  ({ exporter, plainRep } = await exportingReps(t, '导出产品', ['product.view', 'product.export']));
  const category = (await t.admin.post('/api/v1/product-categories', { name: '硬件' })).body.id;
  for (const p of [
    { code: 'EX-1', name: '交换机', categoryId: category, unit: '台', price: '1299.5', cost: '800' },
    { code: 'EX-2', name: '路由器', price: '499', onShelf: false },
    { code: 'EX-3', name: '网线', unit: '米', price: '2', lowStockThreshold: '100' },
  ]) {
    const res = await t.admin.post('/api/v1/products', p);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    ids[p.code] = res.body.id;
  }
});
afterAll(() => t?.close());

describe('product export (CUS-16)', () => {
  it('refuses those without product.export and unknown columns', async () => {
    await expectExportRefusals(PATH, plainRep, exporter);
    expect((await t.admin.get('/api/v1/roles')).body.items.find((r: { code: string }) => r.code === 'sales_manager').permissions).toContain('product.export');
  });

  it('exports the list with its filters, a selection, or everything, amounts as numbers, and logs it', async () => {
    const { changes } = await exportLogEntry(t, 'product', async () => {
      const all = csvRows((await download(exporter, 'format=csv&columns=code,name,category,unit,price,cost,onShelf,lowStockThreshold')).bytes);
      expect(all[0]).toEqual(['产品编号', '产品名称', '分类', '单位', '标准价', '成本', '上架', '库存预警值']);
      expect(all.slice(1).sort((a, b) => a[0]!.localeCompare(b[0]!))).toEqual([
        ['EX-1', '交换机', '硬件', '台', '1299.5', '800', '是', ''],
        ['EX-2', '路由器', '', '个', '499', '', '否', ''],
        ['EX-3', '网线', '', '米', '2', '', '是', '100'],
      ]);
    });
    expect(changes).toMatchObject({ rows: 3, format: 'csv', columns: ['code', 'name', 'category', 'unit', 'price', 'cost', 'onShelf', 'lowStockThreshold'] });
    const offShelf = csvRows((await download(exporter, 'format=csv&columns=code&onShelf=false')).bytes);
    expect(offShelf.slice(1)).toEqual([['EX-2']]);
    const picked = csvRows((await download(exporter, `format=csv&columns=code&ids=${ids['EX-1']},${ids['EX-3']}`)).bytes);
    expect(picked.slice(1).flat().sort()).toEqual(['EX-1', 'EX-3']);
    const english = await downloadExport(t.url, PATH, exporter, 'format=csv&columns=code,price', 'en');
    expect(csvRows(english.bytes)[0]).toEqual(['Product code', 'List price']);
  });

  it('writes a file the product import reads back as the same products', async () => {
    const file = await download(t.admin, 'format=csv');
    const draft = await uploadImport(t.admin, 'product', '产品.csv', file.bytes);
    expect(draft.mapping.filter(Boolean)).toEqual(['code', 'name', 'categoryId', 'unit', 'price', 'cost', 'currency', 'onShelf', 'lowStockThreshold', 'description']);
    await t.admin.post(`/api/v1/imports/${draft.id}/start`, { mapping: draft.mapping, duplicates: 'skip' });
    expect(await waitForImport(t.admin, draft.id)).toMatchObject({ status: 'completed', rowsSkipped: 3, rowsFailed: 0, rowsCreated: 0 });
  });

  it('exports in the background, the file for its owner only', async () => {
    const started = await exporter.post(`${PATH}/job?format=csv&columns=code,name`);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let job = started.body;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await exporter.get(`/api/v1/exports/${job.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'completed', rows: 3, entity: 'product' });
    expect(job.fileName).toMatch(/^产品_\d{8}\.csv$/);
    const file = await downloadExport(t.url, `/api/v1/exports/${job.id}/download`, exporter, '');
    expect(csvRows(file.bytes)).toEqual(csvRows((await download(exporter, 'format=csv&columns=code,name')).bytes));
    expect((await downloadExport(t.url, `/api/v1/exports/${job.id}/download`, plainRep, '')).status).toBe(404);
    expect((await plainRep.post(`${PATH}/job?format=csv`)).status).toBe(403);
  });
});
