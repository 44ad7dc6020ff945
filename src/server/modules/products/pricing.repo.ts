import type { DiscountRuleInput } from '../../../common/schemas/products.js';
import type { Queryable } from '../../db/database.js';
import { sql } from '../../db/sql.js';
import type { DiscountRule } from './pricing.js';

// ---------------------------------------------------------------- price books

export interface PriceBookRow {
  id: number;
  name: string;
  level_code: string | null;
  currency: string;
  valid_from: string | null;
  valid_to: string | null;
  enabled: boolean;
}

const BOOK_COLUMNS = sql`b.id, b.name, b.level_code, b.currency, b.valid_from::text AS valid_from, b.valid_to::text AS valid_to, b.enabled`;

export function listPriceBooks(q: Queryable, tenantId: number, productId?: number): Promise<PriceBookRow[]> {
  return q.query<PriceBookRow>(sql`SELECT ${BOOK_COLUMNS} FROM price_books b WHERE b.tenant_id = ${tenantId}
    ${productId ? sql`AND EXISTS (SELECT 1 FROM price_book_items i WHERE i.tenant_id = b.tenant_id AND i.price_book_id = b.id AND i.product_id = ${productId})` : sql.empty}
    ORDER BY b.name, b.id`);
}

export function getPriceBook(q: Queryable, tenantId: number, id: number): Promise<PriceBookRow | undefined> {
  return q.one<PriceBookRow>(sql`SELECT ${BOOK_COLUMNS} FROM price_books b WHERE b.tenant_id = ${tenantId} AND b.id = ${id}`);
}

export interface BookItemRow {
  price_book_id: number;
  product_id: number;
  product_code: string;
  product_name: string;
  price: string;
}

export function bookItems(q: Queryable, tenantId: number, bookIds: number[], productId?: number): Promise<BookItemRow[]> {
  return q.query<BookItemRow>(sql`SELECT i.price_book_id, i.product_id, p.code AS product_code, p.name AS product_name, i.price::text AS price
    FROM price_book_items i JOIN products p ON p.tenant_id = i.tenant_id AND p.id = i.product_id
    WHERE i.tenant_id = ${tenantId} AND i.price_book_id = ANY(${bookIds}::bigint[]) AND p.deleted_at IS NULL
      ${productId ? sql`AND i.product_id = ${productId}` : sql.empty}
    ORDER BY p.code`);
}

type BookValues = { name: string; levelCode: string | null; currency: string; validFrom: string | null; validTo: string | null; enabled: boolean };

export async function insertPriceBook(q: Queryable, tenantId: number, b: BookValues): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO price_books (tenant_id, name, level_code, currency, valid_from, valid_to, enabled)
    VALUES (${tenantId}, ${b.name}, ${b.levelCode}, ${b.currency}, ${b.validFrom}::date, ${b.validTo}::date, ${b.enabled}) RETURNING id`))!.id;
}

export async function updatePriceBook(q: Queryable, tenantId: number, id: number, b: BookValues): Promise<void> {
  await q.query(sql`UPDATE price_books SET name = ${b.name}, level_code = ${b.levelCode}, currency = ${b.currency}, valid_from = ${b.validFrom}::date,
    valid_to = ${b.validTo}::date, enabled = ${b.enabled}, updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

export async function replaceBookItems(q: Queryable, tenantId: number, bookId: number, items: { productId: number; price: string }[]): Promise<void> {
  await q.query(sql`DELETE FROM price_book_items WHERE tenant_id = ${tenantId} AND price_book_id = ${bookId}`);
  if (!items.length) return;
  await q.query(sql`INSERT INTO price_book_items (tenant_id, price_book_id, product_id, price)
    SELECT ${tenantId}, ${bookId}, i.product_id, i.price FROM unnest(${items.map((i) => i.productId)}::bigint[], ${items.map((i) => i.price)}::numeric[]) AS i(product_id, price)`);
}

export async function deletePriceBook(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return (await q.query(sql`DELETE FROM price_books WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`)).length > 0;
}

/**
 * The price the books give a product on `day` in `currency` for a customer level:
 * a book for the level wins over a book for everyone; then the lowest price.
 */
export function bookPrice(q: Queryable, tenantId: number, productId: number, currency: string, levelCode: string | null, day: string) {
  return q.one<{ price_book_id: number; price: string }>(sql`SELECT b.id AS price_book_id, i.price::text AS price
    FROM price_books b JOIN price_book_items i ON i.tenant_id = b.tenant_id AND i.price_book_id = b.id
    WHERE b.tenant_id = ${tenantId} AND i.product_id = ${productId} AND b.enabled AND b.currency = ${currency}
      AND (b.level_code IS NULL OR b.level_code = ${levelCode}::text)
      AND (b.valid_from IS NULL OR b.valid_from <= ${day}::date) AND (b.valid_to IS NULL OR b.valid_to >= ${day}::date)
    ORDER BY (b.level_code IS NOT NULL) DESC, i.price, b.id LIMIT 1`);
}

// ---------------------------------------------------------------- discount rules

export interface RuleRow {
  id: number;
  name: string;
  kind: 'quantity' | 'customer_level';
  min_quantity: string | null;
  level_code: string | null;
  product_id: number | null;
  category_id: number | null;
  percent: string;
  enabled: boolean;
}

export const toRule = (r: RuleRow): DiscountRule & { name: string } => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  minQuantity: r.min_quantity,
  levelCode: r.level_code,
  productId: r.product_id,
  categoryId: r.category_id,
  percent: r.percent,
  enabled: r.enabled,
});

export async function listRules(q: Queryable, tenantId: number) {
  const rows = await q.query<RuleRow>(sql`SELECT id, name, kind, min_quantity::text AS min_quantity, level_code, product_id, category_id,
      percent::text AS percent, enabled FROM discount_rules WHERE tenant_id = ${tenantId} ORDER BY kind, id`);
  return rows.map(toRule);
}

const ruleValues = (r: DiscountRuleInput) =>
  sql`${r.name}, ${r.kind}, ${r.minQuantity}::numeric, ${r.levelCode}, ${r.productId}::bigint, ${r.categoryId}::bigint, ${r.percent}::numeric, ${r.enabled}`;

export async function insertRule(q: Queryable, tenantId: number, r: DiscountRuleInput): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO discount_rules (tenant_id, name, kind, min_quantity, level_code, product_id, category_id, percent, enabled)
    VALUES (${tenantId}, ${ruleValues(r)}) RETURNING id`))!.id;
}

export async function updateRule(q: Queryable, tenantId: number, id: number, r: DiscountRuleInput): Promise<boolean> {
  return (await q.query(sql`UPDATE discount_rules SET (name, kind, min_quantity, level_code, product_id, category_id, percent, enabled) = (${ruleValues(r)}),
    updated_at = now() WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`)).length > 0;
}

export async function deleteRule(q: Queryable, tenantId: number, id: number): Promise<boolean> {
  return (await q.query(sql`DELETE FROM discount_rules WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING id`)).length > 0;
}

// ---------------------------------------------------------------- role limits

export function roleLimits(q: Queryable, tenantId: number) {
  return q.query<{ role_id: number; role_name: string; role_code: string | null; max_percent: string | null }>(sql`
    SELECT r.id AS role_id, r.name AS role_name, r.code AS role_code, l.max_percent::text AS max_percent
    FROM roles r LEFT JOIN role_discount_limits l ON l.tenant_id = r.tenant_id AND l.role_id = r.id
    WHERE r.tenant_id = ${tenantId} ORDER BY r.id`);
}

export async function replaceRoleLimits(q: Queryable, tenantId: number, limits: { roleId: number; maxPercent: string }[]): Promise<void> {
  await q.query(sql`DELETE FROM role_discount_limits WHERE tenant_id = ${tenantId}`);
  if (!limits.length) return;
  await q.query(sql`INSERT INTO role_discount_limits (tenant_id, role_id, max_percent)
    SELECT ${tenantId}, l.role_id, l.max_percent FROM unnest(${limits.map((l) => l.roleId)}::bigint[], ${limits.map((l) => l.maxPercent)}::numeric[]) AS l(role_id, max_percent)`);
}

/** The limits of a user's roles, and whether one of them is the administrator role. */
export async function userLimits(q: Queryable, tenantId: number, userId: number): Promise<{ limits: string[]; admin: boolean }> {
  const rows = await q.query<{ max_percent: string | null; code: string | null }>(sql`SELECT l.max_percent::text AS max_percent, r.code
    FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
    LEFT JOIN role_discount_limits l ON l.tenant_id = ur.tenant_id AND l.role_id = ur.role_id
    WHERE ur.tenant_id = ${tenantId} AND ur.user_id = ${userId}`);
  return { limits: rows.flatMap((r) => (r.max_percent === null ? [] : [r.max_percent])), admin: rows.some((r) => r.code === 'admin') };
}
