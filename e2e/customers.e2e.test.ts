import dayjs from 'dayjs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.js';
import { browserSuite } from './helpers/suite.js';
import { choose, signIn, waitForToast } from './helpers/ui.js';

/**
 * Customer work through the real interface, on the demo company: a sales rep
 * creates a customer with an industry, a level and a region, adds a contact,
 * records a follow-up with a next contact time, finds it on the customer's
 * timeline and in the header's upcoming list; the rep's manager comments on
 * it and the rep sees the comment. The customer page fits a phone screen. Any
 * browser console error fails the test.
 */

const REP = { login: 'rep1@demo.local', password: 'demo1234' };
const MANAGER = { login: 'manager1@demo.local', password: 'demo1234', name: '李明' };

const suite = browserSuite();

describe('customers, contacts and follow-ups', () => {
  const run = Date.now().toString(36).slice(-5);
  const customer = `杭州云帆数据服务有限公司${run}`;
  const contact = `陈晓${run}`;
  const note = `电话沟通报价方案，客户关注实施周期 ${run}`;
  const comment = `下周安排上门演示，带上实施计划 ${run}`;
  // tomorrow 10:00 in the browser's time zone (the same machine, so the same zone)
  const next = dayjs().add(1, 'day').hour(10).minute(0).second(0);
  const nextText = next.format('YYYY-MM-DD HH:mm');

  let rep: Page;
  let customerPath: string;

  it('the rep creates a customer with an industry, a level and a region', async () => {
    rep = await suite.page();
    await signIn(rep, REP.login, REP.password);
    await rep.goto('/customers');
    await rep.getByTestId('customer-create').click();
    await rep.locator('#customer_name').fill(customer);
    await choose(rep, 'customer_industryCode', '软件开发', '软件');
    await choose(rep, 'customer_levelCode', 'A（重点）', 'A');
    const region = rep.locator('#customer_region');
    await region.click();
    await region.fill('深圳 南山');
    await rep.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item').filter({ hasText: '南山区' }).first().click();
    await rep.getByTestId('customer-form-submit').click();
    await waitForToast(rep, '已创建');

    await rep.getByRole('link', { name: customer }).click();
    await rep.getByTestId('customer-profile').waitFor();
    customerPath = new URL(rep.url()).pathname;
    const profile = await rep.getByTestId('customer-profile').innerText();
    expect(profile).toContain('IT/互联网 / 软件开发');
    expect(profile).toContain('A（重点）');
    expect(profile).toContain('广东省 / 深圳市 / 南山区');
    expect(profile).toMatch(/KH\d{12}/); // numbered automatically
  });

  it('the rep adds a contact, who becomes the primary one', async () => {
    await rep.getByRole('tab', { name: '联系人' }).click();
    await rep.getByTestId('contact-create').click();
    await rep.locator('#contact_name').fill(contact);
    await rep.locator('#contact_mobile').fill('13912345678');
    await choose(rep, 'contact_roleCode', '决策人');
    await rep.getByTestId('contact-form-submit').click();
    await waitForToast(rep, '已创建');
    const row = rep.getByTestId('customer-contacts').locator('tr.ant-table-row').filter({ hasText: contact });
    await row.waitFor();
    expect(await row.innerText()).toContain('主要');
    expect(await row.innerText()).toContain('决策人');
  });

  it('the rep records a follow-up with a next contact time and sees it on the timeline', async () => {
    await rep.getByRole('tab', { name: '跟进与动态' }).click();
    await rep.getByTestId('followup-composer').waitFor();
    await choose(rep, 'followup_contactId', contact);
    await rep.locator('#followup_content').fill(note);
    const picker = rep.locator('#followup_nextContactAt');
    await picker.click();
    await picker.fill(nextText);
    await picker.press('Enter');
    await rep.getByTestId('followup-submit').click();
    await waitForToast(rep, '跟进已记录');

    const item = rep.getByTestId('customer-timeline').getByTestId('followup').filter({ hasText: note });
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain('电话');
    expect(text).toContain(contact);
    expect(text).toContain(`下次联系：${nextText}`);
    // the creation of the customer is on the same timeline, with labels rather than codes
    const created = rep.getByTestId('timeline-change').filter({ hasText: '新建' });
    expect(await created.innerText()).toContain('软件开发');
    await screenshot(rep, 'desktop-customer-timeline');
  });

  it('the planned contact is in the header’s upcoming list and leads back to the customer', async () => {
    await rep.goto('/customers');
    await rep.getByTestId('upcoming-bell').click();
    const entry = rep.getByTestId('upcoming-list').getByTestId('upcoming-item').filter({ hasText: customer });
    await entry.waitFor();
    expect(await entry.innerText()).toContain(nextText);
    expect(await entry.innerText()).toContain(note);
    expect(await rep.getByTestId('upcoming-bell').getAttribute('aria-label')).toMatch(/待联系提醒：[1-9]\d* 条/);
    await screenshot(rep, 'desktop-upcoming', false);
    await entry.getByRole('button', { name: new RegExp(customer) }).click();
    await rep.waitForURL((url) => url.pathname === customerPath && url.searchParams.get('tab') === 'followups');
    await rep.getByTestId('customer-timeline').getByTestId('followup').filter({ hasText: note }).waitFor();
  });

  it('the rep’s manager comments on the follow-up, and the rep sees the comment', async () => {
    const manager = await suite.page();
    await signIn(manager, MANAGER.login, MANAGER.password);
    await manager.goto(`${customerPath}?tab=followups`);
    const card = manager.getByTestId('customer-timeline').getByTestId('followup').filter({ hasText: note });
    await card.getByTestId('followup-comment').click();
    await card.getByTestId('followup-comment-input').fill(comment);
    await card.getByTestId('followup-comment-submit').click();
    await waitForToast(manager, '点评已发送');
    const posted = card.getByTestId('followup-comment-item').filter({ hasText: comment });
    await posted.waitFor();
    expect(await posted.innerText()).toContain(MANAGER.name);
    await manager.context().close();

    // a rep may not comment (no followup.comment), but sees the manager's comment
    await rep.reload();
    const mine = rep.getByTestId('customer-timeline').getByTestId('followup').filter({ hasText: note });
    await mine.getByTestId('followup-comment-item').filter({ hasText: comment }).waitFor();
    expect(await mine.getByTestId('followup-comment').count()).toBe(0);
  });

  it('the rep links a subsidiary and sees it in the tree', async () => {
    const subsidiary = `云帆深圳子公司${run}`;
    await rep.goto('/customers');
    await rep.getByTestId('customer-create').click();
    await rep.locator('#customer_name').fill(subsidiary);
    await rep.getByTestId('customer-form-submit').click();
    await waitForToast(rep, '已创建');

    await rep.goto(`${customerPath}?tab=relations`);
    const pick = rep.locator('#relation_customerId');
    await pick.click();
    await pick.fill(subsidiary);
    await rep.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: subsidiary }).click();
    await rep.getByTestId('relation-add').click(); // 子公司 is the default kind
    await waitForToast(rep, '已添加关联客户');
    const tree = rep.getByTestId('relation-tree');
    await tree.getByRole('link', { name: subsidiary }).waitFor();
    expect(await tree.getByTestId('relation-current').innerText()).toContain(customer);
    expect(await tree.innerText()).toContain('子公司');

    // the subsidiary's own page shows the same tree, its parent on top
    await tree.getByRole('link', { name: subsidiary }).click();
    await rep.getByTestId('relation-tree').getByRole('link', { name: customer }).waitFor();
    expect(await rep.getByTestId('relation-current').innerText()).toContain(subsidiary);
  });

  it('the customer page and the customer form fit a phone screen', async () => {
    const phone = await suite.page({ viewport: { width: 375, height: 812 }, isMobile: true });
    await signIn(phone, REP.login, REP.password);
    await phone.goto(`${customerPath}?tab=followups`);
    await phone.getByTestId('customer-timeline').getByTestId('followup').filter({ hasText: note }).waitFor();
    expect(Number(await phone.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(375);
    await screenshot(phone, 'phone-customer-timeline');

    await phone.getByTestId('customer-edit').click();
    await phone.locator('#customer_name').waitFor();
    // the form takes the whole screen
    const box = await phone.locator('.customer-form-drawer').boundingBox();
    expect(Math.round(box?.width ?? 0)).toBe(375);
    await screenshot(phone, 'phone-customer-form', false);
    await phone.context().close();
  });

});
