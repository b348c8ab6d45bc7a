import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectPageErrors, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

const TITLE = '端到端测试：驿站周边清洁志愿服务';

// Phones and the console in China time, as they are in use (the pages show local times).
const phoneContext = (browser: Browser) => browser.newContext({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
const desktopContext = (browser: Browser) => browser.newContext({ viewport: { width: 1366, height: 820 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

/** An activity from sign-up to points: the rider signs up, checks in and out at the organiser's QR, staff confirm, points arrive. */
describe('activities end to end', () => {
  const platform = usePlatform();

  it('张伟 signs up in the H5, checks in and out with the organiser’s rotating QR, staff confirm and he sees his points', async () => {
    const { server, browser } = platform;
    const api = async (method: string, url: string, token: string | null, body?: unknown) => {
      const res = await fetch(`${server.baseUrl}${url}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (res.status === 204 ? {} : await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const staffToken = (await api('POST', '/api/v1/auth/login', null, { username: 'sanhua', password: 'Nuanxin@2026' })).token as string;
    const station = ((await api('GET', '/api/v1/stations/manage?q=三华社区暖新驿站', staffToken)).items as Array<{ id: string }>)[0]!.id;
    const rule = ((await api('GET', '/api/v1/points/rules', staffToken)) as unknown as Array<{ id: string; name: string }>).find((r) => r.name === '参加暖新活动')!.id;
    // It starts in a minute: sign-up is open until then, check-in opens 30 minutes before the start
    // (the steps below up to the second rider's sign-up take 15–30 s).
    const startsAt = new Date(Date.now() + 60_000);
    const draft = await api('POST', '/api/v1/activities/manage', staffToken, {
      regionId: '440114001001',
      kind: 'volunteer',
      title: TITLE,
      description: '清理驿站周边的共享单车和垃圾，带上手套。',
      stationId: station,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000).toISOString(),
      capacity: 5,
      pointsRuleId: rule,
    });
    const id = draft.id as string;

    // The community admin publishes it from the console list.
    const desk = await desktopContext(browser);
    const console_ = await desk.newPage();
    const consoleErrors = collectPageErrors(console_);
    await loginAdmin(console_, server, 'sanhua');
    await console_.waitForURL((url) => !url.pathname.endsWith('/login'));
    await console_.getByTestId('menu-activities').click();
    const row = console_.locator('.el-table__row').filter({ hasText: TITLE });
    await row.waitFor({ timeout: 15_000 });
    await row.getByTestId('activity-publish').click();
    await console_.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('报名中');
    await screenshot(console_, 'admin-activities-list');

    // The rider finds it from the home screen and signs up.
    const rider = await phoneContext(browser);
    const page = await rider.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('home-entry-activities').click();
    await page.waitForURL((url) => url.pathname === '/activities');
    const item = page.getByTestId('activity-item').filter({ hasText: TITLE });
    await item.waitFor({ timeout: 15_000 });
    await screenshot(page, 'h5-activities-list');
    await item.click();
    await page.waitForURL((url) => url.pathname === `/activities/${id}`);
    await page.getByTestId('activity-signup').click();
    await expect.poll(() => page.getByTestId('activity-mine').textContent(), { timeout: 15_000 }).toContain('已报名');
    await expect.poll(() => page.getByTestId('voucher-qr').getAttribute('src')).toMatch(/^data:image\/png/);
    await screenshot(page, 'h5-activity-signed-up');

    // The organiser's phone shows the rotating check-in QR.
    const organiserPhone = await phoneContext(browser);
    const door = await organiserPhone.newPage();
    const doorErrors = collectPageErrors(door);
    await loginAdmin(door, server, 'sanhua');
    await door.waitForURL((url) => !url.pathname.endsWith('/login'));
    await door.goto(`${server.baseUrl}/admin/activities/checkin?id=${id}`);
    const codeEl = door.getByTestId('activity-checkin-code');
    await expect.poll(() => codeEl.getAttribute('data-code'), { timeout: 15_000 }).toMatch(/^\d{6}$/);
    await expect.poll(() => door.getByTestId('activity-checkin-qr').getAttribute('src')).toMatch(/^data:image\/png/);
    expect(await door.getByTestId('activity-checkin-title').textContent()).toContain(TITLE);
    await screenshot(door, 'admin-activity-checkin-phone');

    // What the phone's camera opens from the QR: the H5 check-in link, which checks in at once.
    const link = (mode: string, code: string) => `${server.baseUrl}/activities/checkin?a=${id}&c=${code}&m=${mode}`;
    await page.goto(link('in', (await codeEl.getAttribute('data-code'))!));
    await expect.poll(() => page.getByTestId('activity-checkin-result').textContent(), { timeout: 15_000 }).toContain('签到成功');
    await screenshot(page, 'h5-activity-checked-in');
    await expect.poll(async () => door.getByTestId('activity-checked-in').textContent(), { timeout: 15_000 }).toContain('已签到 1 人');

    // A second rider without the app at hand: the organiser scans (here: pastes) the pass on her phone.
    await api('POST', '/api/v1/auth/sms-code', null, { phone: '13900000005' });
    const other = (await api('POST', '/api/v1/auth/login', null, { phone: '13900000005', code: await server.smsCode('13900000005') })).token as string;
    const pass = (await api('POST', `/api/v1/activities/${id}/signup`, other)).pass as string;
    await door.getByTestId('activity-pass-input').fill(pass);
    await door.getByTestId('activity-pass-submit').click();
    await expect.poll(() => door.locator('.el-message').first().textContent(), { timeout: 15_000 }).toContain('签到成功');
    await expect.poll(async () => door.getByTestId('activity-checked-in').textContent(), { timeout: 15_000 }).toContain('已签到 2 人');

    // After the start, the organiser switches to check-out and the rider scans again.
    await expect.poll(() => Date.now() > startsAt.getTime() + 2_000, { timeout: 180_000, interval: 2_000 }).toBe(true);
    await door.getByTestId('activity-checkin-mode-out').click();
    await expect.poll(() => codeEl.getAttribute('data-mode'), { timeout: 15_000 }).toBe('out');
    await page.goto(link('out', (await codeEl.getAttribute('data-code'))!));
    await expect.poll(() => page.getByTestId('activity-checkin-result').textContent(), { timeout: 15_000 }).toContain('签退成功');
    await screenshot(page, 'h5-activity-checked-out');

    // Staff confirm the attendance with the hours they saw (two hours) in the roster.
    await console_.goto(`${server.baseUrl}/admin/activities/${id}`);
    const roster = console_.getByTestId('activity-roster');
    await expect.poll(() => roster.textContent(), { timeout: 15_000 }).toContain('张伟');
    await roster.locator('.el-table__row').filter({ hasText: '张伟' }).getByTestId('roster-confirm').click();
    await console_.getByTestId('confirm-minutes').locator('input').fill('120');
    await console_.getByTestId('confirm-submit').click();
    await expect.poll(() => roster.locator('.el-table__row').filter({ hasText: '张伟' }).textContent(), { timeout: 15_000 }).toContain('+5');
    await screenshot(console_, 'admin-activity-roster');

    // The rider sees the points on the activity and the hours on 我的活动.
    await page.goto(`${server.baseUrl}/activities/${id}`);
    await expect.poll(() => page.getByTestId('activity-points').textContent(), { timeout: 15_000 }).toContain('获得 5 积分');
    await screenshot(page, 'h5-activity-points');
    await page.goto(`${server.baseUrl}/activities/mine`);
    await expect.poll(() => page.getByTestId('activities-hours').textContent(), { timeout: 15_000 }).toMatch(/\d+\.\d 小时/);
    await screenshot(page, 'h5-my-activities');

    // The figures page counts him.
    await console_.goto(`${server.baseUrl}/admin/activities/stats`);
    await expect.poll(() => console_.getByTestId('activity-stats-people').textContent(), { timeout: 15_000 }).toMatch(/[1-9]/);
    await screenshot(console_, 'admin-activity-stats');

    expect(errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(doorErrors).toEqual([]);
    await rider.close();
    await desk.close();
    await organiserPhone.close();
  }, 300_000);
});
