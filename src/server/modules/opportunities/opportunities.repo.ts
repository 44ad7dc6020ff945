import type { OpportunityFilters, OpportunityListQuery, OpportunityStatus, StageKind } from '../../../common/schemas/opportunities.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { containsPattern, sql, type Sql } from '../../db/sql.js';
import { type RecordScope, ownedScopeSql, ownerPagedIds, visibleParts, visibleSql, writableSql } from '../../platform/access/scope.js';

/** The company's calendar: won dates and "created in" ranges are read in it. */
const TIME_ZONE = 'Asia/Shanghai';

export interface OpportunityRow {
  id: number;
  code: string;
  name: string;
  customer_id: number;
  customer_name: string;
  amount: string;
  currency: string;
  amount_company: string;
  amount_overridden: boolean;
  expected_close_date: string | null;
  pipeline_id: number;
  pipeline_name: string;
  stage_id: number;
  stage_name: string;
  stage_kind: StageKind;
  win_rate: number;
  status: OpportunityStatus;
  won_at: Date | null;
  lost_at: Date | null;
  lost_reason_id: number | null;
  lost_reason_name: string | null;
  lost_note: string | null;
  source_code: string | null;
  description: string | null;
  owner_id: number;
  owner_name: string | null;
  department_id: number | null;
  department_name: string | null;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

const COLUMNS = sql`o.id, o.code, o.name, o.customer_id, c.name AS customer_name, o.amount::text AS amount, o.currency,
  o.amount_company::text AS amount_company, o.amount_overridden, o.expected_close_date::text AS expected_close_date,
  o.pipeline_id, p.name AS pipeline_name, o.stage_id, st.name AS stage_name, st.kind AS stage_kind, st.win_rate, o.status,
  o.won_at, o.lost_at, o.lost_reason_id, lr.name AS lost_reason_name, o.lost_note, o.source_code, o.description,
  o.owner_id, u.name AS owner_name, o.department_id, d.name AS department_name, o.created_at, o.updated_at`;
const JOINS = sql`JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
  JOIN pipelines p ON p.tenant_id = o.tenant_id AND p.id = o.pipeline_id
  JOIN pipeline_stages st ON st.tenant_id = o.tenant_id AND st.id = o.stage_id
  LEFT JOIN opportunity_lost_reasons lr ON lr.tenant_id = o.tenant_id AND lr.id = o.lost_reason_id
  LEFT JOIN users u ON u.tenant_id = o.tenant_id AND u.id = o.owner_id
  LEFT JOIN departments d ON d.tenant_id = o.tenant_id AND d.id = o.department_id`;

const SORT_COLUMNS = { updatedAt: 'o.updated_at', createdAt: 'o.created_at' } as const;
const keyset = (sort: OpportunityListQuery['sort'], order: 'asc' | 'desc'): Keyset => ({ column: sql.raw(SORT_COLUMNS[sort]), type: 'timestamptz', id: sql`o.id`, order });
/** The board's cards come in the list's default order, so a stage's cursor pages on with the list endpoint. */
export const BOARD_KEYSET = keyset('updatedAt', 'desc');

/** Tenant, live rows, data scope, view and filters (alias o). */
export const conditions = (scope: RecordScope, userId: number, f: Partial<OpportunityFilters>): Sql[] => [...filters(scope, userId, f), visibleSql(scope, 'o')];

/** Tenant, live rows, view and filters (alias o): all but the scope. */
/** A list query's filters; `ids`: a selection (exports). */
function filters(scope: RecordScope, userId: number, f: Partial<OpportunityFilters> & { ids?: number[] }): Sql[] {
  const parts: (Sql | undefined)[] = [
    sql`o.tenant_id = ${scope.tenantId}`,
    sql`o.deleted_at IS NULL`,
    f.view === 'mine' ? sql`o.owner_id = ${userId}` : undefined,
    f.view === 'shared_with_me' ? sql`o.id = ANY(${scope.readIds}::bigint[]) AND o.owner_id <> ${userId}` : undefined,
    f.q ? sql`(o.name ILIKE ${containsPattern(f.q)} OR o.code ILIKE ${containsPattern(f.q)})` : undefined,
    f.customerId ? sql`o.customer_id = ${f.customerId}` : undefined,
    f.ownerId ? sql`o.owner_id = ${f.ownerId}` : undefined,
    f.departmentId ? sql`o.department_id = ${f.departmentId}` : undefined,
    f.pipelineId ? sql`o.pipeline_id = ${f.pipelineId}` : undefined,
    f.stageId ? sql`o.stage_id = ${f.stageId}` : undefined,
    f.status ? sql`o.status = ${f.status}` : undefined,
    f.closeFrom ? sql`o.expected_close_date >= ${f.closeFrom}::date` : undefined,
    f.closeTo ? sql`o.expected_close_date <= ${f.closeTo}::date` : undefined,
    f.amountMin ? sql`o.amount_company >= ${f.amountMin}::numeric` : undefined,
    f.amountMax ? sql`o.amount_company <= ${f.amountMax}::numeric` : undefined,
    f.ids ? sql`o.id = ANY(${f.ids}::bigint[])` : undefined,
  ];
  return parts.filter((p): p is Sql => p !== undefined);
}

/**
 * A page in keyset order, ids first: the opportunities alone are read in index
 * order up to the limit (index-only for the default views), and only the page's
 * rows are joined to their names. Joined first, the planner tends to join and
 * sort every match of an owner set before limiting. A small owner set is read
 * owner by owner (ownerPagedIds) with `perOwner`, the conditions for an index
 * led by the owner (the equality filters, then the sort), when there is one.
 */
function page(scope: RecordScope, filtered: Sql[], k: Keyset, limit: number, perOwner: Sql[] | null): Sql {
  const ids = (perOwner ? ownerPagedIds(scope, 'opportunities', 'o', perOwner, k, limit) : null)
    ?? sql`SELECT o.id FROM opportunities o ${sql.where([...filtered, visibleSql(scope, 'o')])} ${keysetOrder(k)} ${sql.limit(limit)}`;
  return sql`SELECT ${keysetSelect(k)}, ${COLUMNS}
    FROM (${ids}) top
    JOIN opportunities o ON o.tenant_id = ${scope.tenantId} AND o.id = top.id ${JOINS}
    ${keysetOrder(k)}`;
}

export function listOpportunities(q: Queryable, scope: RecordScope, userId: number, f: OpportunityListQuery & { ids?: number[] }): Promise<OpportunityRow[]> {
  const k = keyset(f.sort, f.order);
  // opportunities_owner_updated (owner, updated_at, id), opportunities_owner_stage (owner, stage, updated_at, id);
  // a customer's few opportunities come quicker from opportunities_customer
  const filtered = [...filters(scope, userId, f), keysetAfter(k, f.cursor)].filter((c): c is Sql => c !== undefined);
  return q.query<OpportunityRow>(page(scope, filtered, k, f.limit + 1, f.sort === 'updatedAt' && !f.customerId ? filtered : null));
}

export async function countOpportunities(q: Queryable, scope: RecordScope, userId: number, f: Partial<OpportunityFilters>): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM opportunities o ${sql.where(conditions(scope, userId, f))}`))!.n;
}

export type OpportunityAccessRow = OpportunityRow & { can_write: boolean; can_own: boolean };

export function getOpportunity(q: Queryable, scope: RecordScope, id: number, forUpdate = false): Promise<OpportunityAccessRow | undefined> {
  return q.one<OpportunityAccessRow>(sql`SELECT ${COLUMNS}, coalesce(${writableSql(scope, 'o')}, false) AS can_write, coalesce(${ownedScopeSql(scope, 'o')}, false) AS can_own
    FROM opportunities o ${JOINS}
    WHERE o.tenant_id = ${scope.tenantId} AND o.id = ${id} AND o.deleted_at IS NULL AND ${visibleSql(scope, 'o')}
    ${forUpdate ? sql`FOR UPDATE OF o` : sql.empty}`);
}

export interface OpportunityValues {
  name: string;
  customerId: number;
  amount: string;
  currency: string;
  amountCompany: string;
  amountOverridden: boolean;
  expectedCloseDate: string | null;
  sourceCode: string | null;
  description: string | null;
}

export async function insertOpportunity(
  q: Queryable,
  tenantId: number,
  v: OpportunityValues & { code: string; pipelineId: number; stageId: number; ownerId: number; createdBy: number },
): Promise<number> {
  // the department is the owner's, as for customers
  return (await q.one<{ id: number }>(sql`INSERT INTO opportunities (tenant_id, code, name, customer_id, amount, currency, amount_company, amount_overridden,
      expected_close_date, source_code, description, pipeline_id, stage_id, status, owner_id, department_id, created_by)
    SELECT ${tenantId}, ${v.code}, ${v.name}, ${v.customerId}, ${v.amount}::numeric, ${v.currency}, ${v.amountCompany}::numeric, ${v.amountOverridden},
      ${v.expectedCloseDate}::date, ${v.sourceCode}, ${v.description}, ${v.pipelineId}, ${v.stageId}, 'open', u.id, u.department_id, ${v.createdBy}
    FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ${v.ownerId}
    RETURNING id`))!.id;
}

export async function updateOpportunity(q: Queryable, tenantId: number, id: number, v: OpportunityValues): Promise<void> {
  await q.query(sql`UPDATE opportunities SET name = ${v.name}, amount = ${v.amount}::numeric, currency = ${v.currency}, amount_company = ${v.amountCompany}::numeric,
      amount_overridden = ${v.amountOverridden}, expected_close_date = ${v.expectedCloseDate}::date, source_code = ${v.sourceCode},
      description = ${v.description}, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Moves to a stage; the status is the stage's kind; the outcome fields follow it. */
export async function setStage(
  q: Queryable,
  tenantId: number,
  id: number,
  s: { stageId: number; status: OpportunityStatus; lostReasonId: number | null; lostNote: string | null },
): Promise<void> {
  await q.query(sql`UPDATE opportunities SET stage_id = ${s.stageId}, status = ${s.status},
      won_at = CASE WHEN ${s.status} = 'won' THEN now() END,
      lost_at = CASE WHEN ${s.status} = 'lost' THEN now() END,
      lost_reason_id = ${s.lostReasonId}, lost_note = ${s.lostNote}, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function insertStageHistory(
  q: Queryable,
  tenantId: number,
  h: { opportunityId: number; from: { id: number; name: string } | null; to: { id: number; name: string }; note: string | null; by: number },
): Promise<void> {
  await q.query(sql`INSERT INTO opportunity_stage_history (tenant_id, opportunity_id, from_stage_id, from_stage_name, to_stage_id, to_stage_name, note, changed_by)
    VALUES (${tenantId}, ${h.opportunityId}, ${h.from?.id ?? null}, ${h.from?.name ?? null}, ${h.to.id}, ${h.to.name}, ${h.note}, ${h.by})`);
}

export interface StageHistoryRow {
  id: number;
  from_stage_id: number | null;
  from_stage_name: string | null;
  to_stage_id: number;
  to_stage_name: string;
  note: string | null;
  changed_by: number | null;
  changed_by_name: string | null;
  changed_at: Date;
}

export function stageHistory(q: Queryable, tenantId: number, id: number): Promise<StageHistoryRow[]> {
  return q.query<StageHistoryRow>(sql`SELECT h.id, h.from_stage_id, h.from_stage_name, h.to_stage_id, h.to_stage_name, h.note, h.changed_by, u.name AS changed_by_name, h.changed_at
    FROM opportunity_stage_history h LEFT JOIN users u ON u.tenant_id = h.tenant_id AND u.id = h.changed_by
    WHERE h.tenant_id = ${tenantId} AND h.opportunity_id = ${id} ORDER BY h.changed_at DESC, h.id DESC`);
}

/** The open stage an opportunity was last closed from (for reopening), if any. */
export async function closedFrom(q: Queryable, tenantId: number, id: number): Promise<number | null> {
  const row = await q.one<{ from_stage_id: number | null }>(sql`SELECT h.from_stage_id FROM opportunity_stage_history h
    JOIN pipeline_stages s ON s.tenant_id = h.tenant_id AND s.id = h.to_stage_id AND s.kind <> 'open'
    WHERE h.tenant_id = ${tenantId} AND h.opportunity_id = ${id} ORDER BY h.changed_at DESC, h.id DESC LIMIT 1`);
  return row?.from_stage_id ?? null;
}

/** Every opportunity of a stage to another stage of the pipeline (a stage being deleted), each with its history row. */
export async function moveAllToStage(q: Queryable, tenantId: number, from: { id: number; name: string }, to: { id: number; name: string }, by: number): Promise<void> {
  await q.query(sql`INSERT INTO opportunity_stage_history (tenant_id, opportunity_id, from_stage_id, from_stage_name, to_stage_id, to_stage_name, note, changed_by)
    SELECT tenant_id, id, ${from.id}, ${from.name}, ${to.id}, ${to.name}, NULL, ${by} FROM opportunities WHERE tenant_id = ${tenantId} AND stage_id = ${from.id}`);
  await q.query(sql`UPDATE opportunities SET stage_id = ${to.id}, updated_at = now() WHERE tenant_id = ${tenantId} AND stage_id = ${from.id}`);
}

export async function setOwner(q: Queryable, tenantId: number, ids: number[], ownerId: number): Promise<void> {
  await q.query(sql`UPDATE opportunities o SET owner_id = u.id, department_id = u.department_id, updated_at = now()
    FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ${ownerId} AND o.tenant_id = ${tenantId} AND o.id = ANY(${ids}::bigint[])`);
}

/** The live opportunities named so for these customers (an import's duplicates); names compared without case. */
export function opportunitiesByCustomerAndName(q: Queryable, tenantId: number, keys: { customerId: number; name: string }[]): Promise<{ id: number; customer_id: number; name: string }[]> {
  if (!keys.length) return Promise.resolve([]);
  return q.query(sql`SELECT o.id, o.customer_id, o.name
    FROM unnest(${keys.map((k) => k.customerId)}::bigint[], ${keys.map((k) => k.name.toLowerCase())}::text[]) AS k(customer_id, name)
    JOIN opportunities o ON o.tenant_id = ${tenantId} AND o.customer_id = k.customer_id AND lower(o.name) = k.name AND o.deleted_at IS NULL`);
}

/** An opportunity no quote or contract was made from (an import's undo takes back only these). */
export const OPPORTUNITY_UNUSED = sql`NOT EXISTS (SELECT 1 FROM quotes d WHERE d.tenant_id = x.tenant_id AND d.opportunity_id = x.id)
  AND NOT EXISTS (SELECT 1 FROM contracts d WHERE d.tenant_id = x.tenant_id AND d.opportunity_id = x.id)`;

export async function softDelete(q: Queryable, tenantId: number, id: number, by: number): Promise<void> {
  await q.query(sql`UPDATE opportunities SET deleted_at = now(), deleted_by = ${by} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

// ---- contacts and lines ----

export interface ContactRow {
  id: number;
  name: string;
  mobile: string | null;
  title: string | null;
}

export function listContacts(q: Queryable, tenantId: number, id: number): Promise<ContactRow[]> {
  return q.query<ContactRow>(sql`SELECT k.id, k.name, k.mobile, k.title FROM opportunity_contacts oc
    JOIN contacts k ON k.tenant_id = oc.tenant_id AND k.id = oc.contact_id AND k.deleted_at IS NULL
    WHERE oc.tenant_id = ${tenantId} AND oc.opportunity_id = ${id} ORDER BY k.is_primary DESC, k.id`);
}

/** Which of `ids` are live contacts of the customer. */
export async function contactsOfCustomer(q: Queryable, tenantId: number, customerId: number, ids: number[]): Promise<Set<number>> {
  const rows = await q.query<{ id: number }>(sql`SELECT id FROM contacts WHERE tenant_id = ${tenantId} AND customer_id = ${customerId}
    AND id = ANY(${ids}::bigint[]) AND deleted_at IS NULL`);
  return new Set(rows.map((r) => r.id));
}

export async function replaceContacts(q: Queryable, tenantId: number, id: number, contactIds: number[]): Promise<void> {
  await q.query(sql`DELETE FROM opportunity_contacts WHERE tenant_id = ${tenantId} AND opportunity_id = ${id}`);
  if (contactIds.length) {
    await q.query(sql`INSERT INTO opportunity_contacts (tenant_id, opportunity_id, contact_id)
      SELECT ${tenantId}, ${id}, unnest(${contactIds}::bigint[])`);
  }
}

export interface LineRow {
  id: number;
  product_id: number;
  product_code: string | null;
  product_name: string;
  unit: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
}

export function listLines(q: Queryable, tenantId: number, id: number): Promise<LineRow[]> {
  return q.query<LineRow>(sql`SELECT l.id, l.product_id, pr.code AS product_code, l.product_name, l.unit,
      l.quantity::text AS quantity, l.price::text AS price, l.discount::text AS discount, l.amount::text AS amount
    FROM opportunity_lines l LEFT JOIN products pr ON pr.tenant_id = l.tenant_id AND pr.id = l.product_id
    WHERE l.tenant_id = ${tenantId} AND l.opportunity_id = ${id} ORDER BY l.sort, l.id`);
}

export interface LineValues {
  productId: number;
  productName: string;
  unit: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
}

export async function replaceLines(q: Queryable, tenantId: number, id: number, lines: LineValues[]): Promise<void> {
  await q.query(sql`DELETE FROM opportunity_lines WHERE tenant_id = ${tenantId} AND opportunity_id = ${id}`);
  for (const [i, l] of lines.entries()) {
    await q.query(sql`INSERT INTO opportunity_lines (tenant_id, opportunity_id, product_id, product_name, unit, quantity, price, discount, amount, sort)
      VALUES (${tenantId}, ${id}, ${l.productId}, ${l.productName}, ${l.unit}, ${l.quantity}::numeric, ${l.price}::numeric, ${l.discount}::numeric, ${l.amount}::numeric, ${i})`);
  }
}

// ---- board, forecast, funnel ----

export interface BoardRow extends Partial<OpportunityRow> {
  b_stage_id: number;
  b_name: string;
  b_kind: StageKind;
  b_win_rate: number;
  b_enabled: boolean;
  b_count: number;
  b_amount: string;
}

/** Whether the stage totals (stage and owner only) answer these filters: none but the pipeline. */
const totalsAnswer = (f: Partial<OpportunityFilters>) =>
  !f.q && !f.customerId && !f.ownerId && !f.departmentId && !f.closeFrom && !f.closeTo && !f.amountMin && !f.amountMax && (f.view ?? 'scope') === 'scope';

/**
 * Count and company-currency sum per stage (`bs`) of what the scope and filters
 * admit. Unfiltered, from opportunity_stage_totals (migration 0022): the owner
 * set's rows, plus the few shared opportunities of owners outside it counted
 * live; otherwise by aggregating the opportunities.
 */
function stageAggregate(scope: RecordScope, userId: number, f: Partial<OpportunityFilters>): Sql {
  if (!totalsAnswer(f)) {
    const where = [...conditions(scope, userId, f), sql`o.pipeline_id = bs.pipeline_id`, sql`o.stage_id = bs.id`];
    return sql`SELECT count(*)::int AS n, coalesce(sum(o.amount_company), 0)::text AS amount FROM opportunities o ${sql.where(where)}`;
  }
  const parts = visibleParts(scope, 't');
  const totals = sql`SELECT coalesce(sum(t.n), 0) AS n, coalesce(sum(t.amount), 0) AS amount FROM opportunity_stage_totals t
    ${sql.where([sql`t.tenant_id = ${scope.tenantId}`, sql`t.stage_id = bs.id`, parts?.owned])}`;
  const sharedParts = visibleParts(scope, 'o');
  if (!sharedParts?.shared) return sql`SELECT tot.n::int AS n, tot.amount::text AS amount FROM (${totals}) tot`;
  return sql`SELECT (tot.n + sh.n)::int AS n, (tot.amount + sh.amount)::text AS amount FROM (${totals}) tot,
    (SELECT count(*) AS n, coalesce(sum(o.amount_company), 0) AS amount FROM opportunities o
     WHERE o.tenant_id = ${scope.tenantId} AND o.deleted_at IS NULL AND o.stage_id = bs.id AND ${sharedParts.shared}) sh`;
}

/**
 * The whole board in one statement: per stage of the pipeline (disabled ones
 * only while they hold opportunities) the count and sum of what the filters
 * and the scope admit (stageAggregate), and the first `limit + 1` cards in the
 * list's order, each read by a LATERAL on opportunities_stage /
 * opportunities_owner_stage. One row per card (or one card-less row for an empty stage).
 */
export function board(q: Queryable, scope: RecordScope, userId: number, pipelineId: number, f: Partial<OpportunityFilters>, limit: number): Promise<BoardRow[]> {
  const filtered = [...filters(scope, userId, { ...f, pipelineId: undefined }), sql`o.stage_id = bs.id`];
  // opportunities_stage leads with the pipeline; opportunities_owner_stage has none (a stage is of one pipeline)
  const inPipeline = [...filtered, sql`o.pipeline_id = bs.pipeline_id`];
  // prepared: its plan (per stage, an index read of a few rows) is the same for every scope and planning it cost more than running it
  return q.query<BoardRow>(sql.prepared('opportunity-board', sql`SELECT bs.id AS b_stage_id, bs.name AS b_name, bs.kind AS b_kind, bs.win_rate AS b_win_rate, bs.enabled AS b_enabled,
      agg.n AS b_count, agg.amount AS b_amount, card.*
    FROM pipeline_stages bs
    CROSS JOIN LATERAL (${stageAggregate(scope, userId, f)}) agg
    LEFT JOIN LATERAL (${page(scope, inPipeline, BOARD_KEYSET, limit + 1, filtered)}) card ON true
    WHERE bs.tenant_id = ${scope.tenantId} AND bs.pipeline_id = ${pipelineId} AND (bs.enabled OR agg.n > 0)
    ORDER BY CASE bs.kind WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, bs.sort, bs.id, card.updated_at DESC, card.id DESC`));
}

export interface ForecastRow {
  is_total: boolean;
  period: string | null;
  group_id: number | null;
  group_name: string | null;
  open_count: number;
  open_amount: string;
  weighted: string;
  won_count: number;
  won_amount: string;
}

/**
 * Open opportunities by expected close date and won ones by win date, within
 * [from, to], per period and owner/department, with a grand total row. The
 * weighted amount is Σ amount × win rate, rounded once per row.
 */
export function forecast(
  q: Queryable,
  scope: RecordScope,
  userId: number,
  f: Partial<OpportunityFilters> & { period: 'month' | 'quarter'; groupBy: 'owner' | 'department'; from: string; to: string },
): Promise<ForecastRow[]> {
  const where = conditions(scope, userId, f);
  const unit = sql.raw(f.period === 'month' ? `'month'` : `'quarter'`);
  const format = sql.raw(f.period === 'month' ? `'YYYY-MM'` : `'YYYY-"Q"Q'`);
  const group = sql.raw(f.groupBy === 'owner' ? 'o.owner_id' : 'o.department_id');
  const groupName = f.groupBy === 'owner' ? sql`(SELECT name FROM users WHERE tenant_id = ${scope.tenantId} AND id = x.group_id)` : sql`(SELECT name FROM departments WHERE tenant_id = ${scope.tenantId} AND id = x.group_id)`;
  const wonDay = sql`(o.won_at AT TIME ZONE ${TIME_ZONE})::date`;
  return q.query<ForecastRow>(sql`SELECT GROUPING(x.period) = 1 AS is_total, x.period, x.group_id, ${groupName} AS group_name,
      sum(x.open_n)::int AS open_count, sum(x.open_amount)::text AS open_amount, round(sum(x.weighted), 2)::text AS weighted,
      sum(x.won_n)::int AS won_count, sum(x.won_amount)::text AS won_amount
    FROM (
      SELECT to_char(date_trunc(${unit}, o.expected_close_date), ${format}) AS period, ${group} AS group_id,
        1 AS open_n, o.amount_company AS open_amount, o.amount_company * st.win_rate / 100 AS weighted, 0 AS won_n, 0::numeric AS won_amount
      FROM opportunities o JOIN pipeline_stages st ON st.tenant_id = o.tenant_id AND st.id = o.stage_id
      ${sql.where([...where, sql`o.status = 'open'`, sql`o.expected_close_date BETWEEN ${f.from}::date AND ${f.to}::date`])}
      UNION ALL
      SELECT to_char(date_trunc(${unit}, ${wonDay}), ${format}), ${group}, 0, 0, 0, 1, o.amount_company
      FROM opportunities o
      ${sql.where([...where, sql`o.status = 'won'`, sql`${wonDay} BETWEEN ${f.from}::date AND ${f.to}::date`])}
    ) x
    GROUP BY GROUPING SETS ((x.period, x.group_id), ())
    ORDER BY GROUPING(x.period), x.period, x.group_id NULLS LAST`);
}

export interface FunnelRow {
  id: number;
  name: string;
  kind: StageKind;
  win_rate: number;
  count: number;
  amount: string;
}

/** Per stage of the pipeline: the opportunities in it (created within the range), count and company-currency sum. */
export function funnel(q: Queryable, scope: RecordScope, userId: number, pipelineId: number, f: Partial<OpportunityFilters> & { from?: string; to?: string }): Promise<FunnelRow[]> {
  const created = sql`(o.created_at AT TIME ZONE ${TIME_ZONE})::date`;
  const on = [
    ...conditions(scope, userId, f),
    sql`o.stage_id = s.id`,
    f.from ? sql`${created} >= ${f.from}::date` : undefined,
    f.to ? sql`${created} <= ${f.to}::date` : undefined,
  ].filter((c): c is Sql => c !== undefined);
  return q.query<FunnelRow>(sql`SELECT s.id, s.name, s.kind, s.win_rate, count(o.id)::int AS count, coalesce(sum(o.amount_company), 0)::text AS amount
    FROM pipeline_stages s LEFT JOIN opportunities o ON ${sql.join(on, ' AND ')}
    WHERE s.tenant_id = ${scope.tenantId} AND s.pipeline_id = ${pipelineId}
    GROUP BY s.id, s.name, s.kind, s.win_rate, s.sort, s.enabled
    HAVING s.enabled OR count(o.id) > 0
    ORDER BY CASE s.kind WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, s.sort, s.id`);
}
