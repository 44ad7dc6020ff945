import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { openMenu, signIn, tableRows, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * A quote through the real interface, on the demo company (reps may give 10 %,
 * the quote flow is approved by the submitter's superior): a rep quotes a
 * product at 20 % off from a customer's 360 page, cannot send it but submits
 * it; the manager approves it in 待我审批; the rep sends it, records that the
 * customer accepted and converts it into a contract; the print page shows the
 * Chinese text. Any browser console error fails the test.
 */

const PASSWORD = 'demo1234';
const REP1 = 'rep1@demo.local'; // 张伟, reporting to manager1
const MANAGER1 = 'manager1@demo.local';

const suite = browserSuite();

describe('quotes', () => {
  const name = `年度软件报价${Date.now().toString(36).slice(-5)}`;

  it('a rep’s quote beyond the discount limit is approved by the manager, sent, accepted and converted into a contract', async () => {
    const rep = await suite.page();
    await signIn(rep, REP1, PASSWORD);
    await openMenu(rep, '客户');
    await tableRows(rep).first().getByRole('link').first().click();
    await rep.getByRole('tab', { name: '报价单' }).click();
    await rep.getByTestId('record-quote-create').click();
    await rep.locator('#quote_name').fill(name);
    await rep.getByTestId('line-add').click();
    await rep.getByTestId('lines-editor').locator('.ant-select').first().click();
    // the pricing endpoint answers after the pick: wait for it before typing the discount
    const priced = rep.waitForResponse((r) => /\/api\/v1\/products\/\d+\/price/.test(r.url()));
    await rep.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await priced;
    await rep.getByTestId('line-quantity').fill('2');
    await rep.getByTestId('line-discount').fill('20');
    await rep.locator('#quote_taxRate').fill('13');
    await expect.poll(() => rep.getByTestId('quote-computed-discount').inputValue()).toBe('20.00%');
    const amount = await rep.getByTestId('quote-computed-amount').inputValue();
    await rep.getByTestId('quote-save').click();
    await waitForTitle(rep, name);
    await rep.getByTestId('quote-limit').filter({ hasText: '需先提交审批' }).waitFor();
    expect(await rep.getByTestId('quote-send').count()).toBe(0);
    await rep.getByTestId('quote-submit').click();
    await waitForToast(rep, '已提交审批');
    await expect.poll(() => rep.getByTestId('quote-status').first().getAttribute('data-status')).toBe('pending');
    const quoteUrl = rep.url();
    const customer = await rep.locator('.ant-descriptions a[href^="/customers/"]').first().innerText();

    const manager = await suite.page();
    await signIn(manager, MANAGER1, PASSWORD);
    await openMenu(manager, '待我审批');
    await manager.getByTestId('approval-list').waitFor();
    await tableRows(manager).filter({ hasText: name }).getByRole('link').click();
    await waitForTitle(manager, name);
    expect(await manager.getByTestId('approval-snapshot').innerText()).toContain('20.00%');
    await manager.getByTestId('approval-approve').click();
    await manager.getByTestId('approval-comment').fill('同意本次折扣');
    await manager.getByTestId('approval-confirm').click();
    await waitForToast(manager, '已同意');

    await rep.goto(quoteUrl);
    await waitForTitle(rep, name);
    await expect.poll(() => rep.getByTestId('quote-status').first().getAttribute('data-status')).toBe('approved');
    await rep.getByTestId('quote-send').click();
    await waitForToast(rep, '已标记为已发送');
    await rep.getByTestId('quote-accept').click();
    await rep.getByTestId('quote-answer-confirm').click();
    await waitForToast(rep, '已记录客户答复');
    await expect.poll(() => rep.getByTestId('quote-status').first().getAttribute('data-status')).toBe('accepted');

    // the print page: company, customer, lines and the amount in Chinese words
    const print = await suite.page();
    await signIn(print, REP1, PASSWORD);
    await print.goto(new URL(quoteUrl).pathname + '/print');
    const sheet = print.getByTestId('quote-print');
    await sheet.waitFor();
    const text = await sheet.innerText();
    expect(text).toContain('报价单');
    expect(text).toContain(customer);
    expect(text).toContain('报价总额');
    expect(await print.getByTestId('quote-print-words').innerText()).toMatch(/^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+$/);

    await rep.getByTestId('quote-convert').click();
    await rep.getByTestId('quote-convert-confirm').click();
    await rep.waitForURL(/\/contracts\/\d+/);
    await waitForTitle(rep, name);
    await expect.poll(() => rep.getByTestId('contract-balance').textContent()).toBe(`0/${amount}`);
  });
});
