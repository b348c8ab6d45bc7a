import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = path.resolve('.tmp/screenshots');

const withoutConsent = new WeakMap<Browser, Browser['newContext']>();

/**
 * Debian's Chromium, never a downloaded browser; flags that keep it off the closed network. Every
 * context it makes has already said yes to the H5's privacy questions (position, photos), as a
 * returning rider has; `contextWithoutConsent` gives a first-time phone.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const plain = browser.newContext.bind(browser);
  withoutConsent.set(browser, plain);
  browser.newContext = async (options) => {
    const context = await plain(options);
    await context.addInitScript(() => {
      localStorage.setItem('nx.consent.location', 'granted');
      localStorage.setItem('nx.consent.camera', 'granted');
    });
    return context;
  };
  return browser;
}

/** A phone that has never answered the privacy questions. */
export function contextWithoutConsent(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  return (withoutConsent.get(browser) ?? browser.newContext.bind(browser))({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', ...options });
}

/** A phone-sized context like a budget Android phone, in Chinese. */
export function phoneContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

export function desktopContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN' });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Fails the test on any uncaught page error (a broken build shows up here first) and on anything
 * the Content-Security-Policy blocked (a page that works only without the policy is broken).
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return errors;
}
