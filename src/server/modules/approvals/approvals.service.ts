import type {
  ApprovalCounts,
  ApprovalDetailDto,
  ApprovalListQuery,
  ApprovalRejectBody,
  ApprovalSummaryDto,
  ApprovalTemplateDto,
  ApprovalTemplateInput,
  ApprovalTypeDto,
} from '../../../common/schemas/approvals.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as engine from './approvals.engine.js';
import * as repo from './approvals.repo.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

// ---------------------------------------------------------------- templates (approval.manage)

const toTemplateDto = (t: repo.TemplateRow): ApprovalTemplateDto => ({
  id: t.id,
  businessType: t.business_type,
  name: t.name,
  enabled: t.enabled,
  priority: t.priority,
  condition: t.condition,
  steps: t.steps,
  updatedAt: t.updated_at.toISOString(),
});

export const listTypes = (): ApprovalTypeDto[] => engine.approvalTypes().map((t) => ({ type: t.type, label: t.label }));

export function listTemplates(actor: Actor, businessType?: string) {
  return actor.tx(async (q) => (await repo.listTemplates(q, actor.tenantId, businessType)).map(toTemplateDto));
}

/** Business type registered, approvers that exist. */
async function checkTemplate(q: Queryable, actor: Actor, input: ApprovalTemplateInput) {
  if (!engine.approvalType(input.businessType)) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'businessType', message: 'invalid' }]);
  for (const [i, s] of input.steps.entries()) {
    if (s.approverKind !== 'user' && s.approverKind !== 'role') continue;
    const found = await repo.existingIds(q, actor.tenantId, s.approverKind, s.approverIds);
    if (s.approverIds.some((id) => !found.includes(id))) {
      throw new AppError('INVALID_REFERENCE', { field: s.approverKind === 'user' ? 'userId' : 'roleIds' }, [{ path: `steps.${i}.approverIds`, message: 'invalid' }]);
    }
  }
}

/** Kinds that name nobody keep no ids or levels, so that the saved template says what it does. */
const normaliseSteps = (input: ApprovalTemplateInput) =>
  input.steps.map((s) => ({
    ...s,
    approverIds: s.approverKind === 'user' || s.approverKind === 'role' ? [...new Set(s.approverIds)] : [],
    levels: s.approverKind === 'superior' ? s.levels : 1,
  }));

export function createTemplate(actor: Actor, input: ApprovalTemplateInput) {
  return actor.tx(async (q) => {
    await checkTemplate(q, actor, input);
    const id = await repo.insertTemplate(q, actor.tenantId, input);
    await repo.replaceSteps(q, actor.tenantId, id, normaliseSteps(input));
    await recordChange(q, actor, { entity: 'approval_template', recordId: id, recordName: input.name, action: 'create' });
    return toTemplateDto((await repo.getTemplate(q, actor.tenantId, id))!);
  });
}

/** Running instances keep the plan they started with; the change applies to new submissions. */
export function updateTemplate(actor: Actor, id: number, input: ApprovalTemplateInput) {
  return actor.tx(async (q) => {
    const before = await repo.getTemplate(q, actor.tenantId, id, true);
    if (!before) throw notFound();
    await checkTemplate(q, actor, input);
    const steps = normaliseSteps(input);
    await repo.updateTemplate(q, actor.tenantId, id, input);
    await repo.replaceSteps(q, actor.tenantId, id, steps);
    const changes = diffChanges({ ...toTemplateDto(before) }, { ...toTemplateDto(before), ...input, steps }, ['businessType', 'name', 'enabled', 'priority', 'condition', 'steps']);
    if (changes.length) await recordChange(q, actor, { entity: 'approval_template', recordId: id, recordName: input.name, action: 'update', changes });
    return toTemplateDto((await repo.getTemplate(q, actor.tenantId, id))!);
  });
}

/** A template that instances came from stays (disable it instead): their history names it. */
export function deleteTemplate(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const t = await repo.getTemplate(q, actor.tenantId, id, true);
    if (!t) throw notFound();
    if (await repo.templateInUse(q, actor.tenantId, id)) throw new AppError('APPROVAL_TEMPLATE_IN_USE');
    await repo.deleteTemplate(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: 'approval_template', recordId: id, recordName: t.name, action: 'delete' });
  });
}

// ---------------------------------------------------------------- instances

const toSummary = (i: repo.InstanceRow): ApprovalSummaryDto => ({
  id: i.id,
  businessType: i.business_type,
  recordId: i.record_id,
  title: i.title,
  status: i.status,
  currentStep: i.current_step,
  currentStepName: i.current_step_name,
  round: i.round,
  submitterId: i.submitter_id,
  submitterName: i.submitter_name,
  amount: i.amount,
  currency: i.currency,
  submittedAt: i.submitted_at.toISOString(),
  finishedAt: iso(i.finished_at),
  updatedAt: i.updated_at.toISOString(),
});

export function listBox(actor: Actor, query: ApprovalListQuery) {
  if (query.box === 'all' && !actor.can('approval.view_all')) throw new AppError('FORBIDDEN', { permission: 'approval.view_all' });
  return actor.tx(async (q) => {
    const page = keysetPage(await repo.listBox(q, actor.tenantId, actor.userId, query), query.limit);
    return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
  });
}

export const counts = (actor: Actor): Promise<ApprovalCounts> => actor.tx((q) => repo.counts(q, actor.tenantId, actor.userId));

/** A step is done when its latest tasks say so: 或签 one approval, 会签 all. */
function stepDone(mode: 'all' | 'any', tasks: repo.TaskRow[]) {
  return tasks.length > 0 && (mode === 'any' ? tasks.some((t) => t.status === 'approved') : tasks.every((t) => t.status === 'approved'));
}

async function detail(q: Queryable, actor: Actor, i: repo.InstanceRow): Promise<ApprovalDetailDto> {
  const tasks = (await repo.tasksOf(q, actor.tenantId, i.id)).filter((t) => t.round === i.round);
  const events = await repo.eventsOf(q, actor.tenantId, i.id);
  const pending = i.status === 'pending';
  const steps = i.steps.map((s, index) => {
    const mine = tasks.filter((t) => t.step === index);
    const latest = mine.filter((t) => t.activation === Math.max(...mine.map((x) => x.activation)));
    const state: ApprovalDetailDto['steps'][number]['state'] = !s.applies
      ? 'skipped'
      : pending && index === i.current_step
        ? 'current'
        : (!pending || index < i.current_step!) && stepDone(s.mode, latest)
          ? 'done'
          : 'waiting';
    return {
      ...s,
      index,
      state,
      tasks: latest.map((t) => ({ id: t.id, approverId: t.approver_id, approverName: t.approver_name, status: t.status, comment: t.comment, decidedAt: iso(t.decided_at) })),
    };
  });
  const approver = pending && tasks.some((t) => t.activation === i.activation && t.approver_id === actor.userId && t.status === 'pending');
  const submitter = i.submitter_id === actor.userId;
  return {
    ...toSummary(i),
    templateName: i.template_name,
    snapshot: i.snapshot,
    steps,
    events: events.map((e) => ({
      id: e.id, round: e.round, step: e.step, stepName: e.step_name, action: e.action, actorId: e.actor_id, actorName: e.actor_name, comment: e.comment, backTo: e.back_to, at: e.at.toISOString(),
    })),
    allowed: {
      approve: approver,
      reject: approver,
      withdraw: pending && submitter,
      resubmit: submitter && (i.status === 'rejected' || i.status === 'withdrawn'),
      backTo: approver ? steps.filter((s) => s.applies && s.index < i.current_step!).map((s) => ({ index: s.index, name: s.name })) : [],
    },
  };
}

export function getApproval(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const i = await repo.getInstance(q, actor.tenantId, id);
    if (!i || !(await engine.canSeeInstance(q, actor, i))) throw notFound();
    return detail(q, actor, i);
  });
}

/** The approval of a record for its panel: null before the first submission; 404 when the actor sees neither. */
export function byRecord(actor: Actor, type: string, recordId: number) {
  return actor.tx(async (q) => {
    const t = engine.approvalType(type);
    if (!t) throw notFound();
    const i = await repo.instanceOfRecord(q, actor.tenantId, type, recordId);
    if (i && (await engine.canSeeInstance(q, actor, i))) return { approval: await detail(q, actor, i) };
    if (!(await t.visible?.(q, actor, recordId))) throw notFound();
    return { approval: null };
  });
}

/** Runs a decision, then answers with the instance as the actor now sees it. */
function decide(actor: Actor, id: number, work: (q: Queryable) => Promise<void>) {
  return actor.tx(async (q) => {
    await work(q);
    const i = (await repo.getInstance(q, actor.tenantId, id))!;
    return detail(q, actor, i);
  });
}

export const approve = (actor: Actor, id: number, comment?: string) => decide(actor, id, (q) => engine.approve(q, actor, id, comment || null));
export const reject = (actor: Actor, id: number, body: ApprovalRejectBody) => decide(actor, id, (q) => engine.reject(q, actor, id, body));
export const withdraw = (actor: Actor, id: number, comment?: string) => decide(actor, id, (q) => engine.withdraw(q, actor, id, comment || null));
export const resubmit = (actor: Actor, id: number, comment?: string) => decide(actor, id, (q) => engine.resubmit(q, actor, id, comment || null));
