import { z } from 'zod';
import { isCreditCode, isLandline, isPostcode, MOBILE_RE } from '../validators.js';
import { Email, Id, IsoDate, Name, PageQuery, SortOrder } from './common.js';
import { CustomFilterParam, CustomValues } from './custom-fields.js';
import { DictCode } from './dictionaries.js';
import { ExportParams } from './exchange.js';
import { CityCode, DistrictCode, ProvinceCode } from './regions.js';

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

export const CUSTOMER_KINDS = ['enterprise', 'personal', 'dealer', 'supplier'] as const;
export const ADDRESS_TAGS = ['registered', 'office', 'invoice', 'shipping', 'other'] as const;

/** A landline or a mobile number, as people write them. */
export const Phone = z
  .string()
  .trim()
  .max(40)
  .refine((v) => isLandline(v) || MOBILE_RE.test(v.replace(/^\+?86[- ]?/, '').replace(/[ -]/g, '')), { error: 'phone' });

export const CreditCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCreditCode, { error: 'creditCode' });

/** Money as a decimal string with at most two decimals; never a float on the server. */
export const Money = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,16}(\.\d{1,2})?$/, { error: 'money' }));

export const Tags = z.array(z.string().trim().min(1).max(20)).max(20).transform((t) => [...new Set(t)]);

const RegionFields = {
  provinceCode: optional(ProvinceCode),
  cityCode: optional(CityCode),
  districtCode: optional(DistrictCode),
};

export const AddressInput = z
  .object({
    tag: z.enum(ADDRESS_TAGS),
    ...RegionFields,
    detail: optional(z.string().trim().max(200)),
    postcode: optional(z.string().trim().refine(isPostcode, { error: 'postcode' })),
    isDefault: z.boolean().default(false),
  })
  .strict();

const customerFields = {
  /** Empty: numbered by the company's pattern. */
  code: optional(z.string().trim().min(1).max(40)),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  industryCode: optional(DictCode),
  sourceCode: optional(DictCode),
  levelCode: optional(DictCode),
  statusCode: DictCode.optional(),
  employeeCount: optional(z.number().int().min(0).max(10_000_000)),
  annualRevenue: optional(Money),
  ...RegionFields,
  phone: optional(Phone),
  email: optional(Email),
  website: optional(z.string().trim().max(200)),
  creditCode: optional(CreditCode),
  remark: optional(z.string().max(2000)),
  tags: Tags.optional(),
  addresses: z.array(AddressInput).max(10).optional(),
  /** Custom field values by key (null clears one). */
  custom: CustomValues.optional(),
};

export const CustomerCreate = z
  .object({
    name: Name(100),
    /** Another owner than oneself needs customer.transfer. */
    ownerId: Id.optional(),
    ...customerFields,
  })
  .strict();

export const CustomerUpdate = z.object({ name: Name(100).optional(), ...customerFields }).strict();
export type CustomerUpdate = z.output<typeof CustomerUpdate>;

/** Records one bulk action may take at once (the list's selection bar says so before asking). */
export const BULK_MAX = 500;
const BulkIds = z.array(Id).min(1).max(BULK_MAX);
/** The tag added to a selection. */
export const BulkTag = z.object({ tag: z.string().trim().min(1).max(20) }).strict();
/** One action on a selection of customers; all or nothing. */
export const CustomerBulkAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('transfer'), ids: BulkIds, ownerId: Id, keepAsTeamMember: z.boolean().default(false) }).strict(),
  z.object({ action: z.literal('delete'), ids: BulkIds }).strict(),
  z.object({ action: z.literal('lock'), ids: BulkIds }).strict(),
  z.object({ action: z.literal('unlock'), ids: BulkIds }).strict(),
  BulkTag.extend({ action: z.literal('tag'), ids: BulkIds }),
]);

export const CustomerTransfer = z.object({ ownerId: Id, keepAsTeamMember: z.boolean().default(false) }).strict();

export const CUSTOMER_LIST_VIEWS = ['scope', 'mine', 'shared_with_me', 'shared_by_me'] as const;
export const CUSTOMER_SORTS = ['updatedAt', 'createdAt', 'name'] as const;

export const CustomerListQuery = PageQuery.extend({
  q: z.string().trim().min(1).max(100).optional(),
  ownerId: Id.optional(),
  departmentId: Id.optional(),
  createdFrom: IsoDate.optional(),
  createdTo: IsoDate.optional(),
  updatedFrom: IsoDate.optional(),
  updatedTo: IsoDate.optional(),
  lastFollowupFrom: IsoDate.optional(),
  lastFollowupTo: IsoDate.optional(),
  nextFollowupFrom: IsoDate.optional(),
  nextFollowupTo: IsoDate.optional(),
  /** Only records I own (mine), shared with me, mine that I shared with others, or everything in my scope (default). */
  view: z.enum(CUSTOMER_LIST_VIEWS).default('scope'),
  kind: z.enum(CUSTOMER_KINDS).optional(),
  /** An industry includes its sub-industries. */
  industryCode: DictCode.optional(),
  sourceCode: DictCode.optional(),
  levelCode: DictCode.optional(),
  statusCode: DictCode.optional(),
  provinceCode: ProvinceCode.optional(),
  cityCode: CityCode.optional(),
  tag: z.string().trim().min(1).max(20).optional(),
  locked: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  custom: CustomFilterParam.optional(),
  sort: z.enum(CUSTOMER_SORTS).default('updatedAt'),
  order: SortOrder,
}).strict();
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

/** The list's filters (the whole list, not a page), plus the export's format, columns and selection. */
export const CustomerExportQuery = CustomerListQuery.omit({ limit: true, cursor: true }).extend(ExportParams).strict();
export type CustomerExportQuery = z.infer<typeof CustomerExportQuery>;

export const RecordAccessBody = z
  .object({ userId: Id, access: z.enum(['read', 'write']), kind: z.enum(['team', 'share']).default('team') })
  .strict();

export interface AddressDto {
  id: number;
  tag: (typeof ADDRESS_TAGS)[number];
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  /** '广东省 / 深圳市 / 南山区' */
  regionName: string | null;
  detail: string | null;
  postcode: string | null;
  isDefault: boolean;
}

export interface CustomerDto {
  id: number;
  code: string;
  name: string;
  kind: (typeof CUSTOMER_KINDS)[number];
  industryCode: string | null;
  sourceCode: string | null;
  levelCode: string | null;
  statusCode: string;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  regionName: string | null;
  phone: string | null;
  tags: string[];
  locked: boolean;
  lastFollowupAt: string | null;
  nextFollowupAt: string | null;
  custom: Record<string, unknown>;
  ownerId: number | null;
  ownerName: string | null;
  departmentId: number | null;
  departmentName: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerDetailDto extends CustomerDto {
  employeeCount: number | null;
  annualRevenue: string | null;
  email: string | null;
  website: string | null;
  creditCode: string | null;
  remark: string | null;
  points: number;
  /** Quintiles (5 = best) and their sum, from the nightly run; null before the first run. */
  rfm: { r: number; f: number; m: number; score: number; at: string } | null;
  addresses: AddressDto[];
  allowed: { edit: boolean; delete: boolean; transfer: boolean; share: boolean; lock: boolean; addContact: boolean; returnToPool: boolean; merge: boolean; protect: boolean };
  /** While set and in the future, the pool rules leave the customer alone (客户保护). */
  protectedUntil: string | null;
}
