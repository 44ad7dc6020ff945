import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { signIn, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * The dashboard as the home page and sales targets, on the demo company: the
 * administrator lands on the dashboard, sees the brief and both charts drawn,
 * changes the range and the person shown; then sets a monthly target for a
 * rep on the targets page and finds it in the rep's KPI.
 */

const suite = browserSuite();
const REP = '张伟';

const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

/** Picks an option of a searchable select (typing first: the option list is virtual). */
async function pick(page: Page, testId: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByTestId(testId).locator('input').fill(option);
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

describe('dashboard and targets', () => {
  it('lands on the dashboard, filters it, and shows a target set on the targets page', async () => {
    const page = await suite.page();
    await signIn(page, 'admin@demo.local', 'demo1234');
    await page.waitForURL('**/dashboard');
    await waitForTitle(page, '仪表盘');

    // brief figures, the whole company this month; then this year (demo customers span the past year)
    await page.getByTestId('brief-new-customers').waitFor();
    const month = await text(page, 'brief-new-customers');
    await page.getByTestId('dashboard-range').getByText('本年', { exact: true }).click();
    await expect.poll(() => text(page, 'brief-new-customers')).not.toBe(month);
    const companyYear = Number(await text(page, 'brief-new-customers'));
    expect(companyYear).toBeGreaterThan(Number(month));
    expect(await text(page, 'kpi-subject')).toContain('年');

    // both charts are drawn (ECharts loaded on demand, canvas renderer)
    await page.getByTestId('dashboard-funnel-chart').locator('canvas').waitFor();
    await page.getByTestId('dashboard-trend-chart').locator('canvas').waitFor();

    // one rep: fewer customers, and the KPI is the rep's
    await pick(page, 'dashboard-subject', REP);
    await expect.poll(() => text(page, 'kpi-subject')).toContain(REP);
    await expect.poll(async () => Number(await text(page, 'brief-new-customers'))).toBeLessThan(companyYear);

    // a target for this month on the targets page
    await page.goto('/targets');
    await waitForTitle(page, '销售目标');
    await pick(page, 'targets-subject', REP);
    const m = new Date().getMonth() + 1;
    const cell = page.getByTestId(`target-contract_amount-m${m}`);
    await cell.fill('123456.78');
    await page.getByTestId('target-save-contract_amount').click();
    await waitForToast(page, '销售目标已保存');
    // an invalid amount is refused with the cell marked
    await cell.fill('-1');
    await page.getByTestId('target-save-contract_amount').click();
    await page.locator('.ant-input-status-error').first().waitFor();
    const refusal = suite.consoleWatch.errors.findIndex((e) => /status of 400 .*\/api\/v1\/targets\)/.test(e));
    expect(refusal).toBeGreaterThanOrEqual(0);
    suite.consoleWatch.errors.splice(refusal, 1);

    // the rep's KPI this month shows it
    await page.goto('/dashboard');
    await waitForTitle(page, '仪表盘');
    await pick(page, 'dashboard-subject', REP);
    await expect.poll(() => text(page, 'kpi-contract-target')).toBe('123,456.78');
  });
});
