import type { RelationKind } from '../../../common/schemas/customer-relations.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import { type RecordScope, readableSql } from '../../platform/access/scope.js';

export interface Link {
  fromId: number;
  toId: number;
  kind: RelationKind;
}

export interface RelationRow {
  id: number;
  from_id: number;
  to_id: number;
  kind: RelationKind;
}

const TREE = sql`('subsidiary', 'branch')`;
/** Deep enough for any real group of companies; a guard, since cycles are refused anyway. */
const MAX_DEPTH = 50;

/** Tree changes of a company wait for each other, so two at once cannot make a cycle together. */
export async function lockRelations(q: Queryable, tenantId: number): Promise<void> {
  await q.query(sql`SELECT pg_advisory_xact_lock(${tenantId}::bigint # hashtextextended('customer_relations', 0))`);
}

/** The tree links above `id` up to the top and below it to the leaves, through live customers only. */
export function treeAround(q: Queryable, tenantId: number, id: number): Promise<RelationRow[]> {
  return q.query<RelationRow>(sql`
    WITH RECURSIVE up AS (
      SELECT r.id, r.from_id, r.to_id, r.kind, 1 AS depth FROM customer_relations r
      JOIN customers p ON p.tenant_id = r.tenant_id AND p.id = r.from_id AND p.deleted_at IS NULL
      WHERE r.tenant_id = ${tenantId} AND r.to_id = ${id} AND r.kind IN ${TREE}
      UNION ALL
      SELECT r.id, r.from_id, r.to_id, r.kind, up.depth + 1 FROM up
      JOIN customer_relations r ON r.tenant_id = ${tenantId} AND r.to_id = up.from_id AND r.kind IN ${TREE}
      JOIN customers p ON p.tenant_id = r.tenant_id AND p.id = r.from_id AND p.deleted_at IS NULL
      WHERE up.depth < ${MAX_DEPTH}
    ), down AS (
      SELECT r.id, r.from_id, r.to_id, r.kind, 1 AS depth FROM customer_relations r
      JOIN customers k ON k.tenant_id = r.tenant_id AND k.id = r.to_id AND k.deleted_at IS NULL
      WHERE r.tenant_id = ${tenantId} AND r.from_id = ${id} AND r.kind IN ${TREE}
      UNION ALL
      SELECT r.id, r.from_id, r.to_id, r.kind, down.depth + 1 FROM down
      JOIN customer_relations r ON r.tenant_id = ${tenantId} AND r.from_id = down.to_id AND r.kind IN ${TREE}
      JOIN customers k ON k.tenant_id = r.tenant_id AND k.id = r.to_id AND k.deleted_at IS NULL
      WHERE down.depth < ${MAX_DEPTH}
    )
    SELECT id, from_id, to_id, kind FROM up UNION ALL SELECT id, from_id, to_id, kind FROM down ORDER BY id`);
}

/** The peer links of `id` to live customers. */
export function peersOf(q: Queryable, tenantId: number, id: number): Promise<RelationRow[]> {
  return q.query<RelationRow>(sql`SELECT r.id, r.from_id, r.to_id, r.kind FROM customer_relations r
    JOIN customers o ON o.tenant_id = r.tenant_id AND o.id = CASE WHEN r.from_id = ${id} THEN r.to_id ELSE r.from_id END AND o.deleted_at IS NULL
    WHERE r.tenant_id = ${tenantId} AND (r.from_id = ${id} OR r.to_id = ${id}) AND r.kind NOT IN ${TREE}
    ORDER BY r.kind, r.id`);
}

/** Every link of `id`, deleted ends included (a merge moves them all). */
export function linksOf(q: Queryable, tenantId: number, id: number): Promise<RelationRow[]> {
  return q.query<RelationRow>(sql`SELECT id, from_id, to_id, kind FROM customer_relations
    WHERE tenant_id = ${tenantId} AND (from_id = ${id} OR to_id = ${id}) ORDER BY id`);
}

/** Names and codes of customers, with whether the scope may open them. */
export function customersFor(q: Queryable, scope: RecordScope, ids: number[]) {
  return q.query<{ id: number; code: string; name: string; readable: boolean }>(sql`
    SELECT c.id, c.code, c.name, coalesce(${readableSql(scope, 'c')}, false) AS readable
    FROM customers c WHERE c.tenant_id = ${scope.tenantId} AND c.id = ANY(${ids}::bigint[])`);
}

export async function exists(q: Queryable, tenantId: number, l: Link): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 AS x FROM customer_relations
    WHERE tenant_id = ${tenantId} AND from_id = ${l.fromId} AND to_id = ${l.toId} AND kind = ${l.kind}`));
}

export async function hasParent(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 AS x FROM customer_relations WHERE tenant_id = ${tenantId} AND to_id = ${id} AND kind IN ${TREE}`));
}

/** Whether `node` is `ancestor` or lies below it in the tree (recycle-bin customers included: they may come back). */
export async function isInSubtree(q: Queryable, tenantId: number, ancestor: number, node: number): Promise<boolean> {
  if (ancestor === node) return true;
  return !!(await q.one(sql`
    WITH RECURSIVE down AS (
      SELECT to_id, 1 AS depth FROM customer_relations WHERE tenant_id = ${tenantId} AND from_id = ${ancestor} AND kind IN ${TREE}
      UNION ALL
      SELECT r.to_id, down.depth + 1 FROM down
      JOIN customer_relations r ON r.tenant_id = ${tenantId} AND r.from_id = down.to_id AND r.kind IN ${TREE}
      WHERE down.depth < ${MAX_DEPTH}
    )
    SELECT 1 AS x FROM down WHERE to_id = ${node} LIMIT 1`));
}

export async function insertLink(q: Queryable, tenantId: number, l: Link, by: number): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO customer_relations (tenant_id, from_id, to_id, kind, created_by)
    VALUES (${tenantId}, ${l.fromId}, ${l.toId}, ${l.kind}, ${by}) RETURNING id`))!.id;
}

/** Removes a link of `customerId`; undefined when it has no such link. */
export function deleteLink(q: Queryable, tenantId: number, customerId: number, relationId: number): Promise<RelationRow | undefined> {
  return q.one<RelationRow>(sql`DELETE FROM customer_relations
    WHERE tenant_id = ${tenantId} AND id = ${relationId} AND (from_id = ${customerId} OR to_id = ${customerId})
    RETURNING id, from_id, to_id, kind`);
}

export async function deleteById(q: Queryable, tenantId: number, relationId: number): Promise<void> {
  await q.query(sql`DELETE FROM customer_relations WHERE tenant_id = ${tenantId} AND id = ${relationId}`);
}
