import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../../../test/helpers/api.js';
import { startTestApp, type TestApp } from '../../../../test/helpers/app.js';
import { signedInAs } from '../../../../test/helpers/fixtures.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import * as rules from './pool-rules.repo.js';
import { runPoolRules } from './pool.service.js';

const DAY = 86_400_000;
let t: TestApp;
let poolId: number;
const users: Record<string, { id: number; api: ApiClient }> = {};

beforeAll(async () => {
  t = await startTestApp();
  for (const key of ['rep', 'rep2', 'lead', 'outsider']) {
    const dept = key === 'outsider' ? (await t.admin.post('/api/v1/departments', { name: '财务部', parentId: t.tenant.rootDepartmentId })).body.id : t.tenant.rootDepartmentId;
    const res = await t.admin.post('/api/v1/users', {
      name: key, email: `${key}@acme.test`, departmentId: dept, password: 'password-123', roleIds: [t.tenant.roleIds.sales_rep],
    });
    users[key] = { id: res.body.id, api: await signedInAs(t.db, t.url, t.tenant.tenantId, res.body.id) };
  }
  const salesDept = (await t.admin.post('/api/v1/departments', { name: '销售部', parentId: t.tenant.rootDepartmentId })).body.id;
  const pool = await t.admin.post('/api/v1/pools', {
    name: '华东公海',
    maxOwned: 6,
    maxClaimsPerDay: 2,
    reclaimDelayDays: 7,
    reminderDays: 3,
    protectionLimit: 1,
    protectionDays: 10,
    members: [
      { type: 'user', id: users.rep!.id },
      { type: 'user', id: users.rep2!.id },
      { type: 'user', id: users.lead!.id, isAdmin: true },
      { type: 'department', id: salesDept },
    ],
    rules: [
      { kind: 'no_followup', days: 30 },
      { kind: 'no_followup', levelCode: 'a', days: 60 },
      { kind: 'never_contacted', days: 3 },
    ],
  });
  expect(pool.status).toBe(201);
  poolId = pool.body.id;
});
afterAll(() => t?.close());

async function customerOf(who: string, name: string, extra: object = {}) {
  const res = await users[who]!.api.post('/api/v1/customers', { name, ...extra });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

const poolNames = async (api: ApiClient) =>
  (await api.get(`/api/v1/pools/${poolId}/customers?limit=200`)).body.items.map((c: { name: string }) => c.name).sort();

describe('pool rules (CUS-10), run with an injected clock', () => {
  it('recycles the customers not followed up for N days, by level; locked ones stay', async () => {
    const stale = await customerOf('rep', '久未跟进客户');
    await customerOf('rep', 'A级客户', { levelCode: 'a' });
    const locked = await customerOf('rep', '锁定客户');
    const followed = await customerOf('rep', '最近跟进客户');
    await t.admin.put(`/api/v1/customers/${locked}/lock`, { locked: true });
    await users.rep!.api.post('/api/v1/followups', { entityType: 'customer', entityId: followed, typeCode: 'phone', content: '聊了聊' });

    const now = Date.now();
    // 28 days on: nothing is due yet, the level-B ones are 2 days from it (reminder window 3 days)
    expect(await runPoolRules(t.db, new Date(now + 28 * DAY))).toMatchObject({ recycled: 0 });
    const reminders = async () =>
      (await users.rep!.api.get('/api/v1/notifications')).body.items.filter((n: { kind: string }) => n.kind === 'pool_recycle_soon').map((n: { title: string }) => n.title).sort();
    expect(await reminders()).toEqual(['久未跟进客户', '最近跟进客户']);
    // the reminder says when the rule fires: 30 days after the customer was taken on
    const staleReminder = (await users.rep!.api.get('/api/v1/notifications')).body.items.find((n: { kind: string; title: string }) => n.kind === 'pool_recycle_soon' && n.title === '久未跟进客户');
    const [rule, days] = staleReminder.body.split(':');
    expect([rule, days]).toEqual(['no_followup', '30']);
    const when = staleReminder.body.slice(`${rule}:${days}:`.length);
    const [since] = await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query<{ s: string }>(sql`SELECT to_char(owner_since AT TIME ZONE 'UTC' + interval '30 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS s FROM customers WHERE id = ${stale}`),
    );
    expect(when).toBe(since!.s);
    // running again reminds nobody twice
    await runPoolRules(t.db, new Date(now + 28.5 * DAY));
    expect(await reminders()).toEqual(['久未跟进客户', '最近跟进客户']);

    // a later follow-up keeps its customer: at day 31 only the stale one goes
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`UPDATE customers SET last_followup_at = ${new Date(now + 25 * DAY).toISOString()}::timestamptz WHERE id = ${followed}`),
    );
    const run = await runPoolRules(t.db, new Date(now + 31 * DAY));
    expect(run.recycled).toBe(1);
    expect(await poolNames(users.rep2!.api)).toEqual(['久未跟进客户']);
    expect((await users.rep!.api.get(`/api/v1/customers/${stale}`)).body.ownerId).toBeNull(); // still readable as a pool member
    const history = (await t.admin.get(`/api/v1/customers/${stale}/history`)).body.items;
    expect(history[0]).toMatchObject({ action: 'recycle', actorName: 'system' });
    expect(history[0].changes).toContainEqual({ field: 'rule', before: null, after: 'no_followup:30' });
    expect((await users.rep!.api.get('/api/v1/notifications')).body.items.map((n: { kind: string }) => n.kind)).toContain('pool_recycled');

    // day 70: the A-level one (60 days) and the one followed up at day 25 go too; the locked one never
    await runPoolRules(t.db, new Date(now + 70 * DAY));
    expect(await poolNames(users.rep2!.api)).toEqual(['A级客户', '久未跟进客户', '最近跟进客户']);
    expect((await t.admin.get(`/api/v1/customers/${locked}`)).body.ownerId).toBe(users.rep!.id);
  });

  it('leaves a protected customer alone for the protection period, within the count limit', async () => {
    const guarded = await customerOf('rep2', '保护客户');
    const other = await customerOf('rep2', '未保护客户');
    expect((await users.rep2!.api.put(`/api/v1/customers/${guarded}/protection`, { protect: true })).status).toBe(200);
    const second = await users.rep2!.api.put(`/api/v1/customers/${other}/protection`, { protect: true });
    expect(second.body.error).toMatchObject({ code: 'PROTECTION_LIMIT', message: '保护客户数已达上限（1 个）' });
    const now = Date.now();
    await t.db.tenant({ tenantId: t.tenant.tenantId }, (q) =>
      q.query(sql`UPDATE customers SET owner_since = ${new Date(now - 40 * DAY).toISOString()}::timestamptz WHERE id = ANY(${[guarded, other]}::bigint[])`),
    );
    await runPoolRules(t.db, new Date(now + DAY));
    expect((await t.admin.get(`/api/v1/customers/${guarded}`)).body.ownerId).toBe(users.rep2!.id);
    expect((await t.admin.get(`/api/v1/customers/${other}`)).body.ownerId).toBeNull();
    await runPoolRules(t.db, new Date(now + 11 * DAY));
    expect((await t.admin.get(`/api/v1/customers/${guarded}`)).body.ownerId).toBeNull();
  });

  it('recycles a claimed customer nobody contacted within N days', async () => {
    const id = await customerOf('rep2', '领取后未联系');
    await users.rep2!.api.post(`/api/v1/customers/${id}/return`, { reason: '暂不跟进' });
    expect((await users.rep!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: [id] })).status).toBe(200);
    await runPoolRules(t.db, new Date(Date.now() + 4 * DAY));
    expect((await t.admin.get(`/api/v1/customers/${id}`)).body.ownerId).toBeNull();
  });

  it('recycles a backlog in batches: every due customer once, the same ones as in one batch', async () => {
    const due: number[] = [];
    for (const name of ['积压一', '积压二', '积压三', '积压四', '积压五']) due.push(await customerOf('lead', name));
    const notYet = await customerOf('lead', '积压A级', { levelCode: 'a' });
    const now = Date.now();
    const tenant = { tenantId: t.tenant.tenantId };
    await t.db.tenant(tenant, (q) =>
      q.query(sql`UPDATE customers SET owner_since = ${new Date(now - 40 * DAY).toISOString()}::timestamptz WHERE id = ANY(${[...due, notYet]}::bigint[])`),
    );
    const at = new Date(now + DAY);
    const recycledIds = (q: Queryable) =>
      q.query<{ id: number }>(sql`SELECT id FROM customers WHERE pooled_at = ${at.toISOString()}::timestamptz ORDER BY id`).then((rows) => rows.map((r) => r.id));
    // one batch, rolled back
    let inOneBatch: number[] = [];
    await t.db
      .tenant(tenant, async (q) => {
        await rules.recycleDue(q, tenant.tenantId, at);
        inOneBatch = await recycledIds(q);
        throw new Error('rollback');
      })
      .catch((err: Error) => expect(err.message).toBe('rollback'));
    expect(inOneBatch).toEqual(expect.arrayContaining(due));

    // batches of two: the same customers, each moved, logged, told and its ownership closed exactly once
    const run = await runPoolRules(t.db, at, { recycleBatch: 2 });
    expect(run.recycled).toBe(inOneBatch.length);
    const outcome = await t.db.tenant(tenant, async (q) => ({
      recycled: await recycledIds(q),
      effects: await q.query<{ id: number; owner_id: number | null; logged: number; ended: number; told: number }>(sql`
        SELECT c.id, c.owner_id,
          (SELECT count(*)::int FROM audit_log a WHERE a.entity_type = 'customer' AND a.record_id = c.id AND a.action = 'recycle') AS logged,
          (SELECT count(*)::int FROM customer_owners o WHERE o.customer_id = c.id AND o.ended_by LIKE 'recycle:%') AS ended,
          (SELECT count(*)::int FROM notifications n WHERE n.entity_id = c.id AND n.kind = 'pool_recycled') AS told
        FROM customers c WHERE c.id = ANY(${[...due, notYet]}::bigint[]) ORDER BY c.id`),
    }));
    expect(outcome.recycled).toEqual(inOneBatch);
    expect(outcome.effects).toEqual([
      ...due.map((id) => ({ id, owner_id: null, logged: 1, ended: 1, told: 1 })),
      { id: notYet, owner_id: users.lead!.id, logged: 0, ended: 0, told: 0 },
    ]);
  });
});

describe('claiming, assigning, returning, applying (CUS-9)', () => {
  it('claims within the daily limit, with a clear message past it', async () => {
    const ids: number[] = [];
    for (const name of ['甲', '乙', '丙']) {
      const id = await customerOf('lead', `待领取${name}`);
      await users.lead!.api.post(`/api/v1/customers/${id}/return`, { reason: '释放' });
      ids.push(id);
    }
    const tooMany = await users.rep2!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: ids });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'CLAIM_LIMIT', message: '今日领取次数已达上限（每天 2 个），请明天再领取' });
    expect((await users.rep2!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: [ids[0]] })).body).toEqual({ claimed: 1 });
    expect((await users.rep2!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: [ids[1]] })).body).toEqual({ claimed: 1 });
    const third = await users.rep2!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: [ids[2]] }, { 'x-crm-locale': 'en' });
    expect(third.body.error.message).toBe('The daily limit of 2 claims is reached; try again tomorrow');
    // a claimed customer is gone from the pool for everyone else
    const taken = await users.rep!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: [ids[0]] });
    expect(taken.body.error.code).toBe('NOT_IN_POOL');
  });

  it('keeps a former owner from claiming back for N days', async () => {
    const id = await customerOf('rep', '回头客');
    await users.rep!.api.post(`/api/v1/customers/${id}/return`, { reason: '客户不需要了' });
    const back = await users.rep!.api.post(`/api/v1/pools/${poolId}/claim`, { customerIds: [id] });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('RECLAIM_DELAY');
    const history = (await t.admin.get(`/api/v1/customers/${id}/history`)).body.items;
    expect(history[0].changes).toContainEqual({ field: 'reason', before: null, after: '客户不需要了' });
  });

  it('lets pool administrators assign in bulk, and nobody outside the pool see it', async () => {
    const ids = [await customerOf('lead', '分配一'), await customerOf('lead', '分配二')];
    for (const id of ids) await users.lead!.api.post(`/api/v1/customers/${id}/return`, { reason: '统一分配' });
    expect((await users.rep!.api.post(`/api/v1/pools/${poolId}/assign`, { customerIds: ids, userId: users.rep!.id })).status).toBe(403);
    const assigned = await users.lead!.api.post(`/api/v1/pools/${poolId}/assign`, { customerIds: ids, userId: users.rep!.id });
    expect(assigned.body).toEqual({ assigned: 2 });
    expect((await users.rep!.api.get(`/api/v1/customers/${ids[0]}`)).body.ownerId).toBe(users.rep!.id);

    expect((await users.outsider!.api.get(`/api/v1/pools/${poolId}/customers`)).status).toBe(403);
    expect((await users.outsider!.api.get('/api/v1/pools')).body.items).toEqual([]);
    const pooled = (await users.rep!.api.get(`/api/v1/pools/${poolId}/customers?limit=1`)).body.items[0];
    expect((await users.outsider!.api.get(`/api/v1/customers/${pooled.id}`)).status).toBe(404);
  });

  it('takes applications, and the administrator’s approval hands the customer over', async () => {
    const id = await customerOf('lead', '申请的客户');
    await users.lead!.api.post(`/api/v1/customers/${id}/return`, { reason: '释放' });
    const app = await users.rep!.api.post(`/api/v1/pools/${poolId}/customers/${id}/apply`, { reason: '我和他们老板认识' });
    expect(app.status).toBe(201);
    expect((await users.rep!.api.post(`/api/v1/pools/${poolId}/customers/${id}/apply`, { reason: '再申请' })).status).toBe(409);
    const pending = (await users.lead!.api.get('/api/v1/pool-applications')).body.items;
    expect(pending.map((a: { customerName: string }) => a.customerName)).toContain('申请的客户');
    expect((await users.rep2!.api.post(`/api/v1/pool-applications/${app.body.id}/decision`, { approve: true })).status).toBe(403);
    const decided = await users.lead!.api.post(`/api/v1/pool-applications/${app.body.id}/decision`, { approve: true, note: '同意' });
    expect(decided.body).toMatchObject({ status: 'approved', decidedByName: 'lead' });
    expect((await users.rep!.api.get(`/api/v1/customers/${id}`)).body.ownerId).toBe(users.rep!.id);
    expect((await users.lead!.api.post(`/api/v1/pool-applications/${app.body.id}/decision`, { approve: false })).body.error.code).toBe('ALREADY_DECIDED');
  });

  it('with an approval flow for applications, the flow decides instead of the pool administrator', async () => {
    const flow = await t.admin.post('/api/v1/approval-templates', {
      businessType: 'pool_application', name: '公海申领审批', steps: [{ name: '组长审批', approverKind: 'user', approverIds: [users.lead!.id], mode: 'any' }],
    });
    expect(flow.status).toBe(201);
    const ids = [await customerOf('lead', '审批申领客户甲'), await customerOf('lead', '审批申领客户乙')];
    for (const id of ids) await users.lead!.api.post(`/api/v1/customers/${id}/return`, { reason: '释放' });
    const applyFor = async (id: number) => {
      const res = await users.rep!.api.post(`/api/v1/pools/${poolId}/customers/${id}/apply`, { reason: '老客户转介绍' });
      expect(res.status).toBe(201);
      const instance = (await users.rep!.api.get(`/api/v1/approvals/by-record?type=pool_application&recordId=${res.body.id}`)).body.approval;
      expect(instance).toMatchObject({ status: 'pending', title: '申领公海客户：' + (id === ids[0] ? '审批申领客户甲' : '审批申领客户乙') });
      return { application: res.body.id as number, approval: instance.id as number };
    };
    const a = await applyFor(ids[0]!);
    // the administrator's own decision path is closed while the flow runs
    expect((await users.lead!.api.post(`/api/v1/pool-applications/${a.application}/decision`, { approve: true })).body.error.code).toBe('RECORD_UNDER_APPROVAL');
    expect((await users.lead!.api.post(`/api/v1/approvals/${a.approval}/approve`, { comment: '同意' })).status).toBe(200);
    expect((await users.rep!.api.get(`/api/v1/customers/${ids[0]}`)).body.ownerId).toBe(users.rep!.id);
    const mine = (await users.rep!.api.get('/api/v1/pool-applications?status=approved')).body.items;
    expect(mine.find((x: { id: number }) => x.id === a.application)).toMatchObject({ status: 'approved', decidedByName: 'lead' });

    const b = await applyFor(ids[1]!);
    expect((await users.lead!.api.post(`/api/v1/approvals/${b.approval}/reject`, { comment: '已有人跟进' })).status).toBe(200);
    expect((await users.rep!.api.get('/api/v1/pool-applications?status=rejected')).body.items.map((x: { id: number }) => x.id)).toContain(b.application);
    expect((await users.rep!.api.get(`/api/v1/customers/${ids[1]}`)).body.ownerId ?? null).toBeNull();

    // assigned to someone else meanwhile: the application is cancelled and its approval withdrawn, nobody left waiting
    const c = await applyFor(ids[1]!);
    expect((await users.lead!.api.get('/api/v1/approvals/counts')).body.waiting).toBeGreaterThanOrEqual(1);
    expect((await users.lead!.api.post(`/api/v1/pools/${poolId}/assign`, { customerIds: [ids[1]], userId: users.rep2!.id })).status).toBe(200);
    expect((await users.rep!.api.get('/api/v1/pool-applications?status=cancelled')).body.items.map((x: { id: number }) => x.id)).toContain(c.application);
    const withdrawn = (await users.rep!.api.get(`/api/v1/approvals/${c.approval}`)).body;
    expect(withdrawn.status).toBe('withdrawn');
    const waiting = (await users.lead!.api.get('/api/v1/approvals?box=waiting')).body.items.map((x: { id: number }) => x.id);
    expect(waiting).not.toContain(c.approval);
    expect((await users.lead!.api.post(`/api/v1/approvals/${c.approval}/approve`, {})).body.error.code).toBe('APPROVAL_NOT_PENDING');
    expect((await users.rep2!.api.get(`/api/v1/customers/${ids[1]}`)).body.ownerId).toBe(users.rep2!.id);
    await t.admin.delete(`/api/v1/approval-templates/${flow.body.id}`);
  });
});
