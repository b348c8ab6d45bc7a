import { describe, expect, it } from 'vitest';
import { collectPageErrors, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

describe('at a station end to end', () => {
  const platform = usePlatform();

  it('the keeper shows the rotating code, a rider types it and sees 已签到, rates the visit and books 义诊; the keeper sees the booking', async () => {
    const { server, browser } = platform;

    // The counter tablet: keeper01 opens the check-in screen.
    const counter = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const screen = await counter.newPage();
    const screenErrors = collectPageErrors(screen);
    await loginAdmin(screen, server, 'keeper01');
    await screen.waitForURL((url) => !url.pathname.endsWith('/login'));
    await screen.goto(`${server.baseUrl}/admin/stations/checkin`);
    const codeEl = screen.getByTestId('checkin-code');
    await expect.poll(() => codeEl.getAttribute('data-code'), { timeout: 15_000 }).toMatch(/^\d{6}$/);
    await expect.poll(() => screen.getByTestId('checkin-qr').getAttribute('src')).toMatch(/^data:image\/png/);
    expect(await screen.getByTestId('checkin-station-name').textContent()).toContain('三华社区暖新驿站');
    const todayBefore = Number((await screen.getByTestId('checkin-today').textContent())?.match(/\d+/)?.[0]);
    await screenshot(screen, 'admin-station-checkin');

    // The rider's phone: from the station's page to the check-in page, typing the digits under the QR.
    const phone = await browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['geolocation'],
      geolocation: { latitude: 23.4021, longitude: 113.2149 },
    });
    const page = await phone.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000002');
    await page.waitForURL((url) => url.pathname === '/');
    const nearest = (await (await fetch(`${server.baseUrl}/api/v1/stations/nearby?lat=23.4021&lng=113.2149&limit=1`)).json()) as { items: Array<{ id: string }> };
    const stationId = nearest.items[0]!.id;
    await page.goto(`${server.baseUrl}/stations/${stationId}`);
    await expect.poll(() => page.getByTestId('station-name').textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');
    await expect.poll(() => page.getByTestId('station-rating').textContent()).toMatch(/分 · \d+ 条评价/);
    await page.getByTestId('station-checkin').click();
    await page.waitForURL((url) => url.pathname === '/stations/checkin');
    await expect.poll(() => page.getByTestId('checkin-station').textContent()).toContain('三华社区暖新驿站');
    // Headless Chromium on Linux has no BarcodeDetector: the page says to use the camera app or the digits.
    expect(await page.getByTestId('qr-scan-unavailable').isVisible()).toBe(true);
    await page.getByTestId('checkin-code').fill((await codeEl.getAttribute('data-code'))!);
    await screenshot(page, 'h5-checkin-code');
    await page.getByTestId('checkin-submit').click();
    await expect.poll(() => page.getByTestId('checkin-result').textContent(), { timeout: 15_000 }).toContain('已签到');
    expect(await page.getByTestId('checkin-result-text').textContent()).toMatch(/\d\d:\d\d 在三华社区暖新驿站签到成功/);
    await screenshot(page, 'h5-checkin-done');
    // The counter's figure follows within its poll.
    await expect.poll(async () => Number((await screen.getByTestId('checkin-today').textContent())?.match(/\d+/)?.[0]), { timeout: 15_000 }).toBe(todayBefore + 1);

    // Rate the visit: four stars and a line of feedback.
    await page.getByTestId('checkin-rate').click();
    await page.waitForURL((url) => url.pathname === `/stations/${stationId}`);
    const rate = page.getByTestId('station-rate');
    await rate.waitFor({ timeout: 15_000 });
    await rate.locator('.van-rate__item').nth(3).click();
    await page.getByTestId('station-rate-feedback').fill('空调很凉快，希望多放几把椅子');
    await screenshot(page, 'h5-station-rate');
    await page.getByTestId('station-rate-submit').click();
    await page.getByTestId('station-rate-thanks').waitFor();

    // Book the next 义诊 (every Thursday, seeded).
    const sessions = page.getByTestId('station-sessions');
    await expect.poll(() => sessions.textContent(), { timeout: 15_000 }).toContain('义诊');
    const clinic = page.getByTestId('station-session').filter({ hasText: '义诊' }).first();
    await clinic.getByTestId('station-session-book').click();
    await clinic.getByTestId('station-session-booked').waitFor({ timeout: 15_000 });
    await sessions.scrollIntoViewIfNeeded();
    await screenshot(page, 'h5-station-visited');
    await page.getByTestId('station-my-bookings').click();
    await expect.poll(() => page.getByTestId('bookings-list').textContent(), { timeout: 15_000 }).toContain('义诊');
    await screenshot(page, 'h5-bookings');
    expect(errors).toEqual([]);

    // The keeper sees the feedback and the booking, and marks the rider as come.
    await screen.goto(`${server.baseUrl}/admin/stations/sessions`);
    await expect.poll(() => screen.getByTestId('sessions-feedback').textContent(), { timeout: 15_000 }).toContain('希望多放几把椅子');
    const row = screen.locator('[data-testid="sessions-table"] .el-table__row').filter({ hasText: '义诊' }).first();
    await row.getByTestId('sessions-roster').click();
    const roster = screen.getByTestId('roster-table');
    await expect.poll(() => roster.textContent(), { timeout: 15_000 }).toContain('李娜');
    await roster.getByTestId('roster-attended').click();
    await expect.poll(() => roster.textContent()).toContain('到场');
    await screenshot(screen, 'admin-station-sessions');
    expect(screenErrors).toEqual([]);
    await phone.close();
    await counter.close();
  });
});
