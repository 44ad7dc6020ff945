import type { DictionaryKind } from '../../../common/schemas/dictionaries.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface DictionaryItemRow {
  kind: DictionaryKind;
  code: string;
  label: string;
  parent_code: string | null;
  sort: number;
  enabled: boolean;
  next_codes: string[] | null;
}

const COLUMNS = sql`kind, code, label, parent_code, sort, enabled, next_codes`;

export function listItems(q: Queryable, tenantId: number): Promise<DictionaryItemRow[]> {
  return q.query<DictionaryItemRow>(sql`SELECT ${COLUMNS} FROM dictionary_items WHERE tenant_id = ${tenantId} ORDER BY kind, sort, id`);
}

export function getItem(q: Queryable, tenantId: number, kind: DictionaryKind, code: string, forUpdate = false) {
  return q.one<DictionaryItemRow>(sql`SELECT ${COLUMNS} FROM dictionary_items
    WHERE tenant_id = ${tenantId} AND kind = ${kind} AND code = ${code} ${forUpdate ? sql`FOR UPDATE` : sql.empty}`);
}

/** The enabled codes among `codes` of one kind. */
export async function enabledCodes(q: Queryable, tenantId: number, kind: DictionaryKind, codes: string[]): Promise<Set<string>> {
  const rows = await q.query<{ code: string }>(sql`SELECT code FROM dictionary_items
    WHERE tenant_id = ${tenantId} AND kind = ${kind} AND code = ANY(${codes}::text[]) AND enabled`);
  return new Set(rows.map((r) => r.code));
}

export async function insertItem(
  q: Queryable,
  tenantId: number,
  kind: DictionaryKind,
  i: { code: string; label: string; parentCode: string | null; sort: number; nextCodes: string[] | null },
): Promise<void> {
  await q.query(sql`INSERT INTO dictionary_items (tenant_id, kind, code, label, parent_code, sort, next_codes)
    VALUES (${tenantId}, ${kind}, ${i.code}, ${i.label}, ${i.parentCode}, ${i.sort}, ${i.nextCodes}::text[])`);
}

export async function updateItem(
  q: Queryable,
  tenantId: number,
  kind: DictionaryKind,
  code: string,
  i: { label: string; sort: number; enabled: boolean; nextCodes: string[] | null },
): Promise<void> {
  await q.query(sql`UPDATE dictionary_items SET label = ${i.label}, sort = ${i.sort}, enabled = ${i.enabled}, next_codes = ${i.nextCodes}::text[]
    WHERE tenant_id = ${tenantId} AND kind = ${kind} AND code = ${code}`);
}

export async function nextSort(q: Queryable, tenantId: number, kind: DictionaryKind): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT coalesce(max(sort), 0) + 10 AS n FROM dictionary_items WHERE tenant_id = ${tenantId} AND kind = ${kind}`))!.n;
}
