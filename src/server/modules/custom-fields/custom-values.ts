/**
 * The one mechanism for custom field values on any entity (SYS-1): checking
 * what a form sends against the definitions, the filter SQL for lists, and the
 * range-searchable copy of numbers and dates.
 */
import type { CustomFieldEntity, CustomFilter } from '../../../common/schemas/custom-fields.js';
import type { Queryable } from '../../db/database.js';
import { sql, type Sql } from '../../db/sql.js';
import { assertVisible, hiddenFields } from '../../platform/access/field-access.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/http/errors.js';
import { type CustomFieldRow, fieldsOf, syncNumbers } from './custom-fields.repo.js';

export type CustomValuesObject = Record<string, unknown>;

const invalid = (key: string, message = 'invalid') => new AppError('VALIDATION_FAILED', {}, [{ path: `custom.${key}`, message }]);
const NUMERIC = new Set(['number', 'money', 'date']);
const DAY = 86_400_000;

/** A value as stored, or an error for the field. */
function normalise(field: CustomFieldRow, value: unknown): unknown {
  const options = new Set(field.options.map((o) => o.value));
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string' || value.length > 2000) throw invalid(field.key);
      return value.trim();
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field.key);
      return value;
    case 'money': {
      const s = typeof value === 'number' ? String(value) : value;
      if (typeof s !== 'string' || !/^-?\d{1,16}(\.\d{1,2})?$/.test(s)) throw invalid(field.key, 'money');
      return s;
    }
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw invalid(field.key);
      return value;
    case 'select':
      if (typeof value !== 'string' || !options.has(value)) throw invalid(field.key, 'disabled');
      return value;
    case 'multiselect':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !options.has(v))) throw invalid(field.key, 'disabled');
      return [...new Set(value as string[])];
    case 'user':
    case 'file':
      if (!Number.isInteger(value) || (value as number) <= 0) throw invalid(field.key);
      return value;
  }
}

/** The values a record will hold: the current ones with the input applied (null clears a value). */
export function applyCustomValues(fields: CustomFieldRow[], current: CustomValuesObject | null, input: CustomValuesObject | undefined): CustomValuesObject {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const next: CustomValuesObject = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(input ?? {})) {
    const field = byKey.get(key);
    if (!field || !field.enabled) throw invalid(key, 'unknownKey');
    if (value === null || value === '' || (Array.isArray(value) && !value.length)) delete next[key];
    else next[key] = normalise(field, value);
  }
  for (const f of fields) if (f.enabled && f.required && next[f.key] === undefined) throw invalid(f.key, 'required');
  return next;
}

const numberOf = (field: CustomFieldRow, v: unknown) => (field.type === 'date' ? Date.parse(String(v)) / DAY : Number(v));

/** Field changes of custom values, one per key, for the change log. */
export function customChanges(before: CustomValuesObject, after: CustomValuesObject) {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => ({ field: `custom.${k}`, before: before[k] ?? null, after: after[k] ?? null }));
}

/**
 * Applies a form's custom values to a record's (null for a new record): the
 * values to store, their change-log entries, and a function that keeps the
 * range-searchable copy once the record id is known.
 */
export async function prepareCustomValues(q: Queryable, tenantId: number, entity: CustomFieldEntity, current: CustomValuesObject | null, input: CustomValuesObject | undefined) {
  if (current !== null && input === undefined) return { values: current, changes: [], store: async () => {} };
  const fields = await fieldsOf(q, tenantId, entity);
  const values = applyCustomValues(fields, current, input);
  return { values, changes: customChanges(current ?? {}, values), store: (recordId: number) => storeCustomNumbers(q, tenantId, fields, recordId, values) };
}

/** After a write: the number/amount/date copy of the record's values. */
export async function storeCustomNumbers(q: Queryable, tenantId: number, fields: CustomFieldRow[], recordId: number, values: CustomValuesObject) {
  const numeric = fields.filter((f) => NUMERIC.has(f.type));
  await syncNumbers(
    q,
    tenantId,
    numeric.map((f) => f.id),
    recordId,
    numeric.filter((f) => values[f.key] !== undefined).map((f) => ({ fieldId: f.id, value: numberOf(f, values[f.key]) })),
  );
}

/**
 * A number/money/date range matching at most this many records is read by id
 * (the matches, then their order); a wider one by walking the list in its
 * order and probing each row, which finds a page sooner.
 */
export const NARROW_RANGE_MAX = 5000;

type FilterCondition = CustomFilter[string];

/** The custom_field_numbers conditions of a range filter (eq, gte, lte), validated. */
function numberRangeSql(tenantId: number, field: CustomFieldRow, cond: FilterCondition): Sql {
  const bound = (v: number | string | undefined) => (v === undefined ? undefined : numberOf(field, v));
  const [eq, gte, lte] = [bound(cond.eq), bound(cond.gte), bound(cond.lte)];
  if ([eq, gte, lte].some((v) => v !== undefined && !Number.isFinite(v))) throw invalid(field.key);
  return sql`tenant_id = ${tenantId} AND field_id = ${field.id}
    ${eq !== undefined ? sql`AND value = ${eq}` : sql.empty} ${gte !== undefined ? sql`AND value >= ${gte}` : sql.empty}
    ${lte !== undefined ? sql`AND value <= ${lte}` : sql.empty}`;
}

/**
 * The WHERE conditions of a custom filter on records aliased `alias`;
 * `narrow`: the keys of range filters known to match few records (NARROW_RANGE_MAX).
 */
export function customFilterSql(tenantId: number, fields: CustomFieldRow[], alias: string, filter: CustomFilter | undefined, narrow: ReadonlySet<string> = new Set()): Sql[] {
  if (!filter) return [];
  const a = sql.raw(alias);
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const out: Sql[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    const field = byKey.get(key);
    if (!field) throw invalid(key, 'unknownKey');
    if (NUMERIC.has(field.type)) {
      const matches = sql`SELECT record_id FROM custom_field_numbers WHERE ${numberRangeSql(tenantId, field, cond)}`;
      // few matches: an array read once, then the records by primary key; many: a semi-join probed row by row
      out.push(narrow.has(key) ? sql`${a}.id = ANY(ARRAY(${matches}))` : sql`${a}.id IN (${matches})`);
    } else {
      const value = (v: string | number) => (field.type === 'multiselect' ? [v] : field.type === 'user' || field.type === 'file' ? Number(v) : v);
      const has = (v: string | number) => sql`${a}.custom @> ${JSON.stringify({ [key]: value(v) })}::jsonb`;
      if (cond.eq !== undefined) out.push(has(cond.eq));
      // one containment test per value, so each can use the GIN index
      if (cond.in) out.push(sql`(${sql.join(cond.in.map(has), ' OR ')})`);
      if (cond.contains !== undefined) {
        if (field.type !== 'text') throw invalid(key);
        out.push(sql`strpos(lower(${a}.custom ->> ${key}), lower(${cond.contains})) > 0`);
      }
    }
  }
  return out;
}

/** The keys of the filter's range conditions that match at most NARROW_RANGE_MAX records (an index-only count each). */
async function narrowRanges(q: Queryable, tenantId: number, fields: CustomFieldRow[], filter: CustomFilter): Promise<Set<string>> {
  const narrow = new Set<string>();
  for (const [key, cond] of Object.entries(filter)) {
    const field = fields.find((f) => f.key === key);
    if (!field || !NUMERIC.has(field.type)) continue;
    const row = await q.one<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM custom_field_numbers WHERE ${numberRangeSql(tenantId, field, cond)} LIMIT ${NARROW_RANGE_MAX + 1}) x`,
    );
    if (row!.n <= NARROW_RANGE_MAX) narrow.add(key);
  }
  return narrow;
}

/**
 * A list query whose custom filter (if any) has been turned into SQL conditions
 * for the repository; `customByIds`: a narrow range filter reads its few matches
 * by id, so the repository should not walk the list owner by owner;
 * `unsearchable`: the fields the quick-search term must not match, because the
 * actor's roles hide them (ORG-6: finding a record by a number one cannot see would tell it).
 */
export type WithCustomSql<Q> = Q & { customSql?: Sql[]; customByIds?: boolean; unsearchable?: ReadonlySet<string> };

/**
 * The custom-filter conditions of any entity's list query (customers, contacts,
 * leads), on records aliased `alias`, and the fields its term must not match;
 * a field the actor's roles hide can neither be filtered on nor matched.
 */
export async function withCustomSql<Q extends { custom?: CustomFilter }>(q: Queryable, actor: Actor, entity: CustomFieldEntity, alias: string, query: Q): Promise<WithCustomSql<Q>> {
  const unsearchable = hiddenFields(actor, entity);
  if (!query.custom) return { ...query, unsearchable };
  assertVisible(actor, entity, Object.keys(query.custom));
  const fields = await fieldsOf(q, actor.tenantId, entity);
  const narrow = await narrowRanges(q, actor.tenantId, fields, query.custom);
  return { ...query, unsearchable, customSql: customFilterSql(actor.tenantId, fields, alias, query.custom, narrow), customByIds: narrow.size > 0 };
}
