/**
 * A server killed (SIGKILL, no shutdown) in the middle of an import: what it
 * had committed stays whole, nothing is half written, and another server
 * resumes the job after the last committed batch without writing any row
 * twice. Real processes over one PostgreSQL, so `npm run test:pg` only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobDto } from '../src/common/schemas/imports.js';
import type { Database } from '../src/server/db/database.js';
import { sql } from '../src/server/db/sql.js';
import { createTenant } from '../src/server/modules/tenants/tenants.service.js';
import { ApiClient } from './helpers/api.js';
import { uploadImport, waitForImport } from './helpers/imports.js';
import { type ServerProcess, startServerProcess, stopServerProcess } from './helpers/server-process.js';
import { openTestDatabase } from './helpers/testdb.js';

const onPostgres = !!process.env.CRM_TEST_DATABASE_URL;
const ROWS = 20_000;
const BATCH = 250;
const names = Array.from({ length: ROWS }, (_, i) => `断电测试${String(i).padStart(5, '0')}有限公司`);
const file = Buffer.from(`客户名称,电话\n${names.map((n, i) => `${n},138${String(i).padStart(8, '0')}`).join('\n')}\n`, 'utf8');

let db: Database & { url?: string };
let dataDir: string;
const servers: ServerProcess[] = [];

const start = async (name: string) => {
  const s = await startServerProcess(name, {
    DATABASE_URL: db.url,
    CRM_DATA_DIR: dataDir,
    CRM_JOBS: '0',
    CRM_IMPORT_BATCH_ROWS: String(BATCH),
    // a job without a heartbeat for 2 s counts as orphaned
    CRM_IMPORT_STALE_SECONDS: '2',
  });
  servers.push(s);
  return s;
};

const jobRow = (id: number) =>
  db.system(async (q) => (await q.one<{ status: string; rows_done: number; rows_created: number; rows_skipped: number; rows_failed: number }>(sql`
    SELECT status, rows_done, rows_created, rows_skipped, rows_failed FROM import_jobs WHERE id = ${id}`))!);
const imported = (id: number) =>
  db.system(async (q) => (await q.one<{ customers: number; distinct_names: number; without_owner_period: number }>(sql`
    SELECT count(*)::int AS customers, count(DISTINCT name)::int AS distinct_names,
      count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM customer_owners o WHERE o.tenant_id = c.tenant_id AND o.customer_id = c.id))::int AS without_owner_period
    FROM customers c WHERE import_job_id = ${id}`))!);

describe.skipIf(!onPostgres)('a server killed during an import (needs PostgreSQL: runs in `npm run test:pg`)', () => {
  beforeAll(async () => {
    db = await openTestDatabase();
    await createTenant(db, { code: 'acme', name: '测试公司', admin: { name: '管理员', email: 'admin@acme.test', password: 'admin-pass-1' } });
    dataDir = mkdtempSync(join(tmpdir(), 'crm-crash-'));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('keeps every committed row, writes no half row, and resumes on another server without duplicates', async () => {
    const a = await start('A');
    const admin = await new ApiClient(a.url).login('admin@acme.test', 'admin-pass-1');
    const draft = await uploadImport(admin, 'customer', '断电.csv', file);
    expect((await admin.post(`/api/v1/imports/${draft.id}/start`, { mapping: draft.mapping, duplicates: 'skip' })).status).toBe(200);

    // kill the server once a few batches are in, mid-way through the file
    for (let job = (await admin.get(`/api/v1/imports/${draft.id}`)).body as ImportJobDto; job.rowsDone < 4 * BATCH; ) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await admin.get(`/api/v1/imports/${draft.id}`)).body;
      expect(job.status).toBe('running');
    }
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));

    // what the dead server left: whole batches only, each with its counters
    const left = await jobRow(draft.id);
    expect(left.status).toBe('running');
    expect(left.rows_done).toBeLessThan(ROWS);
    expect(left.rows_done % BATCH).toBe(0);
    const before = await imported(draft.id);
    expect(before.customers).toBe(left.rows_created);
    expect(left.rows_created + left.rows_skipped + left.rows_failed).toBe(left.rows_done);
    expect(before.without_owner_period).toBe(0);

    // another server finds the orphaned job (no heartbeat for 2 s) and finishes it
    const b = await start('B');
    const onB = new ApiClient(b.url);
    onB.cookie = admin.cookie;
    onB.csrf = admin.csrf;
    const done = await waitForImport(onB, draft.id, 120_000);
    expect(done).toMatchObject({ status: 'completed', rowsDone: ROWS, rowsCreated: ROWS, rowsFailed: 0 });
    expect(await imported(draft.id)).toEqual({ customers: ROWS, distinct_names: ROWS, without_owner_period: 0 });

    // the same file again: every row is a duplicate now
    const again = await uploadImport(onB, 'customer', '断电.csv', file);
    await onB.post(`/api/v1/imports/${again.id}/start`, { mapping: again.mapping, duplicates: 'skip' });
    expect(await waitForImport(onB, again.id, 120_000)).toMatchObject({ status: 'completed', rowsCreated: 0, rowsSkipped: ROWS });
  }, 240_000);
});
