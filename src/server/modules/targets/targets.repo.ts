import type { TargetMetric, TargetSubjectType } from '../../../common/schemas/targets.js';
import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';
import { ownedScopeSql, type RecordScope } from '../../platform/access/scope.js';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Subject {
  type: TargetSubjectType;
  id: number;
}

export interface TargetRow {
  user_id: number | null;
  department_id: number | null;
  metric: TargetMetric;
  period_kind: PeriodKind;
  period: number;
  amount: string;
}

const subjectColumn = (type: TargetSubjectType) => sql.raw(type === 'user' ? 'user_id' : 'department_id');

/** The stored targets of a year, of the given subjects only (all of them when null). */
export function listTargets(q: Queryable, tenantId: number, year: number, subjects: Subject[] | null): Promise<TargetRow[]> {
  const of = (type: TargetSubjectType) => subjects!.filter((s) => s.type === type).map((s) => s.id);
  const filter = subjects === null ? sql.empty : sql`AND (user_id = ANY(${of('user')}::bigint[]) OR department_id = ANY(${of('department')}::bigint[]))`;
  return q.query<TargetRow>(sql`SELECT user_id, department_id, metric, period_kind, period, amount::text FROM sales_targets
    WHERE tenant_id = ${tenantId} AND year = ${year} ${filter} ORDER BY user_id NULLS LAST, department_id, metric, period_kind, period`);
}

/** Replaces one grid (subject, metric, year) with the given cells. */
export async function replaceGrid(
  q: Queryable,
  tenantId: number,
  g: { subject: Subject; metric: TargetMetric; year: number; cells: { kind: PeriodKind; period: number; amount: string }[]; by: number },
): Promise<void> {
  await deleteGrid(q, tenantId, g.subject, g.metric, g.year);
  if (!g.cells.length) return;
  await q.query(sql`INSERT INTO sales_targets (tenant_id, ${subjectColumn(g.subject.type)}, metric, year, period_kind, period, amount, updated_by)
    SELECT ${tenantId}, ${g.subject.id}, ${g.metric}, ${g.year}, c.kind, c.period, c.amount, ${g.by}
    FROM unnest(${g.cells.map((c) => c.kind)}::text[], ${g.cells.map((c) => c.period)}::int[], ${g.cells.map((c) => c.amount)}::numeric[]) AS c(kind, period, amount)`);
}

export async function deleteGrid(q: Queryable, tenantId: number, subject: Subject, metric: TargetMetric, year: number): Promise<number> {
  const rows = await q.query(sql`DELETE FROM sales_targets
    WHERE tenant_id = ${tenantId} AND year = ${year} AND ${subjectColumn(subject.type)} = ${subject.id} AND metric = ${metric} RETURNING id`);
  return rows.length;
}

export interface SubjectInfo {
  type: TargetSubjectType;
  id: number;
  name: string;
  /** The users whose records count for the subject: the user, or everyone in the department and its sub-departments. */
  owner_ids: number[];
}

/** The users of department `d` and its sub-departments (department_closure). */
const DEPARTMENT_OWNERS = sql`ARRAY(SELECT u.id FROM department_closure dc
  JOIN users u ON u.tenant_id = dc.tenant_id AND u.department_id = dc.descendant_id
  WHERE dc.tenant_id = d.tenant_id AND dc.ancestor_id = d.id ORDER BY u.id)`;

/** Names and owner sets of users and departments (department_closure: sub-departments' users count). */
export function subjectInfo(q: Queryable, tenantId: number, userIds: number[], departmentIds: number[]): Promise<SubjectInfo[]> {
  return q.query<SubjectInfo>(sql`
    SELECT 'user' AS type, u.id, u.name, ARRAY[u.id] AS owner_ids FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ANY(${userIds}::bigint[])
    UNION ALL
    SELECT 'department', d.id, d.name, ${DEPARTMENT_OWNERS}
    FROM departments d WHERE d.tenant_id = ${tenantId} AND d.id = ANY(${departmentIds}::bigint[])`);
}

/** Users and departments that have targets in a year (the targets page lists them). */
export async function subjectsWithTargets(q: Queryable, tenantId: number, year: number): Promise<Subject[]> {
  const rows = await q.query<{ user_id: number | null; department_id: number | null }>(sql`SELECT DISTINCT user_id, department_id FROM sales_targets
    WHERE tenant_id = ${tenantId} AND year = ${year}`);
  return rows.map((r) => (r.user_id !== null ? { type: 'user', id: r.user_id } : { type: 'department', id: r.department_id! }));
}

export const rootDepartment = (q: Queryable, tenantId: number) =>
  q.one<{ id: number; name: string }>(sql`SELECT id, name FROM departments WHERE tenant_id = ${tenantId} AND parent_id IS NULL`);

export interface AmountRow {
  metric: TargetMetric;
  /** YYYY-MM */
  month: string;
  /** Only when grouped by owner. */
  owner_id: number | null;
  amount: string;
}

/**
 * What was achieved per month from `from` to `to` (days, inclusive), for the
 * owners of `scope` (its owner set only: records shared with the viewer do not
 * make anyone's figures): contracts in effect by signing date, approved
 * receivables by the day received, attributed to their contract's owner.
 *
 * Plans: contracts — an index-only range scan of contracts_signed (owner_id is
 * in the index, so an owner set is a filter there). Receivables — for the whole
 * company an index-only range scan of receivables_received; with an owner set
 * or per owner, a join to the contracts (their primary key, or the owner set's
 * contracts from contracts_owner_updated as a hashed semi-join).
 */
export function monthlyAmounts(q: Queryable, scope: RecordScope, from: string, to: string, byOwner: boolean): Promise<AmountRow[]> {
  const owner = byOwner ? sql`k.owner_id` : sql`NULL::bigint`;
  const contracts = sql`SELECT 'contract_amount' AS metric, to_char(k.signed_on, 'YYYY-MM') AS month, ${owner} AS owner_id, sum(k.amount_company) AS amount
    FROM contracts k
    WHERE k.tenant_id = ${scope.tenantId} AND k.status = 'active' AND k.deleted_at IS NULL
      AND k.signed_on BETWEEN ${from}::date AND ${to}::date AND ${ownedScopeSql(scope, 'k')}
    GROUP BY 2, 3`;
  const received = sql`r.tenant_id = ${scope.tenantId} AND r.status = 'approved' AND r.deleted_at IS NULL AND r.received_on BETWEEN ${from}::date AND ${to}::date`;
  const receivables = byOwner
    ? sql`SELECT 'receivable_amount', to_char(r.received_on, 'YYYY-MM'), k.owner_id, sum(r.amount_company)
        FROM receivables r JOIN contracts k ON k.tenant_id = r.tenant_id AND k.id = r.contract_id
        WHERE ${received} AND ${ownedScopeSql(scope, 'k')} GROUP BY 2, 3`
    : sql`SELECT 'receivable_amount', to_char(r.received_on, 'YYYY-MM'), NULL::bigint, sum(r.amount_company)
        FROM receivables r WHERE ${received} ${ownerContracts(scope, 'r')} GROUP BY 2`;
  return q.query<AmountRow>(sql`SELECT metric, month, owner_id, amount::text FROM (${contracts} UNION ALL ${receivables}) x ORDER BY month`);
}

/** `AND` the record's contract belongs to the scope's owner set (nothing for every owner). */
export function ownerContracts(scope: RecordScope, alias: string): Sql {
  if (scope.ownerIds === null) return sql.empty;
  return sql`AND ${sql.raw(alias)}.contract_id IN (SELECT k.id FROM contracts k
    WHERE k.tenant_id = ${scope.tenantId} AND k.deleted_at IS NULL AND ${ownedScopeSql(scope, 'k')})`;
}

/** Every active user and every department, with their owner sets (pickers filter them by scope). */
export function allSubjects(q: Queryable, tenantId: number): Promise<(SubjectInfo & { parent_id: number | null })[]> {
  return q.query(sql`
    SELECT 'user' AS type, u.id, u.name, ARRAY[u.id] AS owner_ids, u.department_id AS parent_id FROM users u WHERE u.tenant_id = ${tenantId} AND u.status = 'active'
    UNION ALL
    SELECT 'department', d.id, d.name, ${DEPARTMENT_OWNERS}, d.parent_id
    FROM departments d WHERE d.tenant_id = ${tenantId}
    ORDER BY 1, 3`);
}
