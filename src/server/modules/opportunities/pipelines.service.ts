import type { z } from 'zod';
import type { LostReasonDto, LostReasonsBody, PipelineCreate, PipelineDto, PipelineUpdate, StageDto, StagesBody } from '../../../common/schemas/opportunities.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import * as opportunities from './opportunities.repo.js';
import * as repo from './pipelines.repo.js';

const ENTITY = 'pipeline';
const OUTCOMES = [
  { kind: 'won', name: '赢单', winRate: 100, sort: 1000 },
  { kind: 'lost', name: '输单', winRate: 0, sort: 1001 },
] as const;

const toStageDto = (s: repo.StageRow): StageDto => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  winRate: s.win_rate,
  sort: s.sort,
  enabled: s.enabled,
  opportunityCount: s.opportunity_count,
});

const invalid = (path: string, message = 'invalid') => new AppError('VALIDATION_FAILED', {}, [{ path, message }]);
const NAME_INDEX = { pipelines_name: 'name' };

async function pipelinesWithStages(q: Queryable, tenantId: number, ids: number[] | null): Promise<PipelineDto[]> {
  const pipelines = (await repo.listPipelines(q, tenantId)).filter((p) => !ids || ids.includes(p.id));
  const stages = await repo.listStages(q, tenantId, pipelines.map((p) => p.id));
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.is_default,
    enabled: p.enabled,
    sort: p.sort,
    stages: stages.filter((s) => s.pipeline_id === p.id).map(toStageDto),
  }));
}

export function listPipelines(actor: Actor) {
  return actor.tx((q) => pipelinesWithStages(q, actor.tenantId, null));
}

async function onePipeline(q: Queryable, tenantId: number, id: number): Promise<PipelineDto> {
  const [p] = await pipelinesWithStages(q, tenantId, [id]);
  if (!p) throw notFound();
  return p;
}

export function createPipeline(actor: Actor, input: z.output<typeof PipelineCreate>) {
  return actor.tx(async (q) => {
    const id = await repo.insertPipeline(q, actor.tenantId, { name: input.name, sort: await repo.nextPipelineSort(q, actor.tenantId) }).catch((e) => {
      throw duplicateFrom(e, NAME_INDEX) ?? e;
    });
    for (const [i, s] of input.stages.entries()) {
      await repo.insertStage(q, actor.tenantId, { pipelineId: id, name: s.name, kind: 'open', winRate: s.winRate, sort: (i + 1) * 10, enabled: s.enabled });
    }
    for (const o of OUTCOMES) await repo.insertStage(q, actor.tenantId, { pipelineId: id, ...o, enabled: true });
    if (input.isDefault) await repo.setDefault(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: input.name, action: 'create', changes: [{ field: 'stages', before: null, after: input.stages }] });
    return onePipeline(q, actor.tenantId, id);
  });
}

/** Renames, reorders, enables or disables a pipeline, or makes it the default (the default stays enabled). */
export function updatePipeline(actor: Actor, id: number, input: z.output<typeof PipelineUpdate>) {
  return actor.tx(async (q) => {
    const before = await repo.getPipeline(q, actor.tenantId, id, true);
    if (!before) throw notFound();
    const after = { name: input.name ?? before.name, enabled: input.enabled ?? before.enabled, sort: input.sort ?? before.sort, isDefault: input.isDefault ?? before.is_default };
    if (after.isDefault && !after.enabled) throw new AppError('DEFAULT_PIPELINE', {}, [{ path: 'enabled', message: 'invalid' }]);
    await repo.updatePipeline(q, actor.tenantId, id, after).catch((e) => {
      throw duplicateFrom(e, NAME_INDEX) ?? e;
    });
    if (input.isDefault && !before.is_default) await repo.setDefault(q, actor.tenantId, id);
    const changes = diffChanges({ name: before.name, enabled: before.enabled, sort: before.sort, isDefault: before.is_default }, after, ['name', 'enabled', 'sort', 'isDefault']);
    if (changes.length) await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: after.name, action: 'update', changes });
    return onePipeline(q, actor.tenantId, id);
  });
}

/**
 * Saves a pipeline's open stages as listed: order, names, win rates and
 * whether enabled; new ones are added; a stage left out is deleted, refused
 * while it holds opportunities (DELETE …/stages/:id?moveTo= moves them first).
 */
export function saveStages(actor: Actor, pipelineId: number, input: z.output<typeof StagesBody>) {
  return actor.tx(async (q) => {
    if (!(await repo.getPipeline(q, actor.tenantId, pipelineId, true))) throw notFound();
    const current = (await repo.listStages(q, actor.tenantId, [pipelineId])).filter((s) => s.kind === 'open');
    const byId = new Map(current.map((s) => [s.id, s]));
    const kept = new Set<number>();
    for (const [i, s] of input.stages.entries()) {
      if (s.id === undefined) continue;
      if (!byId.has(s.id) || kept.has(s.id)) throw invalid(`stages.${i}.id`);
      kept.add(s.id);
    }
    if (!input.stages.some((s) => s.enabled)) throw invalid('stages', 'required');
    const removed = current.filter((s) => !kept.has(s.id));
    for (const s of removed) {
      if (await repo.stageInUse(q, actor.tenantId, s.id)) throw new AppError('STAGE_IN_USE', { stage: s.name, count: s.opportunity_count });
    }
    for (const s of removed) await repo.deleteStage(q, actor.tenantId, s.id);
    for (const [i, s] of input.stages.entries()) {
      const values = { name: s.name, winRate: s.winRate, sort: (i + 1) * 10, enabled: s.enabled };
      if (s.id === undefined) await repo.insertStage(q, actor.tenantId, { pipelineId, kind: 'open', ...values });
      else await repo.updateStage(q, actor.tenantId, s.id, values);
    }
    const summary = (list: { name: string; winRate: number; enabled: boolean }[]) => list.map((s) => `${s.name} ${s.winRate}%${s.enabled ? '' : ' ×'}`);
    const changes = diffChanges(
      { stages: summary(current.map((s) => ({ name: s.name, winRate: s.win_rate, enabled: s.enabled }))) },
      { stages: summary(input.stages) },
      ['stages'],
    );
    const after = await onePipeline(q, actor.tenantId, pipelineId);
    if (changes.length) await recordChange(q, actor, { entity: ENTITY, recordId: pipelineId, recordName: after.name, action: 'update', changes });
    return after;
  });
}

/** Deletes an open stage; with `moveTo` its opportunities first move to that open stage of the same pipeline. */
export function deleteStage(actor: Actor, pipelineId: number, stageId: number, moveTo: number | undefined) {
  return actor.tx(async (q) => {
    if (!(await repo.getPipeline(q, actor.tenantId, pipelineId, true))) throw notFound();
    const stages = await repo.listStages(q, actor.tenantId, [pipelineId]);
    const stage = stages.find((s) => s.id === stageId);
    if (!stage) throw notFound();
    if (stage.kind !== 'open') throw invalid('stageId');
    if (stages.filter((s) => s.kind === 'open' && s.enabled && s.id !== stageId).length === 0) throw invalid('stageId', 'required');
    if (moveTo !== undefined) {
      const target = stages.find((s) => s.id === moveTo);
      if (!target || target.id === stageId || target.kind !== 'open' || !target.enabled) throw invalid('moveTo');
      await opportunities.moveAllToStage(q, actor.tenantId, stage, target, actor.userId);
    }
    if (await repo.stageInUse(q, actor.tenantId, stageId)) throw new AppError('STAGE_IN_USE', { stage: stage.name, count: stage.opportunity_count });
    await repo.deleteStage(q, actor.tenantId, stageId);
    const after = await onePipeline(q, actor.tenantId, pipelineId);
    await recordChange(q, actor, {
      entity: ENTITY,
      recordId: pipelineId,
      recordName: after.name,
      action: 'delete_stage',
      changes: [{ field: 'stage', before: stage.name, after: moveTo === undefined ? null : stages.find((s) => s.id === moveTo)!.name }],
    });
    return after;
  });
}

const toReasonDto = (r: repo.LostReasonRow): LostReasonDto => ({ id: r.id, name: r.name, sort: r.sort, enabled: r.enabled });

export function listLostReasons(actor: Actor) {
  return actor.tx(async (q) => (await repo.listLostReasons(q, actor.tenantId)).map(toReasonDto));
}

/** Saves the lost reasons as listed; one left out is deleted unless an opportunity gives it (then disable it instead). */
export function saveLostReasons(actor: Actor, input: z.output<typeof LostReasonsBody>) {
  return actor.tx(async (q) => {
    const current = await repo.listLostReasons(q, actor.tenantId);
    const known = new Set(current.map((r) => r.id));
    const names = new Set<string>();
    for (const [i, r] of input.reasons.entries()) {
      if (r.id !== undefined && !known.has(r.id)) throw invalid(`reasons.${i}.id`);
      if (names.has(r.name)) throw invalid(`reasons.${i}.name`, 'duplicate');
      names.add(r.name);
    }
    const keptIds = new Set(input.reasons.map((r) => r.id));
    for (const r of current.filter((c) => !keptIds.has(c.id))) {
      if (await repo.lostReasonInUse(q, actor.tenantId, r.id)) throw new AppError('LOST_REASON_IN_USE', { reason: r.name });
      await repo.deleteLostReason(q, actor.tenantId, r.id);
    }
    // renames first go through a free name, so two reasons may swap names
    for (const r of input.reasons) if (r.id !== undefined) await repo.updateLostReason(q, actor.tenantId, r.id, { name: `~${r.id}~`, sort: 0, enabled: r.enabled });
    for (const [i, r] of input.reasons.entries()) {
      const values = { name: r.name, sort: (i + 1) * 10, enabled: r.enabled };
      if (r.id === undefined) await repo.insertLostReason(q, actor.tenantId, values);
      else await repo.updateLostReason(q, actor.tenantId, r.id, values);
    }
    const after = await repo.listLostReasons(q, actor.tenantId);
    const changes = diffChanges({ reasons: current.map((r) => `${r.name}${r.enabled ? '' : ' ×'}`) }, { reasons: after.map((r) => `${r.name}${r.enabled ? '' : ' ×'}`) }, ['reasons']);
    if (changes.length) await recordChange(q, actor, { entity: 'lost_reason', recordId: null, action: 'update', changes });
    return after.map(toReasonDto);
  });
}
