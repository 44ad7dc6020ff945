import { z } from 'zod';
import { Email, Id, IsoDate, Mobile, Name, PageQuery, SortOrder } from './common.js';
import { CustomFilterParam, CustomValues } from './custom-fields.js';
import { Phone, Tags } from './customers.js';
import { DictCode } from './dictionaries.js';
import { ExportParams } from './exchange.js';

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const CONTACT_LIFECYCLES = ['new', 'active', 'inactive', 'invalid'] as const;

const contactFields = {
  title: optional(z.string().trim().max(50)),
  roleCode: optional(DictCode),
  /** The customer's main contact; setting it moves the mark from the previous one. */
  isPrimary: z.boolean().optional(),
  lifecycle: z.enum(CONTACT_LIFECYCLES).optional(),
  gender: optional(z.enum(['male', 'female'])),
  mobile: optional(Mobile),
  phone: optional(Phone),
  email: optional(Email),
  wechat: optional(z.string().trim().max(50)),
  birthday: optional(z.iso.date()),
  remark: optional(z.string().max(2000)),
  tags: Tags.optional(),
  custom: CustomValues.optional(),
};

export const ContactCreate = z.object({ customerId: Id, name: Name(50), ...contactFields }).strict();
export const ContactUpdate = z.object({ name: Name(50).optional(), ...contactFields }).strict();
export type ContactUpdate = z.output<typeof ContactUpdate>;

/** A job change: the contact now works for another customer; the old link stays in the history. */
export const ContactMove = z.object({ customerId: Id, title: optional(z.string().trim().max(50)) }).strict();

export const ContactListQuery = PageQuery.extend({
  /** Name, mobile or e-mail contains this. */
  q: z.string().trim().min(1).max(100).optional(),
  customerId: Id.optional(),
  roleCode: DictCode.optional(),
  lifecycle: z.enum(CONTACT_LIFECYCLES).optional(),
  createdFrom: IsoDate.optional(),
  custom: CustomFilterParam.optional(),
  sort: z.enum(['updatedAt', 'name']).default('updatedAt'),
  order: SortOrder,
}).strict();
export type ContactListQuery = z.infer<typeof ContactListQuery>;

/** The list's filters (the whole list, not a page), plus the export's format, columns and selection. */
export const ContactExportQuery = ContactListQuery.omit({ limit: true, cursor: true }).extend(ExportParams).strict();
export type ContactExportQuery = z.infer<typeof ContactExportQuery>;

export interface ContactDto {
  id: number;
  code: string;
  customerId: number;
  customerName: string;
  name: string;
  title: string | null;
  roleCode: string | null;
  isPrimary: boolean;
  lifecycle: (typeof CONTACT_LIFECYCLES)[number];
  gender: 'male' | 'female' | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
  wechat: string | null;
  birthday: string | null;
  remark: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface ContactLinkDto {
  customerId: number;
  customerName: string;
  title: string | null;
  startedAt: string;
  endedAt: string | null;
}
