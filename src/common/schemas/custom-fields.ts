import { z } from 'zod';

export const CUSTOM_FIELD_ENTITIES = ['customer', 'contact', 'lead'] as const;
export type CustomFieldEntity = (typeof CUSTOM_FIELD_ENTITIES)[number];
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'money', 'date', 'select', 'multiselect', 'user', 'file'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

const Option = z.object({ value: z.string().trim().min(1).max(40), label: z.string().trim().min(1).max(50) }).strict();

export const CustomFieldCreate = z
  .object({
    entity: z.enum(CUSTOM_FIELD_ENTITIES),
    label: z.string().trim().min(1).max(50),
    type: z.enum(CUSTOM_FIELD_TYPES),
    /** Choices of a select or multiselect field. */
    options: z.array(Option).max(200).default([]),
    required: z.boolean().default(false),
    sort: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

export const CustomFieldUpdate = z
  .object({
    label: z.string().trim().min(1).max(50).optional(),
    options: z.array(Option).max(200).optional(),
    required: z.boolean().optional(),
    enabled: z.boolean().optional(),
    sort: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();

/** Values as a form sends them: key → value (null clears). Checked against the field definitions on the server. */
export const CustomValues = z.record(z.string().regex(/^cf_[a-z0-9_]{1,40}$/), z.unknown());

/**
 * A filter on custom fields, as JSON in the `custom` query parameter; the
 * conditions of all keys must hold:
 * {"cf_x": {"eq": "a"}} for text, choice and user fields (multiselect: contains),
 * {"cf_x": {"contains": "ab"}} for text (ignoring case),
 * {"cf_x": {"in": ["a", "b"]}} for choice and user fields (any of them),
 * {"cf_y": {"gte": 10, "lte": 20}} for numbers, amounts and dates (YYYY-MM-DD).
 */
export const CustomFilterParam = z
  .string()
  .max(2000)
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'invalid' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().regex(/^cf_[a-z0-9_]{1,40}$/),
      z
        .object({
          eq: z.union([z.string().max(200), z.number()]).optional(),
          contains: z.string().trim().min(1).max(200).optional(),
          in: z.array(z.union([z.string().max(200), z.number()])).min(1).max(50).optional(),
          gte: z.union([z.number(), z.string().max(10)]).optional(),
          lte: z.union([z.number(), z.string().max(10)]).optional(),
        })
        .strict(),
    ),
  );
export type CustomFilter = z.output<typeof CustomFilterParam>;

export interface CustomFieldDto {
  id: number;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldType;
  options: { value: string; label: string }[];
  required: boolean;
  enabled: boolean;
  sort: number;
}
