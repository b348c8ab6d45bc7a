import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { collectPageErrors, desktopContext, screenshot } from './browser.ts';
import { loginAdmin, usePlatform } from './fixtures.ts';

/** A station workbook as the import template has it, with a bad latitude in its third row. */
async function workbookWithOneBadRow(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('驿站');
  sheet.addRow(['名称*', '类型*', '地址*', '纬度*', '经度*', '建设状态', '服务设施']);
  sheet.addRow(['导入一号驿站', '暖新驿站', '新华街导入路1号', 23.391, 113.21, '已建成', '空调、饮水机']);
  sheet.addRow(['导入二号驿站', '工会驿站', '新华街导入路2号', '北纬23度', 113.21, '规划中', '桑拿']);
  sheet.addRow(['导入三号驿站', '商户爱心点', '新华街导入路3号', 23.393, 113.21, '', '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The registry in the console: a street admin adds a station on the map, the district accepts it by inspection. */
describe('stations registry in the console', () => {
  const platform = usePlatform();

  it('新华 adds a station picked on the map, marks it built, and the district inspection accepts it with stars', async () => {
    const { server, browser } = platform;
    const context = await desktopContext(browser);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await loginAdmin(page, server, 'xinhua');
    await page.waitForURL((url) => !url.pathname.includes('login'));
    await page.getByTestId('menu-stations').click();
    await expect.poll(() => page.getByTestId('stations-table').textContent(), { timeout: 15_000 }).toContain('三华社区暖新驿站');
    await screenshot(page, 'admin-stations-list');

    await page.getByTestId('stations-add').click();
    await page.getByTestId('station-form-name').fill('新华测试驿站');
    await page.getByTestId('station-form-address').fill('新华街建设北路200号');
    const map = page.getByTestId('map-picker');
    await expect.poll(() => page.getByTestId('map-picker-status').textContent(), { timeout: 15_000 }).not.toMatch(/加载/);
    await map.click({ position: { x: 200, y: 120 } });
    await expect.poll(() => page.getByTestId('map-picker-pin').count()).toBe(1);
    await page.getByTestId('station-form-amenities').getByText('饮水机').click();
    await screenshot(page, 'admin-station-form');
    await page.getByTestId('station-form-submit').click();
    await page.waitForURL((url) => /\/admin\/stations\/[0-9a-f-]{36}$/.test(url.pathname));
    const stationUrl = page.url();
    await expect.poll(() => page.getByTestId('station-status').textContent(), { timeout: 15_000 }).toContain('规划中');

    await page.getByTestId('station-move-build').click();
    await page.locator('.el-message-box__input input').fill('场地装修完成');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => page.getByTestId('station-status').textContent(), { timeout: 15_000 }).toContain('已建成');
    await expect.poll(() => page.getByTestId('station-history').textContent()).toContain('场地装修完成');

    const districtContext = await desktopContext(browser);
    const inspector = await districtContext.newPage();
    const inspectorErrors = collectPageErrors(inspector);
    await loginAdmin(inspector, server, 'district');
    await inspector.waitForURL((url) => !url.pathname.includes('login'));
    await inspector.goto(stationUrl);
    await inspector.getByTestId('station-inspect').click();
    await expect.poll(() => inspector.getByTestId('inspection-items').textContent(), { timeout: 15_000 }).toContain('标识标牌');
    // Full marks are preset; two items lose points, and the total, verdict and stars follow.
    await inspector.locator('[data-testid="inspection-score-area"] input, input[data-testid="inspection-score-area"]').fill('9');
    await inspector.locator('[data-testid="inspection-score-charging"] input, input[data-testid="inspection-score-charging"]').fill('5');
    await inspector.getByTestId('inspection-remarks').click();
    await expect.poll(() => inspector.getByTestId('inspection-total').textContent()).toBe('89');
    await expect.poll(() => inspector.getByTestId('inspection-passed').textContent()).toContain('合格');
    await inspector.getByTestId('inspection-remarks').fill('标识清晰，充电插座偏少');
    await screenshot(inspector, 'admin-station-inspection');
    await inspector.getByTestId('inspection-submit').click();
    await expect.poll(() => inspector.getByTestId('station-status').textContent(), { timeout: 15_000 }).toContain('已验收');
    await expect.poll(() => inspector.locator('[data-testid="station-stars"] .el-rate__item .is-active').count()).toBe(4);
    await expect.poll(() => inspector.getByTestId('station-inspections').textContent()).toContain('89');
    await screenshot(inspector, 'admin-station-accepted');

    expect(errors).toEqual([]);
    expect(inspectorErrors).toEqual([]);
    await context.close();
    await districtContext.close();
  });

  it('a station page shows opening-hours compliance from the check-ins of the last four weeks', async () => {
    const { server, browser } = platform;
    const context = await desktopContext(browser);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await loginAdmin(page, server, 'xinhua');
    await page.waitForURL((url) => !url.pathname.includes('login'));
    await page.getByTestId('menu-stations').click();
    await page.getByTestId('station-open-三华社区暖新驿站').click();
    // The demo has four check-ins at 三华社区暖新驿站 in the last days.
    await expect.poll(() => page.getByTestId('hours-in-out').textContent(), { timeout: 15_000 }).toMatch(/开放时段内签到 \d+ 次，时段外 \d+ 次/);
    expect(await page.getByTestId('hours-open-days').textContent()).toMatch(/声明开放 \d+ 天/);
    expect(await page.getByTestId('hours-compliance').locator('.cell.open').count()).toBeGreaterThan(0);
    await page.getByTestId('hours-compliance').scrollIntoViewIfNeeded();
    await screenshot(page, 'admin-station-hours-compliance');
    expect(errors).toEqual([]);
    await context.close();

    // The keeper reaches the same page from the duty on the console home.
    const keeperContext = await desktopContext(browser);
    const keeperPage = await keeperContext.newPage();
    const keeperErrors = collectPageErrors(keeperPage);
    await loginAdmin(keeperPage, server, 'keeper01');
    await keeperPage.waitForURL((url) => !url.pathname.includes('login'));
    await keeperPage.getByTestId('duty-stationInfo').getByRole('link').click();
    await keeperPage.waitForURL(/\/admin\/stations\/[0-9a-f-]{36}/);
    await expect.poll(() => keeperPage.getByTestId('hours-in-out').textContent(), { timeout: 15_000 }).toMatch(/开放时段内签到/);
    expect(keeperErrors).toEqual([]);
    await keeperContext.close();
  });

  it('an import with a bad row imports nothing and shows the per-row report', async () => {
    const { server, browser } = platform;
    const context = await desktopContext(browser);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await loginAdmin(page, server, 'xinhua');
    await page.waitForURL((url) => !url.pathname.includes('login'));
    await page.goto(`${server.baseUrl}/admin/stations`);
    await page.getByTestId('stations-import').click();
    await page.getByTestId('import-file').setInputFiles({ name: 'stations.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await workbookWithOneBadRow() });
    await page.getByTestId('import-start').click();
    const report = page.getByTestId('import-errors');
    await expect.poll(() => report.textContent(), { timeout: 15_000 }).toContain('须为数字');
    const text = (await report.textContent()) ?? '';
    expect(text).toContain('纬度');
    expect(text).toContain('未知的项目：桑拿');
    expect(await page.getByTestId('import-result').textContent()).toContain('未导入任何数据');
    await screenshot(page, 'admin-station-import-errors');
    // Nothing of the file was imported, not even its good rows.
    const found = await page.evaluate(async () => {
      const res = await fetch('/api/v1/stations/manage?q=导入一号驿站', { headers: { authorization: `Bearer ${localStorage.getItem('nx.admin.token')}` } });
      return ((await res.json()) as { total: number }).total;
    });
    expect(found).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
