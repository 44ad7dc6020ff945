/**
 * Quotes (报价单, SAL-5): product lines with line and whole-quote discounts and
 * tax, totals computed here (money.ts). The effective discount (how far below
 * the products' list prices the quote is, before tax) decides whether it may be
 * sent at once: beyond the sender's limit (pricing.service maxDiscountFor) it
 * must be approved first through the approval engine. A sent quote gets the
 * customer's answer; a new version replaces it under the same code; an
 * accepted one converts into a draft contract.
 */
import { add, amountInWords, compare, lineAmount, percentBelow, sub, totals } from '../../../common/money.js';
import type { QuoteCreate, QuoteDetailDto, QuoteDto, QuoteListQuery, QuotePrintDto, QuoteStatus, QuoteUpdate } from '../../../common/schemas/quotes.js';
import type { LineInput } from '../../../common/schemas/line-items.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { assertNotLocked, registerApprovalType, submitForApproval } from '../approvals/approvals.engine.js';
import { createContractIn } from '../contracts/contracts.service.js';
import { companyCurrency } from '../currencies/currencies.repo.js';
import { toCompanyAmount, today } from '../currencies/currencies.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { prepareLines } from '../line-items/line-items.js';
import { visibleOpportunity } from '../opportunities/opportunities.service.js';
import { maxDiscountFor } from '../products/pricing.service.js';
import * as repo from './quotes.repo.js';

const ENTITY = 'quote';
/** Statuses from which a new version may be made (a draft is edited instead; an accepted one converts). */
const REVISABLE = new Set<QuoteStatus>(['approved', 'sent', 'rejected']);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toDto = (b: repo.QuoteRow): QuoteDto => ({
  id: b.id,
  code: b.code,
  version: b.version,
  rootId: b.root_id,
  name: b.name,
  customerId: b.customer_id,
  customerName: b.customer_name,
  opportunityId: b.opportunity_id,
  opportunityName: b.opportunity_name,
  contactId: b.contact_id,
  contactName: b.contact_name,
  ownerId: b.owner_id,
  ownerName: b.owner_name,
  currency: b.currency,
  discount: b.discount,
  taxRate: b.tax_rate,
  amount: b.amount,
  amountCompany: b.amount_company,
  listTotal: b.list_total,
  effectiveDiscount: b.effective_discount,
  validUntil: b.valid_until,
  status: b.status,
  superseded: b.superseded_at !== null,
  sentAt: iso(b.sent_at),
  answeredAt: iso(b.answered_at),
  contractId: b.contract_id,
  terms: b.terms,
  notes: b.notes,
  createdAt: b.created_at.toISOString(),
  updatedAt: b.updated_at.toISOString(),
});

export const quoteScope = (q: Queryable, actor: Actor): Promise<RecordScope> => resolveScope(q, actor, ENTITY);

/** A quote the actor can see (404 otherwise), optionally locked for the change that follows. */
export async function visibleQuote(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const b = await repo.getQuote(q, await quoteScope(q, actor), id, forUpdate);
  if (!b) throw notFound();
  return b;
}

/** The latest version, writable and not under approval: what every action on a quote needs. */
async function actionableQuote(q: Queryable, actor: Actor, id: number) {
  const b = await visibleQuote(q, actor, id, true);
  if (!b.can_write) throw new AppError('RECORD_READ_ONLY');
  if (b.superseded_at) throw new AppError('QUOTE_SUPERSEDED');
  await assertNotLocked(q, actor.tenantId, ENTITY, id);
  return b;
}

/** A quote whose content may change: the latest version, still a draft. */
async function editableQuote(q: Queryable, actor: Actor, id: number) {
  const b = await actionableQuote(q, actor, id);
  if (b.status !== 'draft') throw new AppError('QUOTE_NOT_EDITABLE', { status: b.status });
  return b;
}

const expectStatus = (b: repo.QuoteRow, ...allowed: QuoteStatus[]) => {
  if (!allowed.includes(b.status)) throw new AppError('QUOTE_BAD_STATUS', { status: b.status });
};

const storedLines = (rows: repo.LineRow[]): repo.QuoteLine[] =>
  rows.map((l) => ({ productId: l.product_id, productName: l.name, unit: l.unit, quantity: l.quantity, price: l.price, listPrice: l.list_price, discount: l.discount, amount: l.amount }));

/**
 * Lines as stored (prepareLines: on-shelf products for new lines), each with the
 * list price the discount is measured against: the product's price in the
 * quote's currency, what the line had before, or (a product priced in another
 * currency) the line's own price.
 */
async function quoteLines(q: Queryable, tenantId: number, input: LineInput[], currency: string, existing: repo.QuoteLine[], sameCurrency: boolean): Promise<repo.QuoteLine[]> {
  const lines = await prepareLines(q, tenantId, input, existing);
  const list = await repo.listPrices(q, tenantId, lines.map((l) => l.productId), currency);
  return lines.map((l) => {
    const kept = sameCurrency ? existing.find((e) => e.productId === l.productId)?.listPrice : undefined;
    return { ...l, listPrice: kept ?? list.get(l.productId) ?? l.price };
  });
}

/** The money of a quote: totals, and the list total with the effective discount (before tax). */
function figures(lines: repo.QuoteLine[], discount: string, taxRate: string) {
  const t = totals(lines, { discount, taxRate });
  const listTotal = add(...lines.map((l) => lineAmount({ price: l.listPrice, quantity: l.quantity })));
  return { totals: t, amount: t.total, listTotal, effectiveDiscount: percentBelow(listTotal, sub(t.subtotal, t.discountAmount)) };
}

async function detail(q: Queryable, actor: Actor, b: repo.QuoteRow & { can_write: boolean }): Promise<QuoteDetailDto> {
  const lineRows = await repo.listLines(q, actor.tenantId, b.id);
  const t = totals(storedLines(lineRows), { discount: b.discount, taxRate: b.tax_rate });
  const maxDiscount = await maxDiscountFor(q, actor);
  const needsApproval = compare(b.effective_discount, maxDiscount) > 0;
  const versions = await repo.listVersions(q, actor.tenantId, b.root_id);
  const acting = b.can_write && !b.superseded_at && actor.can('quote.edit');
  return {
    ...toDto(b),
    lines: lineRows.map((l) => ({ id: l.id, productId: l.product_id, productName: l.name, unit: l.unit, quantity: l.quantity, price: l.price, listPrice: l.list_price, discount: l.discount, amount: l.amount })),
    totals: { listTotal: b.list_total, subtotal: t.subtotal, discountAmount: t.discountAmount, tax: t.tax, total: t.total },
    maxDiscount,
    needsApproval,
    versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status, amount: v.amount, superseded: v.superseded_at !== null, updatedAt: v.updated_at.toISOString() })),
    allowed: {
      edit: acting && b.status === 'draft',
      delete: acting && b.status === 'draft' && actor.can('quote.delete'),
      submit: acting && b.status === 'draft',
      send: acting && (b.status === 'approved' || (b.status === 'draft' && !needsApproval)),
      answer: acting && b.status === 'sent',
      newVersion: acting && REVISABLE.has(b.status),
      convert: acting && b.status === 'accepted' && !b.contract_id && actor.can('contract.create'),
    },
  };
}

export function listQuotes(actor: Actor, query: QuoteListQuery) {
  return actor.tx(async (q) => {
    const page = keysetPage(await repo.listQuotes(q, await quoteScope(q, actor), actor.userId, query), query.limit);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  });
}

export function countQuotes(actor: Actor, query: QuoteListQuery) {
  return actor.tx(async (q) => ({ total: await repo.countQuotes(q, await quoteScope(q, actor), actor.userId, query) }));
}

export function getQuote(actor: Actor, id: number) {
  return actor.tx(async (q) => detail(q, actor, await visibleQuote(q, actor, id)));
}

/** The opportunity and contact must belong to the quote's customer. */
async function checkLinks(q: Queryable, actor: Actor, customerId: number, input: { opportunityId?: number | null; contactId?: number | null }) {
  if (input.opportunityId) {
    const o = await visibleOpportunity(q, actor, input.opportunityId);
    if (o.customer_id !== customerId) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'opportunityId', message: 'invalid' }]);
  }
  if (input.contactId && !(await repo.contactOfCustomer(q, actor.tenantId, input.contactId, customerId))) {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: 'contactId', message: 'invalid' }]);
  }
}

const AUDITED = ['name', 'customerId', 'opportunityId', 'contactId', 'currency', 'discount', 'taxRate', 'amount', 'effectiveDiscount', 'validUntil', 'terms', 'notes'] as const;

export function createQuote(actor: Actor, input: QuoteCreate) {
  return actor.tx(async (q) => {
    const customer = await visibleCustomer(q, actor, input.customerId);
    await checkLinks(q, actor, customer.id, input);
    const currency = input.currency ?? (await companyCurrency(q, actor.tenantId));
    const lines = await quoteLines(q, actor.tenantId, input.lines, currency, [], true);
    const discount = input.discount ?? '0';
    const taxRate = input.taxRate ?? '0';
    const f = figures(lines, discount, taxRate);
    const values: repo.QuoteValues = {
      name: input.name, customerId: customer.id, opportunityId: input.opportunityId ?? null, contactId: input.contactId ?? null,
      ownerId: actor.userId, departmentId: actor.departmentId, currency, discount, taxRate,
      amount: f.amount, amountCompany: await toCompanyAmount(q, actor.tenantId, f.amount, currency, today()),
      listTotal: f.listTotal, effectiveDiscount: f.effectiveDiscount,
      validUntil: input.validUntil ?? null, terms: input.terms ?? null, notes: input.notes ?? null,
    };
    const code = await nextNumber(q, actor.tenantId, ENTITY);
    const id = await repo.insertQuote(q, actor.tenantId, { code, version: 1, rootId: null, createdBy: actor.userId }, values);
    await repo.replaceLines(q, actor.tenantId, id, lines);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${code} ${input.name}`, action: 'create', changes: diffChanges(null, values, [...AUDITED]) });
    return detail(q, actor, await visibleQuote(q, actor, id));
  });
}

export function updateQuote(actor: Actor, id: number, input: QuoteUpdate) {
  return actor.tx(async (q) => {
    const before = await editableQuote(q, actor, id);
    await checkLinks(q, actor, before.customer_id, input);
    const currency = input.currency ?? before.currency;
    const oldLines = storedLines(await repo.listLines(q, actor.tenantId, id));
    const lines = input.lines || currency !== before.currency
      ? await quoteLines(q, actor.tenantId, input.lines ?? oldLines, currency, oldLines, currency === before.currency)
      : oldLines;
    const discount = input.discount ?? before.discount;
    const taxRate = input.taxRate ?? before.tax_rate;
    const f = figures(lines, discount, taxRate);
    const values: repo.QuoteValues = {
      ...Object.fromEntries(Object.entries({
        name: input.name, opportunityId: input.opportunityId, contactId: input.contactId, validUntil: input.validUntil, terms: input.terms, notes: input.notes,
      }).filter(([, v]) => v !== undefined)),
      currency, discount, taxRate, amount: f.amount, listTotal: f.listTotal, effectiveDiscount: f.effectiveDiscount,
      amountCompany: await toCompanyAmount(q, actor.tenantId, f.amount, currency, today()),
    };
    await repo.updateQuote(q, actor.tenantId, id, values);
    if (lines !== oldLines) await repo.replaceLines(q, actor.tenantId, id, lines);
    const was = repo.QUOTE_FIELDS.fromRow(before);
    const changes = diffChanges(was, { ...was, ...values }, [...AUDITED]);
    if (input.lines) changes.push({ field: 'lines', before: oldLines.length, after: lines.length });
    if (changes.length) await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${before.code} ${input.name ?? before.name}`, action: 'update', changes });
    return detail(q, actor, await visibleQuote(q, actor, id));
  });
}

/** Deletes a draft; when it was a later version, the version before it is the latest again. */
export function deleteQuote(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const b = await editableQuote(q, actor, id);
    const previous = (await repo.listVersions(q, actor.tenantId, b.root_id)).filter((v) => v.version < b.version).at(-1);
    await repo.softDelete(q, actor.tenantId, id, previous?.id ?? null);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${b.code} v${b.version} ${b.name}`, action: 'delete' });
  });
}

/**
 * Submits a draft for approval. Without an approval flow for quotes, a quote
 * within the submitter's discount limit is approved at once; one beyond it
 * cannot be (QUOTE_DISCOUNT_NEEDS_FLOW), so the whole submission rolls back.
 */
export function submitQuote(actor: Actor, id: number, comment: string | null) {
  return actor.tx(async (q) => {
    const b = await editableQuote(q, actor, id);
    try {
      await submitForApproval(q, actor, ENTITY, id, comment);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'APPROVAL_NO_TEMPLATE')) throw err;
      const limit = await maxDiscountFor(q, actor);
      if (compare(b.effective_discount, limit) > 0) throw new AppError('QUOTE_DISCOUNT_NEEDS_FLOW', { discount: b.effective_discount, limit });
      await repo.setStatus(q, actor.tenantId, id, 'approved');
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${b.code} ${b.name}`, action: 'approve_within_limit' });
    }
    return detail(q, actor, await visibleQuote(q, actor, id));
  });
}

/** Sends a draft within the sender's discount limit, or an approved quote (SAL-5: approval before sending). */
export function sendQuote(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const b = await actionableQuote(q, actor, id);
    expectStatus(b, 'draft', 'approved');
    if (b.status === 'draft') {
      const limit = await maxDiscountFor(q, actor);
      if (compare(b.effective_discount, limit) > 0) throw new AppError('QUOTE_DISCOUNT_NEEDS_APPROVAL', { discount: b.effective_discount, limit });
    }
    await repo.setStatus(q, actor.tenantId, id, 'sent');
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${b.code} ${b.name}`, action: 'send', changes: [{ field: 'status', before: b.status, after: 'sent' }] });
    return detail(q, actor, await visibleQuote(q, actor, id));
  });
}

/** Records the customer's answer to the latest sent version. */
export function answerQuote(actor: Actor, id: number, answer: 'accepted' | 'rejected', note: string | null | undefined) {
  return actor.tx(async (q) => {
    const b = await actionableQuote(q, actor, id);
    expectStatus(b, 'sent');
    await repo.setStatus(q, actor.tenantId, id, answer);
    await recordChange(q, actor, {
      entity: ENTITY, recordId: id, recordName: `${b.code} ${b.name}`, action: answer === 'accepted' ? 'accept' : 'reject',
      changes: [{ field: 'status', before: b.status, after: answer }, ...(note ? [{ field: 'note', before: null, after: note }] : [])],
    });
    return detail(q, actor, await visibleQuote(q, actor, id));
  });
}

/** A new draft version: the same code and content, version + 1; the old one becomes read-only. */
export function newVersion(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const b = await actionableQuote(q, actor, id);
    if (!REVISABLE.has(b.status)) throw new AppError('QUOTE_BAD_STATUS', { status: b.status });
    const values = repo.QUOTE_FIELDS.fromRow(b) as repo.QuoteValues;
    const version = (await repo.maxVersion(q, actor.tenantId, b.root_id)) + 1;
    const newId = await repo.insertQuote(q, actor.tenantId, { code: b.code, version, rootId: b.root_id, createdBy: actor.userId }, values);
    await repo.replaceLines(q, actor.tenantId, newId, storedLines(await repo.listLines(q, actor.tenantId, id)));
    await repo.supersede(q, actor.tenantId, id);
    const change = [{ field: 'version', before: b.version, after: version }];
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${b.code} ${b.name}`, action: 'supersede', changes: change });
    await recordChange(q, actor, { entity: ENTITY, recordId: newId, recordName: `${b.code} ${b.name}`, action: 'new_version', changes: change });
    return detail(q, actor, await visibleQuote(q, actor, newId));
  });
}

/** Converts an accepted quote into a draft contract with the same lines, discount, tax and currency, once. */
export function convertToContract(actor: Actor, id: number, name: string | undefined) {
  return actor.tx(async (q) => {
    if (!actor.can('contract.create')) throw new AppError('FORBIDDEN', { permission: 'contract.create' });
    const b = await actionableQuote(q, actor, id);
    if (b.contract_id) throw new AppError('QUOTE_ALREADY_CONVERTED', { contract: b.contract_id });
    expectStatus(b, 'accepted');
    const lines = await repo.listLines(q, actor.tenantId, id);
    const contract = await createContractIn(q, actor, {
      name: name ?? b.name, customerId: b.customer_id, opportunityId: b.opportunity_id, currency: b.currency, discount: b.discount, taxRate: b.tax_rate,
      lines: lines.map((l) => ({ productId: l.product_id, quantity: l.quantity, price: l.price, discount: l.discount })),
      description: b.terms,
    });
    await repo.setContract(q, actor.tenantId, id, contract.id);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${b.code} ${b.name}`, action: 'convert', changes: [{ field: 'contractId', before: null, after: contract.code }] });
    return { quote: await detail(q, actor, await visibleQuote(q, actor, id)), contractId: contract.id, contractCode: contract.code };
  });
}

export function history(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleQuote(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}

/** What the print page and the PDF show, under the same scope as the detail. */
export function printQuote(actor: Actor, id: number): Promise<QuotePrintDto> {
  return actor.tx(async (q) => {
    const quote = await detail(q, actor, await visibleQuote(q, actor, id));
    return { companyName: await repo.companyName(q, actor.tenantId), quote, amountInWords: amountInWords(quote.amount), printedAt: new Date().toISOString() };
  });
}

registerApprovalType({
  type: ENTITY,
  label: { zh: '报价单', en: 'Quote' },
  /**
   * Called once per submission, also when the inbox resubmits a rejected or
   * withdrawn quote: only the latest draft can go, and it is pending from here on
   * (the engine's transaction rolls this back if the submission fails).
   */
  async snapshot(q, actor, recordId) {
    const b = await visibleQuote(q, actor, recordId, true);
    if (b.superseded_at) throw new AppError('QUOTE_SUPERSEDED');
    if (b.status !== 'draft') throw new AppError('QUOTE_NOT_EDITABLE', { status: b.status });
    await repo.setStatus(q, actor.tenantId, recordId, 'pending');
    const lines = await repo.listLines(q, actor.tenantId, recordId);
    const limit = await maxDiscountFor(q, actor);
    const field = (zh: string, en: string, value: string | null) => (value ? [{ label: { zh, en }, value }] : []);
    return {
      title: `${b.code} v${b.version} ${b.name}`,
      amount: b.amount,
      currency: b.currency,
      companyAmount: b.amount_company,
      discount: b.effective_discount,
      fields: [
        ...field('客户', 'Customer', b.customer_name),
        ...field('负责人', 'Owner', b.owner_name),
        ...field('综合折扣', 'Effective discount', `${b.effective_discount}%`),
        ...field('提交人折扣权限', 'Submitter’s limit', `${limit}%`),
        ...field('有效期至', 'Valid until', b.valid_until),
        ...field('产品明细', 'Lines', lines.map((l) => `${l.name} × ${l.quantity} @ ${l.price}${l.discount !== '0.00' ? ` -${l.discount}%` : ''} = ${l.amount}`).join('；') || null),
      ],
    };
  },
  async onFinished(q, instance, outcome, actor) {
    // approved: it may be sent; rejected or withdrawn: back to an editable draft
    await repo.setStatus(q, actor.tenantId, instance.recordId, outcome === 'approved' ? 'approved' : 'draft');
  },
  async visible(q, actor, recordId) {
    return !!(await repo.getQuote(q, await quoteScope(q, actor), recordId));
  },
});
