import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';
import type { RunningServer } from './server.ts';

/** Beside the 三华社区 station, so the report lands in community 440114001001 (新华街道). */
const SANHUA = { latitude: 23.4046, longitude: 113.2185 };
const RIDER = '13900000005';
/** Another worker of the same community: a second SMS login of one phone within a minute is refused. */
const OFFLINE_RIDER = '13900000001';

/** The phone of budgetPhone() in browser.ts, plus a GPS fix the page is allowed to read. */
function riderContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 375, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    geolocation: SANHUA,
    permissions: ['geolocation'],
  });
}

async function jpeg(name: string, colour: string): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-e2e-cases-')), name);
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: colour } }).jpeg().toFile(file);
  return file;
}

/** Cases with this description, as the street admin's API sees them (not through any page). */
async function casesDescribed(server: RunningServer, description: string): Promise<number> {
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'xinhua', password: 'Nuanxin@2026' }),
  });
  const { token } = (await login.json()) as { token: string };
  const res = await fetch(`${server.baseUrl}/api/v1/cases?view=all&pageSize=100`, { headers: { authorization: `Bearer ${token}` } });
  const { items } = (await res.json()) as { items: Array<{ description: string }> };
  return items.filter((c) => c.description === description).length;
}

/** Opens a step's dialog on the console case page, fills the note if given, and sends it. */
async function step(page: Page, action: string, note?: string, photo?: string, shot?: string) {
  await page.getByTestId(`case-action-${action}`).click();
  const dialog = page.locator('.el-dialog').filter({ has: page.getByTestId('step-submit') });
  if (note) await dialog.getByTestId('step-note').fill(note);
  if (photo) {
    await dialog.getByTestId('step-photos').locator('input[type=file]').setInputFiles(photo);
    await expect.poll(() => dialog.locator('.el-upload-list__item.is-success').count(), { timeout: 15_000 }).toBe(1);
  }
  if (shot) await screenshot(page, shot);
  await dialog.getByTestId('step-submit').click();
  await expect.poll(() => dialog.isVisible(), { timeout: 15_000 }).toBe(false);
}

const statusOf = (page: Page) => page.getByTestId('case-status').first().textContent();

describe('cases (随手拍) end to end', () => {
  const platform = usePlatform();
  let scenePhoto: string;
  let resultPhoto: string;
  beforeAll(async () => {
    [scenePhoto, resultPhoto] = await Promise.all([jpeg('scene.jpg', '#6b8e23'), jpeg('result.jpg', '#4682b4')]);
  });

  it('a rider reports; the street sees it live, dispatches it; 城管 handles it; the street closes it; the rider rates it', async () => {
    const { server, browser } = platform;
    const description = `垃圾桶满溢 ${Date.now()}`;

    // The street's desk is open before the report exists: it must appear there without a reload.
    const desk = await desktopContext(browser);
    const staff = await desk.newPage();
    const staffErrors = collectPageErrors(staff);
    await loginAdmin(staff, server, 'xinhua');
    await staff.waitForURL((url) => !url.pathname.includes('login'));
    await staff.getByTestId('menu-cases').click();
    await expect.poll(() => staff.getByTestId('cases-live').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');

    const phone = await riderContext(browser);
    const page = await phone.newPage();
    const riderErrors = collectPageErrors(page);
    await loginH5(page, server, RIDER);
    await page.waitForURL((url) => url.pathname === '/');
    await screenshot(page, 'h5-cases-home');
    await page.getByTestId('home-entry-snap').click();
    await page.getByTestId('report-group-env').click();
    await screenshot(page, 'h5-cases-report-subcategory');
    await page.getByTestId('report-category-env.garbage').click();
    await page.getByTestId('report-photos').locator('input[type=file]').setInputFiles(scenePhoto);
    await expect.poll(() => page.locator('.van-uploader__preview-image img').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.van-uploader__mask').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('report-position-text').textContent(), { timeout: 15_000 }).toContain('23.40460');
    await page.getByTestId('report-description').fill(description);
    await page.getByTestId('report-phrases').getByText('有安全隐患').click();
    await screenshot(page, 'h5-cases-report');
    await page.getByTestId('report-submit').click();
    await page.waitForURL((url) => /^\/cases\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 15_000 });
    const caseId = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => statusOf(page), { timeout: 15_000 }).toContain('已上报');
    await screenshot(page, 'h5-case-submitted');

    const row = staff.getByTestId('cases-table').locator('tr', { hasText: description });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    await screenshot(staff, 'admin-cases-workbench-live');
    await row.click();
    await staff.waitForURL((url) => url.pathname.endsWith(`/cases/${caseId}`));
    await expect.poll(() => staff.getByTestId('case-reporter').textContent(), { timeout: 15_000 }).toMatch(/139\*{4}0005|\*/);
    await screenshot(staff, 'admin-case-new');
    await step(staff, 'accept');
    await expect.poll(() => statusOf(staff), { timeout: 15_000 }).toContain('已立案');
    // The category's own department (城管) is preselected.
    await staff.getByTestId('case-action-dispatch').click();
    await expect.poll(() => staff.getByTestId('dispatch-department').textContent(), { timeout: 15_000 }).toContain('城市管理');
    await screenshot(staff, 'admin-case-dispatch-dialog');
    await staff.getByTestId('step-submit').click();
    await expect.poll(() => statusOf(staff), { timeout: 15_000 }).toContain('已派遣');

    const deptDesk = await desktopContext(browser);
    const handler = await deptDesk.newPage();
    const handlerErrors = collectPageErrors(handler);
    await loginAdmin(handler, server, 'chengguan');
    await handler.waitForURL((url) => !url.pathname.includes('login'));
    await handler.getByTestId('menu-cases').click();
    await expect.poll(() => handler.getByTestId('cases-table').locator('tr', { hasText: description }).count(), { timeout: 15_000 }).toBe(1);
    await handler.getByTestId('cases-table').locator('tr', { hasText: description }).click();
    await handler.waitForURL((url) => url.pathname.endsWith(`/cases/${caseId}`));
    await step(handler, 'acknowledge');
    await expect.poll(() => statusOf(handler), { timeout: 15_000 }).toContain('已签收');
    await step(handler, 'start');
    await expect.poll(() => statusOf(handler), { timeout: 15_000 }).toContain('处置中');
    await step(handler, 'handle', '已清运满溢垃圾并冲洗地面', resultPhoto, 'admin-case-handle-dialog');
    await expect.poll(() => statusOf(handler), { timeout: 15_000 }).toContain('已处理反馈');
    await screenshot(handler, 'admin-case-handled');

    // The street's page follows the handler's steps by itself (live), then verifies and closes.
    await expect.poll(() => statusOf(staff), { timeout: 15_000 }).toContain('已处理反馈');
    await step(staff, 'verify');
    await expect.poll(() => statusOf(staff), { timeout: 15_000 }).toContain('核查中');
    await step(staff, 'close', '现场核查：垃圾已清理干净');
    await expect.poll(() => statusOf(staff), { timeout: 15_000 }).toContain('已结案');
    await screenshot(staff, 'admin-case-closed');

    await page.reload();
    await expect.poll(() => page.getByTestId('case-result').textContent(), { timeout: 15_000 }).toContain('问题已解决');
    const timeline = page.getByTestId('case-timeline');
    await expect.poll(() => timeline.textContent()).toContain('已清运满溢垃圾并冲洗地面');
    await expect.poll(() => timeline.getByTestId('photo-strip').locator('img').count()).toBeGreaterThan(0);
    await screenshot(page, 'h5-case-closed');
    await page.getByTestId('case-rate-stars').locator('.van-rate__item').nth(4).click();
    await page.getByTestId('case-rate-comment').fill('处理很及时');
    await page.getByTestId('case-rate-submit').click();
    await expect.poll(() => statusOf(page), { timeout: 15_000 }).toContain('已评价');
    await screenshot(page, 'h5-case-rated');

    await page.goto(`${server.baseUrl}/cases`);
    await expect.poll(() => page.getByTestId('mine-list').textContent(), { timeout: 15_000 }).toContain(description);
    await screenshot(page, 'h5-cases-mine');

    expect(riderErrors).toEqual([]);
    expect(staffErrors).toEqual([]);
    expect(handlerErrors).toEqual([]);
    await Promise.all([phone.close(), desk.close(), deptDesk.close()]);
  });

  it('a report made with no signal waits on the phone and is sent exactly once when the network returns', async () => {
    const { server, browser } = platform;
    const description = `地下车库入口积水 ${Date.now()}`;
    const phone = await riderContext(browser);
    const page = await phone.newPage();
    await loginH5(page, server, OFFLINE_RIDER);
    await page.waitForURL((url) => url.pathname === '/');
    // Open both pages once while online, as the app would have been used before the basement.
    await page.getByTestId('home-entry-myCases').click();
    await page.getByTestId('mine-report').click();
    await expect.poll(() => page.getByTestId('report-group-traffic').count(), { timeout: 15_000 }).toBe(1);

    // The offline shell must be installed before the basement: the page will be closed and opened again there.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await phone.setOffline(true);
    await page.getByTestId('report-group-traffic').click();
    await page.getByTestId('report-category-traffic.flooding').click();
    await page.getByTestId('report-photos').locator('input[type=file]').setInputFiles(scenePhoto);
    // No network: the compressed photo is kept for the outbox instead of failing.
    await expect.poll(() => page.getByTestId('report-photos-offline').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('report-position-text').textContent(), { timeout: 15_000 }).toContain('23.40460');
    await page.getByTestId('report-description').fill(description);
    await screenshot(page, 'h5-cases-report-offline');
    await page.getByTestId('report-submit').click();
    await page.getByRole('button', { name: '知道了' }).click();
    await page.waitForURL((url) => url.pathname === '/cases');
    const entry = page.getByTestId('outbox-entry').filter({ hasText: description });
    await expect.poll(() => entry.getByTestId('outbox-state').textContent(), { timeout: 15_000 }).toContain('等待网络');
    await expect.poll(() => page.locator('.van-dialog').isVisible()).toBe(false);
    await screenshot(page, 'h5-cases-outbox-waiting');
    expect(await casesDescribed(server, description)).toBe(0);

    // The rider closes the app in the basement and opens it again, still without signal: the report is still there.
    await page.close();
    const again = await phone.newPage();
    await again.goto(`${server.baseUrl}/cases`);
    const kept = again.getByTestId('outbox-entry').filter({ hasText: description });
    await expect.poll(() => kept.getByTestId('outbox-state').textContent(), { timeout: 15_000 }).toContain('等待网络');

    await phone.setOffline(false);
    // Sent by itself on `online`: the server list then has it, and the waiting entry is gone.
    await expect.poll(() => again.getByTestId('mine-list').textContent(), { timeout: 30_000 }).toContain(description);
    await expect.poll(() => casesDescribed(server, description), { timeout: 15_000 }).toBe(1);
    await screenshot(again, 'h5-cases-outbox-sent');
    // Later retries (a reload, the app starting again) must not file it a second time.
    await again.reload();
    await expect.poll(() => again.getByTestId('mine-list').textContent(), { timeout: 15_000 }).toContain(description);
    expect(await casesDescribed(server, description)).toBe(1);
    await phone.close();
  });

  it('the console pages for rates and the category catalogue open for a district admin', async () => {
    const { server, browser } = platform;
    const desk = await desktopContext(browser);
    const page = await desk.newPage();
    const errors = collectPageErrors(page);
    await loginAdmin(page, server, 'district');
    await page.waitForURL((url) => !url.pathname.includes('login'));
    await page.getByTestId('menu-cases-rates').click();
    await expect.poll(() => page.getByTestId('rates-table').textContent(), { timeout: 15_000 }).toContain('部门');
    await screenshot(page, 'admin-cases-rates');
    await page.getByTestId('menu-cases-categories').click();
    await expect.poll(() => page.getByTestId('categories-table').textContent(), { timeout: 15_000 }).toContain('暴露垃圾');
    await screenshot(page, 'admin-cases-categories');
    await page.getByTestId('categories-add').click();
    await page.getByTestId('category-form-submit').click();
    await expect.poll(() => page.locator('.el-form-item__error').count()).toBeGreaterThan(0);
    await screenshot(page, 'admin-cases-category-form');
    expect(errors).toEqual([]);
    await desk.close();
  });
});
