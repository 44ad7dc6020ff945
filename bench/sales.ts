/**
 * Benchmark "sales": the kanban board of the default pipeline
 * (GET /api/v1/opportunities/board) and the home dashboard for this year
 * (GET /api/v1/dashboard?range=this_year), for users of different data scopes,
 * against the real server; beside the board, its statement timed directly on
 * the database. The data set's sales layer (bench/generate-sales.ts) has one
 * opportunity per customer and a contract for each won one (0.3 per customer).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BoardQuery } from '../src/common/schemas/opportunities.js';
import { sql } from '../src/server/db/sql.js';
import * as repo from '../src/server/modules/opportunities/opportunities.repo.js';
import { resolveScope } from '../src/server/platform/access/scope.js';
import { actorForUser } from '../src/server/platform/auth/actor-loader.js';
import { type Backend, backendFacts, prepareDataset, type ResultHead, resultHead } from './lib/datasets.js';
import { apiToken, captured, explain, measureSlots, type PersonaKey, pickPersona, timeSql } from './lib/harness.js';
import type { LoadResult } from './lib/load.js';
import { startServer } from './lib/server.js';
import { fmt, type LatencyStats, table } from './lib/stats.js';
import { RESULTS_DIR } from './list.js';

export interface SalesOptions {
  size: number;
  concurrency: number;
  durationS: number;
  serialS: number;
  rounds: number;
  sqlBudgetMs: number;
  personas: PersonaKey[];
  fresh: boolean;
  http: boolean;
  log: (m: string) => void;
}

type CaseKey = 'board' | 'dashboard';
const CASES: CaseKey[] = ['board', 'dashboard'];
const PATHS: Record<CaseKey, string> = {
  board: '/api/v1/opportunities/board',
  dashboard: '/api/v1/dashboard?range=this_year',
};
/** Goals at 1,000,000 opportunities / 300,000 contracts on PostgreSQL (p95 under load, ms). */
const GOALS: Record<CaseKey, number> = { board: 100, dashboard: 300 };

interface SalesPersona {
  key: PersonaKey;
  userId: number;
  name: string;
  email: string;
  scope: string;
  /** Opportunities and contracts the persona may see. */
  opportunities: number;
  contracts: number;
}

interface CaseResult {
  persona: PersonaKey;
  case: CaseKey;
  http: LoadResult;
  serial: LatencyStats;
  /** The board's statement alone (the dashboard sends several; only HTTP is timed). */
  sql: LatencyStats | null;
  cpu: { serverMs: number; postgresMs: number; clientMs: number; otherPct: number };
}

export interface SalesResult extends ResultHead {
  benchmark: 'sales';
  counts: { opportunities: number; contracts: number; receivables: number };
  options: { concurrency: number; durationS: number; serialS: number; rounds: number };
  personas: SalesPersona[];
  cases: CaseResult[];
  plans: Record<string, string>;
  /** Worst p95 under load per case, every persona. */
  worstP95: Record<CaseKey, number | null>;
}

export async function runSalesBenchmark(backend: Backend, o: SalesOptions): Promise<SalesResult> {
  o.log(`\n== sales · ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'} · ${o.size.toLocaleString('en')} customers`);
  const ds = await prepareDataset(backend, o.size, { fresh: o.fresh, log: o.log });
  const { tenantId } = ds.info;
  const database = await backendFacts(ds.db);
  const counts = (await ds.db.system((q) =>
    q.one<SalesResult['counts']>(sql`SELECT (SELECT count(*)::int FROM opportunities WHERE tenant_id = ${tenantId}) AS opportunities,
      (SELECT count(*)::int FROM contracts WHERE tenant_id = ${tenantId}) AS contracts,
      (SELECT count(*)::int FROM receivables WHERE tenant_id = ${tenantId}) AS receivables`),
  ))!;
  o.log(`  ${counts.opportunities.toLocaleString('en')} opportunities, ${counts.contracts.toLocaleString('en')} contracts, ${counts.receivables.toLocaleString('en')} receivables`);

  const personas: SalesPersona[] = [];
  const sqlStats = new Map<PersonaKey, LatencyStats>();
  const plans: Record<string, string> = {};
  for (const key of o.personas) {
    const p = await pickPersona(ds.db, tenantId, key);
    const actor = await actorForUser(ds.db, tenantId, p.id);
    const { statement, opportunities, contracts } = await actor.tx(async (q) => {
      const scope = await resolveScope(q, actor, 'opportunity');
      const pipeline = (await q.one<{ id: number }>(sql`SELECT id FROM pipelines WHERE tenant_id = ${tenantId} AND is_default`))!;
      const query = BoardQuery.parse({});
      const statement = await captured((c) => repo.board(c, scope, actor.userId, pipeline.id, query, query.limit));
      const opportunities = await repo.countOpportunities(q, scope, actor.userId, {});
      const contractScope = await resolveScope(q, actor, 'contract');
      const contracts = (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM contracts
        WHERE tenant_id = ${tenantId} AND deleted_at IS NULL AND (${contractScope.ownerIds}::bigint[] IS NULL OR owner_id = ANY(${contractScope.ownerIds}::bigint[]))`))!.n;
      return { statement, opportunities, contracts };
    });
    const persona: SalesPersona = {
      key, userId: p.id, name: p.name, email: p.email, scope: actor.isSuperAdmin ? 'all' : (actor.dataScopes.opportunity ?? ['self']).join('+'), opportunities, contracts,
    };
    personas.push(persona);
    o.log(`  ${key}: ${p.name} (${p.role}, user ${p.id}) scope ${persona.scope}: sees ${opportunities.toLocaleString('en')} opportunities, ${contracts.toLocaleString('en')} contracts`);
    sqlStats.set(key, await timeSql(ds.db, tenantId, p.id, [statement], o.sqlBudgetMs));
    plans[`${key}/board`] = await explain(ds.db, tenantId, p.id, statement);
    const s = sqlStats.get(key)!;
    o.log(`  ${key.padEnd(8)} board SQL p50 ${fmt(s.p50)} p95 ${fmt(s.p95)} ms (n=${s.n})`);
  }
  await ds.db.close();

  const cases: CaseResult[] = [];
  if (o.http) {
    o.log('  starting the server');
    const server = await startServer(ds.serverEnv);
    const pgClient = ds.serverEnv.DATABASE_URL ? new pg.Client({ connectionString: ds.serverEnv.DATABASE_URL }) : null;
    await pgClient?.connect();
    try {
      const slots = [];
      for (const p of personas) {
        const headers = { authorization: `Bearer ${await apiToken(server.url, p.email)}` };
        for (const c of CASES) {
          const res = await fetch(server.url + PATHS[c], { headers });
          if (res.status !== 200) throw new Error(`GET ${PATHS[c]} as ${p.key}: ${res.status} ${await res.text()}`);
          slots.push({ p, c, slot: { key: `${p.key}/${c}`, path: () => PATHS[c], headers } });
        }
      }
      const measured = await measureSlots(server, pgClient, slots.map((s) => s.slot), { ...o, postgresIsOurs: backend === 'pg' });
      for (const [i, s] of slots.entries()) {
        const { http, serial, cpu } = measured[i]!;
        cases.push({ persona: s.p.key, case: s.c, http, serial, sql: s.c === 'board' ? sqlStats.get(s.p.key)! : null, cpu });
        o.log(
          `  ${s.p.key.padEnd(8)} ${s.c.padEnd(9)} c=${o.concurrency}: p50 ${fmt(http.p50)} p95 ${fmt(http.p95)} p99 ${fmt(http.p99)} ms, ${fmt(http.rps)} req/s` +
            ` · c=1 p50 ${fmt(serial.p50)} · CPU/req server ${fmt(cpu.serverMs)} pg ${fmt(cpu.postgresMs)} ms · other load ${cpu.otherPct}%`,
        );
      }
    } finally {
      await pgClient?.end();
      await server.stop();
    }
  }
  const worst = (c: CaseKey) => {
    const xs = cases.filter((r) => r.case === c).map((r) => r.http.p95);
    return xs.length ? Math.max(...xs) : null;
  };
  const result: SalesResult = {
    benchmark: 'sales',
    ...resultHead(backend, o.size, database, ds),
    counts,
    options: { concurrency: o.concurrency, durationS: o.durationS, serialS: o.serialS, rounds: o.rounds },
    personas,
    cases,
    plans,
    worstP95: { board: worst('board'), dashboard: worst('dashboard') },
  };
  writeFileSync(join(RESULTS_DIR, `${o.http ? 'sales' : 'sales-sql'}-${backend}-${o.size}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

export function salesTable(r: SalesResult): string {
  const who = new Map(r.personas.map((p) => [p.key, p]));
  const rows = r.cases.map((c) => {
    const p = who.get(c.persona)!;
    const first = c.case === 'board';
    return [
      first ? c.persona : '', first ? p.scope : '', first ? fmt(p.opportunities) : '', first ? fmt(p.contracts) : '', c.case,
      c.http.p50, c.http.p95, c.http.p99, c.http.rps, c.serial.p50, c.sql ? c.sql.p50 : '', c.sql ? c.sql.p95 : '',
      r.backend === 'pg' ? `${fmt(c.cpu.serverMs)} + ${fmt(c.cpu.postgresMs)}` : fmt(c.cpu.serverMs),
    ];
  });
  const name = r.backend === 'pg' ? `PostgreSQL ${r.database.server_version ?? ''}`.trim() : `PGlite (PostgreSQL ${r.database.server_version ?? '?'} in WASM)`;
  const goal = (c: CaseKey) => `${c} p95 worst ${fmt(r.worstP95[c])} ms ${r.worstP95[c] !== null && r.worstP95[c]! <= GOALS[c] ? '≤' : '>'} ${GOALS[c]}`;
  return [
    `sales · ${name} · ${r.counts.opportunities.toLocaleString('en')} opportunities, ${r.counts.contracts.toLocaleString('en')} contracts, ${r.counts.receivables.toLocaleString('en')} receivables`,
    `HTTP: ${r.options.concurrency} keep-alive connections, ${r.options.durationS} s per case${r.options.rounds > 1 ? ` in ${r.options.rounds} interleaved slices` : ''}` +
      ` (c=1: one connection, ${r.options.serialS} s). Board: default pipeline; dashboard: this year. Times in ms.`,
    '',
    table(['persona', 'scope', 'opportunities', 'contracts', 'case', 'p50', 'p95', 'p99', 'req/s', 'c=1 p50', 'SQL p50', 'SQL p95', r.backend === 'pg' ? 'CPU/req node+pg' : 'CPU/req'], rows),
    '',
    `${goal('board')} · ${goal('dashboard')}` + (r.backend === 'pg' && r.size >= 1_000_000 ? '' : ' (the goals are for PostgreSQL at 1,000,000)'),
  ].join('\n');
}
