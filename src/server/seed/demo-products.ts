/**
 * The demo company's catalogue (SAL-4): three categories, a dozen products
 * with stock, a price book for A-level customers, a quantity discount, the
 * discount limits of the sales roles, and USD/EUR rates (SAL-11).
 */
import type { Queryable } from '../db/database.js';
import { sql } from '../db/sql.js';

const CATEGORIES = ['软件许可', '服务', '硬件'] as const;

/** category, code, name, unit, price, cost, stock, low-stock threshold */
const PRODUCTS: [number, string, string, string, string, string, string | null, string | null][] = [
  [0, 'CP000001', '云悦 CRM 标准版（年）', '用户/年', '1200.00', '200.00', null, null],
  [0, 'CP000002', '云悦 CRM 专业版（年）', '用户/年', '2400.00', '350.00', null, null],
  [0, 'CP000003', '云悦 CRM 旗舰版（年）', '用户/年', '4800.00', '600.00', null, null],
  [0, 'CP000004', '移动端扩展包', '套', '9800.00', '1000.00', null, null],
  [1, 'CP000005', '实施服务', '人天', '2500.00', '1200.00', null, null],
  [1, 'CP000006', '数据迁移服务', '项', '15000.00', '6000.00', null, null],
  [1, 'CP000007', '年度维保', '年', '18000.00', '5000.00', null, null],
  [1, 'CP000008', '现场培训', '场', '6000.00', '2500.00', null, null],
  [2, 'CP000009', '服务器（2U 机架式）', '台', '38000.00', '29000.00', '12', '3'],
  [2, 'CP000010', '工控一体机', '台', '6800.00', '4700.00', '40', '10'],
  [2, 'CP000011', '扫码枪', '把', '480.00', '260.00', '150', '30'],
  [2, 'CP000012', '门禁考勤机', '台', '1600.00', '980.00', '4', '5'],
];

export async function seedDemoProductData(q: Queryable, tenantId: number): Promise<void> {
  const categoryIds: number[] = [];
  for (const [i, name] of CATEGORIES.entries()) {
    categoryIds.push((await q.one<{ id: number }>(sql`INSERT INTO product_categories (tenant_id, name, sort) VALUES (${tenantId}, ${name}, ${i * 10}) RETURNING id`))!.id);
  }
  const ids = await q.query<{ id: number; code: string }>(sql`
    INSERT INTO products (tenant_id, code, name, category_id, unit, price, cost, stock, low_stock_threshold, low_stock_alerted, description)
    SELECT ${tenantId}, p.code, p.name, p.category_id, p.unit, p.price, p.cost, coalesce(p.stock, 0), p.threshold,
      coalesce(p.stock <= p.threshold, false), NULL
    FROM unnest(${PRODUCTS.map((p) => p[1])}::text[], ${PRODUCTS.map((p) => p[2])}::text[], ${PRODUCTS.map((p) => categoryIds[p[0]])}::bigint[],
      ${PRODUCTS.map((p) => p[3])}::text[], ${PRODUCTS.map((p) => p[4])}::numeric[], ${PRODUCTS.map((p) => p[5])}::numeric[],
      ${PRODUCTS.map((p) => p[6])}::numeric[], ${PRODUCTS.map((p) => p[7])}::numeric[]) AS p(code, name, category_id, unit, price, cost, stock, threshold)
    RETURNING id, code`);
  const id = Object.fromEntries(ids.map((p) => [p.code, p.id]));
  await q.query(sql`INSERT INTO product_stock_movements (tenant_id, product_id, direction, quantity, balance, reason)
    SELECT tenant_id, id, 'in', stock, stock, '期初库存' FROM products WHERE tenant_id = ${tenantId} AND stock > 0`);
  // the numbering rule continues after the seeded codes
  await q.query(sql`INSERT INTO numbering_counters (tenant_id, entity_type, period_key, value) VALUES (${tenantId}, 'product', 'CP', ${PRODUCTS.length})
    ON CONFLICT (tenant_id, entity_type, period_key) DO UPDATE SET value = excluded.value`);

  const book = (await q.one<{ id: number }>(sql`INSERT INTO price_books (tenant_id, name, level_code, currency, valid_from)
    VALUES (${tenantId}, 'A 级客户价格表', 'a', 'CNY', '2025-01-01') RETURNING id`))!.id;
  const bookPrices: [string, string][] = [['CP000001', '1080.00'], ['CP000002', '2160.00'], ['CP000003', '4320.00'], ['CP000005', '2300.00'], ['CP000007', '16200.00']];
  await q.query(sql`INSERT INTO price_book_items (tenant_id, price_book_id, product_id, price)
    SELECT ${tenantId}, ${book}, b.product_id, b.price FROM unnest(${bookPrices.map(([c]) => id[c])}::bigint[], ${bookPrices.map(([, p]) => p)}::numeric[]) AS b(product_id, price)`);
  await q.query(sql`INSERT INTO discount_rules (tenant_id, name, kind, min_quantity, category_id, percent)
    VALUES (${tenantId}, '软件许可 50 用户以上 9.5 折', 'quantity', 50, ${categoryIds[0]}, 5)`);
  await q.query(sql`INSERT INTO role_discount_limits (tenant_id, role_id, max_percent)
    SELECT tenant_id, id, CASE code WHEN 'sales_rep' THEN 10 WHEN 'sales_manager' THEN 20 ELSE 30 END
    FROM roles WHERE tenant_id = ${tenantId} AND code IN ('sales_rep', 'sales_manager', 'sales_director')`);
  await q.query(sql`INSERT INTO exchange_rates (tenant_id, currency, valid_from, rate) VALUES
    (${tenantId}, 'USD', '2025-01-01', 7.18500000), (${tenantId}, 'EUR', '2025-01-01', 7.79200000)`);
}
