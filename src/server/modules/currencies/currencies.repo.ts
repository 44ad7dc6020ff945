import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';

/** The company currency (本位币) of the tenant. */
export async function companyCurrency(q: Queryable, tenantId: number): Promise<string> {
  const row = await q.one<{ code: string }>(sql`SELECT code FROM currencies WHERE tenant_id = ${tenantId} AND is_company`);
  return row?.code ?? 'CNY';
}

/** The rate of `currency` on `day` (the latest valid_from on or before it), or null when none is recorded. */
export async function rateOn(q: Queryable, tenantId: number, currency: string, day: string): Promise<string | null> {
  const row = await q.one<{ rate: string }>(sql`
    SELECT rate::text AS rate FROM exchange_rates
    WHERE tenant_id = ${tenantId} AND currency = ${currency} AND valid_from <= ${day}::date
    ORDER BY valid_from DESC LIMIT 1`);
  return row?.rate ?? null;
}

export interface CurrencyRow {
  code: string;
  name: string;
  is_company: boolean;
  enabled: boolean;
  sort: number;
}

export function listCurrencies(q: Queryable, tenantId: number): Promise<CurrencyRow[]> {
  return q.query<CurrencyRow>(sql`SELECT code, name, is_company, enabled, sort FROM currencies WHERE tenant_id = ${tenantId} ORDER BY sort, code`);
}

export function getCurrency(q: Queryable, tenantId: number, code: string): Promise<CurrencyRow | undefined> {
  return q.one<CurrencyRow>(sql`SELECT code, name, is_company, enabled, sort FROM currencies WHERE tenant_id = ${tenantId} AND code = ${code}`);
}

export async function insertCurrency(q: Queryable, tenantId: number, c: { code: string; name: string; enabled: boolean; sort: number }): Promise<void> {
  await q.query(sql`INSERT INTO currencies (tenant_id, code, name, enabled, sort) VALUES (${tenantId}, ${c.code}, ${c.name}, ${c.enabled}, ${c.sort})`);
}

export async function updateCurrency(q: Queryable, tenantId: number, code: string, c: { name: string; enabled: boolean; sort: number }): Promise<void> {
  await q.query(sql`UPDATE currencies SET name = ${c.name}, enabled = ${c.enabled}, sort = ${c.sort} WHERE tenant_id = ${tenantId} AND code = ${code}`);
}

/** Makes `code` the company currency (the unique index allows one at a time, so the old one goes first). */
export async function setCompanyCurrency(q: Queryable, tenantId: number, code: string): Promise<void> {
  await q.query(sql`UPDATE currencies SET is_company = false WHERE tenant_id = ${tenantId} AND is_company`);
  await q.query(sql`UPDATE currencies SET is_company = true, enabled = true WHERE tenant_id = ${tenantId} AND code = ${code}`);
}

/** What holds amounts that depend on the company currency: any exchange rate, any product priced in another currency. */
export async function companyCurrencyInUse(q: Queryable, tenantId: number, company: string): Promise<{ rates: number; products: number }> {
  return (await q.one<{ rates: number; products: number }>(sql`SELECT
      (SELECT count(*) FROM exchange_rates WHERE tenant_id = ${tenantId})::int AS rates,
      (SELECT count(*) FROM products WHERE tenant_id = ${tenantId} AND deleted_at IS NULL AND currency <> ${company})::int AS products`))!;
}

export interface RateRow {
  currency: string;
  valid_from: string;
  rate: string;
  created_at: Date;
}

export function listRates(q: Queryable, tenantId: number, currency?: string): Promise<RateRow[]> {
  return q.query<RateRow>(sql`SELECT currency, valid_from::text AS valid_from, rate::text AS rate, created_at FROM exchange_rates
    WHERE tenant_id = ${tenantId} ${currency ? sql`AND currency = ${currency}` : sql.empty} ORDER BY currency, valid_from DESC`);
}

export async function insertRate(q: Queryable, tenantId: number, r: { currency: string; validFrom: string; rate: string; by: number }): Promise<void> {
  await q.query(sql`INSERT INTO exchange_rates (tenant_id, currency, valid_from, rate, created_by)
    VALUES (${tenantId}, ${r.currency}, ${r.validFrom}::date, ${r.rate}::numeric, ${r.by})`);
}

export async function deleteRate(q: Queryable, tenantId: number, currency: string, validFrom: string): Promise<string | null> {
  const row = await q.one<{ rate: string }>(sql`DELETE FROM exchange_rates WHERE tenant_id = ${tenantId} AND currency = ${currency} AND valid_from = ${validFrom}::date
    RETURNING rate::text AS rate`);
  return row?.rate ?? null;
}
