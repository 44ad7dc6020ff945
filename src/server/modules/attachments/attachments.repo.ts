import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export type AttachmentEntity = 'customer' | 'contact' | 'lead' | 'followup' | 'product' | 'expense' | 'opportunity' | 'contract';

export interface AttachmentRow {
  id: number;
  entity_type: AttachmentEntity;
  entity_id: number;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: number;
  uploaded_by_name: string;
  created_at: Date;
}

const SELECT = sql`SELECT a.id, a.entity_type, a.entity_id, a.file_name, a.content_type, a.size, a.sha256, a.storage_key, a.uploaded_by,
  u.name AS uploaded_by_name, a.created_at FROM attachments a JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.uploaded_by`;

export function listFor(q: Queryable, tenantId: number, entity: AttachmentEntity, ids: number[]): Promise<AttachmentRow[]> {
  return q.query<AttachmentRow>(sql`${SELECT} WHERE a.tenant_id = ${tenantId} AND a.entity_type = ${entity} AND a.entity_id = ANY(${ids}::bigint[])
    ORDER BY a.created_at DESC, a.id DESC`);
}

export function get(q: Queryable, tenantId: number, id: number): Promise<AttachmentRow | undefined> {
  return q.one<AttachmentRow>(sql`${SELECT} WHERE a.tenant_id = ${tenantId} AND a.id = ${id}`);
}

export async function insert(
  q: Queryable,
  tenantId: number,
  a: { entity: AttachmentEntity; entityId: number; fileName: string; contentType: string; size: number; sha256: string; key: string; by: number },
): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO attachments (tenant_id, entity_type, entity_id, file_name, content_type, size, sha256, storage_key, uploaded_by)
    VALUES (${tenantId}, ${a.entity}, ${a.entityId}, ${a.fileName}, ${a.contentType}, ${a.size}, ${a.sha256}, ${a.key}, ${a.by}) RETURNING id`))!.id;
}

/** Deletes the row; returns its storage key when no other row shares the file any more. */
export async function remove(q: Queryable, tenantId: number, id: number): Promise<string | null> {
  const row = await q.one<{ storage_key: string }>(sql`DELETE FROM attachments WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING storage_key`);
  if (!row) return null;
  const shared = await q.one(sql`SELECT 1 FROM attachments WHERE tenant_id = ${tenantId} AND storage_key = ${row.storage_key} LIMIT 1`);
  return shared ? null : row.storage_key;
}

/** The files of one record shown on another too (a converted lead's on its customer). */
export async function copyTo(q: Queryable, tenantId: number, from: { entity: AttachmentEntity; id: number }, to: { entity: AttachmentEntity; id: number }): Promise<void> {
  await q.query(sql`INSERT INTO attachments (tenant_id, entity_type, entity_id, file_name, content_type, size, sha256, storage_key, uploaded_by, created_at)
    SELECT tenant_id, ${to.entity}, ${to.id}, file_name, content_type, size, sha256, storage_key, uploaded_by, created_at
    FROM attachments WHERE tenant_id = ${tenantId} AND entity_type = ${from.entity} AND entity_id = ${from.id}`);
}
