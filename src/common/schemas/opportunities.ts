import { z } from 'zod';
import { ExportParams } from './exchange.js';
import { CurrencyCode, Money, Percent, Quantity } from '../money.js';
import { Id, Name, PageQuery, SortOrder } from './common.js';
import { DictCode } from './dictionaries.js';

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();
const Day = z.iso.date();
const Note = z.string().trim().max(1000);

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];
export type StageKind = OpportunityStatus;

// ---- pipelines (销售流程) ----

export const StageInput = z
  .object({
    /** An existing stage; without it a new one is added. */
    id: Id.optional(),
    name: Name(30),
    winRate: z.number().int().min(0).max(100),
    enabled: z.boolean().default(true),
  })
  .strict();

export const PipelineCreate = z
  .object({
    name: Name(50),
    isDefault: z.boolean().default(false),
    /** The open stages in order; the won and lost outcomes are added by themselves. */
    stages: z.array(StageInput.omit({ id: true })).min(1).max(20),
  })
  .strict();

export const PipelineUpdate = z
  .object({ name: Name(50).optional(), isDefault: z.literal(true).optional(), enabled: z.boolean().optional(), sort: z.number().int().min(0).max(100_000).optional() })
  .strict();

/** The open stages in their new order: renamed, re-rated, added, disabled; a stage left out is deleted (refused while it holds opportunities). */
export const StagesBody = z.object({ stages: z.array(StageInput).min(1).max(20) }).strict();

export const StageDeleteQuery = z.object({ moveTo: Id.optional() }).strict();

export interface StageDto {
  id: number;
  name: string;
  kind: StageKind;
  winRate: number;
  sort: number;
  enabled: boolean;
  /** Opportunities in the stage (deleted ones aside). */
  opportunityCount: number;
}

export interface PipelineDto {
  id: number;
  name: string;
  isDefault: boolean;
  enabled: boolean;
  sort: number;
  /** Open stages in order, then won, then lost. */
  stages: StageDto[];
}

export const LostReasonsBody = z
  .object({ reasons: z.array(z.object({ id: Id.optional(), name: Name(30), enabled: z.boolean().default(true) }).strict()).max(50) })
  .strict();

export interface LostReasonDto {
  id: number;
  name: string;
  sort: number;
  enabled: boolean;
}

// ---- opportunities ----

export const LineInput = z
  .object({
    productId: Id,
    quantity: Quantity,
    /** Default: the product's list price. */
    price: Money.optional(),
    discount: Percent.default('0'),
  })
  .strict();

const opportunityFields = {
  contactIds: z.array(Id).max(20).optional(),
  /**
   * Without lines: the amount as given. With lines: their total, unless
   * `amountOverride` is true, then `amount` as given.
   */
  amount: Money.optional(),
  amountOverride: z.boolean().optional(),
  currency: CurrencyCode.optional(),
  expectedCloseDate: optional(Day),
  sourceCode: optional(DictCode),
  description: optional(z.string().max(4000)),
  lines: z.array(LineInput).max(200).optional(),
};

export const OpportunityCreate = z
  .object({
    name: Name(100),
    customerId: Id,
    ...opportunityFields,
    /** Default: the default pipeline. */
    pipelineId: Id.optional(),
    /** Default: the pipeline's first enabled stage. */
    stageId: Id.optional(),
    /** Another owner needs opportunity.transfer. */
    ownerId: Id.optional(),
  })
  .strict();

export const OpportunityUpdate = z.object({ name: Name(100).optional(), ...opportunityFields }).strict();

/** A stage change (advance, drag on the board, win, lose, reopen). */
export const StageChangeBody = z
  .object({
    stageId: Id,
    note: optional(Note),
    /** Required when the target is the lost stage. */
    lostReasonId: Id.optional(),
  })
  .strict();

export const WinBody = z.object({ note: optional(Note) }).strict();
export const LoseBody = z.object({ lostReasonId: Id, note: optional(Note) }).strict();
/** Back to an open stage: the given one, or the one it was closed from. */
export const ReopenBody = z.object({ stageId: Id.optional(), note: optional(Note) }).strict();

export const OpportunityTransfer = z.object({ ownerId: Id, keepAsTeamMember: z.boolean().default(false) }).strict();
export const OpportunityBulk = z
  .discriminatedUnion('action', [
    z.object({ action: z.literal('transfer'), ids: z.array(Id).min(1).max(500), ownerId: Id, keepAsTeamMember: z.boolean().default(false) }).strict(),
    z.object({ action: z.literal('delete'), ids: z.array(Id).min(1).max(500) }).strict(),
  ]);

/** The filters shared by the list, its count, the board, the forecast and the funnel. */
export const OpportunityFilters = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  customerId: Id.optional(),
  ownerId: Id.optional(),
  departmentId: Id.optional(),
  pipelineId: Id.optional(),
  stageId: Id.optional(),
  status: z.enum(OPPORTUNITY_STATUSES).optional(),
  closeFrom: Day.optional(),
  closeTo: Day.optional(),
  amountMin: Money.optional(),
  amountMax: Money.optional(),
  /** scope (default): everything the data scope shows; mine; shared_with_me. */
  view: z.enum(['scope', 'mine', 'shared_with_me']).default('scope'),
});
export type OpportunityFilters = z.output<typeof OpportunityFilters>;

export const OpportunityListQuery = PageQuery.merge(OpportunityFilters)
  .extend({ sort: z.enum(['updatedAt', 'createdAt']).default('updatedAt'), order: SortOrder })
  .strict();
export type OpportunityListQuery = z.output<typeof OpportunityListQuery>;

/** The list's filters (the whole list, not a page), plus the export's format, columns and selection. */
export const OpportunityExportQuery = OpportunityListQuery.omit({ limit: true, cursor: true }).extend(ExportParams).strict();
export type OpportunityExportQuery = z.output<typeof OpportunityExportQuery>;

export const BoardQuery = OpportunityFilters.omit({ stageId: true, status: true })
  .extend({
    pipelineId: Id.optional(),
    /** Cards per stage; more with GET /opportunities?stageId=&cursor= (same order). */
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const ForecastQuery = OpportunityFilters.pick({ ownerId: true, departmentId: true, pipelineId: true })
  .extend({
    period: z.enum(['month', 'quarter']).default('month'),
    groupBy: z.enum(['owner', 'department']).default('owner'),
    /** First and last day of the periods (expected close dates, win dates); default: this year. */
    from: Day.optional(),
    to: Day.optional(),
  })
  .strict();

export const FunnelQuery = z.object({ pipelineId: Id.optional(), from: Day.optional(), to: Day.optional(), ownerId: Id.optional(), departmentId: Id.optional() }).strict();

export interface OpportunityLineDto {
  id: number;
  productId: number;
  productCode: string | null;
  productName: string;
  unit: string;
  quantity: string;
  price: string;
  discount: string;
  amount: string;
  /** false when the product was taken off the shelf or deleted since. */
  onShelf: boolean;
}

export interface OpportunityDto {
  id: number;
  code: string;
  name: string;
  customerId: number;
  customerName: string;
  amount: string;
  currency: string;
  amountCompany: string;
  amountOverridden: boolean;
  expectedCloseDate: string | null;
  pipelineId: number;
  pipelineName: string;
  stageId: number;
  stageName: string;
  winRate: number;
  status: OpportunityStatus;
  wonAt: string | null;
  lostAt: string | null;
  lostReasonId: number | null;
  lostReasonName: string | null;
  lostNote: string | null;
  sourceCode: string | null;
  description: string | null;
  ownerId: number;
  ownerName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OpportunityDetailDto extends OpportunityDto {
  contacts: { id: number; name: string; mobile: string | null; title: string | null }[];
  lines: OpportunityLineDto[];
  allowed: { edit: boolean; delete: boolean; transfer: boolean; share: boolean };
}

export interface StageHistoryDto {
  id: number;
  fromStageId: number | null;
  fromStageName: string | null;
  toStageId: number;
  toStageName: string;
  note: string | null;
  changedBy: number | null;
  changedByName: string | null;
  changedAt: string;
}

export interface BoardStageDto {
  stageId: number;
  name: string;
  kind: StageKind;
  winRate: number;
  enabled: boolean;
  count: number;
  /** Sum of the company-currency amounts. */
  amount: string;
  /** amount × win rate. */
  weighted: string;
  cards: OpportunityDto[];
  /** For GET /opportunities?pipelineId=&stageId=&cursor= (the list's order). */
  nextCursor: string | null;
}

export interface BoardDto {
  pipeline: { id: number; name: string };
  stages: BoardStageDto[];
}

export interface ForecastRowDto {
  /** 2026-03 or 2026-Q1. */
  period: string;
  groupId: number | null;
  groupName: string | null;
  openCount: number;
  /** Open opportunities expected to close in the period, company currency. */
  openAmount: string;
  /** Σ amount × stage win rate. */
  weighted: string;
  wonCount: number;
  /** Won in the period. */
  wonAmount: string;
}

export interface ForecastDto {
  period: 'month' | 'quarter';
  groupBy: 'owner' | 'department';
  from: string;
  to: string;
  rows: ForecastRowDto[];
  totals: Omit<ForecastRowDto, 'period' | 'groupId' | 'groupName'>;
}

export interface FunnelStageDto {
  stageId: number;
  name: string;
  kind: StageKind;
  winRate: number;
  /** Opportunities now in the stage. */
  count: number;
  amount: string;
  /** Opportunities that got at least this far: now here, in a later open stage, or won. */
  reached: number;
}
