import type { PoolInput, PoolRuleKind } from '../../../common/schemas/pool.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { containsPattern, sql, type Sql } from '../../db/sql.js';

export interface PoolRow {
  id: number;
  name: string;
  enabled: boolean;
  max_owned: number | null;
  max_claims_per_day: number | null;
  reclaim_delay_days: number | null;
  reminder_days: number | null;
  protection_limit: number | null;
  protection_days: number | null;
  customer_count: number;
}

export function listPools(q: Queryable, tenantId: number, ids?: number[]): Promise<PoolRow[]> {
  return q.query<PoolRow>(sql`SELECT p.id, p.name, p.enabled, p.max_owned, p.max_claims_per_day, p.reclaim_delay_days, p.reminder_days,
      p.protection_limit, p.protection_days,
      (SELECT count(*) FROM customers c WHERE c.tenant_id = p.tenant_id AND c.pool_id = p.id AND c.owner_id IS NULL AND c.deleted_at IS NULL) AS customer_count
    FROM pools p WHERE p.tenant_id = ${tenantId} ${ids ? sql`AND p.id = ANY(${ids}::bigint[])` : sql.empty} ORDER BY p.id`);
}

export function membersOf(q: Queryable, tenantId: number, poolIds: number[]) {
  return q.query<{ pool_id: number; member_type: 'user' | 'department'; member_id: number; name: string; is_admin: boolean }>(sql`
    SELECT pm.pool_id, pm.member_type, pm.member_id, coalesce(u.name, d.name) AS name, pm.is_admin
    FROM pool_members pm
    LEFT JOIN users u ON pm.member_type = 'user' AND u.tenant_id = pm.tenant_id AND u.id = pm.member_id
    LEFT JOIN departments d ON pm.member_type = 'department' AND d.tenant_id = pm.tenant_id AND d.id = pm.member_id
    WHERE pm.tenant_id = ${tenantId} AND pm.pool_id = ANY(${poolIds}::bigint[]) ORDER BY pm.pool_id, pm.member_type DESC, pm.member_id`);
}

export function rulesOf(q: Queryable, tenantId: number, poolIds: number[]) {
  return q.query<{ pool_id: number; kind: PoolRuleKind; level_code: string | null; days: number }>(sql`
    SELECT pool_id, kind, level_code, days FROM pool_rules WHERE tenant_id = ${tenantId} AND pool_id = ANY(${poolIds}::bigint[])
    ORDER BY pool_id, kind, level_code NULLS FIRST`);
}

const settings = (p: PoolInput) =>
  [p.name, p.enabled, p.maxOwned ?? null, p.maxClaimsPerDay ?? null, p.reclaimDelayDays ?? null, p.reminderDays ?? null, p.protectionLimit ?? null, p.protectionDays ?? null] as const;

export async function insertPool(q: Queryable, tenantId: number, p: PoolInput): Promise<number> {
  const [name, enabled, maxOwned, maxClaims, delay, reminder, protLimit, protDays] = settings(p);
  return (await q.one<{ id: number }>(sql`INSERT INTO pools (tenant_id, name, enabled, max_owned, max_claims_per_day, reclaim_delay_days, reminder_days, protection_limit, protection_days)
    VALUES (${tenantId}, ${name}, ${enabled}, ${maxOwned}, ${maxClaims}, ${delay}, ${reminder}, ${protLimit}, ${protDays}) RETURNING id`))!.id;
}

export async function updatePool(q: Queryable, tenantId: number, id: number, p: PoolInput): Promise<boolean> {
  const [name, enabled, maxOwned, maxClaims, delay, reminder, protLimit, protDays] = settings(p);
  const rows = await q.query(sql`UPDATE pools SET name = ${name}, enabled = ${enabled}, max_owned = ${maxOwned}, max_claims_per_day = ${maxClaims},
      reclaim_delay_days = ${delay}, reminder_days = ${reminder}, protection_limit = ${protLimit}, protection_days = ${protDays}
    WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`);
  return rows.length > 0;
}

/** Replaces a pool's members and rules with the given lists. */
export async function replaceMembersAndRules(q: Queryable, tenantId: number, poolId: number, p: PoolInput): Promise<void> {
  await q.query(sql`DELETE FROM pool_members WHERE tenant_id = ${tenantId} AND pool_id = ${poolId}`);
  await q.query(sql`DELETE FROM pool_rules WHERE tenant_id = ${tenantId} AND pool_id = ${poolId}`);
  if (p.members.length) {
    await q.query(sql`INSERT INTO pool_members (tenant_id, pool_id, member_type, member_id, is_admin)
      VALUES ${sql.join(p.members.map((m) => sql`(${tenantId}, ${poolId}, ${m.type}, ${m.id}, ${m.isAdmin})`), ', ')}`);
  }
  if (p.rules.length) {
    await q.query(sql`INSERT INTO pool_rules (tenant_id, pool_id, kind, level_code, days)
      VALUES ${sql.join(p.rules.map((r) => sql`(${tenantId}, ${poolId}, ${r.kind}, ${r.levelCode}, ${r.days})`), ', ')}`);
  }
}

/**
 * Pools (enabled) a user belongs to, directly or through their department or a
 * department above it, with whether they administer it.
 */
export function poolsOfUser(q: Queryable, tenantId: number, userId: number) {
  return q.query<{ pool_id: number; is_admin: boolean }>(sql`
    SELECT pm.pool_id, bool_or(pm.is_admin) AS is_admin
    FROM pool_members pm JOIN pools p ON p.tenant_id = pm.tenant_id AND p.id = pm.pool_id AND p.enabled
    WHERE pm.tenant_id = ${tenantId} AND (
      (pm.member_type = 'user' AND pm.member_id = ${userId})
      OR (pm.member_type = 'department' AND pm.member_id IN (
        SELECT dc.ancestor_id FROM department_closure dc JOIN users u ON u.tenant_id = dc.tenant_id AND u.department_id = dc.descendant_id
        WHERE dc.tenant_id = ${tenantId} AND u.id = ${userId})))
    GROUP BY pm.pool_id ORDER BY pm.pool_id`);
}

export interface PoolCustomerRow {
  id: number;
  code: string;
  name: string;
  level_code: string | null;
  industry_code: string | null;
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  pooled_at: Date;
  last_followup_at: Date | null;
  previous_owner_name: string | null;
  _sort_key?: string;
}

const POOL_ORDER: Keyset = { column: sql`c.pooled_at`, type: 'timestamptz', id: sql`c.id`, order: 'desc' };

export function listPoolCustomers(q: Queryable, tenantId: number, poolId: number, f: { q?: string; levelCode?: string; cursor?: string; limit: number }) {
  return q.query<PoolCustomerRow>(sql`SELECT ${keysetSelect(POOL_ORDER)}, c.id, c.code, c.name, c.level_code, c.industry_code,
      c.province_code, c.city_code, c.district_code, c.pooled_at, c.last_followup_at,
      (SELECT u.name FROM customer_owners o JOIN users u ON u.tenant_id = o.tenant_id AND u.id = o.user_id
        WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id ORDER BY o.started_at DESC LIMIT 1) AS previous_owner_name
    FROM customers c
    ${sql.where([
      sql`c.tenant_id = ${tenantId} AND c.pool_id = ${poolId} AND c.owner_id IS NULL AND c.deleted_at IS NULL`,
      f.q ? sql`c.name ILIKE ${containsPattern(f.q)}` : undefined,
      f.levelCode ? sql`c.level_code = ${f.levelCode}` : undefined,
      keysetAfter(POOL_ORDER, f.cursor),
    ])}
    ${keysetOrder(POOL_ORDER)} LIMIT ${f.limit + 1}`);
}

/** The pool customers among `ids`, locked for the ownership change that follows. */
export function lockPoolCustomers(q: Queryable, tenantId: number, poolId: number, ids: number[]) {
  return q.query<{ id: number; name: string }>(sql`SELECT id, name FROM customers
    WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[]) AND pool_id = ${poolId} AND owner_id IS NULL AND deleted_at IS NULL
    ORDER BY id FOR UPDATE`);
}

/** What the claim limits look at for one user, at `now`. */
export async function claimCounters(q: Queryable, tenantId: number, userId: number, now: Date, dayStart: Date) {
  return (await q.one<{ owned: number; claimed_today: number; protected: number }>(sql`SELECT
      (SELECT count(*) FROM customers WHERE tenant_id = ${tenantId} AND owner_id = ${userId} AND deleted_at IS NULL) AS owned,
      (SELECT count(*) FROM customer_owners WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND acquired_via = 'claim'
         AND started_at >= ${dayStart.toISOString()}::timestamptz) AS claimed_today,
      (SELECT count(*) FROM customers WHERE tenant_id = ${tenantId} AND owner_id = ${userId} AND deleted_at IS NULL
         AND protected_until > ${now.toISOString()}::timestamptz) AS protected`))!;
}

/** When `userId` last stopped owning each of `ids` (absent: never owned it). */
export async function lastOwnedUntil(q: Queryable, tenantId: number, userId: number, ids: number[]): Promise<Map<number, Date>> {
  const rows = await q.query<{ customer_id: number; ended_at: Date }>(sql`SELECT customer_id, max(ended_at) AS ended_at FROM customer_owners
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND customer_id = ANY(${ids}::bigint[]) AND ended_at IS NOT NULL GROUP BY customer_id`);
  return new Map(rows.map((r) => [r.customer_id, r.ended_at]));
}

export async function setProtectedUntil(q: Queryable, tenantId: number, id: number, until: Date | null): Promise<void> {
  await q.query(sql`UPDATE customers SET protected_until = ${until?.toISOString() ?? null}::timestamptz WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export interface ApplicationRow {
  id: number;
  pool_id: number;
  customer_id: number;
  customer_name: string;
  applicant_id: number;
  applicant_name: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  created_at: Date;
}

const APPLICATION = sql`SELECT a.id, a.pool_id, a.customer_id, c.name AS customer_name, a.applicant_id, u.name AS applicant_name, a.reason, a.status,
    d.name AS decided_by_name, a.decided_at, a.decision_note, a.created_at
  FROM pool_applications a
  JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id
  JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.applicant_id
  LEFT JOIN users d ON d.tenant_id = a.tenant_id AND d.id = a.decided_by`;

export function listApplications(q: Queryable, tenantId: number, where: Sql): Promise<ApplicationRow[]> {
  return q.query<ApplicationRow>(sql`${APPLICATION} WHERE a.tenant_id = ${tenantId} AND ${where} ORDER BY a.created_at DESC, a.id DESC LIMIT 200`);
}

export function getApplication(q: Queryable, tenantId: number, id: number): Promise<ApplicationRow | undefined> {
  return q.one<ApplicationRow>(sql`${APPLICATION} WHERE a.tenant_id = ${tenantId} AND a.id = ${id} FOR UPDATE OF a`);
}

export async function insertApplication(q: Queryable, tenantId: number, a: { poolId: number; customerId: number; applicantId: number; reason: string }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO pool_applications (tenant_id, pool_id, customer_id, applicant_id, reason)
    VALUES (${tenantId}, ${a.poolId}, ${a.customerId}, ${a.applicantId}, ${a.reason}) RETURNING id`))!.id;
}

export async function decideApplication(q: Queryable, tenantId: number, id: number, d: { status: 'approved' | 'rejected' | 'cancelled'; by: number; note: string | null }): Promise<void> {
  await q.query(sql`UPDATE pool_applications SET status = ${d.status}, decided_by = ${d.by}, decided_at = now(), decision_note = ${d.note}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Other pending applications for customers that have just been given to someone. */
/** Cancels the pending applications for these customers; their ids. */
export async function cancelPendingFor(q: Queryable, tenantId: number, customerIds: number[]): Promise<number[]> {
  const rows = await q.query<{ id: number }>(sql`UPDATE pool_applications SET status = 'cancelled', decided_at = now()
    WHERE tenant_id = ${tenantId} AND customer_id = ANY(${customerIds}::bigint[]) AND status = 'pending' RETURNING id`);
  return rows.map((r) => r.id);
}
