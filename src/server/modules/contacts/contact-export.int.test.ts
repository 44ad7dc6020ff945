import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport, expectExportRefusals, exportingReps, exportLogEntry } from '../../../../test/helpers/export.js';
import { pythonTestZip, sheetRows } from '../../../../test/helpers/xlsx.js';
import { sql } from '../../db/sql.js';
import { EXPORT_PAGE_SIZE } from '../../platform/exchange/list-export.js';

let t: TestApp;
/** Two reps (own customers' contacts only): `exporter` may export, `plainRep` lacks contact.export. */
let reps: Awaited<ReturnType<typeof exportingReps>>;
let mine: { id: number }[];
let fieldKey: string;

const download = (client: ApiClient, query: string, locale?: 'en') => downloadExport(t.url, '/api/v1/contacts/export', client, query, locale);

beforeAll(async () => {
  t = await startTestApp();
  reps = await exportingReps(t, '导出联系人', ['contact.view', 'contact.export']);

  const field = await t.admin.post('/api/v1/custom-fields', {
    entity: 'contact', label: '爱好', type: 'select', options: [{ value: 'golf', label: '高尔夫' }, { value: 'tea', label: '品茶' }],
  });
  fieldKey = field.body.key;
  const customer = async (name: string, ownerId: number) => (await t.admin.post('/api/v1/customers', { name, ownerId })).body.id as number;
  const own = await customer('北京云帆科技有限公司', reps.exporterId);
  const others = await customer('别人的客户有限公司', reps.plainId);
  mine = [];
  for (const k of [
    { name: '王经理', title: '采购经理', mobile: '13800138000', tags: ['决策人', '老朋友'], custom: { [fieldKey]: 'tea' } },
    { name: '李工', title: '工程师', lifecycle: 'active' },
    { name: '=cmd|calc' },
  ]) {
    const res = await t.admin.post('/api/v1/contacts', { ...k, customerId: own });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    mine.push(res.body);
  }
  expect((await t.admin.post('/api/v1/contacts', { name: '别人的联系人', customerId: others })).status).toBe(201);
});
afterAll(() => t?.close());

describe('contact export', () => {
  it('gives a rep only the contacts of the customers they may see, as CSV, with Chinese intact', async () => {
    const res = await download(reps.exporter, `format=csv&columns=name,customer,title,primary,tags,lifecycle,${fieldKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''%E8%81%94%E7%B3%BB%E4%BA%BA_\d{8}\.csv$/);
    const [header, ...rows] = csvRows(res.bytes);
    expect(header).toEqual(['姓名', '所属客户', '职务', '主要联系人', '标签', '状态', '爱好']);
    expect(rows.map((r) => r[0]).sort()).toEqual(["'=cmd|calc", '李工', '王经理'].sort());
    expect(rows.find((r) => r[0] === '王经理')!.slice(1)).toEqual(['北京云帆科技有限公司', '采购经理', '是', '决策人、老朋友', '新建', '品茶']);
    expect(res.bytes.toString('utf8')).not.toContain('别人的');
  });

  it('gives the same rows as XLSX, headers in English when asked', async () => {
    const res = await download(reps.exporter, 'columns=name,customer,lifecycle,createdAt', 'en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''Contacts_\d{8}\.xlsx$/);
    expect(pythonTestZip(res.bytes) ?? null).toBeNull();
    const [header, ...rows] = sheetRows(res.bytes);
    expect(header).toEqual(['Name', 'Customer', 'Status', 'Created']);
    expect(rows.map((r) => r[0]).sort()).toEqual(['=cmd|calc', '李工', '王经理'].sort());
    expect(rows.find((r) => r[0] === '李工')!.slice(1, 3)).toEqual(['北京云帆科技有限公司', 'Active']);
    expect(rows[0]![3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('applies the list’s filters and a selection', async () => {
    expect(sheetRows((await download(reps.exporter, 'columns=name&q=王经理')).bytes)).toEqual([['姓名'], ['王经理']]);
    expect(csvRows((await download(reps.exporter, 'format=csv&columns=name&lifecycle=active')).bytes)).toEqual([['姓名'], ['李工']]);
    const byCustom = csvRows((await download(reps.exporter, `format=csv&columns=name&custom=${encodeURIComponent(JSON.stringify({ [fieldKey]: { in: ['tea'] } }))}`)).bytes);
    expect(byCustom).toEqual([['姓名'], ['王经理']]);
    const selected = csvRows((await download(reps.exporter, `format=csv&columns=name&ids=${mine[1]!.id},${mine[2]!.id}&sort=name&order=asc`)).bytes);
    expect(selected.slice(1).map((r) => r[0])).toEqual(["'=cmd|calc", '李工']);
  });

  it('refuses without contact.export, and names an unknown column', () => expectExportRefusals('/api/v1/contacts/export', reps.plainRep, reps.exporter));

  it('writes one operation log entry per export, with the row count and the filters', async () => {
    const { entry, changes } = await exportLogEntry(t, 'contact', () => download(reps.exporter, 'format=csv&lifecycle=active'));
    expect(entry).toMatchObject({ actorId: reps.exporterId, entity: 'contact', action: 'export', recordId: null });
    expect(entry.recordName).toMatch(/^联系人_\d{8}\.csv$/);
    expect(changes).toMatchObject({ rows: 1, format: 'csv', filters: { lifecycle: 'active' } });
    expect(changes.columns).toContain('customer');
  });

  it('pages through one customer’s contacts past a page (its tab shows them in one page)', async () => {
    const tenantId = t.tenant.tenantId;
    const customerId = (await t.admin.post('/api/v1/customers', { name: '联系人众多有限公司', ownerId: reps.exporterId })).body.id as number;
    const n = EXPORT_PAGE_SIZE + 5;
    await t.db.tenant({ tenantId }, (q) =>
      q.query(sql`INSERT INTO contacts (tenant_id, code, customer_id, created_by, name)
        SELECT ${tenantId}, 'KX' || g, ${customerId}, ${t.tenant.adminId}, '批量联系人' || g FROM generate_series(1, ${n}) g`));
    const rows = csvRows((await download(reps.exporter, `format=csv&columns=name&customerId=${customerId}`)).bytes).slice(1);
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r[0])).size).toBe(n);
  });
});
