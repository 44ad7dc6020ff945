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
