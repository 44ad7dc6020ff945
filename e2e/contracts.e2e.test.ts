import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { openMenu, signIn, tableRows, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * Contracts through the real interface, on the demo company (no approval flow
 * for contracts or receivables is configured there, so both take effect when
 * submitted): a rep drafts a contract with a product line from a customer's
 * 360 page, submits it, splits the amount into a payment plan, records the
 * first instalment as received, and sees paid and outstanding change. Any
 * browser console error fails the test.
 */

const REP = 'rep4@demo.local';
const suite = browserSuite();

async function pickDate(page: import('playwright-core').Page, id: string, day: string) {
  await page.locator(`#${id}`).click();
  await page.locator(`#${id}`).fill(day);
  await page.locator(`#${id}`).press('Enter');
}

describe('contracts', () => {
  const name = `年度维保合同${Date.now().toString(36).slice(-5)}`;

  it('a rep drafts, submits, plans and records money received on a contract', async () => {
    const page = await suite.page();
    await signIn(page, REP, 'demo1234');
    await openMenu(page, '客户');
    await tableRows(page).first().getByRole('link').first().click();
    await page.getByRole('tab', { name: '合同' }).click();
    await page.getByTestId('customer-contract-create').click();
    await page.locator('#contract_name').fill(name);
    await page.getByTestId('line-add').click();
    await page.getByTestId('lines-editor').locator('.ant-select').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('line-quantity').fill('2');
    await page.locator('#contract_taxRate').fill('13');
    const computed = page.getByTestId('contract-computed-amount');
    await expect.poll(() => computed.inputValue()).not.toBe('0.00');
    const amount = await computed.inputValue();
    await page.getByTestId('contract-save').click();
    await waitForTitle(page, name);
    const balance = page.getByTestId('contract-balance');
    expect(await balance.textContent()).toBe(`0/${amount}`);

    // no approval flow in the demo company: submitting makes it take effect
    await page.getByRole('tab', { name: '审批' }).click();
    await page.getByTestId('approval-submit').click();
    await page.locator('.ant-tag', { hasText: '已生效' }).first().waitFor();

    // a payment plan of two instalments, then the first one received
    await page.getByRole('tab', { name: '回款计划与回款' }).click();
    await page.getByTestId('plan-add').click();
    await page.locator('#plan_count').fill('2');
    await pickDate(page, 'plan_dueOn', '2026-12-31');
    await page.getByTestId('plan-save').click();
    await waitForToast(page, '回款计划已添加');
    await expect.poll(() => page.getByTestId('plan-table').locator('tbody tr.ant-table-row').count()).toBe(2);

    await page.getByTestId('receivable-add').click();
    await pickDate(page, 'receivable_receivedOn', '2026-11-20');
    const received = await page.locator('#receivable_amount').inputValue();
    await page.getByTestId('receivable-save').click();
    await waitForToast(page, '回款已登记');
    await page.getByTestId('receivable-table').locator('[data-testid^="receivable-submit-"]').click();
    await page.getByTestId('receivable-table').locator('.ant-tag', { hasText: '已确认' }).waitFor();
    await expect.poll(() => balance.textContent()).not.toBe(`0/${amount}`);
    const [paid, outstanding] = (await balance.textContent())!.split('/');
    expect(paid).toBe(received);
    expect(Number(paid) + Number(outstanding)).toBeCloseTo(Number(amount), 2);
    await page.getByTestId('plan-table').locator('.ant-tag', { hasText: '已回款' }).waitFor();
  });
});
