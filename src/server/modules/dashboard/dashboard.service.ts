/**
 * The dashboard (仪表盘, ANA-1): the sales brief of a range, target achievement
 * (KPI), the funnel of a pipeline and the monthly trend, for the viewer's data
 * scopes — customers and follow-ups by the customer scope, opportunities by the
 * opportunity scope, contracts and receivables by the contract scope — narrowed
 * to a user or department when asked. A filter outside a scope narrows that
 * block to nothing: it never widens what the viewer sees.
 */
import { add, percentOf, weighted } from '../../../common/money.js';
import type { DashboardDto, DashboardQuery, KpiDto } from '../../../common/schemas/dashboard.js';
import type { Queryable } from '../../db/database.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/http/errors.js';
import { companyCurrency } from '../currencies/currencies.repo.js';
import { today } from '../currencies/currencies.service.js';
import * as targetsRepo from '../targets/targets.repo.js';
import { contractScope, covers, narrow, subjectsOf, targetOf } from '../targets/targets.service.js';
import * as repo from './dashboard.repo.js';

// ---- calendar arithmetic on YYYY-MM-DD days (UTC dates: no time of day, no zone)

const parse = (day: string) => new Date(`${day}T00:00:00Z`);
const fmt = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number) => fmt(new Date(parse(day).getTime() + n * 86_400_000));
const monthStart = (y: number, m: number) => fmt(new Date(Date.UTC(y, m - 1, 1)));
/** The last day of month m (m may run past 12). */
const monthEnd = (y: number, m: number) => fmt(new Date(Date.UTC(y, m, 0)));
const ym = (day: string) => ({ y: Number(day.slice(0, 4)), m: Number(day.slice(5, 7)) });

export type Period = DashboardDto['kpi']['period'];

export function periodOf(kind: Period['kind'], y: number, period: number): Period {
  const [first, last] = kind === 'month' ? [period, period] : kind === 'quarter' ? [period * 3 - 2, period * 3] : [1, 12];
  return { kind, year: y, period, from: monthStart(y, first), to: monthEnd(y, last) };
}

/** The days of a range preset around `now` (a day in the company time zone); weeks start on Monday. */
export function rangeOf(query: Pick<DashboardQuery, 'range' | 'from' | 'to'>, now: string): repo.Days {
  const { y, m } = ym(now);
  const q = Math.ceil(m / 3);
  switch (query.range) {
    case 'this_week': {
      const monday = addDays(now, -((parse(now).getUTCDay() + 6) % 7));
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'this_month':
      return { from: monthStart(y, m), to: monthEnd(y, m) };
    case 'this_quarter':
      return { from: monthStart(y, q * 3 - 2), to: monthEnd(y, q * 3) };
    case 'this_year':
      return { from: monthStart(y, 1), to: monthEnd(y, 12) };
    case 'custom':
      return { from: query.from!, to: query.to! };
  }
}

/**
 * The target period a range is measured against: the year, quarter or month it
 * is exactly; otherwise the month of its last day (a week: of today).
 */
export function kpiPeriodOf(range: DashboardQuery['range'], days: repo.Days, now: string): Period {
  const { y, m } = ym(days.from);
  const candidates = [periodOf('year', y, 1), periodOf('quarter', y, Math.ceil(m / 3)), periodOf('month', y, m)];
  const exact = candidates.find((p) => p.from === days.from && p.to === days.to);
  if (exact) return exact;
  const at = ym(range === 'this_week' ? now : days.to);
  return periodOf('month', at.y, at.m);
}

/** The trend's months: the 12 ending with the range's last month, or the range's own months when it is longer. */
export function trendMonths(days: repo.Days): string[] {
  const end = ym(days.to);
  const start = ym(days.from);
  const span = Math.max(12, (end.y - start.y) * 12 + end.m - start.m + 1);
  return Array.from({ length: span }, (_, i) => monthStart(end.y, end.m - span + 1 + i).slice(0, 7));
}

const kpi = (target: string | null, achieved: string): KpiDto => ({ target, achieved, percent: target === null ? null : percentOf(achieved, target) });

/** Whether two scopes count the same owners (their figures are then the same). */
const sameOwners = (a: RecordScope, b: RecordScope) =>
  a.ownerIds === null || b.ownerIds === null ? a.ownerIds === b.ownerIds : a.ownerIds.length === b.ownerIds.length && a.ownerIds.every((id) => b.ownerIds!.includes(id));

/** Count and amount of a metric over the rows (months from..to as YYYY-MM, inclusive; live rows always). */
function sumOf(rows: repo.MetricRow[], metric: repo.Metric, from?: string, to?: string) {
  const hit = rows.filter((r) => r.metric === metric && (r.month === null || (r.month >= from! && r.month <= to!)));
  return { n: hit.reduce((n, r) => n + r.n, 0), amount: add('0', ...hit.map((r) => r.amount)) };
}

export function dashboard(actor: Actor, query: DashboardQuery): Promise<DashboardDto> {
  return actor.tx(async (q) => {
    const now = today();
    const days = rangeOf(query, now);
    // one connection per transaction (PGlite has one in all): the statements run one after another
    const scopes = {
      customer: await resolveScope(q, actor, 'customer'),
      opportunity: await resolveScope(q, actor, 'opportunity'),
      contract: await contractScope(q, actor),
    };
    const visible = {
      customers: actor.can('customer.view'),
      opportunities: actor.can('opportunity.view'),
      contracts: actor.can('contract.view'),
      receivables: actor.can('contract.view') && actor.can('receivable.view'),
    };
    const filter = query.userId ? { type: 'user' as const, id: query.userId } : query.departmentId ? { type: 'department' as const, id: query.departmentId } : null;
    const filtered = filter ? ((await subjectsOf(q, actor.tenantId, [filter]))[0] ?? { ...filter, name: '', owner_ids: [] }) : null;
    const owners = filtered?.owner_ids ?? null;
    const contract = narrow(scopes.contract, owners);
    const blocks: repo.BlockScopes = {
      customer: narrow(scopes.customer, owners),
      opportunity: narrow(scopes.opportunity, owners),
      contract,
      receivable: visible.receivables ? contract : narrow(contract, []),
    };

    const { subject, company } = await kpiSubject(q, actor, filtered, scopes.contract.ownerIds === null);
    const period = kpiPeriodOf(query.range, days, now);
    const months = trendMonths(days);
    const { months: whole, edges } = repo.splitByMonths(days);
    // one read of the kept totals serves the brief's whole months, the trend and (same owners) the KPI
    const monthOf = (day: string) => day.slice(0, 7);
    const spanFrom = [months[0]!, monthOf(period.from), ...(whole ? [monthOf(whole.from)] : [])].sort()[0]!;
    const spanTo = [months.at(-1)!, monthOf(period.to), ...(whole ? [monthOf(whole.to)] : [])].sort().at(-1)!;
    const totals = await repo.monthTotals(q, blocks, `${spanFrom}-01`, `${spanTo}-01`);
    const live = edges.length ? await repo.liveTotals(q, blocks, edges) : [];
    const brief = (metric: repo.Metric) => sumOf([...(whole ? totals : []), ...live], metric, whole ? monthOf(whole.from) : undefined, whole ? monthOf(whole.to) : undefined);

    // the company is every owner: no owner list to filter on
    const subjectScope = company ? scopes.contract : narrow(scopes.contract, subject.owner_ids);
    const achieved = sameOwners(subjectScope, contract)
      ? { contract: sumOf(totals, 'contract', monthOf(period.from), monthOf(period.to)).amount, receivable: sumOf(totals, 'receivable', monthOf(period.from), monthOf(period.to)).amount }
      : await achievedBy(q, subjectScope, period);
    // a subject's targets show only to who sees all its owners (an out-of-scope filter learns nothing)
    const targets = covers(scopes.contract, subject.owner_ids) ? await targetsRepo.listTargets(q, actor.tenantId, period.year, [subject]) : [];
    const targetFor = (metric: targetsRepo.TargetRow['metric']) => targetOf(targets.filter((t) => t.metric === metric), period.kind, period.period);

    const pipeline = await repo.pipeline(q, actor.tenantId, query.pipelineId);
    if (query.pipelineId && !pipeline) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'pipelineId', message: 'invalid' }]);
    const stages = pipeline ? await repo.funnel(q, blocks.opportunity, pipeline.id) : [];

    const newOpportunities = brief('new_opportunity');
    const won = brief('won_opportunity');
    const contracts = brief('contract');
    return {
      range: days,
      companyCurrency: await companyCurrency(q, actor.tenantId),
      visible,
      brief: {
        newCustomers: brief('new_customer').n,
        followups: brief('followup').n,
        newOpportunities: { count: newOpportunities.n, amount: newOpportunities.amount },
        wonOpportunities: { count: won.n, amount: won.amount },
        contracts: { count: contracts.n, amount: contracts.amount },
        receivables: brief('receivable').amount,
      },
      kpi: {
        subject: { type: subject.type, id: subject.id, name: subject.name },
        period,
        contractAmount: visible.contracts ? kpi(targetFor('contract_amount'), achieved.contract) : kpi(null, '0.00'),
        receivableAmount: visible.receivables ? kpi(targetFor('receivable_amount'), achieved.receivable) : kpi(null, '0.00'),
      },
      funnel: {
        pipelineId: pipeline?.id ?? null,
        pipelineName: pipeline?.name ?? null,
        stages: stages.map((s) => ({ stageId: s.id, name: s.name, winRate: s.win_rate, count: s.count, amount: s.amount, weighted: weighted(s.amount, s.win_rate) })),
      },
      trend: months.map((month) => ({
        month,
        contractAmount: sumOf(totals, 'contract', month, month).amount,
        receivableAmount: sumOf(totals, 'receivable', month, month).amount,
      })),
    };
  });
}

/** A KPI subject's contract and receivable amounts over the period, when it counts other owners than the dashboard's blocks. */
async function achievedBy(q: Queryable, scope: RecordScope, period: Period) {
  const rows = await targetsRepo.monthlyAmounts(q, scope, period.from, period.to, false);
  const total = (metric: targetsRepo.AmountRow['metric']) => add('0', ...rows.filter((r) => r.metric === metric).map((r) => r.amount));
  return { contract: total('contract_amount'), receivable: total('receivable_amount') };
}

/** Whose targets the KPI shows: the filtered user or department; unfiltered, the company (top department) for a viewer who sees every owner, else the viewer. */
async function kpiSubject(q: Queryable, actor: Actor, filtered: targetsRepo.SubjectInfo | null, seesAll: boolean) {
  if (filtered) return { subject: filtered, company: false };
  const root = seesAll ? await targetsRepo.rootDepartment(q, actor.tenantId) : undefined;
  const [info] = await subjectsOf(q, actor.tenantId, [root ? { type: 'department', id: root.id } : { type: 'user', id: actor.userId }]);
  return { subject: info!, company: !!root };
}
