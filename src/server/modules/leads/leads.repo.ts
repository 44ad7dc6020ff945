import type { LeadListQuery, LeadStatus } from '../../../common/schemas/leads.js';
import { type ColumnValues, columnMap } from '../../db/columns.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { sql, type Sql } from '../../db/sql.js';
import { type RecordScope, ownedScopeSql, visibleSql, writableSql } from '../../platform/access/scope.js';
import { nameMatchSql, PINYIN_COLUMNS } from '../../platform/search/text-match.js';
import type { WithCustomSql } from '../custom-fields/custom-values.js';

export interface LeadRow {
  id: number;
  code: string;
  name: string;
  company: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  source_code: string | null;
  industry_code: string | null;
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  address: string | null;
  remark: string | null;
  custom: Record<string, unknown>;
  status: LeadStatus;
  invalid_reason: string | null;
  score: number;
  owner_id: number | null;
  owner_name: string | null;
  converted_customer_id: number | null;
  converted_contact_id: number | null;
  last_followup_at: Date | null;
  next_followup_at: Date | null;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

export const LEAD_FIELDS = columnMap({
  name: 'name',
  company: 'company',
  title: 'title',
  mobile: 'mobile',
  phone: 'phone',
  email: 'email',
  wechat: 'wechat',
  sourceCode: 'source_code',
  industryCode: 'industry_code',
  provinceCode: 'province_code',
  cityCode: 'city_code',
  districtCode: 'district_code',
  address: 'address',
  remark: 'remark',
});
export type LeadValues = ColumnValues<typeof LEAD_FIELDS> & ColumnValues<typeof PINYIN_COLUMNS> & { custom?: Record<string, unknown> };

const writeEntries = (l: LeadValues) => [
  ...LEAD_FIELDS.entries(l),
  ...PINYIN_COLUMNS.entries(l),
  ...(l.custom !== undefined ? [{ column: sql.raw('custom'), value: sql`${JSON.stringify(l.custom)}::jsonb` }] : []),
];

const COLUMNS = sql`l.id, l.code, l.name, l.company, l.title, l.mobile, l.phone, l.email, l.wechat, l.source_code, l.industry_code,
  l.province_code, l.city_code, l.district_code, l.address, l.remark, l.custom, l.status, l.invalid_reason, l.score, l.owner_id, o.name AS owner_name,
  l.converted_customer_id, l.converted_contact_id, l.last_followup_at, l.next_followup_at, l.created_at, l.updated_at`;
const JOINS = sql`LEFT JOIN users o ON o.tenant_id = l.tenant_id AND o.id = l.owner_id`;
const SORT = { updatedAt: ['l.updated_at', 'timestamptz'], createdAt: ['l.created_at', 'timestamptz'], score: ['l.score', 'bigint'] } as const;

/**
 * Which leads a user reads: those of the data scope, and the unassigned ones
 * for whoever assigns leads (they belong to nobody's scope yet).
 */
export function readableLeadSql(scope: RecordScope, seesUnassigned: boolean): Sql {
  return seesUnassigned ? sql`(${visibleSql(scope, 'l')} OR l.owner_id IS NULL)` : visibleSql(scope, 'l');
}

/** A list query, with its custom-field conditions already turned into SQL by the service; `ids`: a selection (exports). */
export type LeadFilters = WithCustomSql<LeadListQuery & { ids?: number[] }>;

/** A term matches a lead's name, company or the start of its mobile (unless hidden from the user). */
function leadMatchSql(term: string, unsearchable: ReadonlySet<string> = new Set()): Sql {
  const parts = [nameMatchSql('l', term), sql`l.company ILIKE ${`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`];
  if (!unsearchable.has('mobile')) parts.push(sql`l.mobile LIKE ${`${term.replace(/\D/g, '') || '-'}%`}`);
  return sql`(${sql.join(parts, ' OR ')})`;
}

function conditions(scope: RecordScope, userId: number, seesUnassigned: boolean, f: LeadFilters): (Sql | undefined)[] {
  return [
    sql`l.tenant_id = ${scope.tenantId}`,
    sql`l.deleted_at IS NULL`,
    f.view === 'unassigned' ? (seesUnassigned ? sql`l.owner_id IS NULL` : sql`FALSE`) : visibleSql(scope, 'l'),
    f.view === 'mine' ? sql`l.owner_id = ${userId}` : undefined,
    f.q ? leadMatchSql(f.q, f.unsearchable) : undefined,
    f.ids ? sql`l.id = ANY(${f.ids}::bigint[])` : undefined,
    f.status ? sql`l.status = ${f.status}` : undefined,
    f.sourceCode ? sql`l.source_code = ${f.sourceCode}` : undefined,
    ...(f.customSql ?? []),
  ];
}

export function listLeads(q: Queryable, scope: RecordScope, userId: number, seesUnassigned: boolean, f: LeadFilters): Promise<LeadRow[]> {
  const [column, type] = SORT[f.sort];
  const k: Keyset = { column: sql.raw(column), type, id: sql`l.id`, order: f.order };
  return q.query<LeadRow>(sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM leads l ${JOINS}
    ${sql.where([...conditions(scope, userId, seesUnassigned, f), keysetAfter(k, f.cursor)])} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export async function countLeads(q: Queryable, scope: RecordScope, userId: number, seesUnassigned: boolean, f: LeadFilters): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM leads l ${sql.where(conditions(scope, userId, seesUnassigned, f))}`))!.n;
}

export type LeadAccessRow = LeadRow & { can_write: boolean; can_own: boolean };

export function getLead(q: Queryable, scope: RecordScope, seesUnassigned: boolean, id: number, forUpdate = false): Promise<LeadAccessRow | undefined> {
  // whoever assigns leads manages the unassigned ones
  const unassigned = seesUnassigned ? sql`l.owner_id IS NULL` : sql`FALSE`;
  return q.one<LeadAccessRow>(sql`SELECT ${COLUMNS}, coalesce(${writableSql(scope, 'l')}, false) OR ${unassigned} AS can_write,
      coalesce(${ownedScopeSql(scope, 'l')}, false) OR ${unassigned} AS can_own
    FROM leads l ${JOINS}
    WHERE l.tenant_id = ${scope.tenantId} AND l.id = ${id} AND l.deleted_at IS NULL AND ${readableLeadSql(scope, seesUnassigned)}
    ${forUpdate ? sql`FOR UPDATE OF l` : sql.empty}`);
}

export async function insertLead(
  q: Queryable,
  tenantId: number,
  l: LeadValues & { code: string; ownerId: number | null; createdBy: number | null; formId?: number | null; score: number },
): Promise<number> {
  const e = writeEntries(l);
  return (await q.one<{ id: number }>(sql`INSERT INTO leads (tenant_id, code, owner_id, department_id, created_by, form_id, score, ${sql.join(e.map((x) => x.column), ', ')})
    VALUES (${tenantId}, ${l.code}, ${l.ownerId}, (SELECT department_id FROM users WHERE tenant_id = ${tenantId} AND id = ${l.ownerId}),
      ${l.createdBy}, ${l.formId ?? null}, ${l.score}, ${sql.join(e.map((x) => x.value), ', ')})
    RETURNING id`))!.id;
}

export async function updateLead(q: Queryable, tenantId: number, id: number, values: LeadValues & { score?: number }): Promise<void> {
  const e = writeEntries(values);
  if (values.score !== undefined) e.push({ column: sql.raw('score'), value: sql`${values.score}` });
  await q.query(sql`UPDATE leads SET ${sql.join([...e.map((x) => sql`${x.column} = ${x.value}`), sql`updated_at = now()`], ', ')}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setStatus(q: Queryable, tenantId: number, id: number, status: LeadStatus, reason: string | null): Promise<void> {
  await q.query(sql`UPDATE leads SET status = ${status}, invalid_reason = ${reason}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function setOwners(q: Queryable, tenantId: number, ids: number[], ownerId: number): Promise<void> {
  await q.query(sql`UPDATE leads l SET owner_id = u.id, department_id = u.department_id, updated_at = now()
    FROM users u WHERE u.tenant_id = l.tenant_id AND u.id = ${ownerId} AND l.tenant_id = ${tenantId} AND l.id = ANY(${ids}::bigint[])`);
}

export async function markConverted(q: Queryable, tenantId: number, id: number, customerId: number, contactId: number | null): Promise<void> {
  await q.query(sql`UPDATE leads SET status = 'converted', converted_at = now(), converted_customer_id = ${customerId},
      converted_contact_id = ${contactId}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
  // the lead's follow-ups now also belong to the customer (and the contact made from the lead)
  await q.query(sql`UPDATE followups SET customer_id = ${customerId}, contact_id = coalesce(contact_id, ${contactId}::bigint)
    WHERE tenant_id = ${tenantId} AND lead_id = ${id}`);
}

export async function softDelete(q: Queryable, tenantId: number, id: number, by: number): Promise<void> {
  await q.query(sql`UPDATE leads SET deleted_at = now(), deleted_by = ${by} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function followupCount(q: Queryable, tenantId: number, id: number): Promise<number> {
  return (await q.one<{ n: number }>(sql`SELECT count(*) AS n FROM followups WHERE tenant_id = ${tenantId} AND lead_id = ${id} AND deleted_at IS NULL`))!.n;
}
