import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { ConsoleWatch, type ContextOptions, launchBrowser, newPage } from './browser.js';
import { type RunningServer, startServer } from './server.js';

export interface BrowserSuite {
  /** The server's address, once started. */
  readonly url: string;
  /** Every page's console errors and CSP violations; a test that expects one removes it. */
  readonly consoleWatch: ConsoleWatch;
  /** A new page in a browser context of its own (signed out). */
  page(opts?: ContextOptions): Promise<Page>;
}

/**
 * One server on the demo company and one browser for a test file, started before its tests and
 * stopped after them. Any console error or CSP violation left at the end fails the file.
 */
export function browserSuite(): BrowserSuite {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const consoleWatch = new ConsoleWatch();
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    try {
      expect(consoleWatch.errors, 'browser console errors or CSP violations').toEqual([]);
    } finally {
      await browser?.close();
      await server?.stop();
    }
  });
  return {
    get url() {
      return server!.url;
    },
    consoleWatch,
    page: (opts = {}) => newPage(browser!, consoleWatch, server!.url, opts),
  };
}
