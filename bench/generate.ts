/**
 * Bench data generator: fills ONE tenant of a database with a realistic sales
 * organisation and many customers, with set-based SQL only (INSERT ... SELECT
 * over generate_series / unnest; nothing row by row), on PostgreSQL and PGlite.
 *
 * Composable: every entity is one step `(ctx, options) => Promise<StepResult>`
 * working on a `GenContext`; `generate()` runs the default chain. Later
 * generators (leads, ...) add steps that read what the earlier
 * ones left in the context (user ids, owner weights, customer id range, pool).
 *
 * Text that the app derives in JS (the pinyin search keys) is derived here once
 * per word-list entry with the app's own function and concatenated in SQL the
 * way the names are.
 *
 *   npx tsx bench/generate.ts --backend pg --url postgres://postgres@127.0.0.1:5432/mydb --customers 1000000 [--contacts 3] [--followups 10]
 *   npx tsx bench/generate.ts --backend pglite --dir bench/.data/try/pgdata --customers 20000
 */
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Database, openPglite, openPostgres, type Queryable } from '../src/server/db/database.js';
import { migrate } from '../src/server/db/migrate.js';
import { type Sql, sql } from '../src/server/db/sql.js';
import { type CreatedTenant, createTenant } from '../src/server/modules/tenants/tenants.service.js';
import { hashPassword } from '../src/server/platform/auth/password.js';
import { pinyinKeys } from '../src/server/platform/search/text-match.js';
import { seededRandom } from '../src/server/seed/random.js';
import { type FollowupOptions, generateFollowups } from './generate-followups.js';
import { generateSales, type SalesOptions } from './generate-sales.js';

export const GENERATOR_VERSION = 5;
/** Every generated user (and the tenant's admin) signs in with this password. */
export const BENCH_PASSWORD = 'bench-pass-1';

// ------------------------------------------------------------------ context

export interface GenUser {
  id: number;
  key: string;
  email: string;
  role: string;
  departmentId: number;
}

export interface GenContext {
  db: Database;
  tenantId: number;
  tenantCode: string;
  rootDepartmentId: number;
  adminId: number;
  adminEmail: string;
  roleIds: Record<string, number>;
  /** Deterministic JS-side randomness (the SQL side uses setseed per statement). */
  rand: () => number;
  seed: number;
  /** "Now" of the data set (ISO): every generated time is at or before it, except protection ends. */
  anchor: string;
  /** Filled by the steps. */
  departments: Record<string, number>;
  users: GenUser[];
  /** Who owns customers, with the share of the customers each gets (sums to 1). */
  owners: { id: number; departmentId: number; weight: number }[];
  customerIdRange?: { min: number; max: number; count: number };
  /** The public pool (公海) of the sales regions, and its recycling rules. */
  pool?: { id: number; rules: PoolRulePlan[]; reminderDays: number };
  /** The customers' custom field definitions (generateCustomFields), filled in by generateCustomers. */
  customFields?: { scale: number; budget: number };
  /** Tables a step wrote to (for ANALYZE). */
  touched: Set<string>;
  /** Index builds deferred by the loads, running in the background (analyze() waits for them). */
  indexBuilds: IndexBuilds;
  log: (msg: string) => void;
}

export interface StepResult {
  step: string;
  rows: number;
  ms: number;
}

const now = () => performance.now();

export async function timed(ctx: GenContext, step: string, fn: () => Promise<number>): Promise<StepResult> {
  const t0 = now();
  const rows = await fn();
  const ms = Math.round(now() - t0);
  const rate = rows > 1000 && ms > 0 ? `  ${Math.round((rows * 1000) / ms).toLocaleString('en')} rows/s` : '';
  ctx.log(`  ${step.padEnd(18)} ${String(rows).padStart(10)} rows ${(ms / 1000).toFixed(1).padStart(7)} s${rate}`);
  return { step, rows, ms };
}

/**
 * Runs items 1..count in batches of `batch`, each one statement in its own
 * system transaction (foreign-key triggers off when allowed, SQL random()
 * seeded per batch so a size always gives the same data). The statement
 * returns one row with the rows it made as `n` (and whatever `onBatch` wants).
 */
export async function inBatches(
  ctx: GenContext,
  label: string,
  o: { skipChecks: boolean; count: number; batch: number; salt: number; settings?: string; onBatch?: (row: Record<string, number>) => void },
  statement: (from: number, to: number) => Sql,
): Promise<number> {
  let rows = 0;
  for (let from = 1; from <= o.count; from += o.batch) {
    const to = Math.min(o.count, from + o.batch - 1);
    rows += await ctx.db.system(async (q) => {
      if (o.skipChecks) await q.exec(`SET LOCAL session_replication_role = replica`);
      if (o.settings) await q.exec(o.settings);
      await q.query(sql`SELECT setseed(${sqlSeed(ctx, from + o.salt)})`);
      const r = (await q.one<Record<string, number>>(statement(from, to)))!;
      o.onBatch?.(r);
      return Number(r.n);
    });
    if (o.count > o.batch) ctx.log(`    ${label} ${to.toLocaleString('en')} / ${o.count.toLocaleString('en')}`);
  }
  return rows;
}

/** A SQL-side seed in [-1, 1] derived from the context seed and a salt, for setseed(). */
export function sqlSeed(ctx: GenContext, salt: number): number {
  return (((ctx.seed * 7919 + salt * 104729) % 20000) - 10000) / 10000;
}

// ------------------------------------------------------------------ word lists

export const CITIES = ['北京', '上海', '广州', '深圳', '杭州', '南京', '成都', '武汉', '西安', '苏州', '天津', '重庆', '长沙', '青岛', '厦门', '合肥',
  '宁波', '无锡', '郑州', '济南', '福州', '大连', '沈阳', '昆明', '哈尔滨', '长春', '石家庄', '太原', '南昌', '贵阳', '南宁', '佛山', '东莞', '温州', '珠海', '烟台'];
export const WORDS = ['云帆', '华信', '恒达', '鼎盛', '启明', '新元', '博远', '嘉禾', '瑞丰', '中科', '金石', '天成', '宏图', '海纳', '星辰', '同创', '汇通', '锦程',
  '正泰', '联创', '东方', '远航', '蓝海', '卓越', '君安', '永兴', '昌盛', '腾飞', '明德', '智联', '优品', '安泰', '诚信', '盛世', '万达', '富源', '华宇',
  '立德', '睿思', '晨光', '北辰', '九州', '鸿运', '德润', '和瑞', '众诚', '信达', '光明', '新锐', '百川', '精诚', '创新', '未来', '世纪', '长城', '泰山',
  '青松', '紫金', '银河', '凯盛', '龙腾', '翔宇', '佳禾', '润华', '中天', '金鼎', '华夏', '天宇', '浩然', '思远'];
export const TRADES = ['科技', '软件', '贸易', '电子', '机械', '医药', '物流', '建材', '食品', '教育', '咨询', '传媒', '环保', '新能源', '信息技术', '网络',
  '生物', '化工', '纺织', '服饰', '家居', '农业', '餐饮', '文化', '实业', '投资', '供应链', '智能', '汽车', '电气'];
export const FORMS = ['有限公司', '有限公司', '有限公司', '股份有限公司', '集团有限公司', '有限责任公司', '商贸有限公司'];

/**
 * How often each entry is drawn: the first-tier cities and the ten most used
 * words are common (北京 ~6 % of names, 云帆 ~4 %), the last words rare (~0.3 %).
 */
const CITY_WEIGHTS = CITIES.map((_, i) => (i < 4 ? 3 : i < 12 ? 2 : 1));
const WORD_WEIGHTS = WORDS.map((_, i) => (i < 10 ? 4 : i < 40 ? 1.5 : 0.3));

/** Surnames by frequency (王 李 张 刘 陈 most common); given names of one or two characters. */
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗', '郑', '梁',
  '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '萧', '田', '董', '潘', '袁', '蔡', '蒋', '余'];
const SURNAME_WEIGHTS = SURNAMES.map((_, i) => (i < 5 ? 7 : i < 10 ? 3.5 : i < 20 ? 1.8 : 1));
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英',
  '建华', '志强', '婷', '雪', '浩', '宇', '欣', '晨', '子涵', '思远', '佳怡', '俊杰', '文博', '晓东', '海燕', '红梅', '立新', '国庆'];
const CONTACT_TITLES = ['总经理', '副总经理', '采购经理', '采购专员', '技术总监', '财务经理', '行政主管', '项目经理', '销售总监', '运营经理', '工程师', '董事长'];
const CONTACT_ROLES = ['decision_maker', 'influencer', 'user', 'finance', 'purchasing', 'other'];
/** Mobile number segments (号段); a contact's number is a segment and 8 digits. */
const MOBILE_SEGMENTS = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158',
  '159', '166', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189'];
const MAIL_DOMAINS = ['qq.com', '163.com', '126.com', 'sina.com', 'outlook.com', 'gmail.com', 'foxmail.com', 'aliyun.com'];

/** Pinyin keys of every entry of a word list, computed once with the app's own function. */
function pinyinOf(words: string[]): { full: string[]; initials: string[] } {
  const keys = words.map((w) => pinyinKeys(w));
  return { full: keys.map((k) => k.full ?? ''), initials: keys.map((k) => k.initials ?? '') };
}

/** Lower bounds for width_bucket(random(), bounds): bucket i (1-based) is drawn with weight i. */
export function bucketBounds(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const bounds: number[] = [];
  let cum = 0;
  for (const w of weights) {
    bounds.push(cum / total);
    cum += w;
  }
  return bounds;
}

const REGIONS = ['华北', '华东', '华南', '西南'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

// ------------------------------------------------------------------ steps

/** Step 0: a new company with its root department, default roles and super administrator. */
export async function createBenchTenant(
  db: Database,
  opts: { code?: string; name?: string; seed?: number; log?: (msg: string) => void } = {},
): Promise<GenContext> {
  const code = opts.code ?? 'bench';
  const adminEmail = `admin@${code}.bench.test`;
  const log = opts.log ?? ((m: string) => console.log(m));
  const t0 = now();
  const created: CreatedTenant = await createTenant(db, {
    code,
    name: opts.name ?? '云帆压测科技有限公司',
    admin: { name: '系统管理员', email: adminEmail, mobile: '13900000000', password: BENCH_PASSWORD },
  });
  log(`  ${'tenant'.padEnd(18)} ${String(1).padStart(10)} rows ${((now() - t0) / 1000).toFixed(1).padStart(7)} s`);
  const seed = opts.seed ?? 20261123;
  return {
    db,
    tenantId: created.tenantId,
    tenantCode: code,
    rootDepartmentId: created.rootDepartmentId,
    adminId: created.adminId,
    adminEmail,
    roleIds: created.roleIds,
    rand: seededRandom(seed),
    seed,
    anchor: new Date().toISOString(),
    departments: { root: created.rootDepartmentId },
    users: [{ id: created.adminId, key: 'admin', email: adminEmail, role: 'admin', departmentId: created.rootDepartmentId }],
    owners: [],
    touched: new Set(['tenants', 'departments', 'department_closure', 'users', 'user_closure', 'roles', 'user_roles']),
    indexBuilds: new IndexBuilds(db, log),
    log,
  };
}

interface DeptPlan {
  key: string;
  name: string;
  parent: string;
  kind: 'region' | 'team' | 'support';
}

/** The department plan: 4 sales regions of 5 teams each, plus service (2 groups), marketing and finance: 31 with the root, 3 levels. */
export function departmentPlan(teamsPerRegion = 5): DeptPlan[] {
  const plan: DeptPlan[] = [];
  for (const [r, region] of REGIONS.entries()) {
    plan.push({ key: `r${r}`, name: `${region}销售中心`, parent: 'root', kind: 'region' });
    for (let t = 0; t < teamsPerRegion; t++) {
      plan.push({ key: `r${r}t${t}`, name: `${region}销售${NUMERALS[t] ?? t + 1}部`, parent: `r${r}`, kind: 'team' });
    }
  }
  plan.push({ key: 'service', name: '客户服务部', parent: 'root', kind: 'support' });
  plan.push({ key: 'service1', name: '客服一组', parent: 'service', kind: 'support' });
  plan.push({ key: 'service2', name: '客服二组', parent: 'service', kind: 'support' });
  plan.push({ key: 'marketing', name: '市场部', parent: 'root', kind: 'support' });
  plan.push({ key: 'finance', name: '财务部', parent: 'root', kind: 'support' });
  return plan;
}

/** Step 1: the department tree, inserted one level at a time (parents first). */
export async function generateDepartments(ctx: GenContext, opts: { teamsPerRegion?: number } = {}): Promise<StepResult> {
  const plan = departmentPlan(opts.teamsPerRegion);
  return timed(ctx, 'departments', () =>
    ctx.db.system(async (q) => {
      let pending = plan;
      while (pending.length) {
        const level = pending.filter((d) => ctx.departments[d.parent] !== undefined);
        if (!level.length) throw new Error('department plan has an unknown parent');
        const rows = await q.query<{ id: number; name: string }>(sql`
          INSERT INTO departments (tenant_id, parent_id, name, sort)
          SELECT ${ctx.tenantId}, p.parent_id, p.name, p.sort
          FROM unnest(${level.map((d) => ctx.departments[d.parent])}::bigint[], ${level.map((d) => d.name)}::text[], ${level.map((_, i) => i)}::int[])
            AS p(parent_id, name, sort)
          RETURNING id, name`);
        // names are unique in the plan
        for (const r of rows) ctx.departments[level.find((d) => d.name === r.name)!.key] = r.id;
        pending = pending.filter((d) => ctx.departments[d.key] === undefined);
      }
      return plan.length;
    }),
  );
}

interface UserPlan {
  key: string;
  name: string;
  dept: string;
  superior: string | null;
  role: string;
  position: string;
  level: number;
}

/**
 * The people: a sales VP, 4 region directors, a manager per team, 1-2 team
 * leads per team and reps (some report to a lead, some to the manager), plus
 * service, marketing and finance staff: about `users` in all (default 300).
 * Chain: VP → director → manager → lead → rep (5 levels).
 */
export function userPlan(rand: () => number, depts: DeptPlan[], users = 300): UserPlan[] {
  const plan: UserPlan[] = [];
  const person = () => {
    const given = GIVEN[Math.floor(rand() * GIVEN.length)];
    return SURNAMES[Math.floor(rand() * SURNAMES.length)] + given;
  };
  const teams = depts.filter((d) => d.kind === 'team');
  const regions = depts.filter((d) => d.kind === 'region');
  const support = [
    { dept: 'service1', role: 'service_agent', position: '客服专员', count: 4 },
    { dept: 'service2', role: 'service_agent', position: '客服专员', count: 3 },
    { dept: 'marketing', role: 'marketing', position: '市场专员', count: 3 },
    { dept: 'finance', role: 'finance', position: '财务', count: 2 },
  ];
  const fixed = 1 /* admin */ + 1 + regions.length + teams.length + support.reduce((s, x) => s + x.count, 0);
  // leads + reps per team, varying 0.5x..1.5x around the mean
  const perTeam = Math.max(2, (users - fixed) / teams.length);
  plan.push({ key: 'vp', name: person(), dept: 'root', superior: null, role: 'sales_director', position: '销售副总裁', level: 0 });
  for (const r of regions) plan.push({ key: `d_${r.key}`, name: person(), dept: r.key, superior: 'vp', role: 'sales_director', position: '区域总监', level: 1 });
  let remaining = users - fixed;
  for (const [i, t] of teams.entries()) {
    const region = t.parent;
    const manager = `m_${t.key}`;
    plan.push({ key: manager, name: person(), dept: t.key, superior: `d_${region}`, role: 'sales_manager', position: '销售经理', level: 2 });
    const left = teams.length - i;
    let size = i === teams.length - 1 ? remaining : Math.round(perTeam * (0.5 + rand()));
    size = Math.max(2, Math.min(size, remaining - 2 * (left - 1)));
    remaining -= size;
    const leads = size >= 10 ? 2 : 1;
    for (let l = 0; l < leads; l++) {
      plan.push({ key: `l_${t.key}_${l}`, name: person(), dept: t.key, superior: manager, role: 'sales_rep', position: '销售组长', level: 3 });
    }
    for (let p = 0; p < size - leads; p++) {
      // four in five reps report to a team lead, the others straight to the manager
      const superior = rand() < 0.8 ? `l_${t.key}_${Math.floor(rand() * leads)}` : manager;
      plan.push({ key: `p_${t.key}_${p}`, name: person(), dept: t.key, superior, role: 'sales_rep', position: '销售代表', level: superior === manager ? 3 : 4 });
    }
  }
  for (const s of support) {
    for (let i = 0; i < s.count; i++) plan.push({ key: `s_${s.dept}_${i}`, name: person(), dept: s.dept, superior: null, role: s.role, position: s.position, level: 0 });
  }
  return plan;
}

/**
 * Step 2: users with a direct-superior chain, their roles, and both closure
 * tables. One password hash is computed once and shared.
 */
export async function generateUsers(ctx: GenContext, opts: { users?: number; teamsPerRegion?: number } = {}): Promise<StepResult> {
  const plan = userPlan(ctx.rand, departmentPlan(opts.teamsPerRegion), opts.users);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const domain = `${ctx.tenantCode}.bench.test`;
  const emailOf = (i: number) => `u${String(i + 1).padStart(4, '0')}@${domain}`;
  return timed(ctx, 'users', () =>
    ctx.db.system(async (q) => {
      const maxLevel = Math.max(...plan.map((u) => u.level));
      const byKey = new Map(plan.map((u, i) => [u.key, { ...u, email: emailOf(i), index: i }]));
      for (let level = 0; level <= maxLevel; level++) {
        const rows = [...byKey.values()].filter((u) => u.level === level);
        if (!rows.length) continue;
        await q.query(sql`
          INSERT INTO users (tenant_id, department_id, superior_id, name, mobile, email, gender, position, password_hash, password_changed_at, created_at, updated_at)
          SELECT ${ctx.tenantId}, p.department_id, s.id, p.name, p.mobile, p.email,
                 CASE WHEN p.idx % 2 = 0 THEN 'male' ELSE 'female' END, p.position, ${passwordHash}, now(),
                 now() - make_interval(days => 30 + p.idx % 1000), now() - make_interval(days => p.idx % 30)
          FROM unnest(${rows.map((u) => ctx.departments[u.dept])}::bigint[], ${rows.map((u) => (u.superior ? byKey.get(u.superior)!.email : null))}::text[],
                      ${rows.map((u) => u.name)}::text[], ${rows.map((u) => `139${String(u.index + 1).padStart(8, '0')}`)}::text[],
                      ${rows.map((u) => u.email)}::text[], ${rows.map((u) => u.position)}::text[], ${rows.map((u) => u.index)}::int[])
            AS p(department_id, superior_email, name, mobile, email, position, idx)
          LEFT JOIN users s ON s.tenant_id = ${ctx.tenantId} AND s.email = p.superior_email`);
      }
      const ids = await q.query<{ id: number; email: string; department_id: number }>(
        sql`SELECT id, email, department_id FROM users WHERE tenant_id = ${ctx.tenantId} AND email LIKE ${'%@' + domain}`,
      );
      const idByEmail = new Map(ids.map((r) => [r.email, r]));
      for (const u of byKey.values()) {
        const r = idByEmail.get(u.email)!;
        ctx.users.push({ id: r.id, key: u.key, email: u.email, role: u.role, departmentId: r.department_id });
      }
      await q.query(sql`
        INSERT INTO user_roles (tenant_id, user_id, role_id)
        SELECT ${ctx.tenantId}, u.id, r.id
        FROM unnest(${[...byKey.values()].map((u) => u.email)}::text[], ${[...byKey.values()].map((u) => u.role)}::text[]) AS p(email, role)
        JOIN users u ON u.tenant_id = ${ctx.tenantId} AND u.email = p.email
        JOIN roles r ON r.tenant_id = ${ctx.tenantId} AND r.code = p.role`);
      await fillClosures(q, ctx.tenantId);
      return plan.length;
    }),
  );
}

/**
 * Rebuilds both closure tables of a tenant from departments.parent_id and
 * users.superior_id (every node gets its depth-0 row), with recursive SQL.
 */
export async function fillClosures(q: Queryable, tenantId: number): Promise<void> {
  for (const [closure, table, parent] of [
    ['department_closure', 'departments', 'parent_id'],
    ['user_closure', 'users', 'superior_id'],
  ] as const) {
    await q.query(sql`DELETE FROM ${sql.raw(closure)} WHERE tenant_id = ${tenantId}`);
    await q.query(sql`
      INSERT INTO ${sql.raw(closure)} (tenant_id, ancestor_id, descendant_id, depth)
      WITH RECURSIVE up(ancestor_id, descendant_id, depth) AS (
        SELECT id, id, 0 FROM ${sql.raw(table)} WHERE tenant_id = ${tenantId}
        UNION ALL
        SELECT t.${sql.raw(parent)}, up.descendant_id, up.depth + 1
        FROM up JOIN ${sql.raw(table)} t ON t.tenant_id = ${tenantId} AND t.id = up.ancestor_id
        WHERE t.${sql.raw(parent)} IS NOT NULL)
      SELECT ${tenantId}, ancestor_id, descendant_id, depth FROM up`);
  }
}

/**
 * Customer ownership: reps and leads own most, managers fewer; a log-normal
 * spread (sigma 0.8) gives the usual skew where the top rep holds ~5-8x the
 * median. Fills ctx.owners; weights sum to 1.
 */
export function ownerWeights(ctx: GenContext, opts: { sigma?: number } = {}): GenContext['owners'] {
  const sigma = opts.sigma ?? 0.8;
  const gauss = () => {
    const u = 1 - ctx.rand();
    const v = ctx.rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const owners = ctx.users
    .filter((u) => u.role === 'sales_rep' || u.role === 'sales_manager')
    .map((u) => ({ id: u.id, departmentId: u.departmentId, weight: Math.exp(sigma * gauss()) * (u.role === 'sales_manager' ? 0.4 : 1) }));
  const total = owners.reduce((s, o) => s + o.weight, 0);
  for (const o of owners) o.weight /= total;
  ctx.owners = owners;
  return owners;
}

/**
 * Index builds in the background, on up to two connections of their own on
 * PostgreSQL (one on PGlite, which runs one statement at a time anyway): a
 * table's indexes are rebuilt while the next table loads. The bigram GIN
 * indexes dominate (crm_bigrams() and the GIN build), so they go first.
 */
export class IndexBuilds {
  private queue: { table: string; def: string }[] = [];
  private running = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | undefined;
  private readonly workers: number;
  private readonly started = new Map<string, { t0: number; left: number }>();
  constructor(
    private readonly db: Database,
    private readonly log: (msg: string) => void,
  ) {
    this.workers = db.kind === 'postgres' ? 2 : 1;
  }

  add(table: string, defs: string[]): void {
    if (!defs.length) return;
    const cost = (d: string) => (/USING gin/i.test(d) ? 0 : 1);
    this.queue.push(...[...defs].sort((a, b) => cost(a) - cost(b)).map((def) => ({ table, def })));
    this.started.set(table, { t0: now(), left: defs.length });
    while (this.running < this.workers && this.queue.length) void this.work();
  }

  private async work(): Promise<void> {
    this.running++;
    const memory = this.db.kind === 'pglite' ? '256MB' : '1GB';
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          await this.db.system((q) => q.exec(`SET LOCAL maintenance_work_mem = '${memory}'; ${job!.def}`));
        } catch (err) {
          this.failure ??= err as Error;
        }
        const t = this.started.get(job.table)!;
        if (--t.left === 0) this.log(`  ${(job.table + ' indexes').padEnd(18)} built in the background in ${((now() - t.t0) / 1000).toFixed(1)} s`);
      }
    } finally {
      this.running--;
      if (!this.running) for (const w of this.waiters.splice(0)) w();
    }
  }

  /** Resolves when every queued build is done; throws the first failure. */
  async done(): Promise<void> {
    if (this.running || this.queue.length) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure;
  }
}

/**
 * Drops a table's plain (non-constraint) indexes while `fn` runs and builds them again after: a bulk load is several times faster.
 * With `builds`, the rebuild is queued there and this returns at once (reads may go on; the table's writers wait for it).
 */
export async function withIndexesDeferred<T>(db: Database, table: string, fn: () => Promise<T>, builds?: IndexBuilds): Promise<T> {
  const defs = await db.system((q) =>
    q.query<{ name: string; def: string }>(sql`
      SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
      FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = ${table}::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
      ORDER BY i.relname`),
  );
  await db.system((q) => q.exec(defs.map((d) => `DROP INDEX ${d.name};`).join('\n')));
  const rebuild = builds ?? new IndexBuilds(db, () => {});
  try {
    return await fn();
  } finally {
    rebuild.add(table, defs.map((d) => d.def));
    if (!builds) await rebuild.done();
  }
}

/** Skipping the foreign-key triggers during a load needs a superuser (the bench's postgres, PGlite's owner). */
export async function canSkipChecks(ctx: GenContext, wanted: boolean | undefined): Promise<boolean> {
  if (wanted === false) return false;
  return (await ctx.db.system((q) => q.one<{ su: boolean }>(sql`SELECT rolsuper AS su FROM pg_roles WHERE rolname = current_user`)))?.su === true;
}

export interface PoolRulePlan {
  kind: 'no_followup' | 'no_deal' | 'never_contacted';
  levelCode: string | null;
  days: number;
}

/** The rules of the generated pool (the issue's): no follow-up for 30 days (level A: 60), claimed or assigned and not contacted within 7 days. */
export const POOL_RULES: PoolRulePlan[] = [
  { kind: 'no_followup', levelCode: null, days: 30 },
  { kind: 'no_followup', levelCode: 'a', days: 60 },
  { kind: 'never_contacted', levelCode: null, days: 7 },
];

/**
 * Step 3: one public pool (销售公海) whose members are the sales regions (and so
 * every team below them), administered by the sales VP, with POOL_RULES and a
 * 3-day reminder. Runs before the customers, who may already be in it.
 */
export async function generatePool(ctx: GenContext, opts: { rules?: PoolRulePlan[]; reminderDays?: number } = {}): Promise<StepResult> {
  const rules = opts.rules ?? POOL_RULES;
  const reminderDays = opts.reminderDays ?? 3;
  const regions = Object.entries(ctx.departments).filter(([k]) => /^r\d+$/.test(k)).map(([, id]) => id);
  const vp = ctx.users.find((u) => u.key === 'vp');
  ctx.touched.add('pools').add('pool_members').add('pool_rules');
  return timed(ctx, 'pool', () =>
    ctx.db.system(async (q) => {
      const pool = (await q.one<{ id: number }>(sql`
        INSERT INTO pools (tenant_id, name, max_owned, max_claims_per_day, reclaim_delay_days, reminder_days, protection_limit, protection_days)
        VALUES (${ctx.tenantId}, '销售公海', 5000, 20, 7, ${reminderDays}, 20, 30) RETURNING id`))!.id;
      await q.query(sql`
        INSERT INTO pool_members (tenant_id, pool_id, member_type, member_id, is_admin)
        SELECT ${ctx.tenantId}::bigint, ${pool}::bigint, 'department', unnest(${regions}::bigint[]), false
        UNION ALL SELECT ${ctx.tenantId}::bigint, ${pool}::bigint, 'user', id, true FROM users WHERE tenant_id = ${ctx.tenantId} AND id = ${vp?.id ?? 0}`);
      await q.query(sql`
        INSERT INTO pool_rules (tenant_id, pool_id, kind, level_code, days)
        SELECT ${ctx.tenantId}, ${pool}, r.kind, r.level_code, r.days
        FROM unnest(${rules.map((r) => r.kind)}::text[], ${rules.map((r) => r.levelCode)}::text[], ${rules.map((r) => r.days)}::int[]) AS r(kind, level_code, days)`);
      ctx.pool = { id: pool, rules, reminderDays };
      return 1 + regions.length + (vp ? 1 : 0) + rules.length;
    }),
  );
}

/** A single-choice custom field of customers (客户规模), with how often each choice is drawn. */
export const CUSTOM_SCALE = {
  key: 'cf_scale',
  label: '客户规模',
  options: [
    { value: 'micro', label: '微型(20人以下)' },
    { value: 'small', label: '小型(20-99人)' },
    { value: 'medium', label: '中型(100-499人)' },
    { value: 'large', label: '大型(500-999人)' },
    { value: 'group', label: '集团(1000人以上)' },
  ],
  weights: [30, 35, 20, 10, 5],
};
/** A number custom field of customers: the yearly purchasing budget in 万元. */
export const CUSTOM_BUDGET = { key: 'cf_budget', label: '年采购预算(万元)' };

/**
 * Step 3b: the customers' custom field definitions (CUSTOM_SCALE, CUSTOM_BUDGET);
 * generateCustomers fills their values, generateCustomFieldNumbers the
 * range-searchable copy of the budget. Runs before the customers.
 */
export async function generateCustomFields(ctx: GenContext): Promise<StepResult> {
  ctx.touched.add('custom_fields');
  return timed(ctx, 'custom fields', () =>
    ctx.db.system(async (q) => {
      const rows = await q.query<{ id: number; key: string }>(sql`
        INSERT INTO custom_fields (tenant_id, entity_type, key, label, type, options, sort)
        VALUES (${ctx.tenantId}, 'customer', ${CUSTOM_SCALE.key}, ${CUSTOM_SCALE.label}, 'select', ${JSON.stringify(CUSTOM_SCALE.options)}::jsonb, 1),
               (${ctx.tenantId}, 'customer', ${CUSTOM_BUDGET.key}, ${CUSTOM_BUDGET.label}, 'number', '[]'::jsonb, 2)
        RETURNING id, key`);
      const id = (key: string) => rows.find((r) => r.key === key)!.id;
      ctx.customFields = { scale: id(CUSTOM_SCALE.key), budget: id(CUSTOM_BUDGET.key) };
      return rows.length;
    }),
  );
}

/** Step 4b: custom_field_numbers, the copy of the customers' budgets that range filters read (as the app keeps it on every write). */
export async function generateCustomFieldNumbers(ctx: GenContext): Promise<StepResult> {
  const range = ctx.customerIdRange;
  const fields = ctx.customFields;
  if (!range || !fields) throw new Error('generateCustomFieldNumbers needs the custom fields and customers first');
  ctx.touched.add('custom_field_numbers');
  return timed(ctx, 'custom numbers', () =>
    withIndexesDeferred(ctx.db, 'custom_field_numbers', () =>
      ctx.db.system(async (q) => {
        const r = await q.one<{ n: number }>(sql`
          WITH ins AS (
            INSERT INTO custom_field_numbers (tenant_id, field_id, record_id, value)
            SELECT tenant_id, ${fields.budget}, id, (custom ->> ${CUSTOM_BUDGET.key})::numeric FROM customers
            WHERE tenant_id = ${ctx.tenantId} AND id BETWEEN ${range.min} AND ${range.max} AND custom ? ${CUSTOM_BUDGET.key}
            RETURNING 1)
          SELECT count(*) AS n FROM ins`);
        return r!.n;
      }),
    ctx.indexBuilds),
  );
}

export interface CustomerOptions {
  count?: number;
  /** Rows per INSERT statement (one transaction each). */
  batch?: number;
  /** How far back created_at reaches. */
  years?: number;
  /** Share of soft-deleted customers (in the recycle bin). */
  deletedShare?: number;
  /** Drop and rebuild the customers indexes around the load (default true). */
  deferIndexes?: boolean;
  /**
   * Skip the foreign-key triggers during the load (session_replication_role =
   * replica; only as a superuser, else they run). Default true: the rows are
   * consistent by construction, and the per-row checks make 1M rows ~7x slower
   * on PostgreSQL (81 s instead of 12 s).
   */
  skipForeignKeyChecks?: boolean;
}

/**
 * Step 4: `count` customers (default 1,000,000):
 *
 * - names city + word + trade + form (北京云帆科技有限公司; cities and words
 *   skewed, see CITY_WEIGHTS), with pinyin_full / pinyin_initials concatenated
 *   from each part's pinyin; owners drawn with ctx.owners' weights,
 *   department = owner's; created_at rising with the id over `years`,
 *   updated_at between it and the anchor (a quarter never touched again, the
 *   rest skewed recent); 0.5 % in the recycle bin;
 * - level a 10 % · b 25 % · c 40 % · d 20 % · none 5 %; status new 20 % ·
 *   following 45 % · won 15 % · paused 10 % · lost 10 %; 1 % locked, 2 %
 *   protected for up to 30 more days;
 * - 70 % owned since creation (created or imported), the others since a
 *   transfer, claim or assignment later on (skewed recent);
 * - last follow-up: none for 8 %, within the level's recycling window (30 days,
 *   level A 60) for 72 %, older for 20 % (between creation and a month ago);
 * - the pool rules have been running every night: a customer that a rule made
 *   due before the anchor (no follow-up for the window, or claimed/assigned and
 *   not contacted within 7 days; not locked, protected or deleted) lies in the
 *   pool since then (owner NULL, pool_id, pooled_at), about a fifth of all.
 *   So at anchor + 1 day the rules find what one night would (~2 %).
 */
export async function generateCustomers(ctx: GenContext, opts: CustomerOptions = {}): Promise<StepResult> {
  const count = opts.count ?? 1_000_000;
  const batch = opts.batch ?? 250_000;
  const years = opts.years ?? 3;
  const deletedShare = opts.deletedShare ?? 0.005;
  if (!ctx.owners.length) ownerWeights(ctx);
  const ownerIds = ctx.owners.map((o) => o.id);
  const deptIds = ctx.owners.map((o) => o.departmentId);
  const bounds = bucketBounds(ctx.owners.map((o) => o.weight));
  const spanSecs = Math.round(years * 365.25 * 86400);
  const anchor = ctx.anchor;
  const [city, word, trade, form] = [CITIES, WORDS, TRADES, FORMS].map(pinyinOf);
  // the pool's windows (no pool: nothing was ever recycled)
  const rule = (kind: PoolRulePlan['kind'], level: string | null) => ctx.pool?.rules.find((r) => r.kind === kind && r.levelCode === level)?.days ?? null;
  const windowDays = rule('no_followup', null) ?? 30;
  const windowDaysA = rule('no_followup', 'a') ?? windowDays;
  const neverContactedDays = rule('never_contacted', null);
  const poolId = ctx.pool?.id ?? null;
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  const days = (x: Sql) => sql`make_interval(secs => (${x}) * 86400)`;
  // custom values as the app stores them (absent keys for empty fields): 90 % with a scale, 70 % with a budget of
  // 1–5,000 (万元) spread evenly on a log scale
  const custom = ctx.customFields
    ? sql`jsonb_strip_nulls(jsonb_build_object(
        ${CUSTOM_SCALE.key}::text, CASE WHEN s.rc1 < 0.9 THEN (${CUSTOM_SCALE.options.map((o) => o.value)}::text[])[width_bucket(random(), ${bucketBounds(CUSTOM_SCALE.weights)}::float8[])] END,
        ${CUSTOM_BUDGET.key}::text, CASE WHEN s.rc2 < 0.7 THEN round(power(10, s.rc3 * log(5000)))::int END))`
    : sql`'{}'::jsonb`;
  const load = async () => {
    const first = await ctx.db.system((q) => q.one<{ n: number }>(sql`SELECT coalesce(max(id), 0) AS n FROM customers WHERE tenant_id = ${ctx.tenantId}`));
    const before = first!.n;
    for (let from = 1; from <= count; from += batch) {
      const to = Math.min(count, from + batch - 1);
      await ctx.db.system(async (q) => {
        if (skipChecks) await q.exec(`SET LOCAL session_replication_role = replica`);
        await q.query(sql`SELECT setseed(${sqlSeed(ctx, from)})`);
        await q.query(sql`
          INSERT INTO customers (tenant_id, code, name, pinyin_full, pinyin_initials, level_code, status_code, owner_id, department_id, created_by,
                                 created_at, updated_at, deleted_at, deleted_by, owner_since, acquired_via, last_followup_at, locked, protected_until,
                                 pool_id, pooled_at, custom)
          SELECT ${ctx.tenantId}, 'BK' || lpad(s.g::text, 9, '0'),
                 (${CITIES}::text[])[s.i1] || (${WORDS}::text[])[s.i2] || (${TRADES}::text[])[s.i3] || (${FORMS}::text[])[s.i4],
                 (${city.full}::text[])[s.i1] || (${word.full}::text[])[s.i2] || (${trade.full}::text[])[s.i3] || (${form.full}::text[])[s.i4],
                 (${city.initials}::text[])[s.i1] || (${word.initials}::text[])[s.i2] || (${trade.initials}::text[])[s.i3] || (${form.initials}::text[])[s.i4],
                 s.level_code, s.status_code,
                 CASE WHEN s.pooled_at IS NULL THEN (${ownerIds}::bigint[])[s.b] END, (${deptIds}::bigint[])[s.b], (${ownerIds}::bigint[])[s.b],
                 s.created_at, greatest(s.updated_at, s.pooled_at),
                 CASE WHEN s.deleted THEN s.updated_at + (${anchor}::timestamptz - s.updated_at) * s.r7 END,
                 CASE WHEN s.deleted THEN (${ownerIds}::bigint[])[s.b] END,
                 CASE WHEN s.pooled_at IS NULL THEN s.held_since END, s.via, s.last_followup_at, s.locked, s.protected_until,
                 CASE WHEN s.pooled_at IS NOT NULL THEN ${poolId}::bigint END, s.pooled_at,
                 ${custom}
          FROM (
            SELECT v.*,
                   CASE WHEN ${poolId}::bigint IS NOT NULL AND NOT v.deleted AND NOT v.locked AND v.protected_until IS NULL AND v.due_at <= ${anchor}::timestamptz
                     THEN least(${anchor}::timestamptz, v.due_at + make_interval(secs => v.r9 * 86400)) END AS pooled_at
            FROM (
              SELECT u.*,
                     -- when a rule first made it due: no follow-up (nor new ownership) for the window, or claimed/assigned and not contacted
                     least(greatest(u.held_since, u.last_followup_at) + ${days(sql`CASE WHEN u.level_code = 'a' THEN ${windowDaysA}::int ELSE ${windowDays}::int END`)},
                           CASE WHEN ${neverContactedDays}::int IS NOT NULL AND u.via IN ('claim', 'assign')
                                 AND (u.last_followup_at IS NULL OR u.last_followup_at < u.held_since)
                             THEN u.held_since + ${days(sql`${neverContactedDays}::int`)} END) AS due_at
              FROM (
                SELECT t.*,
                       t.created_at + (${anchor}::timestamptz - t.created_at) * CASE WHEN t.r5 < 0.25 THEN 0 ELSE sqrt(t.r6) END AS updated_at,
                       CASE WHEN t.rv < 0.7 THEN t.created_at ELSE t.created_at + (${anchor}::timestamptz - t.created_at) * sqrt(t.ro) END AS held_since,
                       CASE WHEN t.rv < 0.6 THEN 'create' WHEN t.rv < 0.7 THEN 'import' WHEN t.rv < 0.79 THEN 'transfer' WHEN t.rv < 0.925 THEN 'claim' ELSE 'assign' END AS via,
                       CASE WHEN t.rf < 0.08 THEN NULL
                            WHEN t.rf < 0.8 THEN greatest(t.created_at, ${anchor}::timestamptz
                              - ${days(sql`CASE WHEN t.level_code = 'a' THEN ${windowDaysA}::int ELSE ${windowDays}::int END * t.rf2`)})
                            ELSE t.created_at + (greatest(t.created_at, ${anchor}::timestamptz - interval '30 days') - t.created_at) * t.rf2 END AS last_followup_at,
                       t.r8 < ${deletedShare} AS deleted,
                       t.rl < 0.01 AS locked,
                       CASE WHEN t.rp < 0.02 THEN ${anchor}::timestamptz + ${days(sql`30 * t.rp2`)} END AS protected_until
                FROM (
                  SELECT g, width_bucket(random(), ${bounds}::float8[]) AS b,
                         width_bucket(random(), ${bucketBounds(CITY_WEIGHTS)}::float8[]) AS i1,
                         width_bucket(random(), ${bucketBounds(WORD_WEIGHTS)}::float8[]) AS i2,
                         1 + floor(random() * ${TRADES.length})::int AS i3, 1 + floor(random() * ${FORMS.length})::int AS i4,
                         (ARRAY['a', 'b', 'c', 'd'])[width_bucket(random(), ARRAY[0, 0.10, 0.35, 0.75, 0.95]::float8[])] AS level_code,
                         (ARRAY['new', 'following', 'won', 'paused', 'lost'])[width_bucket(random(), ARRAY[0, 0.20, 0.65, 0.80, 0.90]::float8[])] AS status_code,
                         random() AS r5, random() AS r6, random() AS r7, random() AS r8, random() AS r9, random() AS rv, random() AS ro,
                         random() AS rf, random() AS rf2, random() AS rl, random() AS rp, random() AS rp2,
                         random() AS rc1, random() AS rc2, random() AS rc3,
                         ${anchor}::timestamptz - make_interval(secs => (${count}::float8 - g + random()) * ${spanSecs}::float8 / ${count}::float8) AS created_at
                  FROM generate_series(${from}::int, ${to}::int) AS g
                ) t
              ) u
            ) v
          ) s
          ORDER BY s.g`);
      });
      if (count > batch) ctx.log(`    customers ${to.toLocaleString('en')} / ${count.toLocaleString('en')}`);
    }
    const range = await ctx.db.system((q) =>
      q.one<{ min: number; max: number; n: number }>(sql`SELECT min(id) AS min, max(id) AS max, count(*) AS n FROM customers WHERE tenant_id = ${ctx.tenantId} AND id > ${before}`),
    );
    ctx.customerIdRange = { min: range!.min, max: range!.max, count: range!.n };
    return range!.n;
  };
  ctx.touched.add('customers');
  return timed(ctx, 'customers', () => (opts.deferIndexes === false ? load() : withIndexesDeferred(ctx.db, 'customers', load, ctx.indexBuilds)));
}

/**
 * Step 5: the ownership history the app keeps beside every customer
 * (customer_owners): an open period since owner_since for an owned customer,
 * a period ended by the pool rule for one in the pool (its creator was the owner).
 */
export async function generateCustomerOwners(ctx: GenContext, opts: { skipForeignKeyChecks?: boolean } = {}): Promise<StepResult> {
  const range = ctx.customerIdRange;
  if (!range) throw new Error('generateCustomerOwners needs customers first');
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  ctx.touched.add('customer_owners');
  return timed(ctx, 'customer_owners', () =>
    withIndexesDeferred(ctx.db, 'customer_owners', () =>
      ctx.db.system(async (q) => {
        if (skipChecks) await q.exec(`SET LOCAL session_replication_role = replica`);
        const rows = await q.one<{ n: number }>(sql`
          WITH ins AS (
            INSERT INTO customer_owners (tenant_id, customer_id, user_id, started_at, acquired_via, ended_at, ended_by)
            SELECT c.tenant_id, c.id, coalesce(c.owner_id, c.created_by), coalesce(c.owner_since, c.created_at), c.acquired_via,
                   c.pooled_at, CASE WHEN c.pooled_at IS NOT NULL THEN 'recycle:no_followup' END
            FROM customers c
            WHERE c.tenant_id = ${ctx.tenantId} AND c.id BETWEEN ${range.min} AND ${range.max} AND (c.owner_id IS NOT NULL OR c.pooled_at IS NOT NULL)
            ORDER BY c.id
            RETURNING 1)
          SELECT count(*) AS n FROM ins`);
        return rows!.n;
      }),
    ctx.indexBuilds),
  );
}

export interface ContactOptions {
  /** Contacts per customer on average (default 3; 1..6 each, most 2-3). */
  perCustomer?: number;
  /** Customers per INSERT statement. */
  batch?: number;
  /** Also open each contact's link to its customer (contact_links), as the app does on create (default true). */
  links?: boolean;
  skipForeignKeyChecks?: boolean;
}

/**
 * Step 6: contacts, set-based over the customers: 1..6 per customer (3 on
 * average), the first primary; Chinese person names (surname by frequency +
 * given name) with their pinyin keys; unique mobiles (a segment 13x/15x/18x
 * and 8 scrambled digits, so a 7-digit prefix matches ~10 of 3M), 35 % with an
 * e-mail, 15 % with a landline, 1 % deleted; created between the customer's
 * creation and the anchor (mostly early). Then contact_links, one open link each.
 */
export async function generateContacts(ctx: GenContext, opts: ContactOptions = {}): Promise<StepResult[]> {
  const range = ctx.customerIdRange;
  if (!range) throw new Error('generateContacts needs customers first');
  const perCustomer = opts.perCustomer ?? 3;
  const batch = opts.batch ?? 200_000;
  // how many contacts a customer has: 1..6, shaped around `perCustomer` (3.06 with the default)
  const shape = [0.15, 0.25, 0.25, 0.17, 0.1, 0.08];
  const mean = shape.reduce((a, p, i) => a + p * (i + 1), 0);
  const counts = shape.map((_, i) => Math.max(1, Math.round(((i + 1) * perCustomer) / mean)));
  const countBounds = bucketBounds(shape);
  const slots = Math.max(...counts) + 1; // per customer, for unique numbers
  const surname = pinyinOf(SURNAMES);
  const given = pinyinOf(GIVEN);
  const anchor = ctx.anchor;
  const skipChecks = await canSkipChecks(ctx, opts.skipForeignKeyChecks);
  ctx.touched.add('contacts');
  const steps: StepResult[] = [];
  steps.push(
    await timed(ctx, 'contacts', () =>
      withIndexesDeferred(ctx.db, 'contacts', async () => {
        let total = 0;
        for (let from = range.min; from <= range.max; from += batch) {
          const to = Math.min(range.max, from + batch - 1);
          total += await ctx.db.system(async (q) => {
            if (skipChecks) await q.exec(`SET LOCAL session_replication_role = replica`);
            await q.query(sql`SELECT setseed(${sqlSeed(ctx, 500 + from / batch)})`);
            const r = await q.one<{ n: number }>(sql`
              WITH ins AS (
                INSERT INTO contacts (tenant_id, code, customer_id, name, pinyin_full, pinyin_initials, title, role_code, is_primary, lifecycle, gender,
                                      mobile, phone, email, created_by, created_at, updated_at, deleted_at, deleted_by)
                SELECT ${ctx.tenantId}, 'LX' || lpad(x.u::text, 10, '0'), x.customer_id,
                       (${SURNAMES}::text[])[x.si] || (${GIVEN}::text[])[x.gi],
                       (${surname.full}::text[])[x.si] || (${given.full}::text[])[x.gi],
                       (${surname.initials}::text[])[x.si] || (${given.initials}::text[])[x.gi],
                       (${CONTACT_TITLES}::text[])[1 + floor(x.r1 * ${CONTACT_TITLES.length})::int],
                       (${CONTACT_ROLES}::text[])[1 + floor(x.r2 * ${CONTACT_ROLES.length})::int],
                       x.i = 1 AND NOT x.deleted,
                       (ARRAY['active', 'new', 'inactive', 'invalid'])[width_bucket(x.r3, ARRAY[0, 0.7, 0.85, 0.95]::float8[])],
                       CASE WHEN x.r4 < 0.55 THEN 'male' WHEN x.r4 < 0.95 THEN 'female' END,
                       CASE WHEN x.r5 >= 0.05 THEN (${MOBILE_SEGMENTS}::text[])[1 + (x.u % ${MOBILE_SEGMENTS.length})::int]
                         || lpad(((x.u / ${MOBILE_SEGMENTS.length}) * 48271 % 100000000)::text, 8, '0') END,
                       CASE WHEN x.r6 < 0.15 THEN '0' || (ARRAY['10', '21', '20', '755', '571', '25', '28', '27'])[1 + (x.u % 8)::int] || '-'
                         || lpad(((x.u * 7919) % 100000000)::text, 8, '0') END,
                       CASE WHEN x.r7 < 0.35 THEN (${surname.full}::text[])[x.si] || (${given.full}::text[])[x.gi] || (x.u % 997)::text
                         || '@' || (${MAIL_DOMAINS}::text[])[1 + floor(x.r8 * ${MAIL_DOMAINS.length})::int] END,
                       x.owner, x.created_at, x.updated_at,
                       CASE WHEN x.deleted THEN x.updated_at END, CASE WHEN x.deleted THEN x.owner END
                FROM (
                  SELECT w.*, w.created_at + (${anchor}::timestamptz - w.created_at) * w.r9 AS updated_at
                  FROM (
                    SELECT c.customer_id, c.owner, k.i, (c.customer_id - ${range.min}::bigint) * ${slots} + k.i AS u,
                           width_bucket(random(), ${bucketBounds(SURNAME_WEIGHTS)}::float8[]) AS si, 1 + floor(random() * ${GIVEN.length})::int AS gi,
                           c.created_at + (${anchor}::timestamptz - c.created_at) * power(random(), 3) AS created_at,
                           random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8,
                           random() AS r9, random() < 0.01 AS deleted
                    FROM (
                      SELECT c.id AS customer_id, coalesce(c.owner_id, c.created_by) AS owner, c.created_at,
                             (${counts}::int[])[width_bucket(random(), ${countBounds}::float8[])] AS n
                      FROM customers c WHERE c.tenant_id = ${ctx.tenantId} AND c.id BETWEEN ${from} AND ${to}
                    ) c CROSS JOIN LATERAL generate_series(1, c.n) AS k(i)
                  ) w
                ) x
                RETURNING 1)
              SELECT count(*) AS n FROM ins`);
            return r!.n;
          });
          if (range.max - range.min >= batch) ctx.log(`    contacts of customers ${(to - range.min + 1).toLocaleString('en')} / ${range.count.toLocaleString('en')}`);
        }
        return total;
      }, ctx.indexBuilds),
    ),
  );
  if (opts.links ?? true) {
    ctx.touched.add('contact_links');
    steps.push(
      await timed(ctx, 'contact_links', () =>
        withIndexesDeferred(ctx.db, 'contact_links', () =>
          ctx.db.system(async (q) => {
            if (skipChecks) await q.exec(`SET LOCAL session_replication_role = replica`);
            const r = await q.one<{ n: number }>(sql`
              WITH ins AS (
                INSERT INTO contact_links (tenant_id, contact_id, customer_id, title, started_at)
                SELECT tenant_id, id, customer_id, title, created_at FROM contacts
                WHERE tenant_id = ${ctx.tenantId} AND customer_id BETWEEN ${range.min} AND ${range.max}
                ORDER BY id
                RETURNING 1)
              SELECT count(*) AS n FROM ins`);
            return r!.n;
          }),
        ctx.indexBuilds),
      ),
    );
  }
  return steps;
}

/**
 * Step 7: team members and shares (record_access) on random customers for
 * random sales staff, never the owner; default one per 500 customers (at
 * least 50), so most users have a handful of shared records.
 */
export async function generateRecordAccess(ctx: GenContext, opts: { count?: number } = {}): Promise<StepResult> {
  const range = ctx.customerIdRange;
  if (!range) throw new Error('generateRecordAccess needs customers first');
  const count = opts.count ?? Math.max(50, Math.round(range.count / 500));
  const userIds = ctx.users.filter((u) => u.role.startsWith('sales_')).map((u) => u.id);
  ctx.touched.add('record_access');
  return timed(ctx, 'record_access', () =>
    ctx.db.system(async (q) => {
      await q.query(sql`SELECT setseed(${sqlSeed(ctx, 77)})`);
      const rows = await q.query(sql`
        INSERT INTO record_access (tenant_id, entity_type, record_id, user_id, kind, access, granted_by, created_at)
        SELECT ${ctx.tenantId}, 'customer', c.id, s.user_id, s.kind, s.access, c.owner_id, c.created_at + (now() - c.created_at) * s.r
        FROM (
          SELECT ${range.min}::bigint + floor(random() * ${range.max - range.min + 1})::bigint AS customer_id,
                 (${userIds}::bigint[])[1 + floor(random() * ${userIds.length})::int] AS user_id,
                 CASE WHEN random() < 0.6 THEN 'team' ELSE 'share' END AS kind,
                 CASE WHEN random() < 0.3 THEN 'write' ELSE 'read' END AS access,
                 random() AS r
          FROM generate_series(1, ${count}::int)
        ) s
        JOIN customers c ON c.tenant_id = ${ctx.tenantId} AND c.id = s.customer_id AND c.deleted_at IS NULL
        WHERE c.owner_id IS DISTINCT FROM s.user_id
        ON CONFLICT DO NOTHING
        RETURNING 1`);
      return rows.length;
    }),
  );
}

/** The dashboard's monthly totals (migration 0023), which loads that skip triggers leave unfilled. */
export async function rebuildMonthTotals(ctx: GenContext): Promise<StepResult> {
  ctx.touched.add('sales_month_totals');
  return timed(ctx, 'month totals', async () => {
    await ctx.indexBuilds.done();
    return ctx.db.system(async (q) => {
      await q.query(sql`SELECT crm_rebuild_sales_month_totals(${ctx.tenantId}::bigint)`);
      return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM sales_month_totals WHERE tenant_id = ${ctx.tenantId}`))!.n;
    });
  });
}

/** Last step: VACUUM ANALYZE what the steps wrote (outside a transaction), so plans and index-only scans are as in production. */
export async function analyze(ctx: GenContext): Promise<StepResult[]> {
  const wait = await timed(ctx, 'indexes (wait)', async () => {
    await ctx.indexBuilds.done();
    return 0;
  });
  return [wait, await timed(ctx, 'vacuum analyze', async () => {
    for (const t of ctx.touched) await ctx.db.jobSql.executeSql(`VACUUM ANALYZE ${t}`);
    return ctx.touched.size;
  })];
}

// ------------------------------------------------------------------ the default chain

export interface GenerateOptions {
  code?: string;
  customers?: number;
  users?: number;
  seed?: number;
  customerOptions?: Omit<CustomerOptions, 'count'>;
  recordAccess?: number;
  /** Contacts per customer on average (default 3; 0: none). */
  contactsPerCustomer?: number;
  contactOptions?: Omit<ContactOptions, 'perCustomer'>;
  /** The sales layer (generate-sales.ts); false: none. */
  sales?: SalesOptions | false;
  /** Follow-ups per customer on average (generate-followups.ts; default 10; 0: none). */
  followupsPerCustomer?: number;
  followupOptions?: Omit<FollowupOptions, 'perCustomer'>;
  log?: (msg: string) => void;
}

export interface GenerateResult {
  ctx: GenContext;
  steps: StepResult[];
  totalMs: number;
}

/**
 * Tenant → departments → users (roles, closures) → pool → custom fields → customers (their custom numbers) → ownership
 * history → record access → contacts and their links → opportunities, contracts, receivables → follow-ups (and the customers'
 * follow-up dates) → monthly totals → VACUUM ANALYZE.
 */
export async function generate(db: Database, opts: GenerateOptions = {}): Promise<GenerateResult> {
  const t0 = now();
  const ctx = await createBenchTenant(db, { code: opts.code, seed: opts.seed, log: opts.log });
  const steps: StepResult[] = [];
  const skipForeignKeyChecks = opts.customerOptions?.skipForeignKeyChecks;
  steps.push(await generateDepartments(ctx));
  steps.push(await generateUsers(ctx, { users: opts.users }));
  ownerWeights(ctx);
  steps.push(await generatePool(ctx));
  steps.push(await generateCustomFields(ctx));
  steps.push(await generateCustomers(ctx, { count: opts.customers, ...opts.customerOptions }));
  steps.push(await generateCustomFieldNumbers(ctx));
  steps.push(await generateCustomerOwners(ctx, { skipForeignKeyChecks }));
  steps.push(await generateRecordAccess(ctx, { count: opts.recordAccess }));
  if ((opts.contactsPerCustomer ?? 3) > 0) {
    steps.push(...(await generateContacts(ctx, { perCustomer: opts.contactsPerCustomer, skipForeignKeyChecks, ...opts.contactOptions })));
  }
  if (opts.sales !== false) steps.push(...(await generateSales(ctx, { skipForeignKeyChecks, ...opts.sales })));
  if ((opts.followupsPerCustomer ?? 10) > 0) {
    steps.push(await generateFollowups(ctx, { perCustomer: opts.followupsPerCustomer, skipForeignKeyChecks, ...opts.followupOptions }));
  }
  steps.push(await rebuildMonthTotals(ctx));
  steps.push(...(await analyze(ctx)));
  return { ctx, steps, totalMs: Math.round(now() - t0) };
}

// ------------------------------------------------------------------ command line

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'pglite' },
      url: { type: 'string' },
      dir: { type: 'string' },
      customers: { type: 'string', default: '1000000' },
      contacts: { type: 'string', default: '3' },
      followups: { type: 'string', default: '10' },
      users: { type: 'string', default: '300' },
      code: { type: 'string', default: 'bench' },
      'fk-checks': { type: 'boolean', default: false },
    },
  });
  const db =
    values.backend === 'pg'
      ? openPostgres(values.url ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/crm_bench', { max: 2 })
      : await openPglite(mkdirp(values.dir ?? 'bench/.data/generate/pgdata'));
  await migrate(db);
  console.log(`generating into ${values.backend}: ${Number(values.customers).toLocaleString('en')} customers`);
  const r = await generate(db, {
    code: values.code,
    customers: Number(values.customers),
    users: Number(values.users),
    contactsPerCustomer: Number(values.contacts),
    followupsPerCustomer: Number(values.followups),
    customerOptions: { skipForeignKeyChecks: !values['fk-checks'] },
  });
  console.log(`done in ${(r.totalMs / 1000).toFixed(1)} s (tenant ${r.ctx.tenantId})`);
  await db.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
