/** The product list as a file (CUS-16 for 产品): its columns, walked by the list's own page function. */
import type { ProductDto, ProductExportQuery } from '../../../common/schemas/products.js';
import { exportColumn as column, type ListExport, localTime, yesNo } from '../../platform/exchange/list-export.js';
import { productPage } from './products.service.js';

/** Amounts and stock levels as numbers a spreadsheet sums. */
const number = (v: string | null) => (v === null ? null : Number(v));

export const productExport: ListExport<ProductDto, ProductExportQuery> = {
  entity: 'product',
  title: { 'zh-CN': '产品', en: 'Products' },
  // the web list's columns, by the same keys, and the rest of a product's card; headers as the import reads them back
  offered: async (_actor, locale) => [
    column('code', '产品编号', 'Product code', (p) => p.code),
    column('name', '产品名称', 'Product name', (p) => p.name),
    column('category', '分类', 'Category', (p) => p.categoryName),
    column('unit', '单位', 'Unit', (p) => p.unit),
    column('price', '标准价', 'List price', (p) => number(p.price)),
    column('cost', '成本', 'Cost', (p) => number(p.cost)),
    column('currency', '币种', 'Currency', (p) => p.currency),
    column('onShelf', '上架', 'On shelf', (p) => yesNo(locale, p.onShelf)),
    column('stock', '库存', 'Stock', (p) => number(p.stock)),
    column('lowStockThreshold', '库存预警值', 'Low-stock level', (p) => number(p.lowStockThreshold)),
    column('description', '描述', 'Description', (p) => p.description),
    column('createdAt', '创建时间', 'Created', (p) => localTime(p.createdAt)),
    column('updatedAt', '更新时间', 'Updated', (p) => localTime(p.updatedAt)),
  ],
  readPage: (q, actor, page) => productPage(q, actor, page),
};
