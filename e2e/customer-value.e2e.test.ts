import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../test/helpers/api.js';
import { screenshot } from './helpers/browser.js';
import { browserSuite } from './helpers/suite.js';
import { signIn, waitForToast, waitForTotal } from './helpers/ui.js';

/**
 * Printing and customer value through the real interface, on the demo company:
 * the customer print view, envelopes for two customers picked on the list
 * (one per page, with their postcodes), and points granted on the 360 page.
 * The print dialog is replaced by a counter. Any browser console error fails the test.
 */

const ADMIN = { login: 'admin@demo.local', password: 'demo1234' };

let admin: Page;
const suite = browserSuite();
const run = Date.now().toString(36).slice(-5);
const customers = [
  { name: `信封测试甲公司${run}`, postcode: '518057', contact: `周宁${run}`, detail: '科技园南区 1 号' },
  { name: `信封测试乙公司${run}`, postcode: '100080', contact: `吴静${run}`, detail: '中关村大街 27 号' },
];
const ids: number[] = [];
const webForm = `官网表单${run}`;

beforeAll(async () => {
  const api = await new ApiClient(suite.url).login(ADMIN.login, ADMIN.password);
  for (const c of customers) {
    const created = await api.post('/api/v1/customers', { name: c.name, addresses: [{ tag: 'office', detail: c.detail, postcode: c.postcode, isDefault: true }] });
    ids.push(created.body.id);
    await api.post('/api/v1/contacts', { customerId: created.body.id, name: c.contact, title: '经理', isPrimary: true });
  }
  await api.post('/api/v1/lead-forms', { name: webForm });
  admin = await suite.page();
  // print() would open a dialog a headless browser cannot close: count the calls instead
  await admin.context().addInitScript({ content: 'window.printed = 0; window.print = () => { window.printed += 1; };' });
  await signIn(admin, ADMIN.login, ADMIN.password);
});

const printed = (page: Page) => page.evaluate<number>('window.printed');

describe('printing and customer value', () => {
  it('the 360 page opens the print view with the customer and its contact, and prints it', async () => {
    await admin.goto(`/customers/${ids[0]}`);
    const [view] = await Promise.all([admin.context().waitForEvent('page'), admin.getByTestId('customer-print').click()]);
    const sheet = view.getByTestId('customer-print');
    await sheet.filter({ hasText: customers[0]!.contact }).waitFor();
    expect(await sheet.innerText()).toContain(customers[0]!.name);
    await expect.poll(() => printed(view)).toBe(1);
    await screenshot(view, 'customer-print');
    await view.close();
  });

  it('envelopes for two customers chosen on the list: one each, with their postcodes', async () => {
    await admin.goto('/customers');
    await admin.locator('#customers-filters_q').fill(`信封测试`);
    await waitForTotal(admin, '共 2 条');
    const list = admin.getByTestId('customer-list');
    for (const c of customers) await list.getByRole('checkbox', { name: c.name }).check();
    await admin.getByTestId('bulk-envelopes').click();
    const [sheet] = await Promise.all([admin.context().waitForEvent('page'), admin.getByTestId('envelope-print').click()]);
    const envelopes = sheet.getByTestId('envelope');
    await envelopes.nth(1).waitFor();
    expect(await envelopes.count()).toBe(2);
    const postcodes = await sheet.getByTestId('envelope-postcode').allInnerTexts();
    expect(postcodes.map((p) => p.replace(/\s/g, '')).sort()).toEqual(customers.map((c) => c.postcode).sort());
    for (const c of customers) expect(await envelopes.filter({ hasText: c.name }).innerText()).toContain(c.contact);
    await expect.poll(() => printed(sheet)).toBe(1);
    await screenshot(sheet, 'envelopes');
    await sheet.close();
  });

  it('points granted on the 360 page show the new balance', async () => {
    await admin.goto(`/customers/${ids[1]}?tab=value`);
    await admin.getByTestId('points-amount').fill('120');
    await admin.getByTestId('points-reason').fill('年度采购奖励');
    await admin.getByTestId('points-submit').click();
    await waitForToast(admin, '当前积分 120');
    await admin.getByTestId('points-balance').filter({ hasText: '120' }).waitFor();
    await admin.locator('.ant-table-row').filter({ hasText: '年度采购奖励' }).filter({ hasText: '+120' }).waitFor();
  });

  it('the settings show the default envelope template with a live preview, and the level rules', async () => {
    await admin.goto('/settings/envelopes');
    await admin.locator('.ant-table-row').filter({ hasText: '国内5号信封' }).getByRole('button', { name: '编辑' }).click();
    const preview = admin.getByTestId('envelope-preview');
    await preview.getByTestId('envelope').waitFor();
    const sender = admin.locator('#senderCompany');
    await sender.fill(`寄件测试${run}`);
    await preview.filter({ hasText: `寄件测试${run}` }).waitFor();
    await admin.keyboard.press('Escape');
    await admin.goto('/settings/level-rules');
    await admin.getByTestId('level-rule-create').waitFor();
  });

  it('the other settings pages built on the shared settings components open, and a web form opens for editing', async () => {
    await admin.goto('/settings/dictionaries');
    await admin.locator('.ant-table-row').first().waitFor();
    await admin.goto('/settings/entry-rules');
    await admin.getByTestId('entry-rules-save').waitFor();
    await admin.goto('/settings/duplicates');
    await admin.getByTestId('duplicate-rules-save').waitFor();
    await admin.goto('/settings/leads');
    await admin.getByTestId('lead-rules-save').waitFor();
    await admin.getByRole('tab', { name: '网页表单' }).click();
    await admin.getByTestId('lead-forms').waitFor();
    await admin.locator('.ant-table-row').filter({ hasText: webForm }).getByTestId('lead-form-edit').click();
    await admin.locator('.ant-modal').filter({ hasText: `编辑表单：${webForm}` }).waitFor();
    await admin.locator('#leadForm_name').fill(`${webForm}（停用）`);
    await admin.locator('.ant-modal').getByRole('switch').click();
    await admin.locator('.ant-modal .ant-btn-primary').click();
    await waitForToast(admin, '已保存');
    await admin.locator('.ant-table-row').filter({ hasText: `${webForm}（停用）` }).filter({ hasText: '已停用' }).waitFor();
  });
});
