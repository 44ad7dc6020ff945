import type { CustomFieldEntity } from '../../../common/schemas/custom-fields.js';
import type { Queryable } from '../../db/database.js';
import { ChoiceLookup, type ImportField, parseDate, parseMoney, parseNumber, splitList } from '../../platform/exchange/import.js';
import type { UserMatch } from '../org/user-lookup.js';
import { type CustomFieldRow, fieldsOf } from './custom-fields.repo.js';

/** Rows of any entity that carries custom values. */
export interface WithCustom {
  custom: Record<string, unknown>;
}

/** What a custom value costs to keep searchable: numbers, amounts and dates have a range copy (custom_field_numbers). */
export interface CustomImport<Row extends WithCustom> {
  fields: ImportField<Row>[];
  /** The enabled definitions (storeCustomNumbers takes them on an update). */
  rows: CustomFieldRow[];
  /** The range-searchable fields (id, key, type), for a batch's set-based copy. */
  numeric: { id: number; key: string; type: 'number' | 'money' | 'date' }[];
}

function choices(field: CustomFieldRow) {
  const lookup = new ChoiceLookup(field.options.map((o) => o.label));
  for (const o of field.options) lookup.add(o.value, o.label, o.value);
  return lookup;
}

/** One enabled custom field as an import column (by its key); file fields cannot come from a file. */
function customField<Row extends WithCustom>(field: CustomFieldRow, findUser: (text: string) => UserMatch): ImportField<Row> | null {
  const set = (row: Row, value: unknown) => {
    row.custom[field.key] = value;
    return undefined;
  };
  const base = { key: field.key, label: field.label, required: field.required };
  switch (field.type) {
    case 'text':
      return { ...base, apply: (t, row) => (t.length > 2000 ? 'too_long' : set(row, t)) };
    case 'number':
      return { ...base, apply: (t, row) => (parseNumber(t) === undefined ? 'invalid' : set(row, parseNumber(t))) };
    case 'money':
      return { ...base, apply: (t, row) => (parseMoney(t) === undefined ? 'invalid' : set(row, parseMoney(t))) };
    case 'date':
      return { ...base, hint: '2026-12-07', apply: (t, row) => (parseDate(t) === undefined ? 'invalid' : set(row, parseDate(t))) };
    case 'select': {
      const lookup = choices(field);
      return { ...base, options: lookup.labels, apply: (t, row) => (lookup.get(t) === undefined ? 'unknown_option' : set(row, lookup.get(t))) };
    }
    case 'multiselect': {
      const lookup = choices(field);
      return {
        ...base,
        options: lookup.labels,
        apply: (t, row) => {
          const values = splitList(t).map((x) => lookup.get(x));
          return values.some((v) => v === undefined) ? 'unknown_option' : set(row, [...new Set(values)]);
        },
      };
    }
    case 'user':
      return {
        ...base,
        apply: (t, row) => {
          const user = findUser(t);
          return user === undefined ? 'not_found' : user === 'ambiguous' ? 'ambiguous' : set(row, user);
        },
      };
    case 'file':
      return null;
  }
}

/** The entity's enabled custom fields as import columns. */
export async function customImportFields<Row extends WithCustom>(
  q: Queryable,
  tenantId: number,
  entity: CustomFieldEntity,
  findUser: (text: string) => UserMatch,
): Promise<CustomImport<Row>> {
  const enabled = (await fieldsOf(q, tenantId, entity)).filter((f) => f.enabled);
  return {
    fields: enabled.map((f) => customField<Row>(f, findUser)).filter((f): f is ImportField<Row> => f !== null),
    rows: enabled,
    numeric: enabled.filter((f) => f.type === 'number' || f.type === 'money' || f.type === 'date').map((f) => ({ id: f.id, key: f.key, type: f.type as 'number' | 'money' | 'date' })),
  };
}
