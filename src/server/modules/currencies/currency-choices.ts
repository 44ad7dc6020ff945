import type { Queryable } from '../../db/database.js';
import { ChoiceLookup, type ImportField } from '../../platform/exchange/import.js';
import { choiceInto } from '../../platform/exchange/import-fields.js';
import { listCurrencies } from './currencies.repo.js';

/**
 * A currency column of an import (products, opportunities): one of the
 * company's enabled currencies, by code ('USD') or name ('美元'); empty: the
 * company currency, as in the forms.
 */
export async function currencyImportField<Row>(q: Queryable, tenantId: number, label: string, set: (row: Row, code: string) => void): Promise<ImportField<Row>> {
  const enabled = (await listCurrencies(q, tenantId)).filter((c) => c.enabled);
  const currencies = new ChoiceLookup(enabled.map((c) => c.code));
  for (const c of enabled) currencies.add(c.code, c.code, c.name);
  return { key: 'currency', label, aliases: ['币种', 'Currency', '货币', 'currency'], options: currencies.labels, hint: 'CNY / USD / 美元', apply: choiceInto(currencies, set) };
}
