import { z } from 'zod';
import { CurrencyCode, Money, Percent } from '../money.js';
import { Id, PageQuery, SortOrder } from './common.js';
import { type LineDto, LineInput } from './line-items.js';

const Day = z.iso.date();
const Text = (max: number) => z.string().trim().max(max);
const optional = <T extends z.ZodType>(s: T) => s.nullable().optional();

export const CONTRACT_STATUSES = ['draft', 'pending', 'active', 'rejected', 'withdrawn'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const CONTRACT_EXECUTIONS = ['not_started', 'executing', 'completed', 'terminated'] as const;
export type ContractExecution = (typeof CONTRACT_EXECUTIONS)[number];
export const PAYMENT_METHODS = ['bank_transfer', 'cash', 'cheque', 'acceptance_bill', 'alipay', 'wechat_pay', 'other'] as const;

const contractFields = {
  opportunityId: optional(Id),
  signerId: optional(Id),
  customerSigner: optional(Text(50)),
  signedOn: optional(Day),
  startsOn: optional(Day),
  endsOn: optional(Day),
  currency: CurrencyCode.optional(),
  /** Whole-contract discount in percent, after the line discounts. */
  discount: Percent.optional(),
  taxRate: Percent.optional(),
  /** Without lines: the amount as given (tax included). With lines: computed from them. */
  amount: Money.optional(),
  lines: z.array(LineInput).max(200).optional(),
  templateId: optional(Id),
  remindDays: z.number().int().min(0).max(365).optional(),
  description: optional(Text(4000)),
};

const datesInOrder = (c: { startsOn?: string | null; endsOn?: string | null }) => !c.startsOn || !c.endsOn || c.startsOn <= c.endsOn;
const dateError = { error: 'invalid', path: ['endsOn'] };

export const ContractCreate = z
  .object({ name: z.string().trim().min(1).max(100), customerId: Id, ownerId: Id.optional(), ...contractFields })
  .strict()
  .refine(datesInOrder, dateError);
export type ContractCreate = z.output<typeof ContractCreate>;
export const ContractUpdate = z
  .object({ name: z.string().trim().min(1).max(100).optional(), ...contractFields })
  .strict()
  .refine(datesInOrder, dateError);
export type ContractUpdate = z.output<typeof ContractUpdate>;

export const ContractListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  customerId: Id.optional(),
  ownerId: Id.optional(),
  status: z.enum(CONTRACT_STATUSES).optional(),
  execution: z.enum(CONTRACT_EXECUTIONS).optional(),
  /** Active contracts ending within this many days (to renew). */
  expiringWithin: z.coerce.number().int().min(0).max(365).optional(),
  view: z.enum(['scope', 'mine']).default('scope'),
  sort: z.enum(['updatedAt', 'createdAt']).default('updatedAt'),
  order: SortOrder,
}).strict();
export type ContractListQuery = z.output<typeof ContractListQuery>;

export const ContractExecutionBody = z.object({ execution: z.enum(CONTRACT_EXECUTIONS) }).strict();
export const ContractTransferBody = z.object({ ownerId: Id }).strict();

/** A signature made on an e-signature platform (or on paper and scanned): who, when, and the signed file's hash. */
export const SignatureInput = z
  .object({
    signerName: z.string().trim().min(1).max(50),
    signerSide: z.enum(['company', 'customer']),
    provider: z.string().trim().min(1).max(50),
    signedAt: z.iso.datetime({ offset: true }),
    /** The signed file, uploaded as an attachment of the contract; its SHA-256 is recorded. */
    attachmentId: Id,
  })
  .strict();

export const TemplateInput = z.object({ name: z.string().trim().min(1).max(50), body: z.string().min(1).max(20000), enabled: z.boolean().default(true) }).strict();

export interface ContractDto {
  id: number;
  code: string;
  name: string;
  customerId: number;
  customerName: string | null;
  opportunityId: number | null;
  ownerId: number;
  ownerName: string | null;
  signerId: number | null;
  signerName: string | null;
  customerSigner: string | null;
  signedOn: string | null;
  startsOn: string | null;
  endsOn: string | null;
  currency: string;
  amount: string;
  amountCompany: string;
  discount: string;
  taxRate: string;
  status: ContractStatus;
  execution: ContractExecution;
  effectiveAt: string | null;
  /** Approved receivables, and what remains. */
  paid: string;
  outstanding: string;
  remindDays: number;
  templateId: number | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContractDetailDto extends ContractDto {
  lines: LineDto[];
  /** Totals of the lines: list, after line discounts, whole discount, tax, total. */
  totals: { listTotal: string; subtotal: string; discountAmount: string; tax: string; total: string } | null;
  body: string | null;
  signatures: { id: number; signerName: string; signerSide: 'company' | 'customer'; provider: string; signedAt: string; fileSha256: string; attachmentId: number | null; recordedByName: string | null }[];
  canEdit: boolean;
}

// ---- payment plans (回款计划) and receivables (回款) ----

export const PlanInput = z
  .object({
    dueOn: Day,
    amount: Money.refine((v) => Number(v) > 0, { error: 'invalid' }),
    method: z.enum(PAYMENT_METHODS).default('bank_transfer'),
    remindDays: z.number().int().min(0).max(90).default(3),
    note: optional(Text(500)),
  })
  .strict();
/** Several instalments at once: given one by one, or an amount split evenly over monthly due dates. */
export const PlansCreate = z.union([
  z.object({ plans: z.array(PlanInput).min(1).max(60) }).strict(),
  z
    .object({
      split: z.object({ amount: Money, count: z.number().int().min(1).max(60), firstDueOn: Day, everyMonths: z.number().int().min(1).max(12).default(1), method: z.enum(PAYMENT_METHODS).default('bank_transfer') }).strict(),
    })
    .strict(),
]);

export interface PlanDto {
  id: number;
  contractId: number;
  seq: number;
  dueOn: string;
  amount: string;
  method: string;
  remindDays: number;
  note: string | null;
  /** Approved receivables against this instalment. */
  received: string;
  state: 'open' | 'partial' | 'paid' | 'overdue';
}

export const ReceivableCreate = z
  .object({
    contractId: Id,
    planId: optional(Id),
    amount: Money.refine((v) => Number(v) > 0, { error: 'invalid' }),
    receivedOn: Day,
    method: z.enum(PAYMENT_METHODS).default('bank_transfer'),
    invoiceType: optional(z.enum(['vat_special', 'vat_normal', 'receipt'])),
    invoiceNo: optional(Text(50)),
    invoiceTitle: optional(Text(100)),
    invoiceTaxNo: optional(z.string().trim().regex(/^[0-9A-Z]{15,20}$/, { error: 'invalid' })),
    invoiceAmount: optional(Money),
    invoicedOn: optional(Day),
    note: optional(Text(500)),
  })
  .strict();
export const ReceivableUpdate = ReceivableCreate.omit({ contractId: true }).partial().strict();

export const ReceivableListQuery = PageQuery.extend({
  contractId: Id.optional(),
  customerId: Id.optional(),
  status: z.enum(['draft', 'pending', 'approved', 'rejected', 'withdrawn']).optional(),
  from: Day.optional(),
  to: Day.optional(),
}).strict();

export interface ReceivableDto {
  id: number;
  code: string;
  contractId: number;
  contractCode: string;
  contractName: string;
  planId: number | null;
  planSeq: number | null;
  customerId: number;
  customerName: string | null;
  ownerId: number;
  ownerName: string | null;
  amount: string;
  currency: string;
  amountCompany: string;
  receivedOn: string;
  method: string;
  status: 'draft' | 'pending' | 'approved' | 'rejected' | 'withdrawn';
  invoiceType: string | null;
  invoiceNo: string | null;
  invoiceTitle: string | null;
  invoiceTaxNo: string | null;
  invoiceAmount: string | null;
  invoicedOn: string | null;
  note: string | null;
  createdAt: string;
}

export type { LineDto };
