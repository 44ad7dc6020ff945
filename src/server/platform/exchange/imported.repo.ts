/** The records an import created, by the job id each carries (import_job_id): marking them, and taking them back. */
import type { Database, Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';

const TABLE_NAMES = { customer: 'customers', contact: 'contacts', lead: 'leads' } as const;
const TABLES = { customer: sql.raw(TABLE_NAMES.customer), contact: sql.raw(TABLE_NAMES.contact), lead: sql.raw(TABLE_NAMES.lead) } as const;
export type ImportedTable = keyof typeof TABLES;

/** Marks records created one by one (by the entity's own create function) as the job's. */
export async function markImported(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await q.query(sql`UPDATE ${TABLES[entity]} SET import_job_id = ${jobId} WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[])`);
}

/**
 * Moves a job's records to the recycle bin when nobody touched them since:
 * never updated (updated_at is still created_at) and `untouched` holds (no
 * follow-up, not converted ...). Returns how many went and how many stay.
 */
export async function undoImported(q: Queryable, entity: ImportedTable, tenantId: number, jobId: number, by: number, untouched: Sql = sql`TRUE`) {
  const table = TABLES[entity];
  return (await q.one<{ undone: number; kept: number }>(sql`
    WITH undone AS (
      UPDATE ${table} x SET deleted_at = now(), deleted_by = ${by}
      WHERE x.tenant_id = ${tenantId} AND x.import_job_id = ${jobId} AND x.deleted_at IS NULL AND x.updated_at = x.created_at AND ${untouched}
      RETURNING id
    )
    SELECT (SELECT count(*) FROM undone)::int AS undone,
      ((SELECT count(*) FROM ${table} WHERE tenant_id = ${tenantId} AND import_job_id = ${jobId} AND deleted_at IS NULL) - (SELECT count(*) FROM undone))::int AS kept`))!;
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
