/**
 * The approval engine (COL-3), shared by every business type that needs approval.
 *
 * A business module registers its type once (at import time) and then calls, inside
 * its own transaction:
 * - `submitForApproval(q, actor, type, recordId)` to submit (or resubmit) a record;
 * - `assertNotLocked(q, tenantId, type, recordId)` before changing a record
 *   (throws RECORD_UNDER_APPROVAL while an approval is pending);
 * - `approvalStatusOf(q, tenantId, type, recordId)` to show or act on the outcome.
 * Decisions (approve, reject, withdraw, resubmit) come through the approval routes;
 * the type's `onFinished` hook runs in the deciding transaction.
 *
 * Rules: the enabled templates of the type are tried by priority, the first whose
 * condition holds for the snapshot applies; a step whose condition does not hold is
 * skipped. Approvers are resolved to active users when a step starts; the submitter
 * never approves their own submission. A step without approvers refuses the
 * submission (or the decision that would start it) with APPROVAL_NO_APPROVER.
 * 会签 (all): a step completes when all its approvers approved; 或签 (any): at the
 * first approval, the other tasks become skipped. Any rejection either ends the
 * instance (back to the submitter) or re-opens an earlier step.
 */
import { compare } from '../../../common/money.js';
import type {
  ApprovalCondition,
  ApprovalPlanStep,
  ApprovalRejectBody,
  ApprovalSnapshot,
  ApprovalStatus,
  ApprovalStepInput,
  Bilingual,
} from '../../../common/schemas/approvals.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as repo from './approvals.repo.js';

export type ApprovalOutcome = 'approved' | 'rejected' | 'withdrawn';

/** The instance as hooks see it. */
export interface ApprovalInstance {
  id: number;
  businessType: string;
  recordId: number;
  status: ApprovalStatus;
  round: number;
  submitterId: number;
  snapshot: ApprovalSnapshot;
}

export interface ApprovalType {
  type: string;
  label: Bilingual;
  /** What approvers need to see, read (and checked: may this actor submit it?) at submission. */
  snapshot(q: Queryable, actor: Actor, recordId: number): Promise<ApprovalSnapshot>;
  /** Runs in the transaction of the decision that ends the instance. */
  onFinished?(q: Queryable, instance: ApprovalInstance, outcome: ApprovalOutcome, actor: Actor): Promise<void>;
  /** Whether the actor sees the record (its readers then see its approval too); false when not given. */
  visible?(q: Queryable, actor: Actor, recordId: number): Promise<boolean>;
}

const TYPES = new Map<string, ApprovalType>();

export function registerApprovalType(t: ApprovalType): void {
  TYPES.set(t.type, t);
}

export const approvalTypes = (): ApprovalType[] => [...TYPES.values()];
export const approvalType = (type: string): ApprovalType | undefined => TYPES.get(type);

function typeOf(type: string): ApprovalType {
  const t = TYPES.get(type);
  if (!t) throw new Error(`approval type ${type} is not registered`);
  return t;
}

const toInstance = (i: repo.InstanceRow): ApprovalInstance => ({
  id: i.id,
  businessType: i.business_type,
  recordId: i.record_id,
  status: i.status,
  round: i.round,
  submitterId: i.submitter_id,
  snapshot: i.snapshot,
});

/** Whether a condition holds for a snapshot (a missing amount or discount never matches). */
export function conditionHolds(c: ApprovalCondition | null, s: ApprovalSnapshot): boolean {
  if (!c) return true;
  const value = c.field === 'discount' ? s.discount : (s.companyAmount ?? s.amount);
  if (value === undefined) return false;
  const cmp = compare(value, c.value);
  return { gte: cmp >= 0, gt: cmp > 0, lte: cmp <= 0, lt: cmp < 0 }[c.op];
}

/** The users who approve a step for this submitter: active, never the submitter, in a stable order. */
export async function resolveApprovers(q: Queryable, tenantId: number, step: Pick<ApprovalStepInput, 'approverKind' | 'approverIds' | 'levels'>, submitterId: number) {
  let ids: (number | null)[];
  switch (step.approverKind) {
    case 'user':
      ids = await repo.activeUsers(q, tenantId, step.approverIds);
      break;
    case 'role':
      ids = await repo.usersOfRoles(q, tenantId, step.approverIds);
      break;
    case 'dept_head':
      ids = [await repo.departmentHead(q, tenantId, submitterId)];
      break;
    case 'superior':
      ids = [await repo.superior(q, tenantId, submitterId, step.levels)];
      break;
  }
  return [...new Set(ids.filter((id): id is number => id !== null && id !== submitterId))].sort((a, b) => a - b);
}

async function approversOrRefuse(q: Queryable, tenantId: number, step: ApprovalPlanStep, submitterId: number) {
  const ids = await resolveApprovers(q, tenantId, step, submitterId);
  if (!ids.length) throw new AppError('APPROVAL_NO_APPROVER', { step: step.name });
  return ids;
}

const nextApplicable = (steps: ApprovalPlanStep[], after: number) => {
  const i = steps.findIndex((s, idx) => idx > after && s.applies);
  return i === -1 ? null : i;
};

const ACTION_OF = { submit: 'approval_submit', resubmit: 'approval_resubmit', approve: 'approval_approve', reject: 'approval_reject', withdraw: 'approval_withdraw' } as const;

/** The record's own history (operation log) gets every submission and decision. */
async function logOnRecord(q: Queryable, actor: Actor, i: { business_type: string; record_id: number; title: string }, action: keyof typeof ACTION_OF, extra: { step?: string | null; comment?: string | null; outcome?: ApprovalStatus }) {
  const changes = [
    ...(extra.step ? [{ field: 'approvalStep', before: null, after: extra.step }] : []),
    ...(extra.comment ? [{ field: 'approvalComment', before: null, after: extra.comment }] : []),
    ...(extra.outcome ? [{ field: 'approvalStatus', before: null, after: extra.outcome }] : []),
  ];
  await recordChange(q, actor, { entity: i.business_type, recordId: i.record_id, recordName: i.title, action: ACTION_OF[action], changes });
}

async function finish(q: Queryable, actor: Actor, i: repo.InstanceRow, outcome: ApprovalOutcome) {
  await repo.skipPending(q, actor.tenantId, i.id);
  await repo.moveInstance(q, actor.tenantId, i.id, { status: outcome });
  await TYPES.get(i.business_type)?.onFinished?.(q, { ...toInstance(i), status: outcome }, outcome, actor);
}

/**
 * Submits a record (first time, or again after a rejection, withdrawal or approval):
 * a fresh snapshot, the template that applies, and a new round from its first step.
 * Refused while pending (RECORD_UNDER_APPROVAL), without a template
 * (APPROVAL_NO_TEMPLATE) and when a step has nobody to approve it (APPROVAL_NO_APPROVER).
 */
export async function submitForApproval(q: Queryable, actor: Actor, type: string, recordId: number, comment: string | null = null): Promise<number> {
  const t = typeOf(type);
  const existing = await repo.instanceOfRecord(q, actor.tenantId, type, recordId, true);
  if (existing?.status === 'pending') throw new AppError('RECORD_UNDER_APPROVAL');
  const snapshot = await t.snapshot(q, actor, recordId);
  const template = (await repo.listTemplates(q, actor.tenantId, type, true)).find((tpl) => conditionHolds(tpl.condition, snapshot));
  if (!template) throw new AppError('APPROVAL_NO_TEMPLATE', { type: t.label[actor.locale === 'en' ? 'en' : 'zh'] });
  const steps: ApprovalPlanStep[] = template.steps.map((s) => ({
    name: s.name,
    approverKind: s.approverKind,
    approverIds: s.approverIds,
    levels: s.levels,
    mode: s.mode,
    applies: conditionHolds(s.condition, snapshot),
  }));
  // every applicable step must have approvers now; later ones are resolved again when they start
  const approvers = new Map<number, number[]>();
  for (const [idx, s] of steps.entries()) if (s.applies) approvers.set(idx, await approversOrRefuse(q, actor.tenantId, s, actor.userId));
  const first = nextApplicable(steps, -1);
  const inst = await repo.upsertInstance(q, actor.tenantId, {
    type, recordId, title: snapshot.title, templateId: template.id, templateName: template.name, steps, currentStep: first, submitterId: actor.userId, snapshot,
  });
  const action = existing ? 'resubmit' : 'submit';
  await repo.insertEvent(q, actor.tenantId, { instanceId: inst.id, round: inst.round, step: null, stepName: null, action, actorId: actor.userId, comment });
  if (first !== null) await repo.insertTasks(q, actor.tenantId, inst.id, { round: inst.round, activation: inst.activation, step: first, approverIds: approvers.get(first)! });
  const row = (await repo.getInstance(q, actor.tenantId, inst.id))!;
  await logOnRecord(q, actor, row, action, { step: row.current_step_name, comment });
  // no step applies to this snapshot: nothing to approve
  if (first === null) await t.onFinished?.(q, toInstance(row), 'approved', actor);
  return inst.id;
}

/** RECORD_UNDER_APPROVAL while the record's approval is pending. */
export async function assertNotLocked(q: Queryable, tenantId: number, type: string, recordId: number): Promise<void> {
  if ((await approvalStatusOf(q, tenantId, type, recordId))?.status === 'pending') throw new AppError('RECORD_UNDER_APPROVAL');
}

/** The record's approval, or null when it was never submitted. */
export async function approvalStatusOf(q: Queryable, tenantId: number, type: string, recordId: number): Promise<{ id: number; status: ApprovalStatus } | null> {
  const i = await repo.instanceOfRecord(q, tenantId, type, recordId);
  return i ? { id: i.id, status: i.status } : null;
}

/** Whether the actor may see an instance: its submitter, its approvers (any round), approval.view_all, and the record's readers. */
export async function canSeeInstance(q: Queryable, actor: Actor, i: repo.InstanceRow): Promise<boolean> {
  if (i.submitter_id === actor.userId || actor.can('approval.view_all')) return true;
  if (await repo.isParticipant(q, actor.tenantId, i.id, actor.userId)) return true;
  return (await TYPES.get(i.business_type)?.visible?.(q, actor, i.record_id)) ?? false;
}

/** The instance, locked for a decision; 404 when the actor may not see it. */
async function lockedInstance(q: Queryable, actor: Actor, id: number) {
  const i = await repo.getInstance(q, actor.tenantId, id, true);
  if (!i || !(await canSeeInstance(q, actor, i))) throw notFound();
  return i;
}

/** The actor's open task on the current step; refuses anyone else. */
async function myTask(q: Queryable, actor: Actor, i: repo.InstanceRow) {
  if (i.status !== 'pending') throw new AppError('APPROVAL_NOT_PENDING');
  const tasks = await repo.tasksOf(q, actor.tenantId, i.id, i.activation);
  const mine = tasks.find((t) => t.approver_id === actor.userId && t.status === 'pending');
  if (!mine) throw new AppError('APPROVAL_NOT_APPROVER');
  return { mine, tasks };
}

/** Starts a step: a new activation with its approvers' tasks. */
async function startStep(q: Queryable, actor: Actor, i: repo.InstanceRow, step: number) {
  const approvers = await approversOrRefuse(q, actor.tenantId, i.steps[step]!, i.submitter_id);
  const activation = i.activation + 1;
  await repo.moveInstance(q, actor.tenantId, i.id, { step, activation });
  await repo.insertTasks(q, actor.tenantId, i.id, { round: i.round, activation, step, approverIds: approvers });
}

export async function approve(q: Queryable, actor: Actor, id: number, comment: string | null): Promise<void> {
  const i = await lockedInstance(q, actor, id);
  const { mine, tasks } = await myTask(q, actor, i);
  const step = i.current_step!;
  await repo.decideTask(q, actor.tenantId, mine.id, 'approved', comment);
  await repo.insertEvent(q, actor.tenantId, { instanceId: i.id, round: i.round, step, stepName: i.current_step_name, action: 'approve', actorId: actor.userId, comment });
  const complete = i.steps[step]!.mode === 'any' || tasks.every((t) => t.id === mine.id || t.status === 'approved');
  const next = complete ? nextApplicable(i.steps, step) : step;
  if (complete) {
    // 或签: the others need not decide any more
    await repo.skipPending(q, actor.tenantId, i.id);
    if (next === null) await finish(q, actor, i, 'approved');
    else await startStep(q, actor, i, next);
  }
  await logOnRecord(q, actor, i, 'approve', { step: i.current_step_name, comment, outcome: next === null ? 'approved' : undefined });
}

export async function reject(q: Queryable, actor: Actor, id: number, input: ApprovalRejectBody): Promise<void> {
  const i = await lockedInstance(q, actor, id);
  const { mine } = await myTask(q, actor, i);
  const step = i.current_step!;
  const comment = input.comment || null;
  const backTo = input.backTo === 'submitter' ? null : input.backTo;
  if (backTo !== null && (backTo >= step || !i.steps[backTo]?.applies)) {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: 'backTo', message: 'invalid' }]);
  }
  await repo.decideTask(q, actor.tenantId, mine.id, 'rejected', comment);
  await repo.insertEvent(q, actor.tenantId, { instanceId: i.id, round: i.round, step, stepName: i.current_step_name, action: 'reject', actorId: actor.userId, comment, backTo });
  await repo.skipPending(q, actor.tenantId, i.id);
  if (backTo === null) await finish(q, actor, i, 'rejected');
  else await startStep(q, actor, i, backTo);
  await logOnRecord(q, actor, i, 'reject', { step: i.current_step_name, comment, outcome: backTo === null ? 'rejected' : undefined });
}

export async function withdraw(q: Queryable, actor: Actor, id: number, comment: string | null): Promise<void> {
  const i = await lockedInstance(q, actor, id);
  if (i.submitter_id !== actor.userId) throw new AppError('APPROVAL_NOT_SUBMITTER');
  if (i.status !== 'pending') throw new AppError('APPROVAL_NOT_PENDING');
  await repo.insertEvent(q, actor.tenantId, { instanceId: i.id, round: i.round, step: i.current_step, stepName: i.current_step_name, action: 'withdraw', actorId: actor.userId, comment });
  await finish(q, actor, i, 'withdrawn');
  await logOnRecord(q, actor, i, 'withdraw', { comment, outcome: 'withdrawn' });
}

/**
 * Ends the pending approvals of records that no longer need one (a pool
 * application cancelled because its customer left the pool meanwhile):
 * withdrawn by the acting user on the business's behalf, with the reason, so
 * nobody is left waiting to decide them.
 */
export async function withdrawPending(q: Queryable, actor: Actor, type: string, recordIds: number[], comment: string): Promise<void> {
  for (const recordId of recordIds) {
    const i = await repo.instanceOfRecord(q, actor.tenantId, type, recordId, true);
    if (i?.status !== 'pending') continue;
    await repo.insertEvent(q, actor.tenantId, { instanceId: i.id, round: i.round, step: i.current_step, stepName: i.current_step_name, action: 'withdraw', actorId: actor.userId, comment });
    await finish(q, actor, i, 'withdrawn');
    await logOnRecord(q, actor, i, 'withdraw', { comment, outcome: 'withdrawn' });
  }
}

/** Resubmits a rejected or withdrawn instance: only its submitter, a new round from the first step. */
export async function resubmit(q: Queryable, actor: Actor, id: number, comment: string | null): Promise<void> {
  const i = await lockedInstance(q, actor, id);
  if (i.submitter_id !== actor.userId) throw new AppError('APPROVAL_NOT_SUBMITTER');
  if (i.status !== 'rejected' && i.status !== 'withdrawn') throw new AppError('APPROVAL_NOT_RESUBMITTABLE');
  await submitForApproval(q, actor, i.business_type, i.record_id, comment);
}
