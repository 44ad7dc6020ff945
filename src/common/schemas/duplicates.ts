import { z } from 'zod';
import { Id } from './common.js';

export const DUPLICATE_FIELDS = {
  customer: ['name', 'phone', 'email', 'credit_code'],
  contact: ['mobile', 'email'],
} as const;
export type DuplicateEntity = keyof typeof DUPLICATE_FIELDS;
export type DuplicateField = (typeof DUPLICATE_FIELDS)[DuplicateEntity][number];
export const DUPLICATE_MODES = ['off', 'warn', 'refuse'] as const;
export type DuplicateMode = (typeof DUPLICATE_MODES)[number];

export const DuplicateCheck = z
  .object({
    entity: z.enum(['customer', 'contact']),
    values: z
      .object({
        name: z.string().trim().max(100).optional(),
        phone: z.string().trim().max(40).optional(),
        email: z.string().trim().toLowerCase().max(254).optional(),
        creditCode: z.string().trim().toUpperCase().max(18).optional(),
        mobile: z.string().trim().max(20).optional(),
      })
      .strict(),
    /** The record being edited, which is no duplicate of itself. */
    exceptId: Id.optional(),
  })
  .strict();

export const DuplicateRulesBody = z
  .object({
    rules: z
      .array(z.object({ entity: z.enum(['customer', 'contact']), field: z.enum(['name', 'phone', 'email', 'credit_code', 'mobile']), mode: z.enum(DUPLICATE_MODES) }).strict())
      .max(20),
  })
  .strict();

export interface DuplicateMatchDto {
  field: DuplicateField;
  mode: DuplicateMode;
  id: number;
  name: string;
  ownerName: string | null;
  /** For a contact: its customer. */
  customerName: string | null;
}
