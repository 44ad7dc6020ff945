import type { ExportJobDto } from '../../../common/schemas/exchange.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface ExportJobRow {
  id: number;
  entity_type: ExportJobDto['entity'];
  query: Record<string, unknown>;
  locale: 'zh-CN' | 'en';
  status: 'running' | 'completed' | 'failed';
  file_name: string | null;
  file_key: string | null;
  file_size: number | null;
  rows: number | null;
  error: string | null;
  created_by: number;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = sql`id, entity_type, query, locale, status, file_name, file_key, file_size, rows, error, created_by, created_at, finished_at`;

export async function insertJob(q: Queryable, tenantId: number, j: { entity: string; query: object; locale: string; createdBy: number }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO export_jobs (tenant_id, entity_type, query, locale, created_by)
    VALUES (${tenantId}, ${j.entity}, ${JSON.stringify(j.query)}::jsonb, ${j.locale}, ${j.createdBy}) RETURNING id`))!.id;
}

export function getJob(q: Queryable, tenantId: number, id: number): Promise<ExportJobRow | undefined> {
  return q.one<ExportJobRow>(sql`SELECT ${COLUMNS} FROM export_jobs WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export function listJobs(q: Queryable, tenantId: number, userId: number, limit: number): Promise<ExportJobRow[]> {
  return q.query<ExportJobRow>(sql`SELECT ${COLUMNS} FROM export_jobs WHERE tenant_id = ${tenantId} AND created_by = ${userId} ORDER BY id DESC ${sql.limit(limit)}`);
}

export async function heartbeat(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE export_jobs SET heartbeat_at = now() WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'running'`);
}

export async function complete(q: Queryable, tenantId: number, id: number, f: { name: string; key: string; size: number; rows: number }): Promise<void> {
  await q.query(sql`UPDATE export_jobs SET status = 'completed', file_name = ${f.name}, file_key = ${f.key}, file_size = ${f.size}, rows = ${f.rows}, finished_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function fail(q: Queryable, tenantId: number, id: number, error: string): Promise<void> {
  await q.query(sql`UPDATE export_jobs SET status = 'failed', error = ${error}, finished_at = now() WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'running'`);
}

/** Exports whose server stopped renewing their heartbeat (all tenants): they are marked failed, to be asked for again. */
export async function failAbandoned(q: Queryable, staleSeconds: number, error: string): Promise<number> {
  return (await q.query(sql`UPDATE export_jobs SET status = 'failed', error = ${error}, finished_at = now()
    WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => ${staleSeconds}) RETURNING id`)).length;
}
