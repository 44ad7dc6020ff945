/**
 * Benchmark "list": GET /api/v1/customers (limit 50, first page and random deep
 * pages through keyset cursors), GET /api/v1/customers/count, and the first
 * page filtered on a custom field (a single choice, a narrow number range),
 * for users of different data scopes, against the real server in its own
 * process; beside each, the same SQL the repository builds, timed directly on
 * the database.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomerListQuery } from '../src/common/schemas/customers.js';
import type { Database } from '../src/server/db/database.js';
import { type Sql, sql } from '../src/server/db/sql.js';
import * as repo from '../src/server/modules/customers/customers.repo.js';
import { type RecordScope, resolveScope, visibleSql } from '../src/server/platform/access/scope.js';
import { actorForUser } from '../src/server/platform/auth/actor-loader.js';
import { encodeCursor } from '../src/server/platform/http/cursor.js';
import { withCustomSql } from '../src/server/modules/custom-fields/custom-values.js';
import { CUSTOM_BUDGET, CUSTOM_SCALE } from './generate.js';
import { type Backend, BENCH_DIR, backendFacts, prepareDataset, type ResultHead, resultHead } from './lib/datasets.js';
import pg from 'pg';
import { apiToken, captured, explain, measureSlots, PERSONAS, type PersonaKey, pickPersona, type Slot, timeSql } from './lib/harness.js';
import type { LoadResult } from './lib/load.js';
import { startServer } from './lib/server.js';
import { fmt, type LatencyStats, table } from './lib/stats.js';

export const RESULTS_DIR = join(BENCH_DIR, 'results');

export interface ListOptions {
  size: number;
  concurrency: number;
  /** Seconds of concurrent load per case. */
  durationS: number;
  /** Seconds of one-connection requests per case (also warms up). */
  serialS: number;
  /** The load of each case comes in this many interleaved slices. */
  rounds: number;
  /** Time budget of the direct SQL loop per case, in ms. */
  sqlBudgetMs: number;
  personas: PersonaKey[];
  fresh: boolean;
  /** false: only the direct SQL timings and plans (quick while tuning). */
  http: boolean;
  log: (m: string) => void;
}

export { PERSONAS, type PersonaKey };
type CaseKey = 'first' | 'deep' | 'count' | 'cf-choice' | 'cf-range';
const CASES: CaseKey[] = ['first', 'deep', 'count', 'cf-choice', 'cf-range'];
/**
 * The custom-field filters (advanced filter, CUS-15/SYS-1) on the generator's fields: the rarest
 * 客户规模 choice (~4.5 % of customers) and a narrow budget range (~0.6 %).
 */
const CUSTOM_FILTERS = {
  'cf-choice': { [CUSTOM_SCALE.key]: { eq: CUSTOM_SCALE.options[CUSTOM_SCALE.options.length - 1]!.value } },
  'cf-range': { [CUSTOM_BUDGET.key]: { gte: 3000, lte: 3100 } },
} as const;
const isFilterCase = (c: CaseKey): c is keyof typeof CUSTOM_FILTERS => c in CUSTOM_FILTERS;

export interface Persona {
  key: PersonaKey;
  userId: number;
  name: string;
  email: string;
  position: string | null;
  role: string;
  scope: string;
  subordinates: number;
  /** Owners the scope resolves to (null = all). */
  owners: number | null;
  /** Records shared with the user or with the user on their team. */
  shared: number;
  visible: number;
}

export interface CaseResult {
  persona: PersonaKey;
  case: CaseKey;
  /** Under `concurrency` connections. */
  http: LoadResult;
  /** One connection, one request at a time. */
  serial: LatencyStats;
  /** The repository's statement alone, one at a time, on one connection. */
  sql: LatencyStats;
  /**
   * CPU per request under load (ms): the server process (with PGlite: the
   * database too), PostgreSQL's processes, the load generator; and how busy
   * the machine was with other work meanwhile (% of all cores).
   */
  cpu: { serverMs: number; postgresMs: number; clientMs: number; otherPct: number };
}

export interface ListResult extends ResultHead {
  benchmark: 'list';
  options: { concurrency: number; durationS: number; serialS: number; rounds: number };
  personas: Persona[];
  cases: CaseResult[];
  serverPeakRssMb: number | null;
  plans: Record<string, string>;
  targets: Targets;
}

export interface Targets {
  /** Worst p95 of the admin and manager list cases under load (ms), goal ≤ 50 on PostgreSQL at 1M. */
  listP95: number | null;
  listP95Ok: boolean | null;
  /** manager p95 / admin p95, per list case; goal ≤ 1.3. */
  scopedRatio: { first: number | null; deep: number | null };
  scopedRatioOk: boolean | null;
  /** Worst p95 of the custom-field filter cases under load (ms), every persona; goal ≤ 100 on PostgreSQL at 1M. */
  filterP95: number | null;
  filterP95Ok: boolean | null;
}

interface Prepared {
  persona: Persona;
  scope: RecordScope;
  statements: Record<CaseKey, Sql[]>;
  cursors: string[];
  firstPageIds: number[];
  /** The first page of each custom-field filter case, as the SQL answers it. */
  filterPageIds: Record<keyof typeof CUSTOM_FILTERS, number[]>;
}

/** Everything done on the database directly, before the server takes it over (PGlite has one owner). */
async function prepare(db: Database, tenantId: number, key: PersonaKey, o: ListOptions) {
  const p = await pickPersona(db, tenantId, key);
  const actor = await actorForUser(db, tenantId, p.id);
  const query = CustomerListQuery.parse({ limit: 50 });
  const { scope, visible, samples } = await actor.tx(async (q) => {
    const scope = await resolveScope(q, actor, 'customer');
    const visible = await repo.countCustomers(q, scope, actor.userId, query);
    // random positions in the visible list: a deep page starts after each
    const samples = await q.query<{ k: string; id: number }>(sql`
      SELECT c.updated_at::text AS k, c.id FROM customers c
      WHERE c.tenant_id = ${tenantId} AND c.deleted_at IS NULL AND ${visibleSql(scope, 'c')}
      ORDER BY random() LIMIT 200`);
    return { scope, visible, samples };
  });
  const cursors = samples.map((s) => encodeCursor([s.k, s.id]));
  const filtered = async (c: keyof typeof CUSTOM_FILTERS) => {
    const f = await actor.tx((q) => withCustomSql(q, actor, 'customer', 'c', CustomerListQuery.parse({ limit: 50, custom: JSON.stringify(CUSTOM_FILTERS[c]) })));
    return [await captured((q) => repo.listCustomers(q, scope, actor.userId, f))];
  };
  const statements: Record<CaseKey, Sql[]> = {
    first: [await captured((q) => repo.listCustomers(q, scope, actor.userId, query))],
    deep: await Promise.all(cursors.map((cursor) => captured((q) => repo.listCustomers(q, scope, actor.userId, { ...query, cursor })))),
    count: [await captured((q) => repo.countCustomers(q, scope, actor.userId, query))],
    'cf-choice': await filtered('cf-choice'),
    'cf-range': await filtered('cf-range'),
  };
  const pageIds = async (st: Sql) => (await actor.tx((q) => q.query<{ id: number }>(st))).slice(0, 50).map((r) => r.id);
  const firstPageIds = await pageIds(statements.first[0]!);
  const filterPageIds = { 'cf-choice': await pageIds(statements['cf-choice'][0]!), 'cf-range': await pageIds(statements['cf-range'][0]!) };
  const persona: Persona = {
    key,
    userId: p.id,
    name: p.name,
    email: p.email,
    position: p.position,
    role: p.role,
    scope: actor.isSuperAdmin ? 'all' : (actor.dataScopes.customer ?? ['self']).join('+'),
    subordinates: p.subordinates,
    owners: scope.ownerIds === null ? null : scope.ownerIds.length,
    shared: scope.readIds.length,
    visible,
  };
  o.log(
    `  ${key}: ${p.name} (${p.position ?? p.role}, user ${p.id}) scope ${persona.scope}: ${persona.owners ?? 'all'} owners` +
      `${persona.shared ? ` + ${persona.shared} shared` : ''}, sees ${visible.toLocaleString('en')} customers`,
  );
  return { persona, scope, statements, cursors, firstPageIds, filterPageIds } satisfies Prepared;
}

/** The API must answer exactly what the timed SQL answers. */
async function checkApi(url: string, token: string, p: Prepared): Promise<void> {
  const get = async (path: string) => {
    const res = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ items: { id: number; updatedAt: string }[]; nextCursor: string | null; total?: number }>;
  };
  const first = await get('/api/v1/customers?limit=50');
  const ids = first.items.map((i) => i.id);
  if (JSON.stringify(ids) !== JSON.stringify(p.firstPageIds)) throw new Error(`${p.persona.key}: the API's first page differs from the SQL's`);
  for (const [c, expected] of Object.entries(p.filterPageIds)) {
    const got = (await get(pathOf(c as CaseKey, [])())).items.map((i) => i.id);
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${p.persona.key}: the API's ${c} page differs from the SQL's`);
  }
  const count = (await get('/api/v1/customers/count')) as unknown as { total: number };
  if (count.total !== p.persona.visible) throw new Error(`${p.persona.key}: count ${count.total} ≠ ${p.persona.visible}`);
  if (first.nextCursor) {
    const second = await get(`/api/v1/customers?limit=50&cursor=${first.nextCursor}`);
    const last = first.items[first.items.length - 1];
    const bad = second.items.some((i) => ids.includes(i.id) || i.updatedAt > last.updatedAt);
    if (bad) throw new Error(`${p.persona.key}: page 2 overlaps page 1 or is out of order`);
  }
}

function pathOf(c: CaseKey, cursors: string[]): () => string {
  if (c === 'count') return () => '/api/v1/customers/count';
  if (isFilterCase(c)) return () => `/api/v1/customers?limit=50&custom=${encodeURIComponent(JSON.stringify(CUSTOM_FILTERS[c]))}`;
  if (c === 'first' || !cursors.length) return () => '/api/v1/customers?limit=50';
  return () => `/api/v1/customers?limit=50&cursor=${cursors[Math.floor(Math.random() * cursors.length)]}`;
}

export function evaluateTargets(cases: CaseResult[]): Targets {
  const p95 = (persona: PersonaKey, c: CaseKey) => cases.find((r) => r.persona === persona && r.case === c)?.http.p95 ?? null;
  const lists = cases.filter((r) => (r.persona === 'admin' || r.persona === 'manager') && (r.case === 'first' || r.case === 'deep')).map((r) => r.http.p95);
  const filters = cases.filter((r) => isFilterCase(r.case)).map((r) => r.http.p95);
  const filterP95 = filters.length ? Math.max(...filters) : null;
  const ratio = (c: CaseKey) => {
    const a = p95('admin', c);
    const m = p95('manager', c);
    return a && m ? Math.round((m / a) * 100) / 100 : null;
  };
  const scopedRatio = { first: ratio('first'), deep: ratio('deep') };
  const listP95 = lists.length ? Math.max(...lists) : null;
  return {
    listP95,
    listP95Ok: listP95 === null ? null : listP95 <= 50,
    scopedRatio,
    scopedRatioOk: scopedRatio.first === null || scopedRatio.deep === null ? null : scopedRatio.first <= 1.3 && scopedRatio.deep <= 1.3,
    filterP95,
    filterP95Ok: filterP95 === null ? null : filterP95 <= 100,
  };
}

export async function runListBenchmark(backend: Backend, o: ListOptions): Promise<ListResult> {
  o.log(`\n== list · ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'} · ${o.size.toLocaleString('en')} customers`);
  const ds = await prepareDataset(backend, o.size, { fresh: o.fresh, log: o.log });
  const { tenantId } = ds.info;
  const database = await backendFacts(ds.db);
  const prepared: Prepared[] = [];
  for (const key of o.personas) prepared.push(await prepare(ds.db, tenantId, key, o));

  o.log('  timing the SQL directly');
  const sqlStats = new Map<string, LatencyStats>();
  const plans: Record<string, string> = {};
  for (const p of prepared) {
    for (const c of CASES) {
      sqlStats.set(`${p.persona.key}/${c}`, await timeSql(ds.db, tenantId, p.persona.userId, p.statements[c], o.sqlBudgetMs));
      plans[`${p.persona.key}/${c}`] = await explain(ds.db, tenantId, p.persona.userId, p.statements[c][0]);
    }
  }
  await ds.db.close();

  const cases: CaseResult[] = [];
  let peak: number | null = null;
  if (!o.http) {
    for (const p of prepared) {
      for (const c of CASES) {
        const s = sqlStats.get(`${p.persona.key}/${c}`)!;
        o.log(`  ${p.persona.key.padEnd(8)} ${c.padEnd(9)} SQL p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} ms (n=${s.n})`);
      }
    }
    writeFileSync(join(RESULTS_DIR, `sql-${backend}-${o.size}.json`), JSON.stringify({ personas: prepared.map((p) => p.persona), sql: Object.fromEntries(sqlStats), plans }, null, 2) + '\n');
    return { backend, size: o.size, personas: prepared.map((p) => p.persona), cases, plans } as unknown as ListResult;
  }
  o.log('  starting the server');
  const server = await startServer(ds.serverEnv);
  const pgClient = ds.serverEnv.DATABASE_URL ? new pg.Client({ connectionString: ds.serverEnv.DATABASE_URL }) : null;
  await pgClient?.connect();
  try {
    const slots: { p: Prepared; c: CaseKey; slot: Slot }[] = [];
    for (const p of prepared) {
      const token = await apiToken(server.url, p.persona.email);
      await checkApi(server.url, token, p);
      const headers = { authorization: `Bearer ${token}` };
      for (const c of CASES) slots.push({ p, c, slot: { key: `${p.persona.key}/${c}`, path: pathOf(c, p.cursors), headers } });
    }
    const measured = await measureSlots(server, pgClient, slots.map((s) => s.slot), { ...o, postgresIsOurs: backend === 'pg' });
    for (const [i, s] of slots.entries()) {
      const { http, serial, cpu } = measured[i]!;
      const key = s.p.persona.key;
      const sqlS = sqlStats.get(`${key}/${s.c}`)!;
      cases.push({ persona: key, case: s.c, http, serial, sql: sqlS, cpu });
      o.log(
        `  ${key.padEnd(8)} ${s.c.padEnd(9)} c=${o.concurrency}: p50 ${fmt(http.p50)} p95 ${fmt(http.p95)} p99 ${fmt(http.p99)} ms, ` +
          `${fmt(http.rps)} req/s · c=1 p50 ${fmt(serial.p50)} · SQL p50 ${fmt(sqlS.p50)} p95 ${fmt(sqlS.p95)} ms · ` +
          `CPU/req server ${fmt(cpu.serverMs)} pg ${fmt(cpu.postgresMs)} client ${fmt(cpu.clientMs)} ms · other load ${cpu.otherPct}%`,
      );
    }
  } finally {
    peak = server.peakRssMb();
    await pgClient?.end();
    await server.stop();
  }
  const result: ListResult = {
    benchmark: 'list',
    ...resultHead(backend, o.size, database, ds),
    options: { concurrency: o.concurrency, durationS: o.durationS, serialS: o.serialS, rounds: o.rounds },
    personas: prepared.map((p) => p.persona),
    cases,
    serverPeakRssMb: peak,
    plans,
    targets: evaluateTargets(cases),
  };
  writeFileSync(join(RESULTS_DIR, `list-${backend}-${o.size}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

// ------------------------------------------------------------------ printing

export function listTable(r: ListResult): string {
  const who = new Map(r.personas.map((p) => [p.key, p]));
  const rows = r.cases.map((c) => {
    const p = who.get(c.persona)!;
    return [
      c.case === 'first' ? c.persona : '',
      c.case === 'first' ? p.scope : '',
      c.case === 'first' ? (p.owners === null ? 'all' : fmt(p.owners)) : '',
      c.case === 'first' ? fmt(p.visible) : '',
      c.case,
      c.http.p50,
      c.http.p95,
      c.http.p99,
      c.http.rps,
      c.serial.p50,
      c.sql.p50,
      c.sql.p95,
      r.backend === 'pg' ? `${fmt(c.cpu.serverMs)} + ${fmt(c.cpu.postgresMs)}` : fmt(c.cpu.serverMs),
      `${c.cpu.otherPct}%`,
    ];
  });
  const name = r.backend === 'pg' ? `PostgreSQL ${r.database.server_version ?? ''}`.trim() : `PGlite (PostgreSQL ${r.database.server_version ?? '?'} in WASM)`;
  const gen = r.dataset.reused
    ? `data reused (generated in ${fmt(r.dataset.generationMs / 1000)} s)`
    : `data generated in ${fmt(r.dataset.generationMs / 1000)} s`;
  const t = r.targets;
  const lines = [
    `list · ${name} · ${r.size.toLocaleString('en')} customers · ${gen}`,
    `HTTP: ${r.options.concurrency} keep-alive connections, ${r.options.durationS} s per case${r.options.rounds > 1 ? ` in ${r.options.rounds} interleaved slices` : ''}` +
      ` (c=1: one connection, ${r.options.serialS} s); SQL: the repository's statement alone, one at a time, on one connection. Times in ms.`,
    `CPU/req: CPU time per request of the server process${r.backend === 'pg' ? ' and of PostgreSQL' : ' (database included)'}; other: share of the ${r.machine.cpus} cores busy with anything else meanwhile.`,
    '',
    table(
      ['persona', 'scope', 'owners', 'visible', 'case', 'p50', 'p95', 'p99', 'req/s', 'c=1 p50', 'SQL p50', 'SQL p95', r.backend === 'pg' ? 'CPU/req node+pg' : 'CPU/req', 'other'],
      rows,
    ),
    '',
    `server peak RSS ${r.serverPeakRssMb ?? '?'} MiB` +
      (r.backend === 'pg' ? ' (Node process only; PostgreSQL runs apart)' : ' (includes the embedded database)'),
    `list p95 under load (admin, manager): worst ${fmt(t.listP95)} ms ${t.listP95Ok ? '≤' : '>'} 50` +
      ` · manager/admin p95: first ${fmt(t.scopedRatio.first)}x, deep ${fmt(t.scopedRatio.deep)}x ${t.scopedRatioOk ? '≤' : '>'} 1.3` +
      (t.filterP95 === null || t.filterP95 === undefined ? '' : ` · custom-field filter p95: worst ${fmt(t.filterP95)} ms ${t.filterP95Ok ? '≤' : '>'} 100`) +
      (r.backend === 'pg' && r.size >= 1_000_000 ? '' : ' (the targets are for PostgreSQL at 1,000,000)'),
  ];
  return lines.join('\n');
}
