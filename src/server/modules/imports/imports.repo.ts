import type { ImportEntity, ImportSettings, ImportStatus } from '../../../common/schemas/imports.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface ImportJobRow {
  tenant_id: number;
  id: number;
  entity_type: ImportEntity;
  file_name: string;
  file_key: string;
  file_format: 'xlsx' | 'csv';
  encoding: string | null;
  headers: string[];
  settings: ImportSettings | null;
  locale: 'zh-CN' | 'en';
  status: ImportStatus;
  rows_done: number;
  rows_created: number;
  rows_updated: number;
  rows_skipped: number;
  rows_failed: number;
  rows_undone: number;
  rows_restored: number;
  rows_kept: number;
  progress: number;
  cancel_requested: boolean;
  error: string | null;
  created_by: number;
  created_by_name: string;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  heartbeat_at: Date | null;
  run_started_at: Date | null;
  run_started_progress: number;
  now: Date;
}

const SELECT = sql`SELECT j.*, u.name AS created_by_name, now() AS now FROM import_jobs j
  JOIN users u ON u.tenant_id = j.tenant_id AND u.id = j.created_by`;

export async function insertDraft(
  q: Queryable,
  tenantId: number,
  d: { entity: ImportEntity; fileName: string; fileKey: string; format: 'xlsx' | 'csv'; encoding: string | null; headers: string[]; locale: string; createdBy: number },
): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO import_jobs (tenant_id, entity_type, file_name, file_key, file_format, encoding, headers, locale, created_by)
    VALUES (${tenantId}, ${d.entity}, ${d.fileName}, ${d.fileKey}, ${d.format}, ${d.encoding}, ${d.headers}::text[], ${d.locale}, ${d.createdBy}) RETURNING id`))!.id;
}

export function getJob(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<ImportJobRow | undefined> {
  return q.one<ImportJobRow>(sql`${SELECT} WHERE j.tenant_id = ${tenantId} AND j.id = ${id} ${forUpdate ? sql`FOR UPDATE OF j` : sql.empty}`);
}

/** The latest imports of an entity, of one user or (userId null) of everybody. */
export function listJobs(q: Queryable, tenantId: number, entity: ImportEntity, userId: number | null, limit: number): Promise<ImportJobRow[]> {
  return q.query<ImportJobRow>(sql`${SELECT} WHERE j.tenant_id = ${tenantId} AND j.entity_type = ${entity} AND j.status <> 'draft'
    ${userId === null ? sql.empty : sql`AND j.created_by = ${userId}`} ORDER BY j.id DESC ${sql.limit(limit)}`);
}

export async function queue(q: Queryable, tenantId: number, id: number, settings: ImportSettings): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET status = 'queued', settings = ${JSON.stringify(settings)}::jsonb WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/**
 * Takes a job for this server: one that is queued and not held, or one whose
 * server stopped renewing its heartbeat `staleSeconds` ago. Only one server
 * can win the row, so a job runs in one place at a time.
 */
export function claim(q: Queryable, tenantId: number, id: number, staleSeconds: number): Promise<ImportJobRow | undefined> {
  return q.one<ImportJobRow>(sql`WITH claimed AS (
      UPDATE import_jobs SET status = 'running', heartbeat_at = now(), started_at = coalesce(started_at, now()),
        run_started_at = now(), run_started_progress = progress
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('queued', 'running')
        AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleSeconds}))
      RETURNING *
    )
    SELECT j.*, u.name AS created_by_name, now() AS now FROM claimed j JOIN users u ON u.tenant_id = j.tenant_id AND u.id = j.created_by`);
}

/** Jobs nobody runs: queued, running or undoing without a heartbeat for `staleSeconds` (all tenants; the system context). */
export function unattended(q: Queryable, staleSeconds: number): Promise<{ tenant_id: number; id: number }[]> {
  return q.query(sql`SELECT tenant_id, id FROM import_jobs WHERE status IN ('queued', 'running', 'undoing')
    AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleSeconds})) ORDER BY id LIMIT 100`);
}

/** Takes an undo for this server, like `claim` an import. */
export function claimUndo(q: Queryable, tenantId: number, id: number, staleSeconds: number): Promise<ImportJobRow | undefined> {
  return q.one<ImportJobRow>(sql`WITH claimed AS (
      UPDATE import_jobs SET heartbeat_at = now()
      WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'undoing'
        AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleSeconds}))
      RETURNING *
    )
    SELECT j.*, u.name AS created_by_name, now() AS now FROM claimed j JOIN users u ON u.tenant_id = j.tenant_id AND u.id = j.created_by`);
}

/** An undo to run in the background: its records are taken back from now on. */
export async function startUndo(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET status = 'undoing', rows_undone = 0, rows_restored = 0, rows_kept = 0, heartbeat_at = NULL WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/**
 * Adds a chunk's records to the undo's counts, in the chunk's transaction:
 * created ones moved to the recycle bin, updated ones set back; false when the
 * undo is no longer running (finished elsewhere).
 */
export async function addUndone(q: Queryable, tenantId: number, id: number, chunk: { undone?: number; restored?: number }): Promise<boolean> {
  const row = await q.one(sql`UPDATE import_jobs SET rows_undone = rows_undone + ${chunk.undone ?? 0},
      rows_restored = rows_restored + ${chunk.restored ?? 0}, heartbeat_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'undoing' RETURNING id`);
  return row !== undefined;
}

export interface BatchCounts {
  done: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  progress: number;
}

/**
 * Adds a batch's outcome, in the batch's transaction. `expectedDone` fences a
 * run that lost its job to another server: the row then has moved on, nothing
 * is updated and the caller rolls its batch back. Returns whether a cancel was
 * asked for, or null when fenced off.
 */
export async function addBatch(q: Queryable, tenantId: number, id: number, expectedDone: number, c: BatchCounts): Promise<{ cancel_requested: boolean } | null> {
  return (
    (await q.one<{ cancel_requested: boolean }>(sql`UPDATE import_jobs SET rows_done = rows_done + ${c.done}, rows_created = rows_created + ${c.created},
      rows_updated = rows_updated + ${c.updated}, rows_skipped = rows_skipped + ${c.skipped}, rows_failed = rows_failed + ${c.failed},
      progress = ${c.progress}, heartbeat_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'running' AND rows_done = ${expectedDone} RETURNING cancel_requested`)) ?? null
  );
}

export async function heartbeat(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET heartbeat_at = now() WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('running', 'undoing')`);
}

/** Ends a run: completed, cancelled or failed (with the reason). */
export async function finish(q: Queryable, tenantId: number, id: number, status: 'completed' | 'cancelled' | 'failed', error: string | null = null): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET status = ${status}, error = ${error}, finished_at = now(), heartbeat_at = NULL,
    progress = CASE WHEN ${status} = 'completed' THEN 1 ELSE progress END
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** A server shutting down hands its job back (an import queued again, an undo still undoing), for the next server to resume at once. */
export async function release(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET status = CASE WHEN status = 'running' THEN 'queued' ELSE status END, heartbeat_at = NULL
    WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('running', 'undoing')`);
}

/** Asks a job to stop; one not started yet stops at once. Returns false when it has finished already. */
export async function requestCancel(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET cancel_requested = true,
      status = CASE WHEN status = 'queued' AND heartbeat_at IS NULL THEN 'cancelled' ELSE status END,
      finished_at = CASE WHEN status = 'queued' AND heartbeat_at IS NULL THEN now() ELSE finished_at END
    WHERE tenant_id = ${tenantId} AND id = ${id} AND status IN ('queued', 'running')`);
}

/** Ends an undo: `kept` of the job's records stay (changed since, or left by an undo that failed with `error`). */
export async function markUndone(q: Queryable, tenantId: number, id: number, kept: number, error: string | null): Promise<void> {
  await q.query(sql`UPDATE import_jobs SET status = 'undone', rows_kept = ${kept}, error = coalesce(${error}, error), heartbeat_at = NULL
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function insertFailures(q: Queryable, tenantId: number, jobId: number, rows: { rowNumber: number; cells: string[]; reason: string }[]): Promise<void> {
  if (!rows.length) return;
  await q.query(sql`INSERT INTO import_failures (tenant_id, job_id, row_number, cells, reason)
    SELECT ${tenantId}, ${jobId}, n, ARRAY(SELECT jsonb_array_elements_text(c::jsonb)), r
    FROM unnest(${rows.map((r) => r.rowNumber)}::int[], ${rows.map((r) => JSON.stringify(r.cells))}::text[], ${rows.map((r) => r.reason)}::text[]) AS x(n, c, r)`);
}

/** A page of a job's failed rows, in file order. */
export function failures(q: Queryable, tenantId: number, jobId: number, afterRow: number, limit: number) {
  return q.query<{ row_number: number; cells: string[]; reason: string }>(sql`SELECT row_number, cells, reason FROM import_failures
    WHERE tenant_id = ${tenantId} AND job_id = ${jobId} AND row_number > ${afterRow} ORDER BY row_number ${sql.limit(limit)}`);
}

export async function rememberedMapping(q: Queryable, tenantId: number, userId: number, entity: ImportEntity): Promise<Record<string, string>> {
  return (await q.one<{ mapping: Record<string, string> }>(sql`SELECT mapping FROM import_mappings
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND entity_type = ${entity}`))?.mapping ?? {};
}

/** Adds a file's header → field choices to what the user's imports of this entity remember. */
export async function rememberMapping(q: Queryable, tenantId: number, userId: number, entity: ImportEntity, mapping: Record<string, string>): Promise<void> {
  await q.query(sql`INSERT INTO import_mappings (tenant_id, user_id, entity_type, mapping) VALUES (${tenantId}, ${userId}, ${entity}, ${JSON.stringify(mapping)}::jsonb)
    ON CONFLICT (tenant_id, user_id, entity_type) DO UPDATE SET mapping = import_mappings.mapping || EXCLUDED.mapping, updated_at = now()`);
}
