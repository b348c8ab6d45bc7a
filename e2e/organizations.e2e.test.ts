import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, phoneContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

/** 亮明身份 end to end: a rider declares, the community verifies in the console, the rider shows the badge anyone can check. */
describe('organizations end to end', () => {
  const platform = usePlatform();

  it('张伟 declares party membership in the H5, 三华社区 verifies it in the console, and he shows his badge', async () => {
    const { server, browser } = platform;
    const proof = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-e2e-')), 'party-card.jpg');
    await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#c0302a' } }).jpeg().toFile(proof);

    const rider = await phoneContext(browser);
    const page = await rider.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('home-entry-organizations').click();
    await page.waitForURL((url) => url.pathname === '/organizations');
    await expect.poll(() => page.getByTestId('org-teams').textContent(), { timeout: 15_000 }).toContain('三华骑手志愿服务队');
    await screenshot(page, 'h5-organizations');

    await page.getByTestId('org-declare').click();
    await page.waitForURL((url) => url.pathname === '/organizations/declare');
    await page.getByTestId('declare-branch').filter({ hasText: '三华社区骑手党支部' }).click();
    await page.getByTestId('declare-status-probationary').click();
    await page.getByTestId('declare-joined-on').click();
    await page.locator('.van-picker__confirm').click();
    await expect.poll(() => page.getByTestId('declare-joined-on').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByTestId('declare-note').fill('原在湖南衡阳某村党支部');
    await page.getByTestId('declare-photos').locator('input[type=file]').setInputFiles(proof);
    await expect.poll(() => page.locator('.van-uploader__preview-image img').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.van-uploader__mask').count(), { timeout: 15_000 }).toBe(0);
    await screenshot(page, 'h5-organizations-declare');
    await page.getByTestId('declare-submit').click();
    await page.waitForURL((url) => url.pathname === '/organizations', { timeout: 15_000 });
    await expect.poll(() => page.getByTestId('org-party-status').textContent(), { timeout: 15_000 }).toContain('待审核');
    await screenshot(page, 'h5-organizations-pending');

    // The community admin sees the declaration with its proof in the queue and verifies it.
    const desk = await desktopContext(browser);
    const console_ = await desk.newPage();
    const consoleErrors = collectPageErrors(console_);
    await loginAdmin(console_, server, 'sanhua');
    await console_.waitForURL((url) => !url.pathname.includes('login'));
    await console_.getByTestId('menu-organizations').click();
    await expect.poll(() => console_.getByTestId('org-table').textContent(), { timeout: 15_000 }).toContain('三华社区骑手党支部');
    await console_.waitForTimeout(500);
    await screenshot(console_, 'admin-organizations');
    await console_.getByTestId('menu-organization-members').click();
    const row = console_.getByTestId('members-table').locator('tr', { hasText: '张伟' }).filter({ hasText: '三华社区骑手党支部' });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => row.first().getByTestId('photo-thumbs').locator('img').count(), { timeout: 15_000 }).toBe(1);
    expect(await console_.getByTestId('members-table').textContent()).not.toContain('13900000001');
    await screenshot(console_, 'admin-organizations-members');
    await row.first().getByTestId('member-verify').click();
    await console_.getByTestId('member-verify-as').getByText('正式党员').click();
    await screenshot(console_, 'admin-organizations-verify');
    await console_.getByTestId('member-verify-confirm').click();
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(0);

    // Back on the phone: the badge, and the public check behind its QR.
    await page.reload();
    await expect.poll(() => page.getByTestId('org-party-status').textContent(), { timeout: 15_000 }).toContain('已认证');
    await page.getByTestId('org-show-badge').click();
    await expect.poll(() => page.getByTestId('org-badge-name').textContent(), { timeout: 15_000 }).toContain('张伟');
    expect(await page.getByTestId('org-badge-org').textContent()).toContain('三华社区骑手党支部');
    await expect.poll(() => page.getByTestId('voucher-qr').count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'h5-organizations-badge');
    const membershipId = new URL(page.url()).pathname.split('/').pop()!;
    const token = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/organizations/memberships/${id}/badge`, { headers: { authorization: `Bearer ${localStorage.getItem('nx.h5.token')}` } });
      return ((await res.json()) as { token: string }).token;
    }, membershipId);

    const stranger = await phoneContext(browser);
    const check = await stranger.newPage();
    await check.goto(`${server.baseUrl}/badge/${token}`);
    await expect.poll(() => check.getByTestId('badge-check-verdict').textContent(), { timeout: 15_000 }).toContain('身份有效');
    const shown = (await check.getByTestId('badge-check').textContent()) ?? '';
    expect(shown).toContain('张*');
    expect(shown).toContain('三华社区骑手党支部');
    expect(shown).not.toContain('张伟');
    expect(shown).not.toMatch(/1\d{2}\*{4}\d{4}|139\d{8}/);
    await screenshot(check, 'h5-organizations-badge-check');

    // Staff add a worker of the community to a volunteer team's roster.
    await console_.getByTestId('menu-organizations').click();
    await console_.getByTestId('org-table').locator('tr', { hasText: '三华骑手志愿服务队' }).getByTestId('org-members').click();
    await console_.getByTestId('member-add').click();
    await console_.getByTestId('member-add-worker').locator('input').fill('陈');
    await console_.locator('.el-select-dropdown__item', { hasText: '陈静' }).click();
    await screenshot(console_, 'admin-organizations-add-member');
    await console_.getByTestId('member-add-save').click();
    await expect.poll(() => console_.getByTestId('members-table').textContent(), { timeout: 15_000 }).toContain('陈静');
    await console_.waitForTimeout(500);
    await screenshot(console_, 'admin-organizations-roster');

    // 兼职网格员: he applies, the community appoints him to a grid, his certificate shows.
    await page.goto(`${server.baseUrl}/organizations`);
    await page.getByTestId('org-grid-apply').click();
    await page.getByTestId('org-grid-note').fill('熟悉三华路、公益路一带，晚上有空');
    await page.getByTestId('org-grid-submit').click();
    await expect.poll(() => page.getByTestId('org-grid-status').textContent(), { timeout: 15_000 }).toContain('审核中');

    await console_.getByTestId('menu-organization-grid-members').click();
    const applicant = console_.getByTestId('grid-table').locator('tr', { hasText: '张伟' });
    await expect.poll(() => applicant.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await applicant.first().getByTestId('grid-appoint').click();
    await console_.getByTestId('grid-appoint-grid').click();
    await console_.locator('.el-select-dropdown__item', { hasText: '第二网格' }).click();
    await screenshot(console_, 'admin-organizations-appoint');
    await console_.getByTestId('grid-appoint-save').click();
    await expect.poll(() => applicant.count(), { timeout: 15_000 }).toBe(0);
    await console_.getByTestId('menu-organization-stats').click();
    await expect.poll(() => console_.getByTestId('org-stats-table').textContent(), { timeout: 15_000 }).toContain('合计');
    await screenshot(console_, 'admin-organizations-stats');

    await page.reload();
    await page.getByTestId('org-certificate').click();
    await expect.poll(() => page.getByTestId('org-certificate-no').textContent(), { timeout: 15_000 }).toMatch(/^440114001001002-\d{4}-\d{3}$/);
    expect(await page.getByTestId('org-certificate-body').textContent()).toContain('张伟');
    await screenshot(page, 'h5-organizations-certificate');

    expect(errors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await rider.close();
    await desk.close();
    await stranger.close();
  });
});
