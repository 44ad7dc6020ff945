import type { CustomFieldEntity, CustomFieldType } from '../../../common/schemas/custom-fields.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface CustomFieldRow {
  id: number;
  entity_type: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: { value: string; label: string }[];
  required: boolean;
  enabled: boolean;
  sort: number;
}

export function fieldsOf(q: Queryable, tenantId: number, entity?: CustomFieldEntity): Promise<CustomFieldRow[]> {
  return q.query<CustomFieldRow>(sql`SELECT id, entity_type, key, label, type, options, required, enabled, sort FROM custom_fields
    WHERE tenant_id = ${tenantId} ${entity ? sql`AND entity_type = ${entity}` : sql.empty} ORDER BY entity_type, sort, id`);
}

export async function insertField(
  q: Queryable,
  tenantId: number,
  f: { entity: CustomFieldEntity; key: string; label: string; type: CustomFieldType; options: unknown[]; required: boolean; sort: number },
): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO custom_fields (tenant_id, entity_type, key, label, type, options, required, sort)
    VALUES (${tenantId}, ${f.entity}, ${f.key}, ${f.label}, ${f.type}, ${JSON.stringify(f.options)}::jsonb, ${f.required}, ${f.sort}) RETURNING id`))!.id;
}

export async function updateField(
  q: Queryable,
  tenantId: number,
  id: number,
  f: { label: string; options: unknown[]; required: boolean; enabled: boolean; sort: number },
): Promise<void> {
  await q.query(sql`UPDATE custom_fields SET label = ${f.label}, options = ${JSON.stringify(f.options)}::jsonb, required = ${f.required},
    enabled = ${f.enabled}, sort = ${f.sort} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Keeps the range-searchable copy of a record's number, amount and date values. */
export async function syncNumbers(q: Queryable, tenantId: number, fieldIds: number[], recordId: number, values: { fieldId: number; value: number | string }[]) {
  if (!fieldIds.length) return;
  await q.query(sql`DELETE FROM custom_field_numbers WHERE tenant_id = ${tenantId} AND field_id = ANY(${fieldIds}::bigint[]) AND record_id = ${recordId}`);
  if (!values.length) return;
  await q.query(sql`INSERT INTO custom_field_numbers (tenant_id, field_id, record_id, value)
    SELECT ${tenantId}, f, ${recordId}, v FROM unnest(${values.map((v) => v.fieldId)}::bigint[], ${values.map((v) => String(v.value))}::float8[]) AS x(f, v)`);
}

/** Tables whose rows carry custom values (the range copy reads them back after a batch insert). */
const CUSTOM_TABLES = { customer: sql`customers`, contact: sql`contacts`, lead: sql`leads` } as const;

/**
 * The range-searchable copy of a batch of new records' number, amount and date
 * values in one statement (storeCustomNumbers does it one record at a time).
 */
export async function copyNumbersOf(
  q: Queryable,
  tenantId: number,
  entity: keyof typeof CUSTOM_TABLES,
  fields: { id: number; key: string; type: 'number' | 'money' | 'date' }[],
  recordIds: number[],
): Promise<void> {
  if (!fields.length || !recordIds.length) return;
  await q.query(sql`INSERT INTO custom_field_numbers (tenant_id, field_id, record_id, value)
    SELECT r.tenant_id, f.id, r.id, CASE WHEN f.type = 'date' THEN ((r.custom->>f.key)::date - DATE '1970-01-01')::numeric ELSE (r.custom->>f.key)::numeric END
    FROM ${CUSTOM_TABLES[entity]} r
    CROSS JOIN unnest(${fields.map((f) => f.id)}::bigint[], ${fields.map((f) => f.key)}::text[], ${fields.map((f) => f.type)}::text[]) AS f(id, key, type)
    WHERE r.tenant_id = ${tenantId} AND r.id = ANY(${recordIds}::bigint[]) AND r.custom ? f.key`);
}
