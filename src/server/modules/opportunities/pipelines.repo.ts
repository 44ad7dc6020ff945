import type { StageKind } from '../../../common/schemas/opportunities.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

export interface PipelineRow {
  id: number;
  name: string;
  is_default: boolean;
  enabled: boolean;
  sort: number;
}

export interface StageRow {
  id: number;
  pipeline_id: number;
  name: string;
  kind: StageKind;
  win_rate: number;
  sort: number;
  enabled: boolean;
  opportunity_count: number;
}

/** Open stages in order, then won, then lost. */
const STAGE_ORDER = sql`ORDER BY CASE s.kind WHEN 'open' THEN 0 WHEN 'won' THEN 1 ELSE 2 END, s.sort, s.id`;

export function listPipelines(q: Queryable, tenantId: number): Promise<PipelineRow[]> {
  return q.query<PipelineRow>(sql`SELECT id, name, is_default, enabled, sort FROM pipelines WHERE tenant_id = ${tenantId} ORDER BY sort, id`);
}

export function getPipeline(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<PipelineRow | undefined> {
  return q.one<PipelineRow>(sql`SELECT id, name, is_default, enabled, sort FROM pipelines WHERE tenant_id = ${tenantId} AND id = ${id}
    ${forUpdate ? sql`FOR UPDATE` : sql.empty}`);
}

export function defaultPipeline(q: Queryable, tenantId: number): Promise<PipelineRow | undefined> {
  return q.one<PipelineRow>(sql`SELECT id, name, is_default, enabled, sort FROM pipelines WHERE tenant_id = ${tenantId} AND is_default`);
}

/** The stages of some pipelines (all when `pipelineIds` is null), with how many opportunities each holds. */
export function listStages(q: Queryable, tenantId: number, pipelineIds: number[] | null): Promise<StageRow[]> {
  return q.query<StageRow>(sql`SELECT s.id, s.pipeline_id, s.name, s.kind, s.win_rate, s.sort, s.enabled,
      (SELECT count(*) FROM opportunities o WHERE o.tenant_id = s.tenant_id AND o.pipeline_id = s.pipeline_id AND o.stage_id = s.id AND o.deleted_at IS NULL)::int AS opportunity_count
    FROM pipeline_stages s
    WHERE s.tenant_id = ${tenantId} ${pipelineIds ? sql`AND s.pipeline_id = ANY(${pipelineIds}::bigint[])` : sql.empty}
    ${STAGE_ORDER}`);
}

export function getStage(q: Queryable, tenantId: number, id: number): Promise<Omit<StageRow, 'opportunity_count'> | undefined> {
  return q.one(sql`SELECT s.id, s.pipeline_id, s.name, s.kind, s.win_rate, s.sort, s.enabled FROM pipeline_stages s WHERE s.tenant_id = ${tenantId} AND s.id = ${id}`);
}

export async function insertPipeline(q: Queryable, tenantId: number, p: { name: string; sort: number }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO pipelines (tenant_id, name, sort) VALUES (${tenantId}, ${p.name}, ${p.sort}) RETURNING id`))!.id;
}

export async function nextPipelineSort(q: Queryable, tenantId: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT coalesce(max(sort), 0) + 10 AS n FROM pipelines WHERE tenant_id = ${tenantId}`))!.n;
}

export async function updatePipeline(q: Queryable, tenantId: number, id: number, p: { name: string; enabled: boolean; sort: number }): Promise<void> {
  await q.query(sql`UPDATE pipelines SET name = ${p.name}, enabled = ${p.enabled}, sort = ${p.sort} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Makes `id` the one default pipeline. */
export async function setDefault(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE pipelines SET is_default = false WHERE tenant_id = ${tenantId} AND is_default AND id <> ${id}`);
  await q.query(sql`UPDATE pipelines SET is_default = true WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function insertStage(
  q: Queryable,
  tenantId: number,
  s: { pipelineId: number; name: string; kind: StageKind; winRate: number; sort: number; enabled: boolean },
): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO pipeline_stages (tenant_id, pipeline_id, name, kind, win_rate, sort, enabled)
    VALUES (${tenantId}, ${s.pipelineId}, ${s.name}, ${s.kind}, ${s.winRate}, ${s.sort}, ${s.enabled}) RETURNING id`))!.id;
}

export async function updateStage(q: Queryable, tenantId: number, id: number, s: { name: string; winRate: number; sort: number; enabled: boolean }): Promise<void> {
  await q.query(sql`UPDATE pipeline_stages SET name = ${s.name}, win_rate = ${s.winRate}, sort = ${s.sort}, enabled = ${s.enabled}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Deletes a stage no opportunity is in (the stage history keeps its name). */
export async function deleteStage(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM pipeline_stages WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Any opportunity in the stage, deleted ones included (they would come back from the bin). */
export async function stageInUse(q: Queryable, tenantId: number, id: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM opportunities WHERE tenant_id = ${tenantId} AND stage_id = ${id}`))!.n;
}

export interface LostReasonRow {
  id: number;
  name: string;
  sort: number;
  enabled: boolean;
}

export function listLostReasons(q: Queryable, tenantId: number): Promise<LostReasonRow[]> {
  return q.query<LostReasonRow>(sql`SELECT id, name, sort, enabled FROM opportunity_lost_reasons WHERE tenant_id = ${tenantId} ORDER BY sort, id`);
}

export async function insertLostReason(q: Queryable, tenantId: number, r: { name: string; sort: number; enabled: boolean }): Promise<void> {
  await q.query(sql`INSERT INTO opportunity_lost_reasons (tenant_id, name, sort, enabled) VALUES (${tenantId}, ${r.name}, ${r.sort}, ${r.enabled})`);
}

export async function updateLostReason(q: Queryable, tenantId: number, id: number, r: { name: string; sort: number; enabled: boolean }): Promise<void> {
  await q.query(sql`UPDATE opportunity_lost_reasons SET name = ${r.name}, sort = ${r.sort}, enabled = ${r.enabled} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function lostReasonInUse(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 FROM opportunities WHERE tenant_id = ${tenantId} AND lost_reason_id = ${id} LIMIT 1`));
}

export async function deleteLostReason(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM opportunity_lost_reasons WHERE tenant_id = ${tenantId} AND id = ${id}`);
}
