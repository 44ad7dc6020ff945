import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import { sql } from '../../db/sql.js';
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
    expect(await rfm(ids[0]!)).toEqual({ r: 1, f: 1, m: 1, score: 3 }); // never followed up
    expect(await rfm(ids[9]!)).toEqual({ r: 5, f: 5, m: 1, score: 11 }); // the most recent and most frequent
    expect((await rfm(ids[5]!)).score).toBeGreaterThan((await rfm(ids[2]!)).score);
  });
});
