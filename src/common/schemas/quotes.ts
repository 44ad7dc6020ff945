import { z } from 'zod';
import { CurrencyCode, Percent } from '../money.js';
import { Id, PageQuery, SortOrder } from './common.js';
import { type LineDto, LineInput } from './line-items.js';

const Text = (max: number) => z.string().trim().max(max);
const optional = <T extends z.ZodType>(s: T) => s.nullable().optional();

export const QUOTE_STATUSES = ['draft', 'pending', 'approved', 'sent', 'accepted', 'rejected'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];

const quoteFields = {
  opportunityId: optional(Id),
  contactId: optional(Id),
  currency: CurrencyCode.optional(),
  /** Whole-quote discount in percent, after the line discounts. */
  discount: Percent.optional(),
  taxRate: Percent.optional(),
  validUntil: optional(z.iso.date()),
  terms: optional(Text(4000)),
  notes: optional(Text(2000)),
};

/** A quote always has product lines: its amount is computed from them. */
export const QuoteCreate = z
  .object({ name: z.string().trim().min(1).max(100), customerId: Id, ...quoteFields, lines: z.array(LineInput).min(1).max(200) })
  .strict();
export type QuoteCreate = z.output<typeof QuoteCreate>;
export const QuoteUpdate = z
  .object({ name: z.string().trim().min(1).max(100).optional(), ...quoteFields, lines: z.array(LineInput).min(1).max(200).optional() })
  .strict();
export type QuoteUpdate = z.output<typeof QuoteUpdate>;

export const QuoteListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  customerId: Id.optional(),
  opportunityId: Id.optional(),
  ownerId: Id.optional(),
  status: z.enum(QUOTE_STATUSES).optional(),
  /** Latest versions only (the default), or every version. */
  versions: z.enum(['latest', 'all']).default('latest'),
  view: z.enum(['scope', 'mine']).default('scope'),
  sort: z.enum(['updatedAt', 'createdAt']).default('updatedAt'),
  order: SortOrder,
}).strict();
export type QuoteListQuery = z.output<typeof QuoteListQuery>;

/** The customer's answer to a sent quote. */
export const QuoteAnswerBody = z.object({ answer: z.enum(['accepted', 'rejected']), note: optional(Text(500)) }).strict();
export const QuoteCommentBody = z.object({ comment: Text(500).nullable().default(null) }).strict();
export const QuoteContractBody = z.object({ name: z.string().trim().min(1).max(100).optional() }).strict();

export interface QuoteDto {
  id: number;
  code: string;
  version: number;
  /** The first version's id: every version of the quote shares it. */
  rootId: number;
  name: string;
  customerId: number;
  customerName: string | null;
  opportunityId: number | null;
  opportunityName: string | null;
  contactId: number | null;
  contactName: string | null;
  ownerId: number;
  ownerName: string | null;
  currency: string;
  discount: string;
  taxRate: string;
  amount: string;
  amountCompany: string;
  /** The lines at list prices, and how many percent below it the quote is (before tax). */
  listTotal: string;
  effectiveDiscount: string;
  validUntil: string | null;
  status: QuoteStatus;
  superseded: boolean;
  sentAt: string | null;
  answeredAt: string | null;
  contractId: number | null;
  terms: string | null;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface QuoteLineDto extends LineDto {
  listPrice: string;
}

export interface QuoteDetailDto extends QuoteDto {
  lines: QuoteLineDto[];
  totals: { listTotal: string; subtotal: string; discountAmount: string; tax: string; total: string };
  /** The largest discount the caller may give without approval. */
  maxDiscount: string;
  /** Whether the discount is beyond the owner's limit, so the quote needs approval before it is sent. */
  needsApproval: boolean;
  versions: { id: number; version: number; status: QuoteStatus; amount: string; superseded: boolean; updatedAt: string }[];
  allowed: { edit: boolean; delete: boolean; submit: boolean; send: boolean; answer: boolean; newVersion: boolean; convert: boolean };
}

/** What the print page and the PDF show. */
export interface QuotePrintDto {
  companyName: string;
  quote: QuoteDetailDto;
  amountInWords: string;
  printedAt: string;
}
