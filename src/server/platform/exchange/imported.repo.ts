/** The records an import created, by the job id each carries (import_job_id): marking them, and taking them back. */
import type { Database, Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';

const TABLE_NAMES = { customer: 'customers', contact: 'contacts', lead: 'leads', product: 'products', opportunity: 'opportunities' } as const;
export type ImportedTable = keyof typeof TABLE_NAMES;
const TABLES = Object.fromEntries(Object.entries(TABLE_NAMES).map(([entity, table]) => [entity, sql.raw(table)])) as Record<ImportedTable, Sql>;

/** Marks records created one by one (by the entity's own create function) as the job's. */
export async function markImported(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await q.query(sql`UPDATE ${TABLES[entity]} SET import_job_id = ${jobId} WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[])`);
}

/**
 * Creates rows one by one with the entity's own create function (so its rules,
 * numbering and change log apply as in the form) and marks them as the job's.
 */
export async function createImported<Row>(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, rows: Row[], create: (row: Row) => Promise<number>): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) ids.push(await create(row));
  await markImported(q, entity, tenantId, jobId, ids);
  return ids;
}

/**
 * Moves up to `limit` of a job's records to the recycle bin, of those nobody
 * touched since: never updated (updated_at is still created_at) and
 * `untouched` holds (no follow-up, not converted ...). Returns how many went;
 * fewer than `limit` means none is left. A record two runs reach at once goes once.
 */
export async function undoImported(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, by: number, untouched: Sql, limit: number): Promise<number> {
  const table = TABLES[entity];
  return (await q.one<{ n: number }>(sql`
    WITH undone AS (
      UPDATE ${table} x SET deleted_at = now(), deleted_by = ${by}
      WHERE x.tenant_id = ${tenantId} AND x.deleted_at IS NULL AND x.id IN (SELECT x.id FROM ${table} x
        WHERE x.tenant_id = ${tenantId} AND x.import_job_id = ${jobId} AND x.deleted_at IS NULL AND x.updated_at = x.created_at AND ${untouched} LIMIT ${limit})
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM undone`))!.n;
}

/** How many of a job's records are live (after an undo: the ones kept because they were changed). */
export async function liveImported(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${TABLES[entity]} WHERE tenant_id = ${tenantId} AND import_job_id = ${jobId} AND deleted_at IS NULL`))!.n;
}

/**
 * Refreshes the planner's statistics of an entity's table (as its owner: the
 * app role may not). A large import grows a table faster than autovacuum
 * notices; on the stale figures the planner takes an index on tenant_id alone
 * for the duplicate probes and reads the whole table for each row.
 */
export async function analyzeImported(db: Database, entity: ImportedTable): Promise<void> {
  await db.system((q) => q.exec(`ANALYZE ${TABLE_NAMES[entity]}`));
}

/**
 * Notes the records a batch of the job updated, for its undo: each one's
 * change-log entry of this transaction (written by the same update, so at =
 * now(): it holds every field's value before) and its updated_at after.
 */
export async function noteUpdated(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, actorId: number, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await q.query(sql`INSERT INTO import_updates (tenant_id, job_id, record_id, changes, updated_at)
    SELECT DISTINCT ON (a.record_id) a.tenant_id, ${jobId}, a.record_id, a.changes, x.updated_at
    FROM audit_log a JOIN ${TABLES[entity]} x ON x.tenant_id = a.tenant_id AND x.id = a.record_id
    WHERE a.tenant_id = ${tenantId} AND a.entity_type = ${entity} AND a.record_id = ANY(${ids}::bigint[])
      AND a.action = 'update' AND a.actor_id = ${actorId} AND a.at = now()
    ORDER BY a.record_id, a.id
    ON CONFLICT DO NOTHING`);
}

/** Up to `limit` of the job's updated records not yet settled by its undo: id, the import's changes, and whether nobody changed the record since. */
export function updatedToSettle(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, limit: number) {
  return q.query<{ record_id: number; changes: { field: string; before: unknown }[]; unchanged: boolean }>(sql`
    SELECT u.record_id, u.changes, (x.deleted_at IS NULL AND x.updated_at = u.updated_at) AS unchanged
    FROM import_updates u LEFT JOIN ${TABLES[entity]} x ON x.tenant_id = u.tenant_id AND x.id = u.record_id
    WHERE u.tenant_id = ${tenantId} AND u.job_id = ${jobId} AND u.outcome IS NULL
    ORDER BY u.record_id LIMIT ${limit}`);
}

/** Records the undo's outcome for some of the job's updated records. */
export async function settleUpdated(q: Queryable, tenantId: number, jobId: number, ids: number[], outcome: 'restored' | 'kept'): Promise<void> {
  if (!ids.length) return;
  await q.query(sql`UPDATE import_updates SET outcome = ${outcome} WHERE tenant_id = ${tenantId} AND job_id = ${jobId} AND record_id = ANY(${ids}::bigint[])`);
}

/** How many of the job's updated records the undo kept as they are. */
export async function keptUpdated(q: Queryable, tenantId: number, jobId: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_updates WHERE tenant_id = ${tenantId} AND job_id = ${jobId} AND outcome = 'kept'`))!.n;
}
