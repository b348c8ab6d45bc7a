import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, screenshot } from './browser.ts';
import { loginAdmin, usePlatform } from './fixtures.ts';

/** The district's leader opens the dashboard: cards, charts on canvas, the map; then the big screen. */
describe('dashboard end to end', () => {
  const platform = usePlatform();

  it('周建国 (district admin) reads the dashboard in Chinese, and the big screen renders', async () => {
    const { server, browser } = platform;
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1440, height: 1100 });
    const errors = collectPageErrors(page);
    await loginAdmin(page, server, 'district');
    await page.waitForURL((url) => !url.pathname.includes('login'));

    // A prominent entry in the menu, right after home.
    await page.getByTestId('menu-dashboard').click();
    await page.waitForURL((url) => url.pathname === '/admin/dashboard');
    await expect.poll(() => page.getByTestId('dashboard-title').textContent(), { timeout: 15_000 }).toBe('数据看板');
    // The demo's cases were reported this month: the card counts them.
    await expect.poll(() => page.getByTestId('kpi-received').textContent(), { timeout: 15_000 }).toMatch(/受理案件\s*[1-9]/);
    await expect.poll(() => page.getByTestId('kpi-stationsAccepted').textContent()).toMatch(/已验收驿站\s*[1-9]/);
    for (const chart of ['chart-trend', 'chart-category', 'chart-community']) {
      await expect.poll(() => page.getByTestId(chart).locator('canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    }
    await expect.poll(() => page.getByTestId('dashboard-league').textContent()).toContain('区城市管理和综合执法局');
    // Heat cells and station dots are SVG paths on the Leaflet map.
    await expect.poll(() => page.getByTestId('dashboard-map').locator('path.leaflet-interactive').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    await page.waitForTimeout(800); // let the charts finish their entry animation
    await screenshot(page, 'admin-dashboard');

    await page.getByTestId('dashboard-open-screen').click();
    await page.waitForURL((url) => url.pathname === '/admin/screen');
    await expect.poll(() => page.getByTestId('screen').textContent(), { timeout: 15_000 }).toContain('暖新数据大屏');
    await expect.poll(() => page.getByTestId('screen-trend').locator('canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="screen"] [data-testid="kpi-received"]').textContent()).toMatch(/[1-9]/);
    await page.waitForTimeout(800);
    await screenshot(page, 'admin-screen');

    expect(errors).toEqual([]);
    await context.close();
  });
});
