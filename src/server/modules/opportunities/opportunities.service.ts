import type { z } from 'zod';
import { add, cents, totals, weighted } from '../../../common/money.js';
import type { RecordAccessBody } from '../../../common/schemas/customers.js';
import type {
  BoardDto,
  BoardQuery,
  ForecastDto,
  ForecastQuery,
  FunnelQuery,
  FunnelStageDto,
  OpportunityBulk,
  OpportunityCreate,
  OpportunityDetailDto,
  OpportunityDto,
  OpportunityListQuery,
  OpportunityTransfer,
  OpportunityUpdate,
  StageChangeBody,
  StageHistoryDto,
} from '../../../common/schemas/opportunities.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { maskHidden } from '../../platform/access/field-access.js';
import * as members from '../../platform/access/record-members.js';
import { type RecordScope, resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { companyCurrency } from '../currencies/currencies.repo.js';
import { toCompanyAmount, today } from '../currencies/currencies.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { assertCodes } from '../dictionaries/dictionaries.service.js';
import { isActiveUser } from '../org/users.repo.js';
import { prepareLines, type StoredLine } from '../line-items/line-items.js';
import { productsForSale } from '../products/products.service.js';
import * as pipelines from './pipelines.repo.js';
import * as repo from './opportunities.repo.js';

const ENTITY = 'opportunity';

const iso = (d: Date | null) => d?.toISOString() ?? null;
export const toDto = (o: repo.OpportunityRow): OpportunityDto => ({
  id: o.id,
  code: o.code,
  name: o.name,
  customerId: o.customer_id,
  customerName: o.customer_name,
  amount: o.amount,
  currency: o.currency,
  amountCompany: o.amount_company,
  amountOverridden: o.amount_overridden,
  expectedCloseDate: o.expected_close_date,
  pipelineId: o.pipeline_id,
  pipelineName: o.pipeline_name,
  stageId: o.stage_id,
  stageName: o.stage_name,
  winRate: o.win_rate,
  status: o.status,
  wonAt: iso(o.won_at),
  lostAt: iso(o.lost_at),
  lostReasonId: o.lost_reason_id,
  lostReasonName: o.lost_reason_name,
  lostNote: o.lost_note,
  sourceCode: o.source_code,
  description: o.description,
  ownerId: o.owner_id,
  ownerName: o.owner_name,
  departmentId: o.department_id,
  departmentName: o.department_name,
  createdAt: o.created_at.toISOString(),
  updatedAt: o.updated_at.toISOString(),
});

const invalid = (path: string, message = 'invalid') => new AppError('VALIDATION_FAILED', {}, [{ path, message }]);
const badReference = (field: string) => new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);
const CODE_INDEX = { opportunities_code: 'code' };

/** Today in the company's calendar: the day whose exchange rate the company-currency copy uses. */

export function listOpportunities(actor: Actor, query: OpportunityListQuery) {
  return actor.tx(async (q) => opportunityPage(q, actor, await resolveScope(q, actor, ENTITY), query));
}

/** One page of the list within `q` (the list, and its export page by page). */
export async function opportunityPage(q: Queryable, actor: Actor, scope: RecordScope, query: OpportunityListQuery & { ids?: number[] }) {
  const page = keysetPage(await repo.listOpportunities(q, scope, actor.userId, query), query.limit);
  return { items: page.items.map(toDto), nextCursor: page.nextCursor };
}

export function countOpportunities(actor: Actor, query: OpportunityListQuery) {
  return actor.tx(async (q) => ({ total: await repo.countOpportunities(q, await resolveScope(q, actor, ENTITY), actor.userId, query) }));
}

/** An opportunity the actor can see (locked for a change when asked); 404 when invisible. */
export async function visibleOpportunity(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const o = await repo.getOpportunity(q, await resolveScope(q, actor, ENTITY), id, forUpdate);
  if (!o) throw notFound();
  return o;
}

async function writableOpportunity(q: Queryable, actor: Actor, id: number) {
  const o = await visibleOpportunity(q, actor, id, true);
  if (!o.can_write) throw new AppError('RECORD_READ_ONLY');
  return o;
}

async function ownedOpportunity(q: Queryable, actor: Actor, id: number) {
  const o = await visibleOpportunity(q, actor, id, true);
  if (!o.can_own) throw new AppError('RECORD_READ_ONLY');
  return o;
}

async function detail(q: Queryable, actor: Actor, o: repo.OpportunityAccessRow): Promise<OpportunityDetailDto> {
  const lines = await repo.listLines(q, actor.tenantId, o.id);
  const products = await productsForSale(q, actor.tenantId, lines.map((l) => l.product_id));
  return {
    ...toDto(o),
    contacts: (await repo.listContacts(q, actor.tenantId, o.id)).map((k) => maskHidden(actor, 'contact', k)),
    lines: lines.map((l) => ({
      id: l.id,
      productId: l.product_id,
      productCode: l.product_code,
      productName: l.product_name,
      unit: l.unit,
      quantity: l.quantity,
      price: l.price,
      discount: l.discount,
      amount: l.amount,
      onShelf: products.get(l.product_id)?.onShelf ?? false,
    })),
    allowed: {
      edit: o.can_write && actor.can('opportunity.edit'),
      delete: o.can_own && actor.can('opportunity.delete'),
      transfer: o.can_own && actor.can('opportunity.transfer'),
      share: o.can_own && actor.can('opportunity.share'),
    },
  };
}

async function reload(q: Queryable, actor: Actor, id: number): Promise<OpportunityDetailDto> {
  return detail(q, actor, await visibleOpportunity(q, actor, id));
}

export function getOpportunity(actor: Actor, id: number) {
  return actor.tx(async (q) => detail(q, actor, await visibleOpportunity(q, actor, id)));
}

/** The stored form of the lines an opportunity has, for prepareLines (they keep their copied name and unit). */
const storedLines = (rows: repo.LineRow[]): StoredLine[] =>
  rows.map((l) => ({ productId: l.product_id, productName: l.product_name, unit: l.unit, quantity: l.quantity, price: l.price, discount: l.discount, amount: l.amount }));

/** With lines the amount is their total (after line discounts) unless set by hand; without lines it is what was given. */
function amountOf(lines: { price: string; quantity: string; discount: string }[], override: boolean, given: string | undefined, before: string | undefined): string {
  if (lines.length && !override) return totals(lines).subtotal;
  return cents(given ?? before ?? '0');
}

async function checkContacts(q: Queryable, tenantId: number, customerId: number, contactIds: number[]) {
  const ok = await repo.contactsOfCustomer(q, tenantId, customerId, contactIds);
  const bad = contactIds.findIndex((id) => !ok.has(id));
  if (bad >= 0) throw invalid(`contactIds.${bad}`);
}

async function stageFor(q: Queryable, tenantId: number, pipelineId: number | undefined, stageId: number | undefined) {
  const pipeline = pipelineId ? await pipelines.getPipeline(q, tenantId, pipelineId) : await pipelines.defaultPipeline(q, tenantId);
  if (!pipeline || !pipeline.enabled) throw badReference('pipelineId');
  const stages = (await pipelines.listStages(q, tenantId, [pipeline.id])).filter((s) => s.kind === 'open' && s.enabled);
  const stage = stageId === undefined ? stages[0] : stages.find((s) => s.id === stageId);
  if (!stage) throw badReference('stageId');
  return { pipeline, stage };
}

/** The customer of a new or changed opportunity: one the actor can see (else the reference is refused). */
async function customerFor(q: Queryable, actor: Actor, customerId: number) {
  try {
    return await visibleCustomer(q, actor, customerId);
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') throw badReference('customerId');
    throw e;
  }
}

const AUDITED = ['name', 'customerId', 'amount', 'currency', 'expectedCloseDate', 'sourceCode', 'description', 'contactIds', 'lines'] as const;
const lineSummary = (lines: { productName: string; quantity: string; price: string; discount: string; amount: string }[]) =>
  lines.map((l) => `${l.productName} × ${l.quantity} @ ${l.price} -${l.discount}% = ${l.amount}`);

export function createOpportunity(actor: Actor, input: z.output<typeof OpportunityCreate>) {
  return actor.tx(async (q) => reload(q, actor, await createOpportunityIn(q, actor, input)));
}

/** Creates an opportunity inside the caller's transaction (the form, and imports row by row); returns its id. */
export async function createOpportunityIn(q: Queryable, actor: Actor, input: z.output<typeof OpportunityCreate>): Promise<number> {
  const ownerId = input.ownerId ?? actor.userId;
  // creating for someone else hands the record over: the same right as a transfer
  if (ownerId !== actor.userId && !actor.can('opportunity.transfer')) throw new AppError('FORBIDDEN', { permission: 'opportunity.transfer' });
  if (!(await isActiveUser(q, actor.tenantId, ownerId))) throw badReference('ownerId');
  await customerFor(q, actor, input.customerId);
  const contactIds = [...new Set(input.contactIds ?? [])];
  await checkContacts(q, actor.tenantId, input.customerId, contactIds);
  await assertCodes(q, actor.tenantId, [{ path: 'sourceCode', kind: 'customer_source', code: input.sourceCode }]);
  const { pipeline, stage } = await stageFor(q, actor.tenantId, input.pipelineId, input.stageId);
  const lines = await prepareLines(q, actor.tenantId, input.lines ?? []);
  const currency = input.currency ?? (await companyCurrency(q, actor.tenantId));
  const amount = amountOf(lines, input.amountOverride ?? false, input.amount, undefined);
  const values: repo.OpportunityValues = {
    name: input.name,
    customerId: input.customerId,
    amount,
    currency,
    amountCompany: await toCompanyAmount(q, actor.tenantId, amount, currency, today()),
    amountOverridden: lines.length > 0 && (input.amountOverride ?? false),
    expectedCloseDate: input.expectedCloseDate ?? null,
    sourceCode: input.sourceCode ?? null,
    description: input.description ?? null,
  };
  const code = await nextNumber(q, actor.tenantId, ENTITY);
  const id = await repo.insertOpportunity(q, actor.tenantId, { ...values, code, pipelineId: pipeline.id, stageId: stage.id, ownerId, createdBy: actor.userId }).catch((e) => {
    throw duplicateFrom(e, CODE_INDEX) ?? e;
  });
  await repo.replaceLines(q, actor.tenantId, id, lines);
  await repo.replaceContacts(q, actor.tenantId, id, contactIds);
  await repo.insertStageHistory(q, actor.tenantId, { opportunityId: id, from: null, to: stage, note: null, by: actor.userId });
  await recordChange(q, actor, {
    entity: ENTITY,
    recordId: id,
    recordName: input.name,
    action: 'create',
    changes: [
      ...diffChanges(null, { ...values, contactIds: contactIds.length ? contactIds : undefined, lines: lines.length ? lineSummary(lines) : undefined }, [...AUDITED]),
      { field: 'stage', before: null, after: stage.name },
      { field: 'ownerId', before: null, after: ownerId },
    ],
  });
  return id;
}

export function updateOpportunity(actor: Actor, id: number, input: z.output<typeof OpportunityUpdate>) {
  return actor.tx(async (q) => {
    await updateOpportunityIn(q, actor, id, input);
    return reload(q, actor, id);
  });
}

/** Changes an opportunity inside the caller's transaction (the form, and imports in update mode). */
export async function updateOpportunityIn(q: Queryable, actor: Actor, id: number, input: z.output<typeof OpportunityUpdate>): Promise<void> {
  const before = await writableOpportunity(q, actor, id);
  const oldLines = await repo.listLines(q, actor.tenantId, id);
  const oldContacts = (await repo.listContacts(q, actor.tenantId, id)).map((c) => c.id);
  if (input.sourceCode !== before.source_code) await assertCodes(q, actor.tenantId, [{ path: 'sourceCode', kind: 'customer_source', code: input.sourceCode }]);
  const contactIds = input.contactIds ? [...new Set(input.contactIds)] : oldContacts;
  if (input.contactIds) await checkContacts(q, actor.tenantId, before.customer_id, contactIds);
  const lines = input.lines ? await prepareLines(q, actor.tenantId, input.lines, storedLines(oldLines)) : storedLines(oldLines);
  const override = lines.length > 0 && (input.amountOverride ?? before.amount_overridden);
  const amount = amountOf(lines, override, input.amount, before.amount);
  const currency = input.currency ?? before.currency;
  const was: repo.OpportunityValues = {
    name: before.name,
    customerId: before.customer_id,
    amount: before.amount,
    currency: before.currency,
    amountCompany: before.amount_company,
    amountOverridden: before.amount_overridden,
    expectedCloseDate: before.expected_close_date,
    sourceCode: before.source_code,
    description: before.description,
  };
  const values: repo.OpportunityValues = {
    ...was,
    name: input.name ?? before.name,
    amount,
    currency,
    amountOverridden: override,
    expectedCloseDate: input.expectedCloseDate === undefined ? before.expected_close_date : input.expectedCloseDate,
    sourceCode: input.sourceCode === undefined ? before.source_code : input.sourceCode,
    description: input.description === undefined ? before.description : input.description,
  };
  if (amount !== before.amount || currency !== before.currency) values.amountCompany = await toCompanyAmount(q, actor.tenantId, amount, currency, today());
  const changes = diffChanges(
    { ...was, contactIds: [...oldContacts].sort(), lines: lineSummary(oldLines.map((l) => ({ ...l, productName: l.product_name }))) },
    { ...values, contactIds: [...contactIds].sort(), lines: lineSummary(lines) },
    [...AUDITED],
  );
  if (changes.length || values.amountOverridden !== was.amountOverridden) {
    await repo.updateOpportunity(q, actor.tenantId, id, values);
    if (input.lines) await repo.replaceLines(q, actor.tenantId, id, lines);
    if (input.contactIds) await repo.replaceContacts(q, actor.tenantId, id, contactIds);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: values.name, action: 'update', changes });
  }
}

/**
 * Moves an opportunity to a stage of its pipeline (advance, drag on the board,
 * win, lose, reopen): an enabled stage; the lost stage needs a reason. The
 * stage history and the operation log both keep it, with the note.
 */
export function changeStage(actor: Actor, id: number, input: z.output<typeof StageChangeBody>) {
  return actor.tx(async (q) => changeStageIn(q, actor, await writableOpportunity(q, actor, id), input));
}

async function changeStageIn(q: Queryable, actor: Actor, o: repo.OpportunityAccessRow, input: z.output<typeof StageChangeBody>) {
  const target = await pipelines.getStage(q, actor.tenantId, input.stageId);
  if (!target || target.pipeline_id !== o.pipeline_id || !target.enabled) throw badReference('stageId');
  if (target.id === o.stage_id) return reload(q, actor, o.id);
  let lostReasonId: number | null = null;
  if (target.kind === 'lost') {
    if (input.lostReasonId === undefined) throw invalid('lostReasonId', 'required');
    const reason = (await pipelines.listLostReasons(q, actor.tenantId)).find((r) => r.id === input.lostReasonId);
    if (!reason?.enabled) throw invalid('lostReasonId', 'disabled');
    lostReasonId = reason.id;
  }
  const note = input.note || null;
  await repo.setStage(q, actor.tenantId, o.id, { stageId: target.id, status: target.kind, lostReasonId, lostNote: target.kind === 'lost' ? note : null });
  await repo.insertStageHistory(q, actor.tenantId, { opportunityId: o.id, from: { id: o.stage_id, name: o.stage_name }, to: target, note, by: actor.userId });
  const action = target.kind === 'won' ? 'win' : target.kind === 'lost' ? 'lose' : o.status !== 'open' ? 'reopen' : 'advance';
  await recordChange(q, actor, {
    entity: ENTITY,
    recordId: o.id,
    recordName: o.name,
    action,
    changes: [
      { field: 'stage', before: o.stage_name, after: target.name },
      ...(note ? [{ field: 'note', before: null, after: note }] : []),
      ...(lostReasonId ? [{ field: 'lostReasonId', before: o.lost_reason_id, after: lostReasonId }] : []),
    ],
  });
  return reload(q, actor, o.id);
}

async function outcomeStage(q: Queryable, tenantId: number, pipelineId: number, kind: 'won' | 'lost') {
  return (await pipelines.listStages(q, tenantId, [pipelineId])).find((s) => s.kind === kind)!;
}

export function win(actor: Actor, id: number, note: string | null | undefined) {
  return actor.tx(async (q) => {
    const o = await writableOpportunity(q, actor, id);
    if (o.status === 'won') throw new AppError('OPPORTUNITY_CLOSED');
    return changeStageIn(q, actor, o, { stageId: (await outcomeStage(q, actor.tenantId, o.pipeline_id, 'won')).id, note });
  });
}

export function lose(actor: Actor, id: number, input: { lostReasonId: number; note?: string | null }) {
  return actor.tx(async (q) => {
    const o = await writableOpportunity(q, actor, id);
    if (o.status === 'lost') throw new AppError('OPPORTUNITY_CLOSED');
    return changeStageIn(q, actor, o, { stageId: (await outcomeStage(q, actor.tenantId, o.pipeline_id, 'lost')).id, ...input });
  });
}

/** Back to an open stage: the one given, else the one it was closed from, else the first. */
export function reopen(actor: Actor, id: number, input: { stageId?: number; note?: string | null }) {
  return actor.tx(async (q) => {
    const o = await writableOpportunity(q, actor, id);
    if (o.status === 'open') throw new AppError('OPPORTUNITY_OPEN');
    const open = (await pipelines.listStages(q, actor.tenantId, [o.pipeline_id])).filter((s) => s.kind === 'open' && s.enabled);
    const previous = await repo.closedFrom(q, actor.tenantId, id);
    const stageId = input.stageId ?? open.find((s) => s.id === previous)?.id ?? open[0]?.id;
    if (stageId === undefined || !open.some((s) => s.id === stageId)) throw badReference('stageId');
    return changeStageIn(q, actor, o, { stageId, note: input.note });
  });
}

export function stageHistory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleOpportunity(q, actor, id);
    return (await repo.stageHistory(q, actor.tenantId, id)).map(
      (h): StageHistoryDto => ({
        id: h.id,
        fromStageId: h.from_stage_id,
        fromStageName: h.from_stage_name,
        toStageId: h.to_stage_id,
        toStageName: h.to_stage_name,
        note: h.note,
        changedBy: h.changed_by,
        changedByName: h.changed_by_name,
        changedAt: h.changed_at.toISOString(),
      }),
    );
  });
}

export function history(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleOpportunity(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}

async function transferIn(q: Queryable, actor: Actor, rows: repo.OpportunityAccessRow[], ownerId: number, keepAsTeamMember: boolean) {
  if (!(await isActiveUser(q, actor.tenantId, ownerId))) throw badReference('ownerId');
  const moving = rows.filter((r) => r.owner_id !== ownerId);
  await repo.setOwner(q, actor.tenantId, moving.map((r) => r.id), ownerId);
  for (const r of moving) {
    if (keepAsTeamMember) await members.keepFormerOwner(q, actor, ENTITY, r.id, r.owner_id);
    await recordChange(q, actor, { entity: ENTITY, recordId: r.id, recordName: r.name, action: 'transfer', changes: [{ field: 'ownerId', before: r.owner_id, after: ownerId }] });
  }
  return moving.length;
}

export function transfer(actor: Actor, id: number, input: z.output<typeof OpportunityTransfer>) {
  return actor.tx(async (q) => {
    await transferIn(q, actor, [await ownedOpportunity(q, actor, id)], input.ownerId, input.keepAsTeamMember);
    return reload(q, actor, id).catch((e) => {
      // handed to someone outside the actor's scope: done, but no longer visible to them
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    });
  });
}

export function deleteOpportunity(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const o = await ownedOpportunity(q, actor, id);
    await repo.softDelete(q, actor.tenantId, id, actor.userId);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: o.name, action: 'delete' });
  });
}

/** Transfer or delete a selection, all or nothing: every opportunity must allow it. */
export function bulk(actor: Actor, input: z.output<typeof OpportunityBulk>) {
  return actor.tx(async (q) => {
    const ids = [...new Set(input.ids)].sort((a, b) => a - b); // one lock order for all
    const rows: repo.OpportunityAccessRow[] = [];
    for (const id of ids) rows.push(await ownedOpportunity(q, actor, id));
    if (input.action === 'transfer') return { changed: await transferIn(q, actor, rows, input.ownerId, input.keepAsTeamMember) };
    for (const r of rows) {
      await repo.softDelete(q, actor.tenantId, r.id, actor.userId);
      await recordChange(q, actor, { entity: ENTITY, recordId: r.id, recordName: r.name, action: 'delete' });
    }
    return { changed: rows.length };
  });
}

export function listMembers(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleOpportunity(q, actor, id);
    return members.listMembers(q, actor.tenantId, ENTITY, id);
  });
}

export function grantMember(actor: Actor, id: number, input: z.output<typeof RecordAccessBody>) {
  return actor.tx(async (q) => members.grantMember(q, actor, ENTITY, await ownedOpportunity(q, actor, id), input));
}

export function revokeMember(actor: Actor, id: number, userId: number, kind: 'team' | 'share') {
  return actor.tx(async (q) => members.revokeMember(q, actor, ENTITY, await ownedOpportunity(q, actor, id), userId, kind));
}

async function pipelineOrDefault(q: Queryable, tenantId: number, pipelineId: number | undefined) {
  const p = pipelineId ? await pipelines.getPipeline(q, tenantId, pipelineId) : await pipelines.defaultPipeline(q, tenantId);
  if (!p) throw notFound();
  return p;
}

/** The kanban board (SAL-2) of one pipeline (default: the default one), within the data scope and filters. */
export function board(actor: Actor, query: z.output<typeof BoardQuery>): Promise<BoardDto> {
  return actor.tx(async (q) => {
    const pipeline = await pipelineOrDefault(q, actor.tenantId, query.pipelineId);
    const rows = await repo.board(q, await resolveScope(q, actor, ENTITY), actor.userId, pipeline.id, query, query.limit);
    const byStage = new Map<number, repo.BoardRow[]>();
    for (const r of rows) byStage.set(r.b_stage_id, [...(byStage.get(r.b_stage_id) ?? []), r]);
    const stages = [...byStage.values()].map(([s, ...more]) => {
      const page = keysetPage([s!, ...more].filter((r) => r.id != null) as (repo.OpportunityRow & { id: number })[], query.limit);
      return {
        stageId: s!.b_stage_id,
        name: s!.b_name,
        kind: s!.b_kind,
        winRate: s!.b_win_rate,
        enabled: s!.b_enabled,
        count: s!.b_count,
        amount: cents(s!.b_amount),
        weighted: weighted(s!.b_amount, s!.b_win_rate),
        cards: page.items.map(toDto),
        nextCursor: page.nextCursor,
      };
    });
    return { pipeline: { id: pipeline.id, name: pipeline.name }, stages };
  });
}

const yearBounds = () => {
  const y = today().slice(0, 4);
  return { from: `${y}-01-01`, to: `${y}-12-31` };
};

/** The weighted forecast (SAL-3) by period and owner or department, within the data scope. */
export function forecast(actor: Actor, query: z.output<typeof ForecastQuery>): Promise<ForecastDto> {
  return actor.tx(async (q) => {
    const from = query.from ?? yearBounds().from;
    const to = query.to ?? yearBounds().to;
    if (to < from) throw invalid('to');
    const rows = await repo.forecast(q, await resolveScope(q, actor, ENTITY), actor.userId, { ...query, from, to });
    const figures = (r: repo.ForecastRow) => ({
      openCount: r.open_count ?? 0,
      openAmount: cents(r.open_amount ?? 0),
      weighted: cents(r.weighted ?? 0),
      wonCount: r.won_count ?? 0,
      wonAmount: cents(r.won_amount ?? 0),
    });
    const total = rows.find((r) => r.is_total);
    return {
      period: query.period,
      groupBy: query.groupBy,
      from,
      to,
      rows: rows.filter((r) => !r.is_total).map((r) => ({ period: r.period!, groupId: r.group_id, groupName: r.group_name, ...figures(r) })),
      totals: total ? figures(total) : { openCount: 0, openAmount: '0.00', weighted: '0.00', wonCount: 0, wonAmount: '0.00' },
    };
  });
}

/** The sales funnel of a pipeline: per stage the opportunities now in it, and how many got at least that far. */
export function funnel(actor: Actor, query: z.output<typeof FunnelQuery>) {
  return actor.tx(async (q) => {
    const pipeline = await pipelineOrDefault(q, actor.tenantId, query.pipelineId);
    const rows = await repo.funnel(q, await resolveScope(q, actor, ENTITY), actor.userId, pipeline.id, query);
    const won = rows.filter((r) => r.kind === 'won').reduce((n, r) => n + r.count, 0);
    const stages: FunnelStageDto[] = rows.map((r, i) => ({
      stageId: r.id,
      name: r.name,
      kind: r.kind,
      winRate: r.win_rate,
      count: r.count,
      amount: cents(r.amount),
      reached: r.kind === 'open' ? rows.slice(i).filter((x) => x.kind === 'open').reduce((n, x) => n + x.count, 0) + won : r.count,
    }));
    return { pipeline: { id: pipeline.id, name: pipeline.name }, stages, total: { count: rows.reduce((n, r) => n + r.count, 0), amount: add(...rows.map((r) => r.amount)) } };
  });
}
