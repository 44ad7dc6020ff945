/**
 * Products from a file (CUS-16), e.g. a supplier's price list: each row is
 * created by the product service's own create function, so code numbering,
 * category and currency checks and the change log behave as in the form. A
 * product is the same as an existing one when it has the same code (the
 * catalogue's unique key, case ignored); rows without a code get one from the
 * numbering rule.
 */
import type { Locale } from '../../../common/schemas/common.js';
import { type ProductCreate, StockLevel } from '../../../common/schemas/products.js';
import { ChoiceLookup, type ImportDefinition, type ImportField, type ImportProblem, inputBefore } from '../../platform/exchange/import.js';
import { checkedInto, choiceInto, moneyInto, textInto } from '../../platform/exchange/import-fields.js';
import { createImported } from '../../platform/exchange/imported.repo.js';
import { currencyImportField } from '../currencies/currency-choices.js';
import { type CategoryRow, listCategories, PRODUCT_FIELDS, PRODUCT_UNUSED, productsByCodes } from './products.repo.js';
import { createProductIn, updateProductIn } from './products.service.js';

const ENTITY = 'product';

type Row = ProductCreate;

const categoryKey = (text: string) => text.replace(/\s+/g, '').replace(/[>＞\\／]/g, '/').toLowerCase();

/**
 * Categories as a file names them: by name, or by path ('硬件/服务器') where
 * two categories share a name under different parents. Returns the paths (the
 * template's drop-down list) and the lookup.
 */
function categoryLookup(categories: CategoryRow[]) {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const pathOf = (c: CategoryRow): string => {
    const parent = c.parent_id === null ? undefined : byId.get(c.parent_id);
    return parent ? `${pathOf(parent)}/${c.name}` : c.name;
  };
  const byText = new Map<string, number | 'ambiguous'>();
  const add = (text: string, id: number) => {
    const key = categoryKey(text);
    const seen = byText.get(key);
    byText.set(key, seen === undefined || seen === id ? id : 'ambiguous');
  };
  const paths = categories.map(pathOf);
  // a path names one category, whatever names repeat: it wins over a leaf name that happens to equal it
  categories.forEach((c) => add(c.name, c.id));
  categories.forEach((c, i) => byText.set(categoryKey(paths[i]!), c.id));
  return {
    paths,
    apply: (text: string, row: Row): ImportProblem | undefined => {
      const id = byText.get(categoryKey(text));
      if (id === undefined) return 'not_found';
      if (id === 'ambiguous') return 'ambiguous';
      row.categoryId = id;
      return undefined;
    },
  };
}

/** 上架 / 下架, and the yes / no ways of saying it. */
function shelfChoices(locale: Locale) {
  const zh = locale === 'zh-CN';
  return new ChoiceLookup(zh ? ['上架', '下架'] : ['On shelf', 'Off shelf'])
    .add('on', '上架', '已上架', '在售', 'On shelf', 'on', 'on sale', '是', 'yes', 'y', 'true', '1')
    .add('off', '下架', '已下架', '停售', 'Off shelf', 'off', '否', 'no', 'n', 'false', '0');
}

export const productImport: ImportDefinition<Row> = {
  entity: ENTITY,
  permission: 'product.import',
  title: { 'zh-CN': '产品', en: 'Products' },

  async prepare(q, actor, locale) {
    const l = (cn: string, en: string) => (locale === 'zh-CN' ? cn : en);
    const categories = categoryLookup(await listCategories(q, actor.tenantId));
    const shelf = shelfChoices(locale);
    const codeLabel = l('产品编号', 'Product code');

    const fields: ImportField<Row>[] = [
      { key: 'code', label: codeLabel, aliases: ['编号', '产品代码', '货号', '物料编码', 'SKU', 'code', 'product code'], hint: l('空：按编号规则生成', 'empty: from the numbering rule'), apply: textInto(40, (row, t) => (row.code = t)) },
      { key: 'name', label: l('产品名称', 'Product name'), aliases: ['名称', '产品', '品名', 'name', 'product'], required: true, apply: textInto(100, (row, t) => (row.name = t)) },
      { key: 'categoryId', label: l('分类', 'Category'), aliases: ['产品分类', '类别', '分类名称', 'category'], options: categories.paths, hint: l('分类名称，重名时写路径：硬件/服务器', 'category name, or its path: Hardware/Servers'), apply: categories.apply },
      { key: 'unit', label: l('单位', 'Unit'), aliases: ['计量单位', 'unit'], hint: l('空：个', 'empty: 个'), apply: textInto(10, (row, t) => (row.unit = t)) },
      { key: 'price', label: l('标准价', 'List price'), aliases: ['价格', '单价', '标准价格', '售价', '销售价', 'price', 'list price'], required: true, hint: '1999.00', apply: moneyInto((row, v) => (row.price = v)) },
      { key: 'cost', label: l('成本', 'Cost'), aliases: ['成本价', '采购价', 'cost'], hint: '1200.00', apply: moneyInto((row, v) => (row.cost = v)) },
      await currencyImportField<Row>(q, actor.tenantId, l('币种', 'Currency'), (row, code) => (row.currency = code)),
      { key: 'onShelf', label: l('上架', 'On shelf'), aliases: ['是否上架', '上下架', '上架状态', 'on shelf', 'on sale'], options: shelf.labels, hint: l('空：上架', 'empty: on shelf'), apply: choiceInto(shelf, (row, v) => (row.onShelf = v === 'on')) },
      { key: 'description', label: l('描述', 'Description'), aliases: ['产品描述', '说明', '规格', '规格说明', '规格型号', 'specification', 'description'], apply: textInto(5000, (row, t) => (row.description = t)) },
      { key: 'lowStockThreshold', label: l('库存预警值', 'Low-stock level'), aliases: ['预警值', '库存预警', 'low stock'], apply: checkedInto(StockLevel, (row, v) => (row.lowStockThreshold = v)) },
    ];

    return {
      fields,
      newRow: () => ({ name: '', price: '0', unit: '个', onShelf: true }),
      // two rows with one code are one product
      identities: (row) => (row.code ? [row.code.toLowerCase()] : []),

      async duplicates(q, rows) {
        const found = await productsByCodes(q, actor.tenantId, rows.flatMap((r) => (r.code ? [r.code] : [])));
        const byCode = new Map(found.map((p) => [p.code.toLowerCase(), p]));
        return rows.map((row) => {
          const p = row.code ? byCode.get(row.code.toLowerCase()) : undefined;
          // the code is unique: a second product with it cannot be created, whatever the mode
          return p && { id: p.id, name: `${p.code} ${p.name}`, rule: codeLabel, refuse: true, writable: actor.can('product.manage') };
        });
      },

      insert: (q, rows, jobId) => createImported(q, ENTITY, actor.tenantId, jobId, rows, (row) => createProductIn(q, actor, row)),

      async update(q, items) {
        for (const { id, row, fields } of items) {
          await updateProductIn(q, actor, id, Object.fromEntries(Object.entries(row).filter(([k]) => fields.has(k))));
        }
      },
    };
  },

  // a product put on a sales document or a price book since stays
  untouched: PRODUCT_UNUSED,
  restore: (q, actor, id, changes) => updateProductIn(q, actor, id, inputBefore(changes, PRODUCT_FIELDS.fields)),
};
