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

const isMonthStart = (day: string) => day.endsWith('-01');
const isMonthEnd = (day: string) => new Date(`${day}T00:00:00Z`).getUTCMonth() !== new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).getUTCMonth();

/** The rows of sales_month_totals (migration 0023) a scope's owners have for one metric in the months of [from, to]. */
export function monthTotalsSql(scope: RecordScope, metric: string, from: string, to: string): Sql {
  return sql`SELECT t.month, t.owner_id, t.n, t.amount FROM sales_month_totals t
    WHERE t.tenant_id = ${scope.tenantId} AND t.metric = ${metric} AND t.month BETWEEN date_trunc('month', ${from}::date)::date AND ${to}::date
      AND ${ownedScopeSql(scope, 't')}`;
}

/**
 * Contract and receivable amounts per month (and per owner) of the scope's
 * owners over whole months (an owner's figures are never shown to who cannot
 * see the owner): contracts in effect by signing date, approved receivables by
 * the day received (a receivable belongs to its contract's owner). Read from the
 * kept monthly totals: a year of the whole company is a few thousand rows
 * however many contracts there are.
 */
export function monthlyAmounts(q: Queryable, scope: RecordScope, from: string, to: string, byOwner: boolean): Promise<AmountRow[]> {
  if (!isMonthStart(from) || !isMonthEnd(to)) throw new Error(`monthlyAmounts takes whole months, not ${from}..${to}`);
  const owner = byOwner ? sql`x.owner_id` : sql`NULL::bigint`;
  const of = (metric: string, as: TargetMetric) => sql`SELECT ${as}::text AS metric, to_char(x.month, 'YYYY-MM') AS month, ${owner} AS owner_id, sum(x.amount) AS amount
    FROM (${monthTotalsSql(scope, metric, from, to)}) x GROUP BY 2, 3`;
  return q.query<AmountRow>(sql`SELECT metric, month, owner_id, amount::text FROM (${of('contract', 'contract_amount')} UNION ALL ${of('receivable', 'receivable_amount')}) y
    ORDER BY month`);
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
