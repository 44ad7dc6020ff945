import type { QuoteListQuery, QuoteStatus } from '../../../common/schemas/quotes.js';
import { type ColumnValues, columnMap } from '../../db/columns.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { containsPattern, sql, type Sql } from '../../db/sql.js';
import { type RecordScope, visibleSql, writableSql } from '../../platform/access/scope.js';
import type { StoredLine } from '../line-items/line-items.js';

export interface QuoteRow {
  id: number;
  code: string;
  version: number;
  root_id: number;
  name: string;
  customer_id: number;
  customer_name: string | null;
  opportunity_id: number | null;
  opportunity_name: string | null;
  contact_id: number | null;
  contact_name: string | null;
  owner_id: number;
  owner_name: string | null;
  department_id: number | null;
  currency: string;
  discount: string;
  tax_rate: string;
  amount: string;
  amount_company: string;
  list_total: string;
  effective_discount: string;
  valid_until: string | null;
  status: QuoteStatus;
  superseded_at: Date | null;
  sent_at: Date | null;
  answered_at: Date | null;
  contract_id: number | null;
  terms: string | null;
  notes: string | null;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

export const QUOTE_FIELDS = columnMap(
  {
    name: 'name',
    customerId: 'customer_id',
    opportunityId: 'opportunity_id',
    contactId: 'contact_id',
    ownerId: 'owner_id',
    departmentId: 'department_id',
    currency: 'currency',
    discount: 'discount',
    taxRate: 'tax_rate',
    amount: 'amount',
    amountCompany: 'amount_company',
    listTotal: 'list_total',
    effectiveDiscount: 'effective_discount',
    validUntil: 'valid_until',
    terms: 'terms',
    notes: 'notes',
  },
  { validUntil: 'date', discount: 'numeric', taxRate: 'numeric', amount: 'numeric', amountCompany: 'numeric', listTotal: 'numeric', effectiveDiscount: 'numeric' },
);
export type QuoteValues = ColumnValues<typeof QUOTE_FIELDS>;

const COLUMNS = sql`b.id, b.code, b.version, coalesce(b.root_id, b.id) AS root_id, b.name, b.customer_id, cu.name AS customer_name,
  b.opportunity_id, op.name AS opportunity_name, b.contact_id, ct.name AS contact_name, b.owner_id, o.name AS owner_name, b.department_id,
  b.currency::text AS currency, b.discount::text, b.tax_rate::text, b.amount::text, b.amount_company::text, b.list_total::text,
  b.effective_discount::text, b.valid_until::text, b.status, b.superseded_at, b.sent_at, b.answered_at, b.contract_id, b.terms, b.notes,
  b.created_at, b.updated_at`;
const FROM = sql`quotes b
  LEFT JOIN customers cu ON cu.tenant_id = b.tenant_id AND cu.id = b.customer_id
  LEFT JOIN opportunities op ON op.tenant_id = b.tenant_id AND op.id = b.opportunity_id
  LEFT JOIN contacts ct ON ct.tenant_id = b.tenant_id AND ct.id = b.contact_id
  LEFT JOIN users o ON o.tenant_id = b.tenant_id AND o.id = b.owner_id`;

const SORT = { updatedAt: 'b.updated_at', createdAt: 'b.created_at' } as const;

function conditions(scope: RecordScope, userId: number, f: QuoteListQuery): Sql[] {
  return [
    sql`b.tenant_id = ${scope.tenantId}`,
    sql`b.deleted_at IS NULL`,
    visibleSql(scope, 'b'),
    ...(f.versions === 'latest' ? [sql`b.superseded_at IS NULL`] : []),
    ...(f.view === 'mine' ? [sql`b.owner_id = ${userId}`] : []),
    ...(f.q ? [sql`(b.name ILIKE ${containsPattern(f.q)} OR b.code ILIKE ${containsPattern(f.q)})`] : []),
    ...(f.customerId ? [sql`b.customer_id = ${f.customerId}`] : []),
    ...(f.opportunityId ? [sql`b.opportunity_id = ${f.opportunityId}`] : []),
    ...(f.ownerId ? [sql`b.owner_id = ${f.ownerId}`] : []),
    ...(f.status ? [sql`b.status = ${f.status}`] : []),
  ];
}

export function listQuotes(q: Queryable, scope: RecordScope, userId: number, f: QuoteListQuery): Promise<QuoteRow[]> {
  const k: Keyset = { column: sql.raw(SORT[f.sort]), type: 'timestamptz', id: sql`b.id`, order: f.order };
  return q.query<QuoteRow>(sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM ${FROM}
    ${sql.where([...conditions(scope, userId, f), keysetAfter(k, f.cursor)])} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export async function countQuotes(q: Queryable, scope: RecordScope, userId: number, f: QuoteListQuery): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM quotes b ${sql.where(conditions(scope, userId, f))}`))!.n;
}

/** A visible quote (with whether the scope may change it), optionally locked for the change that follows. */
export function getQuote(q: Queryable, scope: RecordScope, id: number, forUpdate = false): Promise<(QuoteRow & { can_write: boolean }) | undefined> {
  return q.one(sql`SELECT ${COLUMNS}, ${writableSql(scope, 'b')} AS can_write FROM ${FROM}
    WHERE b.tenant_id = ${scope.tenantId} AND b.id = ${id} AND b.deleted_at IS NULL AND ${visibleSql(scope, 'b')}
    ${forUpdate ? sql`FOR UPDATE OF b` : sql.empty}`);
}

/** Every version of a quote, oldest first. */
export function listVersions(q: Queryable, tenantId: number, rootId: number) {
  return q.query<{ id: number; version: number; status: QuoteStatus; amount: string; superseded_at: Date | null; updated_at: Date }>(sql`
    SELECT id, version, status, amount::text, superseded_at, updated_at FROM quotes
    WHERE tenant_id = ${tenantId} AND (id = ${rootId} OR root_id = ${rootId}) AND deleted_at IS NULL ORDER BY version`);
}

/** The highest version number a quote ever had (deleted versions included: numbers are not reused). */
export async function maxVersion(q: Queryable, tenantId: number, rootId: number): Promise<number> {
  return (await q.one<{ v: number }>(sql`SELECT max(version)::int AS v FROM quotes WHERE tenant_id = ${tenantId} AND (id = ${rootId} OR root_id = ${rootId})`))!.v;
}

export async function insertQuote(
  q: Queryable,
  tenantId: number,
  head: { code: string; version: number; rootId: number | null; createdBy: number },
  v: QuoteValues,
): Promise<number> {
  const e = QUOTE_FIELDS.entries(v);
  const row = await q.one<{ id: number }>(sql`INSERT INTO quotes (tenant_id, code, version, root_id, created_by, ${sql.join(e.map((x) => x.column), ', ')})
    VALUES (${tenantId}, ${head.code}, ${head.version}, ${head.rootId}, ${head.createdBy}, ${sql.join(e.map((x) => x.value), ', ')}) RETURNING id`);
  return row!.id;
}

export async function updateQuote(q: Queryable, tenantId: number, id: number, v: QuoteValues): Promise<void> {
  const e = QUOTE_FIELDS.entries(v);
  await q.query(sql`UPDATE quotes SET ${sql.join([...e.map((x) => sql`${x.column} = ${x.value}`), sql`updated_at = now()`], ', ')}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** A status change; sent and answered keep their time. */
export async function setStatus(q: Queryable, tenantId: number, id: number, status: QuoteStatus): Promise<void> {
  await q.query(sql`UPDATE quotes SET status = ${status}, updated_at = now(),
      sent_at = CASE WHEN ${status} = 'sent' THEN now() ELSE sent_at END,
      answered_at = CASE WHEN ${status} IN ('accepted', 'rejected') THEN now() ELSE answered_at END
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function supersede(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE quotes SET superseded_at = now(), updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setContract(q: Queryable, tenantId: number, id: number, contractId: number): Promise<void> {
  await q.query(sql`UPDATE quotes SET contract_id = ${contractId}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Deleting the latest version makes the one before it the latest again. */
export async function softDelete(q: Queryable, tenantId: number, id: number, previousId: number | null): Promise<void> {
  await q.query(sql`UPDATE quotes SET deleted_at = now(), updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
  if (previousId) await q.query(sql`UPDATE quotes SET superseded_at = NULL, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${previousId}`);
}

// ---- lines

export interface QuoteLine extends StoredLine {
  listPrice: string;
}

export interface LineRow {
  id: number;
  product_id: number;
  name: string;
  unit: string;
  quantity: string;
  price: string;
  list_price: string;
  discount: string;
  amount: string;
}

export function listLines(q: Queryable, tenantId: number, quoteId: number): Promise<LineRow[]> {
  return q.query<LineRow>(sql`SELECT id, product_id, name, unit, quantity::text, price::text, list_price::text, discount::text, amount::text
    FROM quote_lines WHERE tenant_id = ${tenantId} AND quote_id = ${quoteId} ORDER BY position`);
}

export async function replaceLines(q: Queryable, tenantId: number, quoteId: number, lines: QuoteLine[]): Promise<void> {
  await q.query(sql`DELETE FROM quote_lines WHERE tenant_id = ${tenantId} AND quote_id = ${quoteId}`);
  if (!lines.length) return;
  await q.query(sql`INSERT INTO quote_lines (tenant_id, quote_id, position, product_id, name, unit, quantity, price, list_price, discount, amount)
    SELECT ${tenantId}, ${quoteId}, l.position, l.product_id, l.name, l.unit, l.quantity, l.price, l.list_price, l.discount, l.amount
    FROM unnest(${lines.map((_, i) => i + 1)}::int[], ${lines.map((l) => l.productId)}::bigint[], ${lines.map((l) => l.productName)}::text[],
      ${lines.map((l) => l.unit)}::text[], ${lines.map((l) => l.quantity)}::numeric[], ${lines.map((l) => l.price)}::numeric[],
      ${lines.map((l) => l.listPrice)}::numeric[], ${lines.map((l) => l.discount)}::numeric[], ${lines.map((l) => l.amount)}::numeric[])
      AS l(position, product_id, name, unit, quantity, price, list_price, discount, amount)`);
}

/** List prices of products in a currency: the product's own price where it is quoted in that currency. */
export async function listPrices(q: Queryable, tenantId: number, productIds: number[], currency: string): Promise<Map<number, string>> {
  if (!productIds.length) return new Map();
  const rows = await q.query<{ id: number; price: string }>(sql`SELECT id, price::text FROM products
    WHERE tenant_id = ${tenantId} AND id = ANY(${[...new Set(productIds)]}::bigint[]) AND currency = ${currency}`);
  return new Map(rows.map((r) => [r.id, r.price]));
}

/** A contact of the customer (not deleted), or nothing. */
export async function contactOfCustomer(q: Queryable, tenantId: number, contactId: number, customerId: number): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 FROM contacts WHERE tenant_id = ${tenantId} AND id = ${contactId} AND customer_id = ${customerId} AND deleted_at IS NULL`));
}

export const companyName = async (q: Queryable, tenantId: number) =>
  (await q.one<{ name: string }>(sql`SELECT name FROM tenants WHERE id = ${tenantId}`))?.name ?? '';
