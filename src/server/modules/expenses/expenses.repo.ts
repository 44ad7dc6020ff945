import type { ExpenseCategory, ExpenseListQuery, ExpenseStatus } from '../../../common/schemas/approvals.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { sql } from '../../db/sql.js';

export interface ExpenseRow {
  id: number;
  code: string;
  title: string;
  category: ExpenseCategory;
  amount: string;
  currency: string;
  amount_company: string;
  occurred_on: string;
  description: string | null;
  customer_id: number | null;
  customer_name: string | null;
  owner_id: number;
  owner_name: string;
  status: ExpenseStatus;
  approval_id: number | null;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

export interface ExpenseValues {
  title: string;
  category: ExpenseCategory;
  amount: string;
  currency: string;
  amountCompany: string;
  occurredOn: string;
  description: string | null;
  customerId: number | null;
}

// the status is the approval's: one source of truth
const COLUMNS = sql`e.id, e.code, e.title, e.category, e.amount, e.currency, e.amount_company, e.occurred_on::text AS occurred_on, e.description,
    e.customer_id, c.name AS customer_name, e.owner_id, o.name AS owner_name, coalesce(i.status, 'draft') AS status, i.id AS approval_id,
    e.created_at, e.updated_at`;
const FROM = sql`FROM expenses e
  JOIN users o ON o.tenant_id = e.tenant_id AND o.id = e.owner_id
  LEFT JOIN customers c ON c.tenant_id = e.tenant_id AND c.id = e.customer_id
  LEFT JOIN approval_instances i ON i.tenant_id = e.tenant_id AND i.business_type = 'expense' AND i.record_id = e.id`;

export function getExpense(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<ExpenseRow | undefined> {
  return q.one<ExpenseRow>(sql`SELECT ${COLUMNS} ${FROM} WHERE e.tenant_id = ${tenantId} AND e.id = ${id} ${forUpdate ? sql`FOR UPDATE OF e` : sql.empty}`);
}

/** mine: the caller's claims; all: everybody's (the service checks approval.view_all). */
export function listExpenses(q: Queryable, tenantId: number, userId: number, f: ExpenseListQuery): Promise<ExpenseRow[]> {
  const k: Keyset = { column: sql`e.updated_at`, type: 'timestamptz', id: sql`e.id`, order: 'desc' };
  return q.query<ExpenseRow>(sql`SELECT ${keysetSelect(k)}, ${COLUMNS} ${FROM}
    ${sql.where([
      sql`e.tenant_id = ${tenantId}`,
      f.view === 'mine' && sql`e.owner_id = ${userId}`,
      f.status && sql`coalesce(i.status, 'draft') = ${f.status}`,
      keysetAfter(k, f.cursor),
    ])} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export async function insertExpense(q: Queryable, tenantId: number, e: ExpenseValues & { code: string; ownerId: number }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO expenses (tenant_id, code, title, category, amount, currency, amount_company, occurred_on, description, customer_id, owner_id)
    VALUES (${tenantId}, ${e.code}, ${e.title}, ${e.category}, ${e.amount}, ${e.currency}, ${e.amountCompany}, ${e.occurredOn}, ${e.description}, ${e.customerId}, ${e.ownerId})
    RETURNING id`))!.id;
}

export async function updateExpense(q: Queryable, tenantId: number, id: number, e: ExpenseValues): Promise<void> {
  await q.query(sql`UPDATE expenses SET title = ${e.title}, category = ${e.category}, amount = ${e.amount}, currency = ${e.currency}, amount_company = ${e.amountCompany},
    occurred_on = ${e.occurredOn}, description = ${e.description}, customer_id = ${e.customerId}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}
