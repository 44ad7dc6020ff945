import { z } from 'zod';
import type { CustomFieldType } from './custom-fields.js';

/** File formats of an export (CUS-16). */
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `a,b,c` in a query parameter as its items (empty ones dropped). */
const commaSeparated = z
  .string()
  .max(20_000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** Records picked by hand in a list; an export of a selection takes at most this many. */
export const EXPORT_IDS_MAX = 1000;

/** What every export adds to its list's filters: format, columns (keys, in order; all when absent) and a selection. */
export const ExportParams = {
  format: z.enum(EXPORT_FORMATS).default('xlsx'),
  columns: commaSeparated.pipe(z.array(z.string().regex(/^[A-Za-z]\w{0,59}$/)).min(1).max(200)).optional(),
  ids: commaSeparated.pipe(z.array(z.string().regex(/^[1-9]\d{0,14}$/).transform(Number)).min(1).max(EXPORT_IDS_MAX)).optional(),
};

/** Custom fields an export can hold as values (a user or a file field would need a lookup per row). */
export const EXPORTED_CUSTOM_FIELD_TYPES: readonly CustomFieldType[] = ['text', 'number', 'money', 'date', 'select', 'multiselect'];

/** An export written in the background (large lists); downloaded when `status` is completed. */
export interface ExportJobDto {
  id: number;
  entity: 'customer' | 'contact' | 'lead' | 'opportunity' | 'product';
  status: 'running' | 'completed' | 'failed';
  fileName: string | null;
  size: number | null;
  rows: number | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}
