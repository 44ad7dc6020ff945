/**
 * Bench databases: one per backend and size, generated once and reused.
 *   PostgreSQL: database crm_bench_<size> on BENCH_PG_URL's server (default 127.0.0.1:5432, user postgres)
 *   PGlite:     bench/.data/pglite-<size>/pgdata (the server gets CRM_DATA_DIR=bench/.data/pglite-<size>)
 * A small table bench.meta records what the generator made, so a later run
 * can tell whether the data are there at that size.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { type Database, openPglite, openPostgres } from '../../src/server/db/database.js';
import { migrate } from '../../src/server/db/migrate.js';
import { sql } from '../../src/server/db/sql.js';
import { GENERATOR_VERSION, generate, type StepResult } from '../generate.js';

export type Backend = 'pg' | 'pglite';
export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_DIR = join(BENCH_DIR, '.data');

const PG_SERVER_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface DatasetInfo {
  version: number;
  customers: number;
  tenantId: number;
  tenantCode: string;
  generatedAt: string;
  generationMs: number;
  steps: StepResult[];
  /** The data set's "now": every generated time is at or before it (the pool benchmark runs the rules relative to it). */
  anchor: string;
  /** Contacts generated (live and deleted). */
  contacts: number;
  /** Follow-ups generated (live and deleted). */
  followups?: number;
  /** The generated public pool. */
  poolId: number | null;
}

export interface Dataset {
  backend: Backend;
  size: number;
  db: Database;
  info: DatasetInfo;
  reused: boolean;
  /** Time to apply pending migrations to a reused database (e.g. a new index). */
  migrateMs: number;
  /** Environment for the server process to use this database. */
  serverEnv: Record<string, string>;
  where: string;
}

function pgUrl(database: string): string {
  const u = new URL(PG_SERVER_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_SERVER_URL });
  try {
    await c.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_SERVER_URL} (${(err as Error).message}); start it with ` +
        '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, or set BENCH_PG_URL',
    );
  }
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function readInfo(db: Database): Promise<DatasetInfo | undefined> {
  return db.system(async (q) => {
    const has = await q.one<{ ok: boolean }>(sql`SELECT to_regclass('bench.meta') IS NOT NULL AS ok`);
    if (!has?.ok) return undefined;
    return (await q.one<{ value: DatasetInfo }>(sql`SELECT value FROM bench.meta WHERE key = 'dataset'`))?.value;
  });
}

async function writeInfo(db: Database, info: DatasetInfo): Promise<void> {
  await db.system(async (q) => {
    await q.exec(`CREATE SCHEMA IF NOT EXISTS bench; CREATE TABLE IF NOT EXISTS bench.meta (key text PRIMARY KEY, value jsonb NOT NULL)`);
    await q.query(sql`INSERT INTO bench.meta (key, value) VALUES ('dataset', ${JSON.stringify(info)}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
  });
}

function usable(info: DatasetInfo | undefined, size: number): info is DatasetInfo {
  return !!info && info.version === GENERATOR_VERSION && info.customers === size;
}

/** An empty database of its own for a benchmark that writes (import): made anew on every run. */
export async function openScratchBackend(backend: Backend, name: string): Promise<{ db: Database; serverEnv: Record<string, string>; where: string }> {
  if (backend === 'pg') {
    const database = `crm_bench_${name}`;
    await pgAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    await pgAdmin((c) => c.query(`CREATE DATABASE ${database}`));
    const url = pgUrl(database);
    return { db: openPostgres(url, { max: 4 }), serverEnv: { DATABASE_URL: url }, where: `PostgreSQL database ${database}` };
  }
  const dataDir = join(DATA_DIR, `pglite-${name}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(join(dataDir, 'pgdata'), { recursive: true });
  return { db: await openPglite(join(dataDir, 'pgdata')), serverEnv: { CRM_DATA_DIR: dataDir }, where: `PGlite ${dataDir}` };
}

async function openBackend(backend: Backend, size: number, fresh: boolean): Promise<{ db: Database; serverEnv: Record<string, string>; where: string; dropped: boolean }> {
  if (backend === 'pg') {
    const name = `crm_bench_${size}`;
    const exists = await pgAdmin(async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
    if (fresh && exists) await pgAdmin((c) => c.query(`DROP DATABASE ${name} WITH (FORCE)`));
    if (fresh || !exists) await pgAdmin((c) => c.query(`CREATE DATABASE ${name}`));
    const url = pgUrl(name);
    return { db: openPostgres(url, { max: 4 }), serverEnv: { DATABASE_URL: url }, where: `PostgreSQL database ${name}`, dropped: fresh || !exists };
  }
  const dataDir = join(DATA_DIR, `pglite-${size}`);
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  const pgdata = join(dataDir, 'pgdata');
  const existed = existsSync(join(pgdata, 'PG_VERSION'));
  mkdirSync(pgdata, { recursive: true });
  return { db: await openPglite(pgdata), serverEnv: { CRM_DATA_DIR: dataDir }, where: `PGlite ${dataDir}`, dropped: !existed };
}

/**
 * Opens the bench database of a backend at a size: reuses it when it already
 * holds this generator's data at that size, else makes it anew and generates.
 */
export async function prepareDataset(backend: Backend, size: number, opts: { fresh?: boolean; log?: (m: string) => void } = {}): Promise<Dataset> {
  const log = opts.log ?? ((m: string) => console.log(m));
  let opened = await openBackend(backend, size, !!opts.fresh);
  let info = opened.dropped ? undefined : await readInfo(opened.db);
  if (!opened.dropped && !usable(info, size)) {
    // something else or a half-made data set: start over
    log(`  ${opened.where} holds no complete data set of ${size} customers: making it anew`);
    await opened.db.close();
    opened = await openBackend(backend, size, true);
    info = undefined;
  }
  const t0 = performance.now();
  await migrate(opened.db);
  const migrateMs = Math.round(performance.now() - t0);
  if (usable(info, size)) {
    log(`  reusing ${opened.where} (generated ${info.generatedAt} in ${(info.generationMs / 1000).toFixed(1)} s)${migrateMs > 1000 ? `; migrations took ${(migrateMs / 1000).toFixed(1)} s` : ''}`);
    return { backend, size, db: opened.db, info, reused: true, migrateMs, serverEnv: opened.serverEnv, where: opened.where };
  }
  log(`  generating ${size.toLocaleString('en')} customers into ${opened.where}`);
  const r = await generate(opened.db, { customers: size, log });
  const fresh: DatasetInfo = {
    version: GENERATOR_VERSION,
    customers: size,
    tenantId: r.ctx.tenantId,
    tenantCode: r.ctx.tenantCode,
    generatedAt: new Date().toISOString(),
    generationMs: r.totalMs,
    steps: r.steps,
    anchor: r.ctx.anchor,
    contacts: r.steps.find((s) => s.step === 'contacts')?.rows ?? 0,
    followups: r.steps.find((s) => s.step === 'followups')?.rows ?? 0,
    poolId: r.ctx.pool?.id ?? null,
  };
  await writeInfo(opened.db, fresh);
  log(`  generated in ${(r.totalMs / 1000).toFixed(1)} s`);
  return { backend, size, db: opened.db, info: fresh, reused: false, migrateMs, serverEnv: opened.serverEnv, where: opened.where };
}

/** Server settings worth printing beside the figures. */
export async function backendFacts(db: Database): Promise<Record<string, string>> {
  return db.system(async (q) => {
    const rows = await q.query<{ name: string; setting: string }>(sql`
      SELECT name, current_setting(name) AS setting FROM pg_settings
      WHERE name IN ('server_version', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'work_mem', 'effective_cache_size', 'random_page_cost', 'max_parallel_workers_per_gather', 'jit')`);
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  });
}

/** What every benchmark's result begins with: backend, size, when, the machine, the database's settings and the data set. */
export interface ResultHead {
  backend: Backend;
  size: number;
  at: string;
  machine: { cpus: number; node: string };
  database: Record<string, string>;
  dataset: DatasetInfo & { reused: boolean; migrateMs: number; where: string };
}

export function resultHead(backend: Backend, size: number, database: Record<string, string>, ds: Dataset): ResultHead {
  return {
    backend,
    size,
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    database,
    dataset: { ...ds.info, reused: ds.reused, migrateMs: ds.migrateMs, where: ds.where },
  };
}
