import type { LevelRuleDto } from '../../../common/schemas/customer-value.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { type RecordScope, visibleSql } from '../../platform/access/scope.js';

export interface PointsRow {
  id: number;
  delta: number;
  balance: number;
  reason: string;
  created_by_name: string | null;
  created_at: Date;
}

export function history(q: Queryable, tenantId: number, customerId: number): Promise<PointsRow[]> {
  return q.query<PointsRow>(sql`SELECT p.id, p.delta, p.balance, p.reason, u.name AS created_by_name, p.created_at
    FROM customer_points p LEFT JOIN users u ON u.tenant_id = p.tenant_id AND u.id = p.created_by
    WHERE p.tenant_id = ${tenantId} AND p.customer_id = ${customerId} ORDER BY p.created_at DESC, p.id DESC LIMIT 200`);
}

/** Adds `delta` to the balance unless it would go below zero; returns the new balance, or null when refused. */
export async function addPoints(q: Queryable, tenantId: number, customerId: number, delta: number, reason: string, by: number): Promise<number | null> {
  const row = await q.one<{ points: number }>(sql`UPDATE customers SET points = points + ${delta}
    WHERE tenant_id = ${tenantId} AND id = ${customerId} AND points + ${delta} >= 0 RETURNING points`);
  if (!row) return null;
  await q.query(sql`INSERT INTO customer_points (tenant_id, customer_id, delta, balance, reason, created_by)
    VALUES (${tenantId}, ${customerId}, ${delta}, ${row.points}, ${reason}, ${by})`);
  return row.points;
}

/** The visible customers with the most points. */
export function ranking(q: Queryable, scope: RecordScope, limit: number) {
  return q.query<{ id: number; name: string; code: string; points: number; owner_name: string | null }>(sql`
    SELECT c.id, c.name, c.code, c.points, o.name AS owner_name FROM customers c
    LEFT JOIN users o ON o.tenant_id = c.tenant_id AND o.id = c.owner_id
    WHERE c.tenant_id = ${scope.tenantId} AND c.deleted_at IS NULL AND c.points > 0 AND ${visibleSql(scope, 'c')}
    ORDER BY c.points DESC, c.id DESC LIMIT ${limit}`);
}

/**
 * RFM (CUS-19) for every live customer of a company, in one statement: recency of
 * the last follow-up and frequency of follow-ups in the last 180 days, each in
 * quintiles (5 = best); monetary value is 1 for all until contracts and
 * receivables exist. Score = R + F + M (3–15).
 */
export async function computeRfm(q: Queryable, tenantId: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const rows = await q.query(sql`
    WITH f AS (
      SELECT customer_id, count(*) AS n FROM followups
      WHERE tenant_id = ${tenantId} AND deleted_at IS NULL AND customer_id IS NOT NULL AND created_at > ${at}::timestamptz - interval '180 days'
      GROUP BY customer_id
    ), s AS (
      SELECT c.id,
        CASE WHEN c.last_followup_at IS NULL THEN 1 ELSE ntile(5) OVER (PARTITION BY c.last_followup_at IS NULL ORDER BY c.last_followup_at) END AS r,
        CASE WHEN f.n IS NULL THEN 1 ELSE ntile(5) OVER (PARTITION BY f.n IS NULL ORDER BY f.n) END AS fq
      FROM customers c LEFT JOIN f ON f.customer_id = c.id
      WHERE c.tenant_id = ${tenantId} AND c.deleted_at IS NULL
    )
    UPDATE customers c SET rfm_r = s.r, rfm_f = s.fq, rfm_m = 1, rfm_score = s.r + s.fq + 1, rfm_at = ${at}::timestamptz
    FROM s WHERE c.tenant_id = ${tenantId} AND c.id = s.id
    RETURNING c.id`);
  return rows.length;
}

export interface LevelRuleRow {
  id: number;
  level_code: string;
  min_score: number | null;
  max_score: number | null;
  min_r: number | null;
  min_f: number | null;
  min_m: number | null;
  priority: number;
  enabled: boolean;
}

/** A rule as stored: the DTO without its id. */
export type LevelRuleValues = Omit<LevelRuleDto, 'id'>;

const RULE_COLUMNS = sql`id, level_code, min_score, max_score, min_r, min_f, min_m, priority, enabled`;

export function levelRules(q: Queryable, tenantId: number): Promise<LevelRuleRow[]> {
  return q.query<LevelRuleRow>(sql`SELECT ${RULE_COLUMNS} FROM customer_level_rules WHERE tenant_id = ${tenantId} ORDER BY priority, id`);
}

export function levelRule(q: Queryable, tenantId: number, id: number): Promise<LevelRuleRow | undefined> {
  return q.one<LevelRuleRow>(sql`SELECT ${RULE_COLUMNS} FROM customer_level_rules WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function insertLevelRule(q: Queryable, tenantId: number, r: LevelRuleValues): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO customer_level_rules (tenant_id, level_code, min_score, max_score, min_r, min_f, min_m, priority, enabled)
    VALUES (${tenantId}, ${r.levelCode}, ${r.minScore}, ${r.maxScore}, ${r.minR}, ${r.minF}, ${r.minM}, ${r.priority}, ${r.enabled}) RETURNING id`))!.id;
}

export async function updateLevelRule(q: Queryable, tenantId: number, id: number, r: LevelRuleValues): Promise<void> {
  await q.query(sql`UPDATE customer_level_rules SET level_code = ${r.levelCode}, min_score = ${r.minScore}, max_score = ${r.maxScore},
    min_r = ${r.minR}, min_f = ${r.minF}, min_m = ${r.minM}, priority = ${r.priority}, enabled = ${r.enabled}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function deleteLevelRule(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM customer_level_rules WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/**
 * Sets the level of every scored, unlocked customer whose first matching rule
 * (enabled, by priority, its level still enabled in the dictionary) names
 * another level — one statement, writing the operation log for each change.
 */
export async function applyLevelRules(q: Queryable, tenantId: number, now: Date): Promise<number> {
  const at = now.toISOString();
  const row = await q.one<{ changed: number }>(sql`
    WITH target AS MATERIALIZED (
      SELECT DISTINCT ON (c.id) c.id, c.name, c.level_code AS before, r.level_code AS after
      FROM customers c
      JOIN customer_level_rules r ON r.tenant_id = c.tenant_id AND r.enabled
        AND (r.min_score IS NULL OR c.rfm_score >= r.min_score) AND (r.max_score IS NULL OR c.rfm_score <= r.max_score)
        AND (r.min_r IS NULL OR c.rfm_r >= r.min_r) AND (r.min_f IS NULL OR c.rfm_f >= r.min_f) AND (r.min_m IS NULL OR c.rfm_m >= r.min_m)
      JOIN dictionary_items d ON d.tenant_id = r.tenant_id AND d.kind = 'customer_level' AND d.code = r.level_code AND d.enabled
      WHERE c.tenant_id = ${tenantId} AND c.deleted_at IS NULL AND NOT c.locked AND c.rfm_score IS NOT NULL
      ORDER BY c.id, r.priority, r.id
    ),
    changed AS (
      UPDATE customers c SET level_code = target.after, updated_at = ${at}::timestamptz
      FROM target WHERE c.tenant_id = ${tenantId} AND c.id = target.id AND c.level_code IS DISTINCT FROM target.after
      RETURNING c.id
    ),
    logged AS (
      INSERT INTO audit_log (tenant_id, at, actor_id, actor_name, entity_type, record_id, record_name, action, changes)
      SELECT ${tenantId}, ${at}::timestamptz, NULL, 'system', 'customer', target.id, target.name, 'level_rule',
        jsonb_build_array(jsonb_build_object('field', 'levelCode', 'before', target.before, 'after', target.after))
      FROM target JOIN changed ON changed.id = target.id
    )
    SELECT count(*) AS changed FROM changed`);
  return row!.changed;
}
