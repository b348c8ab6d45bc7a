import type { CDPSession } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.ts';
import { loginH5, usePlatform } from './fixtures.ts';

/**
 * A rider's phone on the road: Lighthouse's mobile profile (150 ms round trips, 1.6 Mbit/s down,
 * 750 kbit/s up, CPU slowed 4×). Targets from the hardening issue: a usable home screen in under
 * 3 s with nothing cached but the session (printed, not asserted: speed is not a pass/fail test on
 * a shared machine), under 200 KB of JavaScript for it as sent (asserted).
 */
const THREE_G = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };

function countScriptBytes(cdp: CDPSession): () => number {
  const scripts = new Set<string>();
  let bytes = 0;
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script') scripts.add(event.requestId);
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (scripts.has(event.requestId)) bytes += event.encodedDataLength;
  });
  return () => bytes;
}

describe('field conditions', () => {
  const platform = usePlatform();

  it('shows a usable home screen on a slow phone network (target 3 s, printed), with under 200 KB of JavaScript', async () => {
    const { server, browser } = platform;
    // Log in first (a rider opens the app already logged in), then measure a cold load in a new context.
    const setup = await browser.newContext();
    const login = await setup.newPage();
    await loginH5(login, server, '13900000007');
    await login.waitForURL((url) => url.pathname === '/');
    // What a returning rider's phone keeps: the session token and the cached profile (nothing else:
    // no service worker, no HTTP cache, so every file comes over the slow network).
    const stored = await login.evaluate(() => JSON.stringify(Object.fromEntries(Object.entries(localStorage))));
    await setup.close();

    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    await phone.addInitScript((entries) => {
      for (const [key, value] of Object.entries(JSON.parse(entries) as Record<string, string>)) localStorage.setItem(key, value);
    }, stored);
    const page = await phone.newPage();
    const errors = collectPageErrors(page);
    const cdp = await phone.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', THREE_G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const scriptBytes = countScriptBytes(cdp);

    if (process.env.FIELD_DEBUG) {
      const t0 = Date.now();
      page.on('requestfinished', (r) => console.log(`${String(Date.now() - t0).padStart(5)} ms  ${r.url().replace(server.baseUrl, '')}`));
    }
    const started = Date.now();
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('home-greeting').waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByTestId('home-entry-points').waitFor({ state: 'visible' });
    const usableMs = Date.now() - started;
    const kb = Math.round(scriptBytes() / 1024);
    await screenshot(page, 'h5-home-3g');
    console.log(`field: home screen usable after ${usableMs} ms on throttled 3G with 4× CPU; ${kb} KB of JavaScript sent`);
    // Speed is measured and printed, not asserted (a loaded CI machine is no phone); what must hold
    // is that it works at all on this network, and the size, which does not depend on the load.
    expect(usableMs).toBeLessThan(20_000);
    expect(kb).toBeLessThan(200);
    expect(errors).toEqual([]);
    await phone.close();
  });
});
