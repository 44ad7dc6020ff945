import type { AddressDto, CustomerDto, CustomerListQuery } from '../../../common/schemas/customers.js';
import type { WithCustomSql } from '../custom-fields/custom-values.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { type BatchColumn, type ColumnValues, columnMap, unnestRows } from '../../db/columns.js';
import { sql, type Sql } from '../../db/sql.js';
import { nameMatchParts, nameMatchSql, PINYIN_COLUMNS } from '../../platform/search/text-match.js';
import { eitherCount, readEitherWay, termConditions, type TermLookup, termLookup, type TermMode } from '../../platform/search/term-lookup.js';
import { type RecordScope, ownedScopeSql, ownerPagedIds, readableSql, visibleParts, visibleSql, writableSql } from '../../platform/access/scope.js';

export interface CustomerRow {
  id: number;
  code: string;
  name: string;
  kind: CustomerDto['kind'];
  industry_code: string | null;
  source_code: string | null;
  level_code: string | null;
  status_code: string;
  employee_count: number | null;
  annual_revenue: string | null;
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  credit_code: string | null;
  remark: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  points: number;
  protected_until: Date | null;
  rfm_r: number | null;
  rfm_f: number | null;
  rfm_m: number | null;
  rfm_score: number | null;
  rfm_at: Date | null;
  locked: boolean;
  last_followup_at: Date | null;
  next_followup_at: Date | null;
  owner_id: number | null;
  owner_name: string | null;
  department_id: number | null;
  department_name: string | null;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

/** The profile fields written as given. */
export const PROFILE = columnMap({
  code: 'code',
  name: 'name',
  kind: 'kind',
  industryCode: 'industry_code',
  sourceCode: 'source_code',
  levelCode: 'level_code',
  statusCode: 'status_code',
  employeeCount: 'employee_count',
  annualRevenue: 'annual_revenue',
  provinceCode: 'province_code',
  cityCode: 'city_code',
  districtCode: 'district_code',
  phone: 'phone',
  email: 'email',
  website: 'website',
  creditCode: 'credit_code',
  remark: 'remark',
  tags: 'tags',
}, { tags: 'text[]' });
/** The profile, and the name's search keys (kept out of the change log). */
export type ProfileValues = ColumnValues<typeof PROFILE> & ColumnValues<typeof PINYIN_COLUMNS> & { custom?: Record<string, unknown> };

/** The profile's plain columns, the search keys and the custom values (as one jsonb). */
const writeEntries = (c: ProfileValues) => [
  ...PROFILE.entries(c),
  ...PINYIN_COLUMNS.entries(c),
  ...(c.custom !== undefined ? [{ column: sql.raw('custom'), value: sql`${JSON.stringify(c.custom)}::jsonb` }] : []),
];

const COLUMNS = sql`c.id, c.code, c.name, c.kind, c.industry_code, c.source_code, c.level_code, c.status_code,
  c.employee_count, c.annual_revenue, c.province_code, c.city_code, c.district_code, c.phone, c.email, c.website,
  c.credit_code, c.remark, c.tags, c.custom, c.points, c.protected_until, c.rfm_r, c.rfm_f, c.rfm_m, c.rfm_score, c.rfm_at, c.locked, c.last_followup_at, c.next_followup_at, c.owner_id, o.name AS owner_name, c.department_id, d.name AS department_name,
  c.created_by, c.created_at, c.updated_at`;
const JOINS = sql`LEFT JOIN users o ON o.tenant_id = c.tenant_id AND o.id = c.owner_id
  LEFT JOIN departments d ON d.tenant_id = c.tenant_id AND d.id = c.department_id`;

const SORT_COLUMNS = { updatedAt: ['c.updated_at', 'timestamptz'], createdAt: ['c.created_at', 'timestamptz'], name: ['c.name', 'text'] } as const;

function keyset(f: CustomerListQuery): Keyset {
  const [column, type] = SORT_COLUMNS[f.sort];
  return { column: sql.raw(column), type, id: sql`c.id`, order: f.order };
}

/** A list query, with its custom-field conditions already turned into SQL by the service; `ids`: a selection (exports). */
export type CustomerFilters = WithCustomSql<CustomerListQuery & { ids?: number[] }>;

/**
 * The statement head that looks a term up (see term-lookup.ts), or null when
 * the term needs a scan anyway (one character).
 */
function customerLookup(tenantId: number, term: string): TermLookup | null {
  const parts = nameMatchParts('s', term, { code: true });
  return parts ? termLookup('customer_search_keys', tenantId, term, parts) : null;
}

/** The filters of a list query, without the data scope. */
function filters(scope: RecordScope, userId: number, f: CustomerFilters, lookup?: TermMode): (Sql | undefined)[] {
  return [
    ...(f.customSql ?? []),
    sql`c.tenant_id = ${scope.tenantId}`,
    sql`c.deleted_at IS NULL`,
    f.view === 'mine' ? sql`c.owner_id = ${userId}` : undefined,
    f.view === 'shared_with_me' ? sql`c.id = ANY(${scope.readIds}::bigint[]) AND c.owner_id IS DISTINCT FROM ${userId}` : undefined,
    // the mirror of shared_with_me: mine, with a team member or a share for someone
    f.view === 'shared_by_me'
      ? sql`c.owner_id = ${userId} AND EXISTS (SELECT 1 FROM record_access ra
          WHERE ra.tenant_id = c.tenant_id AND ra.entity_type = 'customer' AND ra.record_id = c.id AND ra.user_id <> ${userId})`
      : undefined,
    ...(f.q ? termConditions(lookup, sql`c.id`, nameMatchSql('c', f.q, { code: true })) : []),
    f.ownerId ? sql`c.owner_id = ${f.ownerId}` : undefined,
    f.departmentId ? sql`c.department_id = ${f.departmentId}` : undefined,
    f.createdFrom ? sql`c.created_at >= ${f.createdFrom}::timestamptz` : undefined,
    f.createdTo ? sql`c.created_at < ${f.createdTo}::timestamptz` : undefined,
    f.updatedFrom ? sql`c.updated_at >= ${f.updatedFrom}::timestamptz` : undefined,
    f.updatedTo ? sql`c.updated_at < ${f.updatedTo}::timestamptz` : undefined,
    f.lastFollowupFrom ? sql`c.last_followup_at >= ${f.lastFollowupFrom}::timestamptz` : undefined,
    f.lastFollowupTo ? sql`c.last_followup_at < ${f.lastFollowupTo}::timestamptz` : undefined,
    f.nextFollowupFrom ? sql`c.next_followup_at >= ${f.nextFollowupFrom}::timestamptz` : undefined,
    f.nextFollowupTo ? sql`c.next_followup_at < ${f.nextFollowupTo}::timestamptz` : undefined,
    f.kind ? sql`c.kind = ${f.kind}` : undefined,
    f.industryCode
      ? sql`c.industry_code IN (SELECT code FROM dictionary_items WHERE tenant_id = ${scope.tenantId} AND kind = 'industry'
          AND (code = ${f.industryCode} OR parent_code = ${f.industryCode}))`
      : undefined,
    f.sourceCode ? sql`c.source_code = ${f.sourceCode}` : undefined,
    f.levelCode ? sql`c.level_code = ${f.levelCode}` : undefined,
    f.statusCode ? sql`c.status_code = ${f.statusCode}` : undefined,
    f.provinceCode ? sql`c.province_code = ${f.provinceCode}` : undefined,
    f.cityCode ? sql`c.city_code = ${f.cityCode}` : undefined,
    f.tag ? sql`c.tags @> ARRAY[${f.tag}]::text[]` : undefined,
    f.locked !== undefined ? sql`c.locked = ${f.locked}` : undefined,
    f.ids ? sql`c.id = ANY(${f.ids}::bigint[])` : undefined,
  ];
}

/** The conditions shared by the list and its count: tenant, scope, view and filters. */
function conditions(scope: RecordScope, userId: number, f: CustomerFilters, lookup?: TermMode): (Sql | undefined)[] {
  const [tenant, live, ...rest] = filters(scope, userId, f, lookup);
  return [tenant, live, visibleSql(scope, 'c'), ...rest];
}

/** Sorts that have an index led by (tenant_id, owner_id, sort column, id). */
const OWNER_INDEXED: ReadonlySet<CustomerListQuery['sort']> = new Set(['updatedAt', 'createdAt']);

/**
 * One page of the customers the scope shows. For a small owner set (a rep, a
 * team manager) the page's ids come owner by owner (ownerPagedIds, from
 * customers_owner_updated / customers_owner_created, index only), then only the
 * page's rows are fetched; the rows, their order and the cursors are the same
 * as with the plain query.
 */
export function listCustomers(q: Queryable, scope: RecordScope, userId: number, f: CustomerFilters): Promise<CustomerRow[]> {
  const lookup = f.q ? customerLookup(scope.tenantId, f.q) : null;
  if (!lookup) return q.query<CustomerRow>(pageSql(scope, userId, f));
  return readEitherWay<CustomerRow>(q, lookup, (mode) => pageSql(scope, userId, f, mode), keyset(f), SORT_COLUMNS[f.sort][0], f.limit + 1);
}

/** The rows of a page whose ids `ids` selects (in any order), with their joins, in the page's order. */
function pageOfIds(scope: RecordScope, k: Keyset, ids: Sql, limit: number): Sql {
  return sql`SELECT ${keysetSelect(k)}, ${COLUMNS}
    FROM (${ids}) page
    JOIN customers c ON c.tenant_id = ${scope.tenantId} AND c.id = page.id
    ${JOINS}
    ${keysetOrder(k)} LIMIT ${limit}`;
}

/** The statement of one page (see listCustomers), a term filtering as `lookup` says. */
function pageSql(scope: RecordScope, userId: number, f: CustomerFilters, lookup?: TermMode): Sql {
  const k = keyset(f);
  const limit = f.limit + 1;
  // looked-up matches (a term's, a narrow custom range's) are few: read by id, not per owner
  const ids = !lookup && !f.customByIds && OWNER_INDEXED.has(f.sort)
    ? ownerPagedIds(scope, 'customers', 'c', [...filters(scope, userId, f, lookup), keysetAfter(k, f.cursor)], k, limit)
    : null;
  if (ids) return pageOfIds(scope, k, ids, limit);
  // looked-up matches (up to a few thousand): ordered and cut to the page by id first,
  // so that only the page's rows are joined and turned into output
  if (lookup === true || f.customByIds) {
    const matches = sql`SELECT c.id FROM customers c ${sql.where([...conditions(scope, userId, f, lookup), keysetAfter(k, f.cursor)])}
      ${keysetOrder(k)} LIMIT ${limit}`;
    return pageOfIds(scope, k, matches, limit);
  }
  return sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM customers c ${JOINS}
    ${sql.where([...conditions(scope, userId, f, lookup), keysetAfter(k, f.cursor)])}
    ${keysetOrder(k)} LIMIT ${limit}`;
}

/**
 * How many customers the list would show. With shared records the two disjoint
 * parts are counted apart: the owner part is then an index-only scan of
 * customers_owner_updated instead of a bitmap scan visiting every heap page.
 */
export async function countCustomers(q: Queryable, scope: RecordScope, userId: number, f: CustomerFilters): Promise<number> {
  const lookup = f.q ? customerLookup(scope.tenantId, f.q) : null;
  return (await q.one<{ n: number }>(eitherCount(lookup, (mode) => countSql(scope, userId, f, mode))))!.n;
}

function countSql(scope: RecordScope, userId: number, f: CustomerFilters, lookup?: TermMode): Sql {
  const parts = visibleParts(scope, 'c');
  if (parts?.shared) {
    const count = (part: Sql) => sql`(SELECT count(*) FROM customers c ${sql.where([...filters(scope, userId, f, lookup), part])})`;
    return sql`(${count(parts.owned)} + ${count(parts.shared)})`;
  }
  return sql`(SELECT count(*) FROM customers c ${sql.where(conditions(scope, userId, f, lookup))})`;
}

export type CustomerAccessRow = CustomerRow & { can_write: boolean; can_own: boolean };

/** One visible customer, with what the scope lets the subject do with it. */
export function getCustomer(q: Queryable, scope: RecordScope, id: number, forUpdate = false): Promise<CustomerAccessRow | undefined> {
  return q.one<CustomerAccessRow>(sql`SELECT ${COLUMNS}, coalesce(${writableSql(scope, 'c')}, false) AS can_write, coalesce(${ownedScopeSql(scope, 'c')}, false) AS can_own
    FROM customers c ${JOINS}
    WHERE c.tenant_id = ${scope.tenantId} AND c.id = ${id} AND c.deleted_at IS NULL AND ${readableSql(scope, 'c')}
    ${forUpdate ? sql`FOR UPDATE OF c` : sql.empty}`);
}

export async function insertCustomer(q: Queryable, tenantId: number, c: ProfileValues & { ownerId: number; createdBy: number; via: AcquiredVia }): Promise<number> {
  const entries = writeEntries(c);
  return (await q.one<{ id: number }>(sql`
    WITH created AS (
      INSERT INTO customers (tenant_id, owner_id, department_id, created_by, owner_since, acquired_via, ${sql.join(entries.map((e) => e.column), ', ')})
      SELECT ${tenantId}, u.id, u.department_id, ${c.createdBy}, clock_timestamp(), ${c.via}, ${sql.join(entries.map((e) => e.value), ', ')} FROM users u
      WHERE u.tenant_id = ${tenantId} AND u.id = ${c.ownerId}
      RETURNING id, owner_id, owner_since
    )
    INSERT INTO customer_owners (tenant_id, customer_id, user_id, started_at, acquired_via)
    SELECT ${tenantId}, id, owner_id, owner_since, ${c.via} FROM created
    RETURNING customer_id AS id`))!.id;
}

export async function updateCustomer(q: Queryable, tenantId: number, id: number, c: ProfileValues): Promise<void> {
  const entries = writeEntries(c);
  if (!entries.length) return;
  await q.query(sql`UPDATE customers SET ${sql.join(entries.map((e) => sql`${e.column} = ${e.value}`), ', ')}, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** The company's customer names as a whole: shared by writers of one name (lockName), exclusive for an import's batch (lockNames). */
const allNames = (tenantId: number) => sql`${tenantId}::bigint # hashtextextended('customer_names', 0)`;

/** Serialises writers of the same customer name, so two at once cannot both pass the check. */
export async function lockName(q: Queryable, tenantId: number, name: string): Promise<void> {
  await q.query(sql`SELECT pg_advisory_xact_lock_shared(${allNames(tenantId)}), pg_advisory_xact_lock(${tenantId}::bigint # hashtextextended(crm_match_key(${name}), 0))`);
}

export async function setLocked(q: Queryable, tenantId: number, id: number, locked: boolean): Promise<void> {
  await q.query(sql`UPDATE customers SET locked = ${locked}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export interface AddressRow {
  id: number;
  customer_id: number;
  tag: AddressDto['tag'];
  province_code: string | null;
  city_code: string | null;
  district_code: string | null;
  detail: string | null;
  postcode: string | null;
  is_default: boolean;
}

export function listAddresses(q: Queryable, tenantId: number, customerId: number): Promise<AddressRow[]> {
  return q.query<AddressRow>(sql`SELECT id, customer_id, tag, province_code, city_code, district_code, detail, postcode, is_default
    FROM customer_addresses WHERE tenant_id = ${tenantId} AND customer_id = ${customerId} ORDER BY is_default DESC, id`);
}

/** Replaces a customer's addresses with `addresses` (the form edits them as one list). */
export async function replaceAddresses(
  q: Queryable,
  tenantId: number,
  customerId: number,
  addresses: { tag: string; provinceCode?: string | null; cityCode?: string | null; districtCode?: string | null; detail?: string | null; postcode?: string | null; isDefault: boolean }[],
): Promise<void> {
  await q.query(sql`DELETE FROM customer_addresses WHERE tenant_id = ${tenantId} AND customer_id = ${customerId}`);
  if (!addresses.length) return;
  const rows = addresses.map(
    (a) => sql`(${tenantId}, ${customerId}, ${a.tag}, ${a.provinceCode ?? null}, ${a.cityCode ?? null}, ${a.districtCode ?? null}, ${a.detail ?? null}, ${a.postcode ?? null}, ${a.isDefault})`,
  );
  await q.query(sql`INSERT INTO customer_addresses (tenant_id, customer_id, tag, province_code, city_code, district_code, detail, postcode, is_default)
    VALUES ${sql.join(rows, ', ')}`);
}

export type AcquiredVia = 'create' | 'transfer' | 'claim' | 'assign' | 'import' | 'convert';

/**
 * Hands customers to a new owner: the department follows the owner's, the
 * ownership period starts (customer_owners), the previous one ends, and any
 * pool membership or protection ends. Returns the ids changed.
 */
export async function setOwner(
  q: Queryable,
  tenantId: number,
  ids: number[],
  ownerId: number,
  how: { via: AcquiredVia; endedBy: string },
): Promise<number[]> {
  const rows = await q.query<{ id: number }>(sql`
    WITH ended AS (
      UPDATE customer_owners SET ended_at = clock_timestamp(), ended_by = ${how.endedBy}
      WHERE tenant_id = ${tenantId} AND customer_id = ANY(${ids}::bigint[]) AND ended_at IS NULL
    ), moved AS (
      UPDATE customers c SET owner_id = u.id, department_id = u.department_id, owner_since = clock_timestamp(), acquired_via = ${how.via},
        pool_id = NULL, pooled_at = NULL, protected_until = NULL, updated_at = now()
      FROM users u WHERE u.tenant_id = c.tenant_id AND u.id = ${ownerId} AND c.tenant_id = ${tenantId} AND c.id = ANY(${ids}::bigint[])
      RETURNING c.id, c.owner_since
    )
    INSERT INTO customer_owners (tenant_id, customer_id, user_id, started_at, acquired_via)
    SELECT ${tenantId}, id, ${ownerId}, owner_since, ${how.via} FROM moved
    RETURNING customer_id AS id`);
  return rows.map((r) => r.id);
}

/** Puts customers into a pool: no owner any more; the ownership period ends. */
export async function moveToPool(q: Queryable, tenantId: number, ids: number[], poolId: number, endedBy: string): Promise<void> {
  await q.query(sql`
    WITH ended AS (
      UPDATE customer_owners SET ended_at = clock_timestamp(), ended_by = ${endedBy}
      WHERE tenant_id = ${tenantId} AND customer_id = ANY(${ids}::bigint[]) AND ended_at IS NULL
    )
    UPDATE customers SET owner_id = NULL, owner_since = NULL, pool_id = ${poolId}, pooled_at = clock_timestamp(), protected_until = NULL, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[])`);
}

export async function softDeleteCustomer(q: Queryable, tenantId: number, id: number, by: number): Promise<void> {
  await q.query(sql`UPDATE customers SET deleted_at = now(), deleted_by = ${by} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Customers merged into `id`, whose history belongs to it now. */
export async function mergedInto(q: Queryable, tenantId: number, id: number): Promise<number[]> {
  return (await q.query<{ id: number }>(sql`SELECT id FROM customers WHERE tenant_id = ${tenantId} AND merged_into = ${id}`)).map((r) => r.id);
}

/** Moves what belongs to `otherId` to `id` and puts `otherId` in the recycle bin, marked as merged. */
export async function mergeInto(q: Queryable, tenantId: number, id: number, otherId: number, by: number): Promise<void> {
  const statements = [
    // the survivor keeps its primary contact
    sql`UPDATE contacts SET customer_id = ${id}, updated_at = now(),
        is_primary = is_primary AND NOT EXISTS (SELECT 1 FROM contacts p WHERE p.tenant_id = ${tenantId} AND p.customer_id = ${id} AND p.is_primary AND p.deleted_at IS NULL)
      WHERE tenant_id = ${tenantId} AND customer_id = ${otherId}`,
    sql`UPDATE contact_links SET customer_id = ${id} WHERE tenant_id = ${tenantId} AND customer_id = ${otherId}`,
    sql`UPDATE followups SET entity_id = ${id} WHERE tenant_id = ${tenantId} AND entity_type = 'customer' AND entity_id = ${otherId}`,
    sql`UPDATE followups SET customer_id = ${id} WHERE tenant_id = ${tenantId} AND customer_id = ${otherId}`,
    sql`UPDATE customer_addresses SET customer_id = ${id}, is_default = false WHERE tenant_id = ${tenantId} AND customer_id = ${otherId}`,
    sql`UPDATE attachments SET entity_id = ${id} WHERE tenant_id = ${tenantId} AND entity_type = 'customer' AND entity_id = ${otherId}`,
    sql`INSERT INTO record_access (tenant_id, entity_type, record_id, user_id, kind, access, granted_by)
      SELECT tenant_id, entity_type, ${id}, user_id, kind, access, ${by} FROM record_access
      WHERE tenant_id = ${tenantId} AND entity_type = 'customer' AND record_id = ${otherId}
        AND user_id IS DISTINCT FROM (SELECT owner_id FROM customers WHERE tenant_id = ${tenantId} AND id = ${id})
      ON CONFLICT DO NOTHING`,
    sql`UPDATE pool_applications SET status = 'cancelled', decided_at = now() WHERE tenant_id = ${tenantId} AND customer_id = ${otherId} AND status = 'pending'`,
    sql`UPDATE customers s SET tags = ARRAY(SELECT DISTINCT unnest(s.tags || o.tags)),
        last_followup_at = greatest(s.last_followup_at, o.last_followup_at),
        next_followup_at = least(s.next_followup_at, o.next_followup_at), updated_at = now()
      FROM customers o WHERE s.tenant_id = ${tenantId} AND s.id = ${id} AND o.tenant_id = ${tenantId} AND o.id = ${otherId}`,
    sql`UPDATE customers SET deleted_at = now(), deleted_by = ${by}, merged_into = ${id} WHERE tenant_id = ${tenantId} AND id = ${otherId}`,
  ];
  for (const s of statements) await q.query(s);
}

/** A customer as an import creates it: the profile, its search keys, custom values, owner and one address. */
export type ImportedCustomer = ProfileValues & { code: string; name: string; custom: Record<string, unknown>; ownerId: number; address: string | null };

/**
 * Creates a batch of imported customers in one statement, with their
 * ownership periods and addresses; `jobId` marks them for undo. Returns the
 * ids by code (codes are unique, so the mapping does not rest on row order).
 */
export async function insertImported(q: Queryable, tenantId: number, createdBy: number, jobId: number, rows: ImportedCustomer[]): Promise<Map<string, number>> {
  const col = (name: string, type: string, value: (r: ImportedCustomer) => unknown): BatchColumn => ({ name, type, values: rows.map(value) });
  const source = unnestRows('x', [
    col('code', 'text', (r) => r.code),
    col('name', 'text', (r) => r.name),
    col('kind', 'text', (r) => r.kind ?? 'enterprise'),
    col('industry_code', 'text', (r) => r.industryCode ?? null),
    col('source_code', 'text', (r) => r.sourceCode ?? null),
    col('level_code', 'text', (r) => r.levelCode ?? null),
    col('status_code', 'text', (r) => r.statusCode ?? 'new'),
    col('employee_count', 'int', (r) => r.employeeCount ?? null),
    col('annual_revenue', 'numeric', (r) => r.annualRevenue ?? null),
    col('province_code', 'text', (r) => r.provinceCode ?? null),
    col('city_code', 'text', (r) => r.cityCode ?? null),
    col('district_code', 'text', (r) => r.districtCode ?? null),
    col('phone', 'text', (r) => r.phone ?? null),
    col('email', 'text', (r) => r.email ?? null),
    col('website', 'text', (r) => r.website ?? null),
    col('credit_code', 'text', (r) => r.creditCode ?? null),
    col('remark', 'text', (r) => r.remark ?? null),
    col('tags', 'text', (r) => JSON.stringify(r.tags ?? [])),
    col('custom', 'text', (r) => JSON.stringify(r.custom)),
    col('pinyin_full', 'text', (r) => r.pinyinFull ?? null),
    col('pinyin_initials', 'text', (r) => r.pinyinInitials ?? null),
    col('owner_id', 'bigint', (r) => r.ownerId),
    col('address', 'text', (r) => r.address),
  ]);
  const created = await q.query<{ id: number; code: string }>(sql`
    WITH input AS (SELECT * FROM ${source}),
    created AS (
      INSERT INTO customers (tenant_id, owner_id, department_id, created_by, owner_since, acquired_via, import_job_id,
        code, name, kind, industry_code, source_code, level_code, status_code, employee_count, annual_revenue,
        province_code, city_code, district_code, phone, email, website, credit_code, remark, tags, custom, pinyin_full, pinyin_initials)
      SELECT ${tenantId}, u.id, u.department_id, ${createdBy}, clock_timestamp(), 'import', ${jobId},
        x.code, x.name, x.kind, x.industry_code, x.source_code, x.level_code, x.status_code, x.employee_count, x.annual_revenue,
        x.province_code, x.city_code, x.district_code, x.phone, x.email, x.website, x.credit_code, x.remark,
        ARRAY(SELECT jsonb_array_elements_text(x.tags::jsonb)), x.custom::jsonb, x.pinyin_full, x.pinyin_initials
      FROM input x JOIN users u ON u.tenant_id = ${tenantId} AND u.id = x.owner_id
      ORDER BY x.ord
      RETURNING id, code, owner_id, owner_since, province_code, city_code, district_code
    ), owners AS (
      INSERT INTO customer_owners (tenant_id, customer_id, user_id, started_at, acquired_via)
      SELECT ${tenantId}, id, owner_id, owner_since, 'import' FROM created
    ), addresses AS (
      INSERT INTO customer_addresses (tenant_id, customer_id, tag, province_code, city_code, district_code, detail, is_default)
      SELECT ${tenantId}, c.id, 'office', c.province_code, c.city_code, c.district_code, x.address, true
      FROM created c JOIN input x ON x.code = c.code WHERE x.address IS NOT NULL
    )
    SELECT id, code FROM created`);
  return new Map(created.map((r) => [r.code, r.id]));
}

/** Of these codes, the ones customers hold already (live or in the recycle bin: codes stay unique). */
export async function takenCodes(q: Queryable, tenantId: number, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await q.query<{ code: string }>(sql`SELECT code FROM customers WHERE tenant_id = ${tenantId} AND code = ANY(${codes}::text[])`);
  return new Set(rows.map((r) => r.code));
}

/**
 * Locks every customer name of the company for an import's batch: one lock,
 * where one per name (2,000 a batch) would fill PostgreSQL's shared lock table
 * (64 × max_connections) as soon as a few companies import at once. A form
 * saving a name meanwhile waits for the batch to commit (about a second).
 */
export async function lockNames(q: Queryable, tenantId: number): Promise<void> {
  await q.query(sql`SELECT pg_advisory_xact_lock(${allNames(tenantId)})`);
}

/** Of these customers, the ones the scope lets the user change. */
export async function writableIds(q: Queryable, scope: RecordScope, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await q.query<{ id: number }>(sql`SELECT c.id FROM customers c
    WHERE c.tenant_id = ${scope.tenantId} AND c.id = ANY(${ids}::bigint[]) AND c.deleted_at IS NULL AND ${writableSql(scope, 'c')}`);
  return new Set(rows.map((r) => r.id));
}

/** Live customers by id (an import's update mode reads the records it overwrites). */
export async function rowsByIds(q: Queryable, tenantId: number, ids: number[]): Promise<Map<number, CustomerRow>> {
  const rows = await q.query<CustomerRow>(sql`SELECT ${COLUMNS} FROM customers c ${JOINS}
    WHERE c.tenant_id = ${tenantId} AND c.id = ANY(${ids}::bigint[]) AND c.deleted_at IS NULL FOR UPDATE OF c`);
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Customers the scope shows, as a file names them (a contact's 所属客户): by
 * name, code or credit code. Per text the id, or 'ambiguous' when two match.
 */
export async function customersByText(q: Queryable, scope: RecordScope, texts: string[]): Promise<Map<string, number | 'ambiguous'>> {
  const out = new Map<string, number | 'ambiguous'>();
  if (!texts.length) return out;
  const rows = await q.query<{ text: string; id: number }>(sql`
    SELECT t.text, c.id FROM unnest(${[...new Set(texts)]}::text[]) AS t(text)
    JOIN customer_match_keys c ON c.tenant_id = ${scope.tenantId}
      AND (crm_match_key(c.name) = crm_match_key(t.text) OR c.code = t.text OR c.credit_code = upper(t.text))
    WHERE ${visibleSql(scope, 'c')}`);
  for (const r of rows) out.set(r.text, out.has(r.text) && out.get(r.text) !== r.id ? 'ambiguous' : r.id);
  return out;
}

/** Whether the customer exists and is not in the recycle bin. */
export async function isLiveCustomer(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 FROM customers WHERE tenant_id = ${tenantId} AND id = ${id} AND deleted_at IS NULL`));
}
