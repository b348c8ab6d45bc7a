import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { startServer, type RunningServer } from './server.ts';

/** A real server on a fresh embedded database and one Chromium, for the tests of one file. */
export function usePlatform(): { readonly server: RunningServer; readonly browser: Browser } {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return server;
    },
    get browser() {
      return browser;
    },
  };
}

/** Logs in on the H5 by SMS as a person would: the code comes from the server log. */
export async function loginH5(page: Page, server: RunningServer, phone: string) {
  await page.goto(`${server.baseUrl}/login`);
  await page.getByTestId('login-phone').fill(phone);
  await page.getByTestId('login-send-code').click();
  await page.getByTestId('login-code').fill(await server.smsCode(phone));
  await page.getByTestId('login-submit').click();
}

/** Logs in to the console with a demo staff account. */
export async function loginAdmin(page: Page, server: RunningServer, username: string) {
  await page.goto(`${server.baseUrl}/admin/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('Nuanxin@2026');
  await page.getByTestId('login-submit').click();
}
