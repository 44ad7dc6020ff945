import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';
import { applyLevelRules } from './customer-value.repo.js';
import { runRfm } from './customer-value.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('customer points (CUS-18)', () => {
  it('grants and redeems with a reason, never below zero, and ranks within the scope', async () => {
    const a = (await t.admin.post('/api/v1/customers', { name: '积分甲' })).body;
    const b = (await t.admin.post('/api/v1/customers', { name: '积分乙' })).body;
    expect((await t.admin.post(`/api/v1/customers/${a.id}/points`, { delta: 500, reason: '年度采购奖励' })).body).toEqual({ balance: 500 });
    expect((await t.admin.post(`/api/v1/customers/${a.id}/points`, { delta: -200, reason: '兑换礼品' })).body).toEqual({ balance: 300 });
    const over = await t.admin.post(`/api/v1/customers/${a.id}/points`, { delta: -301, reason: '超额兑换' });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toBe('积分不足（当前 300 分）');
    await t.admin.post(`/api/v1/customers/${b.id}/points`, { delta: 800, reason: '推荐新客户' });
    const history = (await t.admin.get(`/api/v1/customers/${a.id}/points`)).body;
    expect(history.balance).toBe(300);
    expect(history.items.map((p: { delta: number; balance: number }) => [p.delta, p.balance])).toEqual([[-200, 300], [500, 500]]);
    expect((await t.admin.get('/api/v1/customers/points-ranking')).body.items.map((r: { name: string; rank: number }) => [r.rank, r.name])).toEqual([[1, '积分乙'], [2, '积分甲']]);

    const u = await t.admin.post('/api/v1/users', {
      name: '积分代表', email: 'points@acme.test', departmentId: t.tenant.rootDepartmentId, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    const rep = await signedInAs(t.db, t.url, t.tenant.tenantId, u.body.id);
    expect((await rep.get('/api/v1/customers/points-ranking')).body.items).toEqual([]);
    expect((await rep.post(`/api/v1/customers/${a.id}/points`, { delta: 1, reason: 'x' })).status).toBe(403);
  });
});

describe('customer value (CUS-19)', () => {
  it('scores recency and frequency of follow-ups in quintiles, in one nightly statement', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) ids.push((await t.admin.post('/api/v1/customers', { name: `价值客户${i}` })).body.id);
    const now = Date.now();
    // customer i: i follow-ups, the last one 10 - i days ago
    await t.db.tenant({ tenantId: t.tenant.tenantId }, async (q) => {
      for (const [i, id] of ids.entries()) {
        for (let k = 0; k < i; k++) {
          await q.query(sql`INSERT INTO followups (tenant_id, entity_type, entity_id, customer_id, type_code, content, created_by, created_at)
            VALUES (${t.tenant.tenantId}, 'customer', ${id}, ${id}, 'phone', '回访', ${t.tenant.adminId}, ${new Date(now - (10 - i + k) * 86_400_000).toISOString()}::timestamptz)`);
        }
        if (i > 0) await q.query(sql`UPDATE customers SET last_followup_at = ${new Date(now - (10 - i) * 86_400_000).toISOString()}::timestamptz WHERE id = ${id}`);
      }
    });
    const run = await runRfm(t.db, new Date(now));
    expect(run.customers).toBeGreaterThanOrEqual(10);
    const rfm = async (id: number) => (await t.admin.get(`/api/v1/customers/${id}`)).body.rfm;
    expect(await rfm(ids[0]!)).toEqual({ r: 1, f: 1, m: 1, score: 3, at: new Date(now).toISOString() }); // never followed up
    expect(await rfm(ids[9]!)).toMatchObject({ r: 5, f: 5, m: 1, score: 11 }); // the most recent and most frequent
    expect((await rfm(ids[5]!)).score).toBeGreaterThan((await rfm(ids[2]!)).score);
  });
});

describe('automatic level rules from RFM (CUS-19)', () => {
  it('checks rules, then sets levels nightly in one statement with the operation log, skipping locked customers', async () => {
    const badLevel = await t.admin.post('/api/v1/customer-level-rules', { levelCode: 'zz', minScore: 5 });
    expect(badLevel.status).toBe(400);
    expect(badLevel.body.error.fields.map((f: { path: string }) => f.path)).toEqual(['levelCode']);
    const badRange = await t.admin.post('/api/v1/customer-level-rules', { levelCode: 'a', minScore: 12, maxScore: 5 });
    expect(badRange.body.error.fields).toEqual([{ path: 'maxScore', message: '最低分不能大于最高分' }]);
    expect((await t.admin.post('/api/v1/customer-level-rules', { levelCode: 'a', minR: 6 })).status).toBe(400);

    const top = (await t.admin.post('/api/v1/customer-level-rules', { levelCode: 'a', minScore: 11, minR: 4 })).body;
    const low = (await t.admin.post('/api/v1/customer-level-rules', { levelCode: 'd', maxScore: 4, priority: 2 })).body;
    // disabled: would otherwise catch everyone
    await t.admin.post('/api/v1/customer-level-rules', { levelCode: 'b', priority: 1, enabled: false });
    const changed = await t.admin.put(`/api/v1/customer-level-rules/${low.id}`, { levelCode: 'd', maxScore: 5, priority: 2 });
    expect(changed.body).toMatchObject({ levelCode: 'd', minScore: null, maxScore: 5, priority: 2, enabled: true });
    expect((await t.admin.get('/api/v1/customer-level-rules')).body.items.map((r: { id: number; levelCode: string }) => r.levelCode)).toEqual(['a', 'b', 'd']);

    const cold = (await t.admin.post('/api/v1/customers', { name: '等级冷客户', levelCode: 'b' })).body.id;
    const locked = (await t.admin.post('/api/v1/customers', { name: '等级锁定客户', levelCode: 'b' })).body.id;
    const hot = (await t.admin.post('/api/v1/customers', { name: '等级热客户', levelCode: 'c' })).body.id;
    await t.admin.put(`/api/v1/customers/${locked}/lock`, { locked: true });

    // never followed up: R = F = M = 1, score 3 → rule "d"; the locked one keeps its level
    const night = new Date('2030-03-01T02:45:00Z');
    const run = await runRfm(t.db, night);
    expect(run.levelsChanged).toBeGreaterThanOrEqual(1);
    const level = async (id: number) => (await t.admin.get(`/api/v1/customers/${id}`)).body.levelCode;
    expect(await level(cold)).toBe('d');
    expect(await level(locked)).toBe('b');
    expect(await level(hot)).toBe('d');

    // scores as the run would leave them for a top customer; the rules alone, at an injected time
    const later = new Date('2030-03-02T02:45:00Z');
    const apply = () => t.db.tenant({ tenantId: t.tenant.tenantId }, (q) => applyLevelRules(q, t.tenant.tenantId, later));
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`UPDATE customers SET rfm_r = 5, rfm_f = 4, rfm_m = 2, rfm_score = 11 WHERE id = ANY(${[hot, locked]}::bigint[])`));
    expect(await apply()).toBe(1);
    expect(await level(hot)).toBe('a');
    expect(await level(locked)).toBe('b');
    expect(await apply()).toBe(0); // nothing differs any more

    const history = (await t.admin.get(`/api/v1/customers/${hot}/history`)).body.items;
    expect(history[0]).toMatchObject({ action: 'level_rule', actorName: 'system', at: later.toISOString(), changes: [{ field: 'levelCode', before: 'd', after: 'a' }] });

    // a rule no longer enabled no longer applies
    await t.admin.put(`/api/v1/customer-level-rules/${top.id}`, { levelCode: 'a', minScore: 11, minR: 4, enabled: false });
    await t.admin.delete(`/api/v1/customer-level-rules/${low.id}`);
    expect(await apply()).toBe(0);
    expect(await level(hot)).toBe('a');
  });
});
