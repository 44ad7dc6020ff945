import type { CustomFieldDto } from '../../common/schemas/custom-fields';

/** Custom values keyed by field key, as the API sends and takes them. */
export type CustomValues = Record<string, unknown>;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
const same = (a: unknown, b: unknown) => (blank(a) && blank(b)) || JSON.stringify(a) === JSON.stringify(b);

/**
 * A form's custom values as the API's `custom` body: only enabled fields (the
 * server refuses disabled ones); for a new record the filled ones, for an edit
 * (`before` given) the changed ones, a cleared value as null. Undefined when
 * there is nothing to send.
 */
export function customValuesBody(fields: readonly CustomFieldDto[], values: CustomValues | undefined, before?: CustomValues): CustomValues | undefined {
  const body: CustomValues = {};
  for (const f of fields) {
    if (!f.enabled) continue;
    const v = values?.[f.key];
    if (before ? same(before[f.key], v) : blank(v)) continue;
    body[f.key] = blank(v) ? null : typeof v === 'string' ? v.trim() : v;
  }
  return Object.keys(body).length ? body : undefined;
}

/** A range filter's two ends as the form keeps them; either may be missing. */
export type RangeValue = [number | string | null | undefined, number | string | null | undefined];

/** Which filter a field offers in a list: text by a part of it, choices by any of several, user by one, numbers, amounts and dates by a range; files none. */
export function filterKind(type: CustomFieldDto['type']): 'contains' | 'in' | 'eq' | 'range' | null {
  switch (type) {
    case 'text':
      return 'contains';
    case 'select':
    case 'multiselect':
      return 'in';
    case 'user':
      return 'eq';
    case 'number':
    case 'money':
    case 'date':
      return 'range';
    case 'file':
      return null;
  }
}

/**
 * The list filter form's custom-field values (each filter is named by its
 * field's key) as the `custom` query parameter; undefined when none is set.
 */
export function customFilterParam(fields: readonly CustomFieldDto[], values: object): string | undefined {
  const filter: Record<string, object> = {};
  for (const f of fields) {
    const v = (values as Record<string, unknown>)[f.key];
    if (blank(v)) continue;
    const kind = filterKind(f.type);
    if (kind === 'contains' && typeof v === 'string') filter[f.key] = { contains: v.trim() };
    else if (kind === 'in' && Array.isArray(v)) filter[f.key] = { in: v };
    else if (kind === 'eq') filter[f.key] = { eq: v as string | number };
    else if (kind === 'range' && Array.isArray(v)) {
      const [from, to] = (v as RangeValue).map((x) => (blank(x) ? undefined : f.type === 'date' ? x : Number(x)));
      if (from !== undefined || to !== undefined) filter[f.key] = { gte: from, lte: to };
    }
  }
  return Object.keys(filter).length ? JSON.stringify(filter) : undefined;
}
