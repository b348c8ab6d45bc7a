import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, phoneContext, screenshot } from './browser.ts';
import { loginAdmin, usePlatform } from './fixtures.ts';

/** The platform as a newcomer meets it: `npm start`'s server, a phone and a desk. */
describe('platform end to end (PGlite, demo data)', () => {
  const platform = usePlatform();

  it('serves health, OpenAPI with every route, Prometheus metrics and the docs page', async () => {
    const { server } = platform;
    expect(await (await fetch(`${server.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const doc = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/auth/sms-code', '/api/v1/auth/login', '/api/v1/me', '/api/v1/users', '/api/v1/users/{id}/status']) expect(Object.keys(doc.paths)).toContain(path);
    const metrics = await (await fetch(`${server.baseUrl}/metrics`)).text();
    expect(metrics).toContain('http_request_duration_seconds_bucket');
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect((await fetch(`${server.baseUrl}/docs`, { redirect: 'follow' })).status).toBe(200);
  });

  it('answers deep links with the right app and caches only hashed assets for long', async () => {
    const { server } = platform;
    const admin = await fetch(`${server.baseUrl}/admin/users`);
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain('/admin/assets/');
    const h5 = await fetch(`${server.baseUrl}/me`);
    expect(await h5.text()).toContain('manifest.webmanifest');
    expect(h5.headers.get('cache-control')).not.toContain('immutable');
    // Assets go out compressed at build time: brotli when the phone accepts it, else gzip, else raw.
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(await (await fetch(`${server.baseUrl}/`)).text())![1]!;
    const raw = await fetch(`${server.baseUrl}${script}`, { headers: { 'accept-encoding': 'identity' } });
    expect(raw.headers.get('content-encoding')).toBeNull();
    const br = await fetch(`${server.baseUrl}${script}`, { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('cache-control')).toContain('immutable');
    expect(await br.text()).toBe(await raw.text());
    const api = await fetch(`${server.baseUrl}/api/v1/nope`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('a new rider logs in on the H5 by SMS, registers, sees the home screen, switches language and logs out', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const phone = '17700001234';

    await page.goto(`${server.baseUrl}/`);
    await page.waitForURL(/\/login/);
    await page.getByTestId('login-phone').fill(phone);
    await page.getByTestId('login-send-code').click();
    await page.getByTestId('login-code').fill(await server.smsCode(phone));
    await screenshot(page, 'h5-login');
    await page.getByTestId('login-submit').click();

    await page.waitForURL(/\/register/);
    await page.getByTestId('register-name').fill('李小龙');
    await page.getByTestId('register-occupation').click();
    await page.getByText('外卖骑手', { exact: true }).click();
    await page.getByText('美团', { exact: true }).click();
    await page.getByTestId('register-community').click();
    await page.getByText('花都区', { exact: true }).click();
    await page.getByText('新华街道', { exact: true }).click();
    await page.getByText('三华社区', { exact: true }).click();
    await screenshot(page, 'h5-register');
    await page.getByTestId('register-submit').click();

    await page.waitForURL((url) => url.pathname === '/');
    await expect.poll(() => page.getByTestId('home-greeting').textContent()).toContain('李小龙');
    await screenshot(page, 'h5-home');

    await page.getByTestId('tab-me').click();
    await page.getByTestId('me-lang').getByText('English').click();
    await expect.poll(() => page.getByTestId('me-logout').textContent()).toMatch(/log ?out/i);
    await screenshot(page, 'h5-me-en');
    await page.getByTestId('me-logout').click();
    await page.waitForURL(/\/login/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the H5 opens with no network once it has been visited (PWA offline shell)', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload(); // now controlled by the service worker
    await context.setOffline(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('login-phone').isVisible()).toBe(true);
    await screenshot(page, 'h5-offline');
    await context.close();
  });

  it('the H5 shows a server refusal in the rider’s words', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId('login-phone').fill('17700005678');
    await page.getByTestId('login-send-code').click();
    await server.smsCode('17700005678');
    await page.getByTestId('login-code').fill('000000');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.locator('body').textContent()).toMatch(/验证码不正确|验证码错误/);
    await screenshot(page, 'h5-login-wrong-code');
    await context.close();
  });

  it('a district admin logs in to the console, sees the home figures and the people list with masked phones', async () => {
    const { server, browser } = platform;
    const context = await desktopContext(browser);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${server.baseUrl}/admin/`);
    await page.waitForURL(/\/admin\/login/);
    await screenshot(page, 'admin-login');
    await loginAdmin(page, server, 'district');

    await expect.poll(() => page.getByTestId('summary-workers').textContent(), { timeout: 15_000 }).toMatch(/^\s*\d+\s*$/);
    expect(Number(await page.getByTestId('summary-workers').textContent())).toBeGreaterThanOrEqual(8);
    await screenshot(page, 'admin-home');

    await page.getByTestId('menu-users').click();
    await page.waitForURL(/\/admin\/users/);
    const table = page.getByTestId('users-table');
    await expect.poll(() => table.textContent()).toContain('张伟');
    await expect.poll(() => table.textContent()).toContain('正常');
    await page.locator('.el-loading-mask').waitFor({ state: 'hidden' });
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('139****0001');
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    await screenshot(page, 'admin-users');

    await page.getByTestId('header-logout').click();
    await page.waitForURL(/\/admin\/login/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a grid worker logs in to the console by SMS on a phone and sees the community their grid is in', async () => {
    const { server, browser } = platform;
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/admin/login`);
    await page.getByTestId('login-tab-sms').click();
    await page.getByTestId('login-phone').fill('13800000006');
    await page.getByTestId('login-send-code').click();
    await page.getByTestId('login-code').fill(await server.smsCode('13800000006'));
    await page.getByTestId('login-sms-submit').click();
    await expect.poll(() => page.getByTestId('home-title').textContent(), { timeout: 15_000 }).toBeTruthy();
    await expect.poll(() => page.locator('body').textContent()).toContain('三华社区');
    await screenshot(page, 'admin-phone-grid');
    await context.close();
  });
});
