import type { ContractExecution, ContractListQuery, ContractStatus } from '../../../common/schemas/contracts.js';
import { type ColumnValues, columnMap } from '../../db/columns.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { containsPattern, sql, type Sql } from '../../db/sql.js';
import { type RecordScope, visibleSql, writableSql } from '../../platform/access/scope.js';
import type { StoredLine } from '../line-items/line-items.js';

export interface ContractRow {
  id: number;
  code: string;
  name: string;
  customer_id: number;
  customer_name: string | null;
  opportunity_id: number | null;
  owner_id: number;
  owner_name: string | null;
  department_id: number | null;
  signer_id: number | null;
  signer_name: string | null;
  customer_signer: string | null;
  signed_on: string | null;
  starts_on: string | null;
  ends_on: string | null;
  currency: string;
  amount: string;
  amount_company: string;
  discount: string;
  tax_rate: string;
  status: ContractStatus;
  execution: ContractExecution;
  effective_at: Date | null;
  template_id: number | null;
  body: string | null;
  remind_days: number;
  description: string | null;
  paid: string;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

export const CONTRACT_FIELDS = columnMap(
  {
    name: 'name',
    customerId: 'customer_id',
    opportunityId: 'opportunity_id',
    ownerId: 'owner_id',
    departmentId: 'department_id',
    signerId: 'signer_id',
    customerSigner: 'customer_signer',
    signedOn: 'signed_on',
    startsOn: 'starts_on',
    endsOn: 'ends_on',
    currency: 'currency',
    amount: 'amount',
    amountCompany: 'amount_company',
    discount: 'discount',
    taxRate: 'tax_rate',
    templateId: 'template_id',
    body: 'body',
    remindDays: 'remind_days',
    description: 'description',
  },
  { signedOn: 'date', startsOn: 'date', endsOn: 'date', amount: 'numeric', amountCompany: 'numeric', discount: 'numeric', taxRate: 'numeric' },
);
export type ContractValues = ColumnValues<typeof CONTRACT_FIELDS>;

/** Approved receivables of a contract: what is paid. */
const PAID = sql`(SELECT coalesce(sum(r.amount), 0)::text FROM receivables r
  WHERE r.tenant_id = k.tenant_id AND r.contract_id = k.id AND r.deleted_at IS NULL AND r.status = 'approved')`;

const COLUMNS = sql`k.id, k.code, k.name, k.customer_id, cu.name AS customer_name, k.opportunity_id, k.owner_id, o.name AS owner_name, k.department_id,
  k.signer_id, s.name AS signer_name, k.customer_signer, k.signed_on::text, k.starts_on::text, k.ends_on::text, k.currency::text AS currency,
  k.amount::text, k.amount_company::text, k.discount::text, k.tax_rate::text, k.status, k.execution, k.effective_at, k.template_id, k.body,
  k.remind_days, k.description, ${PAID} AS paid, k.created_at, k.updated_at`;
const FROM = sql`contracts k
  LEFT JOIN customers cu ON cu.tenant_id = k.tenant_id AND cu.id = k.customer_id
  LEFT JOIN users o ON o.tenant_id = k.tenant_id AND o.id = k.owner_id
  LEFT JOIN users s ON s.tenant_id = k.tenant_id AND s.id = k.signer_id`;

const SORT = { updatedAt: 'k.updated_at', createdAt: 'k.created_at' } as const;

function conditions(scope: RecordScope, userId: number, f: ContractListQuery, today: string): Sql[] {
  return [
    sql`k.tenant_id = ${scope.tenantId}`,
    sql`k.deleted_at IS NULL`,
    visibleSql(scope, 'k'),
    ...(f.view === 'mine' ? [sql`k.owner_id = ${userId}`] : []),
    ...(f.q ? [sql`(k.name ILIKE ${containsPattern(f.q)} OR k.code ILIKE ${containsPattern(f.q)})`] : []),
    ...(f.customerId ? [sql`k.customer_id = ${f.customerId}`] : []),
    ...(f.ownerId ? [sql`k.owner_id = ${f.ownerId}`] : []),
    ...(f.status ? [sql`k.status = ${f.status}`] : []),
    ...(f.execution ? [sql`k.execution = ${f.execution}`] : []),
    ...(f.expiringWithin !== undefined
      ? [sql`k.status = 'active' AND k.execution IN ('not_started', 'executing') AND k.ends_on BETWEEN ${today}::date AND ${today}::date + ${f.expiringWithin}::int`]
      : []),
  ];
}

export function listContracts(q: Queryable, scope: RecordScope, userId: number, f: ContractListQuery, today: string): Promise<ContractRow[]> {
  const k: Keyset = { column: sql.raw(SORT[f.sort]), type: 'timestamptz', id: sql`k.id`, order: f.order };
  return q.query<ContractRow>(sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM ${FROM}
    ${sql.where([...conditions(scope, userId, f, today), keysetAfter(k, f.cursor)])} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export async function countContracts(q: Queryable, scope: RecordScope, userId: number, f: ContractListQuery, today: string): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM contracts k ${sql.where(conditions(scope, userId, f, today))}`))!.n;
}

/** A visible contract (with whether the scope may change it), optionally locked for the change that follows. */
export function getContract(q: Queryable, scope: RecordScope, id: number, forUpdate = false): Promise<(ContractRow & { can_write: boolean }) | undefined> {
  return q.one(sql`SELECT ${COLUMNS}, ${writableSql(scope, 'k')} AS can_write FROM ${FROM}
    WHERE k.tenant_id = ${scope.tenantId} AND k.id = ${id} AND k.deleted_at IS NULL AND ${visibleSql(scope, 'k')}
    ${forUpdate ? sql`FOR UPDATE OF k` : sql.empty}`);
}

export async function insertContract(q: Queryable, tenantId: number, code: string, v: ContractValues, createdBy: number): Promise<number> {
  const e = CONTRACT_FIELDS.entries(v);
  const row = await q.one<{ id: number }>(sql`INSERT INTO contracts (tenant_id, code, created_by, ${sql.join(e.map((x) => x.column), ', ')})
    VALUES (${tenantId}, ${code}, ${createdBy}, ${sql.join(e.map((x) => x.value), ', ')}) RETURNING id`);
  return row!.id;
}

export async function updateContract(q: Queryable, tenantId: number, id: number, v: ContractValues): Promise<void> {
  const e = CONTRACT_FIELDS.entries(v);
  await q.query(sql`UPDATE contracts SET ${sql.join([...e.map((x) => sql`${x.column} = ${x.value}`), sql`updated_at = now()`], ', ')}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setStatus(q: Queryable, tenantId: number, id: number, status: ContractStatus, execution?: ContractExecution): Promise<void> {
  await q.query(sql`UPDATE contracts SET status = ${status}, updated_at = now(),
      effective_at = CASE WHEN ${status} = 'active' THEN now() ELSE effective_at END
      ${execution ? sql`, execution = ${execution}` : sql.empty}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setExecution(q: Queryable, tenantId: number, id: number, execution: ContractExecution): Promise<void> {
  await q.query(sql`UPDATE contracts SET execution = ${execution}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function softDelete(q: Queryable, tenantId: number, id: number): Promise<void> {
  await q.query(sql`UPDATE contracts SET deleted_at = now(), updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

// ---- lines

export interface LineRow {
  id: number;
  product_id: number;
  name: string;
  unit: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
}

export function listLines(q: Queryable, tenantId: number, contractId: number): Promise<LineRow[]> {
  return q.query<LineRow>(sql`SELECT id, product_id, name, unit, quantity::text, price::text, discount::text, amount::text
    FROM contract_lines WHERE tenant_id = ${tenantId} AND contract_id = ${contractId} ORDER BY position`);
}

export async function replaceLines(q: Queryable, tenantId: number, contractId: number, lines: StoredLine[]): Promise<void> {
  await q.query(sql`DELETE FROM contract_lines WHERE tenant_id = ${tenantId} AND contract_id = ${contractId}`);
  if (!lines.length) return;
  await q.query(sql`INSERT INTO contract_lines (tenant_id, contract_id, position, product_id, name, unit, quantity, price, discount, amount)
    SELECT ${tenantId}, ${contractId}, l.position, l.product_id, l.name, l.unit, l.quantity, l.price, l.discount, l.amount
    FROM unnest(${lines.map((_, i) => i + 1)}::int[], ${lines.map((l) => l.productId)}::bigint[], ${lines.map((l) => l.productName)}::text[],
      ${lines.map((l) => l.unit)}::text[], ${lines.map((l) => l.quantity)}::numeric[], ${lines.map((l) => l.price)}::numeric[],
      ${lines.map((l) => l.discount)}::numeric[], ${lines.map((l) => l.amount)}::numeric[])
      AS l(position, product_id, name, unit, quantity, price, discount, amount)`);
}

// ---- signatures and templates

export interface SignatureRow {
  id: number;
  signer_name: string;
  signer_side: 'company' | 'customer';
  provider: string;
  signed_at: Date;
  file_sha256: string;
  attachment_id: number | null;
  recorded_by_name: string | null;
}

export function listSignatures(q: Queryable, tenantId: number, contractId: number): Promise<SignatureRow[]> {
  return q.query<SignatureRow>(sql`SELECT g.id, g.signer_name, g.signer_side, g.provider, g.signed_at, g.file_sha256, g.attachment_id, u.name AS recorded_by_name
    FROM contract_signatures g LEFT JOIN users u ON u.tenant_id = g.tenant_id AND u.id = g.recorded_by
    WHERE g.tenant_id = ${tenantId} AND g.contract_id = ${contractId} ORDER BY g.signed_at, g.id`);
}

export async function insertSignature(
  q: Queryable,
  tenantId: number,
  s: { contractId: number; signerName: string; signerSide: string; provider: string; signedAt: string; attachmentId: number; sha256: string; recordedBy: number },
): Promise<number> {
  const row = await q.one<{ id: number }>(sql`INSERT INTO contract_signatures (tenant_id, contract_id, signer_name, signer_side, provider, signed_at, attachment_id, file_sha256, recorded_by)
    VALUES (${tenantId}, ${s.contractId}, ${s.signerName}, ${s.signerSide}, ${s.provider}, ${s.signedAt}::timestamptz, ${s.attachmentId}, ${s.sha256}, ${s.recordedBy}) RETURNING id`);
  return row!.id;
}

/** The SHA-256 of an attachment of the contract (null: not one of its files). */
export async function attachmentHash(q: Queryable, tenantId: number, contractId: number, attachmentId: number): Promise<string | null> {
  const row = await q.one<{ sha256: string }>(sql`SELECT sha256 FROM attachments
    WHERE tenant_id = ${tenantId} AND id = ${attachmentId} AND entity_type = 'contract' AND entity_id = ${contractId}`);
  return row?.sha256 ?? null;
}

export interface TemplateRow {
  id: number;
  name: string;
  body: string;
  enabled: boolean;
}

export const listTemplates = (q: Queryable, tenantId: number) =>
  q.query<TemplateRow>(sql`SELECT id, name, body, enabled FROM contract_templates WHERE tenant_id = ${tenantId} ORDER BY id`);

export const getTemplate = (q: Queryable, tenantId: number, id: number) =>
  q.one<TemplateRow>(sql`SELECT id, name, body, enabled FROM contract_templates WHERE tenant_id = ${tenantId} AND id = ${id}`);

export async function saveTemplate(q: Queryable, tenantId: number, id: number | null, t: { name: string; body: string; enabled: boolean }): Promise<number> {
  const row = id
    ? await q.one<{ id: number }>(sql`UPDATE contract_templates SET name = ${t.name}, body = ${t.body}, enabled = ${t.enabled}
        WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`)
    : await q.one<{ id: number }>(sql`INSERT INTO contract_templates (tenant_id, name, body, enabled) VALUES (${tenantId}, ${t.name}, ${t.body}, ${t.enabled}) RETURNING id`);
  return row?.id ?? 0;
}

export async function deleteTemplate(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  const used = await q.one(sql`SELECT 1 FROM contracts WHERE tenant_id = ${tenantId} AND template_id = ${id} LIMIT 1`);
  if (used) return false;
  await q.query(sql`DELETE FROM contract_templates WHERE tenant_id = ${tenantId} AND id = ${id}`);
  return true;
}

export const companyName = async (q: Queryable, tenantId: number) =>
  (await q.one<{ name: string }>(sql`SELECT name FROM tenants WHERE id = ${tenantId}`))?.name ?? '';
