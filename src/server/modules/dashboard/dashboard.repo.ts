import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';
import { ownedScopeSql, type RecordScope } from '../../platform/access/scope.js';
import { ownerContracts } from '../targets/targets.repo.js';

/** The company's calendar (as today() in currencies.service): a range of days starts and ends at its midnights. */
const TIME_ZONE = 'Asia/Shanghai';

export interface Days {
  from: string;
  to: string;
}

/** `column` within the days, as a half-open range of instants the planner can seek in an index. */
const within = (column: string, d: Days) =>
  sql`${sql.raw(column)} >= (${d.from}::date)::timestamp AT TIME ZONE ${TIME_ZONE} AND ${sql.raw(column)} < (${d.to}::date + 1)::timestamp AT TIME ZONE ${TIME_ZONE}`;

export interface BriefRow {
  new_customers: number;
  followups: number;
  new_opportunities: number;
  new_opportunity_amount: string;
  won_opportunities: number;
  won_amount: string;
  contracts: number;
  contract_amount: string;
  receivable_amount: string;
}

/**
 * The sales brief of a range in one statement: one aggregate per block, each
 * over its owners (the scope's owner set; records merely shared with the viewer
 * are nobody's figures here). Expected plans, whole company: index-only range
 * scans of customers_created, followups_created, opportunities_created,
 * opportunities_won, contracts_signed and receivables_received; with an owner
 * set, the same scans filtered on the included owner column (customers:
 * customers_owner_created per owner), receivables semi-joined to the owner
 * set's contracts.
 */
export async function brief(q: Queryable, s: { customer: RecordScope; opportunity: RecordScope; contract: RecordScope; receivable: RecordScope }, d: Days): Promise<BriefRow> {
  const t = s.customer.tenantId;
  const count = (from: Sql, where: Sql[]) => sql`(SELECT count(*)::int AS n FROM ${from} WHERE ${sql.join(where, ' AND ')})`;
  const sum = (from: Sql, where: Sql[]) => sql`(SELECT count(*)::int AS n, coalesce(sum(amount_company), 0.00)::text AS amount FROM ${from} WHERE ${sql.join(where, ' AND ')})`;
  const row = await q.one<BriefRow>(sql`SELECT cu.n AS new_customers, fu.n AS followups, oc.n AS new_opportunities, oc.amount AS new_opportunity_amount,
      ow.n AS won_opportunities, ow.amount AS won_amount, k.n AS contracts, k.amount AS contract_amount, r.amount AS receivable_amount
    FROM ${count(sql`customers c`, [sql`c.tenant_id = ${t}`, sql`c.deleted_at IS NULL`, within('c.created_at', d), ownedScopeSql(s.customer, 'c')])} cu,
      -- follow-ups count for their author
      ${count(sql`(SELECT f.created_by AS owner_id FROM followups f WHERE f.tenant_id = ${t} AND f.deleted_at IS NULL AND f.customer_id IS NOT NULL
          AND ${within('f.created_at', d)}) fa`, [ownedScopeSql(s.customer, 'fa')])} fu,
      ${sum(sql`opportunities o`, [sql`o.tenant_id = ${t}`, sql`o.deleted_at IS NULL`, within('o.created_at', d), ownedScopeSql(s.opportunity, 'o')])} oc,
      ${sum(sql`opportunities o`, [sql`o.tenant_id = ${t}`, sql`o.deleted_at IS NULL`, sql`o.status = 'won'`, within('o.won_at', d), ownedScopeSql(s.opportunity, 'o')])} ow,
      ${sum(sql`contracts k`, [sql`k.tenant_id = ${t}`, sql`k.status = 'active'`, sql`k.deleted_at IS NULL`,
        sql`k.signed_on BETWEEN ${d.from}::date AND ${d.to}::date`, ownedScopeSql(s.contract, 'k')])} k,
      (SELECT coalesce(sum(r.amount_company), 0.00)::text AS amount FROM receivables r
        WHERE r.tenant_id = ${t} AND r.status = 'approved' AND r.deleted_at IS NULL AND r.received_on BETWEEN ${d.from}::date AND ${d.to}::date
        ${ownerContracts(s.receivable, 'r')}) r`);
  return row!;
}

export interface PipelineRow {
  id: number;
  name: string;
}

/** The pipeline asked for, or the company's default one. */
export function pipeline(q: Queryable, tenantId: number, id: number | undefined): Promise<PipelineRow | undefined> {
  return q.one<PipelineRow>(sql`SELECT id, name FROM pipelines WHERE tenant_id = ${tenantId} AND ${id ? sql`id = ${id}` : sql`is_default`}`);
}

export interface FunnelRow {
  id: number;
  name: string;
  win_rate: number;
  count: number;
  amount: string;
}

/**
 * Open opportunities per open stage of a pipeline (disabled stages only while
 * they hold some), from the stage totals the triggers of migration 0022 keep
 * per stage and owner: a few rows per stage, whatever the number of opportunities.
 */
export function funnel(q: Queryable, scope: RecordScope, pipelineId: number): Promise<FunnelRow[]> {
  return q.query<FunnelRow>(sql`SELECT s.id, s.name, s.win_rate, a.n AS count, a.amount
    FROM pipeline_stages s
    CROSS JOIN LATERAL (SELECT coalesce(sum(t.n), 0)::int AS n, coalesce(sum(t.amount), 0.00)::text AS amount FROM opportunity_stage_totals t
      WHERE t.tenant_id = s.tenant_id AND t.stage_id = s.id AND ${ownedScopeSql(scope, 't')}) a
    WHERE s.tenant_id = ${scope.tenantId} AND s.pipeline_id = ${pipelineId} AND s.kind = 'open' AND (s.enabled OR a.n > 0)
    ORDER BY s.sort, s.id`);
}
