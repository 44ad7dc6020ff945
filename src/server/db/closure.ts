import type { Queryable } from './database.js';
import { sql } from './sql.js';

/**
 * Closure tables of trees (ancestor, descendant, depth; depth 0 is the node
 * itself): the department tree and the direct-superior chain. "All descendants"
 * becomes one indexed lookup instead of a recursive query per request.
 */
export type ClosureTable = 'department_closure' | 'user_closure';

/** Adds a node under `parentId` (or as a root). */
export async function closureAdd(q: Queryable, table: ClosureTable, tenantId: number, id: number, parentId: number | null) {
  const t = sql.raw(table);
  await q.query(sql`INSERT INTO ${t} (tenant_id, ancestor_id, descendant_id, depth)
    SELECT ${tenantId}::bigint, ${id}::bigint, ${id}::bigint, 0
    UNION ALL
    SELECT tenant_id, ancestor_id, ${id}::bigint, depth + 1 FROM ${t}
    WHERE tenant_id = ${tenantId} AND descendant_id = ${parentId}::bigint`);
}

/** True when `nodeId` is `ancestorId` itself or below it. */
export async function closureContains(q: Queryable, table: ClosureTable, tenantId: number, ancestorId: number, nodeId: number) {
  const row = await q.one(sql`SELECT 1 FROM ${sql.raw(table)}
    WHERE tenant_id = ${tenantId} AND ancestor_id = ${ancestorId} AND descendant_id = ${nodeId}`);
  return row !== undefined;
}

/** Moves a node and its subtree under `newParentId` (or makes it a root). */
export async function closureMove(q: Queryable, table: ClosureTable, tenantId: number, id: number, newParentId: number | null) {
  const t = sql.raw(table);
  // cut every path from the node's old ancestors into its subtree
  await q.query(sql`DELETE FROM ${t} WHERE tenant_id = ${tenantId}
    AND descendant_id IN (SELECT descendant_id FROM ${t} WHERE tenant_id = ${tenantId} AND ancestor_id = ${id})
    AND ancestor_id IN (SELECT ancestor_id FROM ${t} WHERE tenant_id = ${tenantId} AND descendant_id = ${id} AND ancestor_id <> ${id})`);
  if (newParentId === null) return;
  // join the new parent's ancestors to every node of the subtree
  await q.query(sql`INSERT INTO ${t} (tenant_id, ancestor_id, descendant_id, depth)
    SELECT ${tenantId}, up.ancestor_id, down.descendant_id, up.depth + down.depth + 1
    FROM ${t} up CROSS JOIN ${t} down
    WHERE up.tenant_id = ${tenantId} AND up.descendant_id = ${newParentId}
      AND down.tenant_id = ${tenantId} AND down.ancestor_id = ${id}`);
}

/** Removes a node's own rows (a user leaving the chain keeps no paths). */
export async function closureRemoveLeaf(q: Queryable, table: ClosureTable, tenantId: number, id: number) {
  await q.query(sql`DELETE FROM ${sql.raw(table)} WHERE tenant_id = ${tenantId} AND (ancestor_id = ${id} OR descendant_id = ${id})`);
}
