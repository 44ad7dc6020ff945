import { z } from 'zod';
import { Email, Id, Mobile, Name, PageQuery, SortOrder } from './common.js';
import { CustomFilterParam, CustomValues } from './custom-fields.js';
import { Phone } from './customers.js';
import { DictCode } from './dictionaries.js';
import { ExportParams } from './exchange.js';
import { CityCode, DistrictCode, ProvinceCode } from './regions.js';

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const LEAD_STATUSES = ['new', 'qualifying', 'converted', 'invalid'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

const leadFields = {
  company: optional(z.string().trim().max(100)),
  title: optional(z.string().trim().max(50)),
  mobile: optional(Mobile),
  phone: optional(Phone),
  email: optional(Email),
  wechat: optional(z.string().trim().max(50)),
  sourceCode: optional(DictCode),
  industryCode: optional(DictCode),
  provinceCode: optional(ProvinceCode),
  cityCode: optional(CityCode),
  districtCode: optional(DistrictCode),
  address: optional(z.string().trim().max(200)),
  remark: optional(z.string().max(2000)),
  custom: CustomValues.optional(),
};

export const LeadCreate = z
  .object({
    name: Name(50),
    ...leadFields,
    /** Empty: the assignment rules pick an owner (or it waits unassigned). Another user needs lead.transfer. */
    ownerId: Id.nullable().optional(),
  })
  .strict();

export const LeadUpdate = z.object({ name: Name(50).optional(), ...leadFields }).strict();
export type LeadUpdate = z.output<typeof LeadUpdate>;

/** new → qualifying → converted / invalid; conversion has its own endpoint. */
export const LeadStatusBody = z
  .object({ status: z.enum(['new', 'qualifying', 'invalid']), reason: z.string().trim().min(1).max(500).optional() })
  .strict();

export const LeadAssignBody = z.object({ leadIds: z.array(Id).min(1).max(500), ownerId: Id }).strict();

export const LeadConvertBody = z
  .object({
    /** Attach to a customer that exists instead of creating one. */
    customerId: Id.optional(),
    /** The new customer's name; default: the lead's company, else its name. */
    customerName: Name(100).optional(),
    /** Create a contact from the lead (default true). */
    createContact: z.boolean().default(true),
    /** The new customer's custom values: lead fields are not customer fields, so its required ones are filled here. */
    customerCustom: CustomValues.optional(),
    /** The new contact's custom values, likewise. */
    contactCustom: CustomValues.optional(),
  })
  .strict();

export const LeadListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  sourceCode: DictCode.optional(),
  /** mine | unassigned (the lead pool) | scope (default) */
  view: z.enum(['scope', 'mine', 'unassigned']).default('scope'),
  custom: CustomFilterParam.optional(),
  sort: z.enum(['updatedAt', 'createdAt', 'score']).default('updatedAt'),
  order: SortOrder,
}).strict();
export type LeadListQuery = z.infer<typeof LeadListQuery>;

/** The list's filters (the whole list, not a page), plus the export's format, columns and selection. */
export const LeadExportQuery = LeadListQuery.omit({ limit: true, cursor: true }).extend(ExportParams).strict();
export type LeadExportQuery = z.infer<typeof LeadExportQuery>;

export const AssignmentRuleInput = z
  .object({
    name: z.string().trim().min(1).max(50),
    priority: z.number().int().min(0).max(1000).default(0),
    enabled: z.boolean().default(true),
    sourceCode: DictCode.nullable().default(null),
    industryCode: DictCode.nullable().default(null),
    provinceCode: ProvinceCode.nullable().default(null),
    method: z.enum(['round_robin', 'least_loaded']),
    userIds: z.array(Id).min(1).max(200),
  })
  .strict();

export const ScoreRuleInput = z
  .object({
    field: z.enum(['source_code', 'industry_code', 'province_code', 'mobile', 'email', 'company', 'followups']),
    /** For code fields: the value that scores; for the others: null (any value / per follow-up). */
    value: z.string().trim().max(40).nullable().default(null),
    points: z.number().int().min(-1000).max(1000),
  })
  .strict();

export const LeadRulesBody = z.object({ assignment: z.array(AssignmentRuleInput).max(50), scoring: z.array(ScoreRuleInput).max(100) }).strict();

/** The public web form: no sign-in; `website` is a honeypot humans leave empty. */
export const WebFormSubmission = z
  .object({
    name: Name(50),
    company: optional(z.string().trim().max(100)),
    mobile: optional(Mobile),
    email: optional(Email),
    remark: optional(z.string().max(2000)),
    website: z.string().max(200).optional(),
    /** When the page showed the form (ms since epoch): bots submit at once. */
    startedAt: z.number().int().positive(),
  })
  .strict();

export const WebFormInput = z.object({ name: z.string().trim().min(1).max(50), sourceCode: DictCode.nullable().default(null), enabled: z.boolean().default(true) }).strict();

export interface LeadDto {
  id: number;
  code: string;
  name: string;
  company: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  sourceCode: string | null;
  industryCode: string | null;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  address: string | null;
  remark: string | null;
  custom: Record<string, unknown>;
  status: LeadStatus;
  invalidReason: string | null;
  score: number;
  ownerId: number | null;
  ownerName: string | null;
  convertedCustomerId: number | null;
  convertedContactId: number | null;
  lastFollowupAt: string | null;
  nextFollowupAt: string | null;
  createdAt: string;
  updatedAt: string;
}
