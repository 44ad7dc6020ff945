import type { ReceivableListQuery } from '../../../common/schemas/contracts.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { columnMap } from '../../db/columns.js';
import { sql, type Sql } from '../../db/sql.js';
import { type RecordScope, visibleSql } from '../../platform/access/scope.js';
import type { z } from 'zod';

export type ReceivableStatus = 'draft' | 'pending' | 'approved' | 'rejected' | 'withdrawn';

// ---- payment plans

export interface PlanRow {
  id: number;
  contract_id: number;
  seq: number;
  due_on: string;
  amount: string;
  method: string;
  remind_days: number;
  note: string | null;
  received: string;
}

const RECEIVED = (plan: string) => sql`(SELECT coalesce(sum(r.amount), 0)::text FROM receivables r
  WHERE r.tenant_id = ${sql.raw(plan)}.tenant_id AND r.plan_id = ${sql.raw(plan)}.id AND r.deleted_at IS NULL AND r.status = 'approved')`;

export function listPlans(q: Queryable, tenantId: number, contractId: number): Promise<PlanRow[]> {
  return q.query<PlanRow>(sql`SELECT p.id, p.contract_id, p.seq, p.due_on::text, p.amount::text, p.method, p.remind_days, p.note, ${RECEIVED('p')} AS received
    FROM payment_plans p WHERE p.tenant_id = ${tenantId} AND p.contract_id = ${contractId} ORDER BY p.seq`);
}

export async function insertPlans(
  q: Queryable,
  tenantId: number,
  contractId: number,
  plans: { dueOn: string; amount: string; method: string; remindDays: number; note: string | null }[],
  createdBy: number,
): Promise<void> {
  await q.query(sql`INSERT INTO payment_plans (tenant_id, contract_id, seq, due_on, amount, method, remind_days, note, created_by)
    SELECT ${tenantId}, ${contractId}, base.n + p.ord, p.due_on, p.amount, p.method, p.remind_days, p.note, ${createdBy}
    FROM (SELECT coalesce(max(seq), 0) AS n FROM payment_plans WHERE tenant_id = ${tenantId} AND contract_id = ${contractId}) base,
      unnest(${plans.map((p) => p.dueOn)}::date[], ${plans.map((p) => p.amount)}::numeric[], ${plans.map((p) => p.method)}::text[],
             ${plans.map((p) => p.remindDays)}::int[], ${plans.map((p) => p.note)}::text[]) WITH ORDINALITY AS p(due_on, amount, method, remind_days, note, ord)`);
}

export async function plansTotal(q: Queryable, tenantId: number, contractId: number): Promise<string> {
  return (await q.one<{ t: string }>(sql`SELECT coalesce(sum(amount), 0)::text AS t FROM payment_plans WHERE tenant_id = ${tenantId} AND contract_id = ${contractId}`))!.t;
}

export const getPlan = (q: Queryable, tenantId: number, id: number) =>
  q.one<PlanRow>(sql`SELECT p.id, p.contract_id, p.seq, p.due_on::text, p.amount::text, p.method, p.remind_days, p.note, ${RECEIVED('p')} AS received
    FROM payment_plans p WHERE p.tenant_id = ${tenantId} AND p.id = ${id}`);

export async function deletePlan(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  if (await q.one(sql`SELECT 1 FROM receivables WHERE tenant_id = ${tenantId} AND plan_id = ${id} AND deleted_at IS NULL LIMIT 1`)) return false;
  await q.query(sql`DELETE FROM payment_plans WHERE tenant_id = ${tenantId} AND id = ${id}`);
  return true;
}

export interface OverdueRow extends PlanRow {
  contract_code: string;
  contract_name: string;
  customer_id: number;
  customer_name: string | null;
  owner_id: number;
  owner_name: string | null;
  currency: string;
}

/** Instalments of visible, active contracts past their due date and not fully received, oldest first (keyset on due date). */
export function overduePlans(q: Queryable, scope: RecordScope, today: string, limit: number, cursor?: string): Promise<(OverdueRow & { _sort_key: string })[]> {
  const k: Keyset = { column: sql`p.due_on`, type: 'date', id: sql`p.id`, order: 'asc' };
  return q.query(sql`SELECT ${keysetSelect(k)}, p.id, p.contract_id, p.seq, p.due_on::text, p.amount::text, p.method, p.remind_days, p.note,
      ${RECEIVED('p')} AS received, k.code AS contract_code, k.name AS contract_name, k.customer_id, cu.name AS customer_name,
      k.owner_id, o.name AS owner_name, k.currency::text AS currency
    FROM payment_plans p
    JOIN contracts k ON k.tenant_id = p.tenant_id AND k.id = p.contract_id
    LEFT JOIN customers cu ON cu.tenant_id = k.tenant_id AND cu.id = k.customer_id
    LEFT JOIN users o ON o.tenant_id = k.tenant_id AND o.id = k.owner_id
    ${sql.where([
      sql`p.tenant_id = ${scope.tenantId}`, sql`p.due_on < ${today}::date`, sql`k.deleted_at IS NULL`, sql`k.status = 'active'`,
      sql`k.execution <> 'terminated'`, visibleSql(scope, 'k'), sql`${RECEIVED('p')}::numeric < p.amount`,
      keysetAfter(k, cursor),
    ])}
    ${keysetOrder(k)} LIMIT ${limit + 1}`);
}

// ---- receivables

export interface ReceivableRow {
  id: number;
  code: string;
  contract_id: number;
  contract_code: string;
  contract_name: string;
  plan_id: number | null;
  plan_seq: number | null;
  customer_id: number;
  customer_name: string | null;
  owner_id: number;
  owner_name: string | null;
  amount: string;
  currency: string;
  amount_company: string;
  received_on: string;
  method: string;
  status: ReceivableStatus;
  invoice_type: string | null;
  invoice_no: string | null;
  invoice_title: string | null;
  invoice_tax_no: string | null;
  invoice_amount: string | null;
  invoiced_on: string | null;
  note: string | null;
  created_at: Date;
  _sort_key?: string;
}

const COLUMNS = sql`r.id, r.code, r.contract_id, k.code AS contract_code, k.name AS contract_name, r.plan_id, p.seq AS plan_seq, r.customer_id,
  cu.name AS customer_name, r.owner_id, o.name AS owner_name, r.amount::text, k.currency::text AS currency, r.amount_company::text,
  r.received_on::text, r.method, r.status, r.invoice_type, r.invoice_no, r.invoice_title, r.invoice_tax_no, r.invoice_amount::text,
  r.invoiced_on::text, r.note, r.created_at`;
const FROM = sql`receivables r
  JOIN contracts k ON k.tenant_id = r.tenant_id AND k.id = r.contract_id
  LEFT JOIN payment_plans p ON p.tenant_id = r.tenant_id AND p.id = r.plan_id
  LEFT JOIN customers cu ON cu.tenant_id = r.tenant_id AND cu.id = r.customer_id
  LEFT JOIN users o ON o.tenant_id = r.tenant_id AND o.id = r.owner_id`;

/** Receivables are seen through their contract's data scope. */
export function listReceivables(q: Queryable, scope: RecordScope, f: z.output<typeof ReceivableListQuery>): Promise<ReceivableRow[]> {
  const k: Keyset = { column: sql`r.updated_at`, type: 'timestamptz', id: sql`r.id`, order: 'desc' };
  const where: (Sql | undefined)[] = [
    sql`r.tenant_id = ${scope.tenantId}`, sql`r.deleted_at IS NULL`, sql`k.deleted_at IS NULL`, visibleSql(scope, 'k'),
    f.contractId ? sql`r.contract_id = ${f.contractId}` : undefined,
    f.customerId ? sql`r.customer_id = ${f.customerId}` : undefined,
    f.status ? sql`r.status = ${f.status}` : undefined,
    f.from ? sql`r.received_on >= ${f.from}::date` : undefined,
    f.to ? sql`r.received_on <= ${f.to}::date` : undefined,
    keysetAfter(k, f.cursor),
  ];
  return q.query<ReceivableRow>(sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM ${FROM} ${sql.where(where)} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export function getReceivable(q: Queryable, scope: RecordScope, id: number, forUpdate = false): Promise<ReceivableRow | undefined> {
  return q.one<ReceivableRow>(sql`SELECT ${COLUMNS} FROM ${FROM}
    WHERE r.tenant_id = ${scope.tenantId} AND r.id = ${id} AND r.deleted_at IS NULL AND k.deleted_at IS NULL AND ${visibleSql(scope, 'k')}
    ${forUpdate ? sql`FOR UPDATE OF r` : sql.empty}`);
}

export interface ReceivableValues {
  planId?: number | null;
  amount?: string;
  amountCompany?: string;
  receivedOn?: string;
  method?: string;
  invoiceType?: string | null;
  invoiceNo?: string | null;
  invoiceTitle?: string | null;
  invoiceTaxNo?: string | null;
  invoiceAmount?: string | null;
  invoicedOn?: string | null;
  note?: string | null;
}

const RECEIVABLE_FIELDS = columnMap(
  {
    planId: 'plan_id', amount: 'amount', amountCompany: 'amount_company', receivedOn: 'received_on', method: 'method', invoiceType: 'invoice_type',
    invoiceNo: 'invoice_no', invoiceTitle: 'invoice_title', invoiceTaxNo: 'invoice_tax_no', invoiceAmount: 'invoice_amount', invoicedOn: 'invoiced_on', note: 'note',
  },
  { amount: 'numeric', amountCompany: 'numeric', receivedOn: 'date', invoiceAmount: 'numeric', invoicedOn: 'date' },
);

export async function insertReceivable(q: Queryable, tenantId: number, r: { code: string; contractId: number; customerId: number; ownerId: number; createdBy: number } & ReceivableValues): Promise<number> {
  const e = RECEIVABLE_FIELDS.entries(r);
  const row = await q.one<{ id: number }>(sql`INSERT INTO receivables (tenant_id, code, contract_id, customer_id, owner_id, created_by, ${sql.join(e.map((x) => x.column), ', ')})
    VALUES (${tenantId}, ${r.code}, ${r.contractId}, ${r.customerId}, ${r.ownerId}, ${r.createdBy}, ${sql.join(e.map((x) => x.value), ', ')}) RETURNING id`);
  return row!.id;
}

export async function updateReceivable(q: Queryable, tenantId: number, id: number, v: ReceivableValues): Promise<void> {
  const e = RECEIVABLE_FIELDS.entries(v);
  if (!e.length) return;
  await q.query(sql`UPDATE receivables SET ${sql.join([...e.map((x) => sql`${x.column} = ${x.value}`), sql`updated_at = now()`], ', ')} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setReceivableStatus(q: Queryable, tenantId: number, id: number, status: ReceivableStatus): Promise<void> {
  await q.query(sql`UPDATE receivables SET status = ${status}, updated_at = now(), approved_at = CASE WHEN ${status} = 'approved' THEN now() END
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** A contract's receivables belong to its owner: they follow a transfer (the dashboard and targets count them so). */
export async function followContractOwner(q: Queryable, tenantId: number, contractId: number, ownerId: number): Promise<void> {
  await q.query(sql`UPDATE receivables SET owner_id = ${ownerId} WHERE tenant_id = ${tenantId} AND contract_id = ${contractId} AND owner_id <> ${ownerId}`);
}

export async function softDeleteReceivable(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE receivables SET deleted_at = now(), updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** What the contract's receivables hold: approved, or approved and pending (what a new one may not exceed with). */
export async function receivedOf(q: Queryable, tenantId: number, contractId: number, exceptId: number | null = null): Promise<{ approved: string; committed: string }> {
  return (await q.one<{ approved: string; committed: string }>(sql`
    SELECT coalesce(sum(amount) FILTER (WHERE status = 'approved'), 0)::text AS approved,
           coalesce(sum(amount) FILTER (WHERE status IN ('approved', 'pending')), 0)::text AS committed
    FROM receivables WHERE tenant_id = ${tenantId} AND contract_id = ${contractId} AND deleted_at IS NULL AND id IS DISTINCT FROM ${exceptId}`))!;
}

// ---- reminders (one statement each, for the whole company)

/** Contracts ending within their reminder days: their owners are told once per end date. */
export async function remindExpiring(q: Queryable, tenantId: number, today: string): Promise<number> {
  const rows = await q.query(sql`
    WITH due AS (
      UPDATE contracts k SET expiry_reminded_for = k.ends_on
      WHERE k.tenant_id = ${tenantId} AND k.deleted_at IS NULL AND k.status = 'active' AND k.execution IN ('not_started', 'executing')
        AND k.ends_on IS NOT NULL AND k.ends_on >= ${today}::date AND k.ends_on <= ${today}::date + k.remind_days
        AND k.expiry_reminded_for IS DISTINCT FROM k.ends_on
      RETURNING k.id, k.code, k.name, k.owner_id, k.ends_on)
    INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id)
    SELECT ${tenantId}, owner_id, 'contract_expiring', code || ' ' || name, ends_on::text, 'contract', id FROM due
    RETURNING id`);
  return rows.length;
}

/** Instalments due within their reminder days, once per due date; overdue ones (催收) once a week while unpaid. */
export async function remindPlans(q: Queryable, tenantId: number, today: string): Promise<{ due: number; overdue: number }> {
  const open = sql`k.deleted_at IS NULL AND k.status = 'active' AND k.execution <> 'terminated' AND ${RECEIVED('p')}::numeric < p.amount`;
  const due = await q.query(sql`
    WITH due AS (
      UPDATE payment_plans p SET reminded_for = p.due_on FROM contracts k
      WHERE p.tenant_id = ${tenantId} AND k.tenant_id = p.tenant_id AND k.id = p.contract_id AND ${open}
        AND p.due_on >= ${today}::date AND p.due_on <= ${today}::date + p.remind_days AND p.reminded_for IS DISTINCT FROM p.due_on
      RETURNING p.id, p.seq, p.due_on, p.amount, k.id AS contract_id, k.code, k.owner_id)
    INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id)
    SELECT ${tenantId}, owner_id, 'plan_due', code || ' #' || seq, due_on::text || ' ' || amount::text, 'contract', contract_id FROM due
    RETURNING id`);
  const overdue = await q.query(sql`
    WITH late AS (
      UPDATE payment_plans p SET dunned_on = ${today}::date FROM contracts k
      WHERE p.tenant_id = ${tenantId} AND k.tenant_id = p.tenant_id AND k.id = p.contract_id AND ${open}
        AND p.due_on < ${today}::date AND (p.dunned_on IS NULL OR p.dunned_on <= ${today}::date - 7)
      RETURNING p.id, p.seq, p.due_on, p.amount, k.id AS contract_id, k.code, k.owner_id)
    INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id)
    SELECT ${tenantId}, owner_id, 'plan_overdue', code || ' #' || seq, due_on::text || ' ' || amount::text, 'contract', contract_id FROM late
    RETURNING id`);
  return { due: due.length, overdue: overdue.length };
}
