import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport } from '../../../../test/helpers/export.js';
import { importingRep, undoImport, uploadImport, waitForImport } from '../../../../test/helpers/imports.js';
import { sql } from '../../db/sql.js';

let t: TestApp;
const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');

beforeAll(async () => {
  t = await startTestApp();
  for (const c of [
    { name: '北京云帆科技有限公司', code: 'YF-001' },
    { name: '深圳星河贸易有限公司', creditCode: '91440300708461136T' },
  ]) expect((await t.admin.post('/api/v1/customers', c)).status).toBe(201);
  expect((await t.admin.put('/api/v1/duplicate-rules', { rules: [{ entity: 'contact', field: 'mobile', mode: 'refuse' }] })).status).toBe(200);
});
afterAll(() => t?.close());

describe('contact import', () => {
  it('finds each contact’s customer by name, code or credit code, never by id', async () => {
    const d = await uploadImport(t.admin, 'contact', '联系人.csv', csv([
      ['所属客户', '姓名', '手机', '性别', '首要联系人', '生日'],
      ['北京云帆科技有限公司', '张伟', '13800138001', '男', '是', '1990/5/20'],
      ['YF-001', '李娜', '13800138002', '女', '否', ''],
      ['91440300708461136T', '王芳', '13800138003', '', '', '1988年1月2日'],
      ['不存在的公司', '赵六', '13800138004', '', '', ''],
      ['北京云帆科技有限公司', '重复手机', '13800138001', '', '', ''],
    ]));
    expect(d.mapping).toEqual(['customer', 'name', 'mobile', 'gender', 'isPrimary', 'birthday']);
    await t.admin.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'create' });
    expect(await waitForImport(t.admin, d.id)).toMatchObject({ status: 'completed', rowsCreated: 3, rowsFailed: 2 });
    const rows = await t.db.system((q) => q.query<{ name: string; customer: string; is_primary: boolean; gender: string | null; birthday: string | null }>(sql`
      SELECT k.name, c.name AS customer, k.is_primary, k.gender, to_char(k.birthday, 'YYYY-MM-DD') AS birthday
      FROM contacts k JOIN customers c ON c.id = k.customer_id WHERE k.import_job_id = ${d.id} ORDER BY k.id`));
    expect(rows).toEqual([
      { name: '张伟', customer: '北京云帆科技有限公司', is_primary: true, gender: 'male', birthday: '1990-05-20' },
      { name: '李娜', customer: '北京云帆科技有限公司', is_primary: false, gender: 'female', birthday: null },
      { name: '王芳', customer: '深圳星河贸易有限公司', is_primary: true, gender: null, birthday: '1988-01-02' },
    ]);
    const failed = csvRows((await downloadExport(t.url, `/api/v1/imports/${d.id}/failures`, t.admin, 'format=csv')).bytes);
    expect(failed.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([
      ['5', '所属客户：找不到对应的记录'],
      // the mobile rule refuses, and row 2 of the file has this mobile
      ['6', '与文件第 2 行重复'],
    ]);
  });

  it('writes a batch at once with the form’s rules: primary contacts, and only onto customers the user may change', async () => {
    const rep = await importingRep(t, '联系人专员', 'contacts@acme.test', ['contact.import']);
    const shared = (await t.admin.post('/api/v1/customers', { name: '只读共享的公司' })).body;
    expect((await t.admin.post(`/api/v1/customers/${shared.id}/members`, { userId: rep.id, access: 'read', kind: 'share' })).status).toBe(200);
    const own = (await rep.api.post('/api/v1/customers', { name: '销售自己的公司' })).body;
    expect((await rep.api.post('/api/v1/contacts', { customerId: own.id, name: '老联系人', mobile: '13900000001' })).status).toBe(201);
    const d = await uploadImport(rep.api, 'contact', '批量.csv', csv([
      ['所属客户', '姓名', '手机', '首要联系人'],
      ['销售自己的公司', '新人甲', '13900000002', ''],
      ['销售自己的公司', '新人乙', '13900000003', '是'],
      ['只读共享的公司', '看得见改不了', '13900000004', ''],
      ['北京云帆科技有限公司', '看不见', '13900000005', ''],
    ]));
    await rep.api.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'skip' });
    expect(await waitForImport(rep.api, d.id)).toMatchObject({ status: 'completed', rowsCreated: 2, rowsFailed: 2 });
    // the customer had a primary contact: the one the file marks takes the mark, the other new one is not
    const mine = await t.db.system((q) => q.query<{ name: string; is_primary: boolean; links: number }>(sql`
      SELECT k.name, k.is_primary, (SELECT count(*)::int FROM contact_links l WHERE l.contact_id = k.id AND l.ended_at IS NULL) AS links
      FROM contacts k WHERE k.customer_id = ${own.id} AND k.deleted_at IS NULL ORDER BY k.id`));
    expect(mine).toEqual([
      { name: '老联系人', is_primary: false, links: 1 },
      { name: '新人甲', is_primary: false, links: 1 },
      { name: '新人乙', is_primary: true, links: 1 },
    ]);
    const failed = csvRows((await downloadExport(t.url, `/api/v1/imports/${d.id}/failures`, rep.api, 'format=csv')).bytes);
    expect(failed.slice(1).map((r) => [r[0], r.at(-1)])).toEqual([
      ['4', '你对该记录没有此操作的权限'],
      ['5', '所属客户：找不到对应的记录'],
    ]);
  });

  it('updates a contact found by the mobile rule, only with the file’s filled columns, and sets it back on undo', async () => {
    const before = await t.db.system((q) => q.one<{ title: string | null }>(sql`SELECT title FROM contacts WHERE mobile = '13800138001' AND deleted_at IS NULL`));
    expect(before!.title).not.toBe('总经理');
    const d = await uploadImport(t.admin, 'contact', '更新.csv', csv([['客户', '联系人', '手机号', '职务'], ['北京云帆科技有限公司', '张伟', '13800138001', '总经理']]));
    await t.admin.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'update' });
    expect(await waitForImport(t.admin, d.id)).toMatchObject({ status: 'completed', rowsUpdated: 1, rowsCreated: 0 });
    const k = await t.db.system((q) => q.one<{ title: string; gender: string }>(sql`SELECT title, gender FROM contacts WHERE mobile = '13800138001' AND deleted_at IS NULL`));
    expect(k).toEqual({ title: '总经理', gender: 'male' });
    expect(await undoImport(t.admin, d.id)).toMatchObject({ status: 'undone', rowsUndone: 0, rowsRestored: 1, rowsKept: 0 });
    const restored = await t.db.system((q) => q.one<{ title: string | null; gender: string }>(sql`SELECT title, gender FROM contacts WHERE mobile = '13800138001' AND deleted_at IS NULL`));
    expect(restored).toEqual({ title: before!.title, gender: 'male' });
  });
});

describe('lead import', () => {
  it('creates leads through the lead rules, with the owner the file names, and undoes them', async () => {
    const rep = await t.admin.post('/api/v1/users', { name: '线索专员', email: 'leads@acme.test', mobile: '13911112222', password: 'lead-pass-1', departmentId: t.tenant.rootDepartmentId, roleIds: [] });
    expect(rep.status, JSON.stringify(rep.body)).toBe(201);
    const d = await uploadImport(t.admin, 'lead', '展会名单.csv', csv([
      ['姓名', '公司名称', '手机', '所在地区', '负责人'],
      ['陈晨', '上海展会科技有限公司', '13700137000', '上海市浦东新区', 'leads@acme.test'],
      ['刘洋', '', '13700137001', '', ''],
      ['无名', '', '123', '', '不存在的人'],
    ]));
    expect(d.mapping).toEqual(['name', 'company', 'mobile', 'region', 'owner']);
    await t.admin.post(`/api/v1/imports/${d.id}/start`, { mapping: d.mapping, duplicates: 'skip' });
    expect(await waitForImport(t.admin, d.id)).toMatchObject({ status: 'completed', rowsCreated: 2, rowsFailed: 1 });
    const leads = await t.db.system((q) => q.query<{ name: string; owner_id: number; province_code: string | null; code: string }>(sql`
      SELECT name, owner_id, province_code, code FROM leads WHERE import_job_id = ${d.id} ORDER BY id`));
    expect(leads.map((l) => [l.name, l.owner_id, l.province_code])).toEqual([['陈晨', rep.body.id, '310000'], ['刘洋', t.tenant.adminId, null]]);
    expect(leads.every((l) => l.code)).toBe(true);

    expect(await undoImport(t.admin, d.id)).toMatchObject({ status: 'undone', rowsUndone: 2, rowsKept: 0 });
    expect((await t.admin.get('/api/v1/leads?q=陈晨')).body.items).toEqual([]);
  });
});
