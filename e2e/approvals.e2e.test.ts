import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { openMenu, signIn, tableRows, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * An expense claim through the default approval flow of the demo company: a rep
 * files 6000 and submits it; their superior (the manager) sees it waiting, with
 * the count in the header, and approves; finance approves (6000 ≥ 5000 needs
 * finance); the rep sees it approved with its history.
 */

const PASSWORD = 'demo1234';
const REP1 = 'rep1@demo.local'; // 张伟, reporting to manager1
const MANAGER1 = 'manager1@demo.local';
const FINANCE = 'finance@demo.local';

const suite = browserSuite();

/** Opens the claim from 待我审批 and approves it with a comment. */
async function approveWaiting(page: Page, title: string, comment: string) {
  await openMenu(page, '待我审批');
  await page.getByTestId('approval-list').waitFor();
  await tableRows(page).filter({ hasText: title }).getByRole('link').click();
  await waitForTitle(page, title);
  await page.getByTestId('approval-approve').click();
  await page.getByTestId('approval-comment').fill(comment);
  await page.getByTestId('approval-confirm').click();
  await waitForToast(page, '已同意');
}

describe('approvals', () => {
  const run = Date.now().toString(36).slice(-5);
  const name = `上海客户拜访差旅 ${run}`;

  it('a rep’s claim of 6000 goes through the manager and finance, and ends approved with its history', async () => {
    const rep = await suite.page();
    await signIn(rep, REP1, PASSWORD);
    await openMenu(rep, '我的报销');
    await rep.getByTestId('expense-list').waitFor();
    await rep.getByTestId('expense-create').click();
    await rep.locator('#expense_title').fill(name);
    await rep.locator('#expense_amount').fill('6000');
    await rep.getByTestId('expense-form-submit').click();
    await waitForTitle(rep, name);
    await rep.getByTestId('approval-panel').waitFor();
    await rep.getByTestId('approval-submit').click();
    await waitForToast(rep, '已提交审批');
    await expect.poll(() => rep.getByTestId('page-title').getByTestId('approval-status').innerText()).toBe('审批中');
    const claimUrl = rep.url();

    const manager = await suite.page();
    await signIn(manager, MANAGER1, PASSWORD);
    await expect.poll(() => manager.getByTestId('approval-bell').getAttribute('aria-label')).toBe('待我审批 1 项');
    await approveWaiting(manager, name, '同意，请财务审核');
    await expect.poll(() => manager.getByTestId('approval-bell').getAttribute('aria-label')).toBe('待我审批 0 项');

    const finance = await suite.page();
    await signIn(finance, FINANCE, PASSWORD);
    await approveWaiting(finance, name, '发票已核对');
    await expect.poll(() => finance.getByTestId('approval-view').getByTestId('approval-status').innerText()).toBe('已通过');

    await rep.goto(claimUrl);
    await waitForTitle(rep, name);
    await expect.poll(() => rep.getByTestId('page-title').getByTestId('approval-status').innerText()).toBe('已通过');
    const history = rep.getByTestId('approval-history');
    await history.waitFor();
    const text = await history.innerText();
    expect(text).toContain('提交');
    expect(text).toContain('同意，请财务审核');
    expect(text).toContain('发票已核对');
    expect(await rep.getByTestId('approval-submit').count()).toBe(0);
  });
});
