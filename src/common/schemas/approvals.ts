import { z } from 'zod';
import { CurrencyCode, Money } from '../money.js';
import { Id, Name, PageQuery } from './common.js';

export const APPROVER_KINDS = ['user', 'role', 'dept_head', 'superior'] as const;
export type ApproverKind = (typeof APPROVER_KINDS)[number];
export const APPROVAL_MODES = ['all', 'any'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];
export const TASK_STATUSES = ['pending', 'approved', 'rejected', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const APPROVAL_ACTIONS = ['submit', 'resubmit', 'approve', 'reject', 'withdraw'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];
export const CONDITION_OPS = ['gte', 'gt', 'lte', 'lt'] as const;

export const CONDITION_FIELDS = ['amount', 'discount'] as const;
/**
 * A condition on a snapshot field: `amount` compares the amount in the company
 * currency, `discount` the effective discount in percent (quotes).
 */
export const ApprovalCondition = z.object({ field: z.enum(CONDITION_FIELDS), op: z.enum(CONDITION_OPS), value: Money }).strict();
export type ApprovalCondition = z.output<typeof ApprovalCondition>;

export const ApprovalStepInput = z
  .object({
    name: Name(50),
    approverKind: z.enum(APPROVER_KINDS),
    /** Users (kind user) or roles (kind role). */
    approverIds: z.array(Id).max(50).default([]),
    /** Kind superior: how many levels up the submitter's chain (1 = the direct superior). */
    levels: z.number().int().min(1).max(10).default(1),
    mode: z.enum(APPROVAL_MODES),
    condition: ApprovalCondition.nullable().default(null),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.approverKind === 'user' || s.approverKind === 'role') && s.approverIds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['approverIds'], message: 'required' });
    }
  });
export type ApprovalStepInput = z.output<typeof ApprovalStepInput>;

export const ApprovalTemplateInput = z
  .object({
    businessType: z.string().regex(/^[a-z_]{2,30}$/),
    name: Name(50),
    enabled: z.boolean().default(true),
    priority: z.number().int().min(0).max(1000).default(0),
    condition: ApprovalCondition.nullable().default(null),
    steps: z.array(ApprovalStepInput).min(1).max(10),
  })
  .strict();
export type ApprovalTemplateInput = z.output<typeof ApprovalTemplateInput>;

export const ApprovalTemplateQuery = z.object({ businessType: z.string().regex(/^[a-z_]{2,30}$/).optional() }).strict();

export interface ApprovalStepDto extends Omit<ApprovalStepInput, 'condition'> {
  condition: ApprovalCondition | null;
}
export interface ApprovalTemplateDto {
  id: number;
  businessType: string;
  name: string;
  enabled: boolean;
  priority: number;
  condition: ApprovalCondition | null;
  steps: ApprovalStepDto[];
  updatedAt: string;
}

export const ApprovalBox = z.enum(['waiting', 'submitted', 'done', 'all']);
export type ApprovalBox = z.output<typeof ApprovalBox>;
export const ApprovalListQuery = PageQuery.extend({
  box: ApprovalBox.default('waiting'),
  status: z.enum(APPROVAL_STATUSES).optional(),
  businessType: z.string().regex(/^[a-z_]{2,30}$/).optional(),
}).strict();
export type ApprovalListQuery = z.output<typeof ApprovalListQuery>;

export const ApprovalByRecordQuery = z.object({ type: z.string().regex(/^[a-z_]{2,30}$/), recordId: Id }).strict();

const Comment = z.string().trim().max(500).optional();
export const ApprovalCommentBody = z.object({ comment: Comment }).strict();
/** Back to the submitter (the instance ends rejected) or to an earlier step (its index). */
export const ApprovalRejectBody = z.object({ comment: Comment, backTo: z.union([z.literal('submitter'), z.number().int().min(0).max(9)]).default('submitter') }).strict();
export type ApprovalRejectBody = z.output<typeof ApprovalRejectBody>;

/** Labels in both languages: an approver may read another language than the submitter. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** What approvers see of the record, fixed at submission. */
export interface ApprovalSnapshot {
  title: string;
  amount?: string;
  currency?: string;
  /** The amount in the company currency: what amount conditions compare. */
  companyAmount?: string;
  /** The effective discount in percent ('12.50'): what discount conditions compare. */
  discount?: string;
  fields: { label: Bilingual; value: string }[];
}

export interface ApprovalPlanStep {
  name: string;
  approverKind: ApproverKind;
  approverIds: number[];
  levels: number;
  mode: ApprovalMode;
  /** false: its condition did not hold for the snapshot, so it is skipped. */
  applies: boolean;
}

export interface ApprovalSummaryDto {
  id: number;
  businessType: string;
  recordId: number;
  title: string;
  status: ApprovalStatus;
  currentStep: number | null;
  currentStepName: string | null;
  round: number;
  submitterId: number;
  submitterName: string;
  amount: string | null;
  currency: string | null;
  submittedAt: string;
  finishedAt: string | null;
  updatedAt: string;
}

export interface ApprovalTaskDto {
  id: number;
  approverId: number;
  approverName: string;
  status: TaskStatus;
  comment: string | null;
  decidedAt: string | null;
}

export interface ApprovalEventDto {
  id: number;
  round: number;
  step: number | null;
  stepName: string | null;
  action: ApprovalAction;
  actorId: number;
  actorName: string;
  comment: string | null;
  /** reject: the step index it went back to, null for the submitter. */
  backTo: number | null;
  at: string;
}

export interface ApprovalDetailDto extends ApprovalSummaryDto {
  templateName: string;
  snapshot: ApprovalSnapshot;
  steps: (ApprovalPlanStep & { index: number; state: 'done' | 'current' | 'waiting' | 'skipped'; tasks: ApprovalTaskDto[] })[];
  events: ApprovalEventDto[];
  allowed: { approve: boolean; reject: boolean; withdraw: boolean; resubmit: boolean; backTo: { index: number; name: string }[] };
}

export interface ApprovalCounts {
  waiting: number;
  submitted: number;
}

export interface ApprovalTypeDto {
  type: string;
  label: Bilingual;
}

// ---------------------------------------------------------------- expense claims (报销)

export const EXPENSE_CATEGORIES = ['travel', 'entertainment', 'office', 'other'] as const;
export type ExpenseCategory = (typeof EXPENSE_CATEGORIES)[number];
export type ExpenseStatus = 'draft' | ApprovalStatus;

const expenseFields = {
  title: Name(100),
  category: z.enum(EXPENSE_CATEGORIES),
  amount: Money.refine((v) => Number(v) > 0, { error: 'invalid' }),
  currency: CurrencyCode.default('CNY'),
  occurredOn: z.iso.date(),
  description: z.string().trim().max(2000).nullable().optional(),
  customerId: Id.nullable().optional(),
};
export const ExpenseCreate = z.object(expenseFields).strict();
export type ExpenseCreate = z.output<typeof ExpenseCreate>;
export const ExpenseUpdate = z
  .object({ ...expenseFields, title: expenseFields.title.optional(), category: expenseFields.category.optional(), amount: expenseFields.amount.optional(), currency: CurrencyCode.optional(), occurredOn: z.iso.date().optional() })
  .strict();
export type ExpenseUpdate = z.output<typeof ExpenseUpdate>;

export const ExpenseListQuery = PageQuery.extend({
  view: z.enum(['mine', 'all']).default('mine'),
  status: z.enum(['draft', ...APPROVAL_STATUSES]).optional(),
}).strict();
export type ExpenseListQuery = z.output<typeof ExpenseListQuery>;

export interface ExpenseDto {
  id: number;
  code: string;
  title: string;
  category: ExpenseCategory;
  amount: string;
  currency: string;
  amountCompany: string;
  occurredOn: string;
  description: string | null;
  customerId: number | null;
  customerName: string | null;
  ownerId: number;
  ownerName: string;
  status: ExpenseStatus;
  approvalId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface ExpenseDetailDto extends ExpenseDto {
  allowed: { edit: boolean; submit: boolean };
}
