import { z } from 'zod';
import { Money } from '../money.js';
import { Id } from './common.js';

export const TARGET_METRICS = ['contract_amount', 'receivable_amount'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];
export const TARGET_SUBJECTS = ['user', 'department'] as const;
export type TargetSubjectType = (typeof TARGET_SUBJECTS)[number];

const Year = z.coerce.number().int().min(2000).max(2100);
/** An empty cell: no target for that period. */
const Cell = Money.nullable();

export const TargetListQuery = z
  .object({ year: Year, subjectType: z.enum(TARGET_SUBJECTS).optional(), subjectId: Id.optional() })
  .strict()
  .refine((q) => (q.subjectType === undefined) === (q.subjectId === undefined), { error: 'invalid', path: ['subjectId'] });

/** One grid: a subject's targets of one metric for a year (12 months, 4 quarters, the year). */
export const TargetGridInput = z
  .object({
    year: Year,
    subjectType: z.enum(TARGET_SUBJECTS),
    subjectId: Id,
    metric: z.enum(TARGET_METRICS),
    months: z.array(Cell).length(12),
    quarters: z.array(Cell).length(4),
    total: Cell,
  })
  .strict();
export type TargetGridInput = z.output<typeof TargetGridInput>;

export const TargetDeleteQuery = z
  .object({ year: Year, subjectType: z.enum(TARGET_SUBJECTS), subjectId: Id, metric: z.enum(TARGET_METRICS) })
  .strict();

/** Targets and what was achieved per period; a quarter or year without its own target shows the sum of its months' (`*Derived`). */
export interface TargetRowDto {
  subjectType: TargetSubjectType;
  subjectId: number;
  subjectName: string;
  metric: TargetMetric;
  /** As stored: null where no target was set. */
  months: (string | null)[];
  quarters: (string | null)[];
  total: string | null;
  /** What applies: stored, or the sum of the months' targets (null when none). */
  effective: { quarters: (string | null)[]; total: string | null };
  achieved: { months: string[]; quarters: string[]; total: string };
}

export interface TargetListDto {
  year: number;
  items: TargetRowDto[];
  /** Whether the caller may change targets (target.manage). */
  canEdit: boolean;
}

/** Pickers: users (parentId: their department) and departments (parentId: the parent department) within the caller's scope. */
export interface SubjectsDto {
  users: { id: number; name: string; parentId: number | null }[];
  departments: { id: number; name: string; parentId: number | null }[];
}
