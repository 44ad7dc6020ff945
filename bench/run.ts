/**
 * npm run bench [-- <benchmark>...] [options]
 *
 *   benchmarks      list, search, pool, sales, export, import (all of them when none is named)
 *   --size N        customers in the data set (default 20000; contacts: 3 per customer)
 *   --full          1,000,000 customers, 10 s per case
 *   --backend B     pg | pglite | both (default both)
 *   --concurrency C keep-alive connections under load (default 10)
 *   --duration S    seconds of load per case (default 2; 10 with --full)
 *   --serial S      seconds of one-connection requests per case before the load (default 0.5; 3 with --full)
 *   --rounds R      split each case's load into R slices, interleaved with the other cases (default 1; 5 with --full)
 *   --personas L    admin,manager,rep,director (default: all four for list; admin,manager,rep for search; admin,manager for export)
 *   --terms L       search terms: common,rare,initials,initials4,mobile (default all)
 *   --pool-days L   pool: run the rules this many days after the data set's anchor, a case each (default 1,7)
 *   --pool-runs N   pool: runs per case, each rolled back (default 1; 2 with --full)
 *   --fresh         generate the data anew even when a data set of that size exists
 *   --sql-only      list, search and sales: only time the SQL directly and save the plans
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXPORT_FORMATS, EXPORT_PERSONAS, type ExportResult, exportTable, runExportBenchmark } from './export.js';
import type { Backend } from './lib/datasets.js';
import { evaluateTargets, type ListResult, listTable, PERSONAS, type PersonaKey, RESULTS_DIR, runListBenchmark } from './list.js';
import { type ImportResult, importTable, runImportBenchmark } from './import.js';
import { type PoolResult, poolTable, runPoolBenchmark } from './pool.js';
import { runSalesBenchmark, type SalesResult, salesTable } from './sales.js';
import { runSearchBenchmark, SEARCH_PERSONAS, type SearchResult, searchTable, TERMS, type TermKey } from './search.js';

const BENCHMARKS = ['list', 'search', 'pool', 'sales', 'export', 'import'] as const;
type BenchmarkName = (typeof BENCHMARKS)[number];
type AnyResult = ListResult | SearchResult | PoolResult | SalesResult | ExportResult | ImportResult;

function readResult(file: string): AnyResult | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as AnyResult) : undefined;
}

function usage(msg?: string): never {
  if (msg) console.error(msg);
  console.error(
    'usage: npm run bench -- [list] [search] [pool] [sales] [export] [import] [--size N | --full] [--backend pg|pglite|both] [--concurrency C] [--duration S]' +
      ' [--personas admin,manager,rep,director] [--terms common,rare,initials,initials4,mobile] [--pool-days 1,7] [--fresh] [--sql-only]',
  );
  process.exit(2);
}

function tableOf(r: AnyResult): string {
  if (r.benchmark === 'export') return exportTable(r);
  if (r.benchmark === 'import') return importTable(r);
  return r.benchmark === 'list' ? listTable(r) : r.benchmark === 'search' ? searchTable(r) : r.benchmark === 'sales' ? salesTable(r) : poolTable(r);
}

/** The figures worth keeping side by side (the full results, plans included, are in <benchmark>-<backend>-<size>.json). */
function summaryOf(r: AnyResult) {
  // the import writes into a database of its own, made for the run
  if (r.benchmark === 'import') return { benchmark: r.benchmark, backend: r.backend, size: r.size, at: r.at, targets: r.targets, cases: r.cases };
  const base = { benchmark: r.benchmark, backend: r.backend, size: r.size, at: r.at, generationMs: r.dataset.generationMs, reused: r.dataset.reused };
  if (r.benchmark === 'pool') return { ...base, worstS: r.worstS, cases: r.cases };
  if (r.benchmark === 'export') {
    return {
      ...base,
      serverPeakRssMb: r.serverPeakRssMb,
      targets: r.targets,
      cases: r.cases.map((c) => ({
        persona: c.persona, format: c.format, rows: c.rows, bytes: c.bytes, seconds: c.seconds, rowsPerS: c.rowsPerS, firstByteMs: c.firstByteMs,
        serverPeakRssMb: c.serverPeakRssMb,
      })),
    };
  }
  if (r.benchmark === 'sales') {
    return {
      ...base,
      counts: r.counts,
      worstP95: r.worstP95,
      cases: r.cases.map((c) => ({ persona: c.persona, case: c.case, p50: c.http.p50, p95: c.http.p95, p99: c.http.p99, rps: c.http.rps, serialP50: c.serial.p50, sqlP50: c.sql?.p50 })),
    };
  }
  if (r.benchmark === 'search') {
    return {
      ...base,
      contacts: r.dataset.contacts,
      serverPeakRssMb: r.serverPeakRssMb,
      targets: r.targets,
      personas: r.personas,
      cases: r.cases.map((c) => ({
        persona: c.persona, term: c.term, q: c.q, endpoint: c.endpoint, matches: c.matches,
        p50: c.http?.p50, p95: c.http?.p95, p99: c.http?.p99, rps: c.http?.rps, serialP50: c.serial?.p50, sqlP50: c.sql.p50, sqlP95: c.sql.p95,
      })),
    };
  }
  return {
    ...base,
    serverPeakRssMb: r.serverPeakRssMb,
    targets: evaluateTargets(r.cases),
    personas: r.personas.map((p) => ({ key: p.key, scope: p.scope, owners: p.owners, shared: p.shared, visible: p.visible })),
    cases: r.cases.map((c) => ({
      persona: c.persona, case: c.case, p50: c.http.p50, p95: c.http.p95, p99: c.http.p99, rps: c.http.rps,
      serialP50: c.serial.p50, sqlP50: c.sql.p50, sqlP95: c.sql.p95,
    })),
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      size: { type: 'string' },
      full: { type: 'boolean', default: false },
      backend: { type: 'string', default: 'both' },
      concurrency: { type: 'string', default: '10' },
      duration: { type: 'string' },
      serial: { type: 'string' },
      rounds: { type: 'string' },
      personas: { type: 'string' },
      terms: { type: 'string' },
      'pool-days': { type: 'string', default: '1,7' },
      'pool-runs': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'sql-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) usage();
  const names = (positionals.length ? positionals : [...BENCHMARKS]) as BenchmarkName[];
  for (const n of names) if (!BENCHMARKS.includes(n)) usage(`unknown benchmark ${n}; there is: ${BENCHMARKS.join(', ')}`);
  const size = values.full ? 1_000_000 : Number((values.size ?? '20000').replace(/[_,]/g, ''));
  if (!Number.isInteger(size) || size < 1000) usage('--size must be a whole number ≥ 1000');
  const backends: Backend[] = values.backend === 'both' ? ['pg', 'pglite'] : [values.backend as Backend];
  if (!backends.every((b) => b === 'pg' || b === 'pglite')) usage('--backend is pg, pglite or both');
  const concurrency = Number(values.concurrency);
  const full = size >= 500_000;
  const durationS = Number(values.duration ?? (full ? 10 : 2));
  const serialS = Number(values.serial ?? (full ? 3 : 0.5));
  const rounds = Number(values.rounds ?? (full ? 5 : 1));
  const sqlBudgetMs = full ? 3000 : 500;
  const personasOf = (defaults: PersonaKey[]) => {
    const ps = (values.personas ? values.personas.split(',') : [...defaults]) as PersonaKey[];
    if (!ps.every((p) => PERSONAS.includes(p))) usage(`--personas takes ${PERSONAS.join(',')}`);
    if (!ps.includes('admin')) ps.unshift('admin');
    return ps;
  };
  const terms = (values.terms ? values.terms.split(',') : TERMS) as TermKey[];
  if (!terms.every((t) => TERMS.includes(t))) usage(`--terms takes ${TERMS.join(',')}`);
  const poolDays = values['pool-days'].split(',').map(Number);
  if (!poolDays.every((d) => Number.isFinite(d) && d >= 0)) usage('--pool-days takes days ≥ 0, e.g. 1,7');
  const sqlOnly = values['sql-only'];
  mkdirSync(RESULTS_DIR, { recursive: true });

  const started = Date.now();
  const results: AnyResult[] = [];
  const log = (m: string) => console.log(m);
  // --fresh makes each backend's data set anew once, for the first benchmark; the others reuse it
  const made = new Set<Backend>();
  const freshFor = (b: Backend) => values.fresh && !made.has(b) && !!made.add(b);
  for (const name of names) {
    if (sqlOnly && (name === 'pool' || name === 'export' || name === 'import')) continue;
    for (const backend of backends) {
      const t0 = Date.now();
      let r: AnyResult;
      if (name === 'list') {
        r = await runListBenchmark(backend, {
          size, concurrency, durationS, serialS, rounds, sqlBudgetMs, personas: personasOf(PERSONAS), fresh: freshFor(backend), http: !sqlOnly, log,
        });
      } else if (name === 'search') {
        r = await runSearchBenchmark(backend, {
          size, concurrency, durationS, serialS, rounds, sqlBudgetMs, personas: personasOf(SEARCH_PERSONAS), terms, fresh: freshFor(backend), http: !sqlOnly, log,
        });
      } else if (name === 'import') {
        r = await runImportBenchmark(backend, { size, log });
      } else if (name === 'export') {
        r = await runExportBenchmark(backend, { size, personas: personasOf(EXPORT_PERSONAS), formats: EXPORT_FORMATS, fresh: freshFor(backend), log });
      } else if (name === 'sales') {
        r = await runSalesBenchmark(backend, {
          size, concurrency, durationS, serialS, rounds, sqlBudgetMs, personas: personasOf(PERSONAS), fresh: freshFor(backend), http: !sqlOnly, log,
        });
      } else {
        r = await runPoolBenchmark(backend, { size, days: poolDays, runs: Number(values['pool-runs'] ?? (full ? 2 : 1)), plans: true, fresh: freshFor(backend), log });
      }
      console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      if (sqlOnly && (name === 'list' || name === 'sales')) continue;
      results.push(r);
      console.log(tableOf(r) + '\n');
    }
  }

  if (sqlOnly) process.exit(0);
  // combined summary at this size: the latest result of every benchmark and backend (this run's or an earlier one's)
  const latest = BENCHMARKS.flatMap((name) =>
    (['pg', 'pglite'] as Backend[]).map(
      (b) => results.find((r) => r.benchmark === name && r.backend === b) ?? readResult(join(RESULTS_DIR, `${name}-${b}-${size}.json`)),
    ),
  ).filter((r): r is AnyResult => !!r);
  const summary = { at: new Date().toISOString(), size, runs: latest.map(summaryOf) };
  writeFileSync(join(RESULTS_DIR, `summary-${size}.json`), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(RESULTS_DIR, `summary-${size}.txt`), latest.map(tableOf).join('\n\n') + '\n');
  console.log(
    `results in bench/results/: <benchmark>-<backend>-${size}.json, summary-${size}.json and summary-${size}.txt · ${Math.round((Date.now() - started) / 1000)} s in all`,
  );
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
