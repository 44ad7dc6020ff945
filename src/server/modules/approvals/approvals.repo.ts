import type {
  ApprovalAction,
  ApprovalCondition,
  ApprovalListQuery,
  ApprovalPlanStep,
  ApprovalSnapshot,
  ApprovalStatus,
  ApprovalStepInput,
  TaskStatus,
} from '../../../common/schemas/approvals.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';

// ---------------------------------------------------------------- templates

export interface TemplateRow {
  id: number;
  business_type: string;
  name: string;
  enabled: boolean;
  priority: number;
  condition: ApprovalCondition | null;
  steps: ApprovalStepInput[];
  updated_at: Date;
}

const TEMPLATE = sql`SELECT t.id, t.business_type, t.name, t.enabled, t.priority, t.condition, t.updated_at,
  coalesce((SELECT jsonb_agg(jsonb_build_object('name', s.name, 'approverKind', s.approver_kind, 'approverIds', s.approver_ids,
      'levels', s.levels, 'mode', s.mode, 'condition', s.condition) ORDER BY s.position)
    FROM approval_steps s WHERE s.tenant_id = t.tenant_id AND s.template_id = t.id), '[]'::jsonb) AS steps
  FROM approval_templates t`;

/** Lower priority numbers are tried first. */
export function listTemplates(q: Queryable, tenantId: number, businessType?: string, enabledOnly = false): Promise<TemplateRow[]> {
  return q.query<TemplateRow>(sql`${TEMPLATE} ${sql.where([
    sql`t.tenant_id = ${tenantId}`,
    businessType !== undefined && sql`t.business_type = ${businessType}`,
    enabledOnly && sql`t.enabled`,
  ])} ORDER BY t.business_type, t.priority, t.id`);
}

export function getTemplate(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<TemplateRow | undefined> {
  return q.one<TemplateRow>(sql`${TEMPLATE} WHERE t.tenant_id = ${tenantId} AND t.id = ${id} ${forUpdate ? sql`FOR UPDATE OF t` : sql.empty}`);
}

type TemplateValues = { businessType: string; name: string; enabled: boolean; priority: number; condition: ApprovalCondition | null };

export async function insertTemplate(q: Queryable, tenantId: number, t: TemplateValues): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO approval_templates (tenant_id, business_type, name, enabled, priority, condition)
    VALUES (${tenantId}, ${t.businessType}, ${t.name}, ${t.enabled}, ${t.priority}, ${t.condition === null ? null : JSON.stringify(t.condition)}::jsonb) RETURNING id`))!.id;
}

export async function updateTemplate(q: Queryable, tenantId: number, id: number, t: TemplateValues): Promise<void> {
  await q.query(sql`UPDATE approval_templates SET business_type = ${t.businessType}, name = ${t.name}, enabled = ${t.enabled}, priority = ${t.priority},
    condition = ${t.condition === null ? null : JSON.stringify(t.condition)}::jsonb, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function replaceSteps(q: Queryable, tenantId: number, templateId: number, steps: ApprovalStepInput[]): Promise<void> {
  await q.query(sql`DELETE FROM approval_steps WHERE tenant_id = ${tenantId} AND template_id = ${templateId}`);
  await q.query(sql`INSERT INTO approval_steps (tenant_id, template_id, position, name, approver_kind, approver_ids, levels, mode, condition)
    SELECT ${tenantId}, ${templateId}, s.ord - 1, s.v ->> 'name', s.v ->> 'approverKind', s.v -> 'approverIds', (s.v ->> 'levels')::int, s.v ->> 'mode',
      nullif(s.v -> 'condition', 'null'::jsonb)
    FROM jsonb_array_elements(${JSON.stringify(steps)}::jsonb) WITH ORDINALITY AS s(v, ord)`);
}

export async function templateInUse(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return (await q.one(sql`SELECT 1 FROM approval_instances WHERE tenant_id = ${tenantId} AND template_id = ${id} LIMIT 1`)) !== undefined;
}

export async function deleteTemplate(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`DELETE FROM approval_templates WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Of `ids`, those naming active users (kind user) or existing roles (kind role). */
export async function existingIds(q: Queryable, tenantId: number, kind: 'user' | 'role', ids: number[]): Promise<number[]> {
  const rows = kind === 'user'
    ? await q.query<{ id: number }>(sql`SELECT id FROM users WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[]) AND status = 'active'`)
    : await q.query<{ id: number }>(sql`SELECT id FROM roles WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[])`);
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------- approver resolution (active users only)

export async function activeUsers(q: Queryable, tenantId: number, ids: number[]): Promise<number[]> {
  return existingIds(q, tenantId, 'user', ids);
}

export async function usersOfRoles(q: Queryable, tenantId: number, roleIds: number[]): Promise<number[]> {
  return (await q.query<{ id: number }>(sql`SELECT DISTINCT u.id FROM user_roles ur JOIN users u ON u.tenant_id = ur.tenant_id AND u.id = ur.user_id
    WHERE ur.tenant_id = ${tenantId} AND ur.role_id = ANY(${roleIds}::bigint[]) AND u.status = 'active' ORDER BY u.id`)).map((r) => r.id);
}

/** The head of the submitter's department, or of the nearest department above it that has one (never the submitter). */
export async function departmentHead(q: Queryable, tenantId: number, submitterId: number): Promise<number | null> {
  return (await q.one<{ id: number }>(sql`SELECT h.id FROM users s
    JOIN department_closure c ON c.tenant_id = s.tenant_id AND c.descendant_id = s.department_id
    JOIN departments d ON d.tenant_id = c.tenant_id AND d.id = c.ancestor_id
    JOIN users h ON h.tenant_id = d.tenant_id AND h.id = d.head_user_id AND h.status = 'active'
    WHERE s.tenant_id = ${tenantId} AND s.id = ${submitterId} AND h.id <> s.id
    ORDER BY c.depth LIMIT 1`))?.id ?? null;
}

/** The submitter's superior `levels` up the chain, when active. */
export async function superior(q: Queryable, tenantId: number, submitterId: number, levels: number): Promise<number | null> {
  return (await q.one<{ id: number }>(sql`SELECT u.id FROM user_closure c JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.ancestor_id
    WHERE c.tenant_id = ${tenantId} AND c.descendant_id = ${submitterId} AND c.depth = ${levels} AND u.status = 'active'`))?.id ?? null;
}

// ---------------------------------------------------------------- instances

export interface InstanceRow {
  id: number;
  business_type: string;
  record_id: number;
  title: string;
  template_id: number | null;
  template_name: string;
  status: ApprovalStatus;
  steps: ApprovalPlanStep[];
  current_step: number | null;
  current_step_name: string | null;
  round: number;
  activation: number;
  submitter_id: number;
  submitter_name: string;
  snapshot: ApprovalSnapshot;
  amount: string | null;
  currency: string | null;
  submitted_at: Date;
  finished_at: Date | null;
  updated_at: Date;
  _sort_key?: string;
}

const INSTANCE_COLUMNS = sql`i.id, i.business_type, i.record_id, i.title, i.template_id, i.template_name, i.status, i.steps, i.current_step,
  i.steps -> i.current_step ->> 'name' AS current_step_name, i.round, i.activation, i.submitter_id, s.name AS submitter_name, i.snapshot,
  i.snapshot ->> 'amount' AS amount, i.snapshot ->> 'currency' AS currency, i.submitted_at, i.finished_at, i.updated_at`;
const SUBMITTER = sql`JOIN users s ON s.tenant_id = i.tenant_id AND s.id = i.submitter_id`;

export function getInstance(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<InstanceRow | undefined> {
  return q.one<InstanceRow>(sql`SELECT ${INSTANCE_COLUMNS} FROM approval_instances i ${SUBMITTER}
    WHERE i.tenant_id = ${tenantId} AND i.id = ${id} ${forUpdate ? sql`FOR UPDATE OF i` : sql.empty}`);
}

export function instanceOfRecord(q: Queryable, tenantId: number, type: string, recordId: number, forUpdate = false): Promise<InstanceRow | undefined> {
  return q.one<InstanceRow>(sql`SELECT ${INSTANCE_COLUMNS} FROM approval_instances i ${SUBMITTER}
    WHERE i.tenant_id = ${tenantId} AND i.business_type = ${type} AND i.record_id = ${recordId} ${forUpdate ? sql`FOR UPDATE OF i` : sql.empty}`);
}

export interface Submission {
  type: string;
  recordId: number;
  title: string;
  templateId: number;
  templateName: string;
  steps: ApprovalPlanStep[];
  /** null: no step applies, approved at once. */
  currentStep: number | null;
  submitterId: number;
  snapshot: ApprovalSnapshot;
}

/** A first submission, or a new round of the record's instance; returns id, round and activation. */
export async function upsertInstance(q: Queryable, tenantId: number, s: Submission): Promise<{ id: number; round: number; activation: number }> {
  const status = s.currentStep === null ? 'approved' : 'pending';
  return (await q.one<{ id: number; round: number; activation: number }>(sql`INSERT INTO approval_instances
      (tenant_id, business_type, record_id, title, template_id, template_name, status, steps, current_step, submitter_id, snapshot, finished_at)
    VALUES (${tenantId}, ${s.type}, ${s.recordId}, ${s.title}, ${s.templateId}, ${s.templateName}, ${status}, ${JSON.stringify(s.steps)}::jsonb,
      ${s.currentStep}, ${s.submitterId}, ${JSON.stringify(s.snapshot)}::jsonb, ${status === 'approved' ? sql`now()` : null})
    ON CONFLICT (tenant_id, business_type, record_id) DO UPDATE SET title = excluded.title, template_id = excluded.template_id,
      template_name = excluded.template_name, status = excluded.status, steps = excluded.steps, current_step = excluded.current_step,
      submitter_id = excluded.submitter_id, snapshot = excluded.snapshot, round = approval_instances.round + 1,
      activation = approval_instances.activation + 1, submitted_at = now(), finished_at = excluded.finished_at, updated_at = now()
    RETURNING id, round, activation`))!;
}

/** Moves the instance: a new step (with a new activation) or an outcome. */
export async function moveInstance(
  q: Queryable,
  tenantId: number,
  id: number,
  to: { step: number; activation: number } | { status: Exclude<ApprovalStatus, 'pending'> },
): Promise<void> {
  await q.query(
    'step' in to
      ? sql`UPDATE approval_instances SET current_step = ${to.step}, activation = ${to.activation}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`
      : sql`UPDATE approval_instances SET status = ${to.status}, current_step = NULL, finished_at = now(), updated_at = now()
          WHERE tenant_id = ${tenantId} AND id = ${id}`,
  );
}

// ---------------------------------------------------------------- tasks and events

export interface TaskRow {
  id: number;
  round: number;
  activation: number;
  step: number;
  approver_id: number;
  approver_name: string;
  status: TaskStatus;
  comment: string | null;
  decided_at: Date | null;
}

export async function insertTasks(q: Queryable, tenantId: number, instanceId: number, t: { round: number; activation: number; step: number; approverIds: number[] }) {
  await q.query(sql`INSERT INTO approval_tasks (tenant_id, instance_id, round, activation, step, approver_id)
    SELECT ${tenantId}, ${instanceId}, ${t.round}, ${t.activation}, ${t.step}, a FROM unnest(${t.approverIds}::bigint[]) a`);
}

/** Tasks of the instance, oldest first; `activation` narrows to one step activation. */
export function tasksOf(q: Queryable, tenantId: number, instanceId: number, activation?: number): Promise<TaskRow[]> {
  return q.query<TaskRow>(sql`SELECT t.id, t.round, t.activation, t.step, t.approver_id, u.name AS approver_name, t.status, t.comment, t.decided_at
    FROM approval_tasks t JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.approver_id
    ${sql.where([sql`t.tenant_id = ${tenantId}`, sql`t.instance_id = ${instanceId}`, activation !== undefined && sql`t.activation = ${activation}`])}
    ORDER BY t.id`);
}

export async function decideTask(q: Queryable, tenantId: number, taskId: number, status: 'approved' | 'rejected', comment: string | null) {
  await q.query(sql`UPDATE approval_tasks SET status = ${status}, comment = ${comment}, decided_at = now() WHERE tenant_id = ${tenantId} AND id = ${taskId}`);
}

/** The tasks still open become skipped: the step or the instance ended without them. */
export async function skipPending(q: Queryable, tenantId: number, instanceId: number) {
  await q.query(sql`UPDATE approval_tasks SET status = 'skipped', decided_at = now()
    WHERE tenant_id = ${tenantId} AND instance_id = ${instanceId} AND status = 'pending'`);
}

export async function isParticipant(q: Queryable, tenantId: number, instanceId: number, userId: number): Promise<boolean> {
  return (await q.one(sql`SELECT 1 FROM approval_tasks WHERE tenant_id = ${tenantId} AND instance_id = ${instanceId} AND approver_id = ${userId} LIMIT 1`)) !== undefined;
}

export interface EventRow {
  id: number;
  round: number;
  step: number | null;
  step_name: string | null;
  action: ApprovalAction;
  actor_id: number;
  actor_name: string;
  comment: string | null;
  back_to: number | null;
  at: Date;
}

export async function insertEvent(
  q: Queryable,
  tenantId: number,
  e: { instanceId: number; round: number; step: number | null; stepName: string | null; action: ApprovalAction; actorId: number; comment: string | null; backTo?: number | null },
) {
  await q.query(sql`INSERT INTO approval_events (tenant_id, instance_id, round, step, step_name, action, actor_id, comment, back_to)
    VALUES (${tenantId}, ${e.instanceId}, ${e.round}, ${e.step}, ${e.stepName}, ${e.action}, ${e.actorId}, ${e.comment}, ${e.backTo ?? null})`);
}

export function eventsOf(q: Queryable, tenantId: number, instanceId: number): Promise<EventRow[]> {
  return q.query<EventRow>(sql`SELECT e.id, e.round, e.step, e.step_name, e.action, e.actor_id, u.name AS actor_name, e.comment, e.back_to, e.at
    FROM approval_events e JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.actor_id
    WHERE e.tenant_id = ${tenantId} AND e.instance_id = ${instanceId} ORDER BY e.id`);
}

// ---------------------------------------------------------------- boxes

function filters(f: ApprovalListQuery): (Sql | undefined)[] {
  return [f.status ? sql`i.status = ${f.status}` : undefined, f.businessType ? sql`i.business_type = ${f.businessType}` : undefined];
}

/**
 * waiting: my open tasks (at most one per instance), newest first; submitted: what I
 * submitted; done: what I approved or rejected; all: every instance.
 */
export function listBox(q: Queryable, tenantId: number, userId: number, f: ApprovalListQuery): Promise<InstanceRow[]> {
  if (f.box === 'waiting') {
    const k: Keyset = { column: sql`t.created_at`, type: 'timestamptz', id: sql`i.id`, order: 'desc' };
    return q.query<InstanceRow>(sql`SELECT ${keysetSelect(k)}, ${INSTANCE_COLUMNS}
      FROM approval_tasks t JOIN approval_instances i ON i.tenant_id = t.tenant_id AND i.id = t.instance_id ${SUBMITTER}
      ${sql.where([sql`t.tenant_id = ${tenantId}`, sql`t.approver_id = ${userId}`, sql`t.status = 'pending'`, ...filters(f), keysetAfter(k, f.cursor)])}
      ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
  }
  const k: Keyset = { column: f.box === 'submitted' ? sql`i.submitted_at` : sql`i.updated_at`, type: 'timestamptz', id: sql`i.id`, order: 'desc' };
  const who =
    f.box === 'submitted'
      ? sql`i.submitter_id = ${userId}`
      : f.box === 'done'
        ? sql`EXISTS (SELECT 1 FROM approval_tasks t WHERE t.tenant_id = i.tenant_id AND t.instance_id = i.id AND t.approver_id = ${userId}
            AND t.status IN ('approved', 'rejected'))`
        : undefined;
  return q.query<InstanceRow>(sql`SELECT ${keysetSelect(k)}, ${INSTANCE_COLUMNS} FROM approval_instances i ${SUBMITTER}
    ${sql.where([sql`i.tenant_id = ${tenantId}`, who, ...filters(f), keysetAfter(k, f.cursor)])} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export async function counts(q: Queryable, tenantId: number, userId: number): Promise<{ waiting: number; submitted: number }> {
  return (await q.one<{ waiting: number; submitted: number }>(sql`SELECT
    (SELECT count(*) FROM approval_tasks WHERE tenant_id = ${tenantId} AND approver_id = ${userId} AND status = 'pending') AS waiting,
    (SELECT count(*) FROM approval_instances WHERE tenant_id = ${tenantId} AND submitter_id = ${userId} AND status = 'pending') AS submitted`))!;
}
