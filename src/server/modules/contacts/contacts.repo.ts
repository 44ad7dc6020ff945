import type { ContactDto, ContactListQuery } from '../../../common/schemas/contacts.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { type BatchColumn, type ColumnValues, columnMap, unnestRows } from '../../db/columns.js';
import { prefixPattern, sql, type Sql } from '../../db/sql.js';
import { nameMatchParts, nameMatchSql, PINYIN_COLUMNS } from '../../platform/search/text-match.js';
import { eitherCount, readEitherWay, termConditions, type TermLookup, termLookup, type TermMode } from '../../platform/search/term-lookup.js';
import { type RecordScope, visibleSql, writableSql } from '../../platform/access/scope.js';
import type { WithCustomSql } from '../custom-fields/custom-values.js';

export interface ContactRow {
  id: number;
  code: string;
  customer_id: number;
  customer_name: string;
  name: string;
  title: string | null;
  role_code: string | null;
  is_primary: boolean;
  lifecycle: ContactDto['lifecycle'];
  gender: 'male' | 'female' | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  remark: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

/** The fields written as given. */
export const CONTACT_FIELDS = columnMap({
  name: 'name',
  title: 'title',
  roleCode: 'role_code',
  isPrimary: 'is_primary',
  lifecycle: 'lifecycle',
  gender: 'gender',
  mobile: 'mobile',
  phone: 'phone',
  email: 'email',
  wechat: 'wechat',
  birthday: 'birthday',
  remark: 'remark',
  tags: 'tags',
}, { tags: 'text[]', birthday: 'date' });
export type ContactValues = ColumnValues<typeof CONTACT_FIELDS> & ColumnValues<typeof PINYIN_COLUMNS> & { custom?: Record<string, unknown> };

const writeEntries = (c: ContactValues) => [
  ...CONTACT_FIELDS.entries(c),
  ...PINYIN_COLUMNS.entries(c),
  ...(c.custom !== undefined ? [{ column: sql.raw('custom'), value: sql`${JSON.stringify(c.custom)}::jsonb` }] : []),
];

const COLUMNS = sql`k.id, k.code, k.customer_id, c.name AS customer_name, k.name, k.title, k.role_code, k.is_primary, k.lifecycle,
  k.gender, k.mobile, k.phone, k.email, k.wechat, k.birthday::text AS birthday, k.remark, k.tags, k.custom, k.created_at, k.updated_at`;

/** A contact is visible exactly when its customer is: the customer's scope is the one rule. */
const FROM = sql`contacts k JOIN customers c ON c.tenant_id = k.tenant_id AND c.id = k.customer_id AND c.deleted_at IS NULL`;

const SORT = { updatedAt: ['k.updated_at', 'timestamptz'], name: ['k.name', 'text'] } as const;

/** A list query, with its custom-field conditions already turned into SQL by the service; `ids`: a selection (exports). */
/**
 * `byCursor`: a customer's contacts too in keyset order, page after page (an
 * export), rather than the primary one first in a single page (the customer's tab).
 */
export type ContactFilters = WithCustomSql<ContactListQuery & { ids?: number[]; byCursor?: boolean }>;

function conditions(scope: RecordScope, f: ContactFilters, lookup?: TermMode): (Sql | undefined)[] {
  return [
    sql`k.tenant_id = ${scope.tenantId}`,
    sql`k.deleted_at IS NULL`,
    visibleSql(scope, 'c'),
    f.customerId ? sql`k.customer_id = ${f.customerId}` : undefined,
    f.ids ? sql`k.id = ANY(${f.ids}::bigint[])` : undefined,
    ...(f.q ? termConditions(lookup, sql`k.id`, contactMatchSql('k', f.q, f.unsearchable)) : []),
    f.roleCode ? sql`k.role_code = ${f.roleCode}` : undefined,
    f.lifecycle ? sql`k.lifecycle = ${f.lifecycle}` : undefined,
    f.createdFrom ? sql`k.created_at >= ${f.createdFrom}::timestamptz` : undefined,
    ...(f.customSql ?? []),
  ];
}

/**
 * Name (bigrams, pinyin), or the start of a mobile number, of a landline's
 * digits or of an e-mail address: what one types of a number or an address is
 * its beginning, and a prefix is what an index serves (contacts_phone_digits,
 * contacts_email_prefix) — "contains" read every contact of the tenant.
 * `indexed`: each part is served by an index (not so for one character).
 * A field in `unsearchable` is not matched: finding a contact by a number the
 * user cannot see would tell it.
 */
function contactMatch(alias: string, term: string, unsearchable: ReadonlySet<string> = new Set()): { parts: Sql[]; indexed: boolean } {
  const a = sql.raw(alias);
  const byName = nameMatchParts(alias, term);
  const digits = term.replace(/[\s-]/g, '');
  const phones = /^\d{3,}$/.test(digits);
  const byPhone = [
    phones && !unsearchable.has('mobile') ? sql`${a}.mobile LIKE ${prefixPattern(digits)}` : undefined,
    phones && !unsearchable.has('phone') ? sql`regexp_replace(${a}.phone, '\\D', '', 'g') LIKE ${prefixPattern(digits)}` : undefined,
  ].filter((p): p is Sql => !!p);
  const byEmail = (term.includes('@') || /^[\w.]+$/.test(term)) && !unsearchable.has('email') ? [sql`lower(${a}.email) LIKE ${prefixPattern(term.toLowerCase())}`] : [];
  return { parts: [byName ?? [nameMatchSql(alias, term)], byPhone, byEmail].flat(), indexed: !!byName };
}

function contactMatchSql(alias: string, term: string, unsearchable?: ReadonlySet<string>): Sql {
  return sql`(${sql.join(contactMatch(alias, term, unsearchable).parts, ' OR ')})`;
}

/** The statement head that looks a term up (see term-lookup.ts), or null when the term needs a scan anyway. */
function contactLookup(tenantId: number, term: string, unsearchable?: ReadonlySet<string>): TermLookup | null {
  const { parts, indexed } = contactMatch('s', term, unsearchable);
  return indexed ? termLookup('contact_search_keys', tenantId, term, parts) : null;
}

export function listContacts(q: Queryable, scope: RecordScope, f: ContactFilters): Promise<ContactRow[]> {
  const [column, type] = SORT[f.sort];
  const k: Keyset = { column: sql.raw(column), type, id: sql`k.id`, order: f.order };
  // a customer's own contacts: the primary one first
  const primaryFirst = !!f.customerId && !f.byCursor;
  const order = primaryFirst ? sql`ORDER BY k.is_primary DESC, k.id` : keysetOrder(k);
  const page = (lookup?: TermMode) => sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM ${FROM}
    ${sql.where([...conditions(scope, f, lookup), primaryFirst ? undefined : keysetAfter(k, f.cursor)])} ${order} LIMIT ${f.limit + 1}`;
  // a customer's own contacts are few: tested one by one
  const lookup = f.q && !f.customerId ? contactLookup(scope.tenantId, f.q, f.unsearchable) : null;
  if (!lookup) return q.query<ContactRow>(page());
  return readEitherWay<ContactRow>(q, lookup, page, k, column, f.limit + 1);
}

export async function countContacts(q: Queryable, scope: RecordScope, f: ContactFilters): Promise<number> {
  const count = (lookup?: TermMode) => sql`(SELECT count(*) FROM ${FROM} ${sql.where(conditions(scope, f, lookup))})`;
  return (await q.one<{ n: number }>(eitherCount(f.q ? contactLookup(scope.tenantId, f.q, f.unsearchable) : null, count)))!.n;
}

export type ContactAccessRow = ContactRow & { can_write: boolean };

export function getContact(q: Queryable, scope: RecordScope, id: number, forUpdate = false): Promise<ContactAccessRow | undefined> {
  return q.one<ContactAccessRow>(sql`SELECT ${COLUMNS}, ${writableSql(scope, 'c')} AS can_write FROM ${FROM}
    WHERE k.tenant_id = ${scope.tenantId} AND k.id = ${id} AND k.deleted_at IS NULL AND ${visibleSql(scope, 'c')}
    ${forUpdate ? sql`FOR UPDATE OF k` : sql.empty}`);
}

export async function insertContact(q: Queryable, tenantId: number, c: ContactValues & { code: string; customerId: number; createdBy: number }): Promise<number> {
  const e = writeEntries(c);
  return (await q.one<{ id: number }>(sql`INSERT INTO contacts (tenant_id, code, customer_id, created_by, ${sql.join(e.map((x) => x.column), ', ')})
    VALUES (${tenantId}, ${c.code}, ${c.customerId}, ${c.createdBy}, ${sql.join(e.map((x) => x.value), ', ')}) RETURNING id`))!.id;
}

export async function updateContact(q: Queryable, tenantId: number, id: number, c: ContactValues & { customerId?: number }): Promise<void> {
  const e = writeEntries(c);
  if (c.customerId !== undefined) e.push({ column: sql.raw('customer_id'), value: sql`${c.customerId}` });
  await q.query(sql`UPDATE contacts SET ${sql.join([...e.map((x) => sql`${x.column} = ${x.value}`), sql`updated_at = now()`], ', ')}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export type ImportedContact = ContactValues & { code: string; customerId: number; custom: Record<string, unknown>; isPrimary: boolean };

/**
 * Creates a batch of imported contacts in one statement, each with its link
 * to its customer; `jobId` marks them for undo. Returns the ids by code.
 */
export async function insertImported(q: Queryable, tenantId: number, createdBy: number, jobId: number, rows: ImportedContact[]): Promise<Map<string, number>> {
  const col = (name: string, type: string, value: (r: ImportedContact) => unknown): BatchColumn => ({ name, type, values: rows.map(value) });
  const source = unnestRows('x', [
    col('code', 'text', (r) => r.code),
    col('customer_id', 'bigint', (r) => r.customerId),
    col('name', 'text', (r) => r.name),
    col('title', 'text', (r) => r.title ?? null),
    col('role_code', 'text', (r) => r.roleCode ?? null),
    col('is_primary', 'boolean', (r) => r.isPrimary),
    col('lifecycle', 'text', (r) => r.lifecycle ?? null),
    col('gender', 'text', (r) => r.gender ?? null),
    col('mobile', 'text', (r) => r.mobile ?? null),
    col('phone', 'text', (r) => r.phone ?? null),
    col('email', 'text', (r) => r.email ?? null),
    col('wechat', 'text', (r) => r.wechat ?? null),
    col('birthday', 'date', (r) => r.birthday ?? null),
    col('remark', 'text', (r) => r.remark ?? null),
    col('tags', 'text', (r) => JSON.stringify(r.tags ?? [])),
    col('custom', 'text', (r) => JSON.stringify(r.custom)),
    col('pinyin_full', 'text', (r) => r.pinyinFull ?? null),
    col('pinyin_initials', 'text', (r) => r.pinyinInitials ?? null),
  ]);
  const created = await q.query<{ id: number; code: string }>(sql`
    WITH created AS (
      INSERT INTO contacts (tenant_id, code, customer_id, created_by, import_job_id, name, title, role_code, is_primary, lifecycle, gender,
        mobile, phone, email, wechat, birthday, remark, tags, custom, pinyin_full, pinyin_initials)
      SELECT ${tenantId}, x.code, x.customer_id, ${createdBy}, ${jobId}, x.name, x.title, x.role_code, x.is_primary, coalesce(x.lifecycle, 'new'), x.gender,
        x.mobile, x.phone, x.email, x.wechat, x.birthday, x.remark, ARRAY(SELECT jsonb_array_elements_text(x.tags::jsonb)), x.custom::jsonb, x.pinyin_full, x.pinyin_initials
      FROM ${source} ORDER BY x.ord
      RETURNING id, code, customer_id, title
    ), links AS (
      INSERT INTO contact_links (tenant_id, contact_id, customer_id, title, started_at)
      SELECT ${tenantId}, id, customer_id, title, clock_timestamp() FROM created
    )
    SELECT id, code FROM created`);
  return new Map(created.map((r) => [r.code, r.id]));
}

/** Of these customers, the ones with a live contact. */
export async function customersWithContacts(q: Queryable, tenantId: number, customerIds: number[]): Promise<Set<number>> {
  const rows = await q.query<{ customer_id: number }>(sql`SELECT DISTINCT customer_id FROM contacts
    WHERE tenant_id = ${tenantId} AND customer_id = ANY(${customerIds}::bigint[]) AND deleted_at IS NULL`);
  return new Set(rows.map((r) => r.customer_id));
}

/** Takes the primary mark from these customers' contacts (a batch brings their new primary ones). */
export async function clearPrimaries(q: Queryable, tenantId: number, customerIds: number[]): Promise<void> {
  await q.query(sql`UPDATE contacts SET is_primary = false, updated_at = now()
    WHERE tenant_id = ${tenantId} AND customer_id = ANY(${customerIds}::bigint[]) AND is_primary AND deleted_at IS NULL`);
}

/** Takes the primary mark from the customer's other contacts. */
export async function clearPrimary(q: Queryable, tenantId: number, customerId: number, exceptId: number | null): Promise<void> {
  await q.query(sql`UPDATE contacts SET is_primary = false, updated_at = now()
    WHERE tenant_id = ${tenantId} AND customer_id = ${customerId} AND is_primary AND deleted_at IS NULL AND id IS DISTINCT FROM ${exceptId}::bigint`);
}

export async function hasContacts(q: Queryable, tenantId: number, customerId: number): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 FROM contacts WHERE tenant_id = ${tenantId} AND customer_id = ${customerId} AND deleted_at IS NULL LIMIT 1`));
}

export async function softDeleteContact(q: Queryable, tenantId: number, id: number, by: number): Promise<void> {
  await q.query(sql`UPDATE contacts SET deleted_at = now(), deleted_by = ${by}, is_primary = false WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function openLink(q: Queryable, tenantId: number, contactId: number, customerId: number, title: string | null): Promise<void> {
  await q.query(sql`INSERT INTO contact_links (tenant_id, contact_id, customer_id, title, started_at)
    VALUES (${tenantId}, ${contactId}, ${customerId}, ${title}, clock_timestamp())`);
}

export async function closeLinks(q: Queryable, tenantId: number, contactId: number): Promise<void> {
  await q.query(sql`UPDATE contact_links SET ended_at = clock_timestamp() WHERE tenant_id = ${tenantId} AND contact_id = ${contactId} AND ended_at IS NULL`);
}

export function listLinks(q: Queryable, tenantId: number, contactId: number) {
  return q.query<{ customer_id: number; customer_name: string; title: string | null; started_at: Date; ended_at: Date | null }>(sql`
    SELECT l.customer_id, c.name AS customer_name, l.title, l.started_at, l.ended_at
    FROM contact_links l JOIN customers c ON c.tenant_id = l.tenant_id AND c.id = l.customer_id
    WHERE l.tenant_id = ${tenantId} AND l.contact_id = ${contactId} ORDER BY l.started_at DESC`);
}
