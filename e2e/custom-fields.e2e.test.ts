import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './helpers/suite.js';
import { signIn, tableRows, waitForToast, waitForTotal } from './helpers/ui.js';

/**
 * Custom fields (SYS-1) through the real interface: the administrator adds a
 * required single-choice field and a number field to customers and a choice
 * field to contacts; a sales rep's customer form refuses to save without the
 * required one, the values show on the customer page, and the contact list
 * filters by the contact field. Any browser console error fails the test.
 */

const ADMIN = { login: 'admin@demo.local', password: 'demo1234' };
const REP = { login: 'rep1@demo.local', password: 'demo1234' };

const suite = browserSuite();

/** Picks an option of the select a label names (custom fields have generated keys, so no fixed ids). */
async function chooseByLabel(page: Page, label: string, option: string): Promise<void> {
  // the select box, not its input: a chosen value covers the input
  await page.locator('.ant-select:visible').filter({ has: page.getByLabel(label, { exact: true }) }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

describe('custom fields', () => {
  const run = Date.now().toString(36).slice(-5);
  const tier = `合作级别${run}`;
  const seats = `座席数${run}`;
  const kind = `对接类型${run}`;
  const customer = `宁波海曙自定义字段测试有限公司${run}`;
  const contact = `周晓${run}`;

  it('the administrator adds fields to customers and contacts', async () => {
    const admin = await suite.page();
    await signIn(admin, ADMIN.login, ADMIN.password);
    await admin.goto('/settings/custom-fields');
    const add = async (label: string, type: string, options: string[], required: boolean) => {
      await admin.getByRole('tabpanel').getByTestId('custom-field-create').click();
      await admin.getByTestId('custom-field-label').fill(label);
      await chooseByLabel(admin, '字段类型', type);
      for (const [i, o] of options.entries()) {
        await admin.getByTestId('custom-field-add-option').click();
        await admin.getByTestId('custom-field-option').nth(i).fill(o);
      }
      if (required) await admin.getByTestId('custom-field-required').click();
      await admin.getByTestId('custom-field-submit').click();
      await waitForToast(admin, '已创建');
      await admin.getByRole('tabpanel').getByRole('row').filter({ hasText: label }).waitFor();
    };
    await add(tier, '单选', ['战略客户', '普通客户'], true);
    await add(seats, '数字', [], false);
    const row = admin.getByTestId('custom-fields-customer').getByRole('row').filter({ hasText: tier });
    expect(await row.innerText()).toContain('必填');
    await admin.getByRole('tab', { name: '联系人' }).click();
    await add(kind, '单选', ['技术', '商务'], false);
    await admin.context().close();
  });

  it('a rep must fill the required field; the values show on the customer page', async () => {
    const rep = await suite.page();
    await signIn(rep, REP.login, REP.password);
    await rep.goto('/customers');
    await rep.getByTestId('customer-create').click();
    await rep.locator('#customer_name').fill(customer);
    await rep.getByLabel(seats, { exact: true }).fill('120');
    await rep.getByTestId('customer-form-submit').click();
    // refused: the required choice says so and the form stays open
    await rep.locator('.ant-form-item').filter({ hasText: tier }).getByText('此项为必填项').waitFor();
    expect(await rep.locator('#customer_name').isVisible()).toBe(true);
    await chooseByLabel(rep, tier, '战略客户');
    await rep.getByTestId('customer-form-submit').click();
    await waitForToast(rep, '已创建');

    await rep.getByRole('link', { name: customer }).click();
    const profile = rep.getByTestId('customer-profile');
    await profile.filter({ hasText: '战略客户' }).waitFor();
    expect(await profile.innerText()).toMatch(new RegExp(`${seats}\\s+120`));

    // a contact with the contact field, then the contact list filtered by it
    await rep.getByRole('tab', { name: '联系人' }).click();
    await rep.getByTestId('contact-create').click();
    await rep.locator('#contact_name').fill(contact);
    await chooseByLabel(rep, kind, '商务');
    await rep.getByTestId('contact-form-submit').click();
    await waitForToast(rep, '已创建');

    await rep.goto('/contacts');
    await rep.getByTestId('list-more-filters').click();
    await chooseByLabel(rep, kind, '商务');
    await waitForTotal(rep, '共 1 条');
    expect(await tableRows(rep).count()).toBe(1);
    expect(await tableRows(rep).first().innerText()).toContain(contact);
    expect(await tableRows(rep).first().innerText()).toContain('商务'); // the field's column
    await rep.context().close();
  });
});
