import { cents, formatMoney } from '../../../common/money.js';
import type { ExpenseCreate, ExpenseDetailDto, ExpenseDto, ExpenseListQuery, ExpenseUpdate } from '../../../common/schemas/approvals.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { approvalStatusOf, assertNotLocked, registerApprovalType, submitForApproval } from '../approvals/approvals.engine.js';
import { isParticipant } from '../approvals/approvals.repo.js';
import { toCompanyAmount } from '../currencies/currencies.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import * as repo from './expenses.repo.js';

const ENTITY = 'expense';
const FIELDS = ['title', 'category', 'amount', 'currency', 'occurredOn', 'description', 'customerId'] as const;

const toDto = (e: repo.ExpenseRow): ExpenseDto => ({
  id: e.id,
  code: e.code,
  title: e.title,
  category: e.category,
  amount: e.amount,
  currency: e.currency,
  amountCompany: e.amount_company,
  occurredOn: e.occurred_on,
  description: e.description,
  customerId: e.customer_id,
  customerName: e.customer_name,
  ownerId: e.owner_id,
  ownerName: e.owner_name,
  status: e.status,
  approvalId: e.approval_id,
  createdAt: e.created_at.toISOString(),
  updatedAt: e.updated_at.toISOString(),
});

/** Its owner and approval.view_all read a claim; its approvers too (the engine's rule). */
const readsAsOwner = (actor: Actor, e: repo.ExpenseRow) => e.owner_id === actor.userId || actor.can('approval.view_all');

export async function visibleExpense(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const e = await repo.getExpense(q, actor.tenantId, id, forUpdate);
  if (!e) throw notFound();
  if (!readsAsOwner(actor, e) && !(e.approval_id && (await isParticipant(q, actor.tenantId, e.approval_id, actor.userId)))) throw notFound();
  return e;
}

/** Only its owner changes a claim, and only as a draft or after a rejection or withdrawal. */
const editable = (actor: Actor, e: repo.ExpenseRow) => e.owner_id === actor.userId && e.status !== 'pending' && e.status !== 'approved';

/** The claim its owner may change or submit, locked; why not otherwise. */
async function ownExpense(q: Queryable, actor: Actor, id: number) {
  const e = await visibleExpense(q, actor, id, true);
  if (e.owner_id !== actor.userId || e.status === 'approved') throw new AppError('RECORD_READ_ONLY');
  await assertNotLocked(q, actor.tenantId, ENTITY, id);
  return e;
}

const CATEGORY = {
  travel: { zh: '差旅', en: 'Travel' },
  entertainment: { zh: '招待', en: 'Entertainment' },
  office: { zh: '办公', en: 'Office' },
  other: { zh: '其他', en: 'Other' },
};
const zhEn = (v: { zh: string; en: string }) => `${v.zh} / ${v.en}`;

registerApprovalType({
  type: ENTITY,
  label: { zh: '报销', en: 'Expense claim' },
  async snapshot(q, actor, id) {
    const e = await ownExpense(q, actor, id);
    return {
      title: `${e.code} ${e.title}`,
      amount: e.amount,
      currency: e.currency,
      companyAmount: e.amount_company,
      fields: [
        { label: { zh: '报销人', en: 'Claimant' }, value: e.owner_name },
        { label: { zh: '类别', en: 'Category' }, value: zhEn(CATEGORY[e.category]) },
        { label: { zh: '金额', en: 'Amount' }, value: formatMoney(e.amount, e.currency) },
        { label: { zh: '发生日期', en: 'Date' }, value: e.occurred_on },
        ...(e.customer_name ? [{ label: { zh: '客户', en: 'Customer' }, value: e.customer_name }] : []),
        ...(e.description ? [{ label: { zh: '说明', en: 'Description' }, value: e.description }] : []),
      ],
    };
  },
  async visible(q, actor, id) {
    const e = await repo.getExpense(q, actor.tenantId, id);
    return !!e && readsAsOwner(actor, e);
  },
});

export function listExpenses(actor: Actor, query: ExpenseListQuery) {
  if (query.view === 'all' && !actor.can('approval.view_all')) throw new AppError('FORBIDDEN', { permission: 'approval.view_all' });
  return actor.tx(async (q) => {
    const page = keysetPage(await repo.listExpenses(q, actor.tenantId, actor.userId, query), query.limit);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  });
}

export function getExpense(actor: Actor, id: number) {
  return actor.tx(async (q): Promise<ExpenseDetailDto> => {
    const e = await visibleExpense(q, actor, id);
    const own = editable(actor, e) && actor.can('approval.submit');
    return { ...toDto(e), allowed: { edit: own, submit: own } };
  });
}

/** The values to store: a customer the actor sees (when it is set now), the amount in the company currency on the day it occurred. */
async function values(q: Queryable, actor: Actor, v: Omit<repo.ExpenseValues, 'amountCompany'>, customerChanged = true): Promise<repo.ExpenseValues> {
  if (v.customerId && customerChanged) {
    await visibleCustomer(q, actor, v.customerId).catch(() => {
      throw new AppError('INVALID_REFERENCE', { field: 'customerId' }, [{ path: 'customerId', message: 'invalid' }]);
    });
  }
  return { ...v, amountCompany: await toCompanyAmount(q, actor.tenantId, v.amount, v.currency, v.occurredOn) };
}

export function createExpense(actor: Actor, input: ExpenseCreate) {
  return actor.tx(async (q) => {
    const v = await values(q, actor, { ...input, description: input.description ?? null, customerId: input.customerId ?? null });
    const id = await repo.insertExpense(q, actor.tenantId, { ...v, code: await nextNumber(q, actor.tenantId, ENTITY), ownerId: actor.userId });
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: input.title, action: 'create', changes: diffChanges(null, input, [...FIELDS]) });
    return toDto((await repo.getExpense(q, actor.tenantId, id))!);
  });
}

export function updateExpense(actor: Actor, id: number, input: ExpenseUpdate) {
  return actor.tx(async (q) => {
    const e = await ownExpense(q, actor, id);
    const before = { title: e.title, category: e.category, amount: e.amount, currency: e.currency, occurredOn: e.occurred_on, description: e.description, customerId: e.customer_id };
    const after = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as typeof before;
    // compare amounts as numbers: "100" and "100.00" are the same claim
    const changes = diffChanges({ ...before, amount: cents(before.amount) }, { ...after, amount: cents(after.amount) }, [...FIELDS]);
    if (changes.length) {
      await repo.updateExpense(q, actor.tenantId, id, await values(q, actor, after, after.customerId !== before.customerId));
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: after.title, action: 'update', changes });
    }
    return toDto((await repo.getExpense(q, actor.tenantId, id))!);
  });
}

/** Submits a claim to approval (again after a rejection or withdrawal). */
export function submitExpense(actor: Actor, id: number, comment?: string) {
  return actor.tx(async (q) => {
    await ownExpense(q, actor, id);
    await submitForApproval(q, actor, ENTITY, id, comment || null);
    const e = (await repo.getExpense(q, actor.tenantId, id))!;
    return { ...toDto(e), approval: await approvalStatusOf(q, actor.tenantId, ENTITY, id) };
  });
}

export function expenseHistory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleExpense(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}
