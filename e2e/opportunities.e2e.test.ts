import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { openMenu, signIn, tableRows, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * Opportunities through the real interface, on the demo company: a rep starts
 * an opportunity with a product line from a customer's 360 page, drags it on
 * the kanban board to the next stage, marks another one lost with a reason,
 * and finds the stage history on the detail page. Any browser console error
 * fails the test.
 */

const PASSWORD = 'demo1234';
const REP = 'rep5@demo.local';
const OPEN_STAGES = ['初步接洽', '需求确认', '方案报价', '谈判审核'];

const suite = browserSuite();

describe('opportunities', () => {
  const name = `智能仓储项目${Date.now().toString(36).slice(-5)}`;

  it('a rep creates an opportunity from a customer, moves it on the board, loses another, and reads the stage history', async () => {
    const page = await suite.page();
    await signIn(page, REP, PASSWORD);

    // from the customer 360 page, with one product line
    await openMenu(page, '客户');
    await tableRows(page).first().getByRole('link').first().click();
    await page.getByRole('tab', { name: '商机' }).click();
    await page.getByTestId('customer-opportunity-create').click();
    await page.locator('#opportunity_name').fill(name);
    await page.getByTestId('line-add').click();
    await page.getByTestId('lines-editor').locator('.ant-select').first().click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await page.getByTestId('line-quantity').fill('3');
    const subtotal = page.getByTestId('lines-subtotal');
    await expect.poll(() => subtotal.innerText()).not.toContain('¥0.00');
    const total = (await subtotal.innerText()).split(/[:：]\s*/).pop()!.trim();
    await page.getByTestId('opportunity-save').click();
    await waitForTitle(page, name);
    expect(await page.getByTestId('opportunity-amount-value').innerText()).toBe(total);

    // drag it on the board from the first stage to the next
    await page.goto('/opportunities/board');
    const column = (stage: string) => page.locator(`[data-testid="board-column"][data-stage="${stage}"]`);
    const card = column('初步接洽').locator(`[data-testid="board-card"][data-name="${name}"]`);
    await card.waitFor();
    await card.dragTo(column('需求确认'));
    await column('需求确认').locator(`[data-testid="board-card"][data-name="${name}"]`).waitFor();
    await page.reload();
    await column('需求确认').locator(`[data-testid="board-card"][data-name="${name}"]`).waitFor();

    // another one is lost, with a reason
    const others = page.locator(OPEN_STAGES.map((s) => `[data-testid="board-column"][data-stage="${s}"] [data-testid="board-card"]:not([data-name="${name}"])`).join(', '));
    await others.first().waitFor();
    const other = await others.first().getAttribute('data-name');
    await others.first().dragTo(page.locator('[data-testid="board-drop"][data-stage="输单"]'));
    await page.locator('.ant-modal .ant-select').first().click();
    await page.locator('.ant-select-dropdown:visible').getByTitle('竞争对手', { exact: true }).click();
    await page.getByTestId('stage-move-ok').click();
    await waitForToast(page, '阶段已更新');
    await column('输单').locator(`[data-testid="board-card"][data-name="${other}"]`).waitFor();

    // the stage history on the detail page
    await column('需求确认').locator(`[data-testid="board-card"][data-name="${name}"]`).getByRole('link').click();
    await waitForTitle(page, name);
    await page.getByRole('tab', { name: '阶段记录' }).click();
    const history = page.getByTestId('stage-history');
    await history.locator('tr', { hasText: '需求确认' }).waitFor();
    expect(await history.locator('tbody tr.ant-table-row').count()).toBe(2);
    expect(await history.locator('tbody tr.ant-table-row').first().innerText()).toContain('初步接洽');
  });
});
