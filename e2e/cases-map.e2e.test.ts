import { describe, expect, it } from 'vitest';
import { collectPageErrors, phoneContext, screenshot } from './browser.ts';
import { loginH5, usePlatform } from './fixtures.ts';

describe('public map of closed cases', () => {
  const platform = usePlatform();

  it('shows closed cases without login: category, closing day and outcome in words, no personal data; panning loads the new area', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const asked: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/cases/public') asked.push(url);
    });

    await page.goto(`${server.baseUrl}/cases/map`);
    expect(new URL(page.url()).pathname).toBe('/cases/map');
    const pins = page.locator('[data-testid^="map-marker-"]');
    await expect.poll(() => pins.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('cases-map-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
    await expect.poll(() => page.locator('img.leaflet-tile-loaded').count(), { timeout: 15_000 }).toBeGreaterThan(3);

    await pins.first().click();
    const card = page.getByTestId('cases-map-card');
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/\d{4}-\d{2}-\d{2} 结案/);
    expect(((await page.getByTestId('cases-map-outcome').textContent()) ?? '').replace('处理结果：', '').trim().length).toBeGreaterThan(1);
    // Nobody's phone number, masked or not, and no reporter anywhere on the page.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toMatch(/1[3-9]\d{9}|\d{3}\*{4}\d{4}/);
    await screenshot(page, 'h5-cases-map');

    // A pan (the person's own drag) asks again around the new centre.
    const before = asked.length;
    const box = (await page.locator('.leaflet-container').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 150, box.y + box.height / 3 + 120, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => asked.length, { timeout: 10_000 }).toBeGreaterThan(before);
    const [first, last] = [asked[0]!, asked.at(-1)!];
    expect(last.searchParams.get('lat')).not.toBe(first.searchParams.get('lat'));
    await expect.poll(() => page.getByTestId('cases-map-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a worker reaches the map from "my reports"', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`${server.baseUrl}/cases`);
    await page.getByTestId('mine-map').click();
    await page.waitForURL((url) => url.pathname === '/cases/map');
    await expect.poll(() => page.locator('[data-testid^="map-marker-"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await context.close();
  });
});
