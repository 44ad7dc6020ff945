import type { z } from 'zod';
import { cents, convert } from '../../../common/money.js';
import type {
  ConvertQuery,
  ConvertResult,
  CurrencyCreate,
  CurrencyDto,
  CurrencyUpdate,
  ExchangeRateCreate,
  ExchangeRateDto,
} from '../../../common/schemas/currencies.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import * as repo from './currencies.repo.js';

/**
 * An amount in the company currency at the rate valid on `day` (YYYY-MM-DD):
 * what reports sum (SAL-11). Records store it beside the amount when written,
 * so a later rate does not change past figures.
 */
export async function toCompanyAmount(q: Queryable, tenantId: number, amount: string, currency: string, day: string, field = 'currency'): Promise<string> {
  if (currency === (await repo.companyCurrency(q, tenantId))) return convert(amount, 1);
  const rate = await repo.rateOn(q, tenantId, currency, day);
  if (rate === null) throw new AppError('EXCHANGE_RATE_MISSING', { currency, day }, [{ path: field, message: 'invalid' }]);
  return convert(amount, rate);
}

const toCurrencyDto = (c: repo.CurrencyRow): CurrencyDto => ({ code: c.code, name: c.name, isCompany: c.is_company, enabled: c.enabled, sort: c.sort });
const toRateDto = (r: repo.RateRow): ExchangeRateDto => ({ currency: r.currency, validFrom: r.valid_from, rate: r.rate, createdAt: r.created_at.toISOString() });

/** Today's date (YYYY-MM-DD) in the company's time zone: the day rates and price books are looked up for. */
export function today(at = new Date(), timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Refuses an unknown or disabled currency for `field`. */
export async function assertCurrency(q: Queryable, tenantId: number, code: string, field = 'currency'): Promise<void> {
  const c = await repo.getCurrency(q, tenantId, code);
  if (!c?.enabled) throw new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);
}

export const listCurrencies = (actor: Actor) => actor.tx(async (q) => (await repo.listCurrencies(q, actor.tenantId)).map(toCurrencyDto));

export function createCurrency(actor: Actor, input: z.output<typeof CurrencyCreate>) {
  return actor.tx(async (q) => {
    if (await repo.getCurrency(q, actor.tenantId, input.code)) throw new AppError('DUPLICATE', { field: 'code' }, [{ path: 'code', message: 'duplicate' }]);
    await repo.insertCurrency(q, actor.tenantId, input);
    await recordChange(q, actor, { entity: 'currency', recordId: null, recordName: input.code, action: 'create', changes: diffChanges(null, input, ['name', 'enabled', 'sort']) });
    return toCurrencyDto((await repo.getCurrency(q, actor.tenantId, input.code))!);
  });
}

/**
 * Renames, enables or disables a currency, or makes it the company currency:
 * refused once exchange rates or products in another currency exist, since
 * their amounts are expressed against the current one.
 */
export function updateCurrency(actor: Actor, code: string, input: z.output<typeof CurrencyUpdate>) {
  return actor.tx(async (q) => {
    const before = await repo.getCurrency(q, actor.tenantId, code);
    if (!before) throw notFound();
    const after = { name: input.name ?? before.name, enabled: input.enabled ?? before.enabled, sort: input.sort ?? before.sort };
    if (before.is_company && !after.enabled) throw new AppError('COMPANY_CURRENCY_DISABLED', {}, [{ path: 'enabled', message: 'invalid' }]);
    const changes = diffChanges({ name: before.name, enabled: before.enabled, sort: before.sort }, after, ['name', 'enabled', 'sort']);
    await repo.updateCurrency(q, actor.tenantId, code, after);
    if (input.isCompany && !before.is_company) {
      const current = await repo.companyCurrency(q, actor.tenantId);
      const used = await repo.companyCurrencyInUse(q, actor.tenantId, current);
      if (used.rates || used.products) throw new AppError('COMPANY_CURRENCY_IN_USE', { currency: current, rates: used.rates, products: used.products }, [{ path: 'isCompany', message: 'invalid' }]);
      await repo.setCompanyCurrency(q, actor.tenantId, code);
      changes.push({ field: 'isCompany', before: false, after: true });
    }
    if (changes.length) await recordChange(q, actor, { entity: 'currency', recordId: null, recordName: code, action: 'update', changes });
    return toCurrencyDto((await repo.getCurrency(q, actor.tenantId, code))!);
  });
}

export const listRates = (actor: Actor, currency?: string) => actor.tx(async (q) => (await repo.listRates(q, actor.tenantId, currency)).map(toRateDto));

export function createRate(actor: Actor, input: z.output<typeof ExchangeRateCreate>) {
  return actor.tx(async (q) => {
    await assertCurrency(q, actor.tenantId, input.currency);
    // the company currency is worth 1 of itself, always
    if (input.currency === (await repo.companyCurrency(q, actor.tenantId))) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'currency', message: 'invalid' }]);
    await repo.insertRate(q, actor.tenantId, { ...input, by: actor.userId }).catch((e) => {
      throw duplicateFrom(e, { exchange_rates_pkey: 'validFrom' }) ?? e;
    });
    await recordChange(q, actor, { entity: 'exchange_rate', recordId: null, recordName: `${input.currency} ${input.validFrom}`, action: 'create', changes: [{ field: 'rate', before: null, after: input.rate }] });
    return toRateDto((await repo.listRates(q, actor.tenantId, input.currency)).find((r) => r.valid_from === input.validFrom)!);
  });
}

export function deleteRate(actor: Actor, currency: string, validFrom: string) {
  return actor.tx(async (q) => {
    const rate = await repo.deleteRate(q, actor.tenantId, currency, validFrom);
    if (rate === null) throw notFound();
    await recordChange(q, actor, { entity: 'exchange_rate', recordId: null, recordName: `${currency} ${validFrom}`, action: 'delete', changes: [{ field: 'rate', before: rate, after: null }] });
  });
}

/** An amount in the company currency at the rate valid on `date` (default today). */
export function convertToCompany(actor: Actor, input: z.output<typeof ConvertQuery>): Promise<ConvertResult> {
  return actor.tx(async (q) => {
    const date = input.date ?? today();
    const company = await repo.companyCurrency(q, actor.tenantId);
    const companyAmount = await toCompanyAmount(q, actor.tenantId, input.amount, input.currency, date);
    const rate = input.currency === company ? null : await repo.rateOn(q, actor.tenantId, input.currency, date);
    return { amount: cents(input.amount), currency: input.currency, date, rate, companyCurrency: company, companyAmount };
  });
}

/** What one unit of `currency` is worth in the company currency on `day` ('1' for the company currency itself). */
export async function companyRate(q: Queryable, tenantId: number, currency: string, day: string, field = 'currency'): Promise<string> {
  if (currency === (await repo.companyCurrency(q, tenantId))) return '1';
  const rate = await repo.rateOn(q, tenantId, currency, day);
  if (rate === null) throw new AppError('EXCHANGE_RATE_MISSING', { currency, day }, [{ path: field, message: 'invalid' }]);
  return rate;
}
