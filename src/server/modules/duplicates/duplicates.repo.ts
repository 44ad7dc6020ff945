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

/** How a field's value matches a live record; the same expressions the indexes are on. */
const MATCH: Record<DuplicateEntity, Partial<Record<DuplicateField, (v: string) => Sql>>> = {
  customer: {
    name: (v) => sql`crm_match_key(x.name) = crm_match_key(${v})`,
    phone: (v) => sql`regexp_replace(x.phone, '\\D', '', 'g') = ${v.replace(/\D/g, '')}`,
    email: (v) => sql`x.email = ${v}`,
    credit_code: (v) => sql`x.credit_code = ${v}`,
  },
  contact: {
    mobile: (v) => sql`x.mobile = ${v}`,
    email: (v) => sql`x.email = ${v}`,
  },
};

const FROM: Record<DuplicateEntity, Sql> = {
  customer: sql`SELECT x.id, x.name, o.name AS owner_name, NULL AS customer_name FROM customers x
    LEFT JOIN users o ON o.tenant_id = x.tenant_id AND o.id = x.owner_id`,
  contact: sql`SELECT x.id, x.name, o.name AS owner_name, c.name AS customer_name FROM contacts x
    JOIN customers c ON c.tenant_id = x.tenant_id AND c.id = x.customer_id AND c.deleted_at IS NULL
    LEFT JOIN users o ON o.tenant_id = c.tenant_id AND o.id = c.owner_id`,
};

/** Live records whose `field` equals `value`, whoever owns them (a few are enough to tell). */
export function findMatches(q: Queryable, tenantId: number, entity: DuplicateEntity, field: DuplicateField, value: string, exceptId: number | null) {
  const match = MATCH[entity][field];
  if (!match) return Promise.resolve([]);
  return q.query<{ id: number; name: string; owner_name: string | null; customer_name: string | null }>(sql`${FROM[entity]}
    WHERE x.tenant_id = ${tenantId} AND x.deleted_at IS NULL AND ${match(value)} AND x.id IS DISTINCT FROM ${exceptId}::bigint
    ORDER BY x.id LIMIT 5`);
}
