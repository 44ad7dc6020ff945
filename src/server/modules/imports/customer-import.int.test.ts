import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport, exportingReps } from '../../../../test/helpers/export.js';
import { encodeGb18030 } from '../../../../test/helpers/gbk.js';
import { readZip, sheetRows } from '../../../../test/helpers/xlsx.js';
import { XlsxWriter } from '../../platform/exchange/xlsx.js';
import type { ImportDraftDto, ImportJobDto } from '../../../common/schemas/imports.js';
import { sql } from '../../db/sql.js';
import { undoImport, uploadImport, waitForImport, waitForUndo } from '../../../../test/helpers/imports.js';

let t: TestApp;
let importer: ApiClient; // a rep (own customers only) who may import
let importerId: number;
let plainRep: ApiClient;

const csv = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
const customersOf = (jobId: number) =>
  t.db.system((q) => q.query<{ name: string; code: string; phone: string | null; province_code: string | null; district_code: string | null; level_code: string | null; tags: string[]; owner_id: number; deleted_at: Date | null }>(
    sql`SELECT name, code, phone, province_code, district_code, level_code, tags, owner_id, deleted_at FROM customers WHERE import_job_id = ${jobId} ORDER BY id`,
  ));

beforeAll(async () => {
  // batches of 50: the larger files below span several; a batch the database refuses is written row by row
  t = await startTestApp({ imports: { batchSize: 50, undoChunk: 20 } });
  ({ exporter: importer, exporterId: importerId, plainRep } = await exportingReps(t, '导入', ['customer.view', 'customer.create', 'customer.edit', 'customer.import']));
  expect((await t.admin.post('/api/v1/customers', { name: '已有客户有限公司', ownerId: importerId, phone: '010-88886666' })).status).toBe(201);
  expect((await t.admin.post('/api/v1/customers', { name: '别人的客户有限公司', code: 'TAKEN-1' })).status).toBe(201);
});
afterAll(() => t?.close());

const FILE = [
  ['客户名称*', '电话', '所在地区', '客户级别', '标签', '统一社会信用代码', '客户编号', '备注'],
  ['北京云帆科技有限公司', '13800138000', '北京市朝阳区', 'A', '重点、VIP', '91110108551385082Q', '', '第一行'],
  ['上海华瑞贸易有限公司', '021-66668888', '上海 浦东新区', 'B（普通）', '', '', '', ''],
  ['坏电话有限公司', '12345', '', '', '', '', '', ''],
  ['已有客户有限公司', '13900139000', '', '', '', '', '', '已存在'],
  ['北京云帆科技有限公司', '', '', '', '', '', '', '文件内重复'],
  ['', '13700137000', '', '', '', '', '', '没有名称'],
  ['广州天河软件有限公司', '', '火星市', 'Z', '', '91110108551385082A', '', ''],
  ['深圳前海电子有限公司', '0755-26888888', '广东省深圳市南山区', '', '', '', 'TAKEN-1', '编号已被占用'],
  ['杭州西湖茶业有限公司', '', '浙江杭州西湖区', 'C', '茶', '', 'HZ-001', ''],
];

describe('customer import', () => {
  let draft: ImportDraftDto;
  let job: ImportJobDto;

  it('reads the file, proposes a mapping from the headers and previews the rows', async () => {
    draft = await uploadImport(importer, 'customer', '客户.csv', csv(FILE));
    expect(draft.format).toBe('csv');
    expect(draft.encoding).toBe('utf-8');
    expect(draft.headers).toEqual(FILE[0]);
    expect(draft.sample[0]).toEqual(FILE[1]);
    expect(draft.mapping).toEqual(['name', 'phone', 'region', 'levelCode', 'tags', 'creditCode', 'code', 'remark']);
    expect(draft.fields.find((f) => f.key === 'levelCode')!.options).toContain('A（重点）');

    const preview = await importer.post(`/api/v1/imports/${draft.id}/preview`, { mapping: draft.mapping, duplicates: 'skip' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const status = Object.fromEntries(preview.body.rows.map((r: { rowNumber: number; status: string }) => [r.rowNumber, r.status]));
    expect(status).toEqual({ 2: 'ok', 3: 'ok', 4: 'invalid', 5: 'duplicate', 6: 'ok', 7: 'invalid', 8: 'invalid', 9: 'ok', 10: 'ok' });
    const bad = preview.body.rows.find((r: { rowNumber: number }) => r.rowNumber === 8);
    expect(bad.messages).toEqual(['客户级别：不是可选的值', '所在地区：找不到对应的记录', '统一社会信用代码：格式不正确']);
  });

  it('refuses a mapping without the name, or with a field twice', async () => {
    const noName = await importer.post(`/api/v1/imports/${draft.id}/start`, { mapping: [null, ...draft.mapping.slice(1)], duplicates: 'skip' });
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields).toEqual([{ path: 'mapping', message: '必填字段没有对应的列' }]);
    const twice = await importer.post(`/api/v1/imports/${draft.id}/start`, { mapping: ['name', 'phone', 'phone', null, null, null, null, null], duplicates: 'skip' });
    expect(twice.status).toBe(400);
  });

  it('imports the good rows in the background and reports every bad one', async () => {
    const started = await importer.post(`/api/v1/imports/${draft.id}/start`, { mapping: draft.mapping, duplicates: 'skip' });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    job = await waitForImport(importer, draft.id);
    expect(job).toMatchObject({ status: 'completed', rowsDone: 9, rowsCreated: 3, rowsSkipped: 2, rowsFailed: 4, progress: 1 });

    const rows = await customersOf(draft.id);
    expect(rows.map((r) => r.name)).toEqual(['北京云帆科技有限公司', '上海华瑞贸易有限公司', '杭州西湖茶业有限公司']);
    const yunfan = rows[0]!;
    expect(yunfan).toMatchObject({ phone: '13800138000', province_code: '110000', district_code: '110105', level_code: 'a', tags: ['重点', 'VIP'], owner_id: importerId });
    expect(yunfan.code).toMatch(/^KH/);
    expect(rows[2]).toMatchObject({ code: 'HZ-001', level_code: 'c' });

    // the failed rows as a file: row number, the columns as read, the reason
    const failed = await downloadExport(t.url, `/api/v1/imports/${draft.id}/failures`, importer, 'format=csv');
    expect(failed.status).toBe(200);
    const lines = csvRows(failed.bytes);
    expect(lines[0]).toEqual(['行号', ...FILE[0]!, '失败原因']);
    expect(lines.slice(1).map((l) => l[0])).toEqual(['4', '7', '8', '9']);
    expect(lines[1]!.at(-1)).toBe('电话：格式不正确');
    expect(lines[2]!.at(-1)).toBe('客户名称：不能为空');
    expect(lines[4]!.at(-1)).toContain('编号');
  });

  it('lists the import, hides it from others, and logs it', async () => {
    expect((await importer.get('/api/v1/imports?entity=customer')).body.items.map((j: ImportJobDto) => j.id)).toEqual([draft.id]);
    expect((await plainRep.get(`/api/v1/imports/${draft.id}`)).status).toBe(404);
    const log = (await t.admin.get('/api/v1/audit/operations?entity=customer&action=import&limit=5')).body.items;
    expect(log[0].changes).toContainEqual({ field: 'created', before: null, after: 3 });
  });

  it('undoes the import except for what was changed since', async () => {
    const [first] = await customersOf(draft.id);
    const id = (await t.db.system((q) => q.one<{ id: number }>(sql`SELECT id FROM customers WHERE code = ${first!.code}`)))!.id;
    expect((await importer.patch(`/api/v1/customers/${id}`, { remark: '改过了' })).status).toBe(200);
    expect(await undoImport(importer, draft.id)).toMatchObject({ status: 'undone', rowsUndone: 2, rowsKept: 1 });
    expect((await customersOf(draft.id)).map((r) => r.deleted_at === null)).toEqual([true, false, false]);
    expect((await importer.post(`/api/v1/imports/${draft.id}/undo`)).status).toBe(409);
  });

  it('updates duplicates in update mode, only with the columns the file filled', async () => {
    const d = await uploadImport(importer, 'customer', '更新.csv', csv([['客户名称', '电话', '备注'], ['已有客户有限公司', '13900139000', '']]));
    await importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'update' });
    expect(await waitForImport(importer, d.id)).toMatchObject({ status: 'completed', rowsUpdated: 1, rowsCreated: 0 });
    const row = await t.db.system((q) => q.one<{ phone: string; remark: string | null }>(sql`SELECT phone, remark FROM customers WHERE name = '已有客户有限公司'`));
    expect(row).toEqual({ phone: '13900139000', remark: null });
  });

  it('sets the customers an import updated back when it is undone, except one changed since', async () => {
    const made = async (name: string, phone: string, remark: string) => {
      const res = await t.admin.post('/api/v1/customers', { name, ownerId: importerId, phone, remark });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    const a = await made('还原甲有限公司', '010-81112222', '原备注甲');
    const b = await made('还原乙有限公司', '010-83334444', '原备注乙');
    const d = await uploadImport(importer, 'customer', '更新再撤销.csv', csv([
      ['客户名称', '电话', '备注'],
      ['还原甲有限公司', '13911112222', '导入的备注'],
      ['还原乙有限公司', '13933334444', ''],
      ['还原丙有限公司', '13955556666', '新客户'],
    ]));
    await importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'update' });
    expect(await waitForImport(importer, d.id)).toMatchObject({ status: 'completed', rowsUpdated: 2, rowsCreated: 1 });
    expect((await importer.get(`/api/v1/customers/${a}`)).body).toMatchObject({ phone: '13911112222', remark: '导入的备注' });
    // 乙 is changed after the import: the undo leaves it as it is now
    expect((await importer.patch(`/api/v1/customers/${b}`, { remark: '导入后手工改' })).status).toBe(200);
    expect((await importer.get(`/api/v1/imports/${d.id}`)).body.allowed.undo).toBe(true);

    expect(await undoImport(importer, d.id)).toMatchObject({ status: 'undone', rowsUndone: 1, rowsRestored: 1, rowsKept: 1 });
    expect((await importer.get(`/api/v1/customers/${a}`)).body).toMatchObject({ phone: '010-81112222', remark: '原备注甲' });
    expect((await importer.get(`/api/v1/customers/${b}`)).body).toMatchObject({ phone: '13933334444', remark: '导入后手工改' });
    expect((await customersOf(d.id)).map((r) => [r.name, r.deleted_at !== null])).toEqual([['还原丙有限公司', true]]);
    // the restore is in the customer's history, as the importer's change
    const history = (await importer.get(`/api/v1/customers/${a}/history`)).body.items;
    expect(history[0]).toMatchObject({ action: 'update', actorId: importerId });
    expect(history[0].changes).toContainEqual({ field: 'phone', before: '13911112222', after: '010-81112222' });
  });

  it('refuses those without the import permission', async () => {
    expect((await plainRep.upload('/api/v1/imports?entity=customer&fileName=x.csv', csv(FILE))).status).toBe(403);
    expect((await importer.upload('/api/v1/imports?entity=customer&fileName=x.xls', csv(FILE))).status).toBe(400);
  });

  it('reads GBK files with every Chinese character intact', async () => {
    const names = Array.from({ length: 500 }, (_, i) => `广州市天河区第${i}号贸易有限公司`);
    const gbk = encodeGb18030(`客户名称,所在地区\r\n${names.map((n) => `${n},广东省广州市天河区`).join('\r\n')}\r\n`);
    const d = await uploadImport(importer, 'customer', 'gbk.csv', gbk);
    expect(d.encoding).toBe('gb18030');
    await importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'skip' });
    expect(await waitForImport(importer, d.id)).toMatchObject({ status: 'completed', rowsCreated: 500, rowsFailed: 0 });
    expect((await customersOf(d.id)).map((r) => r.name)).toEqual(names);
  });

  it('resumes a stopped import after its last committed batch, writing nothing twice', async () => {
    const names = Array.from({ length: 400 }, (_, i) => `续传测试${i}有限公司`);
    const d = await uploadImport(importer, 'customer', 'resume.csv', csv([['客户名称'], ...names.map((n) => [n])]));
    await importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'create' });
    await t.app.imports.stop(); // as a server shutting down: the job goes back to the queue after its current batch
    const paused = (await importer.get(`/api/v1/imports/${d.id}`)).body as ImportJobDto;
    expect(paused.status).toBe('queued');
    expect(paused.rowsDone).toBeGreaterThan(0);
    expect(paused.rowsDone).toBeLessThan(400);
    expect(paused.rowsDone % 50).toBe(0);
    expect(await t.app.imports.resumeUnattended()).toBe(1);
    expect(await waitForImport(importer, d.id)).toMatchObject({ status: 'completed', rowsCreated: 400, rowsDone: 400 });
    expect((await customersOf(d.id)).map((r) => r.name)).toEqual(names);

    // its undo, stopped the same way, is resumed by the next server and takes every record back once
    expect((await importer.post(`/api/v1/imports/${d.id}/undo`)).body.status).toBe('undoing');
    let halfway: ImportJobDto;
    do halfway = (await importer.get(`/api/v1/imports/${d.id}`)).body;
    while (halfway.rowsUndone === 0 && halfway.status === 'undoing');
    await t.app.imports.stop(); // after its current chunk of 20
    halfway = (await importer.get(`/api/v1/imports/${d.id}`)).body;
    expect(halfway.status).toBe('undoing');
    expect(halfway.rowsUndone % 20).toBe(0);
    expect(halfway.rowsUndone).toBeLessThan(400);
    expect(await t.app.imports.resumeUnattended()).toBe(1);
    expect(await waitForUndo(importer, d.id)).toMatchObject({ status: 'undone', rowsUndone: 400, rowsKept: 0 });
    expect((await customersOf(d.id)).filter((r) => r.deleted_at === null)).toEqual([]);
    const note = (await t.db.system((q) => q.query<{ body: string }>(sql`SELECT body FROM notifications WHERE entity_type = 'import' AND entity_id = ${d.id} ORDER BY id`))).map((n) => n.body);
    expect(note.at(-1)).toBe('导入已撤销：400 条移入回收站，0 条因被修改而保留');
  });

  it('writes each name once when an import and the form save the same names at the same time', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `并发写入${i}有限公司`);
    const d = await uploadImport(importer, 'customer', 'race.csv', csv([['客户名称'], ...names.map((n) => [n])]));
    const [, ...forms] = await Promise.all([
      importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'skip' }),
      ...names.map((name) => t.admin.post('/api/v1/customers', { name })),
    ]);
    const job = await waitForImport(importer, d.id);
    const saved = forms.filter((r) => r.status === 201).length;
    expect(forms.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(job.rowsCreated + job.rowsSkipped).toBe(30);
    expect(job.rowsCreated + saved).toBe(30);
    const twice = await t.db.system((q) => q.query(sql`SELECT crm_match_key(name) FROM customers WHERE name LIKE '并发写入%' AND deleted_at IS NULL GROUP BY 1 HAVING count(*) > 1`));
    expect(twice).toEqual([]);
  });

  it('refuses a row repeating an earlier row’s value under a refusing rule, as the form would', async () => {
    expect((await t.admin.put('/api/v1/duplicate-rules', { rules: [{ entity: 'customer', field: 'phone', mode: 'refuse' }] })).status).toBe(200);
    const d = await uploadImport(importer, 'customer', 'phones.csv', csv([['客户名称', '电话'], ['同号甲有限公司', '0755-86001234'], ['同号乙有限公司', '(0755) 8600 1234']]));
    await importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'create' });
    expect(await waitForImport(importer, d.id)).toMatchObject({ status: 'completed', rowsCreated: 1, rowsFailed: 1 });
    const failed = csvRows((await downloadExport(t.url, `/api/v1/imports/${d.id}/failures`, importer, 'format=csv')).bytes);
    expect(failed.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([['3', '与文件第 2 行重复']]);
    expect((await t.admin.put('/api/v1/duplicate-rules', { rules: [{ entity: 'customer', field: 'phone', mode: 'warn' }] })).status).toBe(200);
  });

  it('imports an XLSX file as Excel writes it, and serves a template with drop-down lists', async () => {
    const chunks: Buffer[] = [];
    const xlsx = await XlsxWriter.start(async (b) => void chunks.push(b), '客户', { sharedStrings: true });
    await xlsx.header(['Customer name', 'Region', 'Level', 'Employees']);
    await xlsx.row(['成都锦程物流有限公司', '四川成都武侯区', 'B（普通）', 120]);
    await xlsx.row(['西安博远软件有限公司', '陕西省西安市', 'C', 15]);
    await xlsx.finish();
    const d = await uploadImport(importer, 'customer', 'excel.xlsx', Buffer.concat(chunks));
    expect(d).toMatchObject({ format: 'xlsx', encoding: null, mapping: ['name', 'region', 'levelCode', 'employeeCount'] });
    await importer.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'skip' });
    expect(await waitForImport(importer, d.id)).toMatchObject({ status: 'completed', rowsCreated: 2 });
    expect((await customersOf(d.id)).map((r) => [r.name, r.level_code, r.province_code])).toEqual([
      ['成都锦程物流有限公司', 'b', '510000'],
      ['西安博远软件有限公司', 'c', '610000'],
    ]);

    const template = await downloadExport(t.url, '/api/v1/imports/template', importer, 'entity=customer&format=xlsx');
    expect(template.status).toBe(200);
    const [header] = sheetRows(template.bytes);
    expect(header!.slice(0, 3)).toEqual(['客户名称*', '客户编号', '客户类型']);
    const parts = readZip(template.bytes);
    const sheet = parts.get('xl/worksheets/sheet1.xml')!.toString();
    const level = header!.indexOf('客户级别');
    expect(sheet).toMatch(new RegExp(`<dataValidation type="list"[^>]*sqref="${String.fromCharCode(65 + level)}2:${String.fromCharCode(65 + level)}1048576"`));
    expect(parts.get('xl/worksheets/sheet2.xml')!.toString()).toContain('A（重点）');
  });
});
