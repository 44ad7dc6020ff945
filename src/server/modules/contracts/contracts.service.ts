/**
 * Contracts (SAL-6): a contract is drafted (lines from on-shelf products or a
 * plain amount), takes effect through the approval flow of its business type
 * (none configured: at once), is then executed, and is paid through approved
 * receivables (receivables.service.ts). While under approval it cannot change.
 */
import { amountInWords, formatMoney, sub, totals } from '../../../common/money.js';
import type { ContractCreate, ContractDetailDto, ContractDto, ContractExecution, ContractListQuery, ContractUpdate } from '../../../common/schemas/contracts.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { sql } from '../../db/sql.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { assertNotLocked, registerApprovalType, submitForApproval } from '../approvals/approvals.engine.js';
import { companyCurrency } from '../currencies/currencies.repo.js';
import { toCompanyAmount, today } from '../currencies/currencies.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { prepareLines, type StoredLine } from '../line-items/line-items.js';
import { visibleOpportunity } from '../opportunities/opportunities.service.js';
import { activeUserDepartment } from '../org/users.repo.js';
import * as repo from './contracts.repo.js';
import * as receivables from './receivables.repo.js';

const ENTITY = 'contract';
/** Statuses in which a contract may still be changed, deleted or submitted. */
const EDITABLE = new Set(['draft', 'rejected', 'withdrawn']);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toDto = (k: repo.ContractRow): ContractDto => ({
  id: k.id,
  code: k.code,
  name: k.name,
  customerId: k.customer_id,
  customerName: k.customer_name,
  opportunityId: k.opportunity_id,
  ownerId: k.owner_id,
  ownerName: k.owner_name,
  signerId: k.signer_id,
  signerName: k.signer_name,
  customerSigner: k.customer_signer,
  signedOn: k.signed_on,
  startsOn: k.starts_on,
  endsOn: k.ends_on,
  currency: k.currency,
  amount: k.amount,
  amountCompany: k.amount_company,
  discount: k.discount,
  taxRate: k.tax_rate,
  status: k.status,
  execution: k.execution,
  effectiveAt: iso(k.effective_at),
  paid: k.paid,
  outstanding: sub(k.amount, k.paid),
  remindDays: k.remind_days,
  templateId: k.template_id,
  description: k.description,
  createdAt: k.created_at.toISOString(),
  updatedAt: k.updated_at.toISOString(),
});

export const contractScope = (q: Queryable, actor: Actor): Promise<RecordScope> => resolveScope(q, actor, ENTITY);

/** A contract the actor can see (404 otherwise), optionally locked for the change that follows. */
export async function visibleContract(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const k = await repo.getContract(q, await contractScope(q, actor), id, forUpdate);
  if (!k) throw notFound();
  return k;
}

/** A contract the actor may change now: writable, in an editable status, not under approval. */
async function editableContract(q: Queryable, actor: Actor, id: number) {
  const k = await visibleContract(q, actor, id, true);
  if (!k.can_write) throw new AppError('RECORD_READ_ONLY');
  await assertNotLocked(q, actor.tenantId, ENTITY, id);
  if (!EDITABLE.has(k.status)) throw new AppError('CONTRACT_NOT_EDITABLE', { status: k.status });
  return k;
}

export function listContracts(actor: Actor, query: ContractListQuery) {
  return actor.tx(async (q) => {
    const page = keysetPage(await repo.listContracts(q, await contractScope(q, actor), actor.userId, query, today()), query.limit);
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  });
}

export function countContracts(actor: Actor, query: ContractListQuery) {
  return actor.tx(async (q) => ({ total: await repo.countContracts(q, await contractScope(q, actor), actor.userId, query, today()) }));
}

const storedLines = (rows: repo.LineRow[]): StoredLine[] =>
  rows.map((l) => ({ productId: l.product_id, productName: l.name, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount, amount: l.amount }));

async function detail(q: Queryable, actor: Actor, k: repo.ContractRow & { can_write: boolean }): Promise<ContractDetailDto> {
  const lines = await repo.listLines(q, actor.tenantId, k.id);
  const signatures = await repo.listSignatures(q, actor.tenantId, k.id);
  const t = lines.length ? totals(lines, { discount: k.discount, taxRate: k.tax_rate }) : null;
  return {
    ...toDto(k),
    lines: lines.map((l) => ({ id: l.id, productId: l.product_id, productName: l.name, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount, amount: l.amount })),
    totals: t && { listTotal: t.listTotal, subtotal: t.subtotal, discountAmount: t.discountAmount, tax: t.tax, total: t.total },
    body: k.body,
    signatures: signatures.map((g) => ({
      id: g.id, signerName: g.signer_name, signerSide: g.signer_side, provider: g.provider, signedAt: g.signed_at.toISOString(),
      fileSha256: g.file_sha256, attachmentId: g.attachment_id, recordedByName: g.recorded_by_name,
    })),
    canEdit: k.can_write && EDITABLE.has(k.status),
  };
}

export function getContract(actor: Actor, id: number) {
  return actor.tx(async (q) => detail(q, actor, await visibleContract(q, actor, id)));
}

/** The amount of a contract: computed from its lines (discounts, tax), or the plain amount given without lines. */
function amountOf(lines: StoredLine[], discount: string, taxRate: string, given: string | undefined): string {
  if (lines.length) return totals(lines, { discount, taxRate }).total;
  if (given === undefined) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'amount', message: 'required' }]);
  return given;
}

/** The placeholders a template may use, filled from the contract. */
export function renderTemplate(body: string, k: { code: string; name: string; customer: string; company: string; amount: string; currency: string; taxRate: string; startsOn: string | null; endsOn: string | null; signedOn: string | null; signer: string | null; customerSigner: string | null; lines: StoredLine[] }): string {
  const values: Record<string, string> = {
    code: k.code,
    name: k.name,
    customer: k.customer,
    company: k.company,
    amount: formatMoney(k.amount),
    amountInWords: amountInWords(k.amount),
    currency: k.currency,
    taxRate: k.taxRate,
    startsOn: k.startsOn ?? '____',
    endsOn: k.endsOn ?? '____',
    signedOn: k.signedOn ?? '____',
    signer: k.signer ?? '____',
    customerSigner: k.customerSigner ?? '____',
    lines: k.lines.map((l, i) => `${i + 1}. ${l.productName}　${l.quantity} ${l.unit} × ${formatMoney(l.price)}${l.discount !== '0.00' ? `（折扣 ${l.discount}%）` : ''} = ${formatMoney(l.amount)}`).join('\n'),
  };
  return body.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
}

async function renderBody(q: Queryable, actor: Actor, contractId: number): Promise<void> {
  const k = await visibleContract(q, actor, contractId);
  if (!k.template_id) return;
  const template = await repo.getTemplate(q, actor.tenantId, k.template_id);
  if (!template) return;
  const body = renderTemplate(template.body, {
    code: k.code, name: k.name, customer: k.customer_name ?? '', company: await repo.companyName(q, actor.tenantId), amount: k.amount, currency: k.currency,
    taxRate: k.tax_rate, startsOn: k.starts_on, endsOn: k.ends_on, signedOn: k.signed_on, signer: k.signer_name, customerSigner: k.customer_signer,
    lines: storedLines(await repo.listLines(q, actor.tenantId, contractId)),
  });
  await repo.updateContract(q, actor.tenantId, contractId, { body });
}

async function departmentOf(q: Queryable, tenantId: number, userId: number): Promise<number | null> {
  const department = await activeUserDepartment(q, tenantId, userId);
  if (department === undefined) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'ownerId', message: 'invalid' }]);
  return department;
}

const AUDITED = ['name', 'customerId', 'opportunityId', 'ownerId', 'signerId', 'customerSigner', 'signedOn', 'startsOn', 'endsOn', 'currency', 'amount', 'discount', 'taxRate', 'templateId', 'remindDays', 'description'] as const;

export function createContract(actor: Actor, input: ContractCreate) {
  return actor.tx((q) => createContractIn(q, actor, input));
}

/** Drafts a contract inside the caller's transaction (an accepted quote converts through it). */
export async function createContractIn(q: Queryable, actor: Actor, input: ContractCreate): Promise<ContractDetailDto> {
  const customer = await visibleCustomer(q, actor, input.customerId);
  if (input.opportunityId) {
    const o = await visibleOpportunity(q, actor, input.opportunityId);
    if (o.customer_id !== customer.id) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'opportunityId', message: 'invalid' }]);
  }
  const ownerId = input.ownerId ?? actor.userId;
  if (ownerId !== actor.userId && !actor.can('contract.transfer')) throw new AppError('FORBIDDEN', { permission: 'contract.transfer' });
  if (input.templateId && !(await repo.getTemplate(q, actor.tenantId, input.templateId))?.enabled) {
    throw new AppError('VALIDATION_FAILED', {}, [{ path: 'templateId', message: 'invalid' }]);
  }
  const lines = await prepareLines(q, actor.tenantId, input.lines ?? []);
  const discount = input.discount ?? '0';
  const taxRate = input.taxRate ?? '0';
  const amount = amountOf(lines, discount, taxRate, input.amount);
  const currency = input.currency ?? (await companyCurrency(q, actor.tenantId));
  const values: repo.ContractValues = {
    name: input.name, customerId: customer.id, opportunityId: input.opportunityId ?? null, ownerId, departmentId: await departmentOf(q, actor.tenantId, ownerId),
    signerId: input.signerId ?? null, customerSigner: input.customerSigner ?? null, signedOn: input.signedOn ?? null, startsOn: input.startsOn ?? null,
    endsOn: input.endsOn ?? null, currency, amount, discount, taxRate, templateId: input.templateId ?? null, remindDays: input.remindDays,
    description: input.description ?? null,
    amountCompany: await toCompanyAmount(q, actor.tenantId, amount, currency, input.signedOn ?? today()),
  };
  const code = await nextNumber(q, actor.tenantId, ENTITY);
  const id = await repo.insertContract(q, actor.tenantId, code, values, actor.userId);
  await repo.replaceLines(q, actor.tenantId, id, lines);
  await renderBody(q, actor, id);
  await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${code} ${input.name}`, action: 'create', changes: diffChanges(null, values, [...AUDITED]) });
  return detail(q, actor, await visibleContract(q, actor, id));
}

export function updateContract(actor: Actor, id: number, input: ContractUpdate) {
  return actor.tx(async (q) => {
    const before = await editableContract(q, actor, id);
    const oldLines = storedLines(await repo.listLines(q, actor.tenantId, id));
    const lines = input.lines ? await prepareLines(q, actor.tenantId, input.lines, oldLines) : oldLines;
    const discount = input.discount ?? before.discount;
    const taxRate = input.taxRate ?? before.tax_rate;
    const currency = input.currency ?? before.currency;
    const amount = lines.length ? amountOf(lines, discount, taxRate, undefined) : (input.amount ?? before.amount);
    const signedOn = input.signedOn === undefined ? before.signed_on : input.signedOn;
    const startsOn = input.startsOn === undefined ? before.starts_on : input.startsOn;
    const endsOn = input.endsOn === undefined ? before.ends_on : input.endsOn;
    if (startsOn && endsOn && startsOn > endsOn) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'endsOn', message: 'invalid' }]);
    if (input.opportunityId) {
      const o = await visibleOpportunity(q, actor, input.opportunityId);
      if (o.customer_id !== before.customer_id) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'opportunityId', message: 'invalid' }]);
    }
    const values: repo.ContractValues = {
      ...Object.fromEntries(Object.entries({
        name: input.name, opportunityId: input.opportunityId, signerId: input.signerId, customerSigner: input.customerSigner, signedOn: input.signedOn,
        startsOn: input.startsOn, endsOn: input.endsOn, templateId: input.templateId, remindDays: input.remindDays, description: input.description,
      }).filter(([, v]) => v !== undefined)),
      currency, amount, discount, taxRate,
      amountCompany: await toCompanyAmount(q, actor.tenantId, amount, currency, signedOn ?? today()),
    };
    await repo.updateContract(q, actor.tenantId, id, values);
    if (input.lines) await repo.replaceLines(q, actor.tenantId, id, lines);
    await renderBody(q, actor, id);
    const was = repo.CONTRACT_FIELDS.fromRow(before);
    const changes = diffChanges(was, { ...was, ...values }, [...AUDITED]);
    if (input.lines) changes.push({ field: 'lines', before: oldLines.length, after: lines.length });
    if (changes.length) await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${before.code} ${input.name ?? before.name}`, action: 'update', changes });
    return detail(q, actor, await visibleContract(q, actor, id));
  });
}

export function deleteContract(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const k = await editableContract(q, actor, id);
    const received = await q.one(sql`SELECT 1 FROM receivables WHERE tenant_id = ${actor.tenantId} AND contract_id = ${id} AND deleted_at IS NULL LIMIT 1`);
    if (received) throw new AppError('CONTRACT_HAS_RECEIVABLES');
    await repo.softDelete(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${k.code} ${k.name}`, action: 'delete' });
  });
}

/** Submits for approval; a company without an approval flow for contracts has them take effect at once. */
export function submitContract(actor: Actor, id: number, comment: string | null) {
  return actor.tx(async (q) => {
    const k = await editableContract(q, actor, id);
    await repo.setStatus(q, actor.tenantId, id, 'pending');
    try {
      await submitForApproval(q, actor, ENTITY, id, comment);
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'APPROVAL_NO_TEMPLATE')) throw err;
      await takeEffect(q, actor.tenantId, id, k.starts_on);
      await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${k.code} ${k.name}`, action: 'take_effect' });
    }
    return detail(q, actor, await visibleContract(q, actor, id));
  });
}

async function takeEffect(q: Queryable, tenantId: number, id: number, startsOn: string | null) {
  await repo.setStatus(q, tenantId, id, 'active', !startsOn || startsOn <= today() ? 'executing' : 'not_started');
  // targets (SAL-9) date contracts by signing: one taking effect unsigned is dated the day it does
  await q.query(sql`UPDATE contracts SET signed_on = coalesce(signed_on, ${today()}::date) WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export function setExecution(actor: Actor, id: number, execution: ContractExecution) {
  return actor.tx(async (q) => {
    const k = await visibleContract(q, actor, id, true);
    if (!k.can_write) throw new AppError('RECORD_READ_ONLY');
    if (k.status !== 'active') throw new AppError('CONTRACT_NOT_ACTIVE');
    await repo.setExecution(q, actor.tenantId, id, execution);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${k.code} ${k.name}`, action: 'execution', changes: [{ field: 'execution', before: k.execution, after: execution }] });
    return detail(q, actor, await visibleContract(q, actor, id));
  });
}

export function transferContract(actor: Actor, id: number, ownerId: number) {
  return actor.tx(async (q) => {
    const scope = await contractScope(q, actor);
    const k = await repo.getContract(q, scope, id, true);
    if (!k) throw notFound();
    if (scope.ownerIds !== null && !scope.ownerIds.includes(k.owner_id)) throw new AppError('RECORD_READ_ONLY');
    const departmentId = await departmentOf(q, actor.tenantId, ownerId);
    await repo.updateContract(q, actor.tenantId, id, { ownerId, departmentId });
    await receivables.followContractOwner(q, actor.tenantId, id, ownerId);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: `${k.code} ${k.name}`, action: 'transfer', changes: [{ field: 'ownerId', before: k.owner_id, after: ownerId }] });
    return detail(q, actor, await visibleContract(q, actor, id));
  });
}

/** Records an e-signature: the signed file is an attachment of the contract, and its SHA-256 is kept with who and when. */
export function addSignature(actor: Actor, id: number, s: { signerName: string; signerSide: 'company' | 'customer'; provider: string; signedAt: string; attachmentId: number }) {
  return actor.tx(async (q) => {
    const k = await visibleContract(q, actor, id, true);
    if (!k.can_write) throw new AppError('RECORD_READ_ONLY');
    const sha256 = await repo.attachmentHash(q, actor.tenantId, id, s.attachmentId);
    if (!sha256) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'attachmentId', message: 'invalid' }]);
    await repo.insertSignature(q, actor.tenantId, { contractId: id, ...s, sha256, recordedBy: actor.userId });
    await recordChange(q, actor, {
      entity: ENTITY, recordId: id, recordName: `${k.code} ${k.name}`, action: 'signature',
      changes: [{ field: 'signature', before: null, after: `${s.signerSide}:${s.signerName}@${s.provider} sha256=${sha256}` }],
    });
    return detail(q, actor, await visibleContract(q, actor, id));
  });
}

export function history(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleContract(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}

// ---- templates

export const listTemplates = (actor: Actor) => actor.tx((q) => repo.listTemplates(q, actor.tenantId));

export function saveTemplate(actor: Actor, id: number | null, t: { name: string; body: string; enabled: boolean }) {
  return actor.tx(async (q) => {
    const taken = (await repo.listTemplates(q, actor.tenantId)).find((x) => x.name === t.name && x.id !== id);
    if (taken) throw new AppError('DUPLICATE', {}, [{ path: 'name', message: 'duplicate' }]);
    const saved = await repo.saveTemplate(q, actor.tenantId, id, t);
    if (!saved) throw notFound();
    await recordChange(q, actor, { entity: 'contract_template', recordId: saved, recordName: t.name, action: id ? 'update' : 'create' });
    return (await repo.getTemplate(q, actor.tenantId, saved))!;
  });
}

export function deleteTemplate(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const t = await repo.getTemplate(q, actor.tenantId, id);
    if (!t) throw notFound();
    if (!(await repo.deleteTemplate(q, actor.tenantId, id))) throw new AppError('TEMPLATE_IN_USE');
    await recordChange(q, actor, { entity: 'contract_template', recordId: id, recordName: t.name, action: 'delete' });
  });
}

registerApprovalType({
  type: ENTITY,
  label: { zh: '合同', en: 'Contract' },
  async snapshot(q, actor, recordId) {
    const k = await visibleContract(q, actor, recordId);
    const lines = await repo.listLines(q, actor.tenantId, recordId);
    const field = (zh: string, en: string, value: string | null) => (value ? [{ label: { zh, en }, value }] : []);
    return {
      title: `${k.code} ${k.name}`,
      amount: k.amount,
      currency: k.currency,
      companyAmount: k.amount_company,
      fields: [
        ...field('客户', 'Customer', k.customer_name),
        ...field('负责人', 'Owner', k.owner_name),
        ...field('合同期限', 'Period', k.starts_on || k.ends_on ? `${k.starts_on ?? ''} ~ ${k.ends_on ?? ''}` : null),
        ...field('产品明细', 'Lines', lines.map((l) => `${l.name} × ${l.quantity} = ${l.amount}`).join('；') || null),
      ],
    };
  },
  async onFinished(q, instance, outcome, actor) {
    const k = await q.one<{ starts_on: string | null }>(sql`SELECT starts_on::text FROM contracts WHERE tenant_id = ${actor.tenantId} AND id = ${instance.recordId}`);
    if (!k) return;
    if (outcome === 'approved') await takeEffect(q, actor.tenantId, instance.recordId, k.starts_on);
    else await repo.setStatus(q, actor.tenantId, instance.recordId, outcome);
  },
  async visible(q, actor, recordId) {
    return !!(await repo.getContract(q, await contractScope(q, actor), recordId));
  },
});
