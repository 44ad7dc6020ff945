import type { ProductListQuery } from '../../../common/schemas/products.js';
import { columnMap, type ColumnValues } from '../../db/columns.js';
import type { Queryable } from '../../db/database.js';
import { keysetAfter, keysetOrder, keysetSelect, type Keyset } from '../../db/keyset.js';
import { containsPattern, sql, type Sql } from '../../db/sql.js';

// ---------------------------------------------------------------- categories

export interface CategoryRow {
  id: number;
  parent_id: number | null;
  name: string;
  sort: number;
  product_count: number;
}

export function listCategories(q: Queryable, tenantId: number): Promise<CategoryRow[]> {
  return q.query<CategoryRow>(sql`SELECT c.id, c.parent_id, c.name, c.sort,
      (SELECT count(*) FROM products p WHERE p.tenant_id = c.tenant_id AND p.category_id = c.id AND p.deleted_at IS NULL)::int AS product_count
    FROM product_categories c WHERE c.tenant_id = ${tenantId} ORDER BY c.sort, c.name, c.id`);
}

export function getCategory(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<CategoryRow | undefined> {
  return q.one<CategoryRow>(sql`SELECT id, parent_id, name, sort, 0 AS product_count FROM product_categories
    WHERE tenant_id = ${tenantId} AND id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql.empty}`);
}

/** The category and all its descendants, as a subquery of ids. */
export function subtreeSql(tenantId: number, rootId: number): Sql {
  return sql`(WITH RECURSIVE tree(id) AS (
      SELECT id FROM product_categories WHERE tenant_id = ${tenantId} AND id = ${rootId}
      UNION ALL SELECT c.id FROM product_categories c JOIN tree ON c.parent_id = tree.id WHERE c.tenant_id = ${tenantId}
    ) SELECT id FROM tree)`;
}

/** The category and its ancestors, nearest first. */
export async function ancestorIds(q: Queryable, tenantId: number, id: number): Promise<number[]> {
  const rows = await q.query<{ id: number }>(sql`WITH RECURSIVE up(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM product_categories WHERE tenant_id = ${tenantId} AND id = ${id}
      UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM product_categories c JOIN up ON c.id = up.parent_id WHERE c.tenant_id = ${tenantId}
    ) SELECT id FROM up ORDER BY depth`);
  return rows.map((r) => r.id);
}

export async function insertCategory(q: Queryable, tenantId: number, c: { name: string; parentId: number | null; sort: number }): Promise<number> {
  return (await q.one<{ id: number }>(sql`INSERT INTO product_categories (tenant_id, parent_id, name, sort)
    VALUES (${tenantId}, ${c.parentId}, ${c.name}, ${c.sort}) RETURNING id`))!.id;
}

export async function updateCategory(q: Queryable, tenantId: number, id: number, c: { name: string; parentId: number | null; sort: number }): Promise<void> {
  await q.query(sql`UPDATE product_categories SET name = ${c.name}, parent_id = ${c.parentId}, sort = ${c.sort} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** What keeps a category from being deleted: sub-categories, products (deleted ones still point at it), rules. */
export async function categoryDependents(q: Queryable, tenantId: number, id: number) {
  return (await q.one<{ children: number; products: number }>(sql`SELECT
      (SELECT count(*) FROM product_categories WHERE tenant_id = ${tenantId} AND parent_id = ${id})::int AS children,
      (SELECT count(*) FROM products WHERE tenant_id = ${tenantId} AND category_id = ${id} AND deleted_at IS NULL)::int AS products`))!;
}

export async function deleteCategory(q: Queryable, tenantId: number, id: number): Promise<void> {
  // deleted products and rules keep no link to a category that is gone
  await q.query(sql`UPDATE products SET category_id = NULL WHERE tenant_id = ${tenantId} AND category_id = ${id} AND deleted_at IS NOT NULL`);
  await q.query(sql`DELETE FROM discount_rules WHERE tenant_id = ${tenantId} AND category_id = ${id}`);
  await q.query(sql`DELETE FROM product_categories WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

// ---------------------------------------------------------------- products

export interface ProductRow {
  id: number;
  code: string;
  name: string;
  category_id: number | null;
  category_name: string | null;
  unit: string;
  price: string;
  cost: string | null;
  currency: string;
  on_shelf: boolean;
  description: string | null;
  stock: string;
  low_stock_threshold: string | null;
  low_stock: boolean;
  low_stock_alerted: boolean;
  created_at: Date;
  updated_at: Date;
  _sort_key?: string;
}

export const PRODUCT_FIELDS = columnMap({
  code: 'code',
  name: 'name',
  categoryId: 'category_id',
  unit: 'unit',
  price: 'price',
  cost: 'cost',
  currency: 'currency',
  onShelf: 'on_shelf',
  description: 'description',
  lowStockThreshold: 'low_stock_threshold',
});
export type ProductValues = ColumnValues<typeof PRODUCT_FIELDS>;

/** The fields as the change log and the API name them, from a row (amounts as stored, '1234.50'). */
export const productFieldsOf = (p: ProductRow) => PRODUCT_FIELDS.fromRow(p);

const LOW = sql`(p.low_stock_threshold IS NOT NULL AND p.stock <= p.low_stock_threshold)`;
const COLUMNS = sql`p.id, p.code, p.name, p.category_id, c.name AS category_name, p.unit, p.price::text AS price, p.cost::text AS cost,
  p.currency, p.on_shelf, p.description, p.stock::text AS stock, p.low_stock_threshold::text AS low_stock_threshold, ${LOW} AS low_stock,
  p.low_stock_alerted, p.created_at, p.updated_at`;
const JOINS = sql`LEFT JOIN product_categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id`;

/** A page of the list; `ids`: a selection (exports). */
export function listProducts(q: Queryable, tenantId: number, f: ProductListQuery & { ids?: number[] }): Promise<ProductRow[]> {
  const k: Keyset = { column: sql`p.updated_at`, type: 'timestamptz', id: sql`p.id`, order: f.order };
  return q.query<ProductRow>(sql`SELECT ${keysetSelect(k)}, ${COLUMNS} FROM products p ${JOINS}
    ${sql.where([
      sql`p.tenant_id = ${tenantId}`,
      sql`p.deleted_at IS NULL`,
      f.q && sql`(p.code ILIKE ${containsPattern(f.q)} OR p.name ILIKE ${containsPattern(f.q)})`,
      f.categoryId && sql`p.category_id IN ${subtreeSql(tenantId, f.categoryId)}`,
      f.onShelf !== undefined && sql`p.on_shelf = ${f.onShelf}`,
      f.lowStock === true && LOW,
      f.lowStock === false && sql`NOT ${LOW}`,
      f.ids && sql`p.id = ANY(${f.ids}::bigint[])`,
      keysetAfter(k, f.cursor),
    ])} ${keysetOrder(k)} LIMIT ${f.limit + 1}`);
}

export function getProduct(q: Queryable, tenantId: number, id: number, forUpdate = false): Promise<ProductRow | undefined> {
  return q.one<ProductRow>(sql`SELECT ${COLUMNS} FROM products p ${JOINS}
    WHERE p.tenant_id = ${tenantId} AND p.id = ${id} AND p.deleted_at IS NULL ${forUpdate ? sql`FOR UPDATE OF p` : sql.empty}`);
}

export async function insertProduct(q: Queryable, tenantId: number, p: ProductValues & { code: string; createdBy: number }): Promise<number> {
  const e = PRODUCT_FIELDS.entries(p);
  return (await q.one<{ id: number }>(sql`INSERT INTO products (tenant_id, created_by, ${sql.join(e.map((x) => x.column))})
    VALUES (${tenantId}, ${p.createdBy}, ${sql.join(e.map((x) => x.value))}) RETURNING id`))!.id;
}

export async function updateProduct(q: Queryable, tenantId: number, id: number, values: ProductValues): Promise<void> {
  const e = PRODUCT_FIELDS.entries(values);
  await q.query(sql`UPDATE products SET ${sql.join([...e.map((x) => sql`${x.column} = ${x.value}`), sql`updated_at = now()`])}
    WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Puts products on or off the shelf; returns those that changed. */
export function setShelf(q: Queryable, tenantId: number, ids: number[], onShelf: boolean): Promise<{ id: number; name: string }[]> {
  return q.query(sql`UPDATE products SET on_shelf = ${onShelf}, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[]) AND deleted_at IS NULL AND on_shelf <> ${onShelf}
    RETURNING id, name`);
}

export async function softDelete(q: Queryable, tenantId: number, id: number, by: number): Promise<void> {
  await q.query(sql`UPDATE products SET deleted_at = now(), deleted_by = ${by} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** Adds a signed quantity to the stock; returns the new balance. */
export async function moveStock(q: Queryable, tenantId: number, id: number, delta: string): Promise<string> {
  return (await q.one<{ stock: string }>(sql`UPDATE products SET stock = stock + ${delta}::numeric, updated_at = now()
    WHERE tenant_id = ${tenantId} AND id = ${id} RETURNING stock::text AS stock`))!.stock;
}

/** Whether the current low-stock dip has been announced. */
export async function setAlerted(q: Queryable, tenantId: number, id: number, alerted: boolean): Promise<void> {
  await q.query(sql`UPDATE products SET low_stock_alerted = ${alerted} WHERE tenant_id = ${tenantId} AND id = ${id}`);
}

/** The live products with these codes (case ignored, as the unique index compares them). */
export function productsByCodes(q: Queryable, tenantId: number, codes: string[]): Promise<{ id: number; code: string; name: string }[]> {
  return q.query(sql`SELECT id, code, name FROM products
    WHERE tenant_id = ${tenantId} AND lower(code) = ANY(${[...new Set(codes.map((c) => c.toLowerCase()))]}::text[]) AND deleted_at IS NULL`);
}

/**
 * A product nothing uses (an import's undo takes back only these): on no
 * opportunity, quote or contract line, in no price book or discount rule.
 */
export const PRODUCT_UNUSED = sql`NOT EXISTS (SELECT 1 FROM opportunity_lines l WHERE l.tenant_id = x.tenant_id AND l.product_id = x.id)
  AND NOT EXISTS (SELECT 1 FROM quote_lines l WHERE l.tenant_id = x.tenant_id AND l.product_id = x.id)
  AND NOT EXISTS (SELECT 1 FROM contract_lines l WHERE l.tenant_id = x.tenant_id AND l.product_id = x.id)
  AND NOT EXISTS (SELECT 1 FROM price_book_items i WHERE i.tenant_id = x.tenant_id AND i.product_id = x.id)
  AND NOT EXISTS (SELECT 1 FROM discount_rules r WHERE r.tenant_id = x.tenant_id AND r.product_id = x.id)`;

export async function codeInUse(q: Queryable, tenantId: number, code: string): Promise<boolean> {
  return !!(await q.one(sql`SELECT 1 FROM products WHERE tenant_id = ${tenantId} AND lower(code) = lower(${code}) AND deleted_at IS NULL`));
}

// ---------------------------------------------------------------- stock movements

export interface MovementRow {
  id: number;
  direction: 'in' | 'out';
  quantity: string;
  balance: string;
  reason: string;
  created_by: number | null;
  created_by_name: string | null;
  created_at: Date;
}

export async function insertMovement(
  q: Queryable,
  tenantId: number,
  m: { productId: number; direction: 'in' | 'out'; quantity: string; balance: string; reason: string; by: number },
): Promise<void> {
  await q.query(sql`INSERT INTO product_stock_movements (tenant_id, product_id, direction, quantity, balance, reason, created_by)
    VALUES (${tenantId}, ${m.productId}, ${m.direction}, ${m.quantity}::numeric, ${m.balance}::numeric, ${m.reason}, ${m.by})`);
}

export function listMovements(q: Queryable, tenantId: number, productId: number, limit: number): Promise<MovementRow[]> {
  return q.query<MovementRow>(sql`SELECT m.id, m.direction, m.quantity::text AS quantity, m.balance::text AS balance, m.reason,
      m.created_by, u.name AS created_by_name, m.created_at
    FROM product_stock_movements m LEFT JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.created_by
    WHERE m.tenant_id = ${tenantId} AND m.product_id = ${productId} ORDER BY m.created_at DESC, m.id DESC LIMIT ${limit}`);
}

/** Active users holding a permission (through a role, or as super administrators). */
export async function usersWithPermission(q: Queryable, tenantId: number, permission: string): Promise<number[]> {
  const rows = await q.query<{ id: number }>(sql`SELECT u.id FROM users u
    WHERE u.tenant_id = ${tenantId} AND u.status = 'active' AND (u.is_super_admin OR EXISTS (
      SELECT 1 FROM user_roles ur JOIN roles r ON r.tenant_id = ur.tenant_id AND r.id = ur.role_id
      WHERE ur.tenant_id = u.tenant_id AND ur.user_id = u.id AND ${permission} = ANY(r.permissions)))
    ORDER BY u.id`);
  return rows.map((r) => r.id);
}

export async function notify(q: Queryable, tenantId: number, userIds: number[], n: { kind: string; title: string; body: string; entityType: string; entityId: number }): Promise<void> {
  if (!userIds.length) return;
  await q.query(sql`INSERT INTO notifications (tenant_id, user_id, kind, title, body, entity_type, entity_id)
    SELECT ${tenantId}, u, ${n.kind}, ${n.title}, ${n.body}, ${n.entityType}, ${n.entityId} FROM unnest(${userIds}::bigint[]) AS u`);
}
