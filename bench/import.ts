/**
 * Benchmark "import": customers imported from files through the API into an
 * empty company of a database made for the run, by the real server in its own
 * process (upload, then the background job, followed by polling as the
 * wizard does). Cases: an XLSX written the way Excel writes it (shared
 * strings) with 8 columns, a GBK-encoded CSV (100,000 rows at most), whose
 * names are then compared with the file's, character for character, and
 * contacts of those customers (100,000 at most) naming them by name.
 * Per case: rows, seconds of the upload and of the job, rows/s, the server's
 * peak RSS during the job, CPU of the server and PostgreSQL.
 *
 * Goal (issue): 1,000,000 rows of XLSX on PostgreSQL in ≤ 60 s with the server's peak RSS ≤ 400 MB.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../src/server/db/migrate.js';
import { sql } from '../src/server/db/sql.js';
import { createTenant } from '../src/server/modules/tenants/tenants.service.js';
import { XlsxWriter } from '../src/server/platform/exchange/xlsx.js';
import { encodeGb18030 } from '../test/helpers/gbk.js';
import { BENCH_PASSWORD, CITIES, FORMS, TRADES, WORDS } from './generate.js';
import { cpuSnapshot, cpuUse } from './lib/cpu.js';
import { type Backend, backendFacts, openScratchBackend } from './lib/datasets.js';
import { apiToken } from './lib/harness.js';
import { type RunningServer, startServer } from './lib/server.js';
import { fmt, table } from './lib/stats.js';
import { RESULTS_DIR } from './list.js';

const GOAL = { seconds: 60, peakRssMb: 400, size: 1_000_000 };
const GBK_ROWS_MAX = 100_000;
/** Contacts imported after the customers, each naming one of them: at most this many. */
const CONTACT_ROWS_MAX = 100_000;
const ADMIN_EMAIL = 'admin@import.bench';
const REGIONS = ['北京市朝阳区', '上海市浦东新区', '广东省深圳市南山区', '浙江省杭州市西湖区', '四川省成都市武侯区', '湖北省武汉市洪山区', '江苏省南京市鼓楼区', '陕西省西安市雁塔区'];
const LEVELS = ['A', 'B', 'C', 'D'];
const HEADER = ['客户名称', '电话', '所在地区', '客户级别', '标签', '邮箱', '备注', '负责人'];
const OWNERS = ['销售一', '销售二', '销售三', '销售四', '销售五'];

export interface ImportOptions {
  size: number;
  log: (m: string) => void;
}

export interface ImportCase {
  file: 'xlsx' | 'gbk-csv' | 'contacts-csv';
  rows: number;
  created: number;
  failed: number;
  fileMb: number;
  generateS: number;
  uploadS: number;
  /** From the start request to the job's completion. */
  seconds: number;
  rowsPerS: number;
  serverRssBeforeMb: number | null;
  serverPeakRssMb: number | null;
  cpu: { serverS: number; postgresS: number; otherPct: number };
  /** GBK: the stored names equal the file's, in order (a digest of both). */
  namesIntact?: boolean;
}

export interface ImportResult {
  benchmark: 'import';
  backend: Backend;
  size: number;
  at: string;
  machine: { cpus: number; node: string };
  database: Record<string, string>;
  cases: ImportCase[];
  targets: { xlsxSeconds: number | null; xlsxPeakRssMb: number | null; ok: boolean | null };
}

/** The i-th customer: a name unique in the file, spread over cities, trades and forms like the generator's. */
function customerRow(i: number): string[] {
  const name = `${CITIES[i % CITIES.length]}${WORDS[(i >> 2) % WORDS.length]}${TRADES[(i >> 5) % TRADES.length]}${i}${FORMS[i % FORMS.length]}`;
  return [name, `1${38 + (i % 2)}${String(i).padStart(8, '0')}`, REGIONS[i % REGIONS.length]!, LEVELS[i % 4]!, i % 3 ? '' : '重点、老客户', `c${i}@example.cn`, `导入测试第 ${i} 行`, OWNERS[i % OWNERS.length]!];
}

async function writeXlsx(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const x = await XlsxWriter.start(async (b) => {
    if (!out.write(b)) await once(out, 'drain');
  }, '客户', { sharedStrings: true });
  await x.header(HEADER);
  for (let i = 0; i < rows; i++) await x.row(customerRow(i));
  await x.finish();
  out.end();
  await once(out, 'finish');
}

function writeGbkCsv(path: string, rows: number): string[] {
  const lines = [HEADER.join(',')];
  const names: string[] = [];
  for (let i = 0; i < rows; i++) {
    const r = customerRow(i + 10_000_000);
    names.push(r[0]!);
    lines.push(r.join(','));
  }
  writeFileSync(path, encodeGb18030(`${lines.join('\r\n')}\r\n`));
  return names;
}

/** Contacts of the XLSX case's customers (named by customer name, as a file from another system would), UTF-8 CSV. */
function writeContactsCsv(path: string, rows: number, customers: number): void {
  const lines = ['所属客户,姓名,手机,邮箱,职务'];
  for (let i = 0; i < rows; i++) lines.push([customerRow(i % customers)[0], `联系人${i}`, `15${String(i).padStart(9, '0')}`, `k${i}@example.cn`, i % 2 ? '采购经理' : '总经理'].join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const digest = (names: string[]) => createHash('sha256').update(names.join('\n')).digest('hex');

/** Upload, start, and follow the job to its end; the server's memory and CPU over the job. */
async function runImport(server: RunningServer, token: string, fileName: string, path: string, postgresIsOurs: boolean, log: (m: string) => void, entity = 'customer') {
  const auth = { authorization: `Bearer ${token}` };
  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(server.url + url, { method, headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  let t = performance.now();
  const up = await fetch(`${server.url}/api/v1/imports?entity=${entity}&fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: readFileSync(path),
  });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const draft = (await up.json()) as { id: number; mapping: (string | null)[] };
  const uploadS = (performance.now() - t) / 1000;
  const before = server.rssMb();
  server.resetPeakRss();
  const cpu0 = cpuSnapshot(server.pid);
  t = performance.now();
  await api('POST', `/api/v1/imports/${draft.id}/start`, { mapping: draft.mapping, duplicates: 'skip' });
  let job: { status: string; rowsDone: number; rowsCreated: number; rowsFailed: number; error: string | null };
  let shown = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    job = await api('GET', `/api/v1/imports/${draft.id}`);
    if (!['queued', 'running'].includes(job.status)) break;
    if (performance.now() - shown > 10_000) {
      shown = performance.now();
      log(`    ${fmt(job.rowsDone)} rows after ${fmt((performance.now() - t) / 1000)} s`);
    }
  }
  const seconds = (performance.now() - t) / 1000;
  const cpu = cpuUse(cpu0, cpuSnapshot(server.pid), postgresIsOurs);
  if (job.status !== 'completed') throw new Error(`import ${draft.id} ended ${job.status}: ${job.error}`);
  return { id: draft.id, job, uploadS, seconds, before, peak: server.peakRssMb(), cpu };
}

export async function runImportBenchmark(backend: Backend, o: ImportOptions): Promise<ImportResult> {
  o.log(`\n== import · ${backend === 'pg' ? 'PostgreSQL' : 'PGlite'} · ${o.size.toLocaleString('en')} rows`);
  const scratch = await openScratchBackend(backend, 'import');
  await migrate(scratch.db);
  const tenant = await createTenant(scratch.db, { code: 'bench', name: '导入基准公司', admin: { name: '管理员', email: ADMIN_EMAIL, password: BENCH_PASSWORD } });
  await scratch.db.tenant({ tenantId: tenant.tenantId }, (q) =>
    q.query(sql`INSERT INTO users (tenant_id, name, email, department_id) SELECT ${tenant.tenantId}, n, 'owner' || i || '@import.bench', ${tenant.rootDepartmentId}
      FROM unnest(${OWNERS}::text[]) WITH ORDINALITY AS o(n, i)`),
  );
  const database = await backendFacts(scratch.db);
  const gbkRows = Math.min(o.size, GBK_ROWS_MAX);
  const contactRows = Math.min(o.size, CONTACT_ROWS_MAX);
  const files = {
    xlsx: join(tmpdir(), `crm-bench-import-${process.pid}.xlsx`),
    csv: join(tmpdir(), `crm-bench-import-${process.pid}.csv`),
    contacts: join(tmpdir(), `crm-bench-import-contacts-${process.pid}.csv`),
  };
  let t = performance.now();
  await writeXlsx(files.xlsx, o.size);
  const xlsxGenS = (performance.now() - t) / 1000;
  t = performance.now();
  const gbkNames = writeGbkCsv(files.csv, gbkRows);
  const csvGenS = (performance.now() - t) / 1000;
  writeContactsCsv(files.contacts, contactRows, o.size);
  o.log(`  files: XLSX ${fmt(statSync(files.xlsx).size / 1e6)} MB in ${fmt(xlsxGenS)} s, GBK CSV ${fmt(statSync(files.csv).size / 1e6)} MB in ${fmt(csvGenS)} s`);
  await scratch.db.close();

  const server = await startServer(scratch.serverEnv);
  const cases: ImportCase[] = [];
  try {
    const token = await apiToken(server.url, ADMIN_EMAIL);
    // warm-up: a three-row import, so that the code paths are loaded and compiled before the timing
    const warm = join(tmpdir(), `crm-bench-import-warm-${process.pid}.csv`);
    writeFileSync(warm, `${HEADER.join(',')}\n${[1, 2, 3].map((i) => customerRow(20_000_000 + i).join(',')).join('\n')}\n`);
    await runImport(server, token, 'warm.csv', warm, backend === 'pg', () => {});
    rmSync(warm, { force: true });
    const plan = {
      xlsx: { path: files.xlsx, rows: o.size, name: '客户.xlsx', entity: 'customer', genS: xlsxGenS },
      'gbk-csv': { path: files.csv, rows: gbkRows, name: '客户_gbk.csv', entity: 'customer', genS: csvGenS },
      'contacts-csv': { path: files.contacts, rows: contactRows, name: '联系人.csv', entity: 'contact', genS: 0 },
    };
    for (const file of ['xlsx', 'gbk-csv', 'contacts-csv'] as const) {
      const { path, rows, name, entity, genS } = plan[file];
      o.log(`  ${file}: ${fmt(rows)} rows`);
      const m = await runImport(server, token, name, path, backend === 'pg', o.log, entity);
      const c: ImportCase = {
        file, rows, created: m.job.rowsCreated, failed: m.job.rowsFailed, fileMb: Math.round(statSync(path).size / 1e5) / 10,
        generateS: Math.round(genS * 10) / 10, uploadS: Math.round(m.uploadS * 10) / 10,
        seconds: Math.round(m.seconds * 10) / 10, rowsPerS: Math.round(rows / m.seconds),
        serverRssBeforeMb: m.before, serverPeakRssMb: m.peak,
        cpu: { serverS: Math.round(m.cpu.server * 10) / 10, postgresS: Math.round(m.cpu.postgres * 10) / 10, otherPct: Math.round(m.cpu.other * 100) },
      };
      if (file === 'gbk-csv') {
        const stored = await fetchNames(scratch.serverEnv, backend, m.id, server);
        c.namesIntact = stored === null ? undefined : stored === digest(gbkNames);
      }
      cases.push(c);
      o.log(
        `  ${file.padEnd(8)} ${fmt(c.created)} created, ${fmt(c.failed)} failed in ${fmt(c.seconds)} s (upload ${fmt(c.uploadS)} s): ${fmt(c.rowsPerS)} rows/s · ` +
          `server RSS ${c.serverRssBeforeMb ?? '?'} → peak ${c.serverPeakRssMb ?? '?'} MiB · CPU server ${fmt(c.cpu.serverS)} s pg ${fmt(c.cpu.postgresS)} s · other load ${c.cpu.otherPct}%` +
          (c.namesIntact === undefined ? '' : ` · names ${c.namesIntact ? 'intact' : 'CHANGED'}`),
      );
    }
  } finally {
    await server.stop();
    rmSync(files.xlsx, { force: true });
    rmSync(files.csv, { force: true });
    rmSync(files.contacts, { force: true });
  }
  const goal = cases.find((c) => c.file === 'xlsx');
  const result: ImportResult = {
    benchmark: 'import', backend, size: o.size, at: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, database, cases,
    targets: {
      xlsxSeconds: goal?.seconds ?? null,
      xlsxPeakRssMb: goal?.serverPeakRssMb ?? null,
      ok: goal ? goal.seconds <= GOAL.seconds && (goal.serverPeakRssMb ?? Infinity) <= GOAL.peakRssMb : null,
    },
  };
  writeFileSync(join(RESULTS_DIR, `import-${backend}-${o.size}.json`), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/** The digest of the names an import stored, in order (the server is stopped for PGlite, whose files one process owns). */
async function fetchNames(env: Record<string, string>, backend: Backend, jobId: number, server: RunningServer): Promise<string | null> {
  if (backend !== 'pg') {
    await server.stop();
    const reopened = await openScratchReadOnly(env);
    try {
      return await namesDigest(reopened, jobId);
    } finally {
      await reopened.close();
    }
  }
  const { openPostgres } = await import('../src/server/db/database.js');
  const db = openPostgres(env.DATABASE_URL!, { max: 1 });
  try {
    return await namesDigest(db, jobId);
  } finally {
    await db.close();
  }
}

async function openScratchReadOnly(env: Record<string, string>) {
  const { openPglite } = await import('../src/server/db/database.js');
  return openPglite(join(env.CRM_DATA_DIR!, 'pgdata'));
}

async function namesDigest(db: import('../src/server/db/database.js').Database, jobId: number): Promise<string> {
  const rows = await db.system((q) => q.query<{ name: string }>(sql`SELECT name FROM customers WHERE import_job_id = ${jobId} ORDER BY id`));
  return digest(rows.map((r) => r.name));
}

// ------------------------------------------------------------------ printing

export function importTable(r: ImportResult): string {
  // bound by the database's writes: the figures depend on how much of the table stays in its buffers and how often it checkpoints
  const settings = `shared_buffers ${r.database.shared_buffers ?? '?'}, max_wal_size ${r.database.max_wal_size ?? '?'}`;
  const name = r.backend === 'pg' ? `PostgreSQL ${r.database.server_version ?? ''} (${settings})` : `PGlite (PostgreSQL ${r.database.server_version ?? '?'} in WASM)`;
  const rows = r.cases.map((c) => [
    c.file, fmt(c.rows), fmt(c.created), fmt(c.failed), fmt(c.fileMb), c.uploadS, c.seconds, c.rowsPerS,
    `${c.serverRssBeforeMb ?? '?'} → ${c.serverPeakRssMb ?? '?'}`,
    r.backend === 'pg' ? `${fmt(c.cpu.serverS)} + ${fmt(c.cpu.postgresS)}` : fmt(c.cpu.serverS),
    `${c.cpu.otherPct}%`,
    c.namesIntact === undefined ? '' : c.namesIntact ? 'yes' : 'NO',
  ]);
  const t = r.targets;
  return [
    `import · ${name} · customers into an empty company`,
    "POST /api/v1/imports (upload), then /start; the job followed until completed. XLSX with shared strings (as Excel writes it), 8 columns; GBK CSV at most 100,000 rows; contacts (CSV, 5 columns) of the XLSX file's customers, named by customer name, at most 100,000.",
    `server RSS: before the job → its peak during it (VmHWM), MiB${r.backend === 'pg' ? ', Node process only' : ', the embedded database included'}; CPU: seconds of the server${r.backend === 'pg' ? ' + PostgreSQL' : ''}; other: share of the ${r.machine.cpus} cores busy with anything else.`,
    '',
    table(['file', 'rows', 'created', 'failed', 'MB', 'upload s', 'job s', 'rows/s', 'server RSS MiB', r.backend === 'pg' ? 'CPU s node+pg' : 'CPU s', 'other', 'names intact'], rows),
    '',
    `goal: ${GOAL.size.toLocaleString('en')} rows of XLSX in ≤ ${GOAL.seconds} s with server peak RSS ≤ ${GOAL.peakRssMb} MB: ` +
      (t.ok === null ? 'not measured' : `${fmt(t.xlsxSeconds)} s, ${t.xlsxPeakRssMb ?? '?'} MiB → ${t.ok ? 'met' : 'NOT met'}`) +
      (r.backend === 'pg' && r.size >= GOAL.size ? '' : ` (the goal is for PostgreSQL at ${GOAL.size.toLocaleString('en')})`),
  ].join('\n');
}
