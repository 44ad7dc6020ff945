/**
 * Data scopes (数据权限): the one place that decides which business records a
 * user may see, change or delete. Repositories never build these conditions
 * themselves; they take a resolved `RecordScope` and splice in its SQL.
 *
 * A record is visible when its owner is in the user's owner set (the union of
 * the scopes of all the user's roles for the module; "self" when no role says
 * anything) or when the record was shared with the user or the user is on its
 * team. Changing needs the owner set or a read-write team/share entry;
 * deleting, transferring and sharing need the owner set.
 */
import type { DataScope, Permission, ScopedModule } from '../../../common/permissions.js';
import type { Queryable } from '../../db/database.js';
import { type Keyset, keysetOrder } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';
import type { Subject } from '../auth/actor.js';

export interface RecordScope {
  module: ScopedModule;
  tenantId: number;
  /** null = every owner (scope "all" or a super administrator). */
  ownerIds: number[] | null;
  /** Records shared with the user or with the user on their team. */
  readIds: number[];
  writeIds: number[];
  /**
   * Pools (公海) the user belongs to: their customers, while nobody owns them,
   * may be read (detail, follow-ups) but not listed with the user's own.
   */
  poolIds: number[];
}

export function scopesOf(subject: Subject, module: ScopedModule): DataScope[] {
  if (subject.isSuperAdmin) return ['all'];
  const scopes = subject.dataScopes[module];
  return scopes && scopes.length ? scopes : ['self'];
}

/** SQL yielding the ids of the users whose records one scope reaches. */
export function ownerSetSql(scope: Exclude<DataScope, 'all'>, tenantId: number, userId: number, departmentId: number): Sql {
  switch (scope) {
    case 'self':
      return sql`SELECT ${userId}::bigint AS id`;
    case 'self_sub':
      return sql`SELECT descendant_id AS id FROM user_closure WHERE tenant_id = ${tenantId} AND ancestor_id = ${userId}`;
    case 'dept':
      return sql`SELECT id FROM users WHERE tenant_id = ${tenantId} AND department_id = ${departmentId}`;
    case 'dept_sub':
      return sql`SELECT u.id FROM department_closure dc
        JOIN users u ON u.tenant_id = dc.tenant_id AND u.department_id = dc.descendant_id
        WHERE dc.tenant_id = ${tenantId} AND dc.ancestor_id = ${departmentId}`;
  }
}

/** Resolves a subject's scope for a module in one round trip. */
export async function resolveScope(q: Queryable, subject: Subject, module: ScopedModule): Promise<RecordScope> {
  // without the module's view permission nothing is visible, whatever else the user holds
  if (!subject.isSuperAdmin && !subject.permissions.has(`${module}.view` as Permission)) {
    return { module, tenantId: subject.tenantId, ownerIds: [], readIds: [], writeIds: [], poolIds: [] };
  }
  const scopes = scopesOf(subject, module);
  const all = scopes.includes('all');
  const { tenantId, userId, departmentId } = subject;
  const ownerSql = all
    ? sql`NULL::bigint[]`
    : sql`ARRAY(${sql.join(
        [sql`SELECT ${userId}::bigint`, ...scopes.map((s) => ownerSetSql(s as Exclude<DataScope, 'all'>, tenantId, userId, departmentId))],
        ' UNION ',
      )})`;
  const poolSql = module === 'customer' && (subject.isSuperAdmin || subject.permissions.has('pool.view'))
    ? sql`ARRAY(SELECT pm.pool_id FROM pool_members pm JOIN pools p ON p.tenant_id = pm.tenant_id AND p.id = pm.pool_id AND p.enabled
        WHERE pm.tenant_id = ${tenantId} AND ((pm.member_type = 'user' AND pm.member_id = ${userId})
          OR (pm.member_type = 'department' AND pm.member_id IN (SELECT ancestor_id FROM department_closure
                WHERE tenant_id = ${tenantId} AND descendant_id = ${departmentId}))))`
    : sql`ARRAY[]::bigint[]`;
  const row = await q.one<{ owner_ids: number[] | null; read_ids: number[]; write_ids: number[]; pool_ids: number[] }>(sql.prepared('scope', sql`
    SELECT ${ownerSql} AS owner_ids, ${poolSql} AS pool_ids,
      ARRAY(SELECT record_id FROM record_access WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND entity_type = ${module}) AS read_ids,
      ARRAY(SELECT record_id FROM record_access WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND entity_type = ${module} AND access = 'write') AS write_ids`));
  return {
    module,
    tenantId,
    ownerIds: row!.owner_ids ? [...new Set(row!.owner_ids)] : null,
    readIds: [...new Set(row!.read_ids)],
    writeIds: [...new Set(row!.write_ids)],
    poolIds: [...new Set(row!.pool_ids)],
  };
}

function ownedSql(scope: RecordScope, alias: string): Sql {
  return scope.ownerIds === null ? sql`TRUE` : sql`${sql.raw(alias)}.owner_id = ANY(${scope.ownerIds}::bigint[])`;
}

function ownedOr(scope: RecordScope, alias: string, ids: number[]): Sql {
  if (scope.ownerIds === null) return sql`TRUE`;
  if (ids.length === 0) return ownedSql(scope, alias);
  return sql`(${ownedSql(scope, alias)} OR ${sql.raw(alias)}.id = ANY(${ids}::bigint[]))`;
}

/** Condition for records the subject may see. */
export const visibleSql = (scope: RecordScope, alias: string) => ownedOr(scope, alias, scope.readIds);

/**
 * The records visibleSql admits, as two disjoint parts: those of the owner set,
 * and those shared with the subject whose owner is outside it (none when
 * nothing is shared). Queries that treat the parts apart avoid the OR, which
 * keeps the planner from using an owner-led index; null for scope "all".
 */
export function visibleParts(scope: RecordScope, alias: string): { owned: Sql; shared: Sql | null } | null {
  if (scope.ownerIds === null) return null;
  const owned = ownedSql(scope, alias);
  const shared = scope.readIds.length ? sql`${sql.raw(alias)}.id = ANY(${scope.readIds}::bigint[]) AND (${owned}) IS NOT TRUE` : null;
  return { owned, shared };
}
/** Condition for records the subject may read one by one: the visible ones and those waiting in the subject's pools. */
export function readableSql(scope: RecordScope, alias: string): Sql {
  if (!scope.poolIds.length) return visibleSql(scope, alias);
  const a = sql.raw(alias);
  return sql`(${visibleSql(scope, alias)} OR (${a}.owner_id IS NULL AND ${a}.pool_id = ANY(${scope.poolIds}::bigint[])))`;
}

/** Condition for records the subject may change (given the edit permission). */
export const writableSql = (scope: RecordScope, alias: string) => ownedOr(scope, alias, scope.writeIds);
/** Condition for records the subject may delete, transfer or share: owner scope only. */
export const ownedScopeSql = ownedSql;

export type Grant =
  | { rule: 'super_admin' }
  | { rule: 'owner' }
  | { rule: 'role_scope'; roleId: number; roleName: string; scope: DataScope }
  | { rule: 'team' | 'share'; access: 'read' | 'write'; grantedBy: number | null };

/**
 * Why `subject` can see a record: every rule that grants it. An empty list
 * means the record is invisible to the subject.
 */
export async function explainGrants(
  q: Queryable,
  subject: Subject,
  module: ScopedModule,
  record: { id: number; ownerId: number | null },
): Promise<Grant[]> {
  const grants: Grant[] = [];
  if (subject.isSuperAdmin) grants.push({ rule: 'super_admin' });
  if (record.ownerId === subject.userId) grants.push({ rule: 'owner' });
  const roles = await q.query<{ id: number; name: string; scope: DataScope | null }>(sql`
    SELECT r.id, r.name, r.data_scopes ->> ${module} AS scope
    FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
    WHERE ur.tenant_id = ${subject.tenantId} AND ur.user_id = ${subject.userId} ORDER BY r.id`);
  for (const role of roles) {
    if (!role.scope || record.ownerId === null) continue;
    const reaches =
      role.scope === 'all' ||
      (await q.one<{ hit: boolean }>(
        sql`SELECT ${record.ownerId}::bigint IN (${ownerSetSql(role.scope, subject.tenantId, subject.userId, subject.departmentId)}) AS hit`,
      ))!.hit;
    if (reaches) grants.push({ rule: 'role_scope', roleId: role.id, roleName: role.name, scope: role.scope });
  }
  const shares = await q.query<{ kind: 'team' | 'share'; access: 'read' | 'write'; granted_by: number | null }>(sql`
    SELECT kind, access, granted_by FROM record_access
    WHERE tenant_id = ${subject.tenantId} AND entity_type = ${module} AND record_id = ${record.id} AND user_id = ${subject.userId}`);
  for (const s of shares) grants.push({ rule: s.kind, access: s.access, grantedBy: s.granted_by });
  return grants;
}

/**
 * Owner sets up to this size are paged owner by owner (ownerPagedIds): its cost
 * grows by ~0.03 ms per owner on PostgreSQL, while walking the tenant-wide
 * order and filtering costs ~limit / (share of rows visible) rows, so larger
 * sets (a director's department tree, a third of all rows) are better served
 * by the plain query.
 */
export const PER_OWNER_MAX = 32;

/**
 * The ids of one keyset page of what a scope shows, in keyset order, assembled
 * from at most one page per owner (each read in order from an index led by
 * tenant_id, owner_id, [equality filters,] the sort column and id) plus the
 * shared records. With `owner_id = ANY(...)` PostgreSQL cannot read such an
 * index in order: it walks the tenant-wide order and filters (12,000 rows for a
 * rep among 1,000,000), or reads and sorts every row of the owners. The rows
 * and their order are those of the plain query. `where` holds all but the
 * scope; null when the plain query serves better (scope "all", a large owner set).
 */
export function ownerPagedIds(scope: RecordScope, table: string, alias: string, where: (Sql | undefined)[], k: Keyset, limit: number): Sql | null {
  const parts = visibleParts(scope, alias);
  if (!parts || scope.ownerIds!.length > PER_OWNER_MAX) return null;
  const a = sql.raw(alias);
  const from = sql.raw(`${table} ${alias}`);
  // the parts are disjoint and the owners distinct, so every candidate id comes once
  const branches = [
    sql`SELECT x.sort_value, x.id FROM unnest(${scope.ownerIds}::bigint[]) AS w(owner_id)
      CROSS JOIN LATERAL (SELECT ${k.column} AS sort_value, ${a}.id FROM ${from}
        ${sql.where([...where, sql`${a}.owner_id = w.owner_id`])} ${keysetOrder(k)} ${sql.limit(limit)}) x`,
  ];
  if (parts.shared) {
    branches.push(sql`(SELECT ${k.column} AS sort_value, ${a}.id FROM ${from} ${sql.where([...where, parts.shared])} ${keysetOrder(k)} ${sql.limit(limit)})`);
  }
  const merged: Keyset = { column: sql`p.sort_value`, type: k.type, id: sql`p.id`, order: k.order };
  return sql`SELECT p.id FROM (${sql.join(branches, ' UNION ALL ')}) p ${keysetOrder(merged)} ${sql.limit(limit)}`;
}
