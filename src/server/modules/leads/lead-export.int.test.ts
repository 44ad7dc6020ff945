import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport, expectExportRefusals, exportingReps, exportLogEntry } from '../../../../test/helpers/export.js';
import { pythonTestZip, sheetRows } from '../../../../test/helpers/xlsx.js';

let t: TestApp;
/** Two reps (own leads only): `exporter` may export, `plainRep` lacks lead.export. */
let reps: Awaited<ReturnType<typeof exportingReps>>;
let mine: { id: number }[];
let fieldKey: string;

const download = (client: ApiClient, query: string, locale?: 'en') => downloadExport(t.url, '/api/v1/leads/export', client, query, locale);

beforeAll(async () => {
  t = await startTestApp();
  reps = await exportingReps(t, '导出线索', ['lead.view', 'lead.export']);

  const field = await t.admin.post('/api/v1/custom-fields', {
    entity: 'lead', label: '意向产品', type: 'select', options: [{ value: 'erp', label: '企业管理软件' }, { value: 'crm', label: '客户管理软件' }],
  });
  fieldKey = field.body.key;
  mine = [];
  for (const l of [
    { name: '刘先生', company: '成都锦江实业', mobile: '13700001111', sourceCode: 'exhibition', custom: { [fieldKey]: 'crm' } },
    { name: '陈女士', company: '杭州西湖茶业', sourceCode: 'website' },
    { name: '=cmd|calc' },
  ]) {
    const res = await t.admin.post('/api/v1/leads', { ...l, ownerId: reps.exporterId });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    mine.push(res.body);
  }
  expect((await t.admin.post('/api/v1/leads', { name: '别人的线索', ownerId: reps.plainId })).status).toBe(201);
  expect((await t.admin.post(`/api/v1/leads/${mine[1]!.id}/status`, { status: 'qualifying' })).status).toBe(200);
});
afterAll(() => t?.close());

describe('lead export', () => {
  it('gives a rep only the leads they may see, as CSV, with Chinese intact', async () => {
    const res = await download(reps.exporter, `format=csv&columns=name,company,status,source,owner,${fieldKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''%E7%BA%BF%E7%B4%A2_\d{8}\.csv$/);
    const [header, ...rows] = csvRows(res.bytes);
    expect(header).toEqual(['姓名', '公司', '线索状态', '线索来源', '负责人', '意向产品']);
    expect(rows.map((r) => r[0]).sort()).toEqual(["'=cmd|calc", '刘先生', '陈女士'].sort());
    expect(rows.find((r) => r[0] === '刘先生')!.slice(1)).toEqual(['成都锦江实业', '新线索', '展会', '销售小李', '客户管理软件']);
    expect(res.bytes.toString('utf8')).not.toContain('别人的线索');
  });

  it('gives the same rows as XLSX, headers in English when asked', async () => {
    const res = await download(reps.exporter, 'columns=name,status,score,createdAt', 'en');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''Leads_\d{8}\.xlsx$/);
    expect(pythonTestZip(res.bytes) ?? null).toBeNull();
    const [header, ...rows] = sheetRows(res.bytes);
    expect(header).toEqual(['Name', 'Status', 'Score', 'Created']);
    expect(rows.map((r) => r[0]).sort()).toEqual(['=cmd|calc', '刘先生', '陈女士'].sort());
    expect(rows.find((r) => r[0] === '陈女士')![1]).toBe('Qualifying');
    expect(typeof rows[0]![2]).toBe('number');
    expect(rows[0]![3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });

  it('applies the list’s filters, views and a selection', async () => {
    expect(sheetRows((await download(reps.exporter, 'columns=name&q=锦江')).bytes)).toEqual([['姓名'], ['刘先生']]);
    expect(csvRows((await download(reps.exporter, 'format=csv&columns=name&status=qualifying')).bytes)).toEqual([['姓名'], ['陈女士']]);
    expect(csvRows((await download(reps.exporter, 'format=csv&columns=name&sourceCode=exhibition')).bytes)).toEqual([['姓名'], ['刘先生']]);
    const byCustom = csvRows((await download(reps.exporter, `format=csv&columns=name&custom=${encodeURIComponent(JSON.stringify({ [fieldKey]: { in: ['crm'] } }))}`)).bytes);
    expect(byCustom).toEqual([['姓名'], ['刘先生']]);
    expect(csvRows((await download(t.admin, 'format=csv&columns=name&view=mine')).bytes)).toEqual([['姓名']]); // the admin owns none of them
    const selected = csvRows((await download(reps.exporter, `format=csv&columns=name&ids=${mine[0]!.id},${mine[2]!.id}&sort=createdAt&order=asc`)).bytes);
    expect(selected.slice(1).map((r) => r[0])).toEqual(['刘先生', "'=cmd|calc"]);
  });

  it('refuses without lead.export, and names an unknown column', () => expectExportRefusals('/api/v1/leads/export', reps.plainRep, reps.exporter));

  it('writes one operation log entry per export, with the row count and the filters', async () => {
    const { entry, changes } = await exportLogEntry(t, 'lead', () => download(reps.exporter, 'format=csv&status=qualifying'));
    expect(entry).toMatchObject({ actorId: reps.exporterId, entity: 'lead', action: 'export', recordId: null });
    expect(entry.recordName).toMatch(/^线索_\d{8}\.csv$/);
    expect(changes).toMatchObject({ rows: 1, format: 'csv', filters: { status: 'qualifying', view: 'scope' } });
    expect(changes.columns).toContain('company');
  });
});
