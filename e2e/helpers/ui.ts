import type { Page } from 'playwright-core';

/** Steps through the real interface, by test ids, labels and accessible names. */

export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/');
  await page.waitForURL(/\/login/);
  await page.getByTestId('sign-in-login').fill(login);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Opens a page through the side menu (the menu a user sees is the one under test). */
export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('menuitem', { name, exact: true }).click();
}

/** The "total" line of a list page once it shows `text`. */
export async function waitForTotal(page: Page, text: string): Promise<void> {
  await page.getByTestId('list-total').filter({ hasText: text }).waitFor();
}

/**
 * Picks an option of an antd select or tree select, typing to search first, and
 * waits until the field shows it. On a busy machine a click can land while the
 * dropdown re-renders after the search and be lost: then it tries again.
 */
export async function choose(page: Page, fieldId: string, option: string, search = option): Promise<void> {
  const input = page.locator(`#${fieldId}`);
  const chosen = page.locator(`.ant-select:has(#${fieldId}) .ant-select-selection-item`).filter({ hasText: option });
  for (let attempt = 1; ; attempt++) {
    await input.click();
    await input.fill(search);
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
    try {
      await chosen.first().waitFor({ timeout: 3000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

/** A toast with this text appeared. */
export async function waitForToast(page: Page, text: string): Promise<void> {
  await page.locator('.ant-message-notice').filter({ hasText: text }).first().waitFor();
}

/** The rows of the table on the page (not the placeholder row of an empty table). */
export const tableRows = (page: Page) => page.locator('.ant-table-tbody tr.ant-table-row');

/**
 * The page title once it shows `text`. After a navigation the URL changes before the new page has
 * rendered (lazy routes keep the old page on screen while they load), so a title is waited for,
 * never read right after waitForURL.
 */
export async function waitForTitle(page: Page, text: string): Promise<string> {
  const title = page.getByTestId('page-title').filter({ hasText: text });
  await title.waitFor();
  return title.innerText();
}
