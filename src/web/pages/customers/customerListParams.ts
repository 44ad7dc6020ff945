import dayjs, { type Dayjs } from 'dayjs';
import type { CustomFieldDto } from '../../../common/schemas/custom-fields';
import { CUSTOMER_KINDS, CUSTOMER_LIST_VIEWS, CUSTOMER_SORTS } from '../../../common/schemas/customers';
import type { QueryParams } from '../../api/client';
import { customFilterParam, type RangeValue } from '../../components/customFieldValues';
import { dayRange } from '../../components/format';

export type ListView = (typeof CUSTOMER_LIST_VIEWS)[number];
type Kind = (typeof CUSTOMER_KINDS)[number];
type DayRange = [Dayjs | null, Dayjs | null] | null;

/** The customer list's filter form; custom-field filters are named by their field keys (cf_…). */
export interface CustomerFilters {
  q?: string;
  statusCode?: string | null;
  levelCode?: string | null;
  ownerId?: number | null;
  departmentId?: number | null;
  created?: DayRange;
  updated?: DayRange;
  lastFollowup?: DayRange;
  nextFollowup?: DayRange;
  sourceCode?: string | null;
  industryCode?: string | null;
  region?: string[];
  tag?: string;
  kind?: Kind;
  locked?: 'true' | 'false';
  [customKey: `cf_${string}`]: unknown;
}

const RANGES = [
  ['created', 'createdFrom', 'createdTo'],
  ['updated', 'updatedFrom', 'updatedTo'],
  ['lastFollowup', 'lastFollowupFrom', 'lastFollowupTo'],
  ['nextFollowup', 'nextFollowupFrom', 'nextFollowupTo'],
] as const;

/** The filter form's values (and the built-in view) as the list's query parameters. */
export function toParams(f: CustomerFilters, view: ListView, fields: readonly CustomFieldDto[]): QueryParams {
  const params: QueryParams = {
    q: f.q?.trim(),
    view,
    ownerId: f.ownerId,
    departmentId: f.departmentId,
    statusCode: f.statusCode,
    levelCode: f.levelCode,
    sourceCode: f.sourceCode,
    industryCode: f.industryCode,
    provinceCode: f.region?.[0],
    cityCode: f.region?.[1],
    tag: f.tag?.trim(),
    kind: f.kind,
    locked: f.locked,
    custom: customFilterParam(fields, f as Record<string, unknown>),
  };
  for (const [name, from, to] of RANGES) {
    const r = dayRange(f[name]);
    params[from] = r.from;
    params[to] = r.to;
  }
  return params;
}

/** The form values of a `custom` parameter: the inverse of customFilterParam. */
export function customFilterValues(param: string | undefined): Record<string, unknown> {
  if (!param) return {};
  let filter: Record<string, { contains?: string; in?: unknown[]; eq?: unknown; gte?: unknown; lte?: unknown }>;
  try {
    filter = JSON.parse(param) as typeof filter;
  } catch {
    return {}; // an address edited by hand: no custom filter rather than a broken page
  }
  return Object.fromEntries(
    Object.entries(filter).map(([key, c]) => [key, c.contains ?? c.in ?? c.eq ?? ([c.gte ?? null, c.lte ?? null] as RangeValue)]),
  );
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown) => (str(v) && Number.isFinite(Number(v)) ? Number(v) : undefined);

/**
 * The list's state from query parameters (the address, a saved view's
 * filters): the built-in view, the filter form's values and the sort.
 */
export function fromParams(p: Record<string, unknown>): { view: ListView; values: CustomerFilters; sort?: { field: string; order: 'asc' | 'desc' } } {
  const values: CustomerFilters = {
    q: str(p.q),
    statusCode: str(p.statusCode),
    levelCode: str(p.levelCode),
    ownerId: num(p.ownerId),
    departmentId: num(p.departmentId),
    sourceCode: str(p.sourceCode),
    industryCode: str(p.industryCode),
    region: [str(p.provinceCode), str(p.cityCode)].filter((c): c is string => !!c),
    tag: str(p.tag),
    kind: CUSTOMER_KINDS.find((k) => k === p.kind),
    locked: p.locked === 'true' || p.locked === true ? 'true' : p.locked === 'false' || p.locked === false ? 'false' : undefined,
    ...customFilterValues(str(p.custom)),
  };
  for (const [name, from, to] of RANGES) {
    const [a, b] = [str(p[from]), str(p[to])];
    if (a || b) values[name] = [a ? dayjs(a) : null, b ? dayjs(b) : null];
  }
  const view = CUSTOMER_LIST_VIEWS.find((v) => v === p.view) ?? 'scope';
  const sortField = CUSTOMER_SORTS.find((s) => s === p.sort);
  const sort = sortField ? { field: sortField, order: p.order === 'asc' ? ('asc' as const) : ('desc' as const) } : undefined;
  return { view, values, sort };
}
