import { z } from 'zod';
import { CurrencyCode, Money } from '../money.js';

/** An exchange rate: what one unit of the currency is worth in the company currency, up to 8 decimals, more than zero. */
export const Rate = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,10}(\.\d{1,8})?$/, { error: 'invalid' }))
  .refine((v) => /[1-9]/.test(v), { error: 'invalid' });

export const Day = z.iso.date();

export const CurrencyCreate = z
  .object({
    code: CurrencyCode,
    name: z.string().trim().min(1).max(30),
    enabled: z.boolean().default(true),
    sort: z.number().int().min(0).max(10000).default(0),
  })
  .strict();

export const CurrencyUpdate = z
  .object({
    name: z.string().trim().min(1).max(30).optional(),
    enabled: z.boolean().optional(),
    sort: z.number().int().min(0).max(10000).optional(),
    /** true: make it the company currency (本位币); refused once amounts depend on the current one. */
    isCompany: z.literal(true).optional(),
  })
  .strict();

export const CurrencyParams = z.object({ code: CurrencyCode }).strict();

export interface CurrencyDto {
  code: string;
  name: string;
  isCompany: boolean;
  enabled: boolean;
  sort: number;
}

export const ExchangeRateCreate = z.object({ currency: CurrencyCode, validFrom: Day, rate: Rate }).strict();
export const ExchangeRateParams = z.object({ currency: CurrencyCode, validFrom: Day }).strict();
export const ExchangeRateListQuery = z.object({ currency: CurrencyCode.optional() }).strict();

export interface ExchangeRateDto {
  currency: string;
  validFrom: string;
  rate: string;
  createdAt: string;
}

export const ConvertQuery = z.object({ amount: Money, currency: CurrencyCode, date: Day.optional() }).strict();

export interface ConvertResult {
  amount: string;
  currency: string;
  date: string;
  /** null when the currency is the company currency. */
  rate: string | null;
  companyCurrency: string;
  companyAmount: string;
}
