import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Page } from 'playwright-core';

/** Screenshots land here (git-ignored). */
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '.artifacts');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The one console error the app causes on purpose: on first load it asks
 * /api/v1/auth/me whether a session exists, and the answer for "no" is a 401,
 * which Chromium logs as a failed resource.
 */
function expectedError(msg: ConsoleMessage): boolean {
  return /status of 401/.test(msg.text()) && msg.location().url.endsWith('/api/v1/auth/me');
}

/**
 * Browser console errors, uncaught page errors and Content-Security-Policy
 * violations (Chromium reports those as console errors) of every page opened
 * in the watched contexts.
 */
export class ConsoleWatch {
  readonly errors: string[] = [];

  watch(context: BrowserContext): BrowserContext {
    context.on('console', (msg) => {
      if (msg.type() === 'error' && !expectedError(msg)) this.errors.push(`console: ${msg.text()} (${msg.location().url})`);
    });
    context.on('weberror', (err) => this.errors.push(`page error: ${err.error().message}`));
    return context;
  }
}

export interface ContextOptions {
  viewport?: { width: number; height: number };
  isMobile?: boolean;
}

/** A fresh browser profile (no cookies, no local storage) with one page. */
export async function newPage(browser: Browser, watch: ConsoleWatch, baseURL: string, opts: ContextOptions = {}): Promise<Page> {
  const context = watch.watch(
    await browser.newContext({
      baseURL,
      viewport: opts.viewport ?? { width: 1366, height: 860 },
      isMobile: opts.isMobile,
      hasTouch: opts.isMobile,
      deviceScaleFactor: opts.isMobile ? 2 : 1,
      locale: 'zh-CN',
      // as a user in China: what the pickers take and what the pages show are in the demo users' time zone
      timezoneId: 'Asia/Shanghai',
    }),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

/** Saves a screenshot: the whole page, or with `fullPage: false` what the window shows (for drawers and dialogs). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
