import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface NotificationRow {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  entity_type: string | null;
  entity_id: number | null;
  created_at: Date;
  read_at: Date | null;
}

export function listFor(q: Queryable, tenantId: number, userId: number, limit: number): Promise<NotificationRow[]> {
  return q.query<NotificationRow>(sql`SELECT id, kind, title, body, entity_type, entity_id, created_at, read_at FROM notifications
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} ORDER BY created_at DESC, id DESC LIMIT ${limit}`);
}

export async function unreadCount(q: Queryable, tenantId: number, userId: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM notifications WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND read_at IS NULL`))!.n;
}

export async function markRead(q: Queryable, tenantId: number, userId: number, ids: number[] | null): Promise<void> {
  await q.query(sql`UPDATE notifications SET read_at = now() WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND read_at IS NULL
    ${ids ? sql`AND id = ANY(${ids}::bigint[])` : sql.empty}`);
}

/** One notification for one user (imports and exports tell their outcome this way). */
export async function notify(
  q: Queryable,
  tenantId: number,
  n: { userId: number; kind: string; title: string; body: string | null; entityType: string; entityId: number },
): Promise<void> {
  await q.query(sql`INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id)
    VALUES (${tenantId}, ${n.userId}, ${n.kind}, ${n.title}, ${n.body}, ${n.entityType}, ${n.entityId})`);
}
