import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { sheetRows } from '../test/helpers/xlsx.js';
import { screenshot } from './helpers/browser.js';
import { browserSuite } from './helpers/suite.js';
import { signIn, tableRows, waitForToast, waitForTotal } from './helpers/ui.js';

/**
 * The import wizard (CUS-16) on the customer list: the administrator uploads a
 * small CSV file (three good rows, one with a wrong phone number, one naming a
 * customer that exists), checks the guessed mapping and the preview, starts
 * the import and follows it to the end, downloads the failed rows, sees the
 * new customers in the list, then undoes the import from the import history
 * and sees them gone.
 */

const ADMIN = { login: 'admin@demo.local', password: 'demo1234' };

const suite = browserSuite();

/** The label a mapping select shows for a column of the file. */
const mappedTo = (page: Page, column: number) => page.getByTestId(`import-map-${column}`).locator('.ant-select-selection-item').innerText();

describe('the import wizard: upload, map, preview, import, failed rows, undo', () => {
  const run = Date.now().toString(36).slice(-5);
  const good = [`导入甲公司${run}`, `导入乙公司${run}`, `导入丙公司${run}`];
  const bad = `导入丁公司${run}`;
  const fileName = `客户导入${run}.csv`;
  let page: Page;

  it('uploads a CSV file, checks the guessed mapping and the preview, and imports it', async () => {
    page = await suite.page();
    await signIn(page, ADMIN.login, ADMIN.password);
    await page.goto('/customers');
    await waitForTotal(page, '共');
    // a customer of the demo company, named again in the file: a duplicate
    const existing = (await tableRows(page).first().locator('td a').first().innerText()).trim();
    expect(existing).not.toBe('');

    const csv = [
      '客户名称,电话,客户级别,备注',
      `${good[0]},13800138001,A（重点）,首批客户`,
      `${good[1]},0755-86001234,,`,
      `${bad},12345,,电话不对`,
      `${existing},13900139000,,已有客户`,
      `${good[2]},,B（普通）,`,
    ].join('\r\n');

    await page.getByTestId('import-button').click();
    await page.getByTestId('import-wizard').waitFor();
    await page.locator('[data-testid=import-upload] input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(`${csv}\r\n`, 'utf8') });
    await page.getByTestId('import-file-name').filter({ hasText: fileName }).waitFor();
    expect(await page.getByTestId('import-file-format').innerText()).toContain('CSV');
    expect((await page.getByTestId('import-file-encoding').innerText()).toLowerCase()).toContain('utf');

    // 字段对应: guessed from the headers
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-mapping').waitFor();
    expect(await mappedTo(page, 0)).toBe('客户名称 *');
    expect(await mappedTo(page, 1)).toBe('电话');
    expect(await mappedTo(page, 2)).toBe('客户级别');
    expect(await mappedTo(page, 3)).toBe('备注');
    expect(await page.getByTestId('import-next').isDisabled()).toBe(false);
    await screenshot(page, 'desktop-import-mapping', false);

    // 预览: the statuses of the rows, in the file's order
    await page.getByTestId('import-next').click();
    await page.getByTestId('import-preview-counts').filter({ hasText: '可导入 3 行，有误 1 行，重复 1 行' }).waitFor();
    const statuses = await page.locator('[data-testid=import-preview] tr[data-row-status]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-status')));
    expect(statuses).toEqual(['ok', 'ok', 'invalid', 'duplicate', 'ok']);
    const invalidRow = page.locator('[data-testid=import-preview] tr[data-row-status=invalid]');
    expect(await invalidRow.innerText()).toContain(bad);
    expect(await page.locator('[data-testid=import-preview] tr[data-row-status=duplicate]').innerText()).toContain(existing);
    await screenshot(page, 'desktop-import-preview', false);

    // 导入: the progress bar runs to the end, then the result
    await page.getByTestId('import-start').click();
    await page.getByTestId('import-progress').waitFor();
    await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('import-result').getAttribute('data-status')).toBe('completed');
    expect(await page.getByTestId('import-progress').getAttribute('data-percent')).toBe('100');
    const count = (id: string) => page.getByTestId(`import-count-${id}`).innerText();
    expect(await count('done')).toBe('5');
    expect(await count('created')).toBe('3');
    expect(await count('updated')).toBe('0');
    expect(await count('skipped')).toBe('1');
    expect(await count('failed')).toBe('1');
    await screenshot(page, 'desktop-import-result', false);
  });

  it('downloads the failed rows with their reason', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-failures').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const rows = sheetRows(readFileSync((await download.path())!));
    const failed = rows.filter((r) => r.includes(bad));
    expect(failed).toHaveLength(1);
    // the row as read, and a reason beside it
    expect(failed[0]!.length).toBeGreaterThan(4);
    expect(rows.some((r) => good.some((name) => r.includes(name)))).toBe(false);
  });

  it('closes the wizard and finds the new customers in the list', async () => {
    await page.getByTestId('import-close').click();
    await page.getByTestId('import-wizard').waitFor({ state: 'detached' });
    await page.locator('#customers-filters_q').fill(run);
    await waitForTotal(page, '共 3 条');
    for (const name of good) await tableRows(page).filter({ hasText: name }).waitFor();
    expect(await tableRows(page).filter({ hasText: bad }).count()).toBe(0);
  });

  it('undoes the import from the import history, and the customers are gone', async () => {
    await page.getByTestId('import-button').click();
    await page.getByTestId('import-history-open').click();
    const entry = page.getByTestId('import-history').locator('tr.ant-table-row').filter({ hasText: fileName });
    await entry.filter({ hasText: '已完成' }).waitFor();
    expect(await entry.innerText()).toContain('新建 3 · 更新 0 · 跳过 1 · 失败 1');
    await screenshot(page, 'desktop-import-history', false);
    await entry.getByRole('button', { name: '撤销导入' }).click();
    await page.locator('.ant-popover:visible').getByRole('button', { name: '撤销导入' }).click();
    await waitForToast(page, '正在后台撤销');
    await entry.filter({ hasText: '已撤销' }).waitFor();

    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('import-history').waitFor({ state: 'detached' });
    await page.getByTestId('import-wizard').waitFor();
    await page.locator('.ant-modal').filter({ has: page.getByTestId('import-wizard') }).locator('.ant-modal-close').click();
    await page.getByTestId('import-wizard').waitFor({ state: 'detached' });
    await waitForTotal(page, '共 0 条');
  });
});
