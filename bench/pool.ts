/**
 * Benchmark "pool": one run of the public pool's nightly rules over the whole
 * data set — the set-based statements runPoolRules() sends for a company
 * (recycleDue: the bounds, the due ids, a statement per batch of them; then
 * remindDue), in one tenant transaction as the job runs them,
 * rolled back afterwards so the data set stays reusable.
 *
 * The generator leaves the data as if the rules had run every night up to the
 * data set's anchor (its "today"): at anchor + 1 day they find one night's
 * share; at anchor + 7 days a week's (the job did not run for a week, or a
 * stricter rule was just switched on).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database, Queryable } from '../src/server/db/database.js';
import { type Sql, sql } from '../src/server/db/sql.js';
import * as rules from '../src/server/modules/pool/pool-rules.repo.js';
import { type Backend, backendFacts, prepareDataset, type ResultHead, resultHead } from './lib/datasets.js';
import { RESULTS_DIR } from './list.js';
import { fmt, table } from './lib/stats.js';

export interface PoolOptions {
  size: number;
  /** Days after the data set's anchor at which the rules run, one case each (default 1 and 7). */
  days: number[];
  /** Runs per case (each rolled back). */
  runs: number;
  /** Also EXPLAIN (ANALYZE, BUFFERS) every statement (one more rolled-back run per case). */
  plans: boolean;
  fresh: boolean;
  log: (m: string) => void;
}

export interface PoolRun {
  recycled: number;
  reminded: number;
  recycleMs: number;
  remindMs: number;
  totalMs: number;
  /** The statement failed (e.g. the 30 s statement timeout of a tenant transaction on PostgreSQL). */
  error?: string;
  /** Run without the statement timeout (after a run that hit it): how long the job would need. */
  untimed?: boolean;
}

export interface PoolCase {
  days: number;
  now: string;
  /** Live customers with an owner before the run (what the rules look at). */
  owned: number;
  runs: PoolRun[];
}

export interface PoolResult extends ResultHead {
  benchmark: 'pool';
  pool: { rules: { kind: string; level_code: string | null; days: number }[]; reminderDays: number | null; inPool: number; customers: number };
  cases: PoolCase[];
  plans: Record<string, string>;
  /** The worst run (s), goal ≤ 30 on PostgreSQL at 1,000,000 customers. */
  worstS: number | null;
}

class Rollback extends Error {}

/** Runs `fn` in a tenant transaction, as the job does, and rolls it back. */
async function rolledBack<T>(db: Database, tenantId: number, fn: (q: Parameters<Parameters<Database['tenant']>[1]>[0]) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await db.tenant({ tenantId }, async (q) => {
      out = await fn(q);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return out as T;
}

/**
 * `q` that first EXPLAINs (ANALYZE, BUFFERS) each statement into `texts`, in a
 * savepoint rolled back, then runs it: the job's statements depend on what the
 * ones before returned (the bounds, the due ids of the batches).
 */
function explaining(q: Queryable, texts: string[]): Queryable {
  const explain = async (s: Sql) => {
    await q.exec('SAVEPOINT explain');
    texts.push((await q.query<Record<string, string>>(sql`EXPLAIN (ANALYZE, BUFFERS) ${s}`)).map((r) => Object.values(r)[0]).join('\n'));
    await q.exec('ROLLBACK TO SAVEPOINT explain');
  };
  return {
    async query<T>(s: Sql) {
      await explain(s);
      return q.query<T>(s);
    },
    async one<T>(s: Sql) {
      await explain(s);
      return q.one<T>(s);
    },
    exec: (text) => q.exec(text),
  };
}

async function oneRun(db: Database, tenantId: number, now: Date, untimed = false): Promise<PoolRun> {
  return rolledBack(db, tenantId, async (q) => {
    if (untimed) await q.exec(`SET LOCAL statement_timeout = 0`);
    const t0 = performance.now();
    let recycled = 0;
    let reminded = 0;
    let t1 = t0;
    try {
      recycled = await rules.recycleDue(q, tenantId, now);
      t1 = performance.now();
      reminded = await rules.remindDue(q, tenantId, now);
    } catch (err) {
      const ms = Math.round(performance.now() - t0);
      return { recycled, reminded, recycleMs: ms, remindMs: 0, totalMs: ms, error: (err as Error).message, ...(untimed ? { untimed } : {}) };
    }
    const t2 = performance.now();
    return { recycled, reminded, recycleMs: Math.round(t1 - t0), remindMs: Math.round(t2 - t1), totalMs: Math.round(t2 - t0), ...(untimed ? { untimed } : {}) };
  });
}

export async function runPoolBenchmark(backend: Backend, o: PoolOptions): Promise<PoolResult> {
  o.log(`\n== pool · ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'} · ${o.size.toLocaleString('en')} customers`);
  const ds = await prepareDataset(backend, o.size, { fresh: o.fresh, log: o.log });
  const { db } = ds;
  const { tenantId, anchor } = ds.info;
  const database = await backendFacts(db);
  const facts = await db.system(async (q) => ({
    rules: await q.query<{ kind: string; level_code: string | null; days: number }>(
      sql`SELECT kind, level_code, days FROM pool_rules WHERE tenant_id = ${tenantId} ORDER BY kind, level_code NULLS FIRST`,
    ),
    reminderDays: (await q.one<{ d: number | null }>(sql`SELECT max(reminder_days) AS d FROM pools WHERE tenant_id = ${tenantId} AND enabled`))?.d ?? null,
    counts: (await q.one<{ owned: number; pooled: number; all: number }>(sql`
      SELECT count(*) FILTER (WHERE owner_id IS NOT NULL) AS owned, count(*) FILTER (WHERE owner_id IS NULL AND pool_id IS NOT NULL) AS pooled, count(*) AS all
      FROM customers WHERE tenant_id = ${tenantId} AND deleted_at IS NULL`))!,
  }));
  o.log(
    `  ${fmt(facts.counts.all)} live customers: ${fmt(facts.counts.owned)} owned, ${fmt(facts.counts.pooled)} in the pool; rules ` +
      facts.rules.map((r) => `${r.kind}${r.level_code ? `(${r.level_code})` : ''} ${r.days} d`).join(', ') + `; reminder ${facts.reminderDays ?? '-'} d before`,
  );
  const cases: PoolCase[] = [];
  const plans: Record<string, string> = {};
  for (const days of o.days) {
    const now = new Date(new Date(anchor).getTime() + days * 86_400_000);
    const c: PoolCase = { days, now: now.toISOString(), owned: facts.counts.owned, runs: [] };
    const logRun = (r: PoolRun, label: string) =>
      o.log(
        `  anchor + ${days} d, ${label}: recycled ${fmt(r.recycled)} (${fmt(r.recycleMs / 1000)} s), reminded ${fmt(r.reminded)} (${fmt(r.remindMs / 1000)} s)` +
          `, ${fmt(r.totalMs / 1000)} s in all${r.error ? ` — FAILED: ${r.error}` : ''}`,
      );
    for (let i = 0; i < o.runs; i++) {
      const r = await oneRun(db, tenantId, now);
      c.runs.push(r);
      logRun(r, `run ${i + 1}`);
      if (r.error) break;
    }
    // cut off by the tenant transaction's statement timeout, as the job would be: once more without it, to see what it would need
    if (c.runs.some((r) => r.error && /statement timeout/.test(r.error))) {
      const r = await oneRun(db, tenantId, now, true);
      c.runs.push(r);
      logRun(r, 'without the statement timeout');
    }
    if (o.plans) {
      // EXPLAIN ANALYZE runs the statements: in a rolled-back transaction too, each after the ones before as in the job
      plans[`+${days}d`] = await rolledBack(db, tenantId, async (q) => {
        await q.exec(`SET LOCAL statement_timeout = 0`);
        const texts: string[] = [];
        const x = explaining(q, texts);
        await rules.recycleDue(x, tenantId, now);
        await rules.remindDue(x, tenantId, now);
        return texts.join('\n\n-- next statement --\n\n');
      }).catch((err: Error) => `EXPLAIN failed: ${err.message}`);
    }
    cases.push(c);
  }
  // rolled-back updates leave dead row versions behind: clean them up for the next benchmark
  for (const t of ['customers', 'customer_owners', 'notifications', 'audit_log']) await db.jobSql.executeSql(`VACUUM ANALYZE ${t}`);
  await db.close();
  const all = cases.flatMap((c) => c.runs.filter((r) => !r.untimed));
  const result: PoolResult = {
    benchmark: 'pool',
    ...resultHead(backend, o.size, database, ds),
    pool: { rules: facts.rules, reminderDays: facts.reminderDays, inPool: facts.counts.pooled, customers: facts.counts.all },
    cases,
    plans,
    worstS: all.length ? Math.max(...all.map((r) => (r.error ? Infinity : r.totalMs / 1000))) : null,
  };
  writeFileSync(join(RESULTS_DIR, `pool-${backend}-${o.size}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

export function poolTable(r: PoolResult): string {
  const name = r.backend === 'pg' ? `PostgreSQL ${r.database.server_version ?? ''}`.trim() : `PGlite (PostgreSQL ${r.database.server_version ?? '?'} in WASM)`;
  const pct = (n: number, of: number) => (of ? `${((n / of) * 100).toFixed(1)} %` : '-');
  const rows = r.cases.flatMap((c) =>
    c.runs.map((x, i) => [
      i === 0 ? `anchor + ${c.days} d` : '',
      i === 0 ? fmt(c.owned) : '',
      x.untimed ? 'no timeout' : `${i + 1}`,
      fmt(x.recycled),
      pct(x.recycled, c.owned),
      x.recycleMs / 1000,
      fmt(x.reminded),
      x.remindMs / 1000,
      x.error ? `failed after ${fmt(x.totalMs / 1000)}` : x.totalMs / 1000,
    ]),
  );
  const worst = r.worstS;
  return [
    `pool · ${name} · ${r.size.toLocaleString('en')} customers (${fmt(r.pool.inPool)} of ${fmt(r.pool.customers)} live ones already in the pool)`,
    `One run of the nightly pool rules (recycleDue + remindDue in one tenant transaction, rolled back), at a time after the data set's anchor;` +
      ` rules ${r.pool.rules.map((x) => `${x.kind}${x.level_code ? `(${x.level_code})` : ''} ${x.days} d`).join(', ')}, reminder ${r.pool.reminderDays ?? '-'} d ahead. Times in s.`,
    '',
    table(['now', 'owned', 'run', 'recycled', 'share', 'recycle s', 'reminded', 'remind s', 'total s'], rows),
    '',
    ...(r.cases.some((c) => c.runs.some((x) => x.untimed))
      ? ['no timeout: the run again without the 30 s statement timeout of a tenant transaction, which cut the job off', '']
      : []),
    worst === null
      ? ''
      : `pool rules: worst run ${Number.isFinite(worst) ? `${fmt(worst)} s ${worst <= 30 ? '≤' : '>'} 30` : 'failed (statement timeout)'}` +
        (r.backend === 'pg' && r.size >= 1_000_000 ? '' : ' (the target is for PostgreSQL at 1,000,000)'),
  ].join('\n');
}
