import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

const SANHUA = { latitude: 23.4015, longitude: 113.2152 };

describe('street guide and rider pass end to end', () => {
  const platform = usePlatform();

  it('a rider adds a parking spot, grid staff verify it, and it shows on the map layer', async () => {
    const { server, browser } = platform;
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', permissions: ['geolocation'], geolocation: SANHUA });
    const page = await phone.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000002');
    await page.waitForURL((url) => url.pathname === '/');

    // The stations map carries the guide layers; "+" opens the form at the map's centre.
    await page.goto(`${server.baseUrl}/stations`);
    await page.getByTestId('stations-view-map').click();
    await page.getByTestId('layer-parking').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('[data-testid^="map-marker-guide:"]').count(), { timeout: 15_000 }).toBeGreaterThan(2);
    await screenshot(page, 'h5-guide-layers');
    await page.getByTestId('guide-add').click();
    await page.waitForURL((url) => url.pathname === '/guide/new');
    await page.getByTestId('guide-kind-parking').click();
    await page.getByTestId('guide-name').fill('E2E骑手停车点');
    await page.getByTestId('guide-notes').fill('路边白线内，限停30分钟');
    await screenshot(page, 'h5-guide-contribute');
    await page.getByTestId('guide-submit').click();
    await page.waitForURL((url) => url.pathname.startsWith('/guide/places/'), { timeout: 15_000 });
    const placeId = new URL(page.url()).pathname.split('/').at(-1)!;
    await expect.poll(() => page.getByTestId('guide-place-state').textContent(), { timeout: 15_000 }).toContain('待审核');
    await screenshot(page, 'h5-guide-place-pending');

    // Grid staff verify it from the queue, with the map preview.
    const desk = await browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const admin = await desk.newPage();
    const adminErrors = collectPageErrors(admin);
    await loginAdmin(admin, server, 'grid01');
    await admin.waitForURL((url) => !url.pathname.endsWith('/login'));
    await admin.getByTestId('menu-guide-review').click();
    await admin.getByTestId('guide-open-E2E骑手停车点').click({ timeout: 15_000 });
    await admin.getByTestId('guide-verify').waitFor();
    await admin.waitForTimeout(500);
    await screenshot(admin, 'admin-guide-review');
    await admin.getByTestId('guide-verify').click();
    await expect.poll(() => admin.locator('.el-message').first().textContent(), { timeout: 15_000 }).toContain('已核实');
    expect(adminErrors).toEqual([]);

    // Back on the phone: the spot is on the parking layer, a tap shows its card.
    await page.goto(`${server.baseUrl}/stations`);
    await page.getByTestId('stations-view-map').click();
    const pin = page.locator(`[data-testid="map-marker-guide:${placeId}"]`);
    await pin.waitFor({ timeout: 15_000 });
    // Turning the stations layer off leaves the guide pins.
    await page.getByTestId('layer-stations').click();
    // Pins close together overlap at this zoom: the tap goes to this pin's own element.
    await pin.dispatchEvent('click');
    await expect.poll(() => page.getByTestId('guide-card').textContent(), { timeout: 15_000 }).toContain('E2E骑手停车点');
    expect(await page.getByTestId('guide-card-pending').count()).toBe(0);
    await screenshot(page, 'h5-guide-map-card');
    // The parking toggle hides it again.
    await page.getByTestId('layer-parking').click();
    await expect.poll(() => pin.count()).toBe(0);
    expect(errors).toEqual([]);
    await desk.close();
    await phone.close();
  });

  it('a verified rider shows the 通行码; a property guard’s phone accepts it, shows the pass and the compound guide', async () => {
    const { server, browser } = platform;
    const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await phone.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByText('通行码').first().click();
    await page.waitForURL((url) => url.pathname === '/pass');
    const codeEl = page.getByTestId('pass-code');
    await expect.poll(() => codeEl.textContent(), { timeout: 15_000 }).toMatch(/^NXP-[2-9A-HJKMNP-Z]{8}-\d{6}$/);
    await expect.poll(() => page.getByTestId('pass-qr').getAttribute('src')).toMatch(/^data:image\/png/);
    expect(await page.getByTestId('pass-countdown').textContent()).toMatch(/\d+ 秒后自动刷新/);
    await screenshot(page, 'h5-pass');

    // The guard of 安居物业 at the gate, on a phone.
    const guardPhone = await browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const guard = await guardPhone.newPage();
    const guardErrors = collectPageErrors(guard);
    await loginAdmin(guard, server, 'anju');
    await guard.waitForURL((url) => !url.pathname.endsWith('/login'));
    await guard.goto(`${server.baseUrl}/admin/guide/scan`);
    await guard.getByTestId('pass-scan-code').fill((await codeEl.textContent())!);
    await guard.getByTestId('pass-scan-submit').click();
    const result = guard.getByTestId('pass-scan-result');
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 15_000 }).toBe('ok');
    expect(await guard.getByTestId('pass-scan-name').textContent()).toContain('张伟');
    expect(await result.textContent()).toContain('美团外卖花都新华站');
    await guard.getByTestId('pass-scan-compound').click();
    await expect.poll(() => guard.getByTestId('compound-guide').textContent(), { timeout: 15_000 }).toContain('A座');
    await screenshot(guard, 'admin-pass-scan');

    // A made-up code is refused with the reason.
    await guard.getByTestId('pass-scan-code').fill('NXP-ABCDEFGH-123456');
    await guard.getByTestId('pass-scan-submit').click();
    await expect.poll(() => result.getAttribute('data-status'), { timeout: 15_000 }).toBe('error');
    expect(await guard.getByTestId('pass-scan-reason').textContent()).toContain('通行码无效');
    await screenshot(guard, 'admin-pass-scan-refused');

    // The rider's pass page now offers the compound's guide.
    await page.reload();
    await page.getByTestId('pass-recent-guide').click({ timeout: 15_000 });
    await page.waitForURL((url) => url.pathname.startsWith('/guide/places/'));
    await expect.poll(() => page.getByTestId('guide-compound-guide').textContent(), { timeout: 15_000 }).toContain('南门');
    await screenshot(page, 'h5-compound-guide');
    expect(errors).toEqual([]);
    expect(guardErrors).toEqual([]);
    await guardPhone.close();
    await phone.close();
  });
});
