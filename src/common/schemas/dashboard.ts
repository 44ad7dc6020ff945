import { z } from 'zod';
import { Id } from './common.js';
import type { TargetSubjectType } from './targets.js';

export const DASHBOARD_RANGES = ['this_week', 'this_month', 'this_quarter', 'this_year', 'custom'] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];
const Day = z.iso.date();

/** The longest custom range (the trend has a bar per month). */
export const MAX_RANGE_DAYS = 3 * 366;

export const DashboardQuery = z
  .object({
    range: z.enum(DASHBOARD_RANGES).default('this_month'),
    from: Day.optional(),
    to: Day.optional(),
    userId: Id.optional(),
    departmentId: Id.optional(),
    pipelineId: Id.optional(),
  })
  .strict()
  .refine((q) => q.range !== 'custom' || (q.from && q.to), { error: 'required', path: ['from'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: 'invalid', path: ['to'] })
  .refine((q) => !q.from || !q.to || (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= MAX_RANGE_DAYS, { error: 'invalid', path: ['to'] })
  .refine((q) => !(q.userId && q.departmentId), { error: 'invalid', path: ['departmentId'] });
export type DashboardQuery = z.output<typeof DashboardQuery>;

export interface KpiDto {
  /** null: no target set for the subject and period. */
  target: string | null;
  achieved: string;
  /** achieved / target in percent with one decimal; null without a target. */
  percent: string | null;
}

export interface DashboardDto {
  /** The days the figures cover, in the company time zone. */
  range: { from: string; to: string };
  companyCurrency: string;
  /** Blocks the viewer may see (the module's view permission); hidden ones are zero. */
  visible: { customers: boolean; opportunities: boolean; contracts: boolean; receivables: boolean };
  brief: {
    newCustomers: number;
    followups: number;
    newOpportunities: { count: number; amount: string };
    wonOpportunities: { count: number; amount: string };
    contracts: { count: number; amount: string };
    receivables: string;
  };
  kpi: {
    subject: { type: TargetSubjectType | 'company'; id: number | null; name: string };
    /** The target period the range falls in: a month, quarter or year. */
    period: { kind: 'month' | 'quarter' | 'year'; year: number; period: number; from: string; to: string };
    contractAmount: KpiDto;
    receivableAmount: KpiDto;
  };
  funnel: {
    pipelineId: number | null;
    pipelineName: string | null;
    stages: { stageId: number; name: string; winRate: number; count: number; amount: string; weighted: string }[];
  };
  trend: { month: string; contractAmount: string; receivableAmount: string }[];
}
