/**
 * The customer column of imports whose records belong to a customer (contacts,
 * opportunities): a customer named by name, number or 统一社会信用代码 — never
 * by internal id — among the customers the importing user can see.
 */
import type { Locale } from '../../../common/schemas/common.js';
import type { Queryable } from '../../db/database.js';
import { resolveScope } from '../../platform/access/scope.js';
import type { Actor } from '../../platform/auth/actor.js';
import { type ImportField, problemText } from '../../platform/exchange/import.js';
import { textInto } from '../../platform/exchange/import-fields.js';
import { customersByText } from './customers.repo.js';

/** A row naming its customer: the text as the file has it, and the customer it resolves to. */
export interface NamesCustomer {
  customer: string;
  customerId?: number;
}

export async function customerReference<Row extends NamesCustomer>(q: Queryable, actor: Actor, locale: Locale) {
  const zh = locale === 'zh-CN';
  const label = zh ? '所属客户' : 'Customer';
  const scope = await resolveScope(q, actor, 'customer');
  const field: ImportField<Row> = {
    key: 'customer',
    label,
    aliases: ['客户', '客户名称', '公司', '公司名称', 'company', 'customer'],
    required: true,
    hint: zh ? '客户名称、编号或统一社会信用代码' : 'customer name, number or credit code',
    apply: textInto(100, (row, t) => (row.customer = t)),
  };
  /** Finds the rows' customers for the whole batch; per row why it has none. */
  async function resolve(q: Queryable, rows: Row[]): Promise<(string | undefined)[]> {
    const found = await customersByText(q, scope, rows.map((r) => r.customer));
    return rows.map((row) => {
      const id = found.get(row.customer);
      if (typeof id === 'number') {
        row.customerId = id;
        return undefined;
      }
      return problemText(locale, label, id === 'ambiguous' ? 'ambiguous' : 'not_found');
    });
  }
  return { field, resolve };
}
