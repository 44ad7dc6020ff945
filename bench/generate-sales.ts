/**
 * Bench data generator, sales layer: opportunities, contracts and receivables
 * over the customers that `generate.ts` made, with set-based SQL only, in the
 * same composable-step style (they read the GenContext the earlier steps left).
 *
 * Shape (for N customers): N opportunities over the same 3 years (open 20 % in
 * the four open stages of the default pipeline, won 30 %, lost 50 %); a
 * contract for every won opportunity (0.3 N: active 92 %, the rest draft,
 * pending or rejected), signed on the win date; and for the active contracts
 * 1–3 approved receivables (instalments 60 days apart, none after the anchor).
 */
import { type Sql, sql } from '../src/server/db/sql.js';
import { bucketBounds, canSkipChecks, type GenContext, inBatches, type StepResult, timed, withIndexesDeferred } from './generate.js';

const OPPORTUNITY_WORDS = ['年度采购', '系统升级', '扩容项目', '软件许可', '实施服务', '运维续约', '硬件更新', '培训服务', '定制开发', '云服务订阅'];

interface Stages {
  pipelineId: number;
  open: number[];
  won: number;
  lost: number;
}

async function defaultStages(ctx: GenContext): Promise<Stages> {
  const rows = await ctx.db.system((q) =>
    q.query<{ pipeline_id: number; id: number; kind: string }>(sql`
      SELECT s.pipeline_id, s.id, s.kind FROM pipeline_stages s JOIN pipelines p ON p.tenant_id = s.tenant_id AND p.id = s.pipeline_id AND p.is_default
      WHERE s.tenant_id = ${ctx.tenantId} ORDER BY s.sort, s.id`),
  );
  if (!rows.length) throw new Error('the bench tenant has no default pipeline');
  return {
    pipelineId: rows[0]!.pipeline_id,
    open: rows.filter((r) => r.kind === 'open').map((r) => r.id),
    won: rows.find((r) => r.kind === 'won')!.id,
    lost: rows.find((r) => r.kind === 'lost')!.id,
  };
}

/** A sales table's load in batches (generate.ts inBatches), counting the rows inserted. */
function load(ctx: GenContext, table: string, skipChecks: boolean, count: number, batch: number, insert: (from: number, to: number) => Sql): Promise<number> {
  return inBatches(ctx, table, { skipChecks, count, batch, salt: table.length }, (from, to) =>
    sql`WITH ins AS (${insert(from, to)} RETURNING 1) SELECT count(*)::int AS n FROM ins`);
}

export interface SalesOptions {
  /** Opportunities (default: one per customer). */
  opportunities?: number;
  batch?: number;
  skipForeignKeyChecks?: boolean;
}

/**
 * Opportunities of random customers, owned by the customer's owner (a pool
 * customer's by the owner it was generated with), created over 3 years up to
 * the anchor; closed ones won or lost when last updated.
 */
export async function generateOpportunities(ctx: GenContext, opts: SalesOptions = {}): Promise<StepResult> {
  const range = ctx.customerIdRange;
  if (!range) throw new Error('generateOpportunities needs customers first');
  const count = opts.opportunities ?? range.count;
  const stages = await defaultStages(ctx);
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  const spanSecs = Math.round(3 * 365.25 * 86400);
  const anchor = ctx.anchor;
  ctx.touched.add('opportunities').add('opportunity_stage_totals');
  return timed(ctx, 'opportunities', () =>
    withIndexesDeferred(ctx.db, 'opportunities', () =>
      load(ctx, 'opportunities', skipChecks, count, opts.batch ?? 250_000, (from, to) => sql`
        WITH t AS MATERIALIZED (
          SELECT s.*, s.created_at + (${anchor}::timestamptz - s.created_at) * CASE WHEN s.status = 'open' THEN sqrt(s.ru) ELSE s.ru END AS updated_at
          FROM (
            SELECT g, ${range.min}::bigint + floor(random() * ${range.max - range.min + 1})::bigint AS cid,
                   1 + floor(random() * ${OPPORTUNITY_WORDS.length})::int AS w,
                   round((5000 * power(100, random()))::numeric, -2) AS amount,
                   (ARRAY['open', 'won', 'lost'])[width_bucket(random(), ARRAY[0, 0.2, 0.5]::float8[])] AS status,
                   random() AS rs, random() AS rd, random() AS ru,
                   ${anchor}::timestamptz - make_interval(secs => (${count}::float8 - g + random()) * ${spanSecs}::float8 / ${count}::float8) AS created_at
            FROM generate_series(${from}::int, ${to}::int) AS g
          ) s
        )
        INSERT INTO opportunities (tenant_id, code, name, customer_id, amount, currency, amount_company, expected_close_date, pipeline_id, stage_id,
                                   status, won_at, lost_at, owner_id, department_id, created_by, created_at, updated_at)
        SELECT ${ctx.tenantId}, 'BSJ' || lpad(t.g::text, 9, '0'), c.name || (${OPPORTUNITY_WORDS}::text[])[t.w], c.id, t.amount, 'CNY', t.amount,
               (t.created_at + make_interval(days => 30 + (t.rd * 150)::int))::date, ${stages.pipelineId},
               CASE t.status WHEN 'won' THEN ${stages.won}::bigint WHEN 'lost' THEN ${stages.lost}::bigint
                 ELSE (${stages.open}::bigint[])[width_bucket(t.rs, ${bucketBounds([4, 3, 2, 1])}::float8[])] END,
               t.status, CASE WHEN t.status = 'won' THEN t.updated_at END, CASE WHEN t.status = 'lost' THEN t.updated_at END,
               coalesce(c.owner_id, c.created_by), u.department_id, coalesce(c.owner_id, c.created_by), t.created_at, t.updated_at
        FROM t
        JOIN customers c ON c.tenant_id = ${ctx.tenantId} AND c.id = t.cid
        JOIN users u ON u.tenant_id = ${ctx.tenantId} AND u.id = coalesce(c.owner_id, c.created_by)
        ORDER BY t.g`).then(async (n) => {
        // the load may have bypassed the triggers that keep the board's stage totals
        await ctx.db.system((q) => q.query(sql`SELECT crm_rebuild_opportunity_stage_totals(${ctx.tenantId}::bigint)`));
        return n;
      }),
    ctx.indexBuilds),
  );
}

/** A contract for every won opportunity, signed on the win date, for a year; 92 % in effect. */
export async function generateContracts(ctx: GenContext, opts: SalesOptions = {}): Promise<StepResult> {
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  await ctx.indexBuilds.done();
  const won = await ctx.db.system((q) =>
    q.one<{ min: number; max: number }>(sql`SELECT min(id) AS min, max(id) AS max FROM opportunities WHERE tenant_id = ${ctx.tenantId} AND status = 'won'`),
  );
  if (won?.min == null) return { step: 'contracts', rows: 0, ms: 0 };
  const anchor = ctx.anchor;
  const span = won.max - won.min + 1;
  const batch = opts.batch ?? 250_000;
  ctx.touched.add('contracts');
  return timed(ctx, 'contracts', () =>
    withIndexesDeferred(ctx.db, 'contracts', () =>
      load(ctx, 'contracts', skipChecks, span, batch, (from, to) => sql`
        INSERT INTO contracts (tenant_id, code, name, customer_id, opportunity_id, owner_id, department_id, signer_id, signed_on, starts_on, ends_on,
                               currency, amount, amount_company, status, execution, effective_at, created_by, created_at, updated_at)
        SELECT o.tenant_id, 'BHT' || lpad(o.id::text, 9, '0'), o.name || '合同', o.customer_id, o.id, o.owner_id, o.department_id, o.owner_id,
               s.signed_on, s.signed_on, s.signed_on + 365, 'CNY', o.amount, o.amount_company, s.status,
               CASE WHEN s.status <> 'active' THEN 'not_started' WHEN s.signed_on + 365 < ${anchor}::date THEN 'completed' ELSE 'executing' END,
               CASE WHEN s.status = 'active' THEN o.won_at END, o.owner_id, o.won_at - interval '3 days', o.won_at
        FROM opportunities o
        CROSS JOIN LATERAL (SELECT (o.won_at AT TIME ZONE 'Asia/Shanghai')::date AS signed_on,
                                   (ARRAY['active', 'draft', 'pending', 'rejected'])[width_bucket(random(), ARRAY[0, 0.92, 0.95, 0.97]::float8[])] AS status) s
        WHERE o.tenant_id = ${ctx.tenantId} AND o.status = 'won' AND o.id BETWEEN ${won.min + from - 1} AND ${won.min + to - 1}
        ORDER BY o.id`),
    ctx.indexBuilds),
  );
}

/** For each contract in effect 1–3 approved instalments 60 days apart (none after the anchor). */
export async function generateReceivables(ctx: GenContext, opts: SalesOptions = {}): Promise<StepResult> {
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  await ctx.indexBuilds.done();
  const ids = await ctx.db.system((q) =>
    q.one<{ min: number; max: number }>(sql`SELECT min(id) AS min, max(id) AS max FROM contracts WHERE tenant_id = ${ctx.tenantId}`),
  );
  if (ids?.min == null) return { step: 'receivables', rows: 0, ms: 0 };
  const anchor = ctx.anchor;
  ctx.touched.add('receivables');
  return timed(ctx, 'receivables', () =>
    withIndexesDeferred(ctx.db, 'receivables', () =>
      load(ctx, 'receivables', skipChecks, ids.max - ids.min + 1, opts.batch ?? 250_000, (from, to) => sql`
        INSERT INTO receivables (tenant_id, code, contract_id, customer_id, owner_id, amount, amount_company, received_on, method, status, approved_at,
                                 created_by, created_at, updated_at)
        SELECT k.tenant_id, 'BHK' || lpad(k.id::text, 9, '0') || '-' || i, k.id, k.customer_id, k.owner_id,
               round(k.amount / n.parts, 2), round(k.amount / n.parts, 2), k.signed_on + 60 * (i - 1), 'bank_transfer', 'approved',
               (k.signed_on + 60 * (i - 1))::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '10 hours', k.owner_id,
               (k.signed_on + 60 * (i - 1))::timestamp AT TIME ZONE 'Asia/Shanghai', (k.signed_on + 60 * (i - 1))::timestamp AT TIME ZONE 'Asia/Shanghai'
        FROM contracts k
        CROSS JOIN LATERAL (SELECT 1 + floor(random() * 3)::int AS parts) n
        CROSS JOIN LATERAL generate_series(1, n.parts) AS i
        WHERE k.tenant_id = ${ctx.tenantId} AND k.status = 'active' AND k.id BETWEEN ${ids.min + from - 1} AND ${ids.min + to - 1}
          AND k.signed_on + 60 * (i - 1) <= ${anchor}::date
        ORDER BY k.id, i`),
    ctx.indexBuilds),
  );
}

/** The sales layer in order: opportunities → contracts → receivables. */
export async function generateSales(ctx: GenContext, opts: SalesOptions = {}): Promise<StepResult[]> {
  // the joins below pick customers and owners by id: plan them with the loaded sizes, not the empty tables'
  await ctx.indexBuilds.done();
  await ctx.db.system((q) => q.exec('ANALYZE customers, users'));
  return [await generateOpportunities(ctx, opts), await generateContracts(ctx, opts), await generateReceivables(ctx, opts)];
}
