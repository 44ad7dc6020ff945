import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { sheetRows } from '../test/helpers/xlsx.js';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.js';
import { browserSuite } from './helpers/suite.js';
import { choose, signIn, tableRows, waitForToast, waitForTotal } from './helpers/ui.js';

/**
 * The customer list as people work with it (CUS-15, CUS-8), on the demo
 * company: a sales manager filters by level and a name, saves the filters as
 * a shared view (场景) and finds it again after a reload; chooses the list's
 * columns, which stay after a reload; exports the view as Excel (its rows,
 * the columns as shown, CUS-16); transfers two customers at once to a
 * rep, who then has them and sees them through the manager's shared view.
 */

const MANAGER = { login: 'manager1@demo.local', password: 'demo1234' };
const REP = { login: 'rep1@demo.local', password: 'demo1234', name: '张伟' };

const suite = browserSuite();

/** Picks an entry of the view picker (场景). */
async function pickView(page: Page, name: string) {
  await page.getByTestId('view-picker').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
}

const headers = (page: Page) => page.getByTestId('customer-list').locator('.ant-table-thead th').allInnerTexts();

describe('the customer list: views, columns, export and bulk transfer', () => {
  const run = Date.now().toString(36).slice(-5);
  const names = [`列表测试甲公司${run}`, `列表测试乙公司${run}`];
  const viewName = `A级列表测试${run}`;
  let manager: Page;

  it('the manager filters by level and name and saves the filters as a shared view', async () => {
    manager = await suite.page();
    await signIn(manager, MANAGER.login, MANAGER.password);
    await manager.goto('/customers');
    for (const name of [...names, `列表测试丙公司${run}`]) {
      await manager.getByTestId('customer-create').click();
      await manager.locator('#customer_name').fill(name);
      if (!name.includes('丙')) await choose(manager, 'customer_levelCode', 'A（重点）', 'A');
      await manager.getByTestId('customer-form-submit').click();
      await waitForToast(manager, '已创建');
      await manager.locator('#customer_name').waitFor({ state: 'detached' });
    }

    await manager.locator('#customers-filters_q').fill(run);
    await waitForTotal(manager, '共 3 条');
    await choose(manager, 'customers-filters_levelCode', 'A（重点）', 'A');
    await waitForTotal(manager, '共 2 条');
    // the filters are in the address
    await manager.waitForURL((url) => url.searchParams.get('levelCode') === 'a' && url.searchParams.get('q') === run);

    await manager.getByTestId('view-save').click();
    await manager.locator('#view_name').fill(viewName);
    await manager.locator('#view_shared').check();
    await manager.getByTestId('view-form-submit').click();
    await waitForToast(manager, '场景已保存');
    await manager.waitForURL((url) => !!url.searchParams.get('sv'));

    // a reload keeps the view and its filters
    await manager.reload();
    await waitForTotal(manager, '共 2 条');
    expect(await manager.getByTestId('view-picker').innerText()).toContain(viewName);
    expect(await manager.locator('#customers-filters_q').inputValue()).toBe(run);
    await screenshot(manager, 'desktop-customer-list-view');
  });

  it('the manager chooses the columns, and they stay after a reload', async () => {
    await pickView(manager, '全部可见客户');
    await waitForTotal(manager, '共');
    expect(await headers(manager)).toContain('客户编号');
    await manager.getByTestId('list-columns').click();
    await manager.getByTestId('list-column-code').getByRole('checkbox').uncheck();
    await manager.getByTestId('list-column-phone').getByRole('checkbox').check();
    // the phone number goes first
    for (let i = 0; i < 20 && !(await manager.getByTestId('list-column-phone').getByRole('button', { name: '上移 电话' }).isDisabled()); i++) {
      await manager.getByTestId('list-column-phone').getByRole('button', { name: '上移 电话' }).click();
    }
    await manager.getByTestId('list-columns-save').click();
    await manager.getByTestId('list-columns-save').waitFor({ state: 'hidden' });
    const check = async () => {
      const h = (await headers(manager)).map((s) => s.trim()).filter(Boolean);
      expect(h).not.toContain('客户编号');
      expect(h[0]).toBe('电话');
    };
    await check();
    await manager.reload();
    await manager.getByTestId('customer-list').locator('.ant-table-thead th').filter({ hasText: '电话' }).waitFor();
    await check();
  });

  it('the manager exports the view as Excel: its rows, the columns as shown', async () => {
    await pickView(manager, viewName);
    await waitForTotal(manager, '共 2 条');
    await manager.getByTestId('customer-export').click();
    const [download] = await Promise.all([
      manager.waitForEvent('download'),
      manager.locator('.ant-dropdown:visible').getByText('Excel 表格（.xlsx）', { exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^客户_\d{8}\.xlsx$/);
    const rows = sheetRows(readFileSync((await download.path())!));
    const shown = (await headers(manager)).map((h) => h.trim()).filter(Boolean);
    expect(rows[0]).toEqual(shown.filter((h) => h !== '操作'));
    expect(rows.slice(1).map((r) => r[rows[0]!.indexOf('客户名称')]).sort()).toEqual([...names].sort());
  });

  it('the manager transfers two customers at once to a rep', async () => {
    await pickView(manager, viewName);
    await waitForTotal(manager, '共 2 条');
    const list = manager.getByTestId('customer-list');
    for (const name of names) await list.getByRole('checkbox', { name }).check();
    expect(await manager.getByTestId('bulk-bar').innerText()).toContain('已选择 2 项');
    await manager.getByTestId('bulk-transfer').click();
    await choose(manager, 'transfer_ownerId', `${REP.name} · 销售一部`, REP.name);
    await manager.getByTestId('transfer-submit').click();
    await waitForToast(manager, '已转移 2 个客户');
    // the rep works for the manager: the customers stay in the list, with their new owner
    for (const name of names) await tableRows(manager).filter({ hasText: name }).filter({ hasText: REP.name }).waitFor();
    await manager.getByTestId('bulk-bar').waitFor({ state: 'detached' }); // the selection is done with
  });

  it('the rep has them, and finds them through the manager’s shared view', async () => {
    const rep = await suite.page();
    await signIn(rep, REP.login, REP.password);
    await rep.goto('/customers');
    await pickView(rep, '我负责的');
    await rep.locator('#customers-filters_q').fill(run);
    await waitForTotal(rep, '共 2 条');
    await pickView(rep, `${viewName}（李明）`);
    await waitForTotal(rep, '共 2 条');
    for (const name of names) await tableRows(rep).filter({ hasText: name }).waitFor();
    // a shared view is read only for a rep
    expect(await rep.getByTestId('view-manage').count()).toBe(0);
    await rep.context().close();
  });

});
