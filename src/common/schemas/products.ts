import { z } from 'zod';
import { CurrencyCode, Money, Percent, Quantity } from '../money.js';
import { Id, Name, PageQuery, SortOrder } from './common.js';
import { Day } from './currencies.js';
import { DictCode } from './dictionaries.js';
import { ExportParams } from './exchange.js';

const optional = <T extends z.ZodType>(t: T) => t.nullable().optional();

/** A stock level: up to 10 integer digits and 3 decimals, zero allowed. */
export const StockLevel = z
  .union([z.string().trim(), z.number()])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,10}(\.\d{1,3})?$/, { error: 'invalid' }));

// ---------------------------------------------------------------- categories

export const CategoryCreate = z
  .object({ name: Name(50), parentId: Id.nullable().default(null), sort: z.number().int().min(0).max(10000).default(0) })
  .strict();
/** parentId moves the category (null: to the top); never under itself or one of its descendants. */
export const CategoryUpdate = z
  .object({ name: Name(50).optional(), parentId: Id.nullable().optional(), sort: z.number().int().min(0).max(10000).optional() })
  .strict();

export interface CategoryDto {
  id: number;
  parentId: number | null;
  name: string;
  sort: number;
  /** Products directly in the category (not deleted). */
  productCount: number;
}

// ---------------------------------------------------------------- products

const productFields = {
  categoryId: optional(Id),
  unit: z.string().trim().min(1).max(10),
  price: Money,
  cost: optional(Money),
  currency: CurrencyCode,
  onShelf: z.boolean(),
  description: optional(z.string().max(5000)),
  lowStockThreshold: optional(StockLevel),
};

const ProductBase = z.object({
  /** Empty on creation: the numbering rule 'product' gives one. */
  code: z.string().trim().min(1).max(40),
  name: Name(100),
  ...productFields,
});

export const ProductCreate = ProductBase.extend({
  code: ProductBase.shape.code.optional(),
  unit: productFields.unit.default('个'),
  /** Default: the company currency. */
  currency: productFields.currency.optional(),
  onShelf: productFields.onShelf.default(true),
}).strict();

export type ProductCreate = z.output<typeof ProductCreate>;

export const ProductUpdate = ProductBase.partial().strict();
export type ProductUpdate = z.output<typeof ProductUpdate>;

export const ProductShelfBody = z.object({ productIds: z.array(Id).min(1).max(500), onShelf: z.boolean() }).strict();

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ProductListQuery = PageQuery.extend({
  /** Part of the code or the name. */
  q: z.string().trim().min(1).max(100).optional(),
  /** This category and its sub-categories. */
  categoryId: Id.optional(),
  onShelf: Bool.optional(),
  /** Only products at or below their low-stock threshold. */
  lowStock: Bool.optional(),
  order: SortOrder,
}).strict();
export type ProductListQuery = z.output<typeof ProductListQuery>;

/** The list's filters (the whole list, not a page), plus the export's format, columns and selection. */
export const ProductExportQuery = ProductListQuery.omit({ limit: true, cursor: true }).extend(ExportParams).strict();
export type ProductExportQuery = z.output<typeof ProductExportQuery>;

export interface ProductDto {
  id: number;
  code: string;
  name: string;
  categoryId: number | null;
  categoryName: string | null;
  unit: string;
  price: string;
  cost: string | null;
  currency: string;
  onShelf: boolean;
  description: string | null;
  stock: string;
  lowStockThreshold: string | null;
  lowStock: boolean;
  createdAt: string;
  updatedAt: string;
}

export const StockAdjustBody = z
  .object({ direction: z.enum(['in', 'out']), quantity: Quantity, reason: z.string().trim().min(1).max(200) })
  .strict();

export interface StockMovementDto {
  id: number;
  direction: 'in' | 'out';
  quantity: string;
  balance: string;
  reason: string;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
}

// ---------------------------------------------------------------- price books

export const PriceBookInput = z
  .object({
    name: Name(50),
    /** Dictionary customer_level; null: every customer. */
    levelCode: DictCode.nullable().default(null),
    currency: CurrencyCode,
    validFrom: Day.nullable().default(null),
    validTo: Day.nullable().default(null),
    enabled: z.boolean().default(true),
    items: z.array(z.object({ productId: Id, price: Money }).strict()).max(2000).default([]),
  })
  .strict()
  .refine((b) => !b.validFrom || !b.validTo || b.validTo >= b.validFrom, { error: 'invalid', path: ['validTo'] });

export interface PriceBookDto {
  id: number;
  name: string;
  levelCode: string | null;
  currency: string;
  validFrom: string | null;
  validTo: string | null;
  enabled: boolean;
  items: { productId: number; productCode: string; productName: string; price: string }[];
}

// ---------------------------------------------------------------- discounts

export const DiscountRuleInput = z
  .object({
    name: Name(50),
    kind: z.enum(['quantity', 'customer_level']),
    /** kind quantity: from this quantity on. */
    minQuantity: Quantity.nullable().default(null),
    /** kind customer_level: dictionary customer_level. */
    levelCode: DictCode.nullable().default(null),
    /** Only this product, or only this category and its sub-categories; neither: every product. */
    productId: Id.nullable().default(null),
    categoryId: Id.nullable().default(null),
    percent: Percent,
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((r) => r.kind !== 'quantity' || r.minQuantity !== null, { error: 'required', path: ['minQuantity'] })
  .refine((r) => r.kind !== 'customer_level' || r.levelCode !== null, { error: 'required', path: ['levelCode'] })
  .refine((r) => r.productId === null || r.categoryId === null, { error: 'invalid', path: ['categoryId'] });
export type DiscountRuleInput = z.output<typeof DiscountRuleInput>;

export interface DiscountRuleDto extends DiscountRuleInput {
  id: number;
}

export const RoleLimitsBody = z
  .object({ limits: z.array(z.object({ roleId: Id, maxPercent: Percent }).strict()).max(200) })
  .strict();

export const PriceQuery = z
  .object({
    quantity: Quantity.default('1'),
    customerId: Id.optional(),
    customerLevel: DictCode.optional(),
    currency: CurrencyCode.optional(),
  })
  .strict();

export interface PriceQuote {
  currency: string;
  listPrice: string;
  /** Unit price after the price book and the best discount rule. */
  price: string;
  /** Percent off the list price that `price` is, 2 decimals. */
  discount: string;
  source: 'list' | 'price_book' | 'rule';
  priceBookId: number | null;
  ruleId: number | null;
  /** The largest line discount the caller may give (percent). */
  maxDiscountForActor: string;
}
