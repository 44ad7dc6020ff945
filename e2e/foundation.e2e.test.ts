import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.js';
import { browserSuite } from './helpers/suite.js';
import { choose, openMenu, signIn, tableRows, waitForToast, waitForTitle, waitForTotal } from './helpers/ui.js';

/**
 * The foundation through the real interface: an administrator sets up a
 * department and a sales rep; the rep's data scope (本人) shows only the rep's
 * own customers, while the administrator sees all; the rep switches to English;
 * the customer list fits a phone screen. Any browser console error (CSP
 * violations included) fails the test.
 */

const ADMIN = { login: 'admin@demo.local', password: 'demo1234' };
const DEMO_CUSTOMERS = 300;

const suite = browserSuite();

describe('foundation', () => {
  // unique per run, so a failure leaves nothing that trips the next run
  const run = Date.now().toString(36).slice(-5);
  const department = `华南大区${run}`;
  const rep = {
    name: `林晓${run}`,
    mobile: `139${String(Date.now()).slice(-8)}`,
    password: 'Huanan2024!',
  };
  const customer = `深圳前海云帆示范客户${run}`;

  let admin: Page;
  let repPage: Page;

  it('the administrator signs in and sees every demo customer', async () => {
    admin = await suite.page();
    await signIn(admin, ADMIN.login, ADMIN.password);
    await admin.waitForURL('**/dashboard'); // the home page
    await admin.goto('/customers');
    await waitForTotal(admin, `共 ${DEMO_CUSTOMERS} 条`);
    expect(await admin.getByTestId('company-name').innerText()).toBe('云帆科技（演示）');
    expect(await tableRows(admin).count()).toBe(50);
    await screenshot(admin, 'desktop-customers-admin');
  });

  it('the administrator creates a department', async () => {
    await openMenu(admin, '部门管理');
    await admin.getByTestId('department-tree').waitFor();
    await admin.getByTestId('department-create').click();
    await admin.locator('#department_name').fill(department);
    await admin.getByTestId('department-form-submit').click();
    await waitForToast(admin, '已创建');
    await admin.getByTestId('department-tree').getByText(department, { exact: true }).waitFor();
    await screenshot(admin, 'desktop-departments');
  });

  it('the administrator creates a sales rep in that department', async () => {
    await openMenu(admin, '员工管理');
    await admin.getByTestId('user-create').click();
    await admin.locator('#user_name').fill(rep.name);
    await admin.locator('#user_mobile').fill(rep.mobile);
    await choose(admin, 'user_departmentId', department);
    await choose(admin, 'user_roleIds', '销售代表');
    await admin.keyboard.press('Escape');
    await admin.locator('#user_password').fill(rep.password);
    await screenshot(admin, 'desktop-user-form', false);
    await admin.getByTestId('user-form-submit').click();
    await waitForToast(admin, '已创建');
    await admin.locator('#users-filters_q').fill(rep.name);
    await expect.poll(() => tableRows(admin).count()).toBe(1);
    const row = tableRows(admin).first();
    expect(await row.innerText()).toContain(department);
    expect(await row.innerText()).toContain('销售代表');
  });

  it('the new rep sees no demo customer, creates one and then sees exactly that one', async () => {
    repPage = await suite.page();
    await signIn(repPage, rep.mobile, rep.password);
    await repPage.goto('/customers');
    await waitForTotal(repPage, '共 0 条');
    expect(await tableRows(repPage).count()).toBe(0);

    // the menu holds only what the 销售代表 role may use
    await repPage.getByRole('menuitem', { name: '部门管理', exact: true }).waitFor();
    expect(await repPage.getByRole('menuitem', { name: '角色权限', exact: true }).count()).toBe(0);
    expect(await repPage.getByRole('menuitem', { name: '操作日志', exact: true }).count()).toBe(0);

    await repPage.getByTestId('customer-create').click();
    await repPage.locator('#customer_name').fill(customer);
    await repPage.getByTestId('customer-form-submit').click();
    await waitForToast(repPage, '已创建');
    await waitForTotal(repPage, '共 1 条');
    await expect.poll(() => tableRows(repPage).count()).toBe(1);
    const row = tableRows(repPage).first();
    expect(await row.innerText()).toContain(customer);
    expect(await row.innerText()).toContain(rep.name);
    expect(await row.innerText()).toContain(department);
    await screenshot(repPage, 'desktop-customers-rep');
  });

  it('a page the rep may not use shows 403 when opened directly', async () => {
    await repPage.goto('/org/roles');
    await repPage.getByTestId('forbidden').waitFor();
    expect(await repPage.getByTestId('forbidden').innerText()).toContain('无权访问');
    await repPage.goto('/customers');
    await waitForTotal(repPage, '共 1 条');
  });

  it('the administrator now sees all customers, the new one included', async () => {
    await openMenu(admin, '客户');
    await waitForTotal(admin, `共 ${DEMO_CUSTOMERS + 1} 条`);
    await admin.getByRole('link', { name: customer }).click();
    await admin.getByTestId('customer-detail').waitFor();
    expect(await waitForTitle(admin, customer)).toBe(customer);
    expect(await admin.getByTestId('customer-detail').innerText()).toContain(rep.name);
    await admin.getByRole('tab', { name: '操作记录' }).click();
    await admin.getByText('新建', { exact: true }).first().waitFor();
    await screenshot(admin, 'desktop-customer-detail');
  });

  it('the rep switches the interface to English, and the choice is saved to the account', async () => {
    await repPage.getByTestId('language-switch').click();
    await repPage.getByRole('menuitem', { name: 'English' }).click();
    await repPage.getByRole('menuitem', { name: 'Customers', exact: true }).waitFor();
    await repPage.locator('.ant-dropdown:visible').waitFor({ state: 'hidden' });
    expect(await waitForTitle(repPage, 'Customers')).toBe('Customers');
    expect(await repPage.getByTestId('customer-create').innerText()).toBe('New customer');
    await waitForTotal(repPage, '1 in total');
    expect(await repPage.getByRole('columnheader', { name: 'Customer name' }).count()).toBe(1);
    expect(await repPage.getByRole('menuitem', { name: 'Departments', exact: true }).count()).toBe(1);
    expect(await repPage.evaluate('document.documentElement.lang')).toBe('en');
    await screenshot(repPage, 'desktop-customers-rep-en');

    // a fresh browser (nothing in local storage) signs in and gets English from the account
    const again = await suite.page();
    await signIn(again, rep.mobile, rep.password);
    await again.getByRole('menuitem', { name: 'Customers', exact: true }).waitFor();
    await again.goto('/customers');
    await waitForTotal(again, '1 in total');
    await again.context().close();
  });

  it('the customer list fits a phone screen', async () => {
    const phone = await suite.page({ viewport: { width: 375, height: 812 }, isMobile: true });
    await signIn(phone, ADMIN.login, ADMIN.password);
    await phone.goto('/customers');
    await waitForTotal(phone, `共 ${DEMO_CUSTOMERS + 1} 条`);
    await expect.poll(() => tableRows(phone).count()).toBe(50);
    // the side menu is a drawer behind the menu button here
    expect(await phone.locator('.app-sider').count()).toBe(0);
    const width = Number(await phone.evaluate('document.documentElement.scrollWidth'));
    expect(width).toBeLessThanOrEqual(375);
    await screenshot(phone, 'phone-customers');

    await phone.getByTestId('menu-toggle').click();
    await phone.getByRole('menuitem', { name: '员工管理', exact: true }).click();
    await phone.getByTestId('user-list').waitFor();
    await tableRows(phone).first().waitFor();
    expect(Number(await phone.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await screenshot(phone, 'phone-users');
    await phone.context().close();
  });

});
