import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { csvRows, downloadExport } from '../../../../test/helpers/export.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { OpportunityListQuery } from '../../../common/schemas/opportunities.js';
import { keysetPage } from '../../db/keyset.js';
import { sql } from '../../db/sql.js';
import { PER_OWNER_MAX, type RecordScope } from '../../platform/access/scope.js';
import * as repo from './opportunities.repo.js';

let t: TestApp;
const users: Record<string, { id: number; api: ApiClient }> = {};
const products: Record<string, number> = {};
const customers: Record<string, number> = {};
let pipeline: { id: number; stages: { id: number; name: string; kind: string; winRate: number }[] };
const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!.id;
let reasons: { id: number; name: string }[];

async function addUser(key: string, role: string, superiorId: number | null = null) {
  const res = await t.admin.post('/api/v1/users', {
    name: key, email: `${key}@acme.test`, departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds[role]], superiorId,
  });
  expect(res.status).toBe(201);
  users[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
}

beforeAll(async () => {
  t = await startTestApp();
  await addUser('manager', 'sales_manager');
  await addUser('rep1', 'sales_rep', users.manager!.id);
  await addUser('rep2', 'sales_rep');
  await t.db.tenant({ tenantId: t.tenant.tenantId }, async (q) => {
    for (const [code, price, onShelf] of [['P1', '100.00', true], ['P2', '33.33', true], ['P3', '50.00', false]] as const) {
      const row = await q.one<{ id: number }>(sql`INSERT INTO products (tenant_id, code, name, unit, price, on_shelf)
        VALUES (${t.tenant.tenantId}, ${code}, ${`产品${code}`}, '套', ${price}::numeric, ${onShelf}) RETURNING id`);
      products[code] = row!.id;
    }
  });
  for (const [key, owner] of [['c1', 'rep1'], ['c2', 'rep2']] as const) {
    const res = await users[owner]!.api.post('/api/v1/customers', { name: `客户${key}` });
    expect(res.status).toBe(201);
    customers[key] = res.body.id;
  }
  pipeline = (await t.admin.get('/api/v1/pipelines')).body.items[0];
  reasons = (await t.admin.get('/api/v1/opportunity-lost-reasons')).body.items;
});
afterAll(() => t?.close());

const create = (api: ApiClient, body: Record<string, unknown>) => api.post('/api/v1/opportunities', body);

describe('pipelines (销售流程)', () => {
  it('seeds a default pipeline with stages and outcomes, and lost reasons', async () => {
    const res = await t.admin.get('/api/v1/pipelines');
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ name: '标准销售流程', isDefault: true, enabled: true });
    expect(res.body.items[0].stages.map((s: { name: string; winRate: number; kind: string }) => [s.name, s.winRate, s.kind])).toEqual([
      ['初步接洽', 10, 'open'], ['需求确认', 30, 'open'], ['方案报价', 50, 'open'], ['谈判审核', 70, 'open'], ['赢单', 100, 'won'], ['输单', 0, 'lost'],
    ]);
    expect(reasons.map((r) => r.name)).toEqual(['价格因素', '竞争对手', '需求变化', '预算不足', '其他']);
  });

  it('creates, renames, reorders and disables pipelines and stages under the rules', async () => {
    expect((await users.rep1!.api.post('/api/v1/pipelines', { name: '渠道', stages: [{ name: 'A', winRate: 20 }] })).status).toBe(403);
    const bad = await t.admin.post('/api/v1/pipelines', { name: '渠道', stages: [{ name: 'A', winRate: 101 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0].path).toBe('stages.0.winRate');
    expect((await t.admin.post('/api/v1/pipelines', { name: '渠道', stages: [] })).status).toBe(400);
    const created = await t.admin.post('/api/v1/pipelines', { name: '渠道', stages: [{ name: '报备', winRate: 20 }, { name: '签约', winRate: 80 }] });
    expect(created.status).toBe(201);
    expect(created.body.stages.map((s: { name: string }) => s.name)).toEqual(['报备', '签约', '赢单', '输单']);
    expect((await t.admin.post('/api/v1/pipelines', { name: '渠道', stages: [{ name: 'A', winRate: 1 }] })).status).toBe(409);
    const id = created.body.id;
    const [a, b] = created.body.stages;

    // reorder, rename, re-rate, add, disable
    const saved = await t.admin.put(`/api/v1/pipelines/${id}/stages`, {
      stages: [{ id: b.id, name: '签约审批', winRate: 90 }, { id: a.id, name: '报备', winRate: 20, enabled: false }, { name: '试用', winRate: 40 }],
    });
    expect(saved.status).toBe(200);
    expect(saved.body.stages.map((s: { name: string; winRate: number; enabled: boolean }) => `${s.name}/${s.winRate}/${s.enabled}`)).toEqual([
      '签约审批/90/true', '报备/20/false', '试用/40/true', '赢单/100/true', '输单/0/true',
    ]);
    expect((await t.admin.put(`/api/v1/pipelines/${id}/stages`, { stages: [{ id: 999999, name: 'x', winRate: 1 }] })).status).toBe(400);

    // a stage holding an opportunity is not deleted; moving its opportunities first works
    const trial = saved.body.stages[2].id;
    const opp = await create(t.admin, { name: '渠道商机', customerId: customers.c1, pipelineId: id, stageId: trial, amount: '10' });
    expect(opp.status).toBe(201);
    expect((await create(t.admin, { name: 'x', customerId: customers.c1, pipelineId: id, stageId: a.id })).status).toBe(400); // disabled stage
    const refused = await t.admin.put(`/api/v1/pipelines/${id}/stages`, { stages: [{ id: b.id, name: '签约审批', winRate: 90 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('STAGE_IN_USE');
    expect((await t.admin.delete(`/api/v1/pipelines/${id}/stages/${trial}`)).status).toBe(409);
    const moved = await t.admin.delete(`/api/v1/pipelines/${id}/stages/${trial}?moveTo=${b.id}`);
    expect(moved.status).toBe(200);
    expect(moved.body.stages.map((s: { name: string }) => s.name)).toEqual(['签约审批', '报备', '赢单', '输单']);
    const after = await t.admin.get(`/api/v1/opportunities/${opp.body.id}`);
    expect(after.body.stageName).toBe('签约审批');
    const history = await t.admin.get(`/api/v1/opportunities/${opp.body.id}/stage-history`);
    expect(history.body.items.map((h: { fromStageName: string | null; toStageName: string }) => `${h.fromStageName}→${h.toStageName}`)).toEqual(['试用→签约审批', 'null→试用']);

    // one default, which stays enabled
    expect((await t.admin.patch(`/api/v1/pipelines/${pipeline.id}`, { enabled: false })).body.error.code).toBe('DEFAULT_PIPELINE');
    expect((await t.admin.patch(`/api/v1/pipelines/${id}`, { isDefault: true })).body.isDefault).toBe(true);
    expect((await t.admin.get('/api/v1/pipelines')).body.items.filter((p: { isDefault: boolean }) => p.isDefault).map((p: { id: number }) => p.id)).toEqual([id]);
    await t.admin.patch(`/api/v1/pipelines/${pipeline.id}`, { isDefault: true });
    await t.admin.delete(`/api/v1/opportunities/${opp.body.id}`);
  });

  it('keeps lost reasons editable, refusing to delete one in use', async () => {
    const list = (await t.admin.get('/api/v1/opportunity-lost-reasons')).body.items as { id: number; name: string }[];
    const saved = await t.admin.put('/api/v1/opportunity-lost-reasons', { reasons: [...list.map((r) => ({ id: r.id, name: r.name })), { name: '交期太长' }] });
    expect(saved.body.items.map((r: { name: string }) => r.name)).toEqual(['价格因素', '竞争对手', '需求变化', '预算不足', '其他', '交期太长']);
    expect((await t.admin.put('/api/v1/opportunity-lost-reasons', { reasons: [{ name: 'a' }, { name: 'a' }] })).status).toBe(400);
    expect((await users.rep1!.api.put('/api/v1/opportunity-lost-reasons', { reasons: [] })).status).toBe(403);
  });
});

describe('opportunities', () => {
  it('creates with product lines and exact totals; refuses off-shelf products, invisible customers and foreign contacts', async () => {
    const contact = await users.rep1!.api.post('/api/v1/contacts', { customerId: customers.c1, name: '王经理' });
    expect(contact.status).toBe(201);
    const res = await create(users.rep1!.api, {
      name: '年度采购', customerId: customers.c1, contactIds: [contact.body.id], expectedCloseDate: '2030-03-15',
      lines: [{ productId: products.P1, quantity: '3', discount: '10' }, { productId: products.P2, quantity: '3' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      amount: '369.99', amountCompany: '369.99', currency: 'CNY', status: 'open', stageName: '初步接洽', winRate: 10, ownerId: users.rep1!.id,
      expectedCloseDate: '2030-03-15', contacts: [{ id: contact.body.id, name: '王经理' }],
    });
    expect(res.body.code).toMatch(/^SJ\d{6}\d{4}$/);
    expect(res.body.lines.map((l: { productName: string; price: string; amount: string; onShelf: boolean }) => [l.productName, l.price, l.amount, l.onShelf])).toEqual([
      ['产品P1', '100.00', '270.00', true], ['产品P2', '33.33', '99.99', true],
    ]);

    const offShelf = await create(users.rep1!.api, { name: 'x', customerId: customers.c1, lines: [{ productId: products.P3, quantity: 1 }] });
    expect(offShelf.status).toBe(400);
    expect(offShelf.body.error.fields[0].path).toBe('lines.0.productId');
    const invisible = await create(users.rep1!.api, { name: 'x', customerId: customers.c2 });
    expect(invisible.status).toBe(400);
    expect(invisible.body.error.fields[0].path).toBe('customerId');
    const otherContact = await users.rep2!.api.post('/api/v1/contacts', { customerId: customers.c2, name: '赵总' });
    expect((await create(users.rep1!.api, { name: 'x', customerId: customers.c1, contactIds: [otherContact.body.id] })).status).toBe(400);
    expect((await create(users.rep1!.api, { name: 'x', customerId: customers.c1, ownerId: users.rep2!.id })).status).toBe(403);

    // amount set by hand over the lines, then back to the lines' total
    const id = res.body.id;
    const manual = await users.rep1!.api.patch(`/api/v1/opportunities/${id}`, { amount: '350', amountOverride: true });
    expect(manual.body).toMatchObject({ amount: '350.00', amountOverridden: true });
    const back = await users.rep1!.api.patch(`/api/v1/opportunities/${id}`, { amountOverride: false });
    expect(back.body).toMatchObject({ amount: '369.99', amountOverridden: false });

    // a product taken off the shelf stays on the lines; it cannot be added anew
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => q.query(sql`UPDATE products SET on_shelf = false WHERE tenant_id = ${t.tenant.tenantId} AND id = ${products.P1}`));
    const kept = await users.rep1!.api.patch(`/api/v1/opportunities/${id}`, { lines: [{ productId: products.P1, quantity: '1', price: '99.5' }] });
    expect(kept.status).toBe(200);
    expect(kept.body.lines.map((l: { amount: string; onShelf: boolean }) => [l.amount, l.onShelf])).toEqual([['99.50', false]]);
    expect(kept.body.amount).toBe('99.50');
    const fresh = await create(users.rep1!.api, { name: 'x', customerId: customers.c1, lines: [{ productId: products.P1, quantity: 1 }] });
    expect(fresh.status).toBe(400);
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => q.query(sql`UPDATE products SET on_shelf = true WHERE tenant_id = ${t.tenant.tenantId} AND id = ${products.P1}`));
    const ops = await users.rep1!.api.get(`/api/v1/opportunities/${id}/history`);
    expect(ops.body.items.map((o: { action: string }) => o.action)).toEqual(['update', 'update', 'update', 'create']);
  });

  it('advances, wins, reopens and loses with a stage history and an operation log', async () => {
    const api = users.rep1!.api;
    const { id } = (await create(api, { name: '推进测试', customerId: customers.c1, amount: '1000' })).body;
    const move = (body: Record<string, unknown>) => api.post(`/api/v1/opportunities/${id}/stage`, body);
    expect((await move({ stageId: stage('需求确认'), note: '客户确认了需求' })).body).toMatchObject({ stageName: '需求确认', status: 'open' });
    expect((await move({ stageId: stage('需求确认') })).status).toBe(200); // same stage: nothing happens
    const won = await api.post(`/api/v1/opportunities/${id}/win`, { note: '签了' });
    expect(won.body).toMatchObject({ status: 'won', stageName: '赢单', winRate: 100 });
    expect(won.body.wonAt).not.toBeNull();
    expect((await api.post(`/api/v1/opportunities/${id}/win`, {})).status).toBe(409);
    const reopened = await api.post(`/api/v1/opportunities/${id}/reopen`, { note: '合同作废' });
    expect(reopened.body).toMatchObject({ status: 'open', stageName: '需求确认', wonAt: null });
    expect((await api.post(`/api/v1/opportunities/${id}/reopen`, {})).status).toBe(409);
    const noReason = await move({ stageId: stage('输单') });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields[0].path).toBe('lostReasonId');
    const lost = await api.post(`/api/v1/opportunities/${id}/lose`, { lostReasonId: reasons[1]!.id, note: '对手更便宜' });
    expect(lost.body).toMatchObject({ status: 'lost', lostReasonName: '竞争对手', lostNote: '对手更便宜' });
    expect((await move({ stageId: 999999 })).status).toBe(400);

    const history = (await api.get(`/api/v1/opportunities/${id}/stage-history`)).body.items;
    expect(history.map((h: { fromStageName: string | null; toStageName: string; note: string | null }) => [h.fromStageName, h.toStageName, h.note])).toEqual([
      ['需求确认', '输单', '对手更便宜'], ['赢单', '需求确认', '合同作废'], ['需求确认', '赢单', '签了'], ['初步接洽', '需求确认', '客户确认了需求'], [null, '初步接洽', null],
    ]);
    expect(history[0].changedByName).toBe('rep1');
    const ops = (await api.get(`/api/v1/opportunities/${id}/history`)).body.items.map((o: { action: string }) => o.action);
    expect(ops).toEqual(['lose', 'reopen', 'win', 'advance', 'create']);
    // another rep cannot even see it
    expect((await users.rep2!.api.post(`/api/v1/opportunities/${id}/stage`, { stageId: stage('方案报价') })).status).toBe(404);
  });

  it('serves the board per stage with sums, weighted sums and per-stage pages that the list continues', async () => {
    const api = users.rep2!.api;
    const amounts = ['100.10', '200.20', '300.30'];
    const ids: number[] = [];
    for (const a of amounts) ids.push((await create(api, { name: `看板${a}`, customerId: customers.c2, amount: a })).body.id);
    const quoted = (await create(api, { name: '报价中', customerId: customers.c2, amount: '999.99', stageId: stage('方案报价') })).body.id;
    const board = await api.get('/api/v1/opportunities/board?limit=2');
    expect(board.status).toBe(200);
    expect(board.body.pipeline.id).toBe(pipeline.id);
    const byName = Object.fromEntries(board.body.stages.map((s: { name: string }) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(['初步接洽', '需求确认', '方案报价', '谈判审核', '赢单', '输单']);
    expect(byName['初步接洽']).toMatchObject({ count: 3, amount: '600.60', weighted: '60.06' });
    expect(byName['初步接洽'].cards.map((c: { id: number }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(byName['方案报价']).toMatchObject({ count: 1, amount: '999.99', weighted: '500.00', nextCursor: null });
    expect(byName['谈判审核']).toMatchObject({ count: 0, amount: '0.00', cards: [] });
    const more = await api.get(`/api/v1/opportunities?pipelineId=${pipeline.id}&stageId=${stage('初步接洽')}&limit=2&cursor=${encodeURIComponent(byName['初步接洽'].nextCursor)}`);
    expect(more.body.items.map((c: { id: number }) => c.id)).toEqual([ids[0]]);
    expect(more.body.nextCursor).toBeNull();

    // dragging a card: the same rules as advancing
    expect((await api.post(`/api/v1/opportunities/${ids[0]}/stage`, { stageId: stage('谈判审核') })).status).toBe(200);
    const after = Object.fromEntries((await api.get('/api/v1/opportunities/board?q=看板')).body.stages.map((s: { name: string; count: number }) => [s.name, s.count]));
    expect(after).toMatchObject({ 初步接洽: 2, 谈判审核: 1, 方案报价: 0 });
    expect((await api.delete(`/api/v1/opportunities/${quoted}`)).status).toBe(403); // reps do not delete
    expect((await t.admin.delete(`/api/v1/opportunities/${quoted}`)).status).toBe(204);
    expect((await t.admin.delete(`/api/v1/opportunities/${quoted}`)).status).toBe(404);
    for (const id of ids) await t.admin.delete(`/api/v1/opportunities/${id}`);
  });

  it('forecasts the weighted pipeline per period and owner or department, and counts won amounts', async () => {
    const api = users.rep2!.api;
    const made: number[] = [];
    const add = async (amount: string, stageName: string, close: string) =>
      made.push((await create(api, { name: `预测${amount}`, customerId: customers.c2, amount, stageId: stage(stageName), expectedCloseDate: close })).body.id);
    await add('1000.00', '初步接洽', '2031-01-10'); // weighted 100.00
    await add('333.33', '需求确认', '2031-01-31'); // 99.999
    await add('2000.00', '谈判审核', '2031-02-01'); // 1400.00
    await add('500.00', '方案报价', '2031-05-20'); // 250.00
    await add('777.00', '方案报价', '2032-01-01'); // outside the range
    const month = await api.get('/api/v1/opportunities/forecast?period=month&groupBy=owner&from=2031-01-01&to=2031-12-31');
    expect(month.status).toBe(200);
    expect(month.body.rows).toEqual([
      { period: '2031-01', groupId: users.rep2!.id, groupName: 'rep2', openCount: 2, openAmount: '1333.33', weighted: '200.00', wonCount: 0, wonAmount: '0.00' },
      { period: '2031-02', groupId: users.rep2!.id, groupName: 'rep2', openCount: 1, openAmount: '2000.00', weighted: '1400.00', wonCount: 0, wonAmount: '0.00' },
      { period: '2031-05', groupId: users.rep2!.id, groupName: 'rep2', openCount: 1, openAmount: '500.00', weighted: '250.00', wonCount: 0, wonAmount: '0.00' },
    ]);
    expect(month.body.totals).toEqual({ openCount: 4, openAmount: '3833.33', weighted: '1850.00', wonCount: 0, wonAmount: '0.00' });
    const quarter = await api.get('/api/v1/opportunities/forecast?period=quarter&groupBy=department&from=2031-01-01&to=2031-12-31');
    expect(quarter.body.rows.map((r: { period: string; groupId: number; weighted: string }) => [r.period, r.groupId, r.weighted])).toEqual([
      ['2031-Q1', t.tenant.rootDepartmentId, '1600.00'], ['2031-Q2', t.tenant.rootDepartmentId, '250.00'],
    ]);
    // rep1 sees none of it; the admin sees it among everyone's
    expect((await users.rep1!.api.get('/api/v1/opportunities/forecast?from=2031-01-01&to=2031-12-31')).body.rows).toEqual([]);
    expect((await t.admin.get('/api/v1/opportunities/forecast?from=2031-01-01&to=2031-12-31')).body.totals.weighted).toBe('1850.00');

    // won in the period: by the day it was won
    await api.post(`/api/v1/opportunities/${made[0]}/win`, {});
    const year = new Date().getFullYear();
    const won = await api.get(`/api/v1/opportunities/forecast?period=quarter&from=${year}-01-01&to=${year}-12-31`);
    expect(won.body.totals).toMatchObject({ wonCount: 1, wonAmount: '1000.00' });

    const funnel = await api.get('/api/v1/opportunities/funnel');
    expect(funnel.body.stages.map((s: { name: string; count: number; reached: number; amount: string }) => [s.name, s.count, s.reached, s.amount])).toEqual([
      ['初步接洽', 0, 5, '0.00'], ['需求确认', 1, 5, '333.33'], ['方案报价', 2, 4, '1277.00'], ['谈判审核', 1, 2, '2000.00'], ['赢单', 1, 1, '1000.00'], ['输单', 0, 0, '0.00'],
    ]);
    for (const id of made) await t.admin.delete(`/api/v1/opportunities/${id}`);
  });

  it('transfers singly and in bulk, optionally keeping the former owner on the team', async () => {
    const a = (await create(users.rep1!.api, { name: '转移A', customerId: customers.c1, amount: '1' })).body.id;
    const b = (await create(users.rep1!.api, { name: '转移B', customerId: customers.c1, amount: '2' })).body.id;
    expect((await users.rep1!.api.post(`/api/v1/opportunities/${a}/transfer`, { ownerId: users.rep2!.id })).status).toBe(403); // reps may not transfer
    const moved = await users.manager!.api.post(`/api/v1/opportunities/${a}/transfer`, { ownerId: users.rep2!.id, keepAsTeamMember: true });
    expect(moved.status).toBe(200);
    expect(moved.body).toBeNull(); // rep2 is outside the manager's scope
    const seen = await users.rep1!.api.get(`/api/v1/opportunities/${a}`);
    expect(seen.body).toMatchObject({ ownerId: users.rep2!.id, allowed: { edit: false, delete: false } });
    expect((await users.rep1!.api.patch(`/api/v1/opportunities/${a}`, { name: '改名' })).status).toBe(403);
    expect((await users.rep1!.api.get(`/api/v1/opportunities?view=shared_with_me`)).body.items.map((o: { id: number }) => o.id)).toEqual([a]);
    expect((await users.rep2!.api.get(`/api/v1/opportunities/${a}/members`)).body.items).toMatchObject([{ userId: users.rep1!.id, kind: 'team', access: 'read' }]);

    expect((await users.manager!.api.post('/api/v1/opportunities/bulk', { action: 'transfer', ids: [a, b], ownerId: users.manager!.id })).status).toBe(404); // all or nothing
    const bulk = await users.manager!.api.post('/api/v1/opportunities/bulk', { action: 'transfer', ids: [b], ownerId: users.manager!.id });
    expect(bulk.body).toEqual({ changed: 1 });
    expect((await users.rep1!.api.get(`/api/v1/opportunities/${b}`)).status).toBe(404);
  });

  it('applies data scopes alike to list, count, detail, board, forecast and funnel', async () => {
    const mine = (await create(users.rep1!.api, { name: '范围1', customerId: customers.c1, amount: '10', expectedCloseDate: '2033-01-01' })).body.id;
    const theirs = (await create(users.rep2!.api, { name: '范围2', customerId: customers.c2, amount: '20', expectedCloseDate: '2033-01-01' })).body.id;
    const filter = 'q=范围';
    const check = async (api: ApiClient, expected: number[]) => {
      const list = (await api.get(`/api/v1/opportunities?${filter}`)).body.items.map((o: { id: number }) => o.id).sort();
      expect(list).toEqual([...expected].sort());
      expect((await api.get(`/api/v1/opportunities/count?${filter}`)).body.total).toBe(expected.length);
      for (const id of [mine, theirs]) expect((await api.get(`/api/v1/opportunities/${id}`)).status).toBe(expected.includes(id) ? 200 : 404);
      const board = (await api.get(`/api/v1/opportunities/board?${filter}`)).body.stages;
      expect(board.flatMap((s: { cards: { id: number }[] }) => s.cards.map((c) => c.id)).sort()).toEqual([...expected].sort());
      expect(board.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(expected.length);
      const forecast = (await api.get('/api/v1/opportunities/forecast?from=2033-01-01&to=2033-12-31')).body.totals;
      expect(forecast.openCount).toBe(expected.length);
    };
    await check(users.rep1!.api, [mine]);
    await check(users.rep2!.api, [theirs]);
    await check(users.manager!.api, [mine]); // rep1 is the manager's subordinate
    await check(t.admin, [mine, theirs]);
    // a share makes it visible (read-only) to rep1
    expect((await users.rep2!.api.post(`/api/v1/opportunities/${theirs}/members`, { userId: users.rep1!.id, kind: 'share', access: 'read' })).status).toBe(200);
    await check(users.rep1!.api, [mine, theirs]);
    expect((await users.rep1!.api.post(`/api/v1/opportunities/${theirs}/stage`, { stageId: stage('需求确认') })).status).toBe(403);
    expect((await users.rep2!.api.delete(`/api/v1/opportunities/${theirs}/members/${users.rep1!.id}?kind=share`)).status).toBe(204);
    await check(users.rep1!.api, [mine]);
    const funnel = (await users.rep1!.api.get('/api/v1/opportunities/funnel')).body;
    expect(funnel.total.count).toBe((await users.rep1!.api.get('/api/v1/opportunities/count')).body.total);
  });

  it('carries attachments under its own scope, and goes with its customer when that is erased for good', async () => {
    const customer = (await users.rep1!.api.post('/api/v1/customers', { name: '将被彻底删除的客户' })).body.id;
    const { id } = (await create(users.rep1!.api, { name: '附件商机', customerId: customer, amount: '5' })).body;
    const pdf = new TextEncoder().encode('%PDF-1.4 test');
    expect((await users.rep1!.api.upload(`/api/v1/attachments?entityType=opportunity&entityId=${id}&fileName=方案.pdf`, pdf)).status).toBe(201);
    expect((await users.rep1!.api.get(`/api/v1/attachments?entityType=opportunity&entityId=${id}`)).body.items).toHaveLength(1);
    expect((await users.rep2!.api.get(`/api/v1/attachments?entityType=opportunity&entityId=${id}`)).status).toBe(404);

    expect((await t.admin.delete(`/api/v1/customers/${customer}`)).status).toBe(204);
    expect((await t.admin.delete(`/api/v1/recycle-bin/customer/${customer}`)).status).toBe(204);
    expect((await t.admin.get(`/api/v1/opportunities/${id}`)).status).toBe(404);
  });

  it('answers the unfiltered board from stage totals that stay equal to the opportunities themselves', async () => {
    // everything the tests above did (creates, moves, wins, transfers, deletes, an erase) went through the triggers
    const live = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`SELECT stage_id, owner_id, count(*)::int AS n, sum(amount_company)::text AS amount FROM opportunities
        WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`));
    const kept = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`SELECT stage_id, owner_id, n::int AS n, amount::text AS amount FROM opportunity_stage_totals WHERE n <> 0 ORDER BY 1, 2`));
    expect(kept).toEqual(live);
    expect(live.length).toBeGreaterThan(2);

    // a share adds a record of an owner outside the scope, counted live beside the totals
    const shared = (await create(users.rep2!.api, { name: '共享看板', customerId: customers.c2, amount: '12.34', stageId: stage('谈判审核') })).body.id;
    expect((await users.rep2!.api.post(`/api/v1/opportunities/${shared}/members`, { userId: users.rep1!.id, kind: 'share', access: 'read' })).status).toBe(200);
    const figures = (body: { stages: { name: string; count: number; amount: string }[] }) => body.stages.map((s) => [s.name, s.count, s.amount]);
    for (const api of [users.rep1!.api, users.rep2!.api, users.manager!.api, t.admin]) {
      const fromTotals = await api.get('/api/v1/opportunities/board');
      const aggregated = await api.get('/api/v1/opportunities/board?amountMin=0'); // a filter: the live aggregate
      expect(figures(fromTotals.body)).toEqual(figures(aggregated.body));
    }
    const rep1 = Object.fromEntries(figures((await users.rep1!.api.get('/api/v1/opportunities/board')).body).map(([name, n]) => [name, n]));
    expect(rep1['谈判审核']).toBeGreaterThanOrEqual(1);
  });

  it('pages owner by owner to the same rows as the plain query, in the list and on the board', async () => {
    const tenantId = t.tenant.tenantId;
    const stageIds = pipeline.stages.map((st) => st.id);
    const owners = [users.rep1!.id, users.rep2!.id, t.tenant.adminId];
    const made = await t.db.tenant({ tenantId }, (q) =>
      q.query<{ id: number }>(sql`INSERT INTO opportunities (tenant_id, code, name, customer_id, amount, currency, amount_company, pipeline_id, stage_id, status, owner_id, created_at, updated_at)
        SELECT ${tenantId}, 'OP' || g, '分页商机' || g, ${customers.c1}, 100, 'CNY', 100, ${pipeline.id}, (${stageIds}::bigint[])[1 + g % 4],
          'open', (${owners}::bigint[])[1 + g % 3], '2025-06-01'::timestamptz + (g % 5) * interval '1 day', '2025-07-01'::timestamptz + (g % 4) * interval '1 hour'
        FROM generate_series(1, 40) g RETURNING id`),
    );
    const sharedIds = [made[2]!.id, made[5]!.id]; // owned by the admin, outside rep1's owner set
    const fakeOwners = Array.from({ length: PER_OWNER_MAX + 5 }, (_, i) => 1_000_000 + i);
    const scopes: RecordScope[] = [
      { module: 'opportunity', tenantId, ownerIds: [users.rep1!.id], readIds: sharedIds, writeIds: [], poolIds: [] },
      { module: 'opportunity', tenantId, ownerIds: [users.rep1!.id, users.rep2!.id], readIds: [], writeIds: [], poolIds: [] },
      { module: 'opportunity', tenantId, ownerIds: [users.rep1!.id, ...fakeOwners], readIds: sharedIds, writeIds: [], poolIds: [] },
    ];
    const visible = (scope: RecordScope) => sql`deleted_at IS NULL AND (owner_id = ANY(${scope.ownerIds}::bigint[]) OR id = ANY(${scope.readIds}::bigint[]))`;
    for (const scope of scopes) {
      const label = `${scope.ownerIds!.length} owners, ${scope.readIds.length} shared`;
      for (const [sort, order] of [['updatedAt', 'desc'], ['updatedAt', 'asc'], ['createdAt', 'desc']] as const) {
        const column = sort === 'updatedAt' ? 'updated_at' : 'created_at';
        const dir = sql.raw(order === 'asc' ? 'ASC' : 'DESC');
        const expected = await t.db.tenant({ tenantId }, (q) =>
          q.query<{ id: number }>(sql`SELECT id FROM opportunities WHERE ${visible(scope)} ORDER BY ${sql.raw(column)} ${dir}, id ${dir}`));
        const ids: number[] = [];
        let cursor: string | undefined;
        do {
          const f = OpportunityListQuery.parse({ sort, order, limit: 4, cursor });
          const page = keysetPage(await t.db.tenant({ tenantId }, (q) => repo.listOpportunities(q, scope, users.rep1!.id, f)), 4);
          ids.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(ids, `${label}, ${sort} ${order}`).toEqual(expected.map((r) => r.id));
      }
      const rows = await t.db.tenant({ tenantId }, (q) => repo.board(q, scope, users.rep1!.id, pipeline.id, {}, 3));
      for (const stageId of stageIds) {
        const expected = await t.db.tenant({ tenantId }, (q) =>
          q.query<{ id: number }>(sql`SELECT id FROM opportunities WHERE ${visible(scope)} AND stage_id = ${stageId} ORDER BY updated_at DESC, id DESC LIMIT 4`));
        expect(rows.filter((r) => r.b_stage_id === stageId && r.id != null).map((r) => r.id), `${label}, board stage ${stageId}`).toEqual(expected.map((r) => r.id));
      }
    }
  });
});

describe('export (CUS-16)', () => {
  it('gives each user the opportunities their scope shows, with the list’s filters, amounts as numbers', async () => {
    const download = (api: ApiClient, query: string) => downloadExport(t.url, '/api/v1/opportunities/export', api, query);
    expect((await download(users.rep1!.api, 'format=csv')).status).toBe(403); // reps do not export
    const all = csvRows((await download(users.manager!.api, 'format=csv&columns=name,customer,amount,status,owner')).bytes);
    expect(all[0]).toEqual(['商机名称', '客户名称', '商机金额', '状态', '负责人']);
    const visible = (await users.manager!.api.get('/api/v1/opportunities?limit=200')).body.items as { name: string; ownerName: string }[];
    expect(visible.length).toBeGreaterThan(1); // the opportunities the tests above made
    expect(all.slice(1).map((r) => r[0]).sort()).toEqual(visible.map((o) => o.name).sort());
    expect(all.slice(1).every((r) => /^\d+(\.\d+)?$/.test(r[2]!))).toBe(true);
    const won = csvRows((await download(t.admin, 'format=csv&columns=name,status&status=won')).bytes).slice(1);
    expect(won.every((r) => r[1] === '赢单')).toBe(true);
    expect((await download(t.admin, 'format=csv&columns=salary')).status).toBe(400);
  });
});
