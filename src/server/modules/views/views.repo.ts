import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export type ViewEntity = 'customer' | 'contact' | 'lead';

export interface ViewRow {
  id: number;
  entity_type: ViewEntity;
  name: string;
  owner_id: number;
  owner_name: string;
  shared: boolean;
  filters: Record<string, unknown>;
  columns: string[];
  sort: string | null;
  created_at: Date;
}

const SELECT = sql`SELECT v.id, v.entity_type, v.name, v.owner_id, u.name AS owner_name, v.shared, v.filters, v.columns, v.sort, v.created_at
  FROM saved_views v JOIN users u ON u.tenant_id = v.tenant_id AND u.id = v.owner_id`;

/** My views and the shared ones of an entity. */
export function viewsFor(q: Queryable, tenantId: number, userId: number, entity: ViewEntity): Promise<ViewRow[]> {
  return q.query<ViewRow>(sql`${SELECT} WHERE v.tenant_id = ${tenantId} AND v.entity_type = ${entity} AND (v.owner_id = ${userId} OR v.shared)
    ORDER BY v.owner_id = ${userId} DESC, v.name, v.id`);
}

export function getView(q: Queryable, tenantId: number, id: number): Promise<ViewRow | undefined> {
  return q.one<ViewRow>(sql`${SELECT} WHERE v.tenant_id = ${tenantId} AND v.id = ${id}`);
}

export async function insertView(
  q: Queryable,
  tenantId: number,
  v: { entity: ViewEntity; name: string; ownerId: number; shared: boolean; filters: object; columns: string[]; sort: string | null },
): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO saved_views (tenant_id, entity_type, name, owner_id, shared, filters, columns, sort)
    VALUES (${tenantId}, ${v.entity}, ${v.name}, ${v.ownerId}, ${v.shared}, ${JSON.stringify(v.filters)}::jsonb, ${v.columns}::text[], ${v.sort}) RETURNING id`))!.id;
}

export async function updateView(q: Queryable, tenantId: number, id: number, v: { name: string; shared: boolean; filters: object; columns: string[]; sort: string | null }) {
  await q.query(sql`UPDATE saved_views SET name = ${v.name}, shared = ${v.shared}, filters = ${JSON.stringify(v.filters)}::jsonb, columns = ${v.columns}::text[], sort = ${v.sort}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function deleteView(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM saved_views WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** The user's own column choice and order for a list, when they made one. */
export function columnsOf(q: Queryable, tenantId: number, userId: number, entity: ViewEntity) {
  return q.one<{ columns: string[] }>(sql`SELECT columns FROM list_preferences WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND entity_type = ${entity}`);
}

export async function setColumns(q: Queryable, tenantId: number, userId: number, entity: ViewEntity, columns: string[]): Promise<void> {
  await q.query(sql`INSERT INTO list_preferences (tenant_id, user_id, entity_type, columns) VALUES (${tenantId}, ${userId}, ${entity}, ${columns}::text[])
    ON CONFLICT (tenant_id, user_id, entity_type) DO UPDATE SET columns = EXCLUDED.columns`);
}
