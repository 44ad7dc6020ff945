/**
 * What the API benchmarks share: picking the personas, capturing the statements
 * a repository sends, timing them directly, their plans, signing in for an API
 * token, and waiting until the server is idle between measurements.
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Database, Queryable } from '../../src/server/db/database.js';
import { type Sql, sql } from '../../src/server/db/sql.js';
import { BENCH_PASSWORD } from '../generate.js';
import { addCpu, cpuSnapshot, cpuUse, NO_CPU, processCpu } from './cpu.js';
import { load, type LoadResult, type LoadSample, mergeSamples } from './load.js';
import { type LatencyStats, latencyStats } from './stats.js';

const now = () => performance.now();

export type PersonaKey = 'admin' | 'manager' | 'rep' | 'director';
export const PERSONAS: PersonaKey[] = ['admin', 'manager', 'rep', 'director'];

/** The statement a repository function sends, without running it. */
export async function captured(fn: (q: Queryable) => Promise<unknown>): Promise<Sql> {
  let s: Sql | undefined;
  const rec: Queryable = {
    async query<T>(q: Sql) {
      s = q;
      return [] as T[];
    },
    async one<T>(q: Sql) {
      s = q;
      return { n: 0 } as T;
    },
    async exec() {},
  };
  await fn(rec);
  return s!;
}

const ROLE_OF: Record<PersonaKey, { role: string; position?: string; by: 'subordinates' | 'owned'; quantile: number }> = {
  admin: { role: 'admin', by: 'owned', quantile: 0 },
  // a team manager with more subordinates than most (upper quartile)
  manager: { role: 'sales_manager', by: 'subordinates', quantile: 0.75 },
  // an ordinary rep: the median number of customers
  rep: { role: 'sales_rep', position: '销售代表', by: 'owned', quantile: 0.5 },
  director: { role: 'sales_director', position: '区域总监', by: 'subordinates', quantile: 0.5 },
};

/** The user a persona stands for, chosen the same way in every benchmark. */
export async function pickPersona(db: Database, tenantId: number, key: PersonaKey) {
  const spec = ROLE_OF[key];
  const rows = await db.system((q) =>
    q.query<{ id: number; name: string; email: string; position: string | null; subordinates: number; owned: number }>(sql`
      SELECT u.id, u.name, u.email, u.position,
        (SELECT count(*) - 1 FROM user_closure uc WHERE uc.tenant_id = u.tenant_id AND uc.ancestor_id = u.id) AS subordinates,
        (SELECT count(*) FROM customers c WHERE c.tenant_id = u.tenant_id AND c.owner_id = u.id AND c.deleted_at IS NULL) AS owned
      FROM users u
      JOIN user_roles ur ON ur.tenant_id = u.tenant_id AND ur.user_id = u.id
      JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
      WHERE u.tenant_id = ${tenantId} AND r.code = ${spec.role} AND u.status = 'active'
        ${spec.position ? sql`AND u.position = ${spec.position}` : sql.empty}
      ORDER BY u.id`),
  );
  if (!rows.length) throw new Error(`no ${spec.role} user in tenant ${tenantId}`);
  rows.sort((a, b) => a[spec.by] - b[spec.by] || a.id - b.id);
  return { ...rows[Math.floor(spec.quantile * (rows.length - 1))], role: spec.role };
}

/**
 * Times statements one at a time on one connection, as the user (in a tenant
 * transaction), cycling through `statements`, for about `budgetMs` (at least 5 runs).
 */
export async function timeSql(db: Database, tenantId: number, userId: number, statements: Sql[], budgetMs: number): Promise<LatencyStats> {
  return (await timeSqlGroups(db, tenantId, userId, statements.map((s) => [s]), budgetMs)).total;
}

/**
 * Like timeSql for groups of statements run one after another (one API request
 * that sends several): the total per group and each position's time. A slow
 * group (over a third of the budget) runs fewer times, at least once; a
 * statement cut off by the tenant transaction's 30 s statement timeout ends
 * the loop and is reported in `failed`.
 */
export async function timeSqlGroups(
  db: Database,
  tenantId: number,
  userId: number,
  groups: Sql[][],
  budgetMs: number,
  /** Gets the rows of the first group's statements (its first run). */
  onRows?: (rows: unknown[][]) => void,
): Promise<{ total: LatencyStats; parts: LatencyStats[]; failed?: string }> {
  const totals: number[] = [];
  const parts: number[][] = groups[0]!.map(() => []);
  let failed: string | undefined;
  await db
    .tenant({ tenantId, userId }, async (q) => {
      const keep = (r: { sum: number; times: number[] }) => {
        totals.push(r.sum);
        r.times.forEach((ms, j) => parts[j]!.push(ms));
      };
      const run = async (g: Sql[], rows?: unknown[][]) => {
        let sum = 0;
        const times: number[] = [];
        for (const s of g) {
          const t = now();
          try {
            const r = await q.query(s);
            rows?.push(r);
          } catch (err) {
            failed = `${(err as Error).message} after ${Math.round(now() - t)} ms`;
            throw err;
          }
          times.push(now() - t);
          sum += times[times.length - 1]!;
        }
        return { sum, times };
      };
      const start = now();
      // warm-up; a slow first run is kept (it says enough, and repeating it would take long)
      const rows: unknown[][] = [];
      const first = await run(groups[0]!, rows);
      onRows?.(rows);
      if (first.sum > budgetMs / 3) keep(first);
      else for (const g of groups.slice(1, 3)) await run(g);
      const from = now();
      for (let i = 0; i < 2000; i++) {
        const elapsed = now() - from;
        if ((totals.length >= 5 && elapsed > budgetMs) || (totals.length >= 1 && now() - start > 3 * budgetMs)) break;
        keep(await run(groups[i % groups.length]!));
      }
    })
    .catch((err) => {
      if (!failed) throw err;
    });
  return { total: latencyStats(totals), parts: parts.map(latencyStats), ...(failed ? { failed } : {}) };
}

/** The plan of a statement as the user (EXPLAIN (ANALYZE, BUFFERS) runs it; `analyze` false: the plan only). */
export async function explain(db: Database, tenantId: number, userId: number, s: Sql, analyze = true): Promise<string> {
  return db.tenant({ tenantId, userId }, async (q) =>
    (await q.query<Record<string, string>>(analyze ? sql`EXPLAIN (ANALYZE, BUFFERS) ${s}` : sql`EXPLAIN ${s}`)).map((r) => Object.values(r)[0]).join('\n'),
  );
}

/**
 * Waits until the server has finished what a load left behind: autocannon stops
 * at the deadline, but the requests then in flight (up to `concurrency` counts
 * of 100+ ms, queued one after another on PGlite) still run and would land on
 * the next case's time and CPU.
 */
export async function drain(serverPid: number, pgClient: pg.Client | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = processCpu(serverPid);
    await new Promise((r) => setTimeout(r, 100));
    const serverBusy = (processCpu(serverPid) - before) / 0.1;
    const active = pgClient
      ? Number((await pgClient.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND pid <> pg_backend_pid()`)).rows[0].n)
      : 0;
    if (serverBusy < 0.05 && active === 0) return;
  }
}

/** Signs in as `email` and makes a personal API token (sent as a Bearer token). */
export async function apiToken(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: email, password: BENCH_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const t = await fetch(`${url}/api/v1/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: `bench ${new Date().toISOString()}`, expiresInDays: 1 }),
  });
  if (t.status !== 201) throw new Error(`token for ${email} failed: ${t.status} ${await t.text()}`);
  return ((await t.json()) as { token: string }).token;
}

export interface Slot {
  /** A name for the log, e.g. 'admin/first'. */
  key: string;
  path: () => string;
  headers: Record<string, string>;
}

export interface SlotResult {
  http: LoadResult;
  /** One connection, one request at a time. */
  serial: LatencyStats;
  /** CPU per request (ms) of the server process, PostgreSQL and the load generator; other load on the machine (%). */
  cpu: { serverMs: number; postgresMs: number; clientMs: number; otherPct: number };
}

/**
 * Measures every slot against a running server: first each alone with one
 * connection (latency without queueing; also the warm-up), then under
 * `concurrency` keep-alive connections in `rounds` interleaved slices, so that
 * a busy spell of a shared machine hits every case alike. Waits for the server
 * to be idle after every measurement.
 */
export async function measureSlots(
  server: { url: string; pid: number },
  pgClient: pg.Client | null,
  slots: Slot[],
  o: { concurrency: number; durationS: number; serialS: number; rounds: number; postgresIsOurs: boolean; log: (m: string) => void },
): Promise<SlotResult[]> {
  const state = slots.map(() => ({ serial: undefined as LoadSample | undefined, samples: [] as LoadSample[], cpu: NO_CPU }));
  for (const [i, s] of slots.entries()) {
    state[i]!.serial = await load({ url: server.url, path: s.path, headers: s.headers, connections: 1, durationS: o.serialS });
    await drain(server.pid, pgClient);
  }
  for (let r = 0; r < o.rounds; r++) {
    for (const [i, s] of slots.entries()) {
      const before = cpuSnapshot(server.pid);
      state[i]!.samples.push(await load({ url: server.url, path: s.path, headers: s.headers, connections: o.concurrency, durationS: o.durationS / o.rounds }));
      await drain(server.pid, pgClient);
      state[i]!.cpu = addCpu(state[i]!.cpu, cpuUse(before, cpuSnapshot(server.pid), o.postgresIsOurs));
    }
    if (o.rounds > 1) o.log(`  round ${r + 1}/${o.rounds} done`);
  }
  return slots.map((s, i) => {
    const st = state[i]!;
    const http = mergeSamples(st.samples);
    const serialAll = mergeSamples([st.serial!]);
    if (http.errors || http.non2xx || serialAll.non2xx) o.log(`  ! ${s.key}: ${http.errors} errors, ${http.non2xx + serialAll.non2xx} non-2xx answers`);
    // the CPU includes the requests still in flight at each slice's end (one per connection), finished while draining
    const served = http.requests + o.concurrency * st.samples.length;
    const perReq = (x: number) => Math.round((x * 1000 * 100) / served) / 100;
    const cpu = { serverMs: perReq(st.cpu.server), postgresMs: perReq(st.cpu.postgres), clientMs: perReq(st.cpu.client), otherPct: Math.round(st.cpu.other * 100) };
    const { n, p50, p95, p99, mean, max } = serialAll;
    return { http, serial: { n, p50, p95, p99, mean, max }, cpu };
  });
}
