import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { choose, openMenu, signIn, tableRows, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * The catalogue through the real interface, on the demo company: the
 * administrator creates a category and a product in it, takes the product off
 * the shelf (it leaves the on-shelf list), takes stock down to the low-stock
 * threshold and sees the product flagged, and finds the list's export and
 * import; a rep reads the catalogue but has no button to add to it, export or
 * import it. Any browser console error fails the test.
 */

const PASSWORD = 'demo1234';
const suite = browserSuite();

describe('products', () => {
  const run = Date.now().toString(36).slice(-5);
  const category = `测试分类${run}`;
  const product = `测试产品${run}`;
  const modalOk = '.ant-modal-footer .ant-btn-primary';

  it('an administrator builds the catalogue, shelves a product and watches its stock', async () => {
    const admin = await suite.page();
    await signIn(admin, 'admin@demo.local', PASSWORD);

    await openMenu(admin, '产品分类');
    await admin.getByTestId('category-create').click();
    await admin.locator('#category_name').fill(category);
    await admin.locator(modalOk).click();
    await waitForToast(admin, '已创建');
    await admin.locator('.ant-tree').getByText(category, { exact: true }).waitFor();

    await openMenu(admin, '产品列表');
    await admin.getByTestId('product-list').waitFor();
    await admin.getByTestId('product-create').click();
    await admin.locator('#product_name').fill(product);
    await admin.locator('#product_price').fill('1999.5');
    await admin.locator('#product_lowStockThreshold').fill('5');
    await choose(admin, 'product_categoryId', category);
    await admin.locator(modalOk).click();
    await waitForToast(admin, '已创建');
    await admin.waitForURL(/\/products\/\d+/);
    await waitForTitle(admin, product);
    const detailPath = new URL(admin.url()).pathname;
    await admin.getByTestId('product-detail').getByText('¥1,999.50').waitFor();

    // off the shelf: still listed, flagged, and gone from the on-shelf list
    await openMenu(admin, '产品列表');
    await admin.getByTestId('product-list').waitFor();
    await tableRows(admin).first().waitFor();
    await admin.locator('#products-filters_q').fill(product);
    await expect.poll(() => tableRows(admin).count()).toBe(1);
    await tableRows(admin).first().locator('input[type="checkbox"]').check();
    await admin.getByTestId('product-take-off').click();
    await waitForToast(admin, '已更新 1 个产品');
    await tableRows(admin).first().getByText('已下架').waitFor();
    await choose(admin, 'products-filters_onShelf', '已上架', '已上架');
    await expect.poll(() => tableRows(admin).count()).toBe(0);

    // stock in 3 with a threshold of 5: low stock
    await admin.goto(`${detailPath}?tab=stock`);
    await admin.getByTestId('stock-adjust').click();
    await admin.locator('#stock_quantity').fill('3');
    await admin.locator('#stock_reason').fill('首批到货');
    await admin.locator(modalOk).click();
    await waitForToast(admin, '库存已调整');
    await admin.getByTestId('page-title').locator('.low-stock-tag').waitFor();
    await admin.locator('.ant-table-row').filter({ hasText: '首批到货' }).waitFor();

    // the catalogue is exported and imported from its list (CUS-16)
    await openMenu(admin, '产品列表');
    await admin.getByTestId('product-export').waitFor();
    await admin.getByTestId('import-button').click();
    await admin.locator('.ant-modal-title').getByText('导入产品').waitFor();
  });

  it('a rep reads the catalogue without the create button', async () => {
    const rep = await suite.page();
    await signIn(rep, 'rep1@demo.local', PASSWORD);
    await openMenu(rep, '产品列表');
    await rep.getByTestId('product-list').waitFor();
    await tableRows(rep).first().waitFor();
    expect(await rep.getByTestId('product-create').count()).toBe(0);
    expect(await rep.getByTestId('product-take-off').count()).toBe(0);
    expect(await rep.getByTestId('import-button').count()).toBe(0);
    expect(await rep.getByTestId('product-export').count()).toBe(0);
  });
});
