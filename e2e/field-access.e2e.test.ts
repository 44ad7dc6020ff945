import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { signIn, waitForToast } from './helpers/ui.js';

/**
 * Field-level permissions (ORG-6) through the real interface: the
 * administrator hides the customer's phone from the sales rep role and makes
 * its credit code read-only; a rep's customer form then has no phone field and
 * a disabled credit code. Any browser console error fails the test.
 */

const ADMIN = { login: 'admin@demo.local', password: 'demo1234' };
const REP = { login: 'rep1@demo.local', password: 'demo1234' };

const suite = browserSuite();

/** Picks a level in the role drawer's select of `fieldId` (no search box: clicked open). */
async function chooseLevel(page: Page, fieldId: string, level: string): Promise<void> {
  await page.locator(`.ant-select:has(#${fieldId})`).click();
  // this select's own dropdown (its list is named after the field): the previous one may still be fading out
  await page.locator(`.ant-select-dropdown:has(#${fieldId}_list)`).getByTitle(level, { exact: true }).click();
  await page.locator(`.ant-select:has(#${fieldId}) .ant-select-selection-item`).filter({ hasText: level }).waitFor();
}

describe('field permissions', () => {
  it('the administrator hides the phone from sales reps and makes the credit code read-only', async () => {
    const admin = await suite.page();
    await signIn(admin, ADMIN.login, ADMIN.password);
    await admin.goto('/org/roles');
    await admin.getByRole('row').filter({ hasText: '销售代表' }).getByRole('button', { name: '编辑' }).click();
    await chooseLevel(admin, 'role_fieldAccess_customer_phone', '隐藏');
    await chooseLevel(admin, 'role_fieldAccess_customer_creditCode', '只读');
    await admin.locator('.ant-drawer').getByRole('button', { name: /保\s*存/ }).click();
    await waitForToast(admin, '已保存');
    await admin.context().close();
  });

  it("a rep's customer form has no phone and a read-only credit code", async () => {
    const rep = await suite.page();
    await signIn(rep, REP.login, REP.password);
    await rep.goto('/customers');
    await rep.getByTestId('customer-create').click();
    await rep.locator('#customer_name').waitFor();
    expect(await rep.locator('#customer_phone').count()).toBe(0);
    expect(await rep.locator('#customer_creditCode').isDisabled()).toBe(true);
    expect(await rep.locator('#customer_email').isDisabled()).toBe(false);
    await rep.locator('#customer_name').fill(`字段权限测试有限公司${Date.now().toString(36).slice(-5)}`);
    await rep.locator('#customer_email').fill('field@acme.test');
    await rep.getByTestId('customer-form-submit').click();
    await waitForToast(rep, '已创建');
    await rep.context().close();
  });
});
