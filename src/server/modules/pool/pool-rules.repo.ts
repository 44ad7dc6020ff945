/**
 * The pool rules (CUS-10) as set-based SQL: one statement finds every customer
 * of a company that a rule sends back to its owner's pool, moves them, closes
 * the ownership periods, writes the operation log and tells the former owners.
 * Another statement reminds owners a few days before. No loop over customers.
 */
import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';

/** Each user's pool: the first enabled pool they belong to (directly or through a department above theirs). */
const memberPool = (tenantId: number) => sql`
  SELECT u.id AS user_id, min(p.id) AS pool_id
  FROM users u
  JOIN pool_members pm ON pm.tenant_id = u.tenant_id
  JOIN pools p ON p.tenant_id = pm.tenant_id AND p.id = pm.pool_id AND p.enabled
  WHERE u.tenant_id = ${tenantId} AND (
    (pm.member_type = 'user' AND pm.member_id = u.id)
    OR (pm.member_type = 'department' AND EXISTS (SELECT 1 FROM department_closure dc
          WHERE dc.tenant_id = u.tenant_id AND dc.descendant_id = u.department_id AND dc.ancestor_id = pm.member_id)))
  GROUP BY u.id`;

/**
 * The customers some rule of the company could make due by `horizon`: for each
 * rule kind, those past the kind's shortest rule (over every level and pool),
 * each read through its own index (migration 0013). A necessary condition
 * only, so that the rules below look at tens of thousands of customers rather
 * than every owned one; dueCustomers decides.
 */
function candidates(tenantId: number, horizon: Sql): Sql {
  const owned = sql`SELECT id FROM customers WHERE tenant_id = ${tenantId} AND deleted_at IS NULL AND owner_id IS NOT NULL`;
  const before = (kind: string) => sql`${horizon} - make_interval(days => (SELECT min(r.days) FROM pool_rules r
    JOIN pools p ON p.tenant_id = r.tenant_id AND p.id = r.pool_id AND p.enabled WHERE r.tenant_id = ${tenantId} AND r.kind = ${kind}))`;
  return sql`
    ${owned} AND greatest(owner_since, last_followup_at) <= ${before('no_followup')}
    UNION ${owned} AND status_code <> 'won' AND owner_since <= ${before('no_deal')}
    UNION ${owned} AND acquired_via IN ('claim', 'assign') AND (last_followup_at IS NULL OR last_followup_at < owner_since)
      AND owner_since <= ${before('never_contacted')}`;
}

/**
 * Customers a rule makes due at `at` (an SQL timestamp expression that may use
 * p.reminder_days; never later than `horizon`): one row per customer, with the
 * first rule that fires. A rule for the customer's level wins over the pool's
 * rule for every level.
 */
function dueCustomers(tenantId: number, now: string, at: Sql, horizon: Sql): Sql {
  return sql`
    SELECT DISTINCT ON (c.id) c.id, c.name, c.owner_id, c.owner_since, c.last_followup_at, mp.pool_id, k.kind, p.reminder_days,
      coalesce(s.days, d.days) AS days,
      CASE k.kind WHEN 'no_followup' THEN greatest(c.owner_since, c.last_followup_at) ELSE c.owner_since END
        + make_interval(days => coalesce(s.days, d.days)) AS due_at
    FROM customers c
    JOIN (${memberPool(tenantId)}) mp ON mp.user_id = c.owner_id
    JOIN pools p ON p.tenant_id = c.tenant_id AND p.id = mp.pool_id
    CROSS JOIN (VALUES ('no_followup'), ('no_deal'), ('never_contacted')) AS k(kind)
    LEFT JOIN pool_rules s ON s.tenant_id = c.tenant_id AND s.pool_id = mp.pool_id AND s.kind = k.kind AND s.level_code = c.level_code
    LEFT JOIN pool_rules d ON d.tenant_id = c.tenant_id AND d.pool_id = mp.pool_id AND d.kind = k.kind AND d.level_code IS NULL
    WHERE c.tenant_id = ${tenantId} AND c.id IN (${candidates(tenantId, horizon)})
      AND c.deleted_at IS NULL AND c.owner_id IS NOT NULL AND NOT c.locked
      AND (c.protected_until IS NULL OR c.protected_until <= ${now}::timestamptz)
      AND coalesce(s.days, d.days) IS NOT NULL
      AND CASE k.kind
        WHEN 'no_followup' THEN greatest(c.owner_since, c.last_followup_at) <= ${at} - make_interval(days => coalesce(s.days, d.days))
        WHEN 'no_deal' THEN c.status_code <> 'won' AND c.owner_since <= ${at} - make_interval(days => coalesce(s.days, d.days))
        ELSE c.acquired_via IN ('claim', 'assign') AND (c.last_followup_at IS NULL OR c.last_followup_at < c.owner_since)
          AND c.owner_since <= ${at} - make_interval(days => coalesce(s.days, d.days))
      END
    ORDER BY c.id, k.kind`;
}

/** Recycles every due customer of the company at `now`; returns how many. */
export async function recycleDue(q: Queryable, tenantId: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await q.one<{ moved: number }>(sql`
    WITH due AS MATERIALIZED (${dueCustomers(tenantId, at, sql`${at}::timestamptz`, sql`${at}::timestamptz`)}),
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
  const rows = await q.query(sql`
    INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id, dedupe_key, created_at)
    SELECT ${tenantId}, due.owner_id, 'pool_recycle_soon', due.name,
      due.kind || ':' || due.days || ':' || to_char(due.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'customer', due.id,
      due.id || ':' || due.owner_since || ':' || coalesce(due.last_followup_at::text, ''), ${at}::timestamptz
    FROM (${dueCustomers(
      tenantId,
      at,
      sql`(${at}::timestamptz + make_interval(days => p.reminder_days))`,
      sql`(${at}::timestamptz + make_interval(days => (SELECT max(reminder_days) FROM pools WHERE tenant_id = ${tenantId} AND enabled)))`,
    )}) due
    WHERE due.reminder_days IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING id`);
  return rows.length;
}
