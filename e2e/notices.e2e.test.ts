import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, phoneContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

/** Notices and the message center: a street publishes, a rider reads; a case step reaches the reporter. */
describe('notices and messages end to end', () => {
  const platform = usePlatform();

  it('a street admin publishes a notice in the console; a rider sees it and a case update behind the 消息 badge, opens them, and the count goes down', async () => {
    const { server, browser } = platform;
    const title = `暴雨天气安全出行提示-${Date.now() % 100000}`;

    // The console: 新华街道 writes a notice for the street and publishes it.
    const desk = await desktopContext(browser);
    const admin = await desk.newPage();
    const adminErrors = collectPageErrors(admin);
    await loginAdmin(admin, server, 'xinhua');
    await admin.getByTestId('menu-notices-manage').click();
    await admin.getByTestId('notice-add').click();
    await admin.getByTestId('notice-form-title').fill(title);
    await admin.getByTestId('notice-form-body').fill('今晚有暴雨，请骑手朋友们减速慢行，注意积水路段；可到就近暖新驿站避雨休息。');
    await admin.getByTestId('notice-form-submit').click();
    const row = admin.getByTestId('notices-table').locator('tr', { hasText: title });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await row.getByRole('button', { name: '发布' }).click();
    await admin.getByRole('button', { name: '发布' }).last().click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('已发布');
    await screenshot(admin, 'admin-notices');

    // A case update for 李娜 (新华街道): she reports, the street accepts (立案) — one deliver() in that step.
    const api = async (path: string, init: { token?: string; body?: unknown; key?: string } = {}) => {
      const res = await fetch(`${server.baseUrl}${path}`, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.key ? { 'idempotency-key': init.key } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const rider = await phoneContext(browser);
    const page = await rider.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000002');
    await page.waitForURL((url) => url.pathname === '/');
    const riderToken = (await page.evaluate(() => localStorage.getItem('nx.h5.token')))!;
    const staffToken = (await api('/api/v1/auth/login', { body: { username: 'xinhua', password: 'Nuanxin@2026' } })).token as string;
    const categories = (await fetch(`${server.baseUrl}/api/v1/cases/categories?regionId=440114`).then((r) => r.json())) as Array<{ id: string; code: string }>;
    const report = await api('/api/v1/cases', { token: riderToken, key: crypto.randomUUID(), body: { categoryId: categories.find((c) => c.code === 'env.vending')!.id, description: '路口占道经营', lat: 23.4025, lng: 113.2153 } });
    const caseId = report.id as string;
    expect((await api(`/api/v1/cases/${caseId}/accept`, { token: staffToken, body: {} })).status).toBe('accepted');

    // The 消息 tab carries the badge: unread messages plus the unread notice.
    const badge = page.getByTestId('tab-messages').locator('.van-badge');
    const badgeCount = async () => ((await badge.count()) ? Number(((await badge.first().textContent()) ?? '').trim() || '0') : 0);
    await page.reload();
    await expect.poll(badgeCount, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const before = await badgeCount();
    await page.getByTestId('tab-messages').click();
    await page.waitForURL((url) => url.pathname === '/messages');
    const message = page.locator('.row', { hasText: '您的报事已立案' }).first();
    await expect.poll(() => message.count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'h5-messages');
    await message.click();
    await page.waitForURL((url) => url.pathname === `/cases/${caseId}`, { timeout: 15_000 });
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/messages');
    await expect.poll(badgeCount, { timeout: 15_000 }).toBe(before - 1);

    // The notice: in the 公告 tab, opened, counted once; the badge goes down again.
    await page.getByRole('tab', { name: /公告/ }).click();
    const notice = page.locator('.row', { hasText: title });
    await expect.poll(() => notice.count(), { timeout: 15_000 }).toBe(1);
    await notice.click();
    await expect.poll(() => page.getByTestId('notice-detail').textContent(), { timeout: 15_000 }).toContain('暴雨');
    await screenshot(page, 'h5-notice');
    await page.goBack();
    await expect.poll(badgeCount, { timeout: 15_000 }).toBe(before - 2);

    // 我的 → 消息设置: SMS / WeChat for report progress, saved at once.
    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-message-settings').click();
    await page.getByTestId('pref-case').locator('.van-switch').nth(1).click();
    await expect
      .poll(async () => ((await api('/api/v1/messages/preferences', { token: riderToken })) as unknown as Array<{ topic: string; outbound: boolean }>).find((p) => p.topic === 'case')?.outbound, { timeout: 15_000 })
      .toBe(true);
    await screenshot(page, 'h5-message-settings');
    expect(errors).toEqual([]);

    // Back in the console the street sees one worker read it.
    await admin.reload();
    await expect.poll(() => admin.getByTestId('notices-table').locator('tr', { hasText: title }).textContent(), { timeout: 15_000 }).toMatch(/1\/\d+ 名劳动者/);
    await expect.poll(() => admin.getByTestId('header-messages').count()).toBe(1);
    await admin.getByTestId('menu-messages').click();
    await expect.poll(() => admin.getByTestId('messages-table').count(), { timeout: 15_000 }).toBe(1);
    await screenshot(admin, 'admin-messages');
    expect(adminErrors).toEqual([]);
    await rider.close();
    await desk.close();
  });
});
