/**
 * Bench data generator, follow-ups (跟进记录) over the customers and contacts
 * that `generate.ts` made, set-based (INSERT ... SELECT over generate_series),
 * in the same composable-step style.
 *
 * They agree with what the customers already say: a customer's latest
 * follow-up is exactly its generated last_followup_at (which the pool state
 * was derived from), one never followed up (8 %) has none. The customers'
 * next_followup_at then comes from the planned next contacts, and both dates
 * are written back by the same statement, as the app does on every follow-up
 * (followups.repo refreshCustomerFollowupDates).
 */
import { sql } from '../src/server/db/sql.js';
import { bucketBounds, canSkipChecks, type GenContext, inBatches, type StepResult, timed, withIndexesDeferred } from './generate.js';

/** The follow-up types of the default dictionary (followup_type), as often as a sales team uses them. */
const TYPES = ['phone', 'wechat', 'visit', 'email', 'sms'];
const TYPE_WEIGHTS = [40, 30, 12, 10, 8];
/** How each type's note starts: OPENERS_PER_TYPE for each of TYPES, in that order. */
const OPENERS = [
  '电话沟通', '电话回访', '致电客户', '电话跟进',
  '微信沟通', '微信跟进', '微信发送资料', '微信语音沟通',
  '上门拜访', '现场拜访', '陪同经理拜访', '到客户公司交流',
  '发送邮件', '邮件跟进', '邮件发送方案', '回复客户邮件',
  '短信提醒', '短信问候', '发送短信通知', '短信确认时间',
];
const OPENERS_PER_TYPE = 4;
const TOPICS = ['产品报价', '合同条款', '实施方案', '续约事宜', '付款进度', '技术对接', '试用反馈', '年度采购计划', '售后问题', '新品推荐',
  '价格调整', '交付时间', '培训安排', '招标要求', '样品寄送', '项目预算', '发票事宜', '竞品对比'];
const OUTCOMES = ['客户有意向，约定下周再谈', '客户需内部讨论后答复', '对价格有异议，需申请折扣', '已发送资料，等待反馈', '决策人出差，回来后再联系',
  '客户认可方案，准备走采购流程', '暂无需求，保持联系', '客户要求提供同行案例', '约定下次上门演示', '需求已确认，准备报价', '客户在比较竞品，仍在考虑',
  '问题已解决，客户满意', '预算未批，明年再议', '客户表示近期会下单', '未接通，稍后再联系', '客户对交付周期有顾虑'];
const NEXT_STEPS = ['下周三前发送报价单', '安排技术人员对接', '月底前回访', '准备合同草稿', '邀请参加产品发布会', '申请特价审批', '寄送样品', '整理需求清单'];

export interface FollowupOptions {
  /** Follow-ups per customer on average, over all customers (default 10); spread log-normally (median ~6, top 1 % over 60). */
  perCustomer?: number;
  /** Customers per statement (default 25,000: ~240,000 follow-ups, 3–10 s on PostgreSQL on a busy 2-core box). */
  batch?: number;
  /** How far back they reach (default 2 years; a customer last followed up before that has them between its creation and that). */
  years?: number;
  skipForeignKeyChecks?: boolean;
}

const SIGMA = 1;
const CAP = 400;

/** The log-normal location whose rounded, clamped (1..cap) draws average `mean`, by bisection over a numeric integral. */
export function lognormalMu(mean: number, sigma = SIGMA, cap = CAP): number {
  const expected = (mu: number) => {
    let sum = 0;
    let weight = 0;
    for (let z = -8; z <= 8; z += 0.001) {
      const w = Math.exp(-z * z / 2);
      sum += w * Math.min(cap, Math.max(1, Math.round(Math.exp(mu + sigma * z))));
      weight += w;
    }
    return sum / weight;
  };
  let lo = -5;
  let hi = Math.log(cap);
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < mean) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Follow-ups of every customer followed up at least once (last_followup_at set):
 *
 * - how many: log-normal (sigma 1) around `perCustomer` over all customers, at
 *   most one a day since its creation (a customer of last week has few);
 * - when: the latest exactly at last_followup_at, the others between
 *   max(creation, anchor − `years`) and it, in office hours (9–18 in Shanghai),
 *   weekend days mostly moved into the week before;
 * - type phone 40 % · wechat 30 % · visit 12 % · email 10 % · sms 8 %; content
 *   from word lists (opener by type, the contact's name when there is one,
 *   topic, outcome, sometimes a next step);
 * - on a contact: where the customer has live contacts, 20 % are the contact's
 *   own follow-ups (entity contact) and 30 % the customer's naming a contact
 *   (the primary half the time), customer_id set on both as the app does;
 * - author: the customer's owner (a pool customer's: its last owner) 85 %, the
 *   owner's superior 10 % (a joint visit), another salesperson 5 %;
 * - a next contact planned 1–14 days ahead on 25 % of the earlier ones (all
 *   done) and 35 % of the latest (done by the anchor 60 % of the time when it
 *   is past), so customers' next_followup_at are set for ~15 % and partly overdue;
 * - 0.5 % of the earlier ones deleted (never the latest).
 *
 * Inserted in creation order within each batch. The statement triggers that keep
 * sales_month_totals are skipped with the foreign-key checks: rebuildMonthTotals
 * (later in the chain) counts them.
 */
export async function generateFollowups(ctx: GenContext, opts: FollowupOptions = {}): Promise<StepResult> {
  const range = ctx.customerIdRange;
  if (!range) throw new Error('generateFollowups needs customers first');
  const perCustomer = opts.perCustomer ?? 10;
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  const { withLast } = (await ctx.db.system(async (q) => {
    // the per-batch contact lookups want the contacts' real size
    await q.exec('ANALYZE contacts');
    return q.one<{ withLast: number }>(sql`SELECT count(*)::int AS "withLast" FROM customers
      WHERE tenant_id = ${ctx.tenantId} AND id BETWEEN ${range.min} AND ${range.max} AND last_followup_at IS NOT NULL`);
  }))!;
  // the average over all customers is `perCustomer`: those followed up carry it
  const mu = lognormalMu(withLast ? (perCustomer * range.count) / withLast : 1);
  const anchor = ctx.anchor;
  const since = new Date(Date.parse(anchor) - (opts.years ?? 2) * 365.25 * 86_400_000).toISOString();
  const sales = ctx.users.filter((u) => u.role.startsWith('sales_')).map((u) => u.id);
  const stats = { updated: 0, moved: 0 };
  ctx.touched.add('followups').add('customers');
  const day = sql`interval '1 day'`;
  const result = await timed(ctx, 'followups', () =>
    withIndexesDeferred(ctx.db, 'followups', () =>
      inBatches(ctx, 'followups of customers', {
        skipChecks, count: range.max - range.min + 1, batch: opts.batch ?? 25_000, salt: 1000,
        // the batch is sorted by time before the insert: keep that in memory
        settings: `SET LOCAL work_mem = '${ctx.db.kind === 'pglite' ? '64MB' : '256MB'}'`,
        onBatch: (r) => {
          stats.updated += Number(r.updated);
          stats.moved += Number(r.moved);
        },
      }, (from, to) => sql`
        WITH k AS MATERIALIZED (
          SELECT customer_id, array_agg(id ORDER BY is_primary DESC, id) AS ids, array_agg(name ORDER BY is_primary DESC, id) AS names
          FROM contacts WHERE tenant_id = ${ctx.tenantId} AND customer_id BETWEEN ${range.min + from - 1} AND ${range.min + to - 1} AND deleted_at IS NULL
          GROUP BY customer_id
        ), c AS MATERIALIZED (
          SELECT c.id, c.last_followup_at AS last, u.id AS owner, coalesce(u.superior_id, u.id) AS boss, k.ids, k.names,
                 CASE WHEN c.last_followup_at >= ${since}::timestamptz THEN greatest(c.created_at, ${since}::timestamptz) ELSE c.created_at END AS lo,
                 least(${CAP}::int, greatest(1, round(exp(${mu}::float8 + ${SIGMA}::float8 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))),
                       1 + floor(extract(epoch FROM c.last_followup_at - c.created_at) / 86400))::int AS n
          FROM customers c
          JOIN users u ON u.tenant_id = c.tenant_id AND u.id = coalesce(c.owner_id, c.created_by)
          LEFT JOIN k ON k.customer_id = c.id
          WHERE c.tenant_id = ${ctx.tenantId} AND c.id BETWEEN ${range.min + from - 1} AND ${range.min + to - 1} AND c.last_followup_at IS NOT NULL
        ), t AS (
          -- the draws in a lateral subquery, made once per follow-up: t has no volatile function of its own, so it (and what
          -- reads it) is planned inline instead of materialized with the contacts' arrays on every row
          SELECT c.id, c.owner, c.boss, c.lo, c.last, c.ids, c.names, g.*, g.i = c.n AS latest,
                 date_trunc('day', (c.lo + (c.last - c.lo) * g.rday) AT TIME ZONE 'Asia/Shanghai') AS d,
                 CASE WHEN c.ids IS NOT NULL AND g.re < 0.5 THEN CASE WHEN g.rk < 0.5 THEN 1 ELSE 1 + floor(g.rk2 * cardinality(c.ids))::int END END AS ki
          FROM c CROSS JOIN LATERAL (
            SELECT i, random() AS rday, width_bucket(random(), ${bucketBounds(TYPE_WEIGHTS)}::float8[]) AS ti,
                   random() AS rw, random() AS rh, random() AS re, random() AS rk, random() AS rk2, random() AS ra, random() AS rn, random() AS rn2,
                   random() AS rd, random() AS rdel, random() AS ro, random() AS rs, random() AS rx, random() AS rp, random() AS rt
            FROM generate_series(1, c.n) AS i) g
        ), f AS (
          SELECT t.*,
                 -- the latest at last_followup_at; the others on a day of the window (a weekend day mostly moved to one of the five
                 -- days before it) at 9-18 o'clock in Shanghai
                 CASE WHEN t.latest THEN t.last ELSE least(t.last, greatest(t.lo,
                   ((t.d - CASE WHEN t.rw < 0.85 AND extract(isodow FROM t.d) > 5
                      THEN (extract(isodow FROM t.d) - 5 + floor(t.rw / 0.85 * 5)) * ${day} ELSE interval '0' END)
                     + interval '9 hours' + t.rh * interval '9 hours') AT TIME ZONE 'Asia/Shanghai')) END AS at
          FROM t
        ), x AS (
          SELECT f.*, f.ids[f.ki] AS contact_id, f.names[f.ki] AS contact_name,
                 CASE WHEN f.rn < CASE WHEN f.latest THEN 0.35 ELSE 0.25 END THEN f.at + (1 + floor(f.rn2 * 14)) * ${day} END AS next_at
          FROM f
        ), ins AS (
          INSERT INTO followups (tenant_id, entity_type, entity_id, customer_id, contact_id, type_code, content, next_contact_at, next_contact_done,
                                 created_by, created_at, deleted_at)
          SELECT ${ctx.tenantId}, CASE WHEN x.contact_id IS NOT NULL AND x.re < 0.2 THEN 'contact' ELSE 'customer' END,
                 CASE WHEN x.contact_id IS NOT NULL AND x.re < 0.2 THEN x.contact_id ELSE x.id END, x.id, x.contact_id,
                 (${TYPES}::text[])[x.ti],
                 (${OPENERS}::text[])[(x.ti - 1) * ${OPENERS_PER_TYPE} + 1 + floor(x.rx * ${OPENERS_PER_TYPE})::int]
                   || coalesce('（' || x.contact_name || '）', '') || '，'
                   || (${TOPICS}::text[])[1 + floor(x.rt * ${TOPICS.length})::int] || '：'
                   || (${OUTCOMES}::text[])[1 + floor(x.ro * ${OUTCOMES.length})::int] || '。'
                   || CASE WHEN x.rs < 0.4 THEN (${NEXT_STEPS}::text[])[1 + floor(x.rs / 0.4 * ${NEXT_STEPS.length})::int] || '。' ELSE '' END,
                 x.next_at,
                 x.next_at IS NOT NULL AND (NOT x.latest OR (x.next_at < ${anchor}::timestamptz AND x.rd < 0.6)),
                 CASE WHEN x.ra < 0.85 THEN x.owner WHEN x.ra < 0.95 THEN x.boss ELSE (${sales}::bigint[])[1 + floor(x.rp * ${sales.length})::int] END,
                 x.at,
                 CASE WHEN NOT x.latest AND x.rdel < 0.005 THEN x.at + (${anchor}::timestamptz - x.at) * x.rd END
          FROM x
          ORDER BY x.at
          RETURNING customer_id, created_at, next_contact_at, next_contact_done, deleted_at
        ), a AS (
          SELECT customer_id, max(created_at) FILTER (WHERE deleted_at IS NULL) AS last,
                 min(next_contact_at) FILTER (WHERE deleted_at IS NULL AND NOT next_contact_done) AS next
          FROM ins GROUP BY customer_id
        ), upd AS (
          -- as refreshCustomerFollowupDates does; last_followup_at stays as generated (moved counts any that would not)
          UPDATE customers c SET last_followup_at = a.last, next_followup_at = a.next
          FROM a WHERE c.tenant_id = ${ctx.tenantId} AND c.id = a.customer_id
            AND (c.last_followup_at IS DISTINCT FROM a.last OR c.next_followup_at IS DISTINCT FROM a.next)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM ins)::int AS n, (SELECT count(*) FROM upd)::int AS updated,
               (SELECT count(*) FROM a JOIN customers c ON c.tenant_id = ${ctx.tenantId} AND c.id = a.customer_id
                 WHERE c.last_followup_at IS DISTINCT FROM a.last)::int AS moved`),
    ctx.indexBuilds),
  );
  ctx.log(`    ${(result.rows / range.count).toFixed(2)} per customer; next_followup_at set on ${stats.updated.toLocaleString('en')} customers` +
    (stats.moved ? `; ! last_followup_at moved on ${stats.moved}` : ''));
  return result;
}
