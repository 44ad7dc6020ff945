import type { z } from 'zod';
import { convert, crossRate } from '../../../common/money.js';
import type { DiscountRuleDto, DiscountRuleInput, PriceBookDto, PriceBookInput, PriceQuery, PriceQuote, RoleLimitsBody } from '../../../common/schemas/products.js';
import type { Queryable } from '../../db/database.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import { assertCurrency, companyRate, today } from '../currencies/currencies.service.js';
import { visibleCustomer } from '../customers/customers.service.js';
import { assertCodes } from '../dictionaries/dictionaries.service.js';
import { bestRule, discounted, discountPercent, maxDiscount } from './pricing.js';
import * as repo from './pricing.repo.js';
import * as products from './products.repo.js';
import { visibleProduct } from './products.service.js';

// ---------------------------------------------------------------- price books

async function toBookDtos(q: Queryable, tenantId: number, books: repo.PriceBookRow[], productId?: number): Promise<PriceBookDto[]> {
  const items = await repo.bookItems(q, tenantId, books.map((b) => b.id), productId);
  return books.map((b) => ({
    id: b.id,
    name: b.name,
    levelCode: b.level_code,
    currency: b.currency,
    validFrom: b.valid_from,
    validTo: b.valid_to,
    enabled: b.enabled,
    items: items.filter((i) => i.price_book_id === b.id).map((i) => ({ productId: i.product_id, productCode: i.product_code, productName: i.product_name, price: i.price })),
  }));
}

/** The price books; with a product, those that list it (with only its item). */
export const listPriceBooks = (actor: Actor, productId?: number) =>
  actor.tx(async (q) => toBookDtos(q, actor.tenantId, await repo.listPriceBooks(q, actor.tenantId, productId), productId));

async function checkBook(q: Queryable, tenantId: number, input: z.output<typeof PriceBookInput>) {
  await assertCodes(q, tenantId, [{ path: 'levelCode', kind: 'customer_level', code: input.levelCode }]);
  await assertCurrency(q, tenantId, input.currency);
  const ids = input.items.map((i) => i.productId);
  if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_FAILED', {}, [{ path: 'items', message: 'duplicate' }]);
  for (const [n, item] of input.items.entries()) {
    if (!(await products.getProduct(q, tenantId, item.productId))) throw new AppError('INVALID_REFERENCE', { field: 'productId' }, [{ path: `items.${n}.productId`, message: 'invalid' }]);
  }
}

const BOOK_FIELDS = ['name', 'levelCode', 'currency', 'validFrom', 'validTo', 'enabled', 'items'] as const;

/** Creates (id null) or replaces a price book with its items. */
export function savePriceBook(actor: Actor, id: number | null, input: z.output<typeof PriceBookInput>) {
  return actor.tx(async (q) => {
    const existing = id === null ? null : await repo.getPriceBook(q, actor.tenantId, id);
    if (id !== null && !existing) throw notFound();
    await checkBook(q, actor.tenantId, input);
    const before = existing ? (await toBookDtos(q, actor.tenantId, [existing]))[0]! : null;
    let bookId: number;
    try {
      if (id === null) bookId = await repo.insertPriceBook(q, actor.tenantId, input);
      else await repo.updatePriceBook(q, actor.tenantId, (bookId = id), input);
    } catch (e) {
      throw duplicateFrom(e, { price_books_name: 'name' }) ?? e;
    }
    await repo.replaceBookItems(q, actor.tenantId, bookId, input.items);
    const after = (await toBookDtos(q, actor.tenantId, [(await repo.getPriceBook(q, actor.tenantId, bookId))!]))[0]!;
    const logged = (b: PriceBookDto | null) => b && { ...b, items: b.items.map((i) => ({ productId: i.productId, price: i.price })) };
    await recordChange(q, actor, { entity: 'price_book', recordId: bookId, recordName: input.name, action: id === null ? 'create' : 'update', changes: diffChanges(logged(before), logged(after), [...BOOK_FIELDS]) });
    return after;
  });
}

export function deletePriceBook(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const b = await repo.getPriceBook(q, actor.tenantId, id);
    if (!b || !(await repo.deletePriceBook(q, actor.tenantId, id))) throw notFound();
    await recordChange(q, actor, { entity: 'price_book', recordId: id, recordName: b.name, action: 'delete' });
  });
}

// ---------------------------------------------------------------- discount rules

export const listRules = (actor: Actor): Promise<DiscountRuleDto[]> => actor.tx((q) => repo.listRules(q, actor.tenantId));

async function checkRule(q: Queryable, tenantId: number, input: DiscountRuleInput) {
  await assertCodes(q, tenantId, [{ path: 'levelCode', kind: 'customer_level', code: input.levelCode }]);
  if (input.productId && !(await products.getProduct(q, tenantId, input.productId))) throw new AppError('INVALID_REFERENCE', { field: 'productId' }, [{ path: 'productId', message: 'invalid' }]);
  if (input.categoryId && !(await products.getCategory(q, tenantId, input.categoryId))) throw new AppError('INVALID_REFERENCE', { field: 'categoryId' }, [{ path: 'categoryId', message: 'invalid' }]);
}

/** A rule keeps only the fields of its kind. */
const normalise = (r: DiscountRuleInput): DiscountRuleInput => ({ ...r, minQuantity: r.kind === 'quantity' ? r.minQuantity : null, levelCode: r.kind === 'customer_level' ? r.levelCode : null });

const RULE_FIELDS = ['name', 'kind', 'minQuantity', 'levelCode', 'productId', 'categoryId', 'percent', 'enabled'] as const;

/** Creates (id null) or replaces a discount rule. */
export function saveRule(actor: Actor, id: number | null, raw: DiscountRuleInput) {
  return actor.tx(async (q) => {
    const input = normalise(raw);
    const before = id === null ? null : (await repo.listRules(q, actor.tenantId)).find((r) => r.id === id);
    if (before === undefined) throw notFound();
    await checkRule(q, actor.tenantId, input);
    const ruleId = id ?? (await repo.insertRule(q, actor.tenantId, input));
    if (id !== null) await repo.updateRule(q, actor.tenantId, id, input);
    const after = (await repo.listRules(q, actor.tenantId)).find((r) => r.id === ruleId)!;
    await recordChange(q, actor, { entity: 'discount_rule', recordId: ruleId, recordName: input.name, action: id === null ? 'create' : 'update', changes: diffChanges(before, after, [...RULE_FIELDS]) });
    return after;
  });
}

export function deleteRule(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const r = (await repo.listRules(q, actor.tenantId)).find((x) => x.id === id);
    if (!r) throw notFound();
    await repo.deleteRule(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: 'discount_rule', recordId: id, recordName: r.name, action: 'delete' });
  });
}

// ---------------------------------------------------------------- role limits

export const listRoleLimits = (actor: Actor) =>
  actor.tx(async (q) =>
    (await repo.roleLimits(q, actor.tenantId)).map((r) => ({ roleId: r.role_id, roleName: r.role_name, roleCode: r.role_code, maxPercent: r.max_percent })),
  );

export function setRoleLimits(actor: Actor, input: z.output<typeof RoleLimitsBody>) {
  return actor
    .tx(async (q) => {
      const roles = new Set((await repo.roleLimits(q, actor.tenantId)).map((r) => r.role_id));
      for (const [n, l] of input.limits.entries()) {
        if (!roles.has(l.roleId)) throw new AppError('INVALID_REFERENCE', { field: 'roleIds' }, [{ path: `limits.${n}.roleId`, message: 'invalid' }]);
      }
      const before = (await repo.roleLimits(q, actor.tenantId)).filter((r) => r.max_percent !== null).map((r) => ({ roleId: r.role_id, maxPercent: r.max_percent }));
      await repo.replaceRoleLimits(q, actor.tenantId, input.limits);
      await recordChange(q, actor, { entity: 'discount_limits', recordId: null, action: 'update', changes: [{ field: 'limits', before, after: input.limits }] });
    })
    .then(() => listRoleLimits(actor));
}

/**
 * The largest line discount (percent, '20.00') the actor may give: the highest
 * limit among their roles, 0 without one; administrators are not limited.
 * Quotes check a line's discount against it.
 */
export async function maxDiscountFor(q: Queryable, actor: Actor): Promise<string> {
  const { limits, admin } = await repo.userLimits(q, actor.tenantId, actor.userId);
  return maxDiscount(limits, admin || actor.isSuperAdmin);
}

// ---------------------------------------------------------------- quoting

export interface QuoteInput {
  productId: number;
  quantity: string;
  /** The customer whose level the price books and level rules use (must be visible to the actor)… */
  customerId?: number;
  /** …or the level directly. */
  customerLevel?: string;
  /** Default: the product's currency. */
  currency?: string;
}

/**
 * The unit price of a product for a line (SAL-4): the list price (converted at
 * today's rates when quoted in another currency), replaced by the best price
 * book for the customer's level and currency, less the best discount rule.
 */
export async function quotePrice(q: Queryable, actor: Actor, input: QuoteInput): Promise<PriceQuote> {
  const p = await visibleProduct(q, actor, input.productId);
  const currency = input.currency ?? p.currency;
  if (input.currency) await assertCurrency(q, actor.tenantId, currency);
  const levelCode = input.customerLevel ?? (input.customerId ? (await visibleCustomer(q, actor, input.customerId)).level_code : null);
  const day = today();
  const listPrice =
    currency === p.currency
      ? p.price
      : convert(p.price, crossRate(await companyRate(q, actor.tenantId, p.currency, day), await companyRate(q, actor.tenantId, currency, day)));
  const book = await repo.bookPrice(q, actor.tenantId, p.id, currency, levelCode, day);
  const categoryPath = p.category_id ? await products.ancestorIds(q, actor.tenantId, p.category_id) : [];
  const rule = bestRule(await repo.listRules(q, actor.tenantId), { productId: p.id, categoryPath, quantity: input.quantity, levelCode });
  const base = book?.price ?? listPrice;
  const price = rule ? discounted(base, rule.percent) : base;
  return {
    currency,
    listPrice,
    price,
    discount: discountPercent(listPrice, price),
    source: rule ? 'rule' : book ? 'price_book' : 'list',
    priceBookId: book?.price_book_id ?? null,
    ruleId: rule?.id ?? null,
    maxDiscountForActor: await maxDiscountFor(q, actor),
  };
}

export const quote = (actor: Actor, productId: number, query: z.output<typeof PriceQuery>) => actor.tx((q) => quotePrice(q, actor, { productId, ...query }));
