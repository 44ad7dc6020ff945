import { z } from 'zod';
import { Id, IdParams } from '../../../common/schemas/common.js';
import {
  CategoryCreate,
  CategoryUpdate,
  DiscountRuleInput,
  PriceBookInput,
  PriceQuery,
  ProductCreate,
  ProductExportQuery,
  ProductListQuery,
  ProductShelfBody,
  ProductUpdate,
  RoleLimitsBody,
  StockAdjustBody,
} from '../../../common/schemas/products.js';
import { exportHandler } from '../../platform/exchange/list-export.js';
import { defineRoute } from '../../platform/http/route.js';
import * as pricing from './pricing.service.js';
import { productExport } from './product-export.service.js';
import * as products from './products.service.js';

const MovementsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
const PriceBooksQuery = z.object({ productId: Id.optional() }).strict();

export const productRoutes = [
  defineRoute({
    method: 'GET', url: '/api/v1/product-categories', permission: 'product.view', tag: 'products',
    summary: 'Product categories (a tree: parentId) with their product counts',
    handler: ({ actor }) => products.listCategories(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/product-categories', permission: 'product.manage', tag: 'products', status: 201,
    summary: 'Create a category', body: CategoryCreate,
    handler: ({ actor, body }) => products.createCategory(actor, body),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/product-categories/:id', permission: 'product.manage', tag: 'products',
    summary: 'Rename, re-sort or move a category (never under itself or its descendants)', params: IdParams, body: CategoryUpdate,
    handler: ({ actor, params, body }) => products.updateCategory(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/product-categories/:id', permission: 'product.manage', tag: 'products',
    summary: 'Delete a category without sub-categories or products', params: IdParams,
    handler: ({ actor, params }) => products.deleteCategory(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/products', permission: 'product.view', tag: 'products',
    summary: 'Products, filtered by code/name, category (with sub-categories), shelf and low stock', query: ProductListQuery,
    handler: ({ actor, query }) => products.listProducts(actor, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/products/export', permission: 'product.export', tag: 'products',
    summary: 'The list (same filters) as an Excel or CSV download: format=xlsx|csv, columns=code,name,… (the list’s keys), ids=1,2,3 for a selection',
    query: ProductExportQuery,
    handler: exportHandler(productExport),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/products', permission: 'product.manage', tag: 'products', status: 201,
    summary: 'Create a product (without a code, the numbering rule gives one)', body: ProductCreate,
    handler: ({ actor, body }) => products.createProduct(actor, body),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/products/shelf', permission: 'product.manage', tag: 'products',
    summary: 'Put products on or off the shelf (bulk)', body: ProductShelfBody,
    handler: ({ actor, body }) => products.setShelf(actor, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/products/:id', permission: 'product.view', tag: 'products',
    summary: 'One product, with what the caller may do with it', params: IdParams,
    handler: ({ actor, params }) => products.getProduct(actor, params.id),
  }),
  defineRoute({
    method: 'PATCH', url: '/api/v1/products/:id', permission: 'product.manage', tag: 'products',
    summary: 'Change a product', params: IdParams, body: ProductUpdate,
    handler: ({ actor, params, body }) => products.updateProduct(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/products/:id', permission: 'product.manage', tag: 'products',
    summary: 'Delete a product (lines that use it keep it)', params: IdParams,
    handler: ({ actor, params }) => products.deleteProduct(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/products/:id/history', permission: 'product.view', tag: 'products',
    summary: 'Operation log of one product', params: IdParams,
    handler: ({ actor, params }) => products.productHistory(actor, params.id).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/products/:id/stock-movements', permission: 'product.view', tag: 'products',
    summary: 'Stock movements of one product, newest first', params: IdParams, query: MovementsQuery,
    handler: ({ actor, params, query }) => products.listMovements(actor, params.id, query.limit).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/products/:id/stock-movements', permission: 'product.stock', tag: 'products', status: 201,
    summary: 'Stock in or out with a reason (never below zero; reaching the threshold tells the product managers)', params: IdParams, body: StockAdjustBody,
    handler: ({ actor, params, body }) => products.adjustStock(actor, params.id, body),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/products/:id/price', permission: 'product.view', tag: 'products',
    summary: 'The unit price for a quantity, customer (or level) and currency: list, price book or discount rule', params: IdParams, query: PriceQuery,
    handler: ({ actor, params, query }) => pricing.quote(actor, params.id, query),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/price-books', permission: 'product.view', tag: 'products',
    summary: 'Price books with their items (with productId: those listing the product)', query: PriceBooksQuery,
    handler: ({ actor, query }) => pricing.listPriceBooks(actor, query.productId).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/price-books', permission: 'settings.sales', tag: 'products', status: 201,
    summary: 'Create a price book for a customer level and/or currency', body: PriceBookInput,
    handler: ({ actor, body }) => pricing.savePriceBook(actor, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/price-books/:id', permission: 'settings.sales', tag: 'products',
    summary: 'Replace a price book and its items', params: IdParams, body: PriceBookInput,
    handler: ({ actor, params, body }) => pricing.savePriceBook(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/price-books/:id', permission: 'settings.sales', tag: 'products',
    summary: 'Delete a price book', params: IdParams,
    handler: ({ actor, params }) => pricing.deletePriceBook(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/discount-rules', permission: 'product.view', tag: 'products',
    summary: 'Discount rules by quantity and by customer level',
    handler: ({ actor }) => pricing.listRules(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'POST', url: '/api/v1/discount-rules', permission: 'settings.sales', tag: 'products', status: 201,
    summary: 'Create a discount rule', body: DiscountRuleInput,
    handler: ({ actor, body }) => pricing.saveRule(actor, null, body),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/discount-rules/:id', permission: 'settings.sales', tag: 'products',
    summary: 'Replace a discount rule', params: IdParams, body: DiscountRuleInput,
    handler: ({ actor, params, body }) => pricing.saveRule(actor, params.id, body),
  }),
  defineRoute({
    method: 'DELETE', url: '/api/v1/discount-rules/:id', permission: 'settings.sales', tag: 'products',
    summary: 'Delete a discount rule', params: IdParams,
    handler: ({ actor, params }) => pricing.deleteRule(actor, params.id),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/discount-limits', permission: 'settings.sales', tag: 'products',
    summary: 'The largest line discount per role (null: none, so 0)',
    handler: ({ actor }) => pricing.listRoleLimits(actor).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'PUT', url: '/api/v1/discount-limits', permission: 'settings.sales', tag: 'products',
    summary: 'Replace the largest line discount per role', body: RoleLimitsBody,
    handler: ({ actor, body }) => pricing.setRoleLimits(actor, body).then((items) => ({ items })),
  }),
  defineRoute({
    method: 'GET', url: '/api/v1/discount-limits/mine', permission: 'authenticated', tag: 'products',
    summary: 'The largest line discount the caller may give',
    handler: ({ actor }) => actor.tx((q) => pricing.maxDiscountFor(q, actor)).then((maxPercent) => ({ maxPercent })),
  }),
];
