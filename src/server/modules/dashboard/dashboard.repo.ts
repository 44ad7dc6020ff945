import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';
import { ownedScopeSql, type RecordScope } from '../../platform/access/scope.js';
import { monthTotalsSql } from '../targets/targets.repo.js';

/** The company's calendar (as today() in currencies.service): a range of days starts and ends at its midnights. */
const TIME_ZONE = 'Asia/Shanghai';

export interface Days {
  from: string;
  to: string;
}

/** `column` within the days, as a half-open range of instants the planner can seek in an index. */
const within = (column: string, d: Days) =>
  sql`${sql.raw(column)} >= (${d.from}::date)::timestamp AT TIME ZONE ${TIME_ZONE} AND ${sql.raw(column)} < (${d.to}::date + 1)::timestamp AT TIME ZONE ${TIME_ZONE}`;

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** A range cut into the whole months inside it ([from, to] of their first days) and the days left at either end. */
export function splitByMonths(d: Days): { months: Days | null; edges: Days[] } {
  const from = new Date(ms(d.from));
  const firstFull = d.from.endsWith('-01') ? d.from : dayOf(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  const to = new Date(ms(d.to));
  const lastFullEnd = dayOf(ms(d.to) + DAY).endsWith('-01') ? d.to : dayOf(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 0));
  if (firstFull > lastFullEnd) return { months: null, edges: [d] };
  const edges: Days[] = [];
  if (d.from < firstFull) edges.push({ from: d.from, to: dayOf(ms(firstFull) - DAY) });
  if (lastFullEnd < d.to) edges.push({ from: dayOf(ms(lastFullEnd) + DAY), to: d.to });
  return { months: { from: firstFull, to: `${lastFullEnd.slice(0, 7)}-01` }, edges };
}

/** The monthly totals kept per owner (migration 0023), and whose scope counts each. */
export const METRICS = ['new_customer', 'followup', 'new_opportunity', 'won_opportunity', 'contract', 'receivable'] as const;
export type Metric = (typeof METRICS)[number];

/** The scope each block of figures is counted in (narrowed to a user or department when asked). */
export interface BlockScopes {
  customer: RecordScope;
  opportunity: RecordScope;
  contract: RecordScope;
  receivable: RecordScope;
}

const SCOPE_OF: Record<Metric, keyof BlockScopes> = {
  new_customer: 'customer',
  followup: 'customer',
  new_opportunity: 'opportunity',
  won_opportunity: 'opportunity',
  contract: 'contract',
  receivable: 'receivable',
};

export interface MetricRow {
  metric: Metric;
  /** YYYY-MM; null for a live sum over days. */
  month: string | null;
  n: number;
  amount: string;
}

/**
 * Every metric per month of [from, to] (first days of months) in one
 * statement, each summed over its block's owners (the scope's owner set:
 * records merely shared with the viewer are nobody's figures here): the brief's
 * whole months, the KPI and the trend all come from these few rows.
 */
export function monthTotals(q: Queryable, s: BlockScopes, from: string, to: string): Promise<MetricRow[]> {
  const parts = METRICS.map((m) => monthTotalsSql(s[SCOPE_OF[m]], m, from, to));
  return q.query<MetricRow>(sql`SELECT x.metric, to_char(x.month, 'YYYY-MM') AS month, sum(x.n)::int AS n, sum(x.amount)::text AS amount
    FROM (${sql.join(parts.map((p, i) => sql`SELECT ${METRICS[i]}::text AS metric, t.* FROM (${p}) t`), ' UNION ALL ')}) x
    GROUP BY 1, 2 ORDER BY 2, 1`);
}

/**
 * Every metric over loose days (those of a range outside its whole months: a
 * week, the ends of a custom range), aggregated from the records by index-only
 * range scans of customers_created, followups_created, opportunities_created,
 * opportunities_won, contracts_signed and receivables_received; the same rules
 * as the triggers that keep the monthly totals.
 */
export function liveTotals(q: Queryable, s: BlockScopes, edges: Days[]): Promise<MetricRow[]> {
  const t = s.customer.tenantId;
  const live = (e: Days): Record<Metric, Sql> => {
    const count = (from: Sql, where: Sql[], amount: Sql = sql`0`) => sql`SELECT count(*) AS n, coalesce(sum(${amount}), 0) AS amount FROM ${from} WHERE ${sql.join(where, ' AND ')}`;
    return {
      new_customer: count(sql`customers c`, [sql`c.tenant_id = ${t}`, sql`c.deleted_at IS NULL`, within('c.created_at', e), ownedScopeSql(s.customer, 'c')]),
      // follow-ups count for their author
      followup: count(sql`(SELECT f.created_by AS owner_id FROM followups f WHERE f.tenant_id = ${t} AND f.deleted_at IS NULL
          AND f.customer_id IS NOT NULL AND ${within('f.created_at', e)}) fa`, [ownedScopeSql(s.customer, 'fa')]),
      new_opportunity: count(sql`opportunities o`, [sql`o.tenant_id = ${t}`, sql`o.deleted_at IS NULL`, within('o.created_at', e), ownedScopeSql(s.opportunity, 'o')], sql`o.amount_company`),
      won_opportunity: count(sql`opportunities o`, [sql`o.tenant_id = ${t}`, sql`o.deleted_at IS NULL`, sql`o.status = 'won'`, within('o.won_at', e), ownedScopeSql(s.opportunity, 'o')], sql`o.amount_company`),
      contract: count(sql`contracts k`, [sql`k.tenant_id = ${t}`, sql`k.status = 'active'`, sql`k.deleted_at IS NULL`,
        sql`k.signed_on BETWEEN ${e.from}::date AND ${e.to}::date`, ownedScopeSql(s.contract, 'k')], sql`k.amount_company`),
      receivable: count(sql`receivables r`, [sql`r.tenant_id = ${t}`, sql`r.status = 'approved'`, sql`r.deleted_at IS NULL`,
        sql`r.received_on BETWEEN ${e.from}::date AND ${e.to}::date`, ownedScopeSql(s.receivable, 'r')], sql`r.amount_company`),
    };
  };
  const parts = edges.flatMap((e) => Object.entries(live(e)).map(([metric, p]) => sql`SELECT ${metric}::text AS metric, p.n, p.amount FROM (${p}) p`));
  return q.query<MetricRow>(sql`SELECT x.metric, NULL AS month, sum(x.n)::int AS n, sum(x.amount)::text AS amount
    FROM (${sql.join(parts, ' UNION ALL ')}) x GROUP BY 1`);
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
