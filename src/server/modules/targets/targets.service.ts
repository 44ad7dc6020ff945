/**
 * Sales targets (销售目标, SAL-9): per user or department (with its
 * sub-departments), metric (contract or receivable amount) and month, quarter
 * or year; achievement is computed from contracts and receivables, never
 * stored. Who may see or set a subject's targets follows the contract data
 * scope: every user the subject covers must be an owner the actor can see.
 */
import { add } from '../../../common/money.js';
import {
  TARGET_METRICS,
  type TargetGridInput,
  type TargetListDto,
  type TargetMetric,
  type SubjectsDto,
  type TargetRowDto,
} from '../../../common/schemas/targets.js';
import type { Queryable } from '../../db/database.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import type { Actor, Subject as Viewer } from '../../platform/auth/actor.js';
import type { FieldChange } from '../../../common/schemas/audit.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as repo from './targets.repo.js';

const ENTITY = 'sales_target';
const MONTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const QUARTERS = [1, 2, 3, 4];

export const contractScope = (q: Queryable, viewer: Viewer) => resolveScope(q, viewer, 'contract');

/** The scope narrowed to `owners` (null: no narrowing): never wider than what the viewer may see. */
export function narrow(scope: RecordScope, owners: number[] | null): RecordScope {
  if (owners === null) return scope;
  const ownerIds = scope.ownerIds === null ? owners : owners.filter((id) => scope.ownerIds!.includes(id));
  return { ...scope, ownerIds };
}

/** Whether the scope sees every owner of a subject (an empty department only with scope "all"). */
export function covers(scope: RecordScope, owners: number[]): boolean {
  if (scope.ownerIds === null) return true;
  return owners.length > 0 && owners.every((id) => scope.ownerIds!.includes(id));
}

const sum = (vs: (string | null)[]) => (vs.some((v) => v !== null) ? add(...vs.map((v) => v ?? '0')) : null);
const monthsOf = (quarter: number) => [0, 1, 2].map((i) => (quarter - 1) * 3 + i);

/** One grid's cells as stored, and what applies: a quarter or year without its own target is the sum of its months' (or quarters'). */
export function gridOf(rows: repo.TargetRow[]) {
  const cell = (kind: repo.PeriodKind, period: number) => rows.find((r) => r.period_kind === kind && r.period === period)?.amount ?? null;
  const months = MONTHS.map((m) => cell('month', m));
  const quarters = QUARTERS.map((p) => cell('quarter', p));
  const total = cell('year', 1);
  const effectiveQuarters = quarters.map((v, i) => v ?? sum(monthsOf(i + 1).map((m) => months[m]!)));
  return { months, quarters, total, effective: { quarters: effectiveQuarters, total: total ?? sum(effectiveQuarters) } };
}

/** The target that applies to one period (null: none set). */
export function targetOf(rows: repo.TargetRow[], kind: repo.PeriodKind, period: number): string | null {
  const g = gridOf(rows);
  if (kind === 'month') return g.months[period - 1] ?? null;
  if (kind === 'quarter') return g.effective.quarters[period - 1] ?? null;
  return g.effective.total;
}

const rowsOf = (rows: repo.TargetRow[], s: repo.Subject, metric: TargetMetric) =>
  rows.filter((r) => r.metric === metric && (s.type === 'user' ? r.user_id === s.id : r.department_id === s.id));

/** Subjects with their names and owner sets; unknown ones are left out. */
export async function subjectsOf(q: Queryable, tenantId: number, subjects: repo.Subject[]): Promise<repo.SubjectInfo[]> {
  const ids = (type: repo.Subject['type']) => subjects.filter((s) => s.type === type).map((s) => s.id);
  return repo.subjectInfo(q, tenantId, ids('user'), ids('department'));
}

/** Targets and achievement per period of each subject the actor may see (a year of data in one query). */
async function buildList(q: Queryable, actor: Actor, year: number, subjects: repo.Subject[] | null): Promise<TargetListDto> {
  const scope = await contractScope(q, actor);
  const infos = (await subjectsOf(q, actor.tenantId, subjects ?? (await repo.subjectsWithTargets(q, actor.tenantId, year)))).filter((s) => covers(scope, s.owner_ids));
  const owners = [...new Set(infos.flatMap((s) => s.owner_ids))];
  const [rows, amounts] = infos.length
    ? [
        await repo.listTargets(q, actor.tenantId, year, infos),
        await repo.monthlyAmounts(q, narrow(scope, owners), `${year}-01-01`, `${year}-12-31`, true),
      ]
    : [[], []];
  const items: TargetRowDto[] = [];
  const byType = (a: repo.SubjectInfo, b: repo.SubjectInfo) => (a.type === b.type ? a.name.localeCompare(b.name, 'zh-CN') : a.type === 'department' ? -1 : 1);
  for (const s of infos.sort(byType)) {
    for (const metric of TARGET_METRICS) {
      const mine = amounts.filter((a) => a.metric === metric && s.owner_ids.includes(a.owner_id!));
      const achievedMonths = MONTHS.map((m) => add('0', ...mine.filter((a) => a.month === `${year}-${String(m).padStart(2, '0')}`).map((a) => a.amount)));
      const achievedQuarters = QUARTERS.map((p) => add(...monthsOf(p).map((m) => achievedMonths[m]!)));
      items.push({
        subjectType: s.type, subjectId: s.id, subjectName: s.name, metric,
        ...gridOf(rowsOf(rows, s, metric)),
        achieved: { months: achievedMonths, quarters: achievedQuarters, total: add(...achievedQuarters) },
      });
    }
  }
  return { year, items, canEdit: actor.can('target.manage') };
}

export function listTargets(actor: Actor, query: { year: number; subjectType?: repo.Subject['type']; subjectId?: number }) {
  const subjects = query.subjectType && query.subjectId ? [{ type: query.subjectType, id: query.subjectId }] : null;
  return actor.tx((q) => buildList(q, actor, query.year, subjects));
}

/** The subject to change targets of: it must exist and lie within the actor's contract scope. */
async function manageable(q: Queryable, actor: Actor, subject: repo.Subject): Promise<repo.SubjectInfo> {
  const [info] = await subjectsOf(q, actor.tenantId, [subject]);
  if (!info) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'subjectId', message: 'invalid' }]);
  if (!covers(await contractScope(q, actor), info.owner_ids)) throw new AppError('TARGET_OUT_OF_SCOPE', { name: info.name }, [{ path: 'subjectId', message: 'invalid' }]);
  return info;
}

const cellName = (kind: repo.PeriodKind, period: number) => (kind === 'month' ? `m${period}` : kind === 'quarter' ? `q${period}` : 'year');

/** Replaces a subject's targets of one metric for a year (the whole grid; empty cells mean no target). */
export function saveGrid(actor: Actor, input: TargetGridInput) {
  return actor.tx(async (q) => {
    const subject = { type: input.subjectType, id: input.subjectId };
    const info = await manageable(q, actor, subject);
    const before = gridOf(rowsOf(await repo.listTargets(q, actor.tenantId, input.year, [subject]), subject, input.metric));
    const cells = [
      ...input.months.map((amount, i) => ({ kind: 'month' as const, period: i + 1, amount })),
      ...input.quarters.map((amount, i) => ({ kind: 'quarter' as const, period: i + 1, amount })),
      { kind: 'year' as const, period: 1, amount: input.total },
    ];
    const wasOf = (kind: repo.PeriodKind, period: number) => (kind === 'month' ? before.months[period - 1] : kind === 'quarter' ? before.quarters[period - 1] : before.total) ?? null;
    // compare as cents, so "100" over a stored "100.00" is no change
    const asCents = (v: string | null) => (v === null ? null : add(v));
    const changes: FieldChange[] = cells
      .filter((c) => asCents(c.amount) !== wasOf(c.kind, c.period))
      .map((c) => ({ field: cellName(c.kind, c.period), before: wasOf(c.kind, c.period), after: asCents(c.amount) }));
    await repo.replaceGrid(q, actor.tenantId, {
      subject, metric: input.metric, year: input.year, by: actor.userId,
      cells: cells.filter((c): c is typeof c & { amount: string } => c.amount !== null),
    });
    if (changes.length) {
      await recordChange(q, actor, { entity: ENTITY, recordId: null, recordName: `${info.name} ${input.year} ${input.metric}`, action: 'update', changes });
    }
    return buildList(q, actor, input.year, [subject]);
  });
}

export function deleteGrid(actor: Actor, query: { year: number; subjectType: repo.Subject['type']; subjectId: number; metric: TargetMetric }) {
  return actor.tx(async (q) => {
    const subject = { type: query.subjectType, id: query.subjectId };
    const info = await manageable(q, actor, subject);
    if (!(await repo.deleteGrid(q, actor.tenantId, subject, query.metric, query.year))) throw notFound();
    await recordChange(q, actor, { entity: ENTITY, recordId: null, recordName: `${info.name} ${query.year} ${query.metric}`, action: 'delete' });
  });
}

/** Users and departments whose figures the actor may see in full (the pickers of the dashboard and the targets page). */
export function subjects(actor: Actor): Promise<SubjectsDto> {
  return actor.tx(async (q) => {
    const scope = await contractScope(q, actor);
    const all = (await repo.allSubjects(q, actor.tenantId)).filter((s) => covers(scope, s.owner_ids));
    const pick = (type: repo.Subject['type']) => all.filter((s) => s.type === type).map((s) => ({ id: s.id, name: s.name, parentId: s.parent_id }));
    return { users: pick('user'), departments: pick('department') };
  });
}
