import { z } from 'zod';

export const DICTIONARY_KINDS = ['industry', 'customer_source', 'customer_level', 'customer_status', 'followup_type', 'contact_role'] as const;
export type DictionaryKind = (typeof DICTIONARY_KINDS)[number];

/** What records store: a stable code; the label may be renamed. */
export const DictCode = z.string().trim().regex(/^[a-z0-9_]{1,40}$/, { error: 'dictCode' });

export const DictionaryKindParams = z.object({ kind: z.enum(DICTIONARY_KINDS) }).strict();
export const DictionaryItemParams = z.object({ kind: z.enum(DICTIONARY_KINDS), code: DictCode }).strict();

export const DictionaryItemCreate = z
  .object({
    code: DictCode,
    label: z.string().trim().min(1).max(50),
    /** Industries only: the parent industry's code. */
    parentCode: DictCode.nullable().optional(),
    sort: z.number().int().min(0).max(100_000).optional(),
    /** Customer statuses only: the statuses a customer may move to; null = any. */
    nextCodes: z.array(DictCode).max(50).nullable().optional(),
  })
  .strict();

export const DictionaryItemUpdate = z
  .object({
    label: z.string().trim().min(1).max(50).optional(),
    sort: z.number().int().min(0).max(100_000).optional(),
    enabled: z.boolean().optional(),
    nextCodes: z.array(DictCode).max(50).nullable().optional(),
  })
  .strict();

export interface DictionaryItemDto {
  code: string;
  label: string;
  parentCode: string | null;
  sort: number;
  enabled: boolean;
  nextCodes: string[] | null;
}
