import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectPageErrors, screenshot } from './browser.ts';
import { loginH5, usePlatform } from './fixtures.ts';

describe('nearby stations end to end', () => {
  const platform = usePlatform();

  it('a rider at 三华路 finds the nearest stations, filters for a toilet, and opens one to navigate', async () => {
    const { server, browser } = platform;
    const context = await browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      permissions: ['geolocation'],
      geolocation: { latitude: 23.4021, longitude: 113.2149 },
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000002');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('home-entry-stations').click();

    const list = page.getByTestId('stations-list');
    await expect.poll(() => list.textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');
    const first = (await page.getByTestId('station-distance').first().textContent()) ?? '';
    expect(first).toMatch(/^\s*0\s*米/);
    await screenshot(page, 'h5-stations');

    await page.getByTestId('stations-filter-amenity-toilet').click();
    await expect.poll(() => list.textContent()).toContain('三华社区暖新驿站');
    await page.getByText('三华社区暖新驿站').first().click();
    await expect.poll(() => page.getByTestId('station-name').textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');
    const href = await page.getByTestId('station-navigate').getAttribute('href');
    expect(href).toContain('position=113.2149,23.4021');
    expect(href).toContain('coordinate=wgs84');
    await expect.poll(() => page.locator('body').textContent()).toContain('138****0010');
    await screenshot(page, 'h5-station');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the stations map shows pins on local tiles, a tap opens the summary, "search this area" moves the search, and nothing leaves the test server', async () => {
    const { server, browser } = platform;
    const context = await riderAt(browser, 23.4021, 113.2149);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    // Every request of the page and its service worker: only the test server may be asked.
    const foreign: string[] = [];
    const tiles: string[] = [];
    const origin = new URL(server.baseUrl).origin;
    context.on('request', (request) => {
      const url = request.url();
      if (url.startsWith('data:') || url.startsWith('blob:')) return;
      if (new URL(url).origin !== origin) foreign.push(url);
      else if (new URL(url).pathname.startsWith('/tiles/')) tiles.push(url);
    });

    await loginH5(page, server, '13900000003');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`${server.baseUrl}/stations`);
    await expect.poll(() => page.getByTestId('stations-list').textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');

    await page.getByTestId('stations-view-map').click();
    const pins = page.locator('[data-testid^="map-marker-"]');
    await expect.poll(() => pins.count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await expect.poll(() => page.locator('img.leaflet-tile-loaded').count()).toBeGreaterThan(3);
    expect(page.url()).toContain('view=map');
    // The map fills its box: the phone's width, and most of the screen below the filters.
    const box = (await page.locator('.leaflet-container').boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(370);
    expect(box.height).toBeGreaterThanOrEqual(320);
    // Every pin is inside the map after the view was fitted to them.
    for (const pin of await pins.all()) {
      const p = (await pin.boundingBox())!;
      expect(p.x >= box.x && p.x + p.width <= box.x + box.width && p.y >= box.y && p.y + p.height <= box.y + box.height).toBe(true);
    }
    await screenshot(page, 'h5-stations-map');

    await page.locator('[data-testid^="map-marker-"][title="三华社区暖新驿站"]').tap();
    const summary = page.getByTestId('stations-map-summary');
    await expect.poll(() => summary.textContent()).toContain('三华社区暖新驿站');
    expect(await summary.textContent()).toMatch(/0\s*米/);
    expect(await summary.textContent()).toMatch(/营业中|休息中/);
    await screenshot(page, 'h5-stations-map-summary');

    // Pan with the keyboard (as a screen-reader user would): "search this area" appears.
    await page.getByTestId('stations-map-summary').getByRole('button').click();
    await page.locator('.leaflet-container').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await page.getByTestId('stations-search-here').click();
    await expect.poll(() => page.getByTestId('stations-picked-notice').isVisible()).toBe(true);
    expect(page.url()).toMatch(/at=23\.\d+%2C113\.\d+|at=23\.\d+,113\.\d+/);
    await expect.poll(() => pins.count()).toBeGreaterThan(0);
    await screenshot(page, 'h5-stations-map-searched');

    // The list follows the picked point: the nearest station is no longer 0 m away.
    await page.getByTestId('stations-view-list').click();
    await expect.poll(() => page.getByTestId('station-distance').first().textContent()).not.toMatch(/^\s*0\s*米/);
    await page.getByTestId('stations-view-map').click();
    await expect.poll(() => pins.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid^="map-marker-"][title="三华社区暖新驿站"]').tap();
    await page.getByTestId('stations-map-open').click();
    await expect.poll(() => page.getByTestId('station-name').textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');
    await page.goBack();
    await expect.poll(() => page.url()).toContain('view=map');
    await expect.poll(() => pins.count(), { timeout: 15_000 }).toBeGreaterThan(0);

    expect(tiles.length).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A phone in Chinese whose GPS says it is at the given WGS-84 point. */
function riderAt(browser: Browser, latitude: number, longitude: number) {
  return browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    permissions: ['geolocation'],
    geolocation: { latitude, longitude },
  });
}
