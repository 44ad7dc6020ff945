import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { today } from '../currencies/currencies.service.js';
import { splitByMonths } from './dashboard.repo.js';
import { kpiPeriodOf, rangeOf, trendMonths } from './dashboard.service.js';

/**
 * A hand-made company: department 销售部 (manager, rep1) with sub-department
 * 一组 (rep2); rep3 elsewhere. Records of March 2025 and around it, so every
 * figure of the range 2025-03-01 … 2025-03-31 is known exactly.
 */
let t: TestApp;
const u: Record<string, { id: number; api: ApiClient }> = {};
const dept: Record<string, number> = {};
let pipelineId: number;
const stages: number[] = [];
let wonStage: number;

const MARCH = 'range=custom&from=2025-03-01&to=2025-03-31';
const dash = (who: string, params = MARCH) => u[who]!.api.get(`/api/v1/dashboard?${params}`);

beforeAll(async () => {
  t = await startTestApp();
  dept.sales = (await t.admin.post('/api/v1/departments', { name: '销售部', parentId: t.tenant.rootDepartmentId })).body.id;
  dept.team = (await t.admin.post('/api/v1/departments', { name: '一组', parentId: dept.sales })).body.id;
  dept.other = (await t.admin.post('/api/v1/departments', { name: '其他部', parentId: t.tenant.rootDepartmentId })).body.id;
  const people = [
    ['manager', 'sales_manager', null, 'sales'],
    ['rep1', 'sales_rep', 'manager', 'sales'],
    ['rep2', 'sales_rep', 'manager', 'team'],
    ['rep3', 'sales_rep', null, 'other'],
  ] as const;
  for (const [key, role, superior, d] of people) {
    const res = await t.admin.post('/api/v1/users', {
      name: key, email: `${key}@acme.test`, departmentId: dept[d], password: 'password-123',
      roleIds: [t.tenant.roleIds[role]], superiorId: superior ? u[superior]!.id : null,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    u[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
  }
  await t.db.tenant({ tenantId: t.tenant.tenantId }, async (q) => {
    const tid = t.tenant.tenantId;
    const p = (await q.one<{ id: number }>(sql`SELECT id FROM pipelines WHERE tenant_id = ${tid} AND is_default`))!;
    pipelineId = p.id;
    for (const s of await q.query<{ id: number; kind: string }>(sql`SELECT id, kind FROM pipeline_stages WHERE tenant_id = ${tid} AND pipeline_id = ${p.id} ORDER BY sort`)) {
      if (s.kind === 'open') stages.push(s.id);
      if (s.kind === 'won') wonStage = s.id;
    }
    let n = 0;
    const customer = async (owner: string, at: string) => (await q.one<{ id: number }>(sql`INSERT INTO customers (tenant_id, code, name, owner_id, created_by, created_at)
      VALUES (${tid}, ${`C${++n}`}, ${`客户${n}`}, ${u[owner]!.id}, ${u[owner]!.id}, ${at}::timestamptz) RETURNING id`))!.id;
    const c1 = await customer('rep1', '2025-03-05 10:00+08');
    await customer('rep1', '2025-03-31 23:30+08'); // still March in the company's time zone
    await customer('rep1', '2025-04-01 00:10+08'); // 2025-03-31 16:10 UTC: April there
    await customer('rep1', '2025-02-20 10:00+08');
    const c2 = await customer('rep2', '2025-03-06 10:00+08');
    const c3 = await customer('rep3', '2025-03-07 10:00+08');
    const followup = (owner: string, customerId: number, at: string) => q.query(sql`INSERT INTO followups (tenant_id, entity_type, entity_id, customer_id, type_code, content, created_by, created_at)
      VALUES (${tid}, 'customer', ${customerId}, ${customerId}, 'call', '电话', ${u[owner]!.id}, ${at}::timestamptz)`);
    await followup('rep1', c1, '2025-03-05 11:00+08');
    await followup('rep1', c1, '2025-03-06 11:00+08');
    await followup('rep1', c1, '2025-02-06 11:00+08');
    await followup('rep2', c2, '2025-03-08 11:00+08');
    await followup('rep3', c3, '2025-03-08 11:00+08');
    const opportunity = (owner: string, customerId: number, amount: string, stageId: number, at: string, wonAt: string | null = null) =>
      q.query(sql`INSERT INTO opportunities (tenant_id, code, name, customer_id, amount, currency, amount_company, pipeline_id, stage_id, status, owner_id, created_at, won_at)
        VALUES (${tid}, ${`O${++n}`}, ${`商机${n}`}, ${customerId}, ${amount}, 'CNY', ${amount}, ${pipelineId}, ${stageId}, ${wonAt ? 'won' : 'open'}, ${u[owner]!.id}, ${at}::timestamptz, ${wonAt}::timestamptz)`);
    await opportunity('rep1', c1, '1000.00', stages[0]!, '2025-03-02 09:00+08');
    await opportunity('rep1', c1, '500.25', wonStage, '2025-02-02 09:00+08', '2025-03-20 09:00+08');
    await opportunity('rep2', c2, '2000.00', stages[1]!, '2025-03-03 09:00+08');
    await opportunity('rep3', c3, '777.00', stages[0]!, '2025-03-03 09:00+08');
    const contract = async (owner: string, customerId: number, amount: string, status: string, signedOn: string) =>
      (await q.one<{ id: number }>(sql`INSERT INTO contracts (tenant_id, code, name, customer_id, owner_id, currency, amount, amount_company, status, signed_on)
        VALUES (${tid}, ${`K${++n}`}, ${`合同${n}`}, ${customerId}, ${u[owner]!.id}, 'CNY', ${amount}, ${amount}, ${status}, ${signedOn}::date) RETURNING id`))!.id;
    const k1 = await contract('rep1', c1, '1000.10', 'active', '2025-03-10');
    await contract('rep1', c1, '300.00', 'draft', '2025-03-11');
    const k3 = await contract('rep1', c1, '400.00', 'active', '2025-02-10');
    const k4 = await contract('rep2', c2, '2500.00', 'active', '2025-03-31');
    const k5 = await contract('rep3', c3, '9999.00', 'active', '2025-03-12');
    const receivable = (k: number, owner: string, customerId: number, amount: string, status: string, on: string) =>
      q.query(sql`INSERT INTO receivables (tenant_id, code, contract_id, customer_id, owner_id, amount, amount_company, received_on, status)
        VALUES (${tid}, ${`R${++n}`}, ${k}, ${customerId}, ${u[owner]!.id}, ${amount}, ${amount}, ${on}::date, ${status})`);
    await receivable(k1, 'rep1', c1, '600.05', 'approved', '2025-03-15');
    await receivable(k1, 'rep1', c1, '100.00', 'pending', '2025-03-16');
    await receivable(k3, 'rep1', c1, '400.00', 'approved', '2025-04-02');
    await receivable(k4, 'rep2', c2, '1000.00', 'approved', '2025-03-20');
    await receivable(k5, 'rep3', c3, '5000.00', 'approved', '2025-03-21');
    await shareContract(q, tid, k5, u.rep1!.id);
  });
});
afterAll(() => t?.close());

/** rep3's big contract is shared with rep1: rep1 may read it, but it is not rep1's figure. */
const shareContract = (q: Queryable, tid: number, id: number, userId: number) =>
  q.query(sql`INSERT INTO record_access (tenant_id, entity_type, record_id, user_id, kind, access) VALUES (${tid}, 'contract', ${id}, ${userId}, 'share', 'read')`);

const rep1Brief = {
  newCustomers: 2, followups: 2,
  newOpportunities: { count: 1, amount: '1000.00' }, wonOpportunities: { count: 1, amount: '500.25' },
  contracts: { count: 1, amount: '1000.10' }, receivables: '600.05',
};
const rep2Brief = {
  newCustomers: 1, followups: 1,
  newOpportunities: { count: 1, amount: '2000.00' }, wonOpportunities: { count: 0, amount: '0.00' },
  contracts: { count: 1, amount: '2500.00' }, receivables: '1000.00',
};
const zeroBrief = {
  newCustomers: 0, followups: 0,
  newOpportunities: { count: 0, amount: '0.00' }, wonOpportunities: { count: 0, amount: '0.00' },
  contracts: { count: 0, amount: '0.00' }, receivables: '0.00',
};

describe('dashboard (ANA-1)', () => {
  it('a rep sees exactly their own records of the range, in the company time zone', async () => {
    const res = await dash('rep1');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.range).toEqual({ from: '2025-03-01', to: '2025-03-31' });
    expect(res.body.companyCurrency).toBe('CNY');
    expect(res.body.brief).toEqual(rep1Brief);
    expect(res.body.visible).toEqual({ customers: true, opportunities: true, contracts: true, receivables: true });
    // KPI: the rep themself, for March (the range is that month exactly)
    expect(res.body.kpi.subject).toEqual({ type: 'user', id: u.rep1!.id, name: 'rep1' });
    expect(res.body.kpi.period).toEqual({ kind: 'month', year: 2025, period: 3, from: '2025-03-01', to: '2025-03-31' });
    expect(res.body.kpi.contractAmount).toEqual({ target: null, achieved: '1000.10', percent: null });
    // funnel: open opportunities per open stage, weighted by the stage's win rate
    expect(res.body.funnel.pipelineId).toBe(pipelineId);
    expect(res.body.funnel.stages.map((s: { count: number; amount: string; weighted: string }) => [s.count, s.amount, s.weighted])).toEqual([
      [1, '1000.00', '100.00'], [0, '0.00', '0.00'], [0, '0.00', '0.00'], [0, '0.00', '0.00'],
    ]);
    // trend: the 12 months ending with March 2025
    expect(res.body.trend).toHaveLength(12);
    expect(res.body.trend[0].month).toBe('2024-04');
    expect(res.body.trend.slice(-3)).toEqual([
      { month: '2025-01', contractAmount: '0.00', receivableAmount: '0.00' },
      { month: '2025-02', contractAmount: '400.00', receivableAmount: '0.00' },
      { month: '2025-03', contractAmount: '1000.10', receivableAmount: '600.05' },
    ]);
  });

  it("the manager's covers both reps (sub-department included), the admin's everyone", async () => {
    const m = (await dash('manager')).body;
    expect(m.brief).toEqual({
      newCustomers: 3, followups: 3,
      newOpportunities: { count: 2, amount: '3000.00' }, wonOpportunities: { count: 1, amount: '500.25' },
      contracts: { count: 2, amount: '3500.10' }, receivables: '1600.05',
    });
    expect(m.funnel.stages.slice(0, 2).map((s: { count: number; amount: string; weighted: string }) => [s.count, s.amount, s.weighted])).toEqual([[1, '1000.00', '100.00'], [1, '2000.00', '600.00']]);
    const a = (await t.admin.get(`/api/v1/dashboard?${MARCH}`)).body;
    expect(a.brief).toMatchObject({ newCustomers: 4, followups: 4, contracts: { count: 3, amount: '13499.10' }, receivables: '6600.05' });
    expect(a.kpi.subject).toEqual({ type: 'department', id: t.tenant.rootDepartmentId, name: expect.any(String) });
    expect(a.kpi.contractAmount.achieved).toBe('13499.10');
  });

  it('narrows to a user or department within scope, and to nothing outside it', async () => {
    expect((await dash('manager', `${MARCH}&userId=${u.rep2!.id}`)).body.brief).toEqual(rep2Brief);
    expect((await dash('manager', `${MARCH}&departmentId=${dept.team}`)).body.brief).toEqual(rep2Brief);
    const sales = (await dash('manager', `${MARCH}&departmentId=${dept.sales}`)).body;
    expect(sales.brief.contracts).toEqual({ count: 2, amount: '3500.10' });
    expect(sales.kpi.subject).toEqual({ type: 'department', id: dept.sales, name: '销售部' });
    expect(sales.kpi.contractAmount.achieved).toBe('3500.10');
    // a rep asking for another rep, or the manager for someone outside their team: nothing of theirs
    const other = (await dash('rep1', `${MARCH}&userId=${u.rep2!.id}`)).body;
    expect(other.brief).toEqual(zeroBrief);
    expect(other.kpi.contractAmount).toEqual({ target: null, achieved: '0.00', percent: null });
    expect(other.trend.every((m: { contractAmount: string; receivableAmount: string }) => m.contractAmount === '0.00' && m.receivableAmount === '0.00')).toBe(true);
    expect(other.funnel.stages.every((s: { count: number }) => s.count === 0)).toBe(true);
    expect((await dash('manager', `${MARCH}&userId=${u.rep3!.id}`)).body.brief).toEqual(zeroBrief);
    expect((await dash('manager', `${MARCH}&departmentId=${dept.other}`)).body.brief).toEqual(zeroBrief);
  });

  it('refuses bad filters with field errors', async () => {
    const bad = await dash('rep1', 'range=custom&from=2025-03-31');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'from', message: expect.any(String) }] });
    const reversed = await dash('rep1', 'range=custom&from=2025-03-31&to=2025-03-01');
    expect(reversed.body.error.fields).toContainEqual({ path: 'to', message: expect.any(String) });
    const both = await dash('rep1', `range=this_month&userId=${u.rep1!.id}&departmentId=${dept.sales}`);
    expect(both.body.error.fields).toContainEqual({ path: 'departmentId', message: expect.any(String) });
    expect((await dash('rep1', 'range=this_month&pipelineId=999999')).body.error.fields).toContainEqual({ path: 'pipelineId', message: expect.any(String) });
  });

  it('dates a contract that takes effect unsigned by that day', async () => {
    const customerId = (await u.rep2!.api.post('/api/v1/customers', { name: '本月客户' })).body.id;
    const k = (await u.rep2!.api.post('/api/v1/contracts', { name: '未填签约日期', customerId, amount: '88.80' })).body;
    expect(k.signedOn).toBeNull();
    const effective = (await u.rep2!.api.post(`/api/v1/contracts/${k.id}/submit`, {})).body;
    expect(effective).toMatchObject({ status: 'active', signedOn: today() });
    const now = (await dash('rep2', 'range=this_month')).body;
    expect(now.brief.contracts).toEqual({ count: 1, amount: '88.80' });
    expect(now.brief.newCustomers).toBe(1);
  });
});

describe('sales targets (SAL-9)', () => {
  const grid = (subjectType: string, subjectId: number, metric: string, months: (string | null)[], extra: object = {}) => ({
    year: 2025, subjectType, subjectId, metric, months, quarters: [null, null, null, null], total: null, ...extra,
  });
  const monthly = (v: string) => Array.from({ length: 12 }, () => v);

  it('saves a grid, derives quarters and the year from months, and reports achievement per period', async () => {
    const res = await u.manager!.api.put('/api/v1/targets', grid('user', u.rep1!.id, 'contract_amount', monthly('2000'), { quarters: [null, '9000', null, null] }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = res.body.items.find((i: { metric: string }) => i.metric === 'contract_amount');
    expect(row).toMatchObject({ subjectType: 'user', subjectId: u.rep1!.id, subjectName: 'rep1', total: null, quarters: [null, '9000.00', null, null] });
    expect(row.months[0]).toBe('2000.00');
    expect(row.effective).toEqual({ quarters: ['6000.00', '9000.00', '6000.00', '6000.00'], total: '27000.00' });
    expect(row.achieved.months.slice(0, 4)).toEqual(['0.00', '400.00', '1000.10', '0.00']);
    expect(row.achieved.quarters).toEqual(['1400.10', '0.00', '0.00', '0.00']);
    expect(row.achieved.total).toBe('1400.10');
    const receivables = res.body.items.find((i: { metric: string }) => i.metric === 'receivable_amount');
    expect(receivables.achieved.months.slice(2, 4)).toEqual(['600.05', '400.00']);
    // the dashboard's KPI for March: target 2000, achieved 1000.10 (50.0 %)
    expect((await dash('rep1')).body.kpi.contractAmount).toEqual({ target: '2000.00', achieved: '1000.10', percent: '50.0' });
    // the quarter as set, the year as derived
    expect((await dash('rep1', 'range=custom&from=2025-04-01&to=2025-06-30')).body.kpi.contractAmount).toMatchObject({ target: '9000.00', achieved: '0.00' });
    expect((await dash('rep1', 'range=custom&from=2025-01-01&to=2025-12-31')).body.kpi.contractAmount).toEqual({ target: '27000.00', achieved: '1400.10', percent: '5.2' });
  });

  it("a department's achievement covers its sub-departments; the list shows subjects within scope only", async () => {
    expect((await u.manager!.api.put('/api/v1/targets', grid('department', dept.sales, 'receivable_amount', monthly('1000')))).status).toBe(200);
    const list = (await u.manager!.api.get('/api/v1/targets?year=2025')).body;
    expect(list.canEdit).toBe(true);
    const sales = list.items.find((i: { subjectType: string; metric: string }) => i.subjectType === 'department' && i.metric === 'receivable_amount');
    expect(sales.achieved.months[2]).toBe('1600.05');
    expect(sales.effective.total).toBe('12000.00');
    const kpi = (await dash('manager', `${MARCH}&departmentId=${dept.sales}`)).body.kpi.receivableAmount;
    expect(kpi).toEqual({ target: '1000.00', achieved: '1600.05', percent: '160.0' });
    // rep1 sees their own targets, not the department's (rep2 is outside rep1's scope), and cannot change them
    const mine = (await u.rep1!.api.get('/api/v1/targets?year=2025')).body;
    expect(mine.canEdit).toBe(false);
    expect(new Set(mine.items.map((i: { subjectType: string; subjectId: number }) => `${i.subjectType}:${i.subjectId}`))).toEqual(new Set([`user:${u.rep1!.id}`]));
    expect((await u.rep2!.api.get(`/api/v1/targets?year=2025&subjectType=user&subjectId=${u.rep1!.id}`)).body.items).toEqual([]);
    expect((await u.rep1!.api.put('/api/v1/targets', grid('user', u.rep1!.id, 'contract_amount', monthly('1')))).status).toBe(403);
  });

  it('refuses invalid grids with fields, and subjects outside the manager’s scope', async () => {
    const bad = await u.manager!.api.put('/api/v1/targets', { ...grid('user', u.rep1!.id, 'contract_amount', ['-5', ...monthly('1').slice(1)]), quarters: [null], metric: 'profit' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    const paths = bad.body.error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['months.0', 'quarters', 'metric']));
    const unknown = await u.manager!.api.put('/api/v1/targets', grid('user', 999999, 'contract_amount', monthly('1')));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ path: 'subjectId', message: expect.any(String) }]);
    const outside = await u.manager!.api.put('/api/v1/targets', grid('user', u.rep3!.id, 'contract_amount', monthly('1')));
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('TARGET_OUT_OF_SCOPE');
    // the root department holds rep3: beyond the manager too
    expect((await u.manager!.api.put('/api/v1/targets', grid('department', t.tenant.rootDepartmentId, 'contract_amount', monthly('1')))).status).toBe(403);
    expect((await u.manager!.api.delete(`/api/v1/targets?year=2025&subjectType=user&subjectId=${u.rep3!.id}&metric=contract_amount`)).status).toBe(403);
  });

  it('offers as subjects only users and departments wholly within the contract scope', async () => {
    const ids = (body: { users: { id: number }[]; departments: { id: number }[] }) => ({ users: body.users.map((x) => x.id).sort(), departments: body.departments.map((x) => x.id).sort() });
    expect(ids((await u.manager!.api.get('/api/v1/targets/subjects')).body)).toEqual({
      users: [u.manager!.id, u.rep1!.id, u.rep2!.id].sort(), departments: [dept.sales!, dept.team!].sort(),
    });
    expect(ids((await u.rep1!.api.get('/api/v1/targets/subjects')).body)).toEqual({ users: [u.rep1!.id], departments: [] });
  });

  it('deletes a grid and logs changes', async () => {
    const del = await u.manager!.api.delete(`/api/v1/targets?year=2025&subjectType=department&subjectId=${dept.sales}&metric=receivable_amount`);
    expect(del.status).toBe(204);
    expect((await u.manager!.api.delete(`/api/v1/targets?year=2025&subjectType=department&subjectId=${dept.sales}&metric=receivable_amount`)).status).toBe(404);
    const log = (await t.admin.get('/api/v1/audit/operations?entity=sales_target')).body.items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['update', 'delete']));
    const first = log.find((e: { recordName: string }) => e.recordName === 'rep1 2025 contract_amount');
    expect(first.changes).toContainEqual({ field: 'm3', before: null, after: '2000.00' });
  });
});

describe('kept monthly totals (sales_month_totals)', () => {
  type Brief = Record<string, number | string | { count: number; amount: string }>;
  const sum = (briefs: Brief[]) =>
    Object.fromEntries(Object.keys(briefs[0]!).map((key) => {
      const values = briefs.map((b) => b[key]!);
      if (typeof values[0] === 'number') return [key, values.reduce<number>((a, v) => a + (v as number), 0)];
      if (typeof values[0] === 'string') return [key, values.reduce<number>((a, v) => a + Number(v), 0).toFixed(2)];
      const pairs = values as { count: number; amount: string }[];
      return [key, { count: pairs.reduce((a, v) => a + v.count, 0), amount: pairs.reduce((a, v) => a + Number(v.amount), 0).toFixed(2) }];
    }));

  it('a range adds its whole months from the totals and its loose days from the records', async () => {
    const brief = async (from: string, to: string) => (await dash('manager', `range=custom&from=${from}&to=${to}`)).body.brief as Brief;
    const whole = await brief('2025-02-15', '2025-04-05');
    expect(whole).toEqual(sum([await brief('2025-02-15', '2025-02-28'), await brief('2025-03-01', '2025-03-31'), await brief('2025-04-01', '2025-04-05')]));
    expect(whole).not.toEqual(await brief('2025-03-01', '2025-03-31'));
  });

  it('stay equal to the records after transfers, deletions and status changes', async () => {
    const tid = t.tenant.tenantId;
    const contract = (await u.manager!.api.get('/api/v1/contracts?limit=50')).body.items.find((k: { ownerId: number; status: string; paid: string }) =>
      k.ownerId === u.rep1!.id && k.status === 'active' && k.paid !== '0.00');
    expect((await u.manager!.api.post(`/api/v1/contracts/${contract.id}/transfer`, { ownerId: u.rep2!.id })).status).toBe(200);
    const customer = (await u.rep1!.api.get('/api/v1/customers?limit=50')).body.items[0];
    expect((await t.admin.delete(`/api/v1/customers/${customer.id}`)).status).toBe(204);
    const kept = () => t.db.tenant({ tenantId: tid }, (q) =>
      q.query(sql`SELECT metric, month::text, owner_id, n::int, amount::text FROM sales_month_totals WHERE n <> 0 OR amount <> 0 ORDER BY 1, 2, 3`));
    const before = await kept();
    expect(before.length).toBeGreaterThan(8);
    await t.db.system((q) => q.query(sql`SELECT crm_rebuild_sales_month_totals(${tid}::bigint)`));
    expect(await kept()).toEqual(before);
    // the transferred contract's money went with it
    expect(before.filter((r) => (r as { metric: string; owner_id: number }).metric === 'receivable' && (r as { owner_id: number }).owner_id === u.rep2!.id).length).toBeGreaterThan(0);
  });
});

describe('range arithmetic', () => {
  it('weeks start on Monday, KPI periods follow exact ranges, the trend covers 12 months or the range', () => {
    expect(rangeOf({ range: 'this_week' }, '2025-03-05')).toEqual({ from: '2025-03-03', to: '2025-03-09' });
    expect(rangeOf({ range: 'this_week' }, '2025-03-02')).toEqual({ from: '2025-02-24', to: '2025-03-02' });
    expect(rangeOf({ range: 'this_quarter' }, '2025-05-15')).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(rangeOf({ range: 'this_month' }, '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(kpiPeriodOf('this_week', { from: '2025-03-31', to: '2025-04-06' }, '2025-03-31')).toMatchObject({ kind: 'month', period: 3 });
    expect(kpiPeriodOf('custom', { from: '2025-01-01', to: '2025-12-31' }, '2025-03-31')).toMatchObject({ kind: 'year', period: 1 });
    expect(trendMonths({ from: '2025-03-03', to: '2025-03-09' })).toHaveLength(12);
    expect(trendMonths({ from: '2023-01-15', to: '2025-03-09' })).toHaveLength(27);
  });

  it('cuts a range into whole months and loose days', () => {
    expect(splitByMonths({ from: '2025-01-01', to: '2025-12-31' })).toEqual({ months: { from: '2025-01-01', to: '2025-12-01' }, edges: [] });
    expect(splitByMonths({ from: '2024-02-01', to: '2024-02-29' })).toEqual({ months: { from: '2024-02-01', to: '2024-02-01' }, edges: [] });
    expect(splitByMonths({ from: '2025-02-15', to: '2025-04-05' })).toEqual({
      months: { from: '2025-03-01', to: '2025-03-01' }, edges: [{ from: '2025-02-15', to: '2025-02-28' }, { from: '2025-04-01', to: '2025-04-05' }],
    });
    expect(splitByMonths({ from: '2025-03-03', to: '2025-03-09' })).toEqual({ months: null, edges: [{ from: '2025-03-03', to: '2025-03-09' }] });
    expect(splitByMonths({ from: '2025-03-31', to: '2025-04-01' })).toEqual({ months: null, edges: [{ from: '2025-03-31', to: '2025-04-01' }] });
    expect(splitByMonths({ from: '2024-12-20', to: '2025-01-31' })).toEqual({ months: { from: '2025-01-01', to: '2025-01-01' }, edges: [{ from: '2024-12-20', to: '2024-12-31' }] });
  });
});
