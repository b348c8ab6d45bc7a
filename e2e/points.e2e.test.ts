import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, phoneContext, screenshot } from './browser.ts';
import { loginAdmin, loginH5, usePlatform } from './fixtures.ts';

/** 以服务换服务 end to end: a rider spends points at a partner, the partner fulfils the voucher. */
describe('points and rewards end to end', () => {
  const platform = usePlatform();

  it('张伟 sees his points, redeems a haircut, and the barber fulfils the code at the counter', async () => {
    const { server, browser } = platform;
    const rider = await phoneContext(browser);
    const page = await rider.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000001');
    await page.waitForURL((url) => url.pathname === '/');

    // The demo gives 张伟 points for awards and for his reports; the page must show what the ledger says.
    const balance = await page.evaluate(async () => {
      const res = await fetch('/api/v1/points/me', { headers: { authorization: `Bearer ${localStorage.getItem('nx.h5.token')}` } });
      return ((await res.json()) as { balance: number }).balance;
    });
    expect(balance).toBeGreaterThanOrEqual(130);
    await page.getByTestId('home-entry-points').click();
    await expect.poll(() => page.getByTestId('points-balance').textContent(), { timeout: 15_000 }).toContain(String(balance));
    await screenshot(page, 'h5-points');

    await page.goto(`${server.baseUrl}/rewards`);
    const list = page.getByTestId('rewards-list');
    await expect.poll(() => list.textContent(), { timeout: 15_000 }).toContain('理发一次');
    await screenshot(page, 'h5-rewards');
    // The barber's haircut, looked up as the page itself would (its token is in localStorage).
    const haircut = await page.evaluate(async () => {
      const res = await fetch('/api/v1/rewards?q=理发一次', { headers: { authorization: `Bearer ${localStorage.getItem('nx.h5.token')}` } });
      return ((await res.json()) as { items: Array<{ id: string }> }).items[0]!.id;
    });
    await page.getByTestId(`reward-redeem-${haircut}`).click();
    await page.getByRole('button', { name: /确认|兑换/ }).last().click();
    await expect.poll(() => page.getByTestId('voucher-code').textContent(), { timeout: 15_000 }).toMatch(/[A-Z2-9]{8}/);
    const code = ((await page.getByTestId('voucher-code').textContent()) ?? '').replace(/\s/g, '').match(/[A-Z2-9]{8}/)![0];
    await screenshot(page, 'h5-voucher');

    const counter = await phoneContext(browser);
    const till = await counter.newPage();
    await loginAdmin(till, server, 'barber');
    await till.waitForURL((url) => !url.pathname.includes('login'));
    await till.goto(`${server.baseUrl}/admin/rewards/fulfil`);
    await till.getByTestId('fulfil-code').fill(code.toLowerCase());
    await till.getByTestId('fulfil-submit').click();
    await expect.poll(() => till.getByTestId('fulfil-result').textContent(), { timeout: 15_000 }).toContain('理发一次');
    await screenshot(till, 'admin-fulfil');

    await page.reload();
    await expect.poll(() => page.getByTestId('voucher-status').textContent(), { timeout: 15_000 }).toMatch(/已核销|已使用|fulfilled/i);
    expect(errors).toEqual([]);
    await rider.close();
    await counter.close();
  });

  it('anyone can open a community’s points notice board without logging in; names are masked', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/board/440114001001`);
    const board = page.getByTestId('points-board');
    await expect.poll(() => board.textContent(), { timeout: 15_000 }).toContain('金牌先锋表彰');
    const text = (await board.textContent()) ?? '';
    expect(text).toContain('张*');
    expect(text).not.toContain('张伟');
    await screenshot(page, 'h5-points-board');
    await context.close();
  });

  it('a street admin sees claims and rules in the console', async () => {
    const { server, browser } = platform;
    const context = await desktopContext(browser);
    const page = await context.newPage();
    await loginAdmin(page, server, 'xinhua');
    await page.getByTestId('menu-points-rules').click();
    await expect.poll(() => page.getByTestId('rules-table').textContent(), { timeout: 15_000 }).toContain('参加志愿服务');
    await screenshot(page, 'admin-rules');
    // The add-rule dialog opens, and an empty form is stopped with field errors before any request.
    await page.getByTestId('rules-add').click();
    await page.getByTestId('rule-form-submit').click();
    await expect.poll(() => page.locator('.el-form-item__error').count()).toBeGreaterThan(0);
    await screenshot(page, 'admin-rule-form');
    await context.close();
  });

  it('a rider claims with a photo; the grid’s street admin sees it, approves it, and can reverse it in the ledger', async () => {
    const { server, browser } = platform;
    const photo = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nx-e2e-')), 'proof.jpg');
    await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#d04030' } }).jpeg().toFile(photo);

    const rider = await phoneContext(browser);
    const page = await rider.newPage();
    const errors = collectPageErrors(page);
    await loginH5(page, server, '13900000006');
    await page.waitForURL((url) => url.pathname === '/');
    const ruleId = await page.evaluate(async () => {
      const res = await fetch('/api/v1/points/rules', { headers: { authorization: `Bearer ${localStorage.getItem('nx.h5.token')}` } });
      return ((await res.json()) as Array<{ id: string; name: string }>).find((r) => r.name === '关爱帮扶')!.id;
    });
    await page.goto(`${server.baseUrl}/points/claim/${ruleId}`);
    await page.getByTestId('claim-note').fill('雨天帮助摔倒的同行送医');
    await page.getByTestId('claim-photos').locator('input[type=file]').setInputFiles(photo);
    await expect.poll(() => page.locator('.van-uploader__preview-image img').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.van-uploader__mask').count(), { timeout: 15_000 }).toBe(0);
    await screenshot(page, 'h5-claim-photo');
    await page.getByTestId('claim-submit').click();
    await page.waitForURL((url) => url.pathname === '/points', { timeout: 15_000 });
    await expect.poll(() => page.getByTestId('photo-strip').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(errors).toEqual([]);

    const desk = await desktopContext(browser);
    const console_ = await desk.newPage();
    await loginAdmin(console_, server, 'xinhua');
    await console_.getByTestId('menu-points-claims').click();
    const claimRow = console_.getByTestId('claims-table').locator('tr', { hasText: '雨天帮助摔倒的同行送医' });
    await expect.poll(() => claimRow.getByTestId('photo-thumbs').locator('img').count(), { timeout: 15_000 }).toBe(1);
    await screenshot(console_, 'admin-claims-photo');
    await claimRow.getByTestId('claim-approve').click();
    await console_.getByRole('button', { name: '通过' }).last().click();
    await expect.poll(() => console_.getByTestId('claims-table').textContent(), { timeout: 15_000 }).not.toContain('雨天帮助摔倒的同行送医');

    await console_.getByTestId('menu-points-ledger').click();
    await console_.getByTestId('ledger-phone').fill('13900000006');
    await console_.getByTestId('ledger-search').click();
    const entry = console_.getByTestId('ledger-table').locator('tr', { hasText: '关爱帮扶（申报）' });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
    await screenshot(console_, 'admin-ledger');
    await entry.getByTestId('ledger-reverse').click();
    await console_.locator('.el-message-box input').fill('重复申报');
    await console_.getByRole('button', { name: '冲正' }).last().click();
    await expect.poll(() => console_.getByTestId('ledger-table').textContent(), { timeout: 15_000 }).toContain('冲正：重复申报');
    await rider.close();
    await desk.close();
  });
});
