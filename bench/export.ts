/**
 * Benchmark "export": the customer list as a file (GET /api/v1/customers/export,
 * format xlsx and csv, every column), downloaded whole by the super
 * administrator (the tenant) and a manager persona (self + subordinates), one
 * download at a time against the real server in its own process, streamed to a
 * temporary file. Per case: rows (counted in the file, checked against the
 * list's count), bytes, seconds, rows/s, client-side time to first byte, the
 * server's peak RSS during that download, CPU of the server and PostgreSQL.
 *
 * Goal (issue): 1,000,000 customers as XLSX in ≤ 60 s with the server's peak RSS ≤ 400 MB.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, backendFacts, prepareDataset, type ResultHead, resultHead } from './lib/datasets.js';
import { cpuSnapshot, cpuUse } from './lib/cpu.js';
import { countRows, download } from './lib/download.js';
import { apiToken, type PersonaKey, pickPersona } from './lib/harness.js';
import { type RunningServer, startServer } from './lib/server.js';
import { fmt, table } from './lib/stats.js';
import { RESULTS_DIR } from './list.js';

export type ExportFormat = 'xlsx' | 'csv';
export const EXPORT_FORMATS: ExportFormat[] = ['xlsx', 'csv'];
export const EXPORT_PERSONAS: PersonaKey[] = ['admin', 'manager'];
const GOAL = { seconds: 60, peakRssMb: 400, size: 1_000_000 };
const RSS_SAMPLE_MS = 100;

export interface ExportOptions {
  size: number;
  personas: PersonaKey[];
  formats: ExportFormat[];
  fresh: boolean;
  log: (m: string) => void;
}

export interface ExportCase {
  persona: PersonaKey;
  format: ExportFormat;
  /** Data rows in the file, and what the list's count says the persona sees. */
  rows: number;
  expectedRows: number;
  bytes: number;
  seconds: number;
  rowsPerS: number;
  /** Client side, from sending the request. */
  headersMs: number;
  firstByteMs: number;
  /** The server's resident memory before the download and at its peak during it (MiB). */
  serverRssBeforeMb: number | null;
  serverPeakRssMb: number | null;
  /** 'hwm': VmHWM restarted before the download; 'sampled': VmRSS every 100 ms (the kernel refused the restart). */
  peakBy: 'hwm' | 'sampled';
  /** CPU seconds of the server process and of PostgreSQL; share of the cores busy with anything else meanwhile. */
  cpu: { serverS: number; postgresS: number; otherPct: number };
}

export interface ExportResult extends ResultHead {
  benchmark: 'export';
  personas: { key: PersonaKey; userId: number; name: string; email: string; visible: number }[];
  cases: ExportCase[];
  serverPeakRssMb: number | null;
  /** The goal's case: the administrator's whole tenant as XLSX. */
  targets: { xlsxSeconds: number | null; xlsxPeakRssMb: number | null; ok: boolean | null };
}

/** One download, with the server's memory and CPU around it. */
async function measure(server: RunningServer, path: string, token: string, format: ExportFormat, postgresIsOurs: boolean) {
  const file = join(tmpdir(), `crm-bench-export-${process.pid}.${format}`);
  const before = server.rssMb();
  const byHwm = server.resetPeakRss();
  let sampled = before ?? 0;
  const sampler = setInterval(() => (sampled = Math.max(sampled, server.rssMb() ?? 0)), RSS_SAMPLE_MS);
  const cpu0 = cpuSnapshot(server.pid);
  try {
    const d = await download(server.url + path, { authorization: `Bearer ${token}` }, file);
    const cpu = cpuUse(cpu0, cpuSnapshot(server.pid), postgresIsOurs);
    clearInterval(sampler);
    if (d.status !== 200) throw new Error(`GET ${path}: ${d.status} ${d.error}`);
    const peak = byHwm ? server.peakRssMb() : Math.max(sampled, server.rssMb() ?? 0);
    return { d, rows: await countRows(file, format), before, peak, peakBy: byHwm ? ('hwm' as const) : ('sampled' as const), cpu };
  } finally {
    clearInterval(sampler);
    rmSync(file, { force: true });
  }
}

export async function runExportBenchmark(backend: Backend, o: ExportOptions): Promise<ExportResult> {
  o.log(`\n== export · ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'} · ${o.size.toLocaleString('en')} customers`);
  const ds = await prepareDataset(backend, o.size, { fresh: o.fresh, log: o.log });
  const { tenantId } = ds.info;
  const database = await backendFacts(ds.db);
  const picked = [];
  for (const key of o.personas) picked.push({ key, ...(await pickPersona(ds.db, tenantId, key)) });
  // PGlite has one owner: the server from here on
  await ds.db.close();

  o.log('  starting the server');
  const server = await startServer(ds.serverEnv);
  const cases: ExportCase[] = [];
  const personas: ExportResult['personas'] = [];
  let peak: number | null = null;
  try {
    for (const p of picked) {
      const token = await apiToken(server.url, p.email);
      const get = async <T>(path: string) => {
        const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      // the export walks the list: it holds what the list counts
      const visible = (await get<{ total: number }>('/api/v1/customers/count')).total;
      personas.push({ key: p.key, userId: p.id, name: p.name, email: p.email, visible });
      o.log(`  ${p.key}: ${p.name} (${p.position ?? p.role}, user ${p.id}) sees ${visible.toLocaleString('en')} customers`);
      // warm-up: one row in each format (code paths loaded and compiled before the timing)
      const one = (await get<{ items: { id: number }[] }>('/api/v1/customers?limit=1')).items[0];
      if (one) for (const f of o.formats) await measure(server, `/api/v1/customers/export?format=${f}&ids=${one.id}`, token, f, backend === 'pg');
      for (const format of o.formats) {
        const m = await measure(server, `/api/v1/customers/export?format=${format}`, token, format, backend === 'pg');
        const seconds = m.d.totalMs / 1000;
        const c: ExportCase = {
          persona: p.key, format, rows: m.rows, expectedRows: visible, bytes: m.d.bytes, seconds: Math.round(seconds * 100) / 100,
          rowsPerS: Math.round(m.rows / seconds), headersMs: m.d.headersMs, firstByteMs: m.d.firstByteMs,
          serverRssBeforeMb: m.before, serverPeakRssMb: m.peak, peakBy: m.peakBy,
          cpu: { serverS: Math.round(m.cpu.server * 10) / 10, postgresS: Math.round(m.cpu.postgres * 10) / 10, otherPct: Math.round(m.cpu.other * 100) },
        };
        cases.push(c);
        o.log(
          `  ${p.key.padEnd(8)} ${format.padEnd(4)} ${fmt(c.rows)} rows${c.rows === visible ? '' : ` (! the list counts ${fmt(visible)})`}, ` +
            `${fmt(c.bytes / 1e6)} MB in ${fmt(c.seconds)} s: ${fmt(c.rowsPerS)} rows/s · first byte ${fmt(c.firstByteMs)} ms · ` +
            `server RSS ${c.serverRssBeforeMb ?? '?'} → peak ${c.serverPeakRssMb ?? '?'} MiB · CPU server ${fmt(c.cpu.serverS)} s pg ${fmt(c.cpu.postgresS)} s · other load ${c.cpu.otherPct}%`,
        );
      }
    }
  } finally {
    // the whole run's peak (the per-case peaks restart it)
    peak = Math.max(0, ...cases.map((c) => c.serverPeakRssMb ?? 0)) || server.peakRssMb();
    await server.stop();
  }
  const goal = cases.find((c) => c.persona === 'admin' && c.format === 'xlsx');
  const result: ExportResult = {
    benchmark: 'export',
    ...resultHead(backend, o.size, database, ds),
    personas,
    cases,
    serverPeakRssMb: peak,
    targets: {
      xlsxSeconds: goal?.seconds ?? null,
      xlsxPeakRssMb: goal?.serverPeakRssMb ?? null,
      ok: goal ? goal.seconds <= GOAL.seconds && (goal.serverPeakRssMb ?? Infinity) <= GOAL.peakRssMb : null,
    },
  };
  writeFileSync(join(RESULTS_DIR, `export-${backend}-${o.size}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

// ------------------------------------------------------------------ printing

export function exportTable(r: ExportResult): string {
  const name = r.backend === 'pg' ? `PostgreSQL ${r.database.server_version ?? ''}`.trim() : `PGlite (PostgreSQL ${r.database.server_version ?? '?'} in WASM)`;
  const gen = r.dataset.reused ? `data reused (generated in ${fmt(r.dataset.generationMs / 1000)} s)` : `data generated in ${fmt(r.dataset.generationMs / 1000)} s`;
  const visible = new Map(r.personas.map((p) => [p.key, p.visible]));
  const rows = r.cases.map((c, i) => [
    i === 0 || r.cases[i - 1]!.persona !== c.persona ? c.persona : '',
    c.format,
    c.rows === c.expectedRows ? fmt(c.rows) : `${fmt(c.rows)} (≠ ${fmt(visible.get(c.persona))})`,
    fmt(c.bytes / 1e6),
    c.seconds,
    c.rowsPerS,
    c.firstByteMs,
    `${c.serverRssBeforeMb ?? '?'} → ${c.serverPeakRssMb ?? '?'}`,
    r.backend === 'pg' ? `${fmt(c.cpu.serverS)} + ${fmt(c.cpu.postgresS)}` : fmt(c.cpu.serverS),
    `${c.cpu.otherPct}%`,
  ]);
  const t = r.targets;
  const sampled = r.cases.some((c) => c.peakBy === 'sampled');
  return [
    `export · ${name} · ${r.size.toLocaleString('en')} customers · ${gen}`,
    'GET /api/v1/customers/export?format=… (every column), one download at a time, streamed to a file; first byte: client side, from sending the request.',
    `server RSS: before the download → its peak during it (${sampled ? 'VmRSS sampled every 100 ms' : 'VmHWM restarted before each download'}), MiB` +
      `${r.backend === 'pg' ? ', Node process only' : ', the embedded database included'}; CPU: seconds of the server${r.backend === 'pg' ? ' + PostgreSQL' : ''};` +
      ` other: share of the ${r.machine.cpus} cores busy with anything else meanwhile.`,
    '',
    table(['persona', 'format', 'rows', 'MB', 's', 'rows/s', 'first byte ms', 'server RSS MiB', r.backend === 'pg' ? 'CPU s node+pg' : 'CPU s', 'other'], rows),
    '',
    `goal: the whole tenant as XLSX in ≤ ${GOAL.seconds} s with server peak RSS ≤ ${GOAL.peakRssMb} MB: ` +
      (t.ok === null ? 'not measured (no admin xlsx case)' : `${fmt(t.xlsxSeconds)} s, ${t.xlsxPeakRssMb ?? '?'} MiB → ${t.ok ? 'met' : 'NOT met'}`) +
      (r.backend === 'pg' && r.size >= GOAL.size ? '' : ` (the goal is for PostgreSQL at ${GOAL.size.toLocaleString('en')})`),
  ].join('\n');
}
