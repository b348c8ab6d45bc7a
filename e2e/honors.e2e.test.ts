import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { collectPageErrors, desktopContext, phoneContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

const TITLE = '测试街道2026年度金牌先锋';
const daysFromNow = (days: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 + days * 86_400_000);

async function confirmBox(page: Page) {
  await page.locator('.el-message-box__btns .el-button--primary').click();
}

/** 金牌先锋: staff create a round and nominate in the console, a worker votes in the H5, staff publish, the roll shows. */
describe('honors end to end', () => {
  const platform = usePlatform();

  it('runs a selection from the console through a worker’s vote to the public honor roll', async () => {
    const { server, browser } = platform;
    const desk = await desktopContext(browser);
    const admin = await desk.newPage();
    const adminErrors = collectPageErrors(admin);
    await loginAdmin(admin, server, 'xinhua');
    await admin.waitForURL((url) => !url.pathname.includes('login'));
    await admin.getByTestId('menu-honor-rounds').click();
    await expect.poll(() => admin.getByTestId('rounds-table').textContent(), { timeout: 15_000 }).toContain('2026年第三季度金牌先锋');
    await admin.waitForTimeout(500); // tags fade in
    await screenshot(admin, 'admin-honors-rounds');

    // The form opens with the street preset; the round itself is filed through the API, because
    // typing into Element Plus datetime-range pickers is not reliable in a headless browser.
    await admin.getByTestId('round-add').click();
    await admin.getByTestId('round-form-title').fill(TITLE);
    await screenshot(admin, 'admin-honor-round-form');
    await admin.keyboard.press('Escape');
    const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'xinhua', password: 'Nuanxin@2026' }) });
    const staffToken = ((await login.json()) as { token: string }).token;
    // A yearly round of 新华街道 whose vote runs from yesterday for a week.
    const created = await fetch(`${server.baseUrl}/api/v1/honors/rounds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` },
      body: JSON.stringify({
        regionId: '440114001',
        title: TITLE,
        periodKind: 'year',
        year: new Date().getFullYear(),
        honorees: 10,
        nominationStartsAt: daysFromNow(-3).toISOString(),
        nominationEndsAt: daysFromNow(-2).toISOString(),
        votingStartsAt: daysFromNow(-1).toISOString(),
        votingEndsAt: daysFromNow(7).toISOString(),
      }),
    });
    expect(created.status, await created.clone().text()).toBe(200);
    await admin.reload();
    await expect.poll(() => admin.getByTestId('rounds-table').textContent(), { timeout: 15_000 }).toContain(TITLE);
    await admin.getByTestId('round-open').filter({ hasText: TITLE }).click();
    await expect.poll(() => admin.getByTestId('round-status').textContent(), { timeout: 15_000 }).toContain('草稿');
    const roundId = admin.url().split('/').at(-1)!;

    await admin.getByTestId('round-open_nomination').click();
    await confirmBox(admin);
    await expect.poll(() => admin.getByTestId('round-status').textContent(), { timeout: 15_000 }).toContain('提名中');
    await admin.getByTestId('round-nominate').click();
    await admin.getByTestId('nominate-worker').click();
    await admin.keyboard.type('陈静');
    await admin.locator('.el-select-dropdown__item').filter({ hasText: '陈静' }).first().click();
    await admin.getByTestId('nominate-reason').fill('坚持清晨清扫三华路，带动同事参加志愿服务。');
    await admin.getByTestId('nominate-submit').click();
    await expect.poll(() => admin.getByTestId('nominees-table').textContent(), { timeout: 15_000 }).toContain('陈静');
    await admin.getByTestId('round-open_voting').click();
    await confirmBox(admin);
    await expect.poll(() => admin.getByTestId('round-status').textContent(), { timeout: 15_000 }).toContain('投票中');
    await screenshot(admin, 'admin-honor-round-voting');

    // 张伟 votes on his phone: he sees a masked name and the reason, never a phone number.
    const phone = await phoneContext(browser);
    const h5 = await phone.newPage();
    const h5Errors = collectPageErrors(h5);
    await loginH5(h5, server, '13900000001');
    await h5.waitForURL((url) => url.pathname === '/');
    await screenshot(h5, 'h5-home-honors');
    await h5.getByTestId('home-entry-honors').click();
    const card = h5.getByTestId('honor-round').filter({ hasText: TITLE });
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('陈*');
    expect(await card.textContent()).not.toContain('陈静');
    expect(await card.textContent()).not.toMatch(/1390000/);
    await screenshot(h5, 'h5-honors-current');
    await card.getByTestId('honor-vote').click();
    await h5.getByRole('button', { name: '确认投票' }).click();
    await expect.poll(() => card.getByTestId('honor-votes').textContent(), { timeout: 15_000 }).toContain('1 票');
    await expect.poll(() => card.textContent()).toContain('我的选择');
    await h5.locator('.van-dialog').waitFor({ state: 'hidden' });
    await h5.locator('.van-toast').waitFor({ state: 'hidden' });
    await screenshot(h5, 'h5-honors-voted');
    // Past honor rolls: the seeded third quarter, searchable by title.
    await h5.getByRole('tab', { name: '荣誉榜' }).click();
    await expect.poll(() => h5.getByTestId('honor-roll-item').first().textContent(), { timeout: 15_000 }).toContain('第三季度');
    await screenshot(h5, 'h5-honors-rolls');

    // Staff close the vote and publish, with the street's 荣誉表彰 points.
    await admin.reload();
    await expect.poll(() => admin.getByTestId('nominees-table').textContent(), { timeout: 15_000 }).toContain('陈静');
    await admin.getByTestId('round-close').click();
    await confirmBox(admin);
    await expect.poll(() => admin.getByTestId('round-status').textContent(), { timeout: 15_000 }).toContain('已截止');
    await admin.getByTestId('round-publish').click();
    await admin.getByTestId('publish-rule').click();
    await admin.locator('.el-select-dropdown__item').filter({ hasText: '金牌先锋表彰' }).first().click();
    await admin.waitForTimeout(500);
    await screenshot(admin, 'admin-honor-publish');
    await admin.getByTestId('publish-submit').click();
    await expect.poll(() => admin.getByTestId('round-status').textContent(), { timeout: 15_000 }).toContain('已公布');
    await expect.poll(() => admin.getByTestId('nominees-table').textContent()).toContain('100 分');
    await admin.waitForTimeout(800); // the dialog and toasts fade out
    await screenshot(admin, 'admin-honor-published');

    // The honor roll is public: no login, masked name, community and reason only.
    const anon = await phoneContext(browser);
    const pub = await anon.newPage();
    const pubErrors = collectPageErrors(pub);
    await pub.goto(`${server.baseUrl}/honors/rolls/${roundId}`);
    const roll = pub.getByTestId('honoree');
    await expect.poll(() => roll.first().textContent(), { timeout: 15_000 }).toContain('陈*');
    const text = (await pub.locator('main').textContent()) ?? '';
    expect(text).toContain(TITLE);
    expect(text).toContain('三华社区');
    expect(text).not.toContain('陈静');
    await screenshot(pub, 'h5-honor-roll');

    // Stories: the public feed and one story.
    await pub.goto(`${server.baseUrl}/stories`);
    await expect.poll(() => pub.getByTestId('stories-list').textContent(), { timeout: 15_000 }).toContain('暴雨夜');
    await screenshot(pub, 'h5-stories');
    await pub.getByTestId('story-item').filter({ hasText: '暴雨夜' }).click();
    await expect.poll(() => pub.getByTestId('story').textContent(), { timeout: 15_000 }).toContain('张*');
    expect(await pub.getByTestId('story').textContent()).not.toContain('张伟');
    await screenshot(pub, 'h5-story');

    // The console's stories page lists them with filters.
    await admin.getByTestId('menu-stories').click();
    await expect.poll(() => admin.getByTestId('stories-table').textContent(), { timeout: 15_000 }).toContain('暴雨夜');
    await screenshot(admin, 'admin-stories');
    await admin.getByTestId('story-add').click();
    await admin.waitForTimeout(500);
    await screenshot(admin, 'admin-story-form');

    expect(adminErrors).toEqual([]);
    expect(h5Errors).toEqual([]);
    expect(pubErrors).toEqual([]);
    await desk.close();
    await phone.close();
    await anon.close();
  });
});
