import { z } from 'zod';
import { isPostcode } from '../validators.js';
import { Id } from './common.js';
import { ADDRESS_TAGS, type CustomerDetailDto } from './customers.js';
import type { ContactDto } from './contacts.js';
import { DictCode } from './dictionaries.js';
import type { FollowupDto } from './followups.js';

/** Envelope papers (信封) in mm; `custom` takes the template's own width and height. */
export const ENVELOPE_PAPERS = {
  dl: { width: 220, height: 110 },
  c5: { width: 229, height: 162 },
  cn5: { width: 220, height: 110 },
  custom: null,
} as const;
export type EnvelopePaper = keyof typeof ENVELOPE_PAPERS;
export const ENVELOPE_PAPER_KEYS = Object.keys(ENVELOPE_PAPERS) as EnvelopePaper[];

/** The blocks of the classic Chinese envelope, each placed at mm offsets from the top-left corner. */
export const ENVELOPE_BLOCKS = ['postcode', 'address', 'company', 'recipient', 'sender'] as const;
export type EnvelopeBlock = (typeof ENVELOPE_BLOCKS)[number];

/** The six recipient postcode boxes: size and gap in mm (the classic envelope's printed boxes). */
export const POSTCODE_BOX = { width: 8, height: 10, gap: 2 } as const;

const Mm = z.number().min(0).max(500);
const Position = z.object({ x: Mm, y: Mm }).strict();
export const EnvelopeLayout = z.object(Object.fromEntries(ENVELOPE_BLOCKS.map((b) => [b, Position])) as Record<EnvelopeBlock, typeof Position>).strict();
export type EnvelopeLayout = z.infer<typeof EnvelopeLayout>;

const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => v || null);

export const EnvelopeTemplateInput = z
  .object({
    name: z.string().trim().min(1).max(50),
    paper: z.enum(ENVELOPE_PAPER_KEYS as [EnvelopePaper, ...EnvelopePaper[]]),
    /** Only for the custom paper; the others have their standard size. */
    widthMm: z.number().min(50).max(500).optional(),
    heightMm: z.number().min(50).max(500).optional(),
    layout: EnvelopeLayout,
    fontSize: z.number().int().min(6).max(40).default(14),
    senderCompany: optionalText(100),
    senderAddress: optionalText(200),
    senderPostcode: z.string().trim().refine(isPostcode, { error: 'postcode' }).nullable().optional().or(z.literal('').transform(() => null)),
  })
  .strict();
export type EnvelopeTemplateInput = z.input<typeof EnvelopeTemplateInput>;

export interface EnvelopeTemplateDto {
  id: number;
  name: string;
  paper: EnvelopePaper;
  widthMm: number;
  heightMm: number;
  layout: EnvelopeLayout;
  fontSize: number;
  senderCompany: string | null;
  senderAddress: string | null;
  senderPostcode: string | null;
  isDefault: boolean;
}

/** Which customers, which of their addresses and which contact to print envelopes for. */
export const EnvelopeRequest = z
  .object({
    customerIds: z.array(Id).min(1).max(200),
    /** The address with this tag, else the default address. */
    addressTag: z.enum(ADDRESS_TAGS).optional(),
    /** The first contact with this role, else the primary contact. */
    contactRole: DictCode.optional(),
  })
  .strict();

export interface EnvelopeDto {
  customerId: number;
  company: string;
  postcode: string | null;
  address: string | null;
  contactName: string | null;
  contactTitle: string | null;
}

export interface EnvelopesResponse {
  items: EnvelopeDto[];
  /** How many requested ids were not printed: invisible to the caller or not existing (the two look alike). */
  skipped: number;
}

/** Everything the customer print view shows, read under the caller's data scope. */
export interface CustomerPrintDto {
  companyName: string;
  printedAt: string;
  customer: CustomerDetailDto;
  /** null when the caller may not view contacts. */
  contacts: ContactDto[] | null;
  members: { userId: number; userName: string; kind: 'team' | 'share'; access: 'read' | 'write' }[];
  followups: FollowupDto[];
}
