import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

const NAME = '街角便利店（三华路）';
const HERE = { latitude: 23.4006, longitude: 113.2174 };

describe('partners end to end', () => {
  const platform = usePlatform();

  it('a shop applies in the H5, the street certifies it, the plaque QR opens its page, and it shows on the map layer and in the directory', async () => {
    const { server, browser } = platform;

    // 1. The shop owner applies from a phone, without an account.
    const phone = await browser.newContext({
      viewport: { width: 375, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      permissions: ['geolocation'],
      geolocation: HERE,
    });
    const page = await phone.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server.baseUrl}/partners/apply`);
    await page.getByTestId('apply-region').click();
    await page.locator('.van-picker-column__item').filter({ hasText: '三华社区' }).first().click();
    await page.locator('.van-picker__confirm').click();
    await expect.poll(() => page.getByTestId('apply-region').locator('input').inputValue()).toContain('三华社区');
    await page.getByTestId('apply-name').locator('input').fill(NAME);
    await page.getByTestId('apply-address').locator('input').fill('新华街三华路30号');
    await page.getByTestId('apply-contact').locator('input').fill('黄老板');
    await page.getByTestId('apply-phone').locator('input').fill('13712345678');
    await page.getByTestId('apply-benefit-0').locator('input').fill('骑手购水八折，免费热水');
    // The map pin follows the phone's position.
    await page.locator('[data-testid="apply-map"] .leaflet-marker-icon').waitFor({ timeout: 15_000 });
    await screenshot(page, 'h5-partner-apply');
    await page.getByTestId('apply-submit').click();
    await expect.poll(() => page.getByTestId('partner-apply-done').textContent(), { timeout: 15_000 }).toContain('137****5678');
    await screenshot(page, 'h5-partner-apply-done');

    // 2. The street admin reviews it in the console and certifies it (授牌).
    const desk = await desktopContext(browser);
    const screen = await desk.newPage();
    const screenErrors = collectPageErrors(screen);
    await loginAdmin(screen, server, 'xinhua');
    await screen.waitForURL((url) => !url.pathname.endsWith('/login'));
    await screen.goto(`${server.baseUrl}/admin/partners`);
    const table = screen.getByTestId('partners-table');
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain(NAME);
    // The application is first in the list (the review queue) and its phone is masked.
    expect(await table.textContent()).toContain('137****5678');
    expect(await table.textContent()).not.toContain('13712345678');
    await screenshot(screen, 'admin-partners-list');
    await screen.getByTestId(`partner-open-${NAME}`).click();
    // Masked until the reviewer asks for the whole number (the server audits that).
    await expect.poll(() => screen.getByTestId('partner-phone').textContent(), { timeout: 15_000 }).toContain('137****5678');
    await screen.getByTestId('partner-phone-reveal').click();
    await expect.poll(() => screen.getByTestId('partner-phone').textContent()).toContain('13712345678');
    await screen.getByTestId('partner-move-approve').click();
    await screen.getByTestId('partner-move-confirm').click();
    await expect.poll(() => screen.getByTestId('partner-status').textContent(), { timeout: 15_000 }).toContain('已授牌');
    const certificate = (await screen.getByTestId('partner-certificate').textContent())!.trim();
    expect(certificate).toMatch(/^NX-440114-\d{4}-[0-9A-F]{8}$/);
    await expect.poll(() => screen.locator('.el-overlay-dialog:visible').count()).toBe(0);
    await screenshot(screen, 'admin-partner-certified');
    const partnerId = screen.url().split('/').pop()!;

    // 3. The plaque: its QR holds the public page's address on this origin (read back module by module).
    await screen.goto(`${server.baseUrl}/admin/partners/${partnerId}/plaque`);
    const qr = screen.getByTestId('partner-plaque-qr');
    await expect.poll(() => qr.getAttribute('src'), { timeout: 15_000 }).toMatch(/^data:image\/png/);
    const link = (await qr.getAttribute('data-link'))!;
    expect(link).toBe(`${server.baseUrl}/partners/${partnerId}`);
    const expected = QRCode.create(link, { errorCorrectionLevel: 'M' }).modules;
    const bits = await screen.evaluate((size) => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="partner-plaque-qr"]')!;
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const cell = canvas.width / (size + 2); // one module of margin on each side
      let out = '';
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) out += ctx.getImageData(Math.floor((x + 1.5) * cell), Math.floor((y + 1.5) * cell), 1, 1).data[0]! < 128 ? '1' : '0';
      }
      return out;
    }, expected.size);
    expect(bits).toBe(Array.from(expected.data, (b) => (b ? '1' : '0')).join(''));
    expect(await screen.getByTestId('partner-plaque').textContent()).toContain(certificate);
    await screenshot(screen, 'admin-partner-plaque');
    expect(screenErrors).toEqual([]);

    // 4. Scanning it opens the partner's page on a phone, no login needed.
    await page.goto(link);
    await expect.poll(() => page.getByTestId('partner-page').textContent(), { timeout: 15_000 }).toContain(NAME);
    expect(await page.getByTestId('partner-certified').textContent()).toContain(certificate);
    expect(await page.content()).not.toContain('13712345678');
    await screenshot(page, 'h5-partner-page');

    // 5. The directory lists it nearest first, with its benefit.
    await page.goto(`${server.baseUrl}/partners`);
    const first = page.getByTestId('partner-card').first();
    await expect.poll(() => first.textContent(), { timeout: 15_000 }).toContain(NAME);
    expect(await first.textContent()).toContain('骑手购水八折');
    await screenshot(page, 'h5-partners-directory');

    // 6. A rider on the stations map turns on the partner layer: the new partner is there; its card links to the page.
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`${server.baseUrl}/stations?view=map`);
    await expect.poll(() => page.locator('[data-testid^="map-marker-"]').count(), { timeout: 15_000 }).toBeGreaterThan(3);
    const pin = page.locator(`[data-testid="map-marker-partner:${partnerId}"]`);
    expect(await pin.count()).toBe(0);
    await page.getByTestId('layer-partners').click();
    await pin.waitFor({ timeout: 15_000 });
    // Pins of neighbours overlap at this zoom: click this very pin, as a screen reader would.
    await pin.dispatchEvent('click');
    const card = page.getByTestId('partner-map-card');
    await expect.poll(() => card.textContent()).toContain(NAME);
    await screenshot(page, 'h5-stations-map-partner');
    await page.getByTestId('partner-map-open').click();
    await expect.poll(() => page.getByTestId('partner-page').textContent(), { timeout: 15_000 }).toContain(NAME);

    // The 三方公约 of 广塘社区 (seeded) is public with its signatories.
    await page.goto(`${server.baseUrl}/pledges/440114002001`);
    await expect.poll(() => page.getByTestId('pledge-text').textContent(), { timeout: 15_000 }).toContain('三方公约');
    await screenshot(page, 'h5-pledge');
    expect(errors).toEqual([]);
    await phone.close();
    await desk.close();
  });
});
