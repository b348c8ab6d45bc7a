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

    await page.getByTestId('home-entry-points').click();
    await expect.poll(() => page.getByTestId('points-balance').textContent(), { timeout: 15_000 }).toContain('130');
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
});
