import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport, exportingReps } from '../../../../test/helpers/export.js';
import { sql } from '../../db/sql.js';
import { EXPORT_PAGE_SIZE } from '../../platform/exchange/list-export.js';
import { pythonTestZip, sheetRows } from '../../../../test/helpers/xlsx.js';

let t: TestApp;
let exporter: ApiClient; // a rep (own customers only) who may export
let plainRep: ApiClient; // a rep without customer.export
let exporterId: number;
let mine: { id: number }[];
let fieldKey: string;

const download = (client: ApiClient, query: string, locale?: 'en') => downloadExport(t.url, '/api/v1/customers/export', client, query, locale);

beforeAll(async () => {
  t = await startTestApp();
  let plainId: number;
  ({ exporter, exporterId, plainRep, plainId } = await exportingReps(t, '导出', ['customer.view', 'customer.export']));

  const field = await t.admin.post('/api/v1/custom-fields', {
    entity: 'customer', label: '合作阶段', type: 'select', options: [{ value: 'trial', label: '试用中' }, { value: 'paid', label: '已付费' }],
  });
  fieldKey = field.body.key;
  mine = [];
  for (const c of [
    { name: '北京云帆科技有限公司', tags: ['重点', 'VIP'], phone: '13800138000', custom: { [fieldKey]: 'paid' } },
    { name: '深圳星河贸易有限公司', kind: 'dealer' },
    { name: '=cmd|calc', kind: 'personal' },
  ]) {
    const res = await t.admin.post('/api/v1/customers', { ...c, ownerId: exporterId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    mine.push(res.body);
  }
  expect((await t.admin.post('/api/v1/customers', { name: '别人的客户有限公司', ownerId: plainId })).status).toBe(201);
});
afterAll(() => t?.close());

describe('customer export', () => {
  it('gives a rep only the customers they may see, as CSV, with Chinese intact', async () => {
    const res = await download(exporter, 'format=csv&columns=name,code,kind,tags,owner,status,' + fieldKey);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''%E5%AE%A2%E6%88%B7_\d{8}\.csv$/);
    const [header, ...rows] = csvRows(res.bytes);
    expect(header).toEqual(['客户名称', '客户编号', '客户类型', '标签', '负责人', '客户状态', '合作阶段']);
    expect(rows.map((r) => r[0]).sort()).toEqual(["'=cmd|calc", '北京云帆科技有限公司', '深圳星河贸易有限公司'].sort());
    const beijing = rows.find((r) => r[0] === '北京云帆科技有限公司')!;
    expect(beijing.slice(2)).toEqual(['企业客户', '重点、VIP', '销售小李', '新建', '已付费']);
    expect(beijing[1]).toMatch(/^KH/);
    expect(res.bytes.toString('utf8')).not.toContain('别人的客户');
  });

  it('gives the same rows as XLSX, headers in English when asked', async () => {
    const res = await download(exporter, 'columns=name,kind,region,createdAt', 'en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''Customers_\d{8}\.xlsx$/);
    expect(pythonTestZip(res.bytes) ?? null).toBeNull();
    const [header, ...rows] = sheetRows(res.bytes);
    expect(header).toEqual(['Customer name', 'Customer type', 'Region', 'Created']);
    expect(rows.map((r) => r[0]).sort()).toEqual(['=cmd|calc', '北京云帆科技有限公司', '深圳星河贸易有限公司'].sort());
    expect(rows.find((r) => r[0] === '深圳星河贸易有限公司')![1]).toBe('Dealer');
    expect(rows[0]![2]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/); // no region: the cell is left out
  });

  it('applies the list’s filters, views and a selection', async () => {
    const byName = sheetRows((await download(exporter, 'columns=name&q=云帆')).bytes);
    expect(byName).toEqual([['客户名称'], ['北京云帆科技有限公司']]);
    const byKind = csvRows((await download(exporter, 'format=csv&columns=name&kind=dealer')).bytes);
    expect(byKind).toEqual([['客户名称'], ['深圳星河贸易有限公司']]);
    const byCustom = csvRows((await download(exporter, `format=csv&columns=name&custom=${encodeURIComponent(JSON.stringify({ [fieldKey]: { in: ['paid'] } }))}`)).bytes);
    expect(byCustom).toEqual([['客户名称'], ['北京云帆科技有限公司']]);
    const admin = await download(t.admin, 'format=csv&columns=name&view=mine');
    expect(csvRows(admin.bytes)).toEqual([['客户名称']]); // the admin owns none of them
    const selected = csvRows((await download(exporter, `format=csv&columns=name&ids=${mine[1]!.id},${mine[2]!.id}&sort=name&order=asc`)).bytes);
    expect(selected.slice(1).map((r) => r[0])).toEqual(["'=cmd|calc", '深圳星河贸易有限公司']);
  });

  it('refuses without customer.export, and names an unknown column or format', async () => {
    expect((await plainRep.get('/api/v1/customers/export')).status).toBe(403);
    const column = await exporter.get('/api/v1/customers/export?columns=name,salary');
    expect(column.status).toBe(400);
    expect(column.body.error.code).toBe('VALIDATION_FAILED');
    expect(column.body.error.fields).toEqual([{ path: 'columns.salary', message: expect.any(String) }]);
    const format = await exporter.get('/api/v1/customers/export?format=pdf');
    expect(format.status).toBe(400);
    expect(format.body.error.fields[0].path).toBe('format');
  });

  it('is documented in OpenAPI with its permission and parameters', async () => {
    const op = (await t.client().get('/api/openapi.json')).body.paths['/api/v1/customers/export'].get;
    expect(op['x-permission']).toBe('customer.export');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['format', 'columns', 'ids', 'q', 'view', 'custom']));
  });

  it('writes one operation log entry per export, with the row count and the filters', async () => {
    const before = (await t.admin.get('/api/v1/audit/operations?entity=customer&action=export&limit=200')).body.items.length;
    await download(exporter, 'format=csv&kind=dealer');
    const after = (await t.admin.get('/api/v1/audit/operations?entity=customer&action=export&limit=200')).body.items;
    expect(after.length).toBe(before + 1);
    const entry = after[0];
    expect(entry).toMatchObject({ actorId: exporterId, entity: 'customer', action: 'export', recordId: null });
    expect(entry.recordName).toMatch(/^客户_\d{8}\.csv$/);
    const changes = Object.fromEntries(entry.changes.map((c: { field: string; after: unknown }) => [c.field, c.after]));
    expect(changes.rows).toBe(1);
    expect(changes.format).toBe('csv');
    expect(changes.filters).toMatchObject({ kind: 'dealer', view: 'scope' });
    expect(changes.columns).toContain('name');
  });

  it('walks the list page by page past one page, every row once', async () => {
    const extra = EXPORT_PAGE_SIZE * 2 + 137;
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`INSERT INTO customers (tenant_id, code, name, owner_id, department_id)
        SELECT ${t.tenant.tenantId}, 'EX' || g, '批量导出客户' || g, ${t.tenant.adminId}, ${t.tenant.rootDepartmentId} FROM generate_series(1, ${extra}) g`),
    );
    const total = (await t.admin.get('/api/v1/customers/count')).body.total;
    const rows = csvRows((await download(t.admin, 'format=csv&columns=code')).bytes).slice(1).map((r) => r[0]);
    expect(rows.length).toBe(total);
    expect(new Set(rows).size).toBe(total);
    const sheet = sheetRows((await download(t.admin, 'columns=code&q=批量导出')).bytes);
    expect(sheet.length).toBe(extra + 1);
  });

  it('writes a large export in the background, tells the user, and lets only them download it', async () => {
    const started = await exporter.post('/api/v1/customers/export/job?format=csv&columns=name,kind');
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body.status).toBe('running');
    let job = started.body;
    for (let i = 0; i < 200 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await exporter.get(`/api/v1/exports/${job.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'completed', rows: 3 });
    expect(job.fileName).toMatch(/^客户_\d{8}\.csv$/);
    const file = await downloadExport(t.url, `/api/v1/exports/${job.id}/download`, exporter, '');
    expect(file.status).toBe(200);
    expect(csvRows(file.bytes)).toEqual(csvRows((await download(exporter, 'format=csv&columns=name,kind')).bytes));
    const note = (await exporter.get('/api/v1/notifications')).body.items[0];
    expect(note).toMatchObject({ kind: 'export_ready', entityType: 'export', entityId: job.id, title: job.fileName });
    expect((await downloadExport(t.url, `/api/v1/exports/${job.id}/download`, plainRep, '')).status).toBe(404);
    expect((await plainRep.post('/api/v1/customers/export/job?format=csv')).status).toBe(403);
  });
});
