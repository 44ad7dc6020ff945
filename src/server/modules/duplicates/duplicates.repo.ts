import type { DuplicateEntity, DuplicateField, DuplicateMode } from '../../../common/schemas/duplicates.js';
import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';

export function rulesOf(q: Queryable, tenantId: number) {
  return q.query<{ entity_type: DuplicateEntity; field: DuplicateField; mode: DuplicateMode }>(sql`
    SELECT entity_type, field, mode FROM duplicate_rules WHERE tenant_id = ${tenantId} ORDER BY entity_type, field`);
}

export async function setRule(q: Queryable, tenantId: number, entity: DuplicateEntity, field: DuplicateField, mode: DuplicateMode): Promise<void> {
  await q.query(sql`INSERT INTO duplicate_rules (tenant_id, entity_type, field, mode) VALUES (${tenantId}, ${entity}, ${field}, ${mode})
    ON CONFLICT (tenant_id, entity_type, field) DO UPDATE SET mode = EXCLUDED.mode`);
}

/** How a field's value (an SQL expression) matches a live record; the same expressions the indexes are on. */
const MATCH: Record<DuplicateEntity, Partial<Record<DuplicateField, (v: Sql) => Sql>>> = {
  customer: {
    name: (v) => sql`crm_match_key(x.name) = crm_match_key(${v})`,
    phone: (v) => sql`regexp_replace(x.phone, '\\D', '', 'g') = regexp_replace(${v}, '\\D', '', 'g')`,
    email: (v) => sql`x.email = ${v}`,
    credit_code: (v) => sql`x.credit_code = ${v}`,
  },
  contact: {
    mobile: (v) => sql`x.mobile = ${v}`,
    email: (v) => sql`x.email = ${v}`,
  },
};

/** Live records only (customer_match_keys holds only those). */
const LIVE: Record<DuplicateEntity, Sql> = { customer: sql.empty, contact: sql`AND x.deleted_at IS NULL` };

/** Customers through customer_match_keys (migration 0025), whose indexes serve the non-leakproof match expressions. */
const FROM: Record<DuplicateEntity, Sql> = {
  customer: sql`SELECT x.id, x.name, o.name AS owner_name, NULL AS customer_name FROM customer_match_keys x
    LEFT JOIN users o ON o.tenant_id = x.tenant_id AND o.id = x.owner_id`,
  contact: sql`SELECT x.id, x.name, o.name AS owner_name, c.name AS customer_name FROM contacts x
    JOIN customers c ON c.tenant_id = x.tenant_id AND c.id = x.customer_id AND c.deleted_at IS NULL
    LEFT JOIN users o ON o.tenant_id = c.tenant_id AND o.id = c.owner_id`,
};

const TABLE: Record<DuplicateEntity, Sql> = {
  customer: sql`customer_match_keys x`,
  contact: sql`contacts x JOIN customers c ON c.tenant_id = x.tenant_id AND c.id = x.customer_id AND c.deleted_at IS NULL`,
};

/**
 * Live records whose `field` equals `value`, whoever owns them (a few are
 * enough to tell). The matches are found first, unordered, by the match's
 * index; ordered by id in the same statement, the planner would walk the
 * primary key instead (a second at a million customers).
 */
export function findMatches(q: Queryable, tenantId: number, entity: DuplicateEntity, field: DuplicateField, value: string, exceptId: number | null) {
  const match = MATCH[entity][field];
  if (!match) return Promise.resolve([]);
  return q.query<{ id: number; name: string; owner_name: string | null; customer_name: string | null }>(sql`${FROM[entity]}
    WHERE x.tenant_id = ${tenantId} AND x.id IN (SELECT x.id FROM ${TABLE[entity]}
      WHERE x.tenant_id = ${tenantId} ${LIVE[entity]} AND ${match(sql`${value}::text`)} AND x.id IS DISTINCT FROM ${exceptId}::bigint LIMIT 20)
    ORDER BY x.id LIMIT 5`);
}

/**
 * For each value (a batch of imported rows), a live record whose `field`
 * equals it: one index probe per value (no ORDER BY, which would have the
 * planner walk the primary key instead of the match's index).
 */
export async function firstMatches(q: Queryable, tenantId: number, entity: DuplicateEntity, field: DuplicateField, values: (string | null)[]) {
  const match = MATCH[entity][field];
  if (!match || !values.some((v) => v)) return new Map<number, { id: number; name: string }>();
  const rows = await q.query<{ ord: number; id: number; name: string }>(sql`
    SELECT v.ord::int AS ord, m.id, m.name FROM unnest(${values}::text[]) WITH ORDINALITY AS v(value, ord)
    JOIN LATERAL (SELECT x.id, x.name FROM ${TABLE[entity]}
      WHERE x.tenant_id = ${tenantId} ${LIVE[entity]} AND ${match(sql`v.value`)} LIMIT 1) m ON true
    WHERE v.value IS NOT NULL`);
  return new Map(rows.map((r) => [r.ord - 1, { id: r.id, name: r.name }]));
}
