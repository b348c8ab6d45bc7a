import { describe, expect, it } from 'vitest';
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
});
