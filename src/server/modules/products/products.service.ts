import type { z } from 'zod';
import { compare } from '../../../common/money.js';
import type {
  CategoryCreate,
  CategoryDto,
  CategoryUpdate,
  ProductCreate,
  ProductDto,
  ProductListQuery,
  ProductShelfBody,
  ProductUpdate,
  StockAdjustBody,
  StockMovementDto,
} from '../../../common/schemas/products.js';
import type { Queryable } from '../../db/database.js';
import { keysetPage } from '../../db/keyset.js';
import { sql } from '../../db/sql.js';
import { assertFieldWritable, assertVisible, assertWritable, maskHidden, restrictedFields } from '../../platform/access/field-access.js';
import type { Actor } from '../../platform/auth/actor.js';
import { diffChanges, recordChange, recordHistory } from '../../platform/audit/audit.service.js';
import { AppError, duplicateFrom, notFound } from '../../platform/http/errors.js';
import { nextNumber } from '../../platform/numbering/numbering.js';
import { companyCurrency } from '../currencies/currencies.repo.js';
import { assertCurrency } from '../currencies/currencies.service.js';
import * as repo from './products.repo.js';

const ENTITY = 'product';

/** What another module (opportunity/quote/contract lines) needs to know of a product it sells. */
export interface ProductForSale {
  id: number;
  code: string;
  name: string;
  unit: string;
  /** List price, a decimal string ("1234.50"). */
  price: string;
  onShelf: boolean;
}

/**
 * The products with these ids, for modules that put products on lines.
 * Deleted products are absent from the map; products off the shelf are present
 * with `onShelf: false` so the caller decides (new lines refuse them, existing
 * lines keep them).
 */
export async function productsForSale(q: Queryable, tenantId: number, productIds: number[]): Promise<Map<number, ProductForSale>> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  const rows = await q.query<ProductForSale>(sql`
    SELECT id, code, name, unit, price::text AS price, on_shelf AS "onShelf"
    FROM products
    WHERE tenant_id = ${tenantId} AND id = ANY(${ids}::bigint[]) AND deleted_at IS NULL`);
  return new Map(rows.map((r) => [r.id, r]));
}

// ---------------------------------------------------------------- categories

const toCategoryDto = (c: repo.CategoryRow): CategoryDto => ({ id: c.id, parentId: c.parent_id, name: c.name, sort: c.sort, productCount: c.product_count });
const categoryTaken = (e: unknown) => duplicateFrom(e, { product_categories_name: 'name' }) ?? e;

export const listCategories = (actor: Actor) => actor.tx(async (q) => (await repo.listCategories(q, actor.tenantId)).map(toCategoryDto));

async function assertCategory(q: Queryable, tenantId: number, id: number | null | undefined, field: string) {
  if (id != null && !(await repo.getCategory(q, tenantId, id))) throw new AppError('INVALID_REFERENCE', { field }, [{ path: field, message: 'invalid' }]);
}

export function createCategory(actor: Actor, input: z.output<typeof CategoryCreate>) {
  return actor.tx(async (q) => {
    await assertCategory(q, actor.tenantId, input.parentId, 'parentId');
    const id = await repo.insertCategory(q, actor.tenantId, input).catch((e) => {
      throw categoryTaken(e);
    });
    await recordChange(q, actor, { entity: 'product_category', recordId: id, recordName: input.name, action: 'create', changes: diffChanges(null, input, ['name', 'parentId', 'sort']) });
    return toCategoryDto((await repo.getCategory(q, actor.tenantId, id))!);
  });
}

/** Renames, re-sorts or moves a category; never under itself or one of its descendants. */
export function updateCategory(actor: Actor, id: number, input: z.output<typeof CategoryUpdate>) {
  return actor.tx(async (q) => {
    const before = await repo.getCategory(q, actor.tenantId, id, true);
    if (!before) throw notFound();
    const old = { name: before.name, parentId: before.parent_id, sort: before.sort };
    const after = { name: input.name ?? old.name, parentId: input.parentId === undefined ? old.parentId : input.parentId, sort: input.sort ?? old.sort };
    if (after.parentId !== old.parentId && after.parentId !== null) {
      await assertCategory(q, actor.tenantId, after.parentId, 'parentId');
      if ((await repo.ancestorIds(q, actor.tenantId, after.parentId)).includes(id)) throw new AppError('TREE_CYCLE', {}, [{ path: 'parentId', message: 'cycle' }]);
    }
    const changes = diffChanges(old, after, ['name', 'parentId', 'sort']);
    if (changes.length) {
      await repo.updateCategory(q, actor.tenantId, id, after).catch((e) => {
        throw categoryTaken(e);
      });
      await recordChange(q, actor, { entity: 'product_category', recordId: id, recordName: after.name, action: changes.some((c) => c.field === 'parentId') ? 'move' : 'update', changes });
    }
    return toCategoryDto((await repo.getCategory(q, actor.tenantId, id))!);
  });
}

export function deleteCategory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const c = await repo.getCategory(q, actor.tenantId, id, true);
    if (!c) throw notFound();
    const deps = await repo.categoryDependents(q, actor.tenantId, id);
    if (deps.children) throw new AppError('CATEGORY_HAS_CHILDREN');
    if (deps.products) throw new AppError('CATEGORY_HAS_PRODUCTS', { count: deps.products });
    await repo.deleteCategory(q, actor.tenantId, id);
    await recordChange(q, actor, { entity: 'product_category', recordId: id, recordName: c.name, action: 'delete' });
  });
}

// ---------------------------------------------------------------- products

const toDto = (p: Omit<repo.ProductRow, '_sort_key'>): ProductDto => ({
  id: p.id,
  code: p.code,
  name: p.name,
  categoryId: p.category_id,
  categoryName: p.category_name,
  unit: p.unit,
  price: p.price,
  cost: p.cost,
  currency: p.currency,
  onShelf: p.on_shelf,
  description: p.description,
  stock: p.stock,
  lowStockThreshold: p.low_stock_threshold,
  lowStock: p.low_stock,
  createdAt: p.created_at.toISOString(),
  updatedAt: p.updated_at.toISOString(),
});

/** The product as this actor may see it (ORG-6: e.g. the cost hidden from sales reps). */
const shown = <T extends ProductDto>(actor: Actor, dto: T): T => maskHidden(actor, ENTITY, dto);
const shownDto = (actor: Actor, p: Omit<repo.ProductRow, '_sort_key'>) => shown(actor, toDto(p));

const codeTaken = (e: unknown) => duplicateFrom(e, { products_code: 'code' }) ?? e;

export function listProducts(actor: Actor, query: ProductListQuery) {
  return actor.tx((q) => productPage(q, actor, query));
}

/** One page of the list within `q` (the list, and its export page by page). */
export async function productPage(q: Queryable, actor: Actor, query: ProductListQuery & { ids?: number[] }) {
  const page = keysetPage(await repo.listProducts(q, actor.tenantId, query), query.limit);
  return { items: page.items.map((p) => shownDto(actor, p)), nextCursor: page.nextCursor };
}

export async function visibleProduct(q: Queryable, actor: Actor, id: number, forUpdate = false) {
  const p = await repo.getProduct(q, actor.tenantId, id, forUpdate);
  if (!p) throw notFound();
  return p;
}

export function getProduct(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const p = await visibleProduct(q, actor, id);
    return shown(actor, { ...toDto(p), allowed: { edit: actor.can('product.manage'), stock: actor.can('product.stock') && !restrictedFields(actor, ENTITY).has('stock') } });
  });
}

async function checkProductRefs(q: Queryable, tenantId: number, p: { categoryId?: number | null; currency?: string }) {
  await assertCategory(q, tenantId, p.categoryId, 'categoryId');
  if (p.currency) await assertCurrency(q, tenantId, p.currency);
}

/** A free code from the numbering rule: numbers someone typed in by hand are skipped. */
async function freeCode(q: Queryable, tenantId: number): Promise<string> {
  for (;;) {
    const code = await nextNumber(q, tenantId, ENTITY);
    if (!(await repo.codeInUse(q, tenantId, code))) return code;
  }
}

export function createProduct(actor: Actor, input: z.output<typeof ProductCreate>) {
  return actor.tx(async (q) => shownDto(actor, (await repo.getProduct(q, actor.tenantId, await createProductIn(q, actor, input)))!));
}

/** Creates a product inside the caller's transaction (the form, and imports row by row); returns its id. */
export async function createProductIn(q: Queryable, actor: Actor, input: z.output<typeof ProductCreate>): Promise<number> {
  assertWritable(actor, ENTITY, input, null);
  const currency = input.currency ?? (await companyCurrency(q, actor.tenantId));
  await checkProductRefs(q, actor.tenantId, { ...input, currency });
  const fields = { ...input, currency, code: input.code ?? (await freeCode(q, actor.tenantId)) };
  const id = await repo.insertProduct(q, actor.tenantId, { ...fields, createdBy: actor.userId }).catch((e) => {
    throw codeTaken(e);
  });
  await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: fields.name, action: 'create', changes: diffChanges(null, fields, repo.PRODUCT_FIELDS.fields) });
  return id;
}

/** Amounts and stock levels compare by value: "100" and "100.00" are the same price. */
const NUMERIC_FIELDS = new Set(['price', 'cost', 'lowStockThreshold']);
const sameValue = (field: string, a: unknown, b: unknown) =>
  NUMERIC_FIELDS.has(field) && typeof a === 'string' && typeof b === 'string' ? compare(a, b) === 0 : a === b;

export function updateProduct(actor: Actor, id: number, input: ProductUpdate) {
  return actor.tx(async (q) => {
    await updateProductIn(q, actor, id, input);
    return shownDto(actor, (await repo.getProduct(q, actor.tenantId, id))!);
  });
}

/** Changes a product inside the caller's transaction (the form, and imports in update mode). */
export async function updateProductIn(q: Queryable, actor: Actor, id: number, input: ProductUpdate): Promise<void> {
  const before = await visibleProduct(q, actor, id, true);
  await checkProductRefs(q, actor.tenantId, input);
  const old = repo.productFieldsOf(before);
  assertWritable(actor, ENTITY, input, old);
  const changed = Object.fromEntries(Object.entries(input).filter(([k, v]) => v !== undefined && !sameValue(k, v, old[k as keyof typeof old]))) as repo.ProductValues;
  const changes = diffChanges(old, { ...old, ...changed }, repo.PRODUCT_FIELDS.fields);
  if (!changes.length) return;
  await repo.updateProduct(q, actor.tenantId, id, changed).catch((e) => {
    throw codeTaken(e);
  });
  if (changed.lowStockThreshold !== undefined) {
    // a new threshold starts a new watch: a dip it already shows is not announced again
    const p = (await repo.getProduct(q, actor.tenantId, id))!;
    await repo.setAlerted(q, actor.tenantId, id, p.low_stock);
  }
  await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: (changed.name as string) ?? before.name, action: 'update', changes });
}

/** Puts products on or off the shelf (bulk); only products off the shelf cannot go on new sales documents. */
export function setShelf(actor: Actor, input: z.output<typeof ProductShelfBody>) {
  return actor.tx(async (q) => {
    const changed = await repo.setShelf(q, actor.tenantId, [...new Set(input.productIds)], input.onShelf);
    for (const p of changed) {
      await recordChange(q, actor, { entity: ENTITY, recordId: p.id, recordName: p.name, action: input.onShelf ? 'on_shelf' : 'off_shelf', changes: [{ field: 'onShelf', before: !input.onShelf, after: input.onShelf }] });
    }
    return { changed: changed.length };
  });
}

export function deleteProduct(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    const p = await visibleProduct(q, actor, id, true);
    await repo.softDelete(q, actor.tenantId, id, actor.userId);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: p.name, action: 'delete' });
  });
}

export function productHistory(actor: Actor, id: number) {
  return actor.tx(async (q) => {
    await visibleProduct(q, actor, id);
    return recordHistory(q, actor, ENTITY, id);
  });
}

// ---------------------------------------------------------------- stock

const toMovementDto = (m: repo.MovementRow): StockMovementDto => ({
  id: m.id,
  direction: m.direction,
  quantity: m.quantity,
  balance: m.balance,
  reason: m.reason,
  createdBy: m.created_by,
  createdByName: m.created_by_name,
  createdAt: m.created_at.toISOString(),
});

export function listMovements(actor: Actor, id: number, limit: number) {
  // the ledger's balances are the stock
  assertVisible(actor, ENTITY, ['stock']);
  return actor.tx(async (q) => {
    await visibleProduct(q, actor, id);
    return (await repo.listMovements(q, actor.tenantId, id, limit)).map(toMovementDto);
  });
}

/**
 * Stock in or out, with a reason, into the append-only ledger. The stock never
 * goes below zero. Reaching the low-stock threshold tells the product managers,
 * once per dip: it is announced again only after the stock has risen above it.
 */
export function adjustStock(actor: Actor, id: number, input: z.output<typeof StockAdjustBody>) {
  assertFieldWritable(actor, ENTITY, 'stock');
  return actor.tx(async (q) => {
    const p = await visibleProduct(q, actor, id, true);
    if (input.direction === 'out' && compare(p.stock, input.quantity) < 0) {
      throw new AppError('STOCK_INSUFFICIENT', { stock: p.stock, quantity: input.quantity, unit: p.unit }, [{ path: 'quantity', message: 'invalid' }]);
    }
    const balance = await repo.moveStock(q, actor.tenantId, id, input.direction === 'in' ? input.quantity : `-${input.quantity}`);
    await repo.insertMovement(q, actor.tenantId, { productId: id, ...input, balance, by: actor.userId });
    const low = p.low_stock_threshold !== null && compare(balance, p.low_stock_threshold) <= 0;
    if (low && !p.low_stock_alerted) {
      await repo.notify(q, actor.tenantId, await repo.usersWithPermission(q, actor.tenantId, 'product.manage'), {
        kind: 'product_low_stock', title: `${p.code} ${p.name}`, body: `库存 ${balance} ${p.unit}，已不高于预警值 ${p.low_stock_threshold}`, entityType: ENTITY, entityId: id,
      });
    }
    if (low !== p.low_stock_alerted) await repo.setAlerted(q, actor.tenantId, id, low);
    await recordChange(q, actor, { entity: ENTITY, recordId: id, recordName: p.name, action: `stock_${input.direction}`, changes: [{ field: 'stock', before: p.stock, after: balance }, { field: 'reason', before: null, after: input.reason }] });
    return shownDto(actor, (await repo.getProduct(q, actor.tenantId, id))!);
  });
}
