import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { openMenu, signIn, tableRows, waitForTitle, waitForToast } from './helpers/ui.js';

/**
 * The whole sales chain through the real interface, on the demo company (issue
 * 4's acceptance test): a rep creates an opportunity with a product, advances it
 * on the kanban board, quotes it with a discount beyond the rep's limit, the
 * manager approves the quote, the customer accepts and it becomes a contract;
 * the contract goes through a two-step flow whose second step is 会签 (the
 * director and finance must both approve); a payment plan is made, a receivable
 * is recorded and approved by finance; the contract's balance and the rep's
 * dashboard change by exactly those amounts. The approval flows for contracts and
 * receivables are designed by the administrator through the API first (the
 * approvals suite covers the designer). Any browser console error fails the test.
 */

const PASSWORD = 'demo1234';
const REP = 'rep1@demo.local'; // 张伟 → manager1 李明 → director 王建国
const MANAGER = 'manager1@demo.local';
const DIRECTOR = 'director@demo.local';
const FINANCE = 'finance@demo.local';
const ADMIN = 'admin@demo.local';

const suite = browserSuite();

/** Today in the company's calendar (Asia/Shanghai), as the server dates things. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
/** A money figure as shown ("¥12,345.60") in cents. */
const cents = (shown: string) => Math.round(Number(shown.replace(/[^\d.-]/g, '')) * 100);

/** Calls the API with the page's session (cookie and CSRF token), as the web client does. */
async function apiOf(page: Page) {
  const me = await (await page.request.get('/api/v1/auth/me')).json();
  const headers = { 'X-CSRF-Token': me.csrfToken as string };
  return {
    get: async (path: string) => (await page.request.get(`/api/v1${path}`)).json(),
    post: async (path: string, data: object) => {
      const res = await page.request.post(`/api/v1${path}`, { headers, data });
      expect(res.status(), `POST ${path}: ${await res.text()}`).toBeLessThan(300);
      return res.json();
    },
  };
}

/** Opens a record waiting in 待我审批 and approves it. */
async function approveWaiting(page: Page, title: string) {
  await openMenu(page, '待我审批');
  await page.getByTestId('approval-list').waitFor();
  await tableRows(page).filter({ hasText: title }).first().getByRole('link').click();
  await page.getByTestId('approval-approve').click();
  await page.getByTestId('approval-comment').fill('同意');
  await page.getByTestId('approval-confirm').click();
  await waitForToast(page, '已同意');
}

async function brief(page: Page) {
  await page.goto('/dashboard');
  const contracts = page.getByTestId('brief-contracts');
  await contracts.waitFor();
  return { contracts: cents(await contracts.innerText()), receivables: cents(await page.getByTestId('brief-receivables').innerText()) };
}

async function signedIn(login: string) {
  const page = await suite.page();
  await signIn(page, login, PASSWORD);
  return page;
}

describe('the sales chain', () => {
  const run = Date.now().toString(36).slice(-5);
  const deal = `全链路项目${run}`;
  const quoteName = `全链路报价${run}`;

  it('opportunity → board → quote approved → contract through 会签 → plan → approved receivable; balance and dashboard follow', async () => {
    // the administrator designs the flows: contract = manager, then director and finance together (会签); receivable = finance
    const admin = await signedIn(ADMIN);
    const api = await apiOf(admin);
    const users = (await api.get('/users?limit=100')).items as { id: number; email: string }[];
    const idOf = (email: string) => users.find((u) => u.email === email)!.id;
    await api.post('/approval-templates', {
      businessType: 'contract', name: '合同两级审批', steps: [
        { name: '销售经理审批', approverKind: 'superior', levels: 1, mode: 'any' },
        { name: '总监与财务会签', approverKind: 'user', approverIds: [idOf(DIRECTOR), idOf(FINANCE)], mode: 'all' },
      ],
    });
    await api.post('/approval-templates', {
      businessType: 'receivable', name: '回款确认', steps: [{ name: '财务确认', approverKind: 'user', approverIds: [idOf(FINANCE)], mode: 'any' }],
    });

    const rep = await signedIn(REP);
    const before = await brief(rep);

    // an opportunity with a product line, from a customer's 360 page
    await openMenu(rep, '客户');
    await tableRows(rep).first().getByRole('link').first().click();
    await rep.getByRole('tab', { name: '商机' }).click();
    await rep.getByTestId('customer-opportunity-create').click();
    await rep.locator('#opportunity_name').fill(deal);
    await rep.getByTestId('line-add').click();
    await rep.getByTestId('lines-editor').locator('.ant-select').first().click();
    await rep.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await rep.getByTestId('line-quantity').fill('2');
    await rep.getByTestId('opportunity-save').click();
    await waitForTitle(rep, deal);

    // advanced on the kanban board by dragging
    await rep.goto('/opportunities/board');
    const column = (stage: string) => rep.locator(`[data-testid="board-column"][data-stage="${stage}"]`);
    await column('初步接洽').locator(`[data-testid="board-card"][data-name="${deal}"]`).dragTo(column('方案报价'));
    const card = column('方案报价').locator(`[data-testid="board-card"][data-name="${deal}"]`);
    await card.waitFor();

    // a quote from the opportunity at 20 % off: beyond a rep's 10 %, so it needs approval
    await card.getByRole('link').click();
    await waitForTitle(rep, deal);
    await rep.getByRole('tab', { name: '报价单' }).click();
    await rep.getByTestId('record-quote-create').click();
    await rep.locator('#quote_name').fill(quoteName);
    await rep.getByTestId('line-add').click();
    await rep.getByTestId('lines-editor').locator('.ant-select').first().click();
    const priced = rep.waitForResponse((r) => /\/api\/v1\/products\/\d+\/price/.test(r.url()));
    await rep.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
    await priced;
    await rep.getByTestId('line-quantity').fill('2');
    await rep.getByTestId('line-discount').fill('20');
    await rep.locator('#quote_taxRate').fill('13');
    await expect.poll(() => rep.getByTestId('quote-computed-discount').inputValue()).toBe('20.00%');
    const amount = cents(await rep.getByTestId('quote-computed-amount').inputValue());
    await rep.getByTestId('quote-save').click();
    await waitForTitle(rep, quoteName);
    await rep.getByTestId('quote-submit').click();
    await waitForToast(rep, '已提交审批');
    const quoteUrl = rep.url();

    const manager = await signedIn(MANAGER);
    await approveWaiting(manager, quoteName);

    await rep.goto(quoteUrl);
    await waitForTitle(rep, quoteName);
    await expect.poll(() => rep.getByTestId('quote-status').first().getAttribute('data-status')).toBe('approved');
    await rep.getByTestId('quote-send').click();
    await waitForToast(rep, '已标记为已发送');
    await rep.getByTestId('quote-accept').click();
    await rep.getByTestId('quote-answer-confirm').click();
    await waitForToast(rep, '已记录客户答复');
    await rep.getByTestId('quote-convert').click();
    await rep.getByTestId('quote-convert-confirm').click();
    await rep.waitForURL(/\/contracts\/\d+/);
    await waitForTitle(rep, quoteName);
    const contractUrl = rep.url();
    const balance = rep.getByTestId('contract-balance');
    await expect.poll(async () => (await balance.textContent())?.split('/').map(cents)).toEqual([0, amount]);

    // the contract's two-step flow
    await rep.getByRole('tab', { name: '审批' }).click();
    await rep.getByTestId('approval-submit').click();
    await waitForToast(rep, '已提交审批');
    await approveWaiting(manager, quoteName);
    const director = await signedIn(DIRECTOR);
    await approveWaiting(director, quoteName);
    // 会签: one of the two is not enough
    await rep.goto(contractUrl);
    await waitForTitle(rep, quoteName);
    await rep.locator('.ant-tag', { hasText: '审批中' }).first().waitFor();
    const finance = await signedIn(FINANCE);
    await approveWaiting(finance, quoteName);
    await rep.reload();
    await waitForTitle(rep, quoteName);
    await rep.locator('.ant-tag', { hasText: '已生效' }).first().waitFor();

    // a payment plan of two instalments; the first one received and confirmed by finance
    await rep.getByRole('tab', { name: '回款计划与回款' }).click();
    await rep.getByTestId('plan-add').click();
    await rep.locator('#plan_count').fill('2');
    await rep.locator('#plan_dueOn').click();
    await rep.locator('#plan_dueOn').fill(today());
    await rep.locator('#plan_dueOn').press('Enter');
    await rep.getByTestId('plan-save').click();
    await waitForToast(rep, '回款计划已添加');
    await rep.getByTestId('receivable-add').click();
    await rep.locator('#receivable_receivedOn').click();
    await rep.locator('#receivable_receivedOn').fill(today());
    await rep.locator('#receivable_receivedOn').press('Enter');
    const received = cents(await rep.locator('#receivable_amount').inputValue());
    expect(received).toBeGreaterThan(0);
    await rep.getByTestId('receivable-save').click();
    await waitForToast(rep, '回款已登记');
    await rep.getByTestId('receivable-table').locator('[data-testid^="receivable-submit-"]').click();
    await rep.getByTestId('receivable-table').locator('.ant-tag', { hasText: '审批中' }).waitFor();
    expect((await balance.textContent())?.split('/').map(cents)).toEqual([0, amount]); // not paid before it is approved
    await approveWaiting(finance, quoteName);
    await rep.reload();
    await waitForTitle(rep, quoteName);
    await expect.poll(async () => (await balance.textContent())?.split('/').map(cents)).toEqual([received, amount - received]);

    // the rep's dashboard for this month: exactly this contract and this receivable more
    const after = await brief(rep);
    expect(after.contracts - before.contracts).toBe(amount);
    expect(after.receivables - before.receivables).toBe(received);
  });
});
