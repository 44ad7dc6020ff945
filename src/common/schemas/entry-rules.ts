import { z } from 'zod';

/**
 * Standard fields an administrator may make required (CUS-13), by the API
 * field that holds them: `provinceCode` stands for the region, `addresses` for
 * at least one address. Names are always required.
 */
export const REQUIRABLE_FIELDS = {
  customer: ['industryCode', 'sourceCode', 'levelCode', 'provinceCode', 'phone', 'email', 'website', 'creditCode', 'employeeCount', 'annualRevenue', 'addresses'],
  contact: ['title', 'roleCode', 'mobile', 'phone', 'email', 'wechat', 'gender', 'birthday'],
  lead: ['company', 'title', 'mobile', 'phone', 'email', 'wechat', 'sourceCode', 'industryCode', 'provinceCode', 'address'],
} as const;
export type EntryRuleEntity = keyof typeof REQUIRABLE_FIELDS;
export const ENTRY_RULE_ENTITIES = Object.keys(REQUIRABLE_FIELDS) as EntryRuleEntity[];

/** The required fields per entity; an entity left out keeps its rules. */
export const EntryRulesBody = z
  .object({
    customer: z.array(z.enum(REQUIRABLE_FIELDS.customer)).optional(),
    contact: z.array(z.enum(REQUIRABLE_FIELDS.contact)).optional(),
    lead: z.array(z.enum(REQUIRABLE_FIELDS.lead)).optional(),
  })
  .strict();

export type EntryRulesDto = { [E in EntryRuleEntity]: (typeof REQUIRABLE_FIELDS)[E][number][] };
