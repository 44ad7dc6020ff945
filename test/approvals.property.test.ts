/**
 * Property-based test of the approval engine (COL-3): random templates (1–3 steps,
 * 会签/或签, amount conditions, approvers by user, role or superior) and random
 * sequences of approve / reject (to the submitter or an earlier step) / withdraw /
 * resubmit by random people (the submitter, approvers, an outsider), run through
 * the real services on PGlite against a small model of the rules. Every decision
 * must succeed or fail as the model says (with its error code); a refused one
 * changes nothing; the open tasks, the history and the finishing hooks always
 * agree with the model; an approved instance has every applicable step complete.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApprovalStepInput } from '../src/common/schemas/approvals.js';
import type { Database } from '../src/server/db/database.js';
import { sql } from '../src/server/db/sql.js';
import { registerApprovalType, submitForApproval } from '../src/server/modules/approvals/approvals.engine.js';
import * as repo from '../src/server/modules/approvals/approvals.repo.js';
import * as approvals from '../src/server/modules/approvals/approvals.service.js';
import { actorForUser } from '../src/server/platform/auth/actor-loader.js';
import { AppError } from '../src/server/platform/http/errors.js';
import { buildOrg } from './helpers/fixtures.js';
import { openTestDatabase } from './helpers/testdb.js';

const TYPE = 'prop_doc';
// users: 0 submitter, 1 its superior, 2–3 holders of the role, 4 another approver, 5 an outsider
const ROLE_HOLDERS = [2, 3];

type StepSpec = { kind: 'user'; users: number[]; mode: 'all' | 'any'; min: number | null } | { kind: 'role' | 'superior'; mode: 'all' | 'any'; min: number | null };
type Op = { kind: 'approve' | 'withdraw' | 'resubmit'; user: number } | { kind: 'reject'; user: number; backTo: 'submitter' | number };

const stepArb: fc.Arbitrary<StepSpec> = fc.oneof(
  fc.record({ kind: fc.constant('user' as const), users: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }), mode: fc.constantFrom('all' as const, 'any' as const), min: fc.constantFrom(null, null, 1000, 5000) }),
  fc.record({ kind: fc.constantFrom('role' as const, 'superior' as const), mode: fc.constantFrom('all' as const, 'any' as const), min: fc.constantFrom(null, null, 1000, 5000) }),
);
// the submitter and the approvers act most; the outsider now and then
const userArb = fc.constantFrom(0, 0, 1, 1, 2, 2, 3, 3, 4, 5);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('approve' as const), user: userArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reject' as const), user: userArb, backTo: fc.constantFrom<'submitter' | number>('submitter', 0, 1, 2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), user: userArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resubmit' as const), user: userArb }) },
);
const caseArb = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 3 }),
  amount: fc.constantFrom('50.00', '3000.00', '8000.00'),
  ops: fc.array(opArb, { minLength: 1, maxLength: 14 }),
});

const approversOf = (s: StepSpec) => (s.kind === 'user' ? [...s.users].sort() : s.kind === 'role' ? ROLE_HOLDERS : [1]);

/** What the rules say about one instance. */
class Model {
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn' = 'pending';
  current: number | null = null;
  round = 1;
  pending = new Set<number>();
  participants = new Set<number>();
  actions: string[] = ['submit'];
  outcomes: string[] = [];
  readonly applies: boolean[];

  constructor(readonly steps: StepSpec[], amount: string) {
    this.applies = steps.map((s) => s.min === null || Number(amount) >= s.min);
    this.start();
  }

  private next(after: number) {
    const i = this.applies.findIndex((a, idx) => a && idx > after);
    return i === -1 ? null : i;
  }
  private start() {
    const first = this.next(-1);
    if (first === null) this.end('approved');
    else this.startStep(first);
  }
  private startStep(s: number) {
    this.current = s;
    this.pending = new Set(approversOf(this.steps[s]!));
    for (const a of this.pending) this.participants.add(a);
  }
  private end(outcome: 'approved' | 'rejected' | 'withdrawn') {
    this.status = outcome;
    this.current = null;
    this.pending.clear();
    this.outcomes.push(outcome);
  }

  /** The expected error code, or null; applies the operation when it succeeds. */
  apply(op: Op): string | null {
    const u = op.user;
    if (u !== 0 && !this.participants.has(u)) return 'NOT_FOUND';
    if (op.kind === 'withdraw' || op.kind === 'resubmit') {
      if (u !== 0) return 'APPROVAL_NOT_SUBMITTER';
      if (op.kind === 'withdraw') {
        if (this.status !== 'pending') return 'APPROVAL_NOT_PENDING';
        this.actions.push('withdraw');
        this.end('withdrawn');
        return null;
      }
      if (this.status !== 'rejected' && this.status !== 'withdrawn') return 'APPROVAL_NOT_RESUBMITTABLE';
      this.actions.push('resubmit');
      this.round++;
      this.status = 'pending';
      this.start();
      return null;
    }
    if (this.status !== 'pending') return 'APPROVAL_NOT_PENDING';
    if (!this.pending.has(u)) return 'APPROVAL_NOT_APPROVER';
    const step = this.current!;
    if (op.kind === 'reject') {
      if (op.backTo !== 'submitter' && (op.backTo >= step || !this.applies[op.backTo])) return 'VALIDATION_FAILED';
      this.actions.push('reject');
      if (op.backTo === 'submitter') this.end('rejected');
      else this.startStep(op.backTo);
      return null;
    }
    this.actions.push('approve');
    this.pending.delete(u);
    // 会签: the last open approver completes the step; 或签: the first one
    if (this.steps[step]!.mode === 'any' || this.pending.size === 0) {
      const next = this.next(step);
      if (next === null) this.end('approved');
      else this.startStep(next);
    }
    return null;
  }
}

let db: Database;
let caseNo = 0;
const amounts = new Map<number, string>();
const finished = new Map<number, string[]>();

beforeAll(async () => {
  db = await openTestDatabase();
  registerApprovalType({
    type: TYPE,
    label: { zh: '测试单据', en: 'Test document' },
    snapshot: async (_q, _actor, id) => ({ title: `单据 ${id}`, amount: amounts.get(id)!, currency: 'CNY', fields: [] }),
    onFinished: async (_q, instance, outcome) => void finished.get(instance.recordId)!.push(outcome),
  });
});
afterAll(() => db?.close());

const toSpec = (s: StepSpec, i: number, roleId: number, userIds: number[]): ApprovalStepInput => ({
  name: `第${i + 1}步`,
  approverKind: s.kind,
  approverIds: s.kind === 'user' ? s.users.map((x) => userIds[x]!) : s.kind === 'role' ? [roleId] : [],
  levels: 1,
  mode: s.mode,
  condition: s.min === null ? null : { field: 'amount', op: 'gte', value: String(s.min) },
});

async function runCase({ steps, amount, ops }: { steps: StepSpec[]; amount: string; ops: Op[] }) {
  caseNo++;
  const org = await buildOrg(db, `appr${caseNo}`, {
    departmentParents: [],
    roles: [{ permissions: ['approval.submit'], scope: null }],
    // created superior first: the submitter (model user 0) is the second user created
    users: [1, 0, 2, 3, 4, 5].map((m) => ({ department: 0, superior: m === 0 ? 0 : null, superAdmin: false, roles: ROLE_HOLDERS.includes(m) ? [0] : [] })),
    customers: [],
    access: [],
  });
  const tenantId = org.tenantId;
  const userIds = [org.userIds[1]!, org.userIds[0]!, ...org.userIds.slice(2)];
  await db.tenant({ tenantId }, async (q) => {
    const id = await repo.insertTemplate(q, tenantId, { businessType: TYPE, name: '流程', enabled: true, priority: 0, condition: null });
    await repo.replaceSteps(q, tenantId, id, steps.map((s, i) => toSpec(s, i, org.roleIds[0]!, userIds)));
  });
  const actors = await Promise.all(userIds.map((id) => actorForUser(db, tenantId, id)));
  const recordId = caseNo;
  amounts.set(recordId, amount);
  finished.set(recordId, []);
  const instanceId = await actors[0]!.tx((q) => submitForApproval(q, actors[0]!, TYPE, recordId));
  const model = new Model(steps, amount);

  const userIndex = (id: number) => userIds.indexOf(id);
  const state = () =>
    db.tenant({ tenantId }, async (q) => {
      const i = (await repo.getInstance(q, tenantId, instanceId))!;
      const tasks = await repo.tasksOf(q, tenantId, instanceId);
      const events = await repo.eventsOf(q, tenantId, instanceId);
      return { i, tasks, events };
    });
  const fingerprint = (s: Awaited<ReturnType<typeof state>>) =>
    JSON.stringify([s.i.status, s.i.current_step, s.i.round, s.i.activation, s.tasks.map((t) => [t.id, t.status]), s.events.length]);

  let before = await state();
  for (const [n, op] of ops.entries()) {
    const where = `case ${caseNo}, op ${n} ${JSON.stringify(op)}; steps ${JSON.stringify(steps)}, amount ${amount}, ops ${JSON.stringify(ops)}`;
    const expected = model.apply(op);
    const actor = actors[op.user]!;
    const outcome = await (op.kind === 'approve'
      ? approvals.approve(actor, instanceId)
      : op.kind === 'reject'
        ? approvals.reject(actor, instanceId, { backTo: op.backTo })
        : op.kind === 'withdraw'
          ? approvals.withdraw(actor, instanceId)
          : approvals.resubmit(actor, instanceId)
    ).then(
      () => null,
      (e: unknown) => {
        if (e instanceof AppError) return e.code;
        throw e;
      },
    );
    expect(outcome, where).toBe(expected);
    const after = await state();
    // a refused decision changes nothing
    if (outcome !== null) expect(fingerprint(after), where).toBe(fingerprint(before));

    expect({ status: after.i.status, current: after.i.current_step, round: after.i.round }, where).toEqual({ status: model.status, current: model.current, round: model.round });
    const open = after.tasks.filter((t) => t.status === 'pending');
    expect(open.map((t) => userIndex(t.approver_id)).sort(), where).toEqual([...model.pending].sort());
    // open tasks belong to the current step's activation only
    expect(open.every((t) => t.step === after.i.current_step && t.activation === after.i.activation), where).toBe(true);
    expect(after.events.map((e) => e.action), where).toEqual(model.actions);
    expect(finished.get(recordId), where).toEqual(model.outcomes);
    before = after;
  }

  // history against the final state, read from the database alone
  const { i, tasks, events } = before;
  const last = events.at(-1)!;
  const lastOutcome = { withdrawn: 'withdraw', rejected: 'reject' } as const;
  if (i.status === 'withdrawn' || i.status === 'rejected') expect(last.action).toBe(lastOutcome[i.status]);
  expect(events.filter((e) => e.action === 'submit' || e.action === 'resubmit')).toHaveLength(i.round);
  if (i.status === 'approved') {
    const round = tasks.filter((t) => t.round === i.round);
    i.steps.forEach((s, idx) => {
      const mine = round.filter((t) => t.step === idx);
      if (!s.applies) return expect(mine).toEqual([]);
      const latest = mine.filter((t) => t.activation === Math.max(...mine.map((x) => x.activation)));
      if (s.mode === 'all') expect(latest.every((t) => t.status === 'approved')).toBe(true);
      else expect(latest.map((t) => t.status).sort()).toEqual(['approved', ...Array(latest.length - 1).fill('skipped')]);
    });
  }
  // no hook ran twice for one round, and never both approved and rejected in one round
  expect(finished.get(recordId)!.length).toBeLessThanOrEqual(i.round);
  const rows = await db.tenant({ tenantId }, (q) => q.query<{ n: number }>(sql`SELECT count(*) AS n FROM approval_instances`));
  expect(rows[0]!.n).toBe(1);
}

it('decisions follow the approval rules (generated templates and sequences)', async () => {
  await fc.assert(fc.asyncProperty(caseArb, runCase), { numRuns: 100 });
}, 120_000);
