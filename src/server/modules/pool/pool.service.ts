import type { z } from 'zod';
import type {
  ApplyBody,
  AssignBody,
  DecisionBody,
  PoolCustomerDto,
  PoolCustomerQuery,
  PoolDto,
  PoolInput,
  ReturnBody,
} from '../../../common/schemas/pool.js';
import { formatRegion } from '../../../common/schemas/regions.js';
import type { Database, Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { sql } from '../../db/sql.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { resolveRegion } from '../../platform/regions/regions.js';
import { assertNotLocked, registerApprovalType, submitForApproval, withdrawPending } from '../approvals/approvals.engine.js';
import * as customers from '../customers/customers.repo.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { isActiveUser } from '../org/users.repo.js';
import * as rules from './pool-rules.repo.js';
import * as repo from './pool.repo.js';

const DAY = 86_400_000;
/** The approval business type of pool applications (申领公海客户). */
const APPLICATION = 'pool_application';
/** Claims per day count by the company's calendar day (China, UTC+8). */
const COMPANY_OFFSET_MS = 8 * 3_600_000;
export const dayStart = (now: Date) => new Date(Math.floor((now.getTime() + COMPANY_OFFSET_MS) / DAY) * DAY - COMPANY_OFFSET_MS);

async function membership(q: Queryable, actor: Actor) {
  return new Map((await repo.poolsOfUser(q, actor.tenantId, actor.userId)).map((m) => [m.pool_id, m.is_admin]));
}

async function poolFor(q: Queryable, actor: Actor, poolId: number, need: 'member' | 'admin') {
  const [pool] = await repo.listPools(q, actor.tenantId, [poolId]);
  if (!pool) throw notFound();
  const m = await membership(q, actor);
  const manager = actor.can('pool.manage');
  if (need === 'member' && !m.has(poolId) && !manager) throw new AppError('NOT_POOL_MEMBER');
  if (need === 'admin' && !m.get(poolId) && !manager) throw new AppError('NOT_POOL_ADMIN');
  return pool;
}

/** The pools the user belongs to; every pool for whoever manages pools. */
export function listPools(actor: Actor): Promise<PoolDto[]> {
  return actor.tx(async (q) => {
    const m = await membership(q, actor);
    const pools = await repo.listPools(q, actor.tenantId, actor.can('pool.manage') ? undefined : [...m.keys()]);
    const ids = pools.map((p) => p.id);
    const [members, ruleRows] = await Promise.all([repo.membersOf(q, actor.tenantId, ids), repo.rulesOf(q, actor.tenantId, ids)]);
    return pools.map((p) => ({
      id: p.id,
      name: p.name,
      enabled: p.enabled,
      maxOwned: p.max_owned,
      maxClaimsPerDay: p.max_claims_per_day,
      reclaimDelayDays: p.reclaim_delay_days,
      reminderDays: p.reminder_days,
      protectionLimit: p.protection_limit,
      protectionDays: p.protection_days,
      members: members.filter((x) => x.pool_id === p.id).map((x) => ({ type: x.member_type, id: x.member_id, name: x.name, isAdmin: x.is_admin })),
      rules: ruleRows.filter((r) => r.pool_id === p.id).map((r) => ({ kind: r.kind, levelCode: r.level_code, days: r.days })),
      isMember: m.has(p.id),
      isAdmin: m.get(p.id) === true,
      customerCount: p.customer_count,
    }));
  });
}

export function savePool(actor: Actor, id: number | null, input: PoolInput) {
  return actor.tx(async (q) => {
    const poolId = id ?? (await repo.insertPool(q, actor.tenantId, input));
    if (id !== null && !(await repo.updatePool(q, actor.tenantId, id, input))) throw notFound();
    await repo.replaceMembersAndRules(q, actor.tenantId, poolId, input);
    await recordChange(q, actor, {
      entity: 'pool', recordId: poolId, recordName: input.name, action: id === null ? 'create' : 'update',
      changes: [{ field: 'settings', before: null, after: input }],
    });
    return poolId;
  }).then(async (poolId) => (await listPools(actor)).find((p) => p.id === poolId)!);
}

export function listPoolCustomers(actor: Actor, poolId: number, query: z.output<typeof PoolCustomerQuery>) {
  return actor.tx(async (q) => {
    await poolFor(q, actor, poolId, 'member');
    const page = keysetPage(await repo.listPoolCustomers(q, actor.tenantId, poolId, query), query.limit);
    const items: PoolCustomerDto[] = page.items.map((c) => {
      const r = c.province_code ? resolveRegion({ provinceCode: c.province_code, cityCode: c.city_code ?? undefined, districtCode: c.district_code ?? undefined }) : null;
      return {
        id: c.id,
        code: c.code,
        name: c.name,
        levelCode: c.level_code,
        industryCode: c.industry_code,
        regionName: r ? formatRegion([r.provinceName, r.cityName, r.districtName]) : null,
        pooledAt: c.pooled_at.toISOString(),
        lastFollowupAt: c.last_followup_at?.toISOString() ?? null,
        previousOwnerName: c.previous_owner_name,
      };
    });
    return { items, nextCursor: page.nextCursor };
  });
}

/** The ownership limits of `pool` for `userId` taking `count` more customers (claims also count toward the daily limit). */
async function checkLimits(q: Queryable, actor: Actor, pool: repo.PoolRow, userId: number, ids: number[], claim: boolean, now: Date) {
  const c = await repo.claimCounters(q, actor.tenantId, userId, now, dayStart(now));
  if (pool.max_owned !== null && c.owned + ids.length > pool.max_owned) throw new AppError('OWN_LIMIT', { limit: pool.max_owned });
  if (!claim) return;
  if (pool.max_claims_per_day !== null && c.claimed_today + ids.length > pool.max_claims_per_day) throw new AppError('CLAIM_LIMIT', { limit: pool.max_claims_per_day });
  if (pool.reclaim_delay_days !== null) {
    const last = await repo.lastOwnedUntil(q, actor.tenantId, userId, ids);
    for (const ended of last.values()) {
      const allowedFrom = new Date(ended.getTime() + pool.reclaim_delay_days * DAY);
      if (allowedFrom > now) throw new AppError('RECLAIM_DELAY', { date: allowedFrom.toISOString().slice(0, 10) });
    }
  }
}

/** Gives pool customers to a user, with the history every ownership change leaves. */
async function handOver(q: Queryable, actor: Actor, pool: repo.PoolRow, ids: number[], userId: number, via: 'claim' | 'assign', now: Date) {
  const rows = await repo.lockPoolCustomers(q, actor.tenantId, pool.id, ids);
  if (rows.length !== new Set(ids).size) throw new AppError('NOT_IN_POOL');
  await checkLimits(q, actor, pool, userId, rows.map((r) => r.id), via === 'claim', now);
  await customers.setOwner(q, actor.tenantId, rows.map((r) => r.id), userId, { via, endedBy: via });
  const cancelled = await repo.cancelPendingFor(q, actor.tenantId, rows.map((r) => r.id));
  await withdrawPending(q, actor, APPLICATION, cancelled, '客户已离开公海（被领取或分配）');
  for (const r of rows) {
    await recordChange(q, actor, {
      entity: 'customer', recordId: r.id, recordName: r.name, action: via,
      changes: [{ field: 'ownerId', before: null, after: userId }, { field: 'poolId', before: pool.id, after: null }],
    });
  }
  return rows.length;
}

export function claim(actor: Actor, poolId: number, customerIds: number[], now = new Date()) {
  return actor.tx(async (q) => {
    const pool = await poolFor(q, actor, poolId, 'member');
    return { claimed: await handOver(q, actor, pool, customerIds, actor.userId, 'claim', now) };
  });
}

export function assign(actor: Actor, poolId: number, input: z.output<typeof AssignBody>, now = new Date()) {
  return actor.tx(async (q) => {
    const pool = await poolFor(q, actor, poolId, 'admin');
    if (!(await isActiveUser(q, actor.tenantId, input.userId))) throw new AppError('INVALID_REFERENCE', { field: 'userId' }, [{ path: 'userId', message: 'invalid' }]);
    return { assigned: await handOver(q, actor, pool, input.customerIds, input.userId, 'assign', now) };
  });
}

/** The owner (or whoever manages the customer) puts it back into a pool, with a reason. */
export function returnToPool(actor: Actor, customerId: number, input: z.output<typeof ReturnBody>) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, customerId, true);
    if (!c.can_own || c.owner_id === null) throw new AppError('RECORD_READ_ONLY');
    const ownerPools = (await repo.poolsOfUser(q, actor.tenantId, c.owner_id)).map((p) => p.pool_id);
    const poolId = input.poolId ?? ownerPools[0];
    if (poolId === undefined) throw new AppError('NO_POOL');
    if (input.poolId !== undefined && !ownerPools.includes(input.poolId) && !actor.can('pool.manage')) throw new AppError('NOT_POOL_MEMBER');
    await customers.moveToPool(q, actor.tenantId, [customerId], poolId, 'return');
    await recordChange(q, actor, {
      entity: 'customer', recordId: customerId, recordName: c.name, action: 'return_to_pool',
      changes: [{ field: 'ownerId', before: c.owner_id, after: null }, { field: 'poolId', before: null, after: poolId }, { field: 'reason', before: null, after: input.reason }],
    });
  });
}

export function apply(actor: Actor, poolId: number, customerId: number, input: z.output<typeof ApplyBody>) {
  return actor.tx(async (q) => {
    await poolFor(q, actor, poolId, 'member');
    if (!(await repo.lockPoolCustomers(q, actor.tenantId, poolId, [customerId])).length) throw new AppError('NOT_IN_POOL');
    const id = await repo.insertApplication(q, actor.tenantId, { poolId, customerId, applicantId: actor.userId, reason: input.reason }).catch((e: { code?: string }) => {
      throw e.code === '23505' ? new AppError('DUPLICATE', { field: 'customerId' }, [{ path: 'customerId', message: 'duplicate' }]) : e;
    });
    // with an approval flow for applications the flow decides; without one, the pool's administrators do
    try {
      await submitForApproval(q, actor, APPLICATION, id, input.reason);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'APPROVAL_NO_TEMPLATE')) throw err;
    }
    return toApplication((await repo.getApplication(q, actor.tenantId, id))!);
  });
}

const toApplication = (a: repo.ApplicationRow) => ({
  id: a.id,
  poolId: a.pool_id,
  customerId: a.customer_id,
  customerName: a.customer_name,
  applicantId: a.applicant_id,
  applicantName: a.applicant_name,
  reason: a.reason,
  status: a.status,
  decidedByName: a.decided_by_name,
  decidedAt: a.decided_at?.toISOString() ?? null,
  decisionNote: a.decision_note,
  createdAt: a.created_at.toISOString(),
});

/** Applications a pool administrator decides, and the caller's own. */
export function listApplications(actor: Actor, status: string) {
  return actor.tx(async (q) => {
    const m = await membership(q, actor);
    const adminPools = actor.can('pool.manage') ? null : [...m.entries()].filter(([, admin]) => admin).map(([id]) => id);
    const where = adminPools === null
      ? sql`a.status = ${status}`
      : sql`a.status = ${status} AND (a.pool_id = ANY(${adminPools}::bigint[]) OR a.applicant_id = ${actor.userId})`;
    return (await repo.listApplications(q, actor.tenantId, where)).map(toApplication);
  });
}

export function decide(actor: Actor, applicationId: number, input: z.output<typeof DecisionBody>, now = new Date()) {
  return actor.tx(async (q) => {
    const a = await repo.getApplication(q, actor.tenantId, applicationId);
    if (!a) throw notFound();
    const pool = await poolFor(q, actor, a.pool_id, 'admin');
    if (a.status !== 'pending') throw new AppError('ALREADY_DECIDED');
    await assertNotLocked(q, actor.tenantId, APPLICATION, a.id);
    if (input.approve) await handOver(q, actor, pool, [a.customer_id], a.applicant_id, 'assign', now);
    await repo.decideApplication(q, actor.tenantId, a.id, { status: input.approve ? 'approved' : 'rejected', by: actor.userId, note: input.note ?? null });
    return toApplication((await repo.getApplication(q, actor.tenantId, a.id))!);
  });
}

/** Protection (客户保护): the owner keeps a customer out of the pool rules for the pool's protection period. */
export function protect(actor: Actor, customerId: number, on: boolean, now = new Date()) {
  return actor.tx(async (q) => {
    const c = await visibleCustomer(q, actor, customerId, true);
    if (c.owner_id !== actor.userId) throw new AppError('RECORD_READ_ONLY');
    if (!on) {
      await repo.setProtectedUntil(q, actor.tenantId, customerId, null);
      return { protectedUntil: null };
    }
    const [poolId] = (await repo.poolsOfUser(q, actor.tenantId, actor.userId)).map((p) => p.pool_id);
    const [pool] = poolId === undefined ? [] : await repo.listPools(q, actor.tenantId, [poolId]);
    if (!pool?.protection_days) throw new AppError('NO_POOL');
    const counters = await repo.claimCounters(q, actor.tenantId, actor.userId, now, dayStart(now));
    if (pool.protection_limit !== null && counters.protected >= pool.protection_limit) throw new AppError('PROTECTION_LIMIT', { limit: pool.protection_limit });
    const until = new Date(now.getTime() + pool.protection_days * DAY);
    await repo.setProtectedUntil(q, actor.tenantId, customerId, until);
    await recordChange(q, actor, { entity: 'customer', recordId: customerId, recordName: c.name, action: 'protect', changes: [{ field: 'protectedUntil', before: null, after: until.toISOString() }] });
    return { protectedUntil: until.toISOString() };
  });
}

/**
 * The scheduled run for every company: recycle what is due, then remind what soon will be.
 * `recycleBatch`: customers recycled per statement (tests make it tiny).
 */
export async function runPoolRules(db: Database, now = new Date(), { recycleBatch = rules.RECYCLE_BATCH } = {}) {
  const tenants = await db.system((q) => q.query<{ id: number }>(sql`SELECT DISTINCT tenant_id AS id FROM pools WHERE enabled`));
  let recycled = 0;
  let reminded = 0;
  for (const { id } of tenants) {
    await db.tenant({ tenantId: id }, async (q) => {
      recycled += await rules.recycleDue(q, id, now, recycleBatch);
      reminded += await rules.remindDue(q, id, now);
    });
  }
  return { tenants: tenants.length, recycled, reminded };
}

registerApprovalType({
  type: APPLICATION,
  label: { zh: '公海客户申领', en: 'Pool customer application' },
  async snapshot(q, actor, recordId) {
    const a = await repo.getApplication(q, actor.tenantId, recordId);
    if (!a || a.applicant_id !== actor.userId) throw notFound();
    // a rejected or cancelled application is not submitted again: the applicant applies anew
    if (a.status !== 'pending') throw new AppError('ALREADY_DECIDED');
    const [pool] = await repo.listPools(q, actor.tenantId, [a.pool_id]);
    return {
      title: `申领公海客户：${a.customer_name}`,
      fields: [
        { label: { zh: '客户', en: 'Customer' }, value: a.customer_name },
        { label: { zh: '公海', en: 'Pool' }, value: pool?.name ?? '' },
        { label: { zh: '申请人', en: 'Applicant' }, value: a.applicant_name },
        { label: { zh: '申请理由', en: 'Reason' }, value: a.reason },
      ],
    };
  },
  /**
   * Approved: the applicant gets the customer, unless it left the pool meanwhile
   * (claimed or assigned: the application was cancelled then). Rejected or
   * withdrawn: the application ends so.
   */
  async onFinished(q, instance, outcome, actor) {
    const a = await repo.getApplication(q, actor.tenantId, instance.recordId);
    if (!a || a.status !== 'pending') return;
    if (outcome === 'approved') {
      const [pool] = await repo.listPools(q, actor.tenantId, [a.pool_id]);
      await handOver(q, actor, pool!, [a.customer_id], a.applicant_id, 'assign', new Date());
    }
    await repo.decideApplication(q, actor.tenantId, a.id, { status: outcome === 'approved' ? 'approved' : outcome === 'rejected' ? 'rejected' : 'cancelled', by: actor.userId, note: null });
  },
  async visible(q, actor, recordId) {
    const a = await repo.getApplication(q, actor.tenantId, recordId);
    return !!a && (a.applicant_id === actor.userId || actor.can('pool.manage') || (await membership(q, actor)).get(a.pool_id) === true);
  },
});
