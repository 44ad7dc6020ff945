/**
 * The pool rules (CUS-10) as set-based SQL: one statement finds every customer
 * of a company that a rule sends back to its owner's pool; then a statement
 * per batch of them moves them, closes the ownership periods, writes the
 * operation log and tells the former owners. Another statement reminds owners
 * a few days before. No loop over single customers.
 */
import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';

/**
 * Each user's pool: the first enabled pool they belong to (directly or through
 * a department above theirs), with its reminder days. Picked here rather than
 * joined afterwards: a join on min(pool id) was estimated at 2 users for 287,
 * and the planner then scanned the candidates once per user.
 */
const memberPool = (tenantId: number) => sql`
  SELECT DISTINCT ON (u.id) u.id AS user_id, p.id AS pool_id, p.reminder_days
  FROM users u
  JOIN pool_members pm ON pm.tenant_id = u.tenant_id
  JOIN pools p ON p.tenant_id = pm.tenant_id AND p.id = pm.pool_id AND p.enabled
  WHERE u.tenant_id = ${tenantId} AND (
    (pm.member_type = 'user' AND pm.member_id = u.id)
    OR (pm.member_type = 'department' AND EXISTS (SELECT 1 FROM department_closure dc
          WHERE dc.tenant_id = u.tenant_id AND dc.descendant_id = u.department_id AND dc.ancestor_id = pm.member_id)))
  ORDER BY u.id, p.id`;

/** For each rule kind, when a customer's clock must have started for some rule of the kind to fire by the horizon (NULL: no such rule). */
interface KindBounds {
  no_followup: string | null;
  no_deal: string | null;
  never_contacted: string | null;
}

/**
 * The kinds' shortest rules (over every level and enabled pool) subtracted
 * from `horizon`, as constants: one small query first, so that the planner
 * sees the real bounds and reads the candidates from their indexes rather than
 * estimating a subquery (it guessed 468,000 candidates for 66,000 and walked
 * every owner's customers). Text keeps the microseconds for the round trip.
 */
async function kindBounds(q: Queryable, tenantId: number, horizon: Sql): Promise<KindBounds> {
  const bound = (kind: string) => sql`(${horizon} - make_interval(days => min(r.days) FILTER (WHERE r.kind = ${kind})))::text`;
  return (await q.one<KindBounds>(sql`
    SELECT ${bound('no_followup')} AS no_followup, ${bound('no_deal')} AS no_deal, ${bound('never_contacted')} AS never_contacted
    FROM pool_rules r JOIN pools p ON p.tenant_id = r.tenant_id AND p.id = r.pool_id AND p.enabled
    WHERE r.tenant_id = ${tenantId}`))!;
}

/**
 * The customers some rule could make due by the bounds' horizon, as a
 * condition on `c`: an arm per rule kind that has a rule, each matching one of
 * the indexes of migration 0013 (read together as a bitmap OR). A necessary
 * condition only, so that the rules below look at tens of thousands of
 * customers rather than every owned one; dueCustomers decides. Null when the
 * company has no rule.
 */
function candidates(b: KindBounds): Sql | null {
  const arms = [
    b.no_followup !== null && sql`greatest(c.owner_since, c.last_followup_at) <= ${b.no_followup}::timestamptz`,
    b.no_deal !== null && sql`c.status_code <> 'won' AND c.owner_since <= ${b.no_deal}::timestamptz`,
    b.never_contacted !== null &&
      sql`c.acquired_via IN ('claim', 'assign') AND (c.last_followup_at IS NULL OR c.last_followup_at < c.owner_since)
        AND c.owner_since <= ${b.never_contacted}::timestamptz`,
  ].filter((arm): arm is Sql => arm !== false);
  return arms.length ? sql`(${sql.join(arms.map((arm) => sql`(${arm})`), ' OR ')})` : null;
}

/**
 * Customers among `scope` (a condition on `c`: the candidates for a horizon
 * not before `at`, or ids from them) that a rule makes due at `at` (an SQL
 * timestamp expression that may use mp.reminder_days): one row per customer,
 * with the first rule that fires. A rule for the customer's level wins over
 * the pool's rule for every level.
 */
function dueCustomers(tenantId: number, now: string, at: Sql, scope: Sql): Sql {
  // the scope first, on its own: joined straight away, the planner walked every owner's customers
  // (customers_owner_created, 700,000 rows) rather than read the candidates from their indexes
  return sql`
    WITH c AS MATERIALIZED (
      SELECT c.tenant_id, c.id, c.name, c.owner_id, c.owner_since, c.last_followup_at, c.level_code, c.status_code, c.acquired_via
      FROM customers c
      WHERE c.tenant_id = ${tenantId} AND ${scope}
        AND c.deleted_at IS NULL AND c.owner_id IS NOT NULL AND NOT c.locked
        AND (c.protected_until IS NULL OR c.protected_until <= ${now}::timestamptz)
    )
    SELECT DISTINCT ON (c.id) c.id, c.name, c.owner_id, c.owner_since, c.last_followup_at, mp.pool_id, k.kind, mp.reminder_days,
      coalesce(s.days, d.days) AS days,
      CASE k.kind WHEN 'no_followup' THEN greatest(c.owner_since, c.last_followup_at) ELSE c.owner_since END
        + make_interval(days => coalesce(s.days, d.days)) AS due_at
    FROM c
    JOIN (${memberPool(tenantId)}) mp ON mp.user_id = c.owner_id
    CROSS JOIN (VALUES ('no_followup'), ('no_deal'), ('never_contacted')) AS k(kind)
    LEFT JOIN pool_rules s ON s.tenant_id = c.tenant_id AND s.pool_id = mp.pool_id AND s.kind = k.kind AND s.level_code = c.level_code
    LEFT JOIN pool_rules d ON d.tenant_id = c.tenant_id AND d.pool_id = mp.pool_id AND d.kind = k.kind AND d.level_code IS NULL
    WHERE coalesce(s.days, d.days) IS NOT NULL
      AND CASE k.kind
        WHEN 'no_followup' THEN greatest(c.owner_since, c.last_followup_at) <= ${at} - make_interval(days => coalesce(s.days, d.days))
        WHEN 'no_deal' THEN c.status_code <> 'won' AND c.owner_since <= ${at} - make_interval(days => coalesce(s.days, d.days))
        ELSE c.acquired_via IN ('claim', 'assign') AND (c.last_followup_at IS NULL OR c.last_followup_at < c.owner_since)
          AND c.owner_since <= ${at} - make_interval(days => coalesce(s.days, d.days))
      END
    ORDER BY c.id, k.kind`;
}

/**
 * Customers recycled per statement: a week's backlog (160,000 of 1,000,000)
 * in one statement needed more than the 30 s statement timeout; 20,000 took
 * about 9 s each on the benchmark machine.
 */
export const RECYCLE_BATCH = 20_000;

/**
 * Recycles every due customer of the company at `now`; returns how many. The
 * due ones are found first (ids only), then moved `batchSize` at a time, each
 * batch decided again by the same rules in the statement that moves it.
 */
export async function recycleDue(q: Queryable, tenantId: number, now: Date, batchSize = RECYCLE_BATCH): Promise<number> {
  const at = now.toISOString();
  const scope = candidates(await kindBounds(q, tenantId, sql`${at}::timestamptz`));
  if (!scope) return 0;
  const ids = (await q.query<{ id: number }>(sql`
    SELECT id FROM (${dueCustomers(tenantId, at, sql`${at}::timestamptz`, scope)}) due ORDER BY id`)).map((r) => r.id);
  let moved = 0;
  for (let i = 0; i < ids.length; i += batchSize) moved += await recycleBatch(q, tenantId, at, ids.slice(i, i + batchSize));
  return moved;
}

/** Recycles those of `ids` that are due at `at`: moves them, closes the ownership periods, logs and tells the owners. */
async function recycleBatch(q: Queryable, tenantId: number, at: string, ids: number[]): Promise<number> {
  const row = await q.one<{ moved: number }>(sql`
    WITH due AS MATERIALIZED (${dueCustomers(tenantId, at, sql`${at}::timestamptz`, sql`c.id = ANY(${ids}::bigint[])`)}),
    moved AS (
      UPDATE customers c SET owner_id = NULL, owner_since = NULL, pool_id = due.pool_id, pooled_at = ${at}::timestamptz,
        protected_until = NULL, updated_at = ${at}::timestamptz
      FROM due WHERE c.tenant_id = ${tenantId} AND c.id = due.id
      RETURNING c.id
    ),
    ended AS (
      UPDATE customer_owners o SET ended_at = ${at}::timestamptz, ended_by = 'recycle:' || due.kind
      FROM due WHERE o.tenant_id = ${tenantId} AND o.customer_id = due.id AND o.ended_at IS NULL
    ),
    logged AS (
      INSERT INTO audit_log (tenant_id, at, actor_id, actor_name, entity_type, record_id, record_name, action, changes)
      SELECT ${tenantId}, ${at}::timestamptz, NULL, 'system', 'customer', due.id, due.name, 'recycle',
        jsonb_build_array(
          jsonb_build_object('field', 'ownerId', 'before', due.owner_id, 'after', NULL),
          jsonb_build_object('field', 'poolId', 'before', NULL, 'after', due.pool_id),
          jsonb_build_object('field', 'rule', 'before', NULL, 'after', due.kind || ':' || due.days))
      FROM due
    ),
    told AS (
      INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id, created_at)
      SELECT ${tenantId}, due.owner_id, 'pool_recycled', due.name, due.kind || ':' || due.days, 'customer', due.id, ${at}::timestamptz FROM due
    )
    SELECT count(*) AS moved FROM moved`);
  return row!.moved;
}

/**
 * Tells owners about customers that their pool's rules will recycle within the
 * pool's reminder days; once per customer and ownership state, however often it runs.
 * The body is "rule:days:when" (when: the UTC time the rule fires, ISO 8601).
 */
export async function remindDue(q: Queryable, tenantId: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const horizon = sql`(${at}::timestamptz + make_interval(days => (SELECT max(reminder_days) FROM pools WHERE tenant_id = ${tenantId} AND enabled)))`;
  const scope = candidates(await kindBounds(q, tenantId, horizon));
  if (!scope) return 0;
  const rows = await q.query(sql`
    INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id, dedupe_key, created_at)
    SELECT ${tenantId}, due.owner_id, 'pool_recycle_soon', due.name,
      due.kind || ':' || due.days || ':' || to_char(due.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'customer', due.id,
      due.id || ':' || due.owner_since || ':' || coalesce(due.last_followup_at::text, ''), ${at}::timestamptz
    FROM (${dueCustomers(tenantId, at, sql`(${at}::timestamptz + make_interval(days => mp.reminder_days))`, scope)}) due
    WHERE due.reminder_days IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING id`);
  return rows.length;
}
