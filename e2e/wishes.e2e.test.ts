import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, phoneContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

async function jpeg(name: string, colour: string): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-wish-')), name);
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: colour } }).jpeg().toFile(file);
  return file;
}

/** 微心愿 end to end: a rider posts, the community approves, the barber claims and fulfils with a photo, the rider confirms and thanks. */
describe('micro-wishes end to end', () => {
  const platform = usePlatform();

  it('张伟 posts a wish, 三华社区 approves it, the barber claims and fulfils it with a photo, 张伟 confirms and thanks', async () => {
    const { server, browser } = platform;
    const title = '一副防风保暖手套';
    const [wishPhoto, proofPhoto] = await Promise.all([jpeg('wish.jpg', '#8b5a2b'), jpeg('proof.jpg', '#2e8b57')]);

    // The rider, on a phone: home → 微心愿 → 我要许愿.
    const rider = await phoneContext(browser);
    const page = await rider.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('home-entry-wishes').click();
    await page.waitForURL((url) => url.pathname === '/wishes');
    await expect.poll(() => page.getByTestId('wishes-wall').textContent(), { timeout: 15_000 }).toContain('一个新的骑行头盔');
    await screenshot(page, 'h5-wishes-wall');
    await page.getByTestId('wishes-post').click();
    await page.waitForURL((url) => url.pathname === '/wishes/new');
    await page.getByTestId('wish-title').fill(title);
    await page.getByTestId('wish-description').fill('冬天夜里送餐手冻得发麻，想要一副防风保暖的手套。');
    await page.getByTestId('wish-value').fill('60');
    await page.getByTestId('wish-photos').locator('input[type=file]').setInputFiles(wishPhoto);
    await expect.poll(() => page.locator('[data-testid="wish-photos"] .van-uploader__preview').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="wish-photos"] .van-uploader__mask').count(), { timeout: 15_000 }).toBe(0);
    await screenshot(page, 'h5-wish-post');
    await page.getByTestId('wish-submit').click();
    await page.waitForURL((url) => /^\/wishes\/mine\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 15_000 });
    const wishId = new URL(page.url()).pathname.split('/').at(-1)!;
    await expect.poll(() => page.getByTestId('wish-status').textContent(), { timeout: 15_000 }).toContain('待审核');
    await screenshot(page, 'h5-wish-submitted');

    // The community admin reviews it in the console.
    const office = await desktopContext(browser);
    const desk = await office.newPage();
    const deskErrors = collectPageErrors(desk);
    await loginAdmin(desk, server, 'sanhua');
    await desk.waitForURL((url) => !url.pathname.includes('login'));
    await desk.getByTestId('menu-wishes').click();
    await desk.waitForURL((url) => url.pathname === '/admin/wishes');
    const table = desk.getByTestId('wishes-table');
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain(title);
    await screenshot(desk, 'admin-wishes-review');
    await desk.getByTestId(`wish-open-${title}`).click();
    const drawer = desk.getByTestId('wish-drawer');
    await expect.poll(() => drawer.textContent(), { timeout: 15_000 }).toContain('张伟');
    expect(await drawer.textContent()).toContain('139****0001');
    await desk.getByTestId('wish-approve').click();
    await desk.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => desk.getByTestId('wish-drawer-status').textContent(), { timeout: 15_000 }).toContain('待认领');
    await screenshot(desk, 'admin-wish-approved');
    expect(deskErrors).toEqual([]);

    // The barber, on a phone at the shop: claim it, then fulfil it with a handover photo.
    const shop = await phoneContext(browser);
    const till = await shop.newPage();
    const tillErrors = collectPageErrors(till);
    await loginAdmin(till, server, 'barber');
    await till.waitForURL((url) => !url.pathname.includes('login'));
    await till.goto(`${server.baseUrl}/admin/wishes/claims`);
    const card = till.getByTestId('wish-claim-card').filter({ hasText: title });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('张* · 三华社区');
    await screenshot(till, 'admin-wish-claims-open');
    await card.getByTestId('wish-claim').click();
    await till.locator('.el-message-box__btns .el-button--primary').click();
    const mine = till.getByTestId('wish-claim-card').filter({ hasText: title });
    await expect.poll(() => mine.getByTestId('wish-claim-status').textContent(), { timeout: 15_000 }).toContain('已认领');
    await mine.getByTestId('wish-fulfil').click();
    await till.getByTestId('fulfil-photos').locator('input[type=file]').setInputFiles(proofPhoto);
    await expect.poll(() => till.locator('[data-testid="fulfil-photos"] .el-upload-list__item.is-success').count(), { timeout: 15_000 }).toBe(1);
    await till.getByTestId('fulfil-note').fill('已在三华社区服务站当面交给张师傅');
    await screenshot(till, 'admin-wish-fulfil');
    await till.getByTestId('fulfil-submit').click();
    await expect.poll(() => mine.getByTestId('wish-claim-status').textContent(), { timeout: 15_000 }).toContain('已圆梦');
    await till.locator('[data-testid="wish-claims-list"] > .el-loading-mask').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined);
    await screenshot(till, 'admin-wish-claims-mine');

    // Back on the rider's phone: 已圆梦 with the handover; confirm and thank publicly.
    await page.reload();
    await expect.poll(() => page.getByTestId('wish-status').textContent(), { timeout: 15_000 }).toContain('已圆梦');
    expect(await page.getByTestId('wish-claimed-by').textContent()).toContain('暖心理发（三华店）');
    await page.getByTestId('wish-proof').waitFor();
    await page.getByTestId('wish-thanks-text').fill('手套很暖和，谢谢暖心理发！');
    await screenshot(page, 'h5-wish-fulfilled');
    await page.getByTestId('wish-confirm-submit').click();
    await expect.poll(() => page.getByTestId('wish-status').textContent(), { timeout: 15_000 }).toContain('已确认');
    await expect.poll(() => page.getByTestId('wish-thanks').textContent()).toContain('谢谢暖心理发');
    await page.getByTestId('wish-timeline').scrollIntoViewIfNeeded();
    await screenshot(page, 'h5-wish-confirmed');

    // The wall shows the thanks, with the wisher as 张* of 三华社区 only.
    await page.goto(`${server.baseUrl}/wishes/wall/${wishId}`);
    await expect.poll(() => page.getByTestId('wish-public-thanks').textContent(), { timeout: 15_000 }).toContain('谢谢暖心理发');
    const publicText = (await page.getByTestId('wish-public').textContent()) ?? '';
    expect(publicText).toContain('张* · 三华社区');
    expect(publicText).not.toContain('张伟');
    await screenshot(page, 'h5-wish-wall-thanks');

    // The barber sees the thanks among their claims.
    await till.reload();
    await till.getByTestId('wish-claims-tab-mine').click();
    await expect.poll(() => till.getByTestId('wish-claim-card').filter({ hasText: title }).textContent(), { timeout: 15_000 }).toContain('谢谢暖心理发');
    expect(tillErrors).toEqual([]);
    expect(errors).toEqual([]);

    // The figures: 三华社区 counts the wish as confirmed today; the street admin's settings page shows the cap.
    await desk.goto(`${server.baseUrl}/admin/wishes/counts`);
    const counts = desk.getByTestId('wish-counts-table');
    await expect.poll(() => counts.textContent(), { timeout: 15_000 }).toContain('三华社区');
    await screenshot(desk, 'admin-wish-counts');
    const streetOffice = await desktopContext(browser);
    const street = await streetOffice.newPage();
    const streetErrors = collectPageErrors(street);
    await loginAdmin(street, server, 'xinhua');
    await street.waitForURL((url) => !url.pathname.includes('login'));
    await street.goto(`${server.baseUrl}/admin/wishes/settings`);
    await street.getByRole('heading', { name: '心愿设置' }).waitFor({ timeout: 15_000 });
    await expect.poll(() => street.getByTestId('wish-settings-cap').locator('input').inputValue(), { timeout: 15_000 }).toBe('200');
    await street.getByTestId('wish-settings-days').locator('input').fill('10');
    await street.getByTestId('wish-settings-days').locator('input').press('Tab');
    await screenshot(street, 'admin-wish-settings');
    await street.getByTestId('wish-settings-save').click();
    await expect.poll(() => street.locator('.el-message').first().textContent(), { timeout: 15_000 }).toContain('已保存');
    const saved = await street.evaluate(async () => {
      const res = await fetch('/api/v1/wishes/settings/440114001', { headers: { authorization: `Bearer ${localStorage.getItem('nx.admin.token')}` } });
      return ((await res.json()) as { claimDays: number }).claimDays;
    });
    expect(saved).toBe(10);
    expect(streetErrors).toEqual([]);
    expect(deskErrors).toEqual([]);
    await streetOffice.close();
    await rider.close();
    await office.close();
    await shop.close();
    // Three people on three devices, two photo uploads and a rebuild of every page they open: longer than the default minute.
  }, 180_000);
});
