import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, contextWithoutConsent, screenshot } from './browser.ts';
import { loginH5, usePlatform } from './fixtures.ts';

/** 个人信息保护: consent before the position is used, a copy of one's data, deleting the account. */
describe('a rider’s privacy', () => {
  const platform = usePlatform();

  it('asks before using the position, hands over a copy of the data, and deletes the account', async () => {
    const { server, browser } = platform;
    const context = await contextWithoutConsent(browser, { geolocation: { latitude: 23.4021, longitude: 113.2149 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const phone = '17700005678';
    await loginH5(page, server, phone);
    await page.waitForURL(/\/register/);
    await page.getByTestId('register-name').fill('周小舟');
    await page.getByTestId('register-occupation').click();
    await page.getByText('快递员', { exact: true }).click();
    await page.getByText('顺丰', { exact: true }).click();
    await page.getByTestId('register-community').click();
    await page.getByText('花都区', { exact: true }).click();
    await page.getByText('新华街道', { exact: true }).click();
    await page.getByText('三华社区', { exact: true }).click();
    await page.getByTestId('register-submit').click();
    await page.waitForURL((url) => url.pathname === '/');

    // Our own question comes before any position is read; "no" still gives a usable list.
    await page.goto(`${server.baseUrl}/stations`);
    const dialog = page.locator('.van-dialog');
    await expect.poll(() => dialog.textContent(), { timeout: 15_000 }).toContain('使用您的位置');
    await screenshot(page, 'h5-consent-location');
    await dialog.getByRole('button', { name: '不同意' }).click();
    await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');
    expect(await page.evaluate(() => localStorage.getItem('nx.consent.location'))).toBeNull();

    // A copy of everything stored about the rider.
    await page.goto(`${server.baseUrl}/me`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('me-download').click()]);
    const copy = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
    expect(copy.account).toMatchObject({ phone, name: '周小舟' });
    expect(copy.profile).toMatchObject({ occupation: 'courier' });

    // 注销: only after typing the word.
    await page.getByTestId('me-delete').click();
    await page.getByTestId('me-delete-confirm').fill('注销');
    await screenshot(page, 'h5-delete-account');
    await page.getByRole('button', { name: '确认注销' }).click();
    await page.waitForURL(/\/login/, { timeout: 15_000 });

    // The same phone starts over as a new person (with a new code: the first one is still in the log).
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-phone').fill(phone);
    const earlier = server.smsCount(phone);
    await page.getByTestId('login-send-code').click();
    await page.getByTestId('login-code').fill(await server.smsCode(phone, earlier));
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/register/, { timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
