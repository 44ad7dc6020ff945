/**
 * Payment plans (回款计划, SAL-7) and receivables (回款, SAL-8). Both hang on a
 * contract and are seen through its data scope. A receivable counts as paid
 * once approved (its own approval flow; none configured: at once), and the
 * approved and pending ones together never exceed the contract amount.
 */
import type { z } from 'zod';
import { add, compare, split, sub } from '../../../common/money.js';
import type { PlanDto, PlansCreate, ReceivableCreate, ReceivableDto, ReceivableListQuery, ReceivableUpdate } from '../../../common/schemas/contracts.js';
import type { Database, Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { sql } from '../../db/sql.js';
import type { Actor } from '../../platform/auth/actor.js';
import { recordChange } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { assertNotLocked, registerApprovalType, submitForApproval } from '../approvals/approvals.engine.js';
import { toCompanyAmount, today } from '../currencies/currencies.service.js';
import { contractScope, visibleContract } from './contracts.service.js';
import * as repo from './receivables.repo.js';

const ENTITY = 'receivable';
const EDITABLE = new Set(['draft', 'rejected', 'withdrawn']);

const planState = (p: repo.PlanRow, day: string): PlanDto['state'] =>
  compare(p.received, p.amount) >= 0 ? 'paid' : p.due_on < day ? 'overdue' : compare(p.received, 0) > 0 ? 'partial' : 'open';

const planDto = (p: repo.PlanRow, day = today()): PlanDto => ({
  id: p.id, contractId: p.contract_id, seq: p.seq, dueOn: p.due_on, amount: p.amount, method: p.method, remindDays: p.remind_days, note: p.note,
  received: p.received, state: planState(p, day),
});

export function listPlans(actor: Actor, contractId: number) {
  return actor.tx(async (q) => {
    await visibleContract(q, actor, contractId);
    return { items: (await repo.listPlans(q, actor.tenantId, contractId)).map((p) => planDto(p)) };
  });
}

/** Adds instalments (given, or an amount split over monthly due dates); together they may not exceed the contract amount. */
export function createPlans(actor: Actor, contractId: number, body: z.output<typeof PlansCreate>) {
  return actor.tx(async (q) => {
    const k = await visibleContract(q, actor, contractId, true);
    const plans =
      'plans' in body
        ? body.plans.map((p) => ({ ...p, note: p.note ?? null }))
        : split(body.split.amount, body.split.count).map((amount, i) => ({
            dueOn: addMonths(body.split.firstDueOn, i * body.split.everyMonths), amount, method: body.split.method, remindDays: 3, note: null,
          }));
    const total = add(await repo.plansTotal(q, actor.tenantId, contractId), ...plans.map((p) => p.amount));
    if (compare(total, k.amount) > 0) throw new AppError('PLANS_EXCEED_CONTRACT', { total, amount: k.amount });
    await repo.insertPlans(q, actor.tenantId, contractId, plans, actor.userId);
    await recordChange(q, actor, {
      entity: 'contract', recordId: contractId, recordName: `${k.code} ${k.name}`, action: 'plans_add',
      changes: plans.map((p) => ({ field: 'plan', before: null, after: `${p.dueOn} ${p.amount}` })),
    });
    return { items: (await repo.listPlans(q, actor.tenantId, contractId)).map((p) => planDto(p)) };
  });
}

/** YYYY-MM-DD plus whole months, the day clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export function deletePlan(actor: Actor, planId: number) {
  return actor.tx(async (q) => {
    const p = await repo.getPlan(q, actor.tenantId, planId);
    if (!p) throw notFound();
    const k = await visibleContract(q, actor, p.contract_id, true);
    if (!(await repo.deletePlan(q, actor.tenantId, planId))) throw new AppError('PLAN_HAS_RECEIVABLES');
    await recordChange(q, actor, { entity: 'contract', recordId: k.id, recordName: `${k.code} ${k.name}`, action: 'plan_delete', changes: [{ field: 'plan', before: `#${p.seq} ${p.due_on} ${p.amount}`, after: null }] });
  });
}

export function overdue(actor: Actor, query: { limit: number; cursor?: string }) {
  return actor.tx(async (q) => {
    const day = today();
    const page = keysetPage(await repo.overduePlans(q, await contractScope(q, actor), day, query.limit, query.cursor), query.limit);
    return {
      items: page.items.map((p) => ({
        ...planDto(p, day), contractCode: p.contract_code, contractName: p.contract_name, customerId: p.customer_id, customerName: p.customer_name,
        ownerId: p.owner_id, ownerName: p.owner_name, currency: p.currency, outstanding: sub(p.amount, p.received),
      })),
      nextCursor: page.nextCursor,
    };
  });
}

// ---- receivables

const toDto = (r: repo.ReceivableRow): ReceivableDto => ({
  id: r.id, code: r.code, contractId: r.contract_id, contractCode: r.contract_code, contractName: r.contract_name, planId: r.plan_id, planSeq: r.plan_seq,
  customerId: r.customer_id, customerName: r.customer_name, ownerId: r.owner_id, ownerName: r.owner_name, amount: r.amount, currency: r.currency,
  amountCompany: r.amount_company, receivedOn: r.received_on, method: r.method, status: r.status, invoiceType: r.invoice_type, invoiceNo: r.invoice_no,
  invoiceTitle: r.invoice_title, invoiceTaxNo: r.invoice_tax_no, invoiceAmount: r.invoice_amount, invoicedOn: r.invoiced_on, note: r.note,
  createdAt: r.created_at.toISOString(),
});

async function visibleReceivable(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const r = await repo.getReceivable(q, await contractScope(q, actor), id, forUpdate);
  if (!r) throw notFound();
  return r;
}

export function listReceivables(actor: Actor, query: z.output<typeof ReceivableListQuery>) {
  return actor.tx(async (q) => {
    const page = keysetPage(await repo.listReceivables(q, await contractScope(q, actor), query), query.limit);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  });
}

export const getReceivable = (actor: Actor, id: number) => actor.tx(async (q) => toDto(await visibleReceivable(q, actor, id)));

/** Approved and pending receivables plus `amount` may not exceed the contract amount. */
async function assertWithinBalance(q: Queryable, tenantId: number, contract: { id: number; amount: string }, amount: string, exceptId: number | null) {
  const { committed } = await repo.receivedOf(q, tenantId, contract.id, exceptId);
  const balance = sub(contract.amount, committed);
  if (compare(amount, balance) > 0) throw new AppError('RECEIVABLE_EXCEEDS_BALANCE', { balance }, [{ path: 'amount', message: 'invalid' }]);
}

async function checkPlan(q: Queryable, tenantId: number, contractId: number, planId: number | null | undefined) {
  if (!planId) return;
  const p = await repo.getPlan(q, tenantId, planId);
  if (!p || p.contract_id !== contractId) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'planId', message: 'invalid' }]);
}

export function createReceivable(actor: Actor, input: z.output<typeof ReceivableCreate>) {
  return actor.tx(async (q) => {
    const k = await visibleContract(q, actor, input.contractId, true);
    if (k.status !== 'active') throw new AppError('CONTRACT_NOT_ACTIVE');
    await checkPlan(q, actor.tenantId, k.id, input.planId);
    await assertWithinBalance(q, actor.tenantId, k, input.amount, null);
    const code = await nextNumber(q, actor.tenantId, ENTITY);
    const { contractId: _, ...values } = input;
    const id = await repo.insertReceivable(q, actor.tenantId, {
      ...values, code, contractId: k.id, customerId: k.customer_id, ownerId: k.owner_id, createdBy: actor.userId,
      amountCompany: await toCompanyAmount(q, actor.tenantId, input.amount, k.currency, input.receivedOn),
    });
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${code} ${k.code}`, action: 'create', changes: [{ field: 'amount', before: null, after: input.amount }] });
    return toDto(await visibleReceivable(q, actor, id));
  });
}

async function editableReceivable(q: Queryable, actor: Actor, id: number) {
  const r = await visibleReceivable(q, actor, id, true);
  await assertNotLocked(q, actor.tenantId, ENTITY, id);
  if (!EDITABLE.has(r.status)) throw new AppError('RECEIVABLE_NOT_EDITABLE');
  return r;
}

export function updateReceivable(actor: Actor, id: number, input: z.output<typeof ReceivableUpdate>) {
  return actor.tx(async (q) => {
    const r = await editableReceivable(q, actor, id);
    const k = await visibleContract(q, actor, r.contract_id, true);
    await checkPlan(q, actor.tenantId, k.id, input.planId);
    const amount = input.amount ?? r.amount;
    await assertWithinBalance(q, actor.tenantId, k, amount, id);
    const receivedOn = input.receivedOn ?? r.received_on;
    await repo.updateReceivable(q, actor.tenantId, id, { ...input, amountCompany: await toCompanyAmount(q, actor.tenantId, amount, k.currency, receivedOn) });
    if (input.amount && input.amount !== r.amount) {
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${r.code} ${r.contract_code}`, action: 'update', changes: [{ field: 'amount', before: r.amount, after: input.amount }] });
    }
    return toDto(await visibleReceivable(q, actor, id));
  });
}

export function deleteReceivable(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const r = await editableReceivable(q, actor, id);
    await repo.softDeleteReceivable(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${r.code} ${r.contract_code}`, action: 'delete' });
  });
}

/** Submits for approval; without an approval flow for receivables it is approved at once. */
export function submitReceivable(actor: Actor, id: number, comment: string | null) {
  return actor.tx(async (q) => {
    const r = await editableReceivable(q, actor, id);
    const k = await visibleContract(q, actor, r.contract_id, true);
    await assertWithinBalance(q, actor.tenantId, k, r.amount, id);
    await repo.setReceivableStatus(q, actor.tenantId, id, 'pending');
    try {
      await submitForApproval(q, actor, ENTITY, id, comment);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'APPROVAL_NO_TEMPLATE')) throw err;
      await repo.setReceivableStatus(q, actor.tenantId, id, 'approved');
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${r.code} ${r.contract_code}`, action: 'approve_direct' });
    }
    return toDto(await visibleReceivable(q, actor, id));
  });
}

/** The daily reminders of every company: contracts about to end, instalments about to fall due, and overdue ones (催收). */
export async function runReminders(db: Database, now = new Date()) {
  const day = today(now);
  const tenants = await db.system((q) => q.query<{ id: number }>(sql`SELECT id FROM tenants ORDER BY id`));
  const sum = { expiring: 0, due: 0, overdue: 0 };
  for (const { id } of tenants) {
    await db.tenant({ tenantId: id }, async (q) => {
      sum.expiring += await repo.remindExpiring(q, id, day);
      const plans = await repo.remindPlans(q, id, day);
      sum.due += plans.due;
      sum.overdue += plans.overdue;
    });
  }
  return sum;
}

registerApprovalType({
  type: ENTITY,
  label: { zh: '回款', en: 'Receivable' },
  async snapshot(q, actor, recordId) {
    const r = await visibleReceivable(q, actor, recordId);
    const field = (zh: string, en: string, value: string | null) => (value ? [{ label: { zh, en }, value }] : []);
    return {
      title: `${r.code} ${r.contract_code} ${r.contract_name}`,
      amount: r.amount,
      currency: r.currency,
      companyAmount: r.amount_company,
      fields: [
        ...field('客户', 'Customer', r.customer_name),
        ...field('回款日期', 'Received on', r.received_on),
        ...field('回款方式', 'Method', r.method),
        ...field('回款计划', 'Instalment', r.plan_seq ? `#${r.plan_seq}` : null),
        ...field('发票号', 'Invoice', r.invoice_no),
      ],
    };
  },
  async onFinished(q, instance, outcome, actor) {
    await repo.setReceivableStatus(q, actor.tenantId, instance.recordId, outcome);
  },
  async visible(q, actor, recordId) {
    return !!(await repo.getReceivable(q, await contractScope(q, actor), recordId));
  },
});
