import type { EntryRuleEntity } from '../../../common/schemas/entry-rules.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export function requiredFields(q: Queryable, tenantId: number) {
  return q.query<{ entity_type: EntryRuleEntity; field: string }>(sql`SELECT entity_type, field FROM required_fields
    WHERE tenant_id = ${tenantId} ORDER BY entity_type, field`);
}

export async function replaceRequired(q: Queryable, tenantId: number, entity: EntryRuleEntity, fields: string[]): Promise<void> {
  await q.query(sql`DELETE FROM required_fields WHERE tenant_id = ${tenantId} AND entity_type = ${entity}`);
  if (!fields.length) return;
  await q.query(sql`INSERT INTO required_fields (tenant_id, entity_type, field)
    SELECT ${tenantId}, ${entity}, f FROM unnest(${fields}::text[]) AS f`);
}
