import type { ScopedModule } from '../../../common/permissions.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

/** Team members (相关团队) and shares of records of any scoped module. */
export interface RecordAccessRow {
  user_id: number;
  user_name: string;
  kind: 'team' | 'share';
  access: 'read' | 'write';
  granted_by: number | null;
  granted_by_name: string | null;
  created_at: Date;
}

export function listRecordAccess(q: Queryable, tenantId: number, entity: ScopedModule, recordId: number): Promise<RecordAccessRow[]> {
  return q.query<RecordAccessRow>(sql`
    SELECT ra.user_id, u.name AS user_name, ra.kind, ra.access, ra.granted_by, g.name AS granted_by_name, ra.created_at
    FROM record_access ra
    JOIN users u ON u.tenant_id = ra.tenant_id AND u.id = ra.user_id
    LEFT JOIN users g ON g.tenant_id = ra.tenant_id AND g.id = ra.granted_by
    WHERE ra.tenant_id = ${tenantId} AND ra.entity_type = ${entity} AND ra.record_id = ${recordId}
    ORDER BY ra.created_at, ra.user_id`);
}

export async function grantRecordAccess(
  q: Queryable,
  tenantId: number,
  g: { entity: ScopedModule; recordId: number; userId: number; kind: 'team' | 'share'; access: 'read' | 'write'; grantedBy: number },
): Promise<{ before: string | null }> {
  const prior = await q.one<{ access: string }>(sql`SELECT access FROM record_access WHERE tenant_id = ${tenantId}
    AND entity_type = ${g.entity} AND record_id = ${g.recordId} AND user_id = ${g.userId} AND kind = ${g.kind}`);
  await q.query(sql`INSERT INTO record_access (tenant_id, entity_type, record_id, user_id, kind, access, granted_by)
    VALUES (${tenantId}, ${g.entity}, ${g.recordId}, ${g.userId}, ${g.kind}, ${g.access}, ${g.grantedBy})
    ON CONFLICT (tenant_id, entity_type, record_id, user_id, kind) DO UPDATE SET access = EXCLUDED.access, granted_by = EXCLUDED.granted_by`);
  return { before: prior?.access ?? null };
}

export async function revokeRecordAccess(
  q: Queryable,
  tenantId: number,
  r: { entity: ScopedModule; recordId: number; userId: number; kind: 'team' | 'share' },
): Promise<boolean> {
  const rows = await q.query(sql`DELETE FROM record_access WHERE tenant_id = ${tenantId} AND entity_type = ${r.entity}
    AND record_id = ${r.recordId} AND user_id = ${r.userId} AND kind = ${r.kind} RETURNING user_id`);
  return rows.length > 0;
}
